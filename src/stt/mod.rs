//! Speech to text: 16 kHz mono audio in, timed text segments out.
//!
//! [`Transcriber`] is the seam the rest of the pipeline uses; the product's
//! implementation is [`whisper::WhisperTranscriber`] (whisper.cpp through
//! whisper-rs, running locally). [`wer`] scores a transcript against a reference.

pub mod wer;
pub mod whisper;
pub mod worker;

use serde::Serialize;

/// One decoded segment.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Segment {
    pub start_ms: i64,
    pub end_ms: i64,
    pub text: String,
    /// Mean probability of the segment's text tokens.
    pub mean_token_prob: f32,
    /// Whisper's probability that the segment holds no speech.
    pub no_speech_prob: f32,
}

/// The segments of one transcription.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Transcript {
    pub segments: Vec<Segment>,
}

impl Transcript {
    /// The segments' text joined with single spaces.
    pub fn text(&self) -> String {
        self.segments
            .iter()
            .map(|s| s.text.trim())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// How much of Whisper's 30-s encoder window to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioCtx {
    /// Sized from the clip length (much faster on short clips).
    Auto,
    /// The model's full window (1500 frames).
    Full,
    Frames(u32),
}

/// Per-call decoding options.
#[derive(Debug, Clone)]
pub struct TranscribeOptions {
    /// Initial prompt: vocabulary that steers spelling.
    pub prompt: Option<String>,
    pub audio_ctx: AudioCtx,
    pub threads: usize,
    /// `None` lets a multilingual model detect the language.
    pub language: Option<String>,
}

impl Default for TranscribeOptions {
    fn default() -> Self {
        TranscribeOptions {
            prompt: None,
            audio_ctx: AudioCtx::Auto,
            threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            language: Some("en".into()),
        }
    }
}

/// Errors of the speech-to-text stage.
#[derive(Debug, thiserror::Error)]
pub enum SttError {
    #[error(transparent)]
    Model(#[from] crate::models::ModelError),
    #[error("{path}: whisper.cpp could not load the model ({why}); re-install it with `mockint models install tiny.en`")]
    Load {
        path: std::path::PathBuf,
        why: String,
    },
    #[error("transcription failed: {0}")]
    Decode(String),
}

/// Anything that turns 16 kHz mono audio into text.
pub trait Transcriber {
    fn transcribe(
        &mut self,
        samples: &[f32],
        opts: &TranscribeOptions,
    ) -> Result<Transcript, SttError>;
}
