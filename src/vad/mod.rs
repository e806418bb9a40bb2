//! Voice activity: is there speech in this 30-ms frame? And, from a stream
//! of such decisions, where does a turn start, where are its natural pauses,
//! and when has the candidate finished answering ([`endpoint`]).
//!
//! In: 16 kHz mono frames of [`FRAME`] samples. Out: per-frame speech
//! decisions (Silero when its model is installed, else WebRTC — chosen by
//! `cargo bench --bench vad`), then endpoint events with sample positions.

pub mod barge;
pub mod endpoint;
pub mod silero;

pub use barge::{BargeConfig, BargeIn};
pub use endpoint::{EndpointConfig, EndpointEvent, Endpointer};
pub use silero::{SileroError, SileroVad};

/// Samples per VAD frame: 30 ms at 16 kHz.
pub const FRAME: usize = 480;

/// Decides whether a frame holds speech: the seam for VAD implementations.
pub trait VoiceDetector {
    fn is_speech(&mut self, frame: &[f32]) -> bool;
}

/// WebRTC's GMM voice activity detector, plus an energy floor so that a
/// near-silent frame (the noise floor of a quiet room) never counts as speech.
pub struct WebRtcVad {
    vad: webrtc_vad::Vad,
    pcm: Vec<i16>,
    /// Frames quieter than this RMS are silence whatever the GMM says.
    pub min_rms: f32,
}

impl Default for WebRtcVad {
    fn default() -> Self {
        WebRtcVad {
            vad: webrtc_vad::Vad::new_with_rate_and_mode(
                webrtc_vad::SampleRate::Rate16kHz,
                webrtc_vad::VadMode::Aggressive,
            ),
            pcm: Vec::with_capacity(FRAME),
            min_rms: 0.004,
        }
    }
}

pub fn rms(frame: &[f32]) -> f32 {
    if frame.is_empty() {
        return 0.0;
    }
    (frame.iter().map(|s| s * s).sum::<f32>() / frame.len() as f32).sqrt()
}

impl VoiceDetector for WebRtcVad {
    fn is_speech(&mut self, frame: &[f32]) -> bool {
        if rms(frame) < self.min_rms {
            return false;
        }
        self.pcm.clear();
        self.pcm
            .extend(frame.iter().map(|s| (s.clamp(-1.0, 1.0) * 32767.0) as i16));
        self.vad.is_voice_segment(&self.pcm).unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silence_and_noise_floor_are_not_speech() {
        let mut v = WebRtcVad::default();
        assert!(!v.is_speech(&[0.0; FRAME]));
        let noise: Vec<f32> = (0..FRAME)
            .map(|i| ((i * 7919) % 13) as f32 * 1e-4 - 6e-4)
            .collect();
        assert!(!v.is_speech(&noise));
    }
}
