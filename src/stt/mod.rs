//! Speech to text: 16 kHz mono audio in, timed text segments out.
//!
//! [`Transcriber`] is the seam the rest of the pipeline uses; the product's
//! implementation is [`whisper::WhisperTranscriber`] (whisper.cpp through
//! whisper-rs, running locally). [`wer`] scores a transcript against a reference.

pub mod bias;
pub mod hygiene;
pub mod overrun;
pub mod stitch;
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

/// How whisper.cpp searches for the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Decoding {
    /// One candidate per step (whisper.cpp's `best_of` 1): the fastest.
    #[default]
    Greedy,
    /// Beam search keeping `beam_size` candidates.
    BeamSearch { beam_size: u32 },
}

impl std::str::FromStr for Decoding {
    type Err = String;

    /// `greedy`, `beam` (5 beams) or `beamN`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "greedy" => Ok(Decoding::Greedy),
            "beam" => Ok(Decoding::BeamSearch { beam_size: 5 }),
            _ => match s.strip_prefix("beam").and_then(|n| n.parse::<u32>().ok()) {
                Some(n) if (2..=16).contains(&n) => Ok(Decoding::BeamSearch { beam_size: n }),
                _ => Err(format!("{s:?}: use greedy, beam, or beam2..beam16")),
            },
        }
    }
}

impl std::fmt::Display for Decoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Decoding::Greedy => f.write_str("greedy"),
            Decoding::BeamSearch { beam_size } => write!(f, "beam{beam_size}"),
        }
    }
}

/// What sessions decode with. Measured with `eval stt` on the spoken DevOps
/// set: beam search with the vocabulary prompt gives the lowest WER and the
/// best jargon recall (README, "Jargon"); its extra time is hidden because
/// chunks are transcribed while the candidate speaks. Greedy (the default
/// of [`TranscribeOptions`]) stays for one-shot transcription, where latency
/// shows.
pub const SESSION_DECODING: Decoding = Decoding::BeamSearch { beam_size: 5 };

/// Per-call decoding options.
#[derive(Debug, Clone)]
pub struct TranscribeOptions {
    /// Initial prompt: vocabulary that steers spelling.
    pub prompt: Option<String>,
    pub decoding: Decoding,
    pub audio_ctx: AudioCtx,
    pub threads: usize,
    /// `None` lets a multilingual model detect the language.
    pub language: Option<String>,
    /// Words expected right now, favoured while decoding ([`bias`]).
    pub bias: Option<std::sync::Arc<bias::BiasContext>>,
    /// Set to give up a decode in progress (a stopping session).
    pub abort: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

impl Default for TranscribeOptions {
    fn default() -> Self {
        TranscribeOptions {
            prompt: None,
            decoding: Decoding::Greedy,
            audio_ctx: AudioCtx::Auto,
            threads: default_threads(),
            language: Some("en".into()),
            bias: None,
            abort: None,
        }
    }
}

/// Whisper's threads: `$MOCKINT_WHISPER_THREADS`, else every core.
/// whisper.cpp's threads spin at barriers, so on a machine whose cores are
/// busy with other work fewer threads can be much faster.
pub fn default_threads() -> usize {
    std::env::var("MOCKINT_WHISPER_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
        })
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
