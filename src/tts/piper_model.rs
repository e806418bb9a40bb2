//! The Piper VITS voice on ONNX Runtime: phoneme ids in, 22,050-Hz audio out.
//!
//! In: a chunk of IPA phonemes (see [`super::phonemes`]) and a length scale.
//! Out: mono `f32` samples at the voice's rate.

use super::phonemes::{ConfigError, VoiceConfig};
use ort::session::Session;
use ort::value::Tensor;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("{path}: cannot load the Piper voice ({reason}); run scripts/fetch-piper-voice.sh, or use --voice system")]
    Load { path: String, reason: String },
    #[error("Piper synthesis failed: {0}")]
    Run(String),
}

pub struct PiperModel {
    session: Session,
    pub config: VoiceConfig,
}

impl PiperModel {
    /// Loads the voice (`model` and its `.onnx.json`) with `threads`
    /// intra-op threads.
    pub fn load(model: &Path, config: &Path, threads: usize) -> Result<PiperModel, ModelError> {
        let config = VoiceConfig::load(config)?;
        let load_err = |e: &dyn std::fmt::Display| ModelError::Load {
            path: model.display().to_string(),
            reason: e.to_string(),
        };
        if !model.is_file() {
            return Err(load_err(&"file not found"));
        }
        let session = crate::onnx::session(model, threads).map_err(|e| load_err(&e))?;
        Ok(PiperModel { session, config })
    }

    /// Synthesises one chunk; `length_scale` > 1 speaks slower.
    pub fn synthesize(
        &mut self,
        phonemes: &str,
        length_scale: f32,
    ) -> Result<Vec<f32>, ModelError> {
        let ids = self.config.ids(phonemes);
        let n = ids.len();
        let run = |e: ort::Error| ModelError::Run(e.to_string());
        let input = Tensor::from_array(([1usize, n], ids)).map_err(run)?;
        let lengths = Tensor::from_array(([1usize], vec![n as i64])).map_err(run)?;
        let c = &self.config;
        let scales = Tensor::from_array(([3usize], vec![c.noise_scale, length_scale, c.noise_w]))
            .map_err(run)?;
        let outputs = self
            .session
            .run(ort::inputs![
                "input" => input,
                "input_lengths" => lengths,
                "scales" => scales,
            ])
            .map_err(run)?;
        let (_, audio) = outputs[0].try_extract_tensor::<f32>().map_err(run)?;
        Ok(audio.iter().map(|s| s.clamp(-1.0, 1.0)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::store::{piper_config_path, piper_model_path};
    use std::time::Instant;

    #[test]
    fn the_installed_voice_speaks_and_the_length_scale_stretches_it() {
        let mut m = PiperModel::load(&piper_model_path(), &piper_config_path(), 1)
            .expect("run scripts/setup.sh (fetch-piper-voice.sh, fetch-onnxruntime.sh)");
        let ipa = "ɹˈeɪɾɪŋ θɹˈiː ʌv fˈɔːɹ, pɹəfˈɪʃənt.";
        let _ = m.synthesize(ipa, 1.0).unwrap();
        let t0 = Instant::now();
        let normal = m.synthesize(ipa, 1.0).unwrap();
        let took = t0.elapsed();
        let slow = m.synthesize(ipa, 1.5).unwrap();
        let fast = m.synthesize(ipa, 0.5).unwrap();
        let secs = normal.len() as f64 / m.config.sample_rate as f64;
        eprintln!(
            "{:.2} s of speech in {} ms (real-time factor {:.2})",
            secs,
            took.as_millis(),
            took.as_secs_f64() / secs
        );
        assert!((1.0..4.0).contains(&secs), "{secs} s");
        let rms = (normal.iter().map(|s| s * s).sum::<f32>() / normal.len() as f32).sqrt();
        assert!(rms > 0.02, "audible speech: rms {rms}");
        // Durations are rounded up to whole frames, so short phrases stretch
        // a little less than the scale.
        let ratio = slow.len() as f64 / normal.len() as f64;
        assert!(
            (1.2..1.7).contains(&ratio),
            "length scale 1.5 → {ratio:.2}× longer"
        );
        let ratio = fast.len() as f64 / normal.len() as f64;
        assert!(
            (0.4..0.8).contains(&ratio),
            "length scale 0.5 → {ratio:.2}× as long"
        );
    }

    #[test]
    fn a_missing_voice_names_the_script() {
        let e = PiperModel::load(
            std::path::Path::new("/nonexistent/v.onnx"),
            &piper_config_path(),
            1,
        )
        .err()
        .unwrap()
        .to_string();
        assert!(
            e.contains("/nonexistent/v.onnx") && e.contains("fetch-piper-voice.sh"),
            "{e}"
        );
    }
}
