//! Speaking the interviewer's lines: the [`Speaker`] seam, with
//! speech-dispatcher (through the `tts` crate) in the product and a printer
//! for `--no-tts` or when no speech service is available.
//!
//! In: text. Out: audio on the default output device (or text on stdout).

use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum TtsError {
    #[error("speech-dispatcher is not available ({0}); replies are printed instead (install speech-dispatcher, or pass --no-tts)")]
    Unavailable(String),
    #[error("speech failed: {0}")]
    Speak(String),
}

pub trait Speaker {
    /// Starts speaking `text`; returns at once.
    fn say(&mut self, text: &str) -> Result<(), TtsError>;
    /// Whether audio is still playing.
    fn is_speaking(&self) -> bool;
    /// Stops speaking now (barge-in).
    fn stop(&mut self);
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

/// speech-dispatcher through the `tts` crate.
pub struct Dispatcher {
    tts: tts::Tts,
    /// speech-dispatcher reports "speaking" only once audio starts; until then
    /// treat a just-queued utterance as speaking.
    queued_at: Option<Instant>,
}

impl Dispatcher {
    /// Connects to speech-dispatcher (starting it if needed) with a rate in
    /// words per minute-ish units of the `tts` crate's normal rate × `rate`.
    pub fn connect(rate: f32, voice: Option<&str>) -> Result<Dispatcher, TtsError> {
        let mut tts = tts::Tts::new(tts::Backends::SpeechDispatcher)
            .map_err(|e| TtsError::Unavailable(e.to_string()))?;
        let normal = tts.normal_rate();
        let _ = tts.set_rate((normal * rate).clamp(tts.min_rate(), tts.max_rate()));
        if let Some(name) = voice {
            if let Ok(voices) = tts.voices() {
                if let Some(v) = voices
                    .into_iter()
                    .find(|v| v.name() == name || v.id() == name)
                {
                    let _ = tts.set_voice(&v);
                }
            }
        }
        Ok(Dispatcher {
            tts,
            queued_at: None,
        })
    }
}

impl Speaker for Dispatcher {
    fn say(&mut self, text: &str) -> Result<(), TtsError> {
        self.tts
            .speak(text, false)
            .map_err(|e| TtsError::Speak(e.to_string()))?;
        self.queued_at = Some(Instant::now());
        Ok(())
    }

    fn is_speaking(&self) -> bool {
        let speaking = self.tts.is_speaking().unwrap_or(false);
        speaking
            || self
                .queued_at
                .is_some_and(|t| t.elapsed() < Duration::from_millis(400))
    }

    fn stop(&mut self) {
        let _ = self.tts.stop();
        self.queued_at = None;
    }
}
