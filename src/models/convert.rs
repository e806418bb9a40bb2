//! CTranslate2 Whisper model directory → whisper.cpp ggml file.
//!
//! In: `DIR/model.bin` (CT2 binary v6) and `DIR/vocabulary.txt`.
//! Out: a ggml `.bin` written atomically (temp file, then rename).

use super::ct2::{Ct2Model, Variable};
use super::ggml::{GgmlWriter, HParams};
use super::mel::mel_filters;
use super::names::{map_name, Plan};
use super::vocab::ByteDecoder;
use super::{progress, ModelError};
use indicatif::ProgressBar;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// whisper.cpp generates the special tokens past `<|endoftext|>` itself.
const GGML_VOCAB_LEN: usize = 50_257;

/// Summary of a finished conversion.
#[derive(Debug)]
pub struct Converted {
    pub hparams: HParams,
    pub n_tensors: usize,
    pub bytes: u64,
}

/// Reads `DIR/vocabulary.txt` and returns the first entries as raw bytes.
pub fn read_vocab(dir: &Path) -> Result<Vec<Vec<u8>>, ModelError> {
    let path = dir.join("vocabulary.txt");
    let text = std::fs::read_to_string(&path).map_err(|e| ModelError::Io {
        path: path.clone(),
        source: e,
    })?;
    let decoder = ByteDecoder::default();
    let vocab: Vec<Vec<u8>> = text
        .split('\n')
        .take(GGML_VOCAB_LEN)
        .enumerate()
        .map(|(i, tok)| {
            decoder.decode(tok).ok_or_else(|| ModelError::Corrupt {
                path: path.clone(),
                why: format!("line {}: token {tok:?} is not GPT-2 byte-level BPE", i + 1),
            })
        })
        .collect::<Result<_, _>>()?;
    if vocab.len() < GGML_VOCAB_LEN {
        return Err(ModelError::Corrupt {
            path,
            why: format!("{} tokens, expected at least {GGML_VOCAB_LEN}", vocab.len()),
        });
    }
    Ok(vocab)
}

fn count_layers(model: &Ct2Model, side: &str) -> i32 {
    (0..)
        .take_while(|i| {
            model
                .variables
                .iter()
                .any(|v| v.name.starts_with(&format!("{side}/layer_{i}/")))
        })
        .count() as i32
}

fn hparams(model: &Ct2Model, path: &Path) -> Result<HParams, ModelError> {
    let need = |name: &str| {
        model.get(name).ok_or_else(|| ModelError::Corrupt {
            path: path.to_path_buf(),
            why: format!("missing variable {name}"),
        })
    };
    let dim = |v: &Variable, i: usize| v.shape.get(i).copied().unwrap_or(0) as i32;
    let heads = |name: &str| -> Result<i32, ModelError> {
        need(name)?
            .scalar_int()
            .map(|h| h as i32)
            .ok_or_else(|| ModelError::Corrupt {
                path: path.to_path_buf(),
                why: format!("{name} is not an integer scalar"),
            })
    };
    let emb = need("decoder/embeddings/weight")?;
    let enc_pos = need("encoder/position_encodings/encodings")?;
    let dec_pos = need("decoder/position_encodings/encodings")?;
    let conv1 = need("encoder/conv1/weight")?;
    let n_audio_head = heads("encoder/num_heads")?;
    let n_text_head = model
        .get("decoder/num_heads")
        .and_then(|v| v.scalar_int())
        .map(|h| h as i32)
        .unwrap_or(n_audio_head);
    Ok(HParams {
        n_vocab: dim(emb, 0),
        n_audio_ctx: dim(enc_pos, 0),
        n_audio_state: dim(enc_pos, 1),
        n_audio_head,
        n_audio_layer: count_layers(model, "encoder"),
        n_text_ctx: dim(dec_pos, 0),
        n_text_state: dim(dec_pos, 1),
        n_text_head,
        n_text_layer: count_layers(model, "decoder"),
        n_mels: dim(conv1, 1),
        ftype: 1,
    })
}

/// Tensors whisper.cpp keeps in f32 even in an f16 model.
fn keep_f32(name: &str, rank: usize) -> bool {
    rank < 2
        || name.ends_with("positional_embedding")
        || name == "encoder.conv1.bias"
        || name == "encoder.conv2.bias"
}

/// Converts a CT2 model directory to a ggml file at `out`.
pub fn convert_ct2_dir(dir: &Path, out: &Path) -> Result<Converted, ModelError> {
    let model_path = dir.join("model.bin");
    if !model_path.is_file() {
        return Err(ModelError::Missing { path: model_path });
    }
    let model = Ct2Model::read(&model_path)?;
    let vocab = read_vocab(dir)?;
    let bar = progress::items(0, "converting to ggml", "tensors");
    let done = convert_model_with(&model, &model_path, &vocab, out, &bar);
    bar.finish_and_clear();
    done
}

/// Converts an already parsed CT2 model (`src` is only used in messages).
pub fn convert_model(
    model: &Ct2Model,
    src: &Path,
    vocab: &[Vec<u8>],
    out: &Path,
) -> Result<Converted, ModelError> {
    convert_model_with(model, src, vocab, out, &ProgressBar::hidden())
}

