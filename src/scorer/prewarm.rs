//! Embedding the answer while the candidate is still talking: the spoken
//! session hands the transcript so far to [`prewarm`] after each chunk;
//! a background thread embeds its finished sentences into the model's answer
//! cache, so at the end of the turn only the last sentence or two are new.
//!
//! [`prewarm`] never blocks: the text goes into a small queue, and is
//! dropped when the queue is full (the next chunk's text repeats it).

use super::normalize::Normalizer;
use super::semantic::{self, Model};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

/// Texts waiting for the embedding thread.
const QUEUE: usize = 8;

/// A handle on the embedding thread; dropping it ends the thread.
pub struct Prewarmer {
    tx: SyncSender<String>,
}

impl Prewarmer {
    /// Starts the embedding thread for `model`, splitting answers into
    /// sentences as the scorer does (with `norm`).
    pub fn spawn(model: Arc<Model>, norm: Arc<Normalizer>) -> Option<Prewarmer> {
        let (tx, rx) = sync_channel::<String>(QUEUE);
        std::thread::Builder::new()
            .name("scorer-prewarm".into())
            .spawn(move || run(&rx, &model, &norm))
            .map_err(|e| tracing::warn!("scorer prewarm thread: {e}"))
            .ok()?;
        Some(Prewarmer { tx })
    }

    /// Queues the answer so far; false when it was dropped (queue full).
    pub fn send(&self, text: &str) -> bool {
        match self.tx.try_send(text.to_owned()) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                tracing::debug!("scorer prewarm queue full; text dropped");
                false
            }
            Err(TrySendError::Disconnected(_)) => false,
        }
    }
}

fn run(rx: &Receiver<String>, model: &Model, norm: &Normalizer) {
    while let Ok(text) = rx.recv() {
        let texts = finished_units(norm, &text);
        if texts.is_empty() {
            continue;
        }
        if let Err(e) = model.prewarm_sentences(&texts) {
            tracing::debug!("scorer prewarm: {e}");
        }
    }
}

/// The texts of the units of `text` whose sentence is finished: all but the
/// last sentence, and the last too when the text ends a sentence.
pub fn finished_units<'a>(norm: &Normalizer, text: &'a str) -> Vec<&'a str> {
    let n = norm.normalize(text);
    let Some(last) = n.tokens.last().map(|t| t.sent) else {
        return Vec::new();
    };
    let ended = text.trim_end().ends_with(['.', '?', '!']);
    semantic::unit_spans(&n)
        .into_iter()
        .filter(|(a, _)| ended || n.tokens[*a].sent != last)
        .map(|s| semantic::unit_text(text, &n, s))
        .collect()
}

/// The process's prewarmer: the model and sentence splitting of the last
/// scorer built with [`super::Scorer::new`]; its thread starts on first use.
struct Registered {
    model: Arc<Model>,
    norm: Arc<Normalizer>,
    thread: Option<Prewarmer>,
}

static REGISTERED: Mutex<Option<Registered>> = Mutex::new(None);

pub(super) fn register(model: Arc<Model>, norm: Arc<Normalizer>) {
    *REGISTERED.lock().unwrap_or_else(|p| p.into_inner()) = Some(Registered {
        model,
        norm,
        thread: None,
    });
}

/// Embeds the finished sentences of `answer_so_far` in the background, for
/// the scorer to find when the answer is graded. Cheap and non-blocking; does
/// nothing when no scorer matches by meaning.
pub fn prewarm(answer_so_far: &str) {
    let mut g = REGISTERED.lock().unwrap_or_else(|p| p.into_inner());
    let Some(r) = g.as_mut() else { return };
    if r.thread.is_none() {
        r.thread = Prewarmer::spawn(r.model.clone(), r.norm.clone());
    }
    if let Some(t) = &r.thread {
        t.send(answer_so_far);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_finished_sentences_are_prewarmed() {
        let norm = Normalizer::new(&[]);
        let t = "State locking stops two applies at once. I used S3 with a";
        assert_eq!(
            finished_units(&norm, t),
            vec!["State locking stops two applies at once"]
        );
        let t = "State locking stops two applies at once. I used S3 with a lock file.";
        assert_eq!(finished_units(&norm, t).len(), 2);
        assert!(finished_units(&norm, "  ").is_empty());
    }

    #[test]
    fn sentences_prewarmed_during_the_answer_are_cached_for_grading() {
        let scorer = super::super::Scorer::new(crate::bank::Bank::embedded().unwrap());
        let model = scorer
            .sentence_model()
            .expect("the sentence model is installed by scripts/setup.sh")
            .clone();
        let done = "Prewarm test: the lock lives in a DynamoDB table beside the bucket.";
        prewarm(&format!("{done} And since one point ten you can"));
        let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while !model.holds_sentence(done.trim_end_matches('.')) {
            assert!(std::time::Instant::now() < until, "not prewarmed");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(!model.holds_sentence("And since one point ten you can"));
    }
}
