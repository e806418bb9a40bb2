//! Speaking the interviewer's lines: the [`Speaker`] seam and [`open`], the
//! one place a speaker is made. The default voice is Piper (neural, local:
//! [`piper`]); speech-dispatcher (`--voice system`, [`dispatcher`]) is the
//! fallback when the Piper voice is not installed, and [`Silent`] serves
//! `--no-tts` or a machine with no speech at all.
//!
//! In: text. Out: audio on the output device (or nothing: the driver prints
//! every line anyway).

pub mod dispatcher;
pub mod espeak;
pub mod output;
pub mod phonemes;
pub mod piper;
pub mod piper_model;
pub mod say_as;
pub mod text;

pub use dispatcher::Dispatcher;
pub use piper::{Piper, PiperOptions};

use std::time::Instant;

#[derive(Debug, thiserror::Error)]
pub enum TtsError {
    #[error("speech-dispatcher is not available ({0}); replies are printed instead (install speech-dispatcher, or pass --no-tts)")]
    Unavailable(String),
    #[error("speech failed: {0}")]
    Speak(String),
    /// No device to play on: no speech service could be heard either.
    #[error("{0}")]
    NoOutput(String),
}

pub trait Speaker {
    /// Starts speaking `text`; returns at once.
    fn say(&mut self, text: &str) -> Result<(), TtsError>;
    /// Whether audio is still playing.
    fn is_speaking(&self) -> bool;
    /// Stops speaking now (barge-in).
    fn stop(&mut self);
    /// When the audio of the last utterance began, if the speaker reports it.
    fn first_audio(&self) -> Option<Instant> {
        None
    }
}

/// `--no-tts`: the driver prints every line anyway, so this only keeps time.
pub struct Silent;

impl Speaker for Silent {
    fn say(&mut self, _text: &str) -> Result<(), TtsError> {
        Ok(())
    }
    fn is_speaking(&self) -> bool {
        false
    }
    fn stop(&mut self) {}
}

/// What the user asked for: `--no-tts`, `--tts-rate`, `--voice`,
/// `--output-device`.
#[derive(Debug, Clone, Default)]
pub struct VoiceSettings {
    pub no_tts: bool,
    pub rate: f32,
    /// `piper` (or none): the Piper voice; `system`: speech-dispatcher's
    /// default voice; any other name: that speech-dispatcher voice.
    pub voice: Option<String>,
    pub output_device: Option<String>,
}

/// Which voice the settings pick, before anything is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    None,
    Piper,
    /// speech-dispatcher, with this voice name (None: its default).
    System(Option<String>),
}

impl VoiceSettings {
    pub fn choice(&self) -> Choice {
        if self.no_tts {
            return Choice::None;
        }
        match self.voice.as_deref().map(str::trim) {
            None | Some("") | Some("piper") => Choice::Piper,
            Some("system") => Choice::System(None),
            Some(name) => Choice::System(Some(name.to_string())),
        }
    }
}

impl VoiceSettings {
    /// Which voice will speak, without opening anything (Piper when chosen
    /// and installed; whether it loads is [`open`]'s business).
    pub fn planned(&self) -> String {
        match self.choice() {
            Choice::None => "text".into(),
            Choice::Piper => {
                let o = PiperOptions::installed(1.0, None);
                if piper::installed(&o.model, &o.config) {
                    "Piper".into()
                } else {
                    "speech-dispatcher (Piper voice not installed)".into()
                }
            }
            Choice::System(_) => "speech-dispatcher".into(),
        }
    }
}

/// A speaker, and the one-line warning to show when it is not the one asked for.
pub struct Opened {
    pub speaker: Box<dyn Speaker>,
    pub warning: Option<String>,
    /// Which voice speaks, for the user (`mockint doctor`, logs).
    pub describe: String,
}

/// Makes the speaker the settings ask for, falling back from Piper to
/// speech-dispatcher (when the voice is not installed or will not load) and
/// from speech-dispatcher to silence, with a warning each time.
pub fn open(settings: &VoiceSettings) -> Opened {
    let rate = if settings.rate.is_finite() && settings.rate > 0.0 {
        settings.rate
    } else {
        1.0
    };
    let (name, warning) = match settings.choice() {
        Choice::None => {
            return Opened {
                speaker: Box::new(Silent),
                warning: None,
                describe: "none (--no-tts)".into(),
            }
        }
        Choice::System(name) => (name, None),
        Choice::Piper => {
            let opts = PiperOptions::installed(rate, settings.output_device.clone());
            let why = if !piper::installed(&opts.model, &opts.config) {
                format!(
                    "the Piper voice is not installed ({}); speaking with speech-dispatcher (run scripts/fetch-piper-voice.sh)",
                    opts.model.display()
                )
            } else {
                match Piper::open(&opts) {
                    Ok(p) => {
                        return Opened {
                            speaker: Box::new(p),
                            warning: None,
                            describe: format!("Piper en_US-joe-medium ({})", opts.model.display()),
                        }
                    }
                    // Nothing could be heard: speech-dispatcher would only
                    // keep each line waiting out its time. Replies are printed.
                    Err(TtsError::NoOutput(e)) => return printed(&e),
                    Err(e) => {
                        format!("the Piper voice failed ({e}); speaking with speech-dispatcher")
                    }
                }
            };
            (None, Some(why))
        }
    };
    // speech-dispatcher plays where the session would: with no output
    // there, each line would wait out its time unheard.
    if let Err(output::OutputError::Device(e)) =
        output::Output::open(settings.output_device.as_deref())
    {
        return printed(&e);
    }
    match Dispatcher::connect(rate, name.as_deref()) {
        Ok(d) => Opened {
            speaker: Box::new(d),
            warning,
            describe: format!(
                "speech-dispatcher ({})",
                name.as_deref().unwrap_or("its default voice")
            ),
        },
        Err(e) => Opened {
            speaker: Box::new(Silent),
            warning: Some(match warning {
                Some(w) => format!("{w}; but {e}"),
                None => e.to_string(),
            }),
            describe: "none (replies are printed)".into(),
        },
    }
}

/// No audio output to speak on: replies are printed, with one warning.
fn printed(why: &str) -> Opened {
    Opened {
        speaker: Box::new(Silent),
        warning: Some(format!(
            "no audio output to speak on ({why}); replies are printed — connect a speaker or start PulseAudio (pulseaudio --start), or pass --no-tts"
        )),
        describe: "none (no audio output; replies are printed)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_voice(v: Option<&str>) -> VoiceSettings {
        VoiceSettings {
            rate: 1.0,
            voice: v.map(str::to_string),
            ..Default::default()
        }
    }

    #[test]
    fn piper_is_the_default_and_system_names_speech_dispatcher() {
        assert_eq!(with_voice(None).choice(), Choice::Piper);
        assert_eq!(with_voice(Some("piper")).choice(), Choice::Piper);
        assert_eq!(with_voice(Some("system")).choice(), Choice::System(None));
        assert_eq!(
            with_voice(Some("english-us")).choice(),
            Choice::System(Some("english-us".into()))
        );
        let mut s = with_voice(Some("piper"));
        s.no_tts = true;
        assert_eq!(s.choice(), Choice::None);
    }
}
