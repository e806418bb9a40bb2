//! Matching by meaning: the bank's statements (key points with their longer
//! phrasings, misconceptions with theirs) and the answer's sentences as
//! MiniLM embeddings, compared by cosine similarity.
//!
//! Statement embeddings are computed once per text and kept in a cache file
//! (`<cache dir>/minilm-statements.bin`), so compiling the bank reads vectors
//! instead of running the model; only the answer is embedded per score.

use super::answer_cache::AnswerCache;
use super::embed::{self, cosine, EmbedError, DIM};
use super::index::CQuestion;
use super::normalize::Normalized;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

const CACHE_MAGIC: &[u8; 8] = b"MKEMB001";
/// Sentences longer than this many tokens are embedded in windows.
const MAX_UNIT_TOKENS: usize = 40;

/// The sentence model (loading in the background, see [`embed::Background`]),
/// the bank statements' embeddings and the answer sentences' embeddings.
pub struct Model {
    encoder: Arc<embed::Background>,
    cache: Mutex<HashMap<[u8; 32], Arc<[f32]>>>,
    cache_file: Option<PathBuf>,
    answers: AnswerCache,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("semantic::Model")
    }
}

/// The process-wide model, loaded on first use from the models directory.
/// `None` when it is not installed (or `MOCKINT_SCORER_LEXICAL` is set): the
/// scorer then matches words only, and says so in [`super::Score::scorer`].
pub fn shared() -> Option<Arc<Model>> {
    static SHARED: OnceLock<Option<Arc<Model>>> = OnceLock::new();
    SHARED
        .get_or_init(|| {
            if std::env::var_os("MOCKINT_SCORER_LEXICAL").is_some() {
                return None;
            }
            match Model::load(&embed::default_dir()) {
                Ok(m) => Some(Arc::new(m)),
                Err(e) => {
                    tracing::warn!("scorer falls back to lexical matching: {e}");
                    None
                }
            }
        })
        .clone()
}

fn key(text: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"all-MiniLM-L6-v2\0");
    h.update(text.as_bytes());
    h.finalize().into()
}

fn read_cache(path: &std::path::Path) -> HashMap<[u8; 32], Arc<[f32]>> {
    let mut map = HashMap::new();
    let Ok(bytes) = std::fs::read(path) else {
        return map;
    };
    if bytes.len() < 8 || &bytes[..8] != CACHE_MAGIC {
        tracing::warn!("ignoring {}: not a statement cache", path.display());
        return map;
    }
    let rec = 32 + DIM * 4;
    for r in bytes[8..].chunks_exact(rec) {
        let mut k = [0u8; 32];
        k.copy_from_slice(&r[..32]);
        let v: Vec<f32> = r[32..]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        map.insert(k, v.into());
    }
    map
}

impl Model {
    /// Opens the model in `dir`: checks its files are there and reads the
    /// statement cache now; the encoder itself loads in the background.
    pub fn load(dir: &std::path::Path) -> Result<Model, EmbedError> {
        embed::check_files(dir)?;
        Ok(Self::with_encoder(embed::Background::spawn(
            dir.to_path_buf(),
        )))
    }

    fn with_encoder(encoder: Arc<embed::Background>) -> Model {
        let cache_file = Some(crate::models::store::cache_dir().join("minilm-statements.bin"));
        let cache = cache_file.as_deref().map(read_cache).unwrap_or_default();
        Model {
            encoder,
            cache: Mutex::new(cache),
            cache_file,
            answers: AnswerCache::default(),
        }
    }

    /// Another handle on the same (already loading) encoder, with the
    /// statement cache read afresh and no answer sentences: what a session
    /// start costs once the weights are in memory.
    pub fn reopen(&self) -> Model {
        Self::with_encoder(self.encoder.clone())
    }

    /// Waits until the encoder is loaded.
    pub fn wait_loaded(&self) -> Result<(), EmbedError> {
        self.encoder.get().map(drop)
    }

