//! Streaming speech out through cpal: one output stream per utterance, fed
//! from a lock-free ring buffer that the synthesis thread fills sentence by
//! sentence. The stream lives on its own thread (cpal streams are not `Send`
//! everywhere); dropping it on a stop discards what the device still holds,
//! so speech ends at once.
//!
//! In: mono samples at the device's rate. Out: sound, and a [`Track`] that
//! tells when the first samples were handed to the device and when the last
//! will have been heard.

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use ringbuf::traits::{Consumer, Observer, Split};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{0}; connect a speaker or start PulseAudio, or pass --no-tts")]
    Device(String),
}

/// Ring capacity: 20 s of audio; the synthesis thread waits when it is full.
const RING_SECONDS: usize = 20;

/// Names of the output devices cpal can see, default first.
pub fn output_devices() -> Vec<String> {
    let host = crate::audio::backend_log::host();
    let default = host.default_output_device().and_then(|d| d.name().ok());
    let mut names: Vec<String> = host
        .output_devices()
        .map(|it| it.filter_map(|d| d.name().ok()).collect())
        .unwrap_or_default();
    if let Some(d) = &default {
        names.retain(|n| n != d);
        names.insert(0, d.clone());
    }
    names
}

/// One utterance's playback, shared by the speaker, the synthesis thread
/// and the audio callback.
pub struct Track {
    base: Instant,
    /// When the callback first handed this utterance's samples to the device.
    first_audio: OnceLock<Instant>,
    /// Set by the producer: no more samples will come.
    finished: AtomicBool,
    /// Set on a stop: the callback writes silence from now on.
    cut: AtomicBool,
    /// Nanoseconds after `base` when the last handed sample will have been
    /// heard (0: not yet known).
    heard_by_ns: AtomicU64,
}

impl Track {
    fn new() -> Track {
        Track {
            base: Instant::now(),
            first_audio: OnceLock::new(),
            finished: AtomicBool::new(false),
            cut: AtomicBool::new(false),
            heard_by_ns: AtomicU64::new(0),
        }
    }

    pub fn first_audio(&self) -> Option<Instant> {
        self.first_audio.get().copied()
    }

    /// No more samples will be pushed.
    pub fn finish(&self) {
        self.finished.store(true, Ordering::SeqCst);
    }

    pub fn is_cut(&self) -> bool {
        self.cut.load(Ordering::SeqCst)
    }

    /// Still audible: not cut, and either more samples may come or the last
    /// ones have not yet left the loudspeaker.
    pub fn is_playing(&self) -> bool {
        if self.is_cut() {
            return false;
        }
        match self.heard_by_ns.load(Ordering::SeqCst) {
            0 => true,
            ns => self.base.elapsed() < Duration::from_nanos(ns),
        }
    }
}

enum Cmd {
    Play(ringbuf::HeapCons<f32>, Arc<Track>),
    Close,
}

/// The output device, and the thread that owns its streams.
pub struct Output {
    tx: mpsc::Sender<Cmd>,
    pub rate: u32,
    pub name: String,
}

/// The producer side of one utterance.
pub struct Feed {
    pub prod: ringbuf::HeapProd<f32>,
    pub track: Arc<Track>,
}

impl Output {
    /// Opens `name` (or the default output device).
    pub fn open(name: Option<&str>) -> Result<Output, OutputError> {
        let host = crate::audio::backend_log::host();
        let device = match name {
            Some(n) => host
                .output_devices()
                .map_err(|e| OutputError::Device(e.to_string()))?
                .find(|d| d.name().is_ok_and(|x| x == n))
                .ok_or_else(|| {
                    OutputError::Device(format!(
                        "no output device named {n:?} (`mockint devices` lists them)"
                    ))
                })?,
            None => host
                .default_output_device()
                .ok_or_else(|| OutputError::Device("no audio output device".into()))?,
        };
        let name = device.name().unwrap_or_else(|_| "output".into());
        let config = device
            .default_output_config()
            .map_err(|e| OutputError::Device(format!("{name}: {e}")))?;
        let rate = config.sample_rate().0;
        let (tx, rx) = mpsc::channel::<Cmd>();
        let thread_name = name.clone();
        std::thread::Builder::new()
            .name("mockint-speaker-out".into())
            .spawn(move || run(device, config, rx, &thread_name))
            .map_err(|e| OutputError::Device(e.to_string()))?;
        Ok(Output { tx, rate, name })
    }

