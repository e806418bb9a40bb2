//! The end-of-turn stage: tells a finished answer from a thinking pause
//! within about a second of silence, so the interviewer replies like a
//! person instead of waiting out 4.5 s.
//!
//! - [`features`]: the model's log-mel input (pure).
//! - [`smart_turn`]: Pipecat's Smart Turn v3.2 through ONNX Runtime, behind
//!   [`TurnDetector`] (fakes replace it in unit tests).
//! - [`policy`]: combines the model's probability with what the endpointer
//!   knows — the transcript's last words, the answer's length against the
//!   question's, "let me think" and push-to-talk — into how much silence ends
//!   the turn (pure: silence lengths come in, decisions go out).
//! - [`stage`]: the shell a listening loop holds (opens the detector once,
//!   answers the endpointer's checks).
//! - [`worker`]: the stage on its own thread, for the spoken session.
//!
//! Without the model or ONNX Runtime, [`open_default`] says why in one line
//! and the endpointer keeps today's silence rules.

pub mod features;
pub mod policy;
pub mod smart_turn;
pub mod stage;
pub mod worker;

pub use policy::{Cue, TurnPolicy, TurnPolicyConfig};
pub use smart_turn::SmartTurn;
pub use stage::TurnStage;
pub use worker::{TurnWorker, Verdict};

#[derive(Debug, thiserror::Error)]
pub enum TurnError {
    #[error("end-of-turn model not found at {path}; run scripts/fetch-smart-turn.sh (or set MOCKINT_SMART_TURN_MODEL)")]
    MissingModel { path: String },
    #[error(transparent)]
    Onnx(#[from] crate::onnx::OnnxError),
    #[error("end-of-turn model: {0}")]
    Run(String),
}

/// Judges whether a speaker has finished from the audio of their turn.
pub trait TurnDetector: Send {
    /// The probability (0–1) that the turn is complete, given its audio so far
    /// (16 kHz mono, ending now, trailing silence included).
    fn completion(&mut self, audio: &[f32]) -> Result<f32, TurnError>;
}

/// The one place the detector is built: Smart Turn from the models
/// directory, or the reason it is unavailable.
pub fn open_default() -> Result<Box<dyn TurnDetector>, TurnError> {
    Ok(Box::new(SmartTurn::open(&smart_turn::model_path())?))
}