    /// Embeds texts with no caching.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.encoder.get()?.embed(texts)
    }

    /// Embeddings of answer sentences: from the answer cache where they were
    /// embedded already (or are being embedded), the rest now.
    pub fn answer_vectors(&self, texts: &[&str]) -> Result<Vec<Arc<[f32]>>, EmbedError> {
        self.answers.get(texts, &|t| self.embed(t))
    }

    /// Embeds answer sentences for later (see `prewarm`).
    pub fn prewarm_sentences(&self, texts: &[&str]) -> Result<(), EmbedError> {
        self.answers.fill(texts, &|t| self.embed(t))
    }

    /// Answer sentences held in the cache.
    pub fn cached_sentences(&self) -> usize {
        self.answers.len()
    }

    /// Whether this answer sentence's embedding is in the cache.
    pub fn holds_sentence(&self, text: &str) -> bool {
        self.answers.holds(text)
    }

    /// Forgets the answer sentences (benchmarks measure a cold score with it).
    pub fn forget_sentences(&self) {
        self.answers.clear();
    }

    /// Embeddings of bank statements, from the cache where possible; new ones
    /// are computed in one batch and appended to the cache file.
    pub fn statements(&self, texts: &[&str]) -> Result<Vec<Arc<[f32]>>, EmbedError> {
        let keys: Vec<[u8; 32]> = texts.iter().map(|t| key(t)).collect();
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        let mut todo: Vec<usize> = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            if !cache.contains_key(k) && !todo.iter().any(|j| keys[*j] == *k) {
                todo.push(i);
            }
        }
        if !todo.is_empty() {
            tracing::info!(
                "embedding {} bank statements (cached for next time)",
                todo.len()
            );
            let new = self
                .encoder
                .get()?
                .embed(&todo.iter().map(|i| texts[*i]).collect::<Vec<_>>())?;
            let mut bytes = Vec::new();
            for (i, v) in todo.iter().zip(new) {
                bytes.extend_from_slice(&keys[*i]);
                for x in &v {
                    bytes.extend_from_slice(&x.to_le_bytes());
                }
                cache.insert(keys[*i], v.into());
            }
            if let Some(p) = &self.cache_file {
                if let Err(e) = append_cache(p, &bytes) {
                    tracing::warn!("could not save {}: {e}", p.display());
                }
            }
        }
        Ok(keys.iter().map(|k| cache[k].clone()).collect())
    }
}

fn append_cache(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d)?;
    }
    let fresh = std::fs::metadata(path).map(|m| m.len() < 8).unwrap_or(true);
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    if fresh {
        f.set_len(0)?;
        f.write_all(CACHE_MAGIC)?;
    }
    f.write_all(bytes)
}

/// A question's statements as embeddings.
#[derive(Debug, Clone)]
pub struct SemQuestion {
    /// Per key point: its text, then its phrasings of three words or more.
    pub key_points: Vec<Vec<Arc<[f32]>>>,
    /// Per misconception: its text, then its phrasings.
    pub misconceptions: Vec<Vec<Arc<[f32]>>>,
    /// The prompt plus the key point for interview: the question's theme.
    pub theme: Vec<Arc<[f32]>>,
}

/// The statements of a question to embed, grouped as [`SemQuestion`] holds them.
fn statement_groups(q: &crate::bank::Question) -> Vec<Vec<String>> {
    let mut groups = Vec::new();
    for k in &q.key_points {
        let mut g = vec![k.text.clone()];
        g.extend(
            k.phrases
                .iter()
                .filter(|p| p.split_whitespace().count() >= 3)
                .cloned(),
        );
        groups.push(g);
    }
    for m in &q.misconceptions {
        let mut g = vec![m.text.clone()];
        g.extend(m.phrases.iter().cloned());
        groups.push(g);
    }
    let mut theme = vec![q.prompt.clone()];
    if !q.key_point_for_interview.trim().is_empty() {
        theme.push(q.key_point_for_interview.clone());
    }
    groups.push(theme);
    groups
}

