//! Whisper on its own worker thread (never the audio thread): a task plus a
//! handle with bounded channels, in the style of "actors with Tokio" but on a
//! plain thread because whisper.cpp blocks.
//!
//! In: [`Job`]s — committed chunks of an answer. Out: [`Done`] — their text.

use super::whisper::{WhisperModel, WhisperTranscriber};
use super::{SttError, TranscribeOptions, Transcriber};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, SyncSender, TryRecvError};
use std::time::Instant;

pub struct Job {
    pub id: u64,
    pub samples: Vec<f32>,
    pub prompt: Option<String>,
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
    jobs: Option<SyncSender<Job>>,
    done: Receiver<Result<Done, String>>,
    thread: Option<std::thread::JoinHandle<()>>,
    pub model_name: String,
}

impl WhisperWorker {
    /// Loads the model on the worker thread; returns once it is ready.
    pub fn spawn(model: &Path) -> Result<WhisperWorker, SttError> {
        let model = model.to_path_buf();
        Self::spawn_loading(move || WhisperTranscriber::load(&model))
    }

    /// A worker on an already loaded model (the daemon's warm one).
    pub fn spawn_with(model: WhisperModel) -> Result<WhisperWorker, SttError> {
        Self::spawn_loading(move || model.transcriber())
    }

    fn spawn_loading(
        load: impl FnOnce() -> Result<WhisperTranscriber, SttError> + Send + 'static,
    ) -> Result<WhisperWorker, SttError> {
        let (job_tx, job_rx) = mpsc::sync_channel::<Job>(8);
        let (done_tx, done_rx) = mpsc::sync_channel::<Result<Done, String>>(8);
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
                    let t0 = Instant::now();
                    let opts = TranscribeOptions {
                        prompt: job.prompt,
                        decoding: super::SESSION_DECODING,
                        ..Default::default()
                    };
                    let r = w
                        .transcribe(&job.samples, &opts)
                        .map(|t| Done {
                            id: job.id,
                            text: t.text(),
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

    pub fn recv(&self) -> Result<Done, String> {
        self.done
            .recv()
            .map_err(|_| "whisper worker stopped".to_string())?
    }
}

impl Drop for WhisperWorker {
    fn drop(&mut self) {
        self.jobs.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
