//! The Piper voice as a [`Speaker`]: text is phonemized (espeak-ng) and cut
//! into sentences; a synthesis thread turns them into audio one at a time
//! and feeds the output stream, so the first sentence plays while the next
//! is synthesised. `say` returns at once: synthesis never holds up the
//! caller, which keeps listening for a barge-in.
//!
//! In: text. Out: audio on the output device; truthful `is_speaking`,
//! `stop` and `first_audio` (when the first samples reached the device).

use super::output::{Feed, Output, Track};
use super::piper_model::{ModelError, PiperModel};
use super::{espeak, phonemes, Speaker, TtsError};
use ringbuf::traits::Producer;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// The first chunk of a line is at most this many phoneme characters (about
/// 1.3 s of speech: a few words, cut at a comma or else between words), so
/// the first audio comes after a short synthesis; the rest of the line is
/// synthesised while it plays.
const FIRST_CHUNK_MAX: usize = 24;

/// Where and how the Piper voice speaks.
#[derive(Debug, Clone)]
pub struct PiperOptions {
    pub model: PathBuf,
    pub config: PathBuf,
    /// Speech rate relative to normal (`--tts-rate`): 1.2 is 20 % faster.
    pub rate: f32,
    /// Output device name (None: the default device).
    pub device: Option<String>,
    /// ONNX Runtime intra-op threads.
    pub threads: usize,
}

impl PiperOptions {
    /// The installed voice on the default device.
    pub fn installed(rate: f32, device: Option<String>) -> PiperOptions {
        PiperOptions {
            model: crate::models::store::piper_model_path(),
            config: crate::models::store::piper_config_path(),
            rate,
            device,
            threads: 1,
        }
    }
}

/// Piper's length scale for a speech rate (`--tts-rate`): the voice's own
/// scale divided by the rate, the rate kept within 0.5–2.
pub fn length_scale(voice_scale: f32, rate: f32) -> f32 {
    let rate = if rate.is_finite() && rate > 0.0 {
        rate.clamp(0.5, 2.0)
    } else {
        1.0
    };
    voice_scale / rate
}

struct Job {
    text: String,
    feed: Feed,
    generation: u64,
}

pub struct Piper {
    output: Output,
    jobs: mpsc::SyncSender<Job>,
    current: Option<Arc<Track>>,
    generation: Arc<AtomicU64>,
}

impl Piper {
    /// Loads the voice on its synthesis thread (warming it up with a short
    /// phrase) and opens the output device; returns when both are ready.
    pub fn open(opts: &PiperOptions) -> Result<Piper, TtsError> {
        let output = Output::open(opts.device.as_deref()).map_err(|e| match e {
            super::output::OutputError::Device(d) => TtsError::NoOutput(d),
        })?;
        let (jobs, rx) = mpsc::sync_channel::<Job>(2);
        let (ready_tx, ready_rx) = mpsc::channel::<Result<(), ModelError>>();
        let generation = Arc::new(AtomicU64::new(0));
        let (gen, opts, out_rate) = (generation.clone(), opts.clone(), output.rate);
        std::thread::Builder::new()
            .name("mockint-piper".into())
            .spawn(move || {
                let t0 = Instant::now();
                let mut model = match PiperModel::load(&opts.model, &opts.config, opts.threads) {
                    Ok(m) => m,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let scale = length_scale(model.config.length_scale, opts.rate);
                // The first run of a session is slow: pay for it now.
                let _ = render(&mut model, "Hello.", opts.rate, Reading::AsSaid);
                tracing::info!(ms = t0.elapsed().as_millis() as u64, "Piper voice loaded");
                let _ = ready_tx.send(Ok(()));
                for job in rx {
                    speak_job(&mut model, job, &gen, scale, out_rate);
                }
            })
            .map_err(|e| TtsError::Unavailable(e.to_string()))?;
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(Piper {
                output,
                jobs,
                current: None,
                generation,
            }),
            Ok(Err(e)) => Err(TtsError::Unavailable(e.to_string())),
            Err(_) => Err(TtsError::Unavailable("the Piper thread ended".into())),
        }
    }
}

