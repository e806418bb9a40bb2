//! Contextual biasing: while Whisper decodes, favour the words the interview
//! expects right now (the current question's terms first, then the round's).
//!
//! In: a [`BiasContext`] — phrases with weights — travelling with each
//! transcription request. [`TokenTrie::build`] tokenizes every phrase (with
//! a leading space, capitalised, plural) with Whisper's own tokenizer into a
//! trie of token ids; whisper.cpp's logits filter callback then calls
//! [`TokenTrie::apply`] for every decoder at every step, which adds a small
//! bonus to the logits of tokens that start a phrase and a larger one to
//! tokens that continue a phrase already begun — only while the tokens
//! decoded so far are a path of the trie, so a phrase can still complete.
//!
//! Phrases whose every word Whisper already holds as one whole-word token
//! ("load average", "Prometheus") are left out: Whisper spells them without
//! help, and biasing them could only make it hear them where they were not
//! said.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// One phrase to favour; `weight` 1.0 for the current question's terms,
/// less for the round's.
#[derive(Debug, Clone, PartialEq)]
pub struct BiasPhrase {
    pub text: String,
    pub weight: f32,
}

/// Logit bonuses (before weighting): for the first token of a phrase, and
/// for each token continuing one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BiasStrength {
    pub start: f32,
    pub cont: f32,
}

impl Default for BiasStrength {
    fn default() -> Self {
        BiasStrength {
            start: 1.0,
            cont: 3.0,
        }
    }
}

/// What one transcription request is biased toward.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BiasContext {
    pub phrases: Vec<BiasPhrase>,
    pub strength: BiasStrength,
}

impl BiasContext {
    /// A key identifying the context, for caching its trie.
    pub fn key(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for p in &self.phrases {
            p.text.hash(&mut h);
            p.weight.to_bits().hash(&mut h);
        }
        self.strength.start.to_bits().hash(&mut h);
        self.strength.cont.to_bits().hash(&mut h);
        h.finish()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }
}

/// Tokens of a phrase longer than this are not biased (never a term).
const MAX_PHRASE_TOKENS: usize = 12;

#[derive(Debug, Clone, Default)]
struct Node {
    children: HashMap<i32, u32>,
    /// Highest weight of the phrases passing through this node.
    weight: f32,
    /// The path here spells a whole ordinary word that a longer term
    /// continues with a joiner (" for" of "for_each"): what follows gets only
    /// the start bonus, since the word is far more often just the word.
    loose: bool,
}

/// The phrases of a [`BiasContext`] as token-id paths.
#[derive(Debug, Clone)]
pub struct TokenTrie {
    nodes: Vec<Node>,
    /// Root children with their start bonus, for the hot loop.
    starts: Vec<(i32, f32)>,
    start: f32,
    cont: f32,
    max_depth: usize,
    /// Token ids from here up are special (end of text, timestamps).
    eot: i32,
    n_vocab: usize,
    phrases: usize,
}

/// Spellings of a phrase as Whisper writes it mid-sentence: with a leading
/// space, capitalised (sentence start) and, for capitalised terms ending in a
/// letter ("ConfigMap"), plural.
fn variants(text: &str) -> Vec<String> {
    let mut v = vec![format!(" {text}")];
    let mut chars = text.chars();
    if let Some(first) = chars.next() {
        if first.is_lowercase() {
            v.push(format!(" {}{}", first.to_uppercase(), chars.as_str()));
        }
    }
    let capital = text.chars().any(|c| c.is_ascii_uppercase());
    if capital && text.ends_with(|c: char| c.is_ascii_lowercase()) {
        v.push(format!(" {text}s"));
    }
    v
}

/// The token of a spelling's first word when that word is one whole token
/// and the spelling goes on with a joiner (" for_each" → the token of
/// " for"); `None` otherwise.
fn whole_head(spelling: &str, tokenize: &mut impl FnMut(&str) -> Option<Vec<i32>>) -> Option<i32> {
    let text = spelling.trim_start();
    let head = text.split(['_', '-', '.', '/']).next()?;
    if head.is_empty() || head.len() == text.len() {
        return None;
    }
    match tokenize(&format!(" {head}"))?.as_slice() {
        [t] => Some(*t),
        _ => None,
    }
}

