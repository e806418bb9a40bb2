//! `mockint doctor`: one line per check, ✓ or ✗ with the fix.
//!
//! In: the machine (model file, audio devices, speech stack). Out: a report
//! and an exit status that is non-zero when a required part is missing.

use crate::audio::capture::{describe_config_error, MIC_FIX};
use crate::models::ggml::inspect;
use crate::models::manifest::Manifest;
use crate::models::sha256_file;
use crate::models::store::default_model_path;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// The outcome of one check.
#[derive(Debug)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
    /// Only required checks make `doctor` fail.
    pub required: bool,
}

pub fn check_model(path: &Path) -> Check {
    let name = "Whisper model";
    let (ok, detail) = match inspect(path) {
        Err(e) => (false, e.to_string()),
        Ok(info) => {
            let file = path
                .file_name()
                .and_then(|f| f.to_str())
                .unwrap_or_default();
            match Manifest::builtin().by_file(file) {
                Some(entry) => match sha256_file(path) {
                    Ok(h) if entry.accepts(&h) => (
                        true,
                        format!("{} ({}, checksum ok)", path.display(), entry.name),
                    ),
                    Ok(_) => (
                        false,
                        format!(
                            "{}: checksum mismatch; run `mockint models install {}`",
                            path.display(),
                            entry.name
                        ),
                    ),
                    Err(e) => (false, format!("{}: {e}", path.display())),
                },
                None => (
                    true,
                    format!(
                        "{} ({} tensors, not in the manifest)",
                        path.display(),
                        info.n_tensors
                    ),
                ),
            }
        }
    };
    Check {
        name,
        ok,
        detail,
        required: true,
    }
}

/// Runs `f` on a thread, giving up after `limit` (audio and speech back ends can hang).
fn with_timeout<T: Send + 'static>(
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit).ok()
}

fn check_audio(input: bool) -> Check {
    use cpal::traits::{DeviceTrait, HostTrait};
    let probe = move || {
        let host = crate::audio::backend_log::host();
        let dev = if input {
            host.default_input_device()
        } else {
            host.default_output_device()
        };
        dev.map(|d| {
            let name = d.name().unwrap_or_else(|_| "unnamed".into());
            let cfg = if input {
                d.default_input_config()
                    .map(|c| format!("{} Hz, {} ch", c.sample_rate().0, c.channels()))
            } else {
                d.default_output_config()
                    .map(|c| format!("{} Hz, {} ch", c.sample_rate().0, c.channels()))
            };
            match cfg {
                Ok(c) => Ok(format!("{name} ({c})")),
                Err(e) => Err(format!("{name}: {}", describe_config_error(&e))),
            }
        })
    };
    let (name, fix) = if input {
        ("Audio input", MIC_FIX)
    } else {
        (
            "Audio output",
            "start the sound server (`pulseaudio --start`) or connect a speaker; `--no-tts` prints replies instead",
        )
    };
    let (ok, detail) = match with_timeout(Duration::from_secs(5), probe) {
        Some(Some(Ok(d))) => (true, d),
        Some(Some(Err(e))) => (false, format!("{e}; {fix}")),
        Some(None) => (false, format!("no default device; {fix}")),
        None => (
            false,
            format!("the audio system did not answer in 5 s; {fix}"),
        ),
    };
    Check {
        name,
        ok,
        detail,
        required: false,
    }
}

fn check_program(name: &'static str, program: &str, args: &[&str], fix: &str) -> Check {
    let out = Command::new(program).args(args).output();
    let (ok, detail) = match out {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout);
            (
                true,
                text.lines().next().unwrap_or(program).trim().to_string(),
            )
        }
        Ok(o) => (false, format!("{program} exited with {}; {fix}", o.status)),
        Err(_) => (false, format!("{program} not found; {fix}")),
    };
    Check {
        name,
        ok,
        detail,
        required: true,
    }
}

/// Which voice activity detector spoken sessions will use (not required:
/// without Silero's model they listen with WebRTC's VAD).
pub fn check_vad(silero: &Path) -> Check {
    let (ok, detail) = match crate::vad::SileroVad::open(silero) {
        Ok(_) => (true, format!("Silero ({})", silero.display())),
        Err(e) => (
            false,
            format!("{e}; until then WebRTC's VAD listens (worse in noise)"),
        ),
    };
    Check {
        name: "Voice activity",
        ok,
        detail,
        required: false,
    }
}

