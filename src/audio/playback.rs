//! Audio out: plays a clip on the default output device through cpal and
//! blocks until it has been heard (replay of recorded answers).
//!
//! In: mono samples at a rate. Out: sound; an [`AudioError::Device`] naming
//! the problem when there is no usable output.

use super::AudioError;
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Something that plays mono clips (the seam replay uses).
pub trait Player {
    /// Plays `samples` (mono, `rate` Hz) and returns when they have been played.
    fn play(&mut self, samples: &[f32], rate: u32) -> Result<(), AudioError>;
}

/// The default output device, through cpal.
pub struct CpalPlayer {
    device: cpal::Device,
    pub name: String,
}

impl CpalPlayer {
    pub fn open() -> Result<CpalPlayer, AudioError> {
        let device = super::backend_log::host()
            .default_output_device()
            .ok_or_else(|| {
                AudioError::Device(
                    "no audio output device; replay with --no-audio to read the session instead"
                        .into(),
                )
            })?;
        let name = device.name().unwrap_or_else(|_| "output".into());
        Ok(CpalPlayer { device, name })
    }
}

impl Player for CpalPlayer {
    fn play(&mut self, samples: &[f32], rate: u32) -> Result<(), AudioError> {
        let err = |e: String| AudioError::Device(format!("{}: {e}", self.name));
        let config = self
            .device
            .default_output_config()
            .map_err(|e| err(e.to_string()))?;
        let channels = config.channels() as usize;
        let out_rate = config.sample_rate().0;
        let pcm: Arc<Vec<f32>> = Arc::new(if out_rate == rate {
            samples.to_vec()
        } else {
            super::resample::resample(samples, rate, out_rate)?
        });
        let pos = Arc::new(AtomicUsize::new(0));
        let failed = Arc::new(AtomicBool::new(false));
        let format = config.sample_format();
        let stream_config: cpal::StreamConfig = config.into();
        let on_err = {
            let failed = failed.clone();
            move |_e: cpal::StreamError| failed.store(true, Ordering::SeqCst)
        };
        // Fills interleaved frames from the clip, silence after its end.
        fn fill<T: Copy>(
            data: &mut [T],
            channels: usize,
            pcm: &[f32],
            pos: &AtomicUsize,
            conv: impl Fn(f32) -> T,
        ) {
            let mut p = pos.load(Ordering::Relaxed);
            for frame in data.chunks_mut(channels) {
                let s = pcm.get(p).copied().unwrap_or(0.0);
                p += 1;
                for x in frame.iter_mut() {
                    *x = conv(s);
                }
            }
            pos.store(p, Ordering::Relaxed);
        }
        let stream = {
            let (pcm, pos) = (pcm.clone(), pos.clone());
            match format {
                cpal::SampleFormat::F32 => self.device.build_output_stream(
                    &stream_config,
                    move |d: &mut [f32], _| fill(d, channels, &pcm, &pos, |s| s),
                    on_err,
                    None,
                ),
                cpal::SampleFormat::I16 => self.device.build_output_stream(
                    &stream_config,
                    move |d: &mut [i16], _| {
                        fill(d, channels, &pcm, &pos, |s| {
                            (s.clamp(-1.0, 1.0) * 32767.0) as i16
                        })
                    },
                    on_err,
                    None,
                ),
                other => return Err(err(format!("unsupported sample format {other:?}"))),
            }
        }
        .map_err(|e| err(e.to_string()))?;
        stream.play().map_err(|e| err(e.to_string()))?;
        let length = Duration::from_secs_f64(pcm.len() as f64 / out_rate as f64);
        let deadline = Instant::now() + length + Duration::from_secs(2);
        while pos.load(Ordering::Relaxed) < pcm.len() && Instant::now() < deadline {
            if failed.load(Ordering::SeqCst) {
                return Err(err("the output stream failed".into()));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // Let the device drain what the last callback queued.
        std::thread::sleep(Duration::from_millis(150));
        Ok(())
    }
}