impl TokenTrie {
    /// Builds the trie; `tokenize` is Whisper's tokenizer (`None` on error).
    pub fn build(
        ctx: &BiasContext,
        mut tokenize: impl FnMut(&str) -> Option<Vec<i32>>,
        eot: i32,
        n_vocab: usize,
    ) -> TokenTrie {
        let mut nodes = vec![Node::default()];
        let mut max_depth = 0;
        let mut phrases = 0;
        for p in &ctx.phrases {
            let text = p.text.trim();
            if text.is_empty() || p.weight <= 0.0 {
                continue;
            }
            let whole_words = text
                .split_whitespace()
                .all(|w| tokenize(&format!(" {w}")).is_some_and(|t| t.len() == 1));
            if whole_words {
                continue;
            }
            phrases += 1;
            for v in variants(text) {
                let Some(toks) = tokenize(&v) else { continue };
                if toks.is_empty()
                    || toks.len() > MAX_PHRASE_TOKENS
                    || toks.iter().any(|&t| t < 0 || t >= eot)
                {
                    continue;
                }
                max_depth = max_depth.max(toks.len());
                let loose = whole_head(&v, &mut tokenize).is_some_and(|h| h == toks[0]);
                let mut at = 0usize;
                for &t in &toks {
                    let next = match nodes[at].children.get(&t) {
                        Some(&n) => n as usize,
                        None => {
                            nodes.push(Node::default());
                            let n = nodes.len() - 1;
                            nodes[at].children.insert(t, n as u32);
                            n
                        }
                    };
                    nodes[next].weight = nodes[next].weight.max(p.weight);
                    if at == 0 && loose {
                        nodes[next].loose = true;
                    }
                    at = next;
                }
            }
        }
        let mut starts: Vec<(i32, f32)> = nodes[0]
            .children
            .iter()
            .map(|(&t, &n)| (t, ctx.strength.start * nodes[n as usize].weight))
            .collect();
        starts.sort_by_key(|s| s.0);
        TokenTrie {
            nodes,
            starts,
            start: ctx.strength.start,
            cont: ctx.strength.cont,
            max_depth,
            eot,
            n_vocab,
            phrases,
        }
    }

    /// Phrases kept (those Whisper needs help to spell).
    pub fn phrase_count(&self) -> usize {
        self.phrases
    }

    pub fn is_empty(&self) -> bool {
        self.nodes[0].children.is_empty()
    }

    /// The node reached from the root along `path`, if it is a trie path.
    fn walk(&self, path: &[i32]) -> Option<usize> {
        let mut at = 0usize;
        for t in path {
            at = *self.nodes[at].children.get(t)? as usize;
        }
        Some(at)
    }

    /// Adds the bonuses for the next token after `decoded` (this decoder's
    /// tokens so far in the window, timestamps included) to `logits`.
    pub fn apply(&self, decoded: &[i32], logits: &mut [f32]) {
        if logits.len() < self.n_vocab.min(self.eot.max(0) as usize) {
            return;
        }
        // The text since the last special token (timestamp): phrases never
        // span one.
        let from = decoded
            .iter()
            .rposition(|&t| t >= self.eot || t < 0)
            .map_or(0, |i| i + 1);
        let tail = &decoded[from..];
        // Continuations of every phrase begun in the tail, the longest first.
        let mut cont: Vec<(i32, f32)> = Vec::new();
        for k in (1..=self.max_depth.min(tail.len())).rev() {
            let Some(node) = self.walk(&tail[tail.len() - k..]) else {
                continue;
            };
            let bonus = if self.nodes[node].loose {
                self.start
            } else {
                self.cont
            };
            for (&t, &n) in &self.nodes[node].children {
                let b = bonus * self.nodes[n as usize].weight;
                match cont.iter_mut().find(|c| c.0 == t) {
                    Some(c) => c.1 = c.1.max(b),
                    None => cont.push((t, b)),
                }
            }
        }
        for &(t, b) in &self.starts {
            if !cont.iter().any(|c| c.0 == t) {
                add(logits, t, b);
            }
        }
        for &(t, b) in &cont {
            add(logits, t, b);
        }
    }
}

fn add(logits: &mut [f32], t: i32, b: f32) {
    if let Some(l) = logits.get_mut(t as usize) {
        if l.is_finite() {
            *l += b;
        }
    }
}

/// whisper.cpp's logits filter: `user_data` is a `*const TokenTrie` that
/// outlives the call to `whisper_full`. whisper.cpp may call it from several
/// threads at once (one per decoder); the trie is only read.
///
/// # Safety
/// `tokens` points at `n_tokens` token records and `logits` at the model's
/// vocabulary size of floats, as whisper.cpp guarantees; `user_data` is null
/// or a live `TokenTrie`.
pub(crate) unsafe extern "C" fn logits_filter(
    _ctx: *mut whisper_rs::WhisperSysContext,
    _state: *mut whisper_rs::WhisperSysState,
    tokens: *const whisper_rs::WhisperTokenData,
    n_tokens: std::os::raw::c_int,
    logits: *mut f32,
    user_data: *mut std::os::raw::c_void,
) {
    if user_data.is_null() || logits.is_null() {
        return;
    }
    // SAFETY: see the function's contract.
    let trie = unsafe { &*(user_data as *const TokenTrie) };
    let data = if tokens.is_null() || n_tokens <= 0 {
        &[][..]
    } else {
        // SAFETY: whisper.cpp passes its decoder's sequence and length.
        unsafe { std::slice::from_raw_parts(tokens, n_tokens as usize) }
    };
    let mut ids = [0i32; 64];
    let take = data.len().min(ids.len());
    for (slot, d) in ids.iter_mut().zip(&data[data.len() - take..]) {
        *slot = d.id;
    }
    // SAFETY: whisper.cpp's logits buffer holds n_vocab floats.
    let logits = unsafe { std::slice::from_raw_parts_mut(logits, trie.n_vocab) };
    trie.apply(&ids[..take], logits);
}

#[cfg(test)]
mod tests;
