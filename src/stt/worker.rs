//! Whisper on its own worker thread (never the audio thread): a task plus a
//! handle, in the style of "actors with Tokio" but on a plain thread because
//! whisper.cpp blocks. Its queue is unbounded so the listener never waits on
//! it; the listener watches the backlog instead.
//!
//! In: [`Job`]s — committed chunks of an answer. Out: [`Done`] — their text.

use super::whisper::{WhisperModel, WhisperTranscriber};
use super::{SttError, TranscribeOptions, Transcriber};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::Arc;
use std::time::Instant;

pub struct Job {
    pub id: u64,
    pub samples: Vec<f32>,
    pub prompt: Option<String>,
    /// The words expected right now (the current question's), if known.
    pub bias: Option<Arc<super::bias::BiasContext>>,
    /// Seconds of the chunk the VAD heard as speech (0 when unknown).
    pub speech_s: f64,
}

/// Whether a decode stopped short of the speech it was given: fewer than
/// 1.2 words a second of voiced time, over 3 s or more of it (people say 2–3).
/// Whisper can end a window early — steered toward a term it cannot finish,
/// or on a shortened encoder window — and the rest of the chunk is lost.
pub fn looks_cut_short(words: usize, speech_s: f64) -> bool {
    speech_s >= 3.0 && (words as f64) < 1.2 * speech_s
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

#[derive(Debug)]
pub struct Done {
    pub id: u64,
    pub text: String,
    /// Audio seconds and the wall time Whisper took.
    pub audio_s: f64,
    pub elapsed_ms: u64,
}

pub struct WhisperWorker {
    jobs: Option<Sender<Job>>,
    /// Set when the session stops: queued jobs are dropped, not run.
    cancel: Arc<AtomicBool>,
    model: Option<WhisperModel>,
    done: Receiver<Result<Done, String>>,
    thread: Option<std::thread::JoinHandle<()>>,
    pub model_name: String,
}

impl WhisperWorker {
    /// Loads the model; returns once the worker is ready.
    pub fn spawn(model: &Path) -> Result<WhisperWorker, SttError> {
        Self::spawn_with(WhisperModel::load(model)?)
    }

    /// A worker on an already loaded model (the daemon's warm one).
    pub fn spawn_with(model: WhisperModel) -> Result<WhisperWorker, SttError> {
        let kept = model.clone();
        let mut w = Self::spawn_loading(move || model.transcriber())?;
        w.model = Some(kept);
        Ok(w)
    }

    /// The loaded model, for other passes of the same session (delivery).
    pub fn model(&self) -> Option<&WhisperModel> {
        self.model.as_ref()
    }

    fn spawn_loading(
        load: impl FnOnce() -> Result<WhisperTranscriber, SttError> + Send + 'static,
    ) -> Result<WhisperWorker, SttError> {
        // Unbounded both ways: submitting never blocks the listener (a
        // blocked listener is a microphone that overruns and drops audio),
        // and a backlog is visible to the pace warning instead.
        let (job_tx, job_rx) = mpsc::channel::<Job>();
        let (done_tx, done_rx) = mpsc::channel::<Result<Done, String>>();
        let cancel = Arc::new(AtomicBool::new(false));
        let cancelled = cancel.clone();
        let (ready_tx, ready_rx) = mpsc::channel::<Result<String, SttError>>();
        let thread = std::thread::Builder::new()
            .name("mockint-whisper".into())
            .spawn(move || {
                let mut w = match load() {
                    Ok(w) => {
                        let _ = ready_tx.send(Ok(w.model_name()));
                        w
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                for job in job_rx {
                    if cancelled.load(Ordering::Relaxed) {
                        return;
                    }
                    let t0 = Instant::now();
                    let opts = TranscribeOptions {
                        prompt: job.prompt.clone(),
                        bias: job.bias.clone(),
                        decoding: super::SESSION_DECODING,
                        // A stopping session gives up the decode in
                        // progress instead of waiting seconds for it.
                        abort: Some(cancelled.clone()),
                        ..Default::default()
                    };
                    let r = w
                        .transcribe(&job.samples, &opts)
                        .map(|t| super::hygiene::clean(&t.text()))
                        .map(|text| heard_whole(&mut w, &job, opts, text))
                        .map(|text| Done {
                            id: job.id,
                            text,
                            audio_s: job.samples.len() as f64 / 16_000.0,
                            elapsed_ms: t0.elapsed().as_millis() as u64,
                        })
                        .map_err(|e| e.to_string());
                    if done_tx.send(r).is_err() {
                        return;
                    }
                }
            })
            .map_err(|e| SttError::Decode(e.to_string()))?;
        let model_name = ready_rx
            .recv()
            .map_err(|_| SttError::Decode("whisper worker died while loading".into()))??;
        Ok(WhisperWorker {
            jobs: Some(job_tx),
            cancel,
            model: None,
            done: done_rx,
            thread: Some(thread),
            model_name,
        })
    }

    pub fn submit(&self, job: Job) -> Result<(), SttError> {
        self.jobs
            .as_ref()
            .expect("worker running")
            .send(job)
            .map_err(|_| SttError::Decode("whisper worker stopped".into()))
    }

    pub fn try_recv(&self) -> Option<Result<Done, String>> {
        match self.done.try_recv() {
            Ok(r) => Some(r),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err("whisper worker stopped".into())),
        }
    }

    /// The next result, waiting at most `timeout` (`None`: not in time).
    pub fn recv_timeout(&self, timeout: std::time::Duration) -> Option<Result<Done, String>> {
        match self.done.recv_timeout(timeout) {
            Ok(r) => Some(r),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => Some(Err("whisper worker stopped".into())),
        }
    }

    /// Drops the jobs still queued (the session is stopping).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn recv(&self) -> Result<Done, String> {
        self.done
            .recv()
            .map_err(|_| "whisper worker stopped".to_string())?
    }
}

/// A decode that stopped short is heard once more without biasing and on
/// the full encoder window; the fuller hearing is kept.
fn heard_whole(
    w: &mut WhisperTranscriber,
    job: &Job,
    opts: TranscribeOptions,
    text: String,
) -> String {
    if !looks_cut_short(words(&text), job.speech_s) {
        return text;
    }
    let again = TranscribeOptions {
        bias: None,
        audio_ctx: super::AudioCtx::Full,
        ..opts
    };
    let Ok(t) = w.transcribe(&job.samples, &again) else {
        return text;
    };
    let other = super::hygiene::clean(&t.text());
    tracing::info!(
        id = job.id,
        speech_s = job.speech_s,
        first = text,
        again = other,
        "a chunk heard short was heard again"
    );
    if words(&other) * 2 > words(&text) * 3 {
        other
    } else {
        text
    }
}

impl Drop for WhisperWorker {
    fn drop(&mut self) {
        self.cancel();
        self.jobs.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::looks_cut_short;

    #[test]
    fn a_decode_is_short_only_against_real_speech() {
        // "…with kube-": 8 words for 8 s of voice.
        assert!(looks_cut_short(8, 8.0));
        assert!(looks_cut_short(0, 3.0));
        // Slow, careful speech: 1.5 words a voiced second.
        assert!(!looks_cut_short(12, 8.0));
        // Short chunks are never judged (a command, a name).
        assert!(!looks_cut_short(1, 2.5));
    }
}