/// Embeds the statements of many questions at once (one batch for the misses).
pub fn compile(
    model: &Model,
    questions: &[&crate::bank::Question],
) -> Result<Vec<SemQuestion>, EmbedError> {
    let groups: Vec<Vec<Vec<String>>> = questions.iter().map(|q| statement_groups(q)).collect();
    let flat: Vec<&str> = groups
        .iter()
        .flatten()
        .flatten()
        .map(String::as_str)
        .collect();
    let mut vecs = model.statements(&flat)?.into_iter();
    let mut out = Vec::with_capacity(questions.len());
    for (q, gs) in questions.iter().zip(&groups) {
        let mut take =
            |g: &Vec<String>| -> Vec<Arc<[f32]>> { g.iter().filter_map(|_| vecs.next()).collect() };
        let nk = q.key_points.len();
        let nm = q.misconceptions.len();
        let key_points = gs[..nk].iter().map(&mut take).collect();
        let misconceptions = gs[nk..nk + nm].iter().map(&mut take).collect();
        let theme = take(&gs[nk + nm]);
        out.push(SemQuestion {
            key_points,
            misconceptions,
            theme,
        });
    }
    Ok(out)
}

/// A stretch of the answer embedded as one unit: a sentence, or a window
/// of a long one. Token range is inclusive start, exclusive end.
#[derive(Debug, Clone)]
pub struct Unit {
    pub start: usize,
    pub end: usize,
    pub vec: Arc<[f32]>,
}

/// The token spans of the answer's units: its sentences, long ones cut into
/// overlapping windows so no claim is cut in two everywhere.
pub fn unit_spans(norm: &Normalized) -> Vec<(usize, usize)> {
    let toks = &norm.tokens;
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let mut j = i;
        while j < toks.len() && toks[j].sent == toks[i].sent {
            j += 1;
        }
        if j - i <= MAX_UNIT_TOKENS {
            spans.push((i, j));
        } else {
            let step = MAX_UNIT_TOKENS * 2 / 3;
            let mut a = i;
            loop {
                let b = (a + MAX_UNIT_TOKENS).min(j);
                spans.push((a, b));
                if b == j {
                    break;
                }
                a += step;
            }
        }
        i = j;
    }
    spans
}

/// The text of a unit.
pub fn unit_text<'a>(answer: &'a str, norm: &Normalized, (a, b): (usize, usize)) -> &'a str {
    &answer[norm.tokens[a].start..norm.tokens[b - 1].end]
}

/// The answer's units, embedded (sentences embedded earlier come from the
/// answer cache).
pub fn answer_units(
    model: &Model,
    answer: &str,
    norm: &Normalized,
) -> Result<Vec<Unit>, EmbedError> {
    let spans = unit_spans(norm);
    let texts: Vec<&str> = spans.iter().map(|s| unit_text(answer, norm, *s)).collect();
    let vecs = model.answer_vectors(&texts)?;
    Ok(spans
        .into_iter()
        .zip(vecs)
        .map(|((start, end), vec)| Unit { start, end, vec })
        .collect())
}

/// Best similarity of any unit to any of `statements`: (similarity, unit index).
pub fn best(units: &[Unit], statements: &[Arc<[f32]>]) -> Option<(f32, usize)> {
    let mut top: Option<(f32, usize)> = None;
    for (u, unit) in units.iter().enumerate() {
        for s in statements {
            let c = cosine(&unit.vec, s);
            if !matches!(top, Some((b, _)) if c <= b) {
                top = Some((c, u));
            }
        }
    }
    top
}

/// Similarity of each unit to the best-matching statement of each group.
pub fn unit_best(unit: &Unit, statements: &[Arc<[f32]>]) -> f32 {
    statements
        .iter()
        .map(|s| cosine(&unit.vec, s))
        .fold(f32::MIN, f32::max)
}

/// True when the compiled question and its embeddings line up.
pub fn fits(cq: &CQuestion, sq: &SemQuestion) -> bool {
    cq.key_points.len() == sq.key_points.len() && cq.misconceptions.len() == sq.misconceptions.len()
}
