//! Microphone capture with cpal on its own thread. The audio callback never
//! allocates, locks or blocks: it pushes samples into a lock-free ring buffer
//! and counts overruns. The reading side downmixes and resamples whatever the
//! device gives (48 kHz stereo f32 was seen here) to 16 kHz mono frames.

use super::source::AudioSource;
use super::{AudioError, WHISPER_RATE};
use crate::vad::FRAME;
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use ringbuf::traits::{Consumer, Producer, Split};
use rubato::{FftFixedIn, Resampler};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// What to do when no microphone can be opened (the end of every such error).
pub const MIC_FIX: &str = "start the sound server (`pulseaudio --start`) or connect a microphone, \
choose another device with `--input-device NAME` (`mockint devices` lists them), \
or type your answers with `--text`";

/// A device's configuration error in words a user can act on (cpal's own
/// text for a missing card says the device was "unplugged").
pub fn describe_config_error(e: &cpal::DefaultStreamConfigError) -> String {
    match e {
        cpal::DefaultStreamConfigError::DeviceNotAvailable => {
            "no sound card or sound server answered".into()
        }
        other => other.to_string(),
    }
}

/// Names of the input devices cpal can see, default first.
pub fn input_devices() -> Vec<String> {
    let host = super::backend_log::host();
    let default = host.default_input_device().and_then(|d| d.name().ok());
    let mut names: Vec<String> = host
        .input_devices()
        .map(|it| it.filter_map(|d| d.name().ok()).collect())
        .unwrap_or_default();
    if let Some(d) = &default {
        names.retain(|n| n != d);
        names.insert(0, d.clone());
    }
    names
}

pub struct MicSource {
    cons: ringbuf::HeapCons<f32>,
    channels: usize,
    rate: u32,
    overruns: Arc<AtomicU64>,
    failed: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    interleaved: Vec<f32>,
    mono: Vec<f32>,
    resampler: Option<FftFixedIn<f32>>,
    out: VecDeque<f32>,
    buf: Vec<Vec<f32>>,
    pub device: String,
}

