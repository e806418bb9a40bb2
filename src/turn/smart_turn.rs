//! Pipecat's Smart Turn v3.2 (BSD-2-Clause): an audio-only end-of-turn model
//! (Whisper-tiny-sized encoder, int8) run through ONNX Runtime with one
//! intra-op thread (two were slower on this 2-core machine). Installed from
//! the PyPI wheel `pipecat-ai` by `scripts/fetch-smart-turn.sh`.

use super::features::{LogMel, N_FRAMES, N_MELS};
use super::{TurnDetector, TurnError};
use crate::doctor::Check;
use std::path::{Path, PathBuf};

/// The model file `scripts/fetch-smart-turn.sh` installs.
pub const MODEL_FILE: &str = "smart-turn-v3.2-cpu.onnx";

/// Where the model is looked for: `MOCKINT_SMART_TURN_MODEL`, else the
/// models directory.
pub fn model_path() -> PathBuf {
    if let Some(p) = std::env::var_os("MOCKINT_SMART_TURN_MODEL") {
        return PathBuf::from(p);
    }
    crate::models::store::models_dir().join(MODEL_FILE)
}

pub struct SmartTurn {
    session: ort::session::Session,
    mel: LogMel,
    name: String,
}

impl SmartTurn {
    /// Loads the model (about 150 ms); fails in one line when the model or
    /// ONNX Runtime is missing.
    pub fn open(model: &Path) -> Result<SmartTurn, TurnError> {
        if !model.is_file() {
            return Err(TurnError::MissingModel {
                path: model.display().to_string(),
            });
        }
        let session = crate::onnx::session(model, 1)?;
        Ok(SmartTurn {
            session,
            mel: LogMel::new(),
            name: model.display().to_string(),
        })
    }
}

impl TurnDetector for SmartTurn {
    fn completion(&mut self, audio: &[f32]) -> Result<f32, TurnError> {
        let features = self.mel.compute(audio);
        let fail = |e: ort::Error| TurnError::Run(e.to_string());
        let input =
            ort::value::Tensor::from_array(([1usize, N_MELS, N_FRAMES], features)).map_err(fail)?;
        let outputs = self
            .session
            .run(ort::inputs!["input_features" => input])
            .map_err(fail)?;
        let (_, probs) = outputs["logits"]
            .try_extract_tensor::<f32>()
            .map_err(fail)?;
        probs
            .first()
            .copied()
            .ok_or_else(|| TurnError::Run(format!("{}: empty output", self.name)))
    }
}

/// `mockint doctor`'s line for the end-of-turn model.
pub fn check(model: &Path) -> Check {
    let (ok, detail) = match SmartTurn::open(model) {
        Ok(_) => (true, format!("Smart Turn v3.2 ({})", model.display())),
        Err(e) => (
            false,
            format!("{e}; until then turns end on silence alone (4.5 s or more)"),
        ),
    };
    Check {
        name: "End of turn",
        ok,
        detail,
        required: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_model_names_the_script() {
        let e = SmartTurn::open(Path::new("/nonexistent/smart-turn.onnx"))
            .err()
            .unwrap();
        let msg = e.to_string();
        assert!(msg.contains("/nonexistent/smart-turn.onnx"), "{msg}");
        assert!(msg.contains("scripts/fetch-smart-turn.sh"), "{msg}");
    }

    fn espeak(dir: &Path, name: &str, text: &str) -> Vec<f32> {
        let wav = dir.join(format!("{name}.wav"));
        let ok = std::process::Command::new("espeak-ng")
            .args(["-v", "en-us", "-w"])
            .arg(&wav)
            .arg(text)
            .status()
            .expect("espeak-ng (run scripts/setup.sh)");
        assert!(ok.success());
        crate::audio::load_wav(&wav).unwrap().samples
    }

    /// The installed model on real (synthetic) speech: Python's ONNX Runtime
    /// with the wheel's feature extractor gives 0.625 and 0.0075 for these
    /// sentences (resampled by sox; mockint resamples with rubato).
    #[test]
    fn the_installed_model_tells_a_finished_sentence_from_a_cut_one() {
        let mut m = SmartTurn::open(&model_path())
            .expect("run scripts/fetch-onnxruntime.sh and scripts/fetch-smart-turn.sh");
        let dir = tempfile::tempdir().unwrap();
        let done = espeak(
            dir.path(),
            "done",
            "I would use a deployment with three replicas behind a service.",
        );
        let cut = espeak(
            dir.path(),
            "cut",
            "I would use a deployment with three replicas and then the",
        );
        let (p_done, p_cut) = (m.completion(&done).unwrap(), m.completion(&cut).unwrap());
        assert!((p_done - 0.625).abs() < 0.1, "finished: {p_done}");
        assert!(p_cut < 0.05, "cut off: {p_cut}");
        assert!(check(&model_path()).ok);
    }
}