    /// Starts a new utterance: a fresh stream and ring; the previous one, if
    /// any, is dropped.
    pub fn start(&self) -> Feed {
        let rb = ringbuf::HeapRb::<f32>::new(self.rate as usize * RING_SECONDS);
        let (prod, cons) = rb.split();
        let track = Arc::new(Track::new());
        let _ = self.tx.send(Cmd::Play(cons, track.clone()));
        Feed { prod, track }
    }

    /// Cuts `track` now: silence at the next callback, and the stream (with
    /// whatever the device still buffers) is dropped.
    pub fn cut(&self, track: &Track) {
        track.cut.store(true, Ordering::SeqCst);
        let _ = self.tx.send(Cmd::Close);
    }
}

/// The output thread: builds a stream per utterance and drops it when the
/// utterance is cut or has been heard.
fn run(
    device: cpal::Device,
    config: cpal::SupportedStreamConfig,
    rx: mpsc::Receiver<Cmd>,
    name: &str,
) {
    let mut current: Option<(cpal::Stream, Arc<Track>)> = None;
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(Cmd::Play(cons, track)) => {
                current = None;
                match build(&device, &config, cons, track.clone()) {
                    Ok(s) => current = Some((s, track)),
                    Err(e) => {
                        tracing::warn!(device = name, "speech output failed: {e}");
                        track.cut.store(true, Ordering::SeqCst);
                    }
                }
            }
            Ok(Cmd::Close) => current = None,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                // Idle streams cost CPU in the sound server: close once heard.
                if current.as_ref().is_some_and(|(_, t)| !t.is_playing()) {
                    current = None;
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
    }
}

fn build(
    device: &cpal::Device,
    config: &cpal::SupportedStreamConfig,
    mut cons: ringbuf::HeapCons<f32>,
    track: Arc<Track>,
) -> Result<cpal::Stream, String> {
    let channels = config.channels() as usize;
    let rate = config.sample_rate().0 as u64;
    let format = config.sample_format();
    let stream_config: cpal::StreamConfig = config.clone().into();
    let on_err = |e: cpal::StreamError| tracing::warn!("speech output stream: {e}");
    // Fills interleaved frames from the ring; silence once cut or empty.
    let mut fill = move |frames: usize, latency: Duration, put: &mut dyn FnMut(usize, f32)| {
        let cut = track.cut.load(Ordering::Relaxed);
        let mut n = 0;
        for i in 0..frames {
            let s = if cut { None } else { cons.try_pop() };
            if s.is_some() {
                n += 1;
            }
            put(i, s.unwrap_or(0.0));
        }
        if n > 0 {
            let _ = track.first_audio.set(Instant::now());
        }
        let drained = n < frames && cons.is_empty() && track.finished.load(Ordering::SeqCst);
        if drained && track.heard_by_ns.load(Ordering::Relaxed) == 0 {
            // The last samples leave the loudspeaker after the device's latency.
            let at = track.base.elapsed()
                + latency
                + Duration::from_nanos(n as u64 * 1_000_000_000 / rate);
            track
                .heard_by_ns
                .store(at.as_nanos().max(1) as u64, Ordering::SeqCst);
        }
    };
    let latency_of = |info: &cpal::OutputCallbackInfo| {
        let t = info.timestamp();
        t.playback.duration_since(&t.callback).unwrap_or_default()
    };
    let stream = match format {
        cpal::SampleFormat::F32 => device.build_output_stream(
            &stream_config,
            move |d: &mut [f32], info: &cpal::OutputCallbackInfo| {
                let latency = latency_of(info);
                fill(d.len() / channels, latency, &mut |i, s| {
                    d[i * channels..(i + 1) * channels].fill(s)
                })
            },
            on_err,
            None,
        ),
        cpal::SampleFormat::I16 => device.build_output_stream(
            &stream_config,
            move |d: &mut [i16], info: &cpal::OutputCallbackInfo| {
                let latency = latency_of(info);
                fill(d.len() / channels, latency, &mut |i, s| {
                    d[i * channels..(i + 1) * channels].fill((s.clamp(-1.0, 1.0) * 32767.0) as i16)
                })
            },
            on_err,
            None,
        ),
        other => return Err(format!("unsupported sample format {other:?}")),
    }
    .map_err(|e| e.to_string())?;
    stream.play().map_err(|e| e.to_string())?;
    Ok(stream)
}