/// [`convert_model`], advancing `bar` by one for each tensor read and each written.
pub fn convert_model_with(
    model: &Ct2Model,
    src: &Path,
    vocab: &[Vec<u8>],
    out: &Path,
    bar: &ProgressBar,
) -> Result<Converted, ModelError> {
    let corrupt = |why: String| ModelError::Corrupt {
        path: src.to_path_buf(),
        why,
    };
    let hp = hparams(model, src)?;
    let n_mels = hp.n_mels as usize;
    let tmp = temp_path(out);
    let write_err = |e: std::io::Error| ModelError::Io {
        path: out.to_path_buf(),
        source: e,
    };
    // Gather every output tensor first: whisper.cpp's own converter writes them
    // in PyTorch's state-dict order, and so do we, so the file is byte-identical.
    let mut tensors: HashMap<String, (Vec<usize>, Vec<f32>)> = HashMap::new();
    let order = tensor_order(hp.n_audio_layer as usize, hp.n_text_layer as usize);
    bar.set_length((model.variables.len() + order.len()) as u64);
    for v in &model.variables {
        bar.inc(1);
        let plan = map_name(&v.name).map_err(corrupt)?;
        if plan == Plan::Skip {
            continue;
        }
        let data = v.to_f32().map_err(corrupt)?;
        match plan {
            Plan::Skip => {}
            Plan::Single(name) => {
                let shape = if name.starts_with("encoder.conv") && name.ends_with(".bias") {
                    vec![v.shape[0], 1]
                } else {
                    v.shape.clone()
                };
                tensors.insert(name, (shape, data));
            }
            Plan::Split(parts) => {
                let rows = v.shape.first().copied().unwrap_or(0);
                if rows == 0 || rows % parts.len() != 0 {
                    return Err(corrupt(format!(
                        "{}: {rows} rows do not split into {} parts",
                        v.name,
                        parts.len()
                    )));
                }
                let per = data.len() / parts.len();
                let mut shape = v.shape.clone();
                shape[0] = rows / parts.len();
                for (i, part) in parts.iter().enumerate() {
                    let slice = &data[i * per..(i + 1) * per];
                    match part {
                        Some(name) => {
                            tensors.insert(name.clone(), (shape.clone(), slice.to_vec()));
                        }
                        None if slice.iter().any(|&x| x != 0.0) => {
                            return Err(corrupt(format!(
                                "{}: the key bias is not zero, so it cannot be dropped",
                                v.name
                            )))
                        }
                        None => {}
                    }
                }
            }
        }
    }
    if let Some(missing) = order.iter().find(|n| !tensors.contains_key(*n)) {
        return Err(corrupt(format!(
            "no CTranslate2 variable provides {missing}, which whisper.cpp needs ({} of {} tensors found)",
            order.iter().filter(|n| tensors.contains_key(*n)).count(),
            order.len()
        )));
    }
    if tensors.len() != order.len() {
        let extra = tensors
            .keys()
            .find(|k| !order.contains(k))
            .cloned()
            .unwrap_or_default();
        return Err(corrupt(format!(
            "unexpected tensor {extra} for a model of this size"
        )));
    }
    let file = std::fs::File::create(&tmp).map_err(write_err)?;
    let buf = std::io::BufWriter::with_capacity(1 << 20, file);
    let written = (|| {
        let mut w = GgmlWriter::new(buf, &hp, &mel_filters(n_mels), n_mels, vocab)?;
        for name in &order {
            let (shape, data) = &tensors[name];
            w.tensor(name, shape, data, !keep_f32(name, shape.len()))?;
            bar.inc(1);
        }
        w.finish().map(|_| ())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(write_err(e));
    }
    let n_tensors = order.len();
    std::fs::rename(&tmp, out).map_err(write_err)?;
    let bytes = std::fs::metadata(out).map_err(write_err)?.len();
    Ok(Converted {
        hparams: hp,
        n_tensors,
        bytes,
    })
}

/// Every tensor whisper.cpp loads, in the order PyTorch's state dict lists
/// them (a module's own parameters and buffers before its children's).
pub fn tensor_order(n_audio_layer: usize, n_text_layer: usize) -> Vec<String> {
    let linear = |p: &str, bias: bool| {
        let mut v = vec![format!("{p}.weight")];
        if bias {
            v.push(format!("{p}.bias"));
        }
        v
    };
    let block = |b: &str, cross: bool| {
        let mut v = Vec::new();
        for (part, bias) in [
            ("query", true),
            ("key", false),
            ("value", true),
            ("out", true),
        ] {
            v.extend(linear(&format!("{b}.attn.{part}"), bias));
        }
        v.extend(linear(&format!("{b}.attn_ln"), true));
        if cross {
            for (part, bias) in [
                ("query", true),
                ("key", false),
                ("value", true),
                ("out", true),
            ] {
                v.extend(linear(&format!("{b}.cross_attn.{part}"), bias));
            }
            v.extend(linear(&format!("{b}.cross_attn_ln"), true));
        }
        for m in ["mlp.0", "mlp.2", "mlp_ln"] {
            v.extend(linear(&format!("{b}.{m}"), true));
        }
        v
    };
    let mut names = vec!["encoder.positional_embedding".to_string()];
    names.extend(linear("encoder.conv1", true));
    names.extend(linear("encoder.conv2", true));
    for i in 0..n_audio_layer {
        names.extend(block(&format!("encoder.blocks.{i}"), false));
    }
    names.extend(linear("encoder.ln_post", true));
    names.push("decoder.positional_embedding".into());
    names.push("decoder.token_embedding.weight".into());
    for i in 0..n_text_layer {
        names.extend(block(&format!("decoder.blocks.{i}"), true));
    }
    names.extend(linear("decoder.ln", true));
    names
}

fn temp_path(out: &Path) -> PathBuf {
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    out.with_file_name(name)
}

#[cfg(test)]
mod tests;