impl MicSource {
    /// Opens `name` (or the default input device) and starts capturing.
    pub fn open(name: Option<&str>) -> Result<MicSource, AudioError> {
        let err = |why: String| AudioError::Device(why);
        let host = super::backend_log::host();
        let device = match name {
            Some(n) => host
                .input_devices()
                .map_err(|e| err(e.to_string()))?
                .find(|d| d.name().is_ok_and(|x| x == n))
                .ok_or_else(|| err(format!("no input device named {n:?}; {MIC_FIX}")))?,
            None => host.default_input_device().ok_or_else(|| {
                err(format!(
                    "no microphone found (no sound card or sound server); {MIC_FIX}"
                ))
            })?,
        };
        let dev_name = device.name().unwrap_or_else(|_| "input".into());
        let config = device.default_input_config().map_err(|e| {
            err(format!(
                "{dev_name}: {}; {MIC_FIX}",
                describe_config_error(&e)
            ))
        })?;
        let channels = config.channels() as usize;
        let rate = config.sample_rate().0;
        // Thirty seconds of headroom: the reader may wait on Whisper at the end of a turn.
        let rb = ringbuf::HeapRb::<f32>::new(rate as usize * channels * 30);
        let (prod, cons) = rb.split();
        let overruns = Arc::new(AtomicU64::new(0));
        let failed = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        {
            let (overruns, failed, stop) = (overruns.clone(), failed.clone(), stop.clone());
            let format = config.sample_format();
            let stream_config: cpal::StreamConfig = config.into();
            // cpal streams are not Send on every platform: own it on this thread.
            std::thread::Builder::new()
                .name("mockint-capture".into())
                .spawn(move || {
                    let mut prod = prod;
                    let on_err = {
                        let failed = failed.clone();
                        move |_e: cpal::StreamError| failed.store(true, Ordering::SeqCst)
                    };
                    let stream = match format {
                        cpal::SampleFormat::F32 => device.build_input_stream(
                            &stream_config,
                            move |data: &[f32], _| {
                                let n = prod.push_slice(data);
                                if n < data.len() {
                                    overruns.fetch_add((data.len() - n) as u64, Ordering::Relaxed);
                                }
                            },
                            on_err,
                            None,
                        ),
                        cpal::SampleFormat::I16 => device.build_input_stream(
                            &stream_config,
                            move |data: &[i16], _| {
                                for &s in data {
                                    if prod.try_push(s as f32 / 32768.0).is_err() {
                                        overruns.fetch_add(1, Ordering::Relaxed);
                                    }
                                }
                            },
                            on_err,
                            None,
                        ),
                        other => {
                            let _ =
                                ready_tx.send(Err(format!("unsupported sample format {other:?}")));
                            return;
                        }
                    };
                    let stream = match stream.and_then(|s| {
                        s.play()
                            .map(|_| s)
                            .map_err(|e| cpal::BuildStreamError::BackendSpecific {
                                err: cpal::BackendSpecificError {
                                    description: e.to_string(),
                                },
                            })
                    }) {
                        Ok(s) => s,
                        Err(e) => {
                            let _ = ready_tx.send(Err(e.to_string()));
                            return;
                        }
                    };
                    let _ = ready_tx.send(Ok(()));
                    while !stop.load(Ordering::SeqCst) {
                        std::thread::park_timeout(std::time::Duration::from_millis(100));
                    }
                    drop(stream);
                })
                .map_err(|e| err(e.to_string()))?;
        }
        match ready_rx.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(err(format!("{dev_name}: {e}; {MIC_FIX}"))),
            Err(_) => return Err(err(format!("{dev_name}: capture thread failed"))),
        }
        let resampler = if rate == WHISPER_RATE {
            None
        } else {
            Some(
                FftFixedIn::<f32>::new(rate as usize, WHISPER_RATE as usize, 1024, 2, 1)
                    .map_err(|e| err(e.to_string()))?,
            )
        };
        let buf = vec![vec![
            0f32;
            resampler.as_ref().map_or(0, |r| r.output_frames_max())
        ]];
        Ok(MicSource {
            cons,
            channels,
            rate,
            overruns,
            failed,
            stop,
            interleaved: Vec::with_capacity(8192),
            mono: Vec::with_capacity(8192),
            resampler,
            out: VecDeque::with_capacity(FRAME * 8),
            buf,
            device: format!("{dev_name} ({rate} Hz, {channels} ch)"),
        })
    }

    fn pump(&mut self) -> Result<(), AudioError> {
        let mut tmp = [0f32; 2048];
        let n = self.cons.pop_slice(&mut tmp);
        self.interleaved.extend_from_slice(&tmp[..n]);
        let frames = self.interleaved.len() / self.channels;
        for f in 0..frames {
            let s = &self.interleaved[f * self.channels..(f + 1) * self.channels];
            self.mono.push(s.iter().sum::<f32>() / self.channels as f32);
        }
        self.interleaved.drain(..frames * self.channels);
        match &mut self.resampler {
            None => self.out.extend(self.mono.drain(..)),
            Some(r) => {
                while self.mono.len() >= r.input_frames_next() {
                    let need = r.input_frames_next();
                    let (_, written) = r
                        .process_into_buffer(&[&self.mono[..need]], &mut self.buf, None)
                        .map_err(|e| AudioError::Resample(e.to_string()))?;
                    self.out.extend(&self.buf[0][..written]);
                    self.mono.drain(..need);
                }
            }
        }
        Ok(())
    }
}

impl AudioSource for MicSource {
    fn next_frame(&mut self, frame: &mut [f32; FRAME]) -> Result<bool, AudioError> {
        let mut waited = 0;
        while self.out.len() < FRAME {
            if self.failed.load(Ordering::SeqCst) {
                return Err(AudioError::Device(format!(
                    "{}: the device stopped or disappeared",
                    self.device
                )));
            }
            self.pump()?;
            if self.out.len() < FRAME {
                std::thread::sleep(std::time::Duration::from_millis(5));
                waited += 5;
                if waited > 5_000 {
                    return Err(AudioError::Device(format!(
                        "{}: no audio for 5 s (device gone or muted?)",
                        self.device
                    )));
                }
            }
        }
        for s in frame.iter_mut() {
            *s = self.out.pop_front().unwrap_or(0.0);
        }
        let _ = self.rate;
        Ok(true)
    }

    fn overruns(&self) -> u64 {
        self.overruns.load(Ordering::Relaxed)
    }
}

impl Drop for MicSource {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}
