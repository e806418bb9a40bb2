//! Embeddings of answer sentences, kept by their normalised text so a
//! sentence embedded while the candidate was still talking (see `prewarm`)
//! is not embedded again when the answer is graded.
//!
//! A text being embedded by one thread is marked pending; another thread
//! that needs it waits for it (a short while) instead of computing it twice.

use super::embed::EmbedError;
use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Sentences kept; past this the finished ones are dropped (a session's
/// answers are a few hundred sentences).
const CAPACITY: usize = 4096;
/// How long a grader waits for a sentence another thread is embedding
/// before embedding it itself.
const WAIT: Duration = Duration::from_secs(2);

enum Slot {
    Ready(Arc<[f32]>),
    Pending,
}

/// The cache. Embedding is passed in, so the cache is tested without a model.
#[derive(Default)]
pub struct AnswerCache {
    map: Mutex<HashMap<String, Slot>>,
    filled: Condvar,
}

/// The key of a text: lowercase, single spaces. The encoder is uncased and
/// splits on whitespace first, so texts with one key embed identically.
pub fn key(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

type Embed<'a> = &'a dyn Fn(&[&str]) -> Result<Vec<Vec<f32>>, EmbedError>;

impl AnswerCache {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Slot>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Number of finished embeddings held.
    pub fn len(&self) -> usize {
        self.lock()
            .values()
            .filter(|s| matches!(s, Slot::Ready(_)))
            .count()
    }

    /// Whether the embedding of `text` is held.
    pub fn holds(&self, text: &str) -> bool {
        matches!(self.lock().get(&key(text)), Some(Slot::Ready(_)))
    }

    /// Forgets every finished embedding.
    pub fn clear(&self) {
        self.lock().retain(|_, s| matches!(s, Slot::Pending));
    }

    /// Embeds the texts nobody has embedded or is embedding (for later).
    pub fn fill(&self, texts: &[&str], embed: Embed) -> Result<(), EmbedError> {
        let keys: Vec<String> = texts.iter().map(|t| key(t)).collect();
        self.claim_and_embed(texts, &keys, embed)
    }

    /// The embeddings of `texts`, in order: cached ones as they are, ones
    /// another thread is embedding when it finishes, the rest embedded now.
    pub fn get(&self, texts: &[&str], embed: Embed) -> Result<Vec<Arc<[f32]>>, EmbedError> {
        let keys: Vec<String> = texts.iter().map(|t| key(t)).collect();
        let t0 = Instant::now();
        let held = {
            let map = self.lock();
            keys.iter()
                .filter(|k| matches!(map.get(*k), Some(Slot::Ready(_))))
                .count()
        };
        self.claim_and_embed(texts, &keys, embed)?;
        tracing::debug!(
            sentences = keys.len(),
            cached = held,
            ms = t0.elapsed().as_secs_f64() * 1000.0,
            "answer sentences embedded"
        );
        let deadline = Instant::now() + WAIT;
        let mut map = self.lock();
        loop {
            let missing: Vec<usize> = (0..keys.len())
                .filter(|i| !matches!(map.get(&keys[*i]), Some(Slot::Ready(_))))
                .collect();
            let now = Instant::now();
            let waiting = missing
                .iter()
                .any(|i| matches!(map.get(&keys[*i]), Some(Slot::Pending)));
            if missing.is_empty() || !waiting || now >= deadline {
                // Whatever is still missing (evicted, failed elsewhere, or
                // too slow) is embedded here.
                let mut own: HashMap<usize, Arc<[f32]>> = HashMap::new();
                if !missing.is_empty() {
                    drop(map);
                    let t: Vec<&str> = missing.iter().map(|i| texts[*i]).collect();
                    for (i, v) in missing.iter().zip(embed(&t)?) {
                        own.insert(*i, v.into());
                    }
                    map = self.lock();
                }
                return Ok((0..keys.len())
                    .map(|i| match (own.get(&i), map.get(&keys[i])) {
                        (Some(v), _) => v.clone(),
                        (None, Some(Slot::Ready(v))) => v.clone(),
                        // Unreachable: not missing means ready.
                        (None, _) => Arc::from(Vec::new()),
                    })
                    .collect());
            }
            map = self
                .filled
                .wait_timeout(map, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// Marks the texts nobody holds as pending, embeds them, stores them.
    fn claim_and_embed(
        &self,
        texts: &[&str],
        keys: &[String],
        embed: Embed,
    ) -> Result<(), EmbedError> {
        let mut mine: Vec<usize> = Vec::new();
        {
            let mut map = self.lock();
            if map.len() > CAPACITY {
                map.retain(|_, s| matches!(s, Slot::Pending));
            }
            for (i, k) in keys.iter().enumerate() {
                if !map.contains_key(k) {
                    map.insert(k.clone(), Slot::Pending);
                    mine.push(i);
                }
            }
        }
        if mine.is_empty() {
            return Ok(());
        }
        let t: Vec<&str> = mine.iter().map(|i| texts[*i]).collect();
        let result = embed(&t);
        let mut map = self.lock();
        let out = match result {
            Ok(vecs) => {
                for (i, v) in mine.iter().zip(vecs) {
                    map.insert(keys[*i].clone(), Slot::Ready(v.into()));
                }
                Ok(())
            }
            Err(e) => {
                for i in &mine {
                    map.remove(&keys[*i]);
                }
                Err(e)
            }
        };
        drop(map);
        self.filled.notify_all();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn fake(calls: &AtomicUsize) -> impl Fn(&[&str]) -> Result<Vec<Vec<f32>>, EmbedError> + '_ {
        move |t: &[&str]| {
            calls.fetch_add(t.len(), Ordering::SeqCst);
            Ok(t.iter().map(|s| vec![s.len() as f32]).collect())
        }
    }

    #[test]
    fn a_prewarmed_sentence_is_not_embedded_again() {
        let cache = AnswerCache::default();
        let calls = AtomicUsize::new(0);
        let f = fake(&calls);
        cache.fill(&["State locking  prevents races."], &f).unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        let v = cache
            .get(&["state locking prevents races.", "I chose S3."], &f)
            .unwrap();
        // Only the new sentence was embedded; the first came from the cache.
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(v[0][0], "State locking  prevents races.".len() as f32);
        assert_eq!(v[1][0], "I chose S3.".len() as f32);
        assert_eq!(cache.len(), 2);
        cache.clear();
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn a_failed_embedding_is_not_left_pending() {
        let cache = AnswerCache::default();
        let fail = |_: &[&str]| -> Result<Vec<Vec<f32>>, EmbedError> {
            Err(EmbedError::Run("boom".into()))
        };
        assert!(cache.fill(&["a sentence"], &fail).is_err());
        let calls = AtomicUsize::new(0);
        let v = cache.get(&["a sentence"], &fake(&calls)).unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_grader_waits_for_a_sentence_being_embedded_elsewhere() {
        let cache = Arc::new(AnswerCache::default());
        let calls = Arc::new(AtomicUsize::new(0));
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let c = cache.clone();
        let n = calls.clone();
        let slow = std::thread::spawn(move || {
            let f = move |t: &[&str]| -> Result<Vec<Vec<f32>>, EmbedError> {
                started_tx.send(()).unwrap();
                std::thread::sleep(Duration::from_millis(100));
                n.fetch_add(t.len(), Ordering::SeqCst);
                Ok(t.iter().map(|_| vec![7.0]).collect())
            };
            c.fill(&["the long sentence"], &f).unwrap();
        });
        started_rx.recv().unwrap();
        let own = AtomicUsize::new(0);
        let v = cache.get(&["the long sentence"], &fake(&own)).unwrap();
        slow.join().unwrap();
        assert_eq!(v[0][0], 7.0, "took the other thread's embedding");
        assert_eq!(own.load(Ordering::SeqCst), 0);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
