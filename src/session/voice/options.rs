//! What a spoken session is run with: its options (patience, prompt,
//! barge-in, grader, voice activity detector, keys) and the hook through
//! which the daemon follows and steers it.

use crate::llm::LlmGrader;
use crate::session::{SessionError, VadChoice};
use crate::transcript::StepKind;
use crate::vad::{SileroVad, VoiceDetector, WebRtcVad};

pub struct VoiceOptions {
    pub patience: f64,
    /// Whisper initial prompt: the round's vocabulary.
    pub prompt: Option<String>,
    /// Stop speaking when the candidate talks over the interviewer.
    pub barge_in: bool,
    /// A driver outside the terminal (the daemon); none in-process.
    pub hook: Option<Box<dyn VoiceHook>>,
    /// The LLM grader, when one is configured; the offline scorer otherwise.
    pub llm: Option<LlmGrader>,
    pub vad: VadKind,
    /// Read Enter/space from the terminal (in-process sessions).
    pub keys: bool,
}

/// Which voice activity detector listens.
#[derive(Debug, Clone, PartialEq)]
pub enum VadKind {
    /// Silero, with its model file.
    Silero(std::path::PathBuf),
    WebRtc,
}

impl VadKind {
    /// The detector asked for, checked: an explicit `silero` needs its model.
    pub fn resolve(choice: VadChoice) -> Result<VadKind, SessionError> {
        let model = crate::models::store::silero_model_path();
        match choice {
            VadChoice::Webrtc => Ok(VadKind::WebRtc),
            VadChoice::Auto if !model.is_file() => Ok(VadKind::WebRtc),
            VadChoice::Silero if !model.is_file() => Err(SessionError::Usage(
                crate::vad::SileroError {
                    path: model.display().to_string(),
                }
                .to_string(),
            )),
            _ => Ok(VadKind::Silero(model)),
        }
    }

    /// The detector; Silero falls back to WebRTC (with a warning) when its
    /// model does not load.
    pub(super) fn open(&self, warn: &mut dyn FnMut(String)) -> Box<dyn VoiceDetector> {
        match self {
            VadKind::WebRtc => Box::new(WebRtcVad::default()),
            VadKind::Silero(path) => match SileroVad::open(path) {
                Ok(v) => Box::new(v),
                Err(e) => {
                    warn(format!("{e}; listening with WebRTC's VAD instead"));
                    Box::new(WebRtcVad::default())
                }
            },
        }
    }
}

/// Lets the daemon follow and steer a spoken session: called between audio
/// frames with the record, it may return a step to take (a control command,
/// or an interrupt, which ends the session as Ctrl-C does in-process).
pub trait VoiceHook: Send {
    fn poll(&mut self, record: &crate::transcript::SessionRecord) -> Option<StepKind>;
}