/// Synthesises a job's sentences in order, each pushed to the output as
/// soon as it is ready; gives up as soon as the job is stopped.
fn speak_job(model: &mut PiperModel, job: Job, gen: &AtomicU64, scale: f32, out_rate: u32) {
    let Job {
        text,
        mut feed,
        generation,
    } = job;
    let live = |track: &Track| gen.load(Ordering::SeqCst) == generation && !track.is_cut();
    let chunks = match chunk_text(model, &text, FIRST_CHUNK_MAX) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!("phonemes: {e}");
            feed.track.finish();
            return;
        }
    };
    for chunk in chunks {
        if !live(&feed.track) {
            break;
        }
        let t0 = Instant::now();
        let audio = match model.synthesize(&chunk, scale) {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!("{e}");
                break;
            }
        };
        let audio =
            match crate::audio::resample::resample(&audio, model.config.sample_rate, out_rate) {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!("{e}");
                    break;
                }
            };
        tracing::debug!(
            synth_ms = t0.elapsed().as_millis() as u64,
            audio_ms = (audio.len() as u64 * 1000) / out_rate as u64,
            phonemes = chunk.chars().count(),
            "Piper chunk"
        );
        let mut rest = &audio[..];
        while !rest.is_empty() && live(&feed.track) {
            let n = feed.prod.push_slice(rest);
            rest = &rest[n..];
            if !rest.is_empty() {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
    feed.track.finish();
}

/// The text as the voice reads it, cut into phoneme chunks (see
/// [`phonemes::chunks`]).
fn chunk_text(
    model: &PiperModel,
    text: &str,
    first_max: usize,
) -> Result<Vec<String>, espeak::EspeakError> {
    chunk_read(model, &super::text::speakable(text), first_max)
}

fn chunk_read(
    model: &PiperModel,
    read: &str,
    first_max: usize,
) -> Result<Vec<String>, espeak::EspeakError> {
    let clauses = espeak::phonemize(read, &model.config.espeak_voice)?;
    Ok(phonemes::chunks(&clauses, first_max))
}

/// How an evaluation has the voice read a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// As the interviewer speaks: jargon as engineers say it.
    AsSaid,
    /// The text as written, markup dropped (for comparison).
    AsWritten,
}

impl Reading {
    pub fn read(self, text: &str) -> String {
        match self {
            Reading::AsSaid => super::text::speakable(text),
            Reading::AsWritten => super::text::without_markup(text),
        }
    }
}

/// Synthesises all of `text`, sentence by sentence as when speaking, into
/// one clip at the voice's rate (for evaluation; nothing is played).
pub fn render(
    model: &mut PiperModel,
    text: &str,
    rate: f32,
    reading: Reading,
) -> Result<Vec<f32>, TtsError> {
    let scale = length_scale(model.config.length_scale, rate);
    let chunks = chunk_read(model, &reading.read(text), FIRST_CHUNK_MAX)
        .map_err(|e| TtsError::Speak(e.to_string()))?;
    let mut out = Vec::new();
    for c in chunks {
        out.extend(
            model
                .synthesize(&c, scale)
                .map_err(|e| TtsError::Speak(e.to_string()))?,
        );
    }
    Ok(out)
}

impl Speaker for Piper {
    fn say(&mut self, text: &str) -> Result<(), TtsError> {
        self.stop();
        let generation = self.generation.load(Ordering::SeqCst);
        let feed = self.output.start();
        self.current = Some(feed.track.clone());
        self.jobs
            .send(Job {
                text: text.to_string(),
                feed,
                generation,
            })
            .map_err(|_| TtsError::Speak("the Piper thread ended".into()))
    }

    fn is_speaking(&self) -> bool {
        self.current.as_ref().is_some_and(|t| t.is_playing())
    }

    fn stop(&mut self) {
        if let Some(t) = &self.current {
            self.generation.fetch_add(1, Ordering::SeqCst);
            self.output.cut(t);
        }
    }

    fn first_audio(&self) -> Option<Instant> {
        self.current.as_ref().and_then(|t| t.first_audio())
    }
}

/// Whether the Piper voice is installed (model and description).
pub fn installed(model: &Path, config: &Path) -> bool {
    model.is_file() && config.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_maps_to_the_length_scale() {
        assert_eq!(length_scale(1.0, 1.0), 1.0);
        assert_eq!(length_scale(1.0, 2.0), 0.5);
        assert_eq!(length_scale(1.2, 0.5), 2.4);
        // out of range or nonsense rates are clamped or ignored
        assert_eq!(length_scale(1.0, 10.0), 0.5);
        assert_eq!(length_scale(1.0, 0.0), 1.0);
        assert_eq!(length_scale(1.0, f32::NAN), 1.0);
    }
}
