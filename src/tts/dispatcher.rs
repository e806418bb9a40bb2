//! speech-dispatcher through the `tts` crate (`--voice system`, and the
//! fallback when the Piper voice is not installed).

use super::{Speaker, TtsError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// speech-dispatcher through the `tts` crate.
pub struct Dispatcher {
    tts: tts::Tts,
    /// speech-dispatcher reports "speaking" only once audio starts; until then
    /// treat a just-queued utterance as speaking.
    queued_at: Option<Instant>,
    /// Set by speech-dispatcher's "begin" event: the utterance's audio started.
    began: Arc<Mutex<Option<Instant>>>,
}

impl Dispatcher {
    /// Connects to speech-dispatcher (starting it if needed) with a rate in
    /// words per minute-ish units of the `tts` crate's normal rate × `rate`.
    pub fn connect(rate: f32, voice: Option<&str>) -> Result<Dispatcher, TtsError> {
        spawn_detached();
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
        let began: Arc<Mutex<Option<Instant>>> = Arc::default();
        let mark = began.clone();
        // Best effort: without the callback, first audio is simply not reported.
        let _ = tts.on_utterance_begin(Some(Box::new(move |_| {
            mark.lock()
                .unwrap_or_else(|p| p.into_inner())
                .get_or_insert_with(Instant::now);
        })));
        Ok(Dispatcher {
            tts,
            queued_at: None,
            began,
        })
    }
}

/// Starts speech-dispatcher (unless it runs already) in a session of its
/// own, as libspeechd's autospawn would but detached: a Ctrl-C meant for
/// mockint never reaches it or its output modules, so speech that was cut
/// is not left hanging. Best effort: without it, autospawn still works.
fn spawn_detached() {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new("speech-dispatcher");
    cmd.arg("--spawn")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // SAFETY: setsid is async-signal-safe; nothing else runs in the child.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    if let Err(e) = cmd.status() {
        tracing::debug!("speech-dispatcher --spawn: {e}");
    }
}

impl Speaker for Dispatcher {
    fn say(&mut self, text: &str) -> Result<(), TtsError> {
        *self.began.lock().unwrap_or_else(|p| p.into_inner()) = None;
        self.tts
            .speak(super::text::speakable(text), false)
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

    fn first_audio(&self) -> Option<Instant> {
        *self.began.lock().unwrap_or_else(|p| p.into_inner())
    }
}
