//! Audio in: WAV files (and, with the voice loop, the microphone) turned into
//! what Whisper wants — 16 kHz mono `f32` samples in [-1, 1].
//!
//! In: a WAV path (any rate, channel count, int or float samples).
//! Out: [`Clip`], 16 kHz mono.

pub mod backend_log;
pub mod capture;
pub mod playback;
pub mod resample;
pub mod source;
pub mod wav;

pub use wav::{load_wav, Clip};

/// Whisper's sample rate.
pub const WHISPER_RATE: u32 = 16_000;

/// What can go wrong reading audio.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("{path}: file not found")]
    Missing { path: std::path::PathBuf },
    #[error("{path}: not a WAV file ({why}); convert it with `sox IN -r 16000 -c 1 OUT.wav`")]
    NotWav {
        path: std::path::PathBuf,
        why: String,
    },
    #[error("{path}: truncated WAV ({why}); re-record or re-export the file")]
    Truncated {
        path: std::path::PathBuf,
        why: String,
    },
    #[error("{path}: WAV has no audio samples; record something first")]
    Empty { path: std::path::PathBuf },
    #[error("{path}: unsupported WAV sample format ({why}); use 8/16/24/32-bit integer or 32-bit float PCM")]
    Unsupported {
        path: std::path::PathBuf,
        why: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("audio device: {0}")]
    Device(String),
    #[error("resampling failed: {0}")]
    Resample(String),
}
