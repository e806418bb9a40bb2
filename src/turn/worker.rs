//! The end-of-turn model on its own thread, as an actor: the listening loop
//! asks for a check with the turn's last 8 s and takes the verdict when it
//! comes, so a check (50–70 ms on an idle core, 300 ms on a loaded one)
//! never holds up the frames behind it. The endpointer drops a verdict that
//! arrives after speech resumed.
//!
//! In: the audio of a check and where it ended. Out: [`Verdict`]s.

use super::TurnStage;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TryRecvError};
use std::thread::JoinHandle;

/// Checks that may wait for the model; more are dropped (the endpointer
/// asks again as the silence grows).
const QUEUE: usize = 4;

/// The model's probability that the turn was complete at `end`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    pub probability: f32,
    pub end: u64,
}

pub struct TurnWorker {
    jobs: Option<SyncSender<(Vec<f32>, u64)>>,
    verdicts: Receiver<Verdict>,
    thread: Option<JoinHandle<()>>,
    in_flight: usize,
}

impl TurnWorker {
    pub fn spawn(mut stage: TurnStage) -> TurnWorker {
        let (jobs, rx) = sync_channel::<(Vec<f32>, u64)>(QUEUE);
        let (tx, verdicts) = sync_channel::<Verdict>(QUEUE + 1);
        let thread = std::thread::Builder::new()
            .name("mockint-turn".into())
            .spawn(move || {
                for (audio, end) in rx {
                    let probability = stage.completion(&audio);
                    if tx.send(Verdict { probability, end }).is_err() {
                        return;
                    }
                }
            })
            .ok();
        TurnWorker {
            jobs: thread.is_some().then_some(jobs),
            verdicts,
            thread,
            in_flight: 0,
        }
    }

    /// Asks for a check of the turn's audio up to `end` (only its last 8 s
    /// are sent). Returns false when it was dropped (the model is behind).
    pub fn ask(&mut self, audio: &[f32], end: u64) -> bool {
        let keep = super::features::WINDOW_SAMPLES;
        let tail = audio[audio.len().saturating_sub(keep)..].to_vec();
        let sent = self
            .jobs
            .as_ref()
            .is_some_and(|j| j.try_send((tail, end)).is_ok());
        if sent {
            self.in_flight += 1;
        } else {
            tracing::debug!(end, "end-of-turn check dropped: the model is behind");
        }
        sent
    }

    /// A verdict, if one has come.
    pub fn poll(&mut self) -> Option<Verdict> {
        match self.verdicts.try_recv() {
            Ok(v) => {
                self.in_flight -= 1;
                Some(v)
            }
            Err(TryRecvError::Empty | TryRecvError::Disconnected) => None,
        }
    }

    /// The next verdict, waiting for it (`None` when none is due): input
    /// read faster than real time keeps each check where it was asked.
    pub fn wait(&mut self) -> Option<Verdict> {
        if self.in_flight == 0 {
            return None;
        }
        let v = self.verdicts.recv().ok()?;
        self.in_flight -= 1;
        Some(v)
    }
}

impl Drop for TurnWorker {
    fn drop(&mut self) {
        self.jobs.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::turn::{TurnDetector, TurnError};

    /// Completion is the mean of the audio, so each verdict shows its input.
    struct Mean;

    impl TurnDetector for Mean {
        fn completion(&mut self, audio: &[f32]) -> Result<f32, TurnError> {
            Ok(audio.iter().sum::<f32>() / audio.len().max(1) as f32)
        }
    }

    #[test]
    fn verdicts_come_back_in_order_with_the_end_they_were_asked_for() {
        let mut w = TurnWorker::spawn(TurnStage::with_detector(Box::new(Mean)));
        assert_eq!(w.wait(), None, "nothing asked, nothing waited for");
        assert!(w.ask(&[0.25; 100], 1_000));
        assert!(w.ask(&[0.75; 100], 2_000));
        let a = w.wait().unwrap();
        let b = w.wait().unwrap();
        assert_eq!((a.probability, a.end), (0.25, 1_000));
        assert_eq!((b.probability, b.end), (0.75, 2_000));
        assert_eq!(w.poll(), None);
    }

    #[test]
    fn only_the_last_eight_seconds_are_sent() {
        let mut w = TurnWorker::spawn(TurnStage::with_detector(Box::new(Mean)));
        let keep = crate::turn::features::WINDOW_SAMPLES;
        let mut audio = vec![1.0; 5 * 16_000];
        audio.extend(vec![0.0; keep]);
        w.ask(&audio, 9);
        assert_eq!(w.wait().unwrap().probability, 0.0);
    }
}
