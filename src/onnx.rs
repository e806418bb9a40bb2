//! ONNX Runtime, loaded at run time for mockint's ONNX models (the end-of-turn
//! model, the Piper voice).
//!
//! The library is `libonnxruntime.so` from the PyPI wheel `onnxruntime`,
//! installed beside the other models by `scripts/fetch-onnxruntime.sh` (SHA-256
//! pinned); `MOCKINT_ONNXRUNTIME` names another copy. The `ort` crate is built
//! with `load-dynamic`, so nothing is downloaded at build time and mockint runs
//! without the library: whatever needs it reports [`OnnxError`] in one line and
//! the caller falls back (silence-only end of turn, speech-dispatcher).
//!
//! [`runtime`] loads the library and creates the one ONNX Runtime environment
//! of the process the first time it is called; later calls share it (or the
//! first failure). ONNX Runtime's own log goes to `tracing`.

use crate::doctor::Check;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The library file `scripts/fetch-onnxruntime.sh` installs.
pub const LIBRARY_FILE: &str = "libonnxruntime.so.1.31.1";
/// The script that installs it (named in every "missing" message).
pub const FETCH_SCRIPT: &str = "scripts/fetch-onnxruntime.sh";

#[derive(Debug, Clone, thiserror::Error)]
pub enum OnnxError {
    #[error("ONNX Runtime not found at {path}; run {FETCH_SCRIPT} (or set MOCKINT_ONNXRUNTIME to a libonnxruntime.so)")]
    Missing { path: String },
    #[error(
        "{path}: cannot load ONNX Runtime ({reason}); run {FETCH_SCRIPT} to install version 1.31.1"
    )]
    Load { path: String, reason: String },
    #[error("ONNX Runtime: cannot start ({0})")]
    Environment(String),
    #[error("{path}: cannot load the ONNX model ({reason}); re-run the script that installed it")]
    Model { path: String, reason: String },
    #[error("ONNX model {model}: {reason}")]
    Run { model: String, reason: String },
}

/// Where the library is looked for: `MOCKINT_ONNXRUNTIME`, else the models
/// directory.
pub fn library_path() -> PathBuf {
    if let Some(p) = std::env::var_os("MOCKINT_ONNXRUNTIME") {
        return PathBuf::from(p);
    }
    crate::models::store::models_dir().join(LIBRARY_FILE)
}

static RUNTIME: OnceLock<Result<ort::environment::Environment, OnnxError>> = OnceLock::new();

/// The process's ONNX Runtime environment, loading the library from
/// [`library_path`] on first use.
pub fn runtime() -> Result<&'static ort::environment::Environment, OnnxError> {
    RUNTIME
        .get_or_init(|| init(&library_path()))
        .as_ref()
        .map_err(Clone::clone)
}

fn init(lib: &Path) -> Result<ort::environment::Environment, OnnxError> {
    let path = lib.display().to_string();
    if !lib.is_file() {
        return Err(OnnxError::Missing { path });
    }
    let builder = ort::init_from(lib).map_err(|e| OnnxError::Load {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    let env = builder
        .with_name("mockint")
        .with_telemetry(false)
        .build()
        .map_err(|e| OnnxError::Environment(e.to_string()))?;
    tracing::debug!(library = %path, "ONNX Runtime loaded");
    Ok(env)
}

/// Opens an ONNX model for inference on the CPU with `threads` intra-op
/// threads (one is best for small models on a busy machine), all graph
/// optimisations on.
pub fn session(model: &Path, threads: usize) -> Result<ort::session::Session, OnnxError> {
    let env = runtime()?;
    let path = model.display().to_string();
    if !model.is_file() {
        return Err(OnnxError::Model {
            path,
            reason: "no such file".into(),
        });
    }
    let fail = |reason: String| OnnxError::Model {
        path: path.clone(),
        reason,
    };
    ort::session::Session::builder(env)
        .map_err(|e| fail(e.to_string()))?
        .with_intra_threads(threads.max(1))
        .map_err(|e| fail(e.to_string()))?
        .with_inter_threads(1)
        .map_err(|e| fail(e.to_string()))?
        .with_optimization_level(ort::session::builder::GraphOptimizationLevel::Level3)
        .map_err(|e| fail(e.to_string()))?
        .commit_from_file(model)
        .map_err(|e| fail(e.to_string()))
}

/// `mockint doctor`'s line: whether the library loads, and what goes without it.
pub fn check() -> Check {
    let (ok, detail) = match runtime() {
        Ok(_) => (true, format!("{} (1.31.1)", library_path().display())),
        Err(e) => (
            false,
            format!(
                "{e}; until then mockint runs without its ONNX models (turns end on silence alone)"
            ),
        ),
    };
    Check {
        name: "ONNX Runtime",
        ok,
        detail,
        required: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_library_is_one_line_naming_the_path_and_the_script() {
        let e = init(Path::new("/nonexistent/libonnxruntime.so")).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("/nonexistent/libonnxruntime.so"), "{msg}");
        assert!(msg.contains(FETCH_SCRIPT), "{msg}");
        assert!(!msg.contains('\n'));
    }

    #[test]
    fn the_installed_library_loads_once_and_opens_models() {
        // The real library, as scripts/setup.sh installs it.
        runtime().expect("run scripts/fetch-onnxruntime.sh");
        assert!(runtime().is_ok(), "the environment is shared");
        assert!(check().ok);
        let missing = session(Path::new("/nonexistent/model.onnx"), 1).unwrap_err();
        assert!(
            missing.to_string().contains("/nonexistent/model.onnx"),
            "{missing}"
        );
    }
}