/// Which voice will speak: the Piper voice when it is installed and loads
/// (with espeak-ng's phonemes), else speech-dispatcher (not required: the
/// fallback speaks, and `--no-tts` prints). With no audio output
/// (`output_ok` false) none speaks: a session prints its replies.
pub fn check_voice(model: &Path, config: &Path, output_ok: bool) -> Check {
    if !output_ok {
        return Check {
            name: "Interviewer voice",
            ok: false,
            detail: "no audio output to speak on: replies will be printed, not spoken".into(),
            required: false,
        };
    }
    let (ok, detail) = match crate::tts::piper_model::PiperModel::load(model, config, 1) {
        Ok(m) => match crate::tts::espeak::phonemize("Hello.", &m.config.espeak_voice) {
            Ok(_) => (
                true,
                format!("Piper will speak ({}, espeak-ng phonemes)", model.display()),
            ),
            Err(e) => (false, format!("{e}; speech-dispatcher will speak instead")),
        },
        Err(e) => (false, format!("{e}; speech-dispatcher will speak instead")),
    };
    Check {
        name: "Interviewer voice",
        ok,
        detail,
        required: false,
    }
}

pub fn checks(model: Option<&Path>) -> Vec<Check> {
    let model = model
        .map(Path::to_path_buf)
        .unwrap_or_else(default_model_path);
    let output = check_audio(false);
    let voice = check_voice(
        &crate::models::store::piper_model_path(),
        &crate::models::store::piper_config_path(),
        output.ok,
    );
    vec![
        check_model(&model),
        check_vad(&crate::models::store::silero_model_path()),
        crate::onnx::check(),
        crate::turn::smart_turn::check(&crate::turn::smart_turn::model_path()),
        check_audio(true),
        output,
        voice,
        check_program(
            "speech-dispatcher",
            "speech-dispatcher",
            &["--version"],
            "install it: apt-get install speech-dispatcher (or run scripts/setup.sh)",
        ),
        check_program(
            "espeak-ng",
            "espeak-ng",
            &["--version"],
            "install it: apt-get install espeak-ng (or run scripts/setup.sh)",
        ),
    ]
}

/// Prints the report; returns the exit status.
pub fn run(model: Option<&Path>) -> i32 {
    let all = checks(model);
    for c in &all {
        let mark = if c.ok { "✓" } else { "✗" };
        let tag = if c.required || c.ok {
            ""
        } else {
            " (needed for voice mode)"
        };
        println!("{mark} {}: {}{tag}", c.name, c.detail);
    }
    i32::from(all.iter().any(|c| c.required && !c.ok))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vad_check_names_silero_or_the_script_that_installs_it() {
        let missing = check_vad(Path::new("/nonexistent/ggml-silero.bin"));
        assert!(!missing.ok && !missing.required);
        assert!(
            missing.detail.contains("fetch-silero-vad.sh"),
            "{}",
            missing.detail
        );
        assert!(missing.detail.contains("WebRTC"), "{}", missing.detail);
        let installed = check_vad(&crate::models::store::silero_model_path());
        assert!(installed.ok, "{} (run scripts/setup.sh)", installed.detail);
        assert!(installed.detail.starts_with("Silero"));
    }

    #[test]
    fn voice_check_says_which_voice_speaks() {
        let missing = check_voice(
            Path::new("/nonexistent/v.onnx"),
            Path::new("/nonexistent/v.onnx.json"),
            true,
        );
        assert!(!missing.ok && !missing.required);
        assert!(
            missing.detail.contains("fetch-piper-voice.sh")
                && missing.detail.contains("speech-dispatcher will speak"),
            "{}",
            missing.detail
        );
        let installed = check_voice(
            &crate::models::store::piper_model_path(),
            &crate::models::store::piper_config_path(),
            true,
        );
        assert!(installed.ok, "{} (run scripts/setup.sh)", installed.detail);
        assert!(installed.detail.starts_with("Piper will speak"));
        let silent = check_voice(
            &crate::models::store::piper_model_path(),
            &crate::models::store::piper_config_path(),
            false,
        );
        assert!(
            !silent.ok && silent.detail.contains("printed"),
            "{}",
            silent.detail
        );
    }
}
