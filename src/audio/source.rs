//! Where the voice loop's audio comes from: the [`AudioSource`] seam. The
//! microphone ([`super::capture::MicSource`]) and recorded answers
//! ([`WavSource`]) both deliver 16 kHz mono frames, so everything after
//! capture is one code path.

use super::{load_wav, AudioError, WHISPER_RATE};
use crate::vad::FRAME;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub trait AudioSource {
    /// Fills `frame` with the next [`FRAME`] samples (blocking as a device
    /// would); `Ok(false)` when the source has ended.
    fn next_frame(&mut self, frame: &mut [f32; FRAME]) -> Result<bool, AudioError>;
    /// The interviewer started listening for an answer.
    fn cue(&mut self) {}
    /// Samples dropped because the consumer fell behind.
    fn overruns(&self) -> u64 {
        0
    }
    /// Whether frames come at the pace of real time (a device, or recorded
    /// answers played as if spoken); `false` for as-fast-as-possible input.
    fn paced(&self) -> bool {
        true
    }
}

/// Recorded answers played as if spoken into a microphone: low noise until
/// cued, then the next file, then noise again. Paced in real time unless `fast`.
pub struct WavSource {
    clips: Vec<Vec<f32>>,
    next: usize,
    playing: Option<(usize, usize)>,
    produced: u64,
    started: Instant,
    fast: bool,
    /// Frames of silence since the last clip ended, to stop when all are played.
    idle_frames: u64,
    noise: u32,
}

impl WavSource {
    pub fn open(files: &[PathBuf], fast: bool) -> Result<Self, AudioError> {
        let clips = files
            .iter()
            .map(|f| load_wav(f).map(|c| c.samples))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(WavSource::from_clips(clips, fast))
    }

    /// Answers already in memory (16 kHz mono), one per cue.
    pub fn from_clips(clips: Vec<Vec<f32>>, fast: bool) -> Self {
        WavSource {
            clips,
            next: 0,
            playing: None,
            produced: 0,
            started: Instant::now(),
            fast,
            idle_frames: 0,
            noise: 0x1234_5678,
        }
    }

    /// A quiet room: noise around −60 dBFS (exact zeros confuse energy VADs).
    fn noise_sample(&mut self) -> f32 {
        self.noise ^= self.noise << 13;
        self.noise ^= self.noise >> 17;
        self.noise ^= self.noise << 5;
        (self.noise as f32 / u32::MAX as f32 - 0.5) * 0.002
    }
}

impl AudioSource for WavSource {
    fn paced(&self) -> bool {
        !self.fast
    }

    fn cue(&mut self) {
        if self.playing.is_none() && self.next < self.clips.len() {
            // A short pause before the candidate starts talking.
            self.playing = Some((self.next, 0));
            self.next += 1;
            self.idle_frames = 0;
        }
    }

    fn next_frame(&mut self, frame: &mut [f32; FRAME]) -> Result<bool, AudioError> {
        if self.playing.is_none() && self.next >= self.clips.len() {
            self.idle_frames += 1;
            // 30 s of silence after the last answer: the recording is over.
            if self.idle_frames > 1000 {
                return Ok(false);
            }
        }
        for s in frame.iter_mut() {
            *s = match self.playing {
                Some((clip, pos)) if pos < self.clips[clip].len() => {
                    self.playing = Some((clip, pos + 1));
                    self.clips[clip][pos]
                }
                Some(_) => {
                    self.playing = None;
                    self.noise_sample()
                }
                None => self.noise_sample(),
            };
        }
        self.produced += FRAME as u64;
        if !self.fast {
            let due = Duration::from_micros(self.produced * 1_000_000 / WHISPER_RATE as u64);
            if let Some(wait) = due.checked_sub(self.started.elapsed()) {
                std::thread::sleep(wait);
            }
        }
        Ok(true)
    }
}
