//! Where models and downloads live on disk, and what is installed.

use super::manifest::Manifest;
use std::path::PathBuf;

pub const DEFAULT_MODEL: &str = "tiny.en";

/// Directory of installed ggml models (`MOCKINT_MODELS_DIR` overrides).
pub fn models_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("MOCKINT_MODELS_DIR") {
        return PathBuf::from(d);
    }
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("mockint")
        .join("models")
}

/// Download cache (`MOCKINT_CACHE_DIR` overrides).
pub fn cache_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("MOCKINT_CACHE_DIR") {
        return PathBuf::from(d);
    }
    dirs::cache_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("mockint")
}

/// The model file mockint uses when none is given: `MOCKINT_MODEL`, else the
/// default model in the models directory.
pub fn default_model_path() -> PathBuf {
    if let Some(p) = std::env::var_os("MOCKINT_MODEL") {
        return PathBuf::from(p);
    }
    let file = Manifest::builtin()
        .get(DEFAULT_MODEL)
        .map(|m| m.file.clone())
        .unwrap_or_else(|_| "ggml-tiny.en.bin".into());
    models_dir().join(file)
}

/// The Silero VAD model `scripts/fetch-silero-vad.sh` installs
/// (`MOCKINT_SILERO_MODEL` overrides).
pub fn silero_model_path() -> PathBuf {
    if let Some(p) = std::env::var_os("MOCKINT_SILERO_MODEL") {
        return PathBuf::from(p);
    }
    models_dir().join("ggml-silero-v6.2.3.bin")
}

/// The Piper voice `scripts/fetch-piper-voice.sh` installs (the default
/// interviewer voice; `MOCKINT_PIPER_MODEL` overrides). Its description is
/// beside it, with `.json` appended.
pub fn piper_model_path() -> PathBuf {
    if let Some(p) = std::env::var_os("MOCKINT_PIPER_MODEL") {
        return PathBuf::from(p);
    }
    models_dir().join("en_US-joe-medium.onnx")
}

/// The `.onnx.json` beside [`piper_model_path`].
pub fn piper_config_path() -> PathBuf {
    let mut p = piper_model_path().into_os_string();
    p.push(".json");
    PathBuf::from(p)
}

/// One file in the models directory, as `mockint models list` shows it.
#[derive(Debug, serde::Serialize)]
pub struct Installed {
    pub name: String,
    pub path: PathBuf,
    pub bytes: u64,
    /// `Some(true)` verified, `Some(false)` mismatch, `None` not in the manifest.
    pub checksum_ok: Option<bool>,
}

pub fn list_installed() -> std::io::Result<Vec<Installed>> {
    let dir = models_dir();
    let manifest = Manifest::builtin();
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        let file = entry.file_name().to_string_lossy().to_string();
        if !file.ends_with(".bin") {
            continue;
        }
        let bytes = entry.metadata()?.len();
        let known = manifest.by_file(&file);
        let checksum_ok = match known {
            Some(m) => Some(m.accepts(&super::sha256_file(&path)?)),
            None => None,
        };
        out.push(Installed {
            name: known.map(|m| m.name.clone()).unwrap_or(file),
            path,
            bytes,
            checksum_ok,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}
