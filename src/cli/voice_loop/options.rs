//! What a spoken session is run with: its options (patience, prompt,
//! barge-in, grader, voice activity detector) and the hook through which the
//! daemon follows and steers it.

use crate::llm::LlmGrader;
use crate::transcript::StepKind;
use crate::vad::{SileroVad, VoiceDetector, WebRtcVad};

pub(crate) struct VoiceOptions {
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
    /// Let the end-of-turn model end answers (else today's silence rules).
    pub turn_model: bool,
}

/// Which voice activity detector listens.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum VadKind {
    /// Silero, with its model file.
    Silero(std::path::PathBuf),
    WebRtc,
}

impl VadKind {
    /// The detector; Silero falls back to WebRTC (with a warning) when its
    /// model does not load.
    pub(super) fn open(&self) -> Box<dyn VoiceDetector> {
        match self {
            VadKind::WebRtc => Box::new(WebRtcVad::default()),
            VadKind::Silero(path) => match SileroVad::open(path) {
                Ok(v) => Box::new(v),
                Err(e) => {
                    eprintln!("warning: {e}; listening with WebRTC's VAD instead");
                    Box::new(WebRtcVad::default())
                }
            },
        }
    }
}

/// Lets the daemon follow and steer a spoken session: called between audio
/// frames with the record, it may return a step to take (a control command,
/// or an interrupt, which ends the session as Ctrl-C does in-process).
pub(crate) trait VoiceHook: Send {
    fn poll(&mut self, record: &crate::transcript::SessionRecord) -> Option<StepKind>;
}
