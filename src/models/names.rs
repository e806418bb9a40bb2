//! CTranslate2 → whisper.cpp tensor names. Fused attention projections in CT2
//! become several ggml tensors, split by rows.

/// What to do with one CT2 variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Written under this ggml name.
    Single(String),
    /// Rows split evenly into parts, in order; `None` parts are dropped (they
    /// must be all zeros: whisper.cpp has no key bias).
    Split(Vec<Option<String>>),
    /// Not a tensor whisper.cpp stores (scalars, config flags).
    Skip,
}

fn leaf_suffix(leaf: &str) -> Option<&'static str> {
    match leaf {
        "weight" | "gamma" => Some("weight"),
        "bias" | "beta" => Some("bias"),
        _ => None,
    }
}

/// Maps a CT2 variable name; `Err` for a tensor name this converter does not know.
pub fn map_name(name: &str) -> Result<Plan, String> {
    match name {
        "encoder/position_encodings/encodings" => {
            return Ok(Plan::Single("encoder.positional_embedding".into()))
        }
        "decoder/position_encodings/encodings" => {
            return Ok(Plan::Single("decoder.positional_embedding".into()))
        }
        "decoder/embeddings/weight" => {
            return Ok(Plan::Single("decoder.token_embedding.weight".into()))
        }
        _ => {}
    }
    let Some((base, leaf)) = name.rsplit_once('/') else {
        return Ok(Plan::Skip);
    };
    let Some(suffix) = leaf_suffix(leaf) else {
        return Ok(Plan::Skip);
    };
    let unknown = || format!("unknown CTranslate2 tensor {name}");
    let parts: Vec<&str> = base.split('/').collect();
    let single = |s: String| Ok(Plan::Single(format!("{s}.{suffix}")));
    match parts.as_slice() {
        ["encoder", c @ ("conv1" | "conv2")] => single(format!("encoder.{c}")),
        ["encoder", "layer_norm"] => single("encoder.ln_post".into()),
        ["decoder", "layer_norm"] => single("decoder.ln".into()),
        ["decoder", "projection"] => Ok(Plan::Skip), // tied to the token embedding
        [side @ ("encoder" | "decoder"), layer, rest @ ..] => {
            let i: usize = layer
                .strip_prefix("layer_")
                .and_then(|n| n.parse().ok())
                .ok_or_else(unknown)?;
            let block = format!("{side}.blocks.{i}");
            match (*side, rest) {
                (_, ["self_attention", "layer_norm"]) => single(format!("{block}.attn_ln")),
                (_, ["self_attention", "linear_0"]) => Ok(Plan::Split(
                    ["query", "key", "value"]
                        .iter()
                        .map(|p| {
                            (suffix == "weight" || *p != "key")
                                .then(|| format!("{block}.attn.{p}.{suffix}"))
                        })
                        .collect(),
                )),
                (_, ["self_attention", "linear_1"]) => single(format!("{block}.attn.out")),
                (_, ["ffn", "layer_norm"]) => single(format!("{block}.mlp_ln")),
                (_, ["ffn", "linear_0"]) => single(format!("{block}.mlp.0")),
                (_, ["ffn", "linear_1"]) => single(format!("{block}.mlp.2")),
                ("decoder", ["attention", "layer_norm"]) => {
                    single(format!("{block}.cross_attn_ln"))
                }
                ("decoder", ["attention", "linear_0"]) => {
                    single(format!("{block}.cross_attn.query"))
                }
                ("decoder", ["attention", "linear_1"]) => Ok(Plan::Split(
                    ["key", "value"]
                        .iter()
                        .map(|p| {
                            (suffix == "weight" || *p != "key")
                                .then(|| format!("{block}.cross_attn.{p}.{suffix}"))
                        })
                        .collect(),
                )),
                ("decoder", ["attention", "linear_2"]) => single(format!("{block}.cross_attn.out")),
                _ => Err(unknown()),
            }
        }
        _ => Err(unknown()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single(s: &str) -> Plan {
        Plan::Single(s.into())
    }

    #[test]
    fn maps_top_level_tensors() {
        assert_eq!(
            map_name("encoder/conv1/weight").unwrap(),
            single("encoder.conv1.weight")
        );
        assert_eq!(
            map_name("encoder/conv2/bias").unwrap(),
            single("encoder.conv2.bias")
        );
        assert_eq!(
            map_name("encoder/layer_norm/gamma").unwrap(),
            single("encoder.ln_post.weight")
        );
        assert_eq!(
            map_name("decoder/layer_norm/beta").unwrap(),
            single("decoder.ln.bias")
        );
        assert_eq!(
            map_name("decoder/embeddings/weight").unwrap(),
            single("decoder.token_embedding.weight")
        );
        assert_eq!(
            map_name("encoder/position_encodings/encodings").unwrap(),
            single("encoder.positional_embedding")
        );
    }

    #[test]
    fn maps_block_tensors() {
        assert_eq!(
            map_name("encoder/layer_3/self_attention/layer_norm/gamma").unwrap(),
            single("encoder.blocks.3.attn_ln.weight")
        );
        assert_eq!(
            map_name("decoder/layer_0/ffn/linear_1/bias").unwrap(),
            single("decoder.blocks.0.mlp.2.bias")
        );
        assert_eq!(
            map_name("decoder/layer_1/attention/layer_norm/beta").unwrap(),
            single("decoder.blocks.1.cross_attn_ln.bias")
        );
        assert_eq!(
            map_name("decoder/layer_1/attention/linear_2/weight").unwrap(),
            single("decoder.blocks.1.cross_attn.out.weight")
        );
    }

    #[test]
    fn splits_fused_projections_and_drops_key_bias() {
        assert_eq!(
            map_name("encoder/layer_0/self_attention/linear_0/weight").unwrap(),
            Plan::Split(vec![
                Some("encoder.blocks.0.attn.query.weight".into()),
                Some("encoder.blocks.0.attn.key.weight".into()),
                Some("encoder.blocks.0.attn.value.weight".into()),
            ])
        );
        assert_eq!(
            map_name("encoder/layer_0/self_attention/linear_0/bias").unwrap(),
            Plan::Split(vec![
                Some("encoder.blocks.0.attn.query.bias".into()),
                None,
                Some("encoder.blocks.0.attn.value.bias".into()),
            ])
        );
        assert_eq!(
            map_name("decoder/layer_2/attention/linear_1/bias").unwrap(),
            Plan::Split(vec![
                None,
                Some("decoder.blocks.2.cross_attn.value.bias".into())
            ])
        );
    }

    #[test]
    fn skips_scalars_and_rejects_unknown_tensors() {
        assert_eq!(map_name("encoder/num_heads").unwrap(), Plan::Skip);
        assert_eq!(map_name("decoder/alignment_heads").unwrap(), Plan::Skip);
        assert_eq!(map_name("decoder/projection/weight").unwrap(), Plan::Skip);
        assert!(map_name("encoder/mystery/weight").is_err());
        assert!(map_name("encoder/layer_x/ffn/linear_0/weight").is_err());
    }
}
