use super::super::ct2::{tests::write_ct2, DType};
use super::super::ggml::inspect;
use super::*;

fn var(name: &str, shape: &[usize], fill: f32) -> Variable {
    let n: usize = shape.iter().product();
    Variable {
        name: name.into(),
        shape: shape.to_vec(),
        dtype: DType::F32,
        data: (0..n).flat_map(|_| fill.to_le_bytes()).collect(),
    }
}

/// A structurally complete one-layer Whisper with tiny dimensions.
fn toy_model() -> Vec<Variable> {
    let d = 4;
    let mut v = vec![
        Variable {
            name: "encoder/num_heads".into(),
            shape: vec![],
            dtype: DType::I16,
            data: 2i16.to_le_bytes().to_vec(),
        },
        var("encoder/conv1/weight", &[d, 3, 3], 0.1),
        var("encoder/conv1/bias", &[d], 0.1),
        var("encoder/conv2/weight", &[d, d, 3], 0.1),
        var("encoder/conv2/bias", &[d], 0.1),
        var("encoder/position_encodings/encodings", &[6, d], 0.1),
        var("encoder/layer_norm/gamma", &[d], 1.0),
        var("encoder/layer_norm/beta", &[d], 0.0),
        var("decoder/embeddings/weight", &[10, d], 0.1),
        var("decoder/position_encodings/encodings", &[5, d], 0.1),
        var("decoder/layer_norm/gamma", &[d], 1.0),
        var("decoder/layer_norm/beta", &[d], 0.0),
    ];
    for side in ["encoder", "decoder"] {
        let p = format!("{side}/layer_0");
        for ln in ["self_attention/layer_norm", "ffn/layer_norm"] {
            v.push(var(&format!("{p}/{ln}/gamma"), &[d], 1.0));
            v.push(var(&format!("{p}/{ln}/beta"), &[d], 0.0));
        }
        v.push(var(
            &format!("{p}/self_attention/linear_0/weight"),
            &[3 * d, d],
            0.2,
        ));
        v.push(var(
            &format!("{p}/self_attention/linear_0/bias"),
            &[3 * d],
            0.0,
        ));
        v.push(var(
            &format!("{p}/self_attention/linear_1/weight"),
            &[d, d],
            0.2,
        ));
        v.push(var(&format!("{p}/self_attention/linear_1/bias"), &[d], 0.0));
        v.push(var(&format!("{p}/ffn/linear_0/weight"), &[4 * d, d], 0.2));
        v.push(var(&format!("{p}/ffn/linear_0/bias"), &[4 * d], 0.0));
        v.push(var(&format!("{p}/ffn/linear_1/weight"), &[d, 4 * d], 0.2));
        v.push(var(&format!("{p}/ffn/linear_1/bias"), &[d], 0.0));
    }
    let p = "decoder/layer_0/attention";
    v.push(var(&format!("{p}/layer_norm/gamma"), &[d], 1.0));
    v.push(var(&format!("{p}/layer_norm/beta"), &[d], 0.0));
    v.push(var(&format!("{p}/linear_0/weight"), &[d, d], 0.2));
    v.push(var(&format!("{p}/linear_0/bias"), &[d], 0.0));
    v.push(var(&format!("{p}/linear_1/weight"), &[2 * d, d], 0.2));
    v.push(var(&format!("{p}/linear_1/bias"), &[2 * d], 0.0));
    v.push(var(&format!("{p}/linear_2/weight"), &[d, d], 0.2));
    v.push(var(&format!("{p}/linear_2/bias"), &[d], 0.0));
    v
}

fn vocab() -> Vec<Vec<u8>> {
    (0..GGML_VOCAB_LEN)
        .map(|i| i.to_string().into_bytes())
        .collect()
}

#[test]
fn converts_a_complete_model_with_the_expected_tensor_count() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = write_ct2(
        &toy_model(),
        &[("decoder/projection/weight", "decoder/embeddings/weight")],
    );
    let model = Ct2Model::parse(&bytes, Path::new("toy/model.bin")).unwrap();
    let out = dir.path().join("toy.ggml");
    let c = convert_model(&model, Path::new("toy/model.bin"), &vocab(), &out).unwrap();
    assert_eq!(c.n_tensors, 7 + 15 + 4 + 24);
    assert_eq!(c.hparams.n_audio_layer, 1);
    assert_eq!(c.hparams.n_text_layer, 1);
    assert_eq!(c.hparams.n_mels, 3);
    assert_eq!(c.hparams.n_audio_head, 2);
    assert_eq!(
        c.hparams.n_text_head, 2,
        "decoder heads default to encoder heads"
    );
    let info = inspect(&out).unwrap();
    assert_eq!(info.n_tensors, c.n_tensors);
    assert!(!dir.path().join("toy.ggml.partial").exists());
}

#[test]
fn tensor_order_has_whisper_cpp_counts() {
    assert_eq!(tensor_order(4, 4).len(), 167, "tiny");
    assert_eq!(tensor_order(6, 6).len(), 245, "base");
    let o = tensor_order(1, 1);
    assert_eq!(o[0], "encoder.positional_embedding");
    assert_eq!(o.last().unwrap(), "decoder.ln.bias");
}

#[test]
fn a_missing_block_tensor_is_reported_and_no_file_left() {
    let dir = tempfile::tempdir().unwrap();
    let mut vars = toy_model();
    vars.retain(|v| v.name != "decoder/layer_0/attention/linear_2/weight");
    let model = Ct2Model::parse(&write_ct2(&vars, &[]), Path::new("m.bin")).unwrap();
    let out = dir.path().join("x.bin");
    let msg = convert_model(&model, Path::new("m.bin"), &vocab(), &out)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("decoder.blocks.0.cross_attn.out.weight") && msg.contains("whisper.cpp needs"),
        "{msg}"
    );
    assert!(!out.exists());
    assert!(!dir.path().join("x.bin.partial").exists());
}

#[test]
fn a_nonzero_key_bias_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut vars = toy_model();
    for v in vars.iter_mut() {
        if v.name == "encoder/layer_0/self_attention/linear_0/bias" {
            *v = var(&v.name.clone(), &[12], 0.5);
        }
    }
    let model = Ct2Model::parse(&write_ct2(&vars, &[]), Path::new("m.bin")).unwrap();
    let msg = convert_model(
        &model,
        Path::new("m.bin"),
        &vocab(),
        &dir.path().join("x.bin"),
    )
    .unwrap_err()
    .to_string();
    assert!(msg.contains("key bias"), "{msg}");
}

#[test]
fn missing_model_dir_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let msg = convert_ct2_dir(dir.path(), &dir.path().join("o.bin"))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("model.bin"), "{msg}");
}
