//! Honest warnings about keeping up: when Whisper falls behind the
//! candidate's speech (said while it happens, with how far behind and a fix
//! that exists here), and when the machine falls behind the microphone
//! (audio lost: said at once, never silently).

/// Seconds of speech waiting for Whisper before the candidate is told.
const BEHIND_S: f64 = 8.0;

pub(super) struct Pace {
    model: String,
    submitted_s: f64,
    done_s: f64,
    warned_behind: bool,
    overruns: u64,
}

impl Pace {
    pub fn new(model: &str) -> Pace {
        Pace {
            model: model.to_string(),
            submitted_s: 0.0,
            done_s: 0.0,
            warned_behind: false,
            overruns: 0,
        }
    }

    /// A chunk of `audio_s` seconds went to Whisper.
    pub fn submitted(&mut self, audio_s: f64) {
        self.submitted_s += audio_s;
    }

    /// A chunk came back; a warning when Whisper is now far behind.
    pub fn done(&mut self, audio_s: f64, elapsed_ms: u64) -> Option<String> {
        self.done_s += audio_s;
        let behind = self.submitted_s - self.done_s;
        if self.warned_behind || behind < BEHIND_S {
            return None;
        }
        self.warned_behind = true;
        let speed = audio_s / (elapsed_ms.max(1) as f64 / 1000.0);
        Some(format!(
            "transcription is {behind:.0} s behind your speech (Whisper {} runs at {speed:.1}× real time here); nothing is lost — it catches up when you pause. {}",
            self.model,
            self.fix()
        ))
    }

    /// A fix that exists on this machine.
    fn fix(&self) -> String {
        let default = crate::models::store::default_model_path();
        let default_name = default
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if default.is_file()
            && !default_name.contains(self.model.as_str())
            && !self.model.contains("tiny")
        {
            format!(
                "For a faster model, start without --model (the installed {} is smaller).",
                default.display()
            )
        } else {
            "To keep up, close other busy programs; this is already the smallest model.".into()
        }
    }

    /// The capture's overrun count (device samples); a warning the first
    /// moment audio is lost — once: the session's end gives the total.
    pub fn check_overruns(&mut self, overruns: u64) -> Option<String> {
        let first = self.overruns == 0 && overruns > 0;
        self.overruns = overruns;
        first.then(|| {
            format!(
                "the machine fell behind the microphone and {overruns} input samples were lost; close other busy programs (the total is reported at the end)"
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Pace;

    #[test]
    fn falling_behind_is_said_once_with_how_far() {
        let mut p = Pace::new("tiny.en");
        p.submitted(6.0);
        assert_eq!(p.done(3.0, 1_000), None, "3 s behind is not worth a word");
        p.submitted(20.0);
        let w = p.done(2.0, 4_000).expect("warned");
        assert!(w.contains("21 s behind"), "{w}");
        assert!(w.contains("smallest model"), "{w}");
        p.submitted(30.0);
        assert_eq!(p.done(1.0, 100), None, "once");
    }

    #[test]
    fn lost_audio_is_said_when_it_happens() {
        let mut p = Pace::new("tiny.en");
        assert_eq!(p.check_overruns(0), None);
        let w = p.check_overruns(8_000).expect("warned");
        assert!(w.contains("8000 input samples"), "{w}");
        assert_eq!(p.check_overruns(8_000), None);
        assert_eq!(p.check_overruns(16_000), None, "said once, not per frame");
    }
}
