//! Speech-transcript normalisation: the same pipeline runs over answers and
//! over bank phrases, so they meet in one form.
//!
//! lowercase → split on punctuation (keeping sentence ids and byte spans into
//! the original) → drop fillers and restarts → spoken numbers to digits →
//! misheard jargon to canonical tokens → light stemming.

use super::numbers::{convert_numbers, numbers_in_words};
use super::speech::{FILLERS, FILLER_PHRASES};
use super::speech_jargon::JARGON;
use super::stem::stem;
use std::collections::HashMap;

/// One normalised word of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Normalised word (lowercase, numbers as digits, jargon canonical).
    pub word: String,
    /// Light stem of `word`, used for matching.
    pub stem: String,
    /// Byte range in the original text.
    pub start: usize,
    pub end: usize,
    /// Index of the sentence the token is in.
    pub sent: u32,
}

/// A normalised text plus what was removed from it.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    pub tokens: Vec<Token>,
    /// Fillers and restarts removed.
    pub dropped: usize,
    /// Number of sentences.
    pub sentences: u32,
}

/// The normaliser: jargon table compiled for longest-first matching.
#[derive(Debug, Clone)]
pub struct Normalizer {
    /// first word → (pattern words, canonical), longest patterns first.
    jargon: HashMap<String, Vec<(Vec<String>, String)>>,
}

impl Default for Normalizer {
    fn default() -> Self {
        Self::new(&[])
    }
}

impl Normalizer {
    /// Builds the jargon table from the built-in list plus bank vocabulary:
    /// "CrashLoopBackOff" also matches "crash loop back off", "EKS" also "e k s".
    pub fn new(vocabulary: &[String]) -> Self {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (canon, forms) in JARGON {
            for f in *forms {
                pairs.push((f.to_string(), canon.to_string()));
            }
        }
        for term in vocabulary {
            if let Some((spoken, canon)) = vocabulary_variant(term) {
                pairs.push((spoken, canon));
            }
        }
        let mut jargon: HashMap<String, Vec<(Vec<String>, String)>> = HashMap::new();
        for (spoken, canon) in pairs {
            let words: Vec<String> = raw_words(&spoken).into_iter().map(|w| w.text).collect();
            let words = numbers_in_words(words);
            if words.is_empty() || (words.len() == 1 && words[0] == canon) {
                continue;
            }
            jargon
                .entry(words[0].clone())
                .or_default()
                .push((words, canon));
        }
        for v in jargon.values_mut() {
            v.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
            v.dedup();
        }
        Normalizer { jargon }
    }

    pub fn normalize(&self, text: &str) -> Normalized {
        let raw = expand_contractions(raw_words(text));
        let sentences = raw.last().map_or(0, |w| w.sent + 1);
        let (words, fillers) = drop_fillers(raw);
        let words = convert_numbers(words);
        let (words, restarts) = collapse_restarts(words);
        let dropped = fillers + restarts;
        let words = self.apply_jargon(words);
        let tokens = words
            .into_iter()
            .map(|w| Token {
                stem: stem(&w.text),
                word: w.text,
                start: w.start,
                end: w.end,
                sent: w.sent,
            })
            .collect();
        Normalized {
            tokens,
            dropped,
            sentences,
        }
    }

    /// Normalised stems of a phrase (for matching).
    pub fn stems(&self, phrase: &str) -> Vec<String> {
        self.normalize(phrase)
            .tokens
            .into_iter()
            .map(|t| t.stem)
            .collect()
    }

    fn apply_jargon(&self, words: Vec<RawWord>) -> Vec<RawWord> {
        let mut out: Vec<RawWord> = Vec::with_capacity(words.len());
        let mut i = 0;
        while i < words.len() {
            let mut matched = false;
            if let Some(cands) = self.jargon.get(&words[i].text) {
                for (pat, canon) in cands {
                    let n = pat.len();
                    if i + n <= words.len()
                        && words[i..i + n].iter().zip(pat).all(|(w, p)| &w.text == p)
                        && words[i..i + n].iter().all(|w| w.sent == words[i].sent)
                    {
                        out.push(RawWord {
                            text: canon.clone(),
                            start: words[i].start,
                            end: words[i + n - 1].end,
                            sent: words[i].sent,
                            cut: false,
                        });
                        i += n;
                        matched = true;
                        break;
                    }
                }
            }
            if !matched {
                out.push(words[i].clone());
                i += 1;
            }
        }
        out
    }
}

/// Spoken variant of a vocabulary term: camel case split or acronym spelled.
fn vocabulary_variant(term: &str) -> Option<(String, String)> {
    let canon: String = term
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    if canon.len() < 2 || term.contains(' ') || term.contains('-') || term.contains('_') {
        return None;
    }
    let letters: Vec<char> = term.chars().filter(|c| c.is_alphanumeric()).collect();
    if letters.len() <= 5
        && letters
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        let spelled: Vec<String> = letters
            .iter()
            .map(|c| c.to_ascii_lowercase().to_string())
            .collect();
        return Some((spelled.join(" "), canon));
    }
    let mut parts = String::new();
    let mut prev_upper = true;
    for c in term.chars() {
        if c.is_ascii_uppercase() && !prev_upper {
            parts.push(' ');
        }
        prev_upper = c.is_ascii_uppercase();
        parts.push(c.to_ascii_lowercase());
    }
    (parts.contains(' ')).then_some((parts, canon))
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct RawWord {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub sent: u32,
    /// Followed by a dash and a space: a cut-off restart ("we- we used").
    pub cut: bool,
}

/// Splits into lowercase words; keeps "1.6", "1,000", "don't", "t3a".
fn raw_words(text: &str) -> Vec<RawWord> {
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut sent = 0u32;
    let mut i = 0;
    let n = bytes.len();
    let is_word = |c: char| c.is_alphanumeric();
    while i < n {
        let (pos, c) = bytes[i];
        if is_word(c) {
            let start = pos;
            let mut j = i + 1;
            while j < n {
                let cj = bytes[j].1;
                let next_word = j + 1 < n && is_word(bytes[j + 1].1);
                let prev_digit = bytes[j - 1].1.is_ascii_digit();
                let next_digit = j + 1 < n && bytes[j + 1].1.is_ascii_digit();
                if is_word(cj)
                    || ((cj == '\'' || cj == '’') && next_word && bytes[j - 1].1.is_alphabetic())
                    || ((cj == '.' || cj == ',') && prev_digit && next_digit)
                {
                    j += 1;
                } else {
                    break;
                }
            }
            let end = if j < n { bytes[j].0 } else { text.len() };
            let word: String = text[start..end]
                .chars()
                .filter(|c| *c != ',')
                .map(|c| if c == '’' { '\'' } else { c })
                .collect::<String>()
                .to_lowercase();
            let cut = j < n
                && matches!(bytes[j].1, '-' | '—' | '–')
                && (j + 1 >= n || bytes[j + 1].1.is_whitespace());
            out.push(RawWord {
                text: word,
                start,
                end,
                sent,
                cut,
            });
            i = j;
        } else {
            if c == '%' {
                out.push(RawWord {
                    text: "percent".into(),
                    start: pos,
                    end: pos + 1,
                    sent,
                    cut: false,
                });
            } else if matches!(c, '.' | '?' | '!' | ';')
                && out.last().is_some_and(|w: &RawWord| w.sent == sent)
                // A dot inside a name (".tf", "values.yaml", "node.js") ends nothing.
                && !(c == '.' && i + 1 < n && bytes[i + 1].1.is_alphanumeric())
            {
                sent += 1;
            }
            i += 1;
        }
    }
    // Sentence ids must be dense from 0 (a trailing "." opened an empty one).
    out
}

fn drop_fillers(words: Vec<RawWord>) -> (Vec<RawWord>, usize) {
    let before = words.len();
    let phrases: Vec<Vec<&str>> = FILLER_PHRASES
        .iter()
        .map(|p| p.split(' ').collect())
        .collect();
    let mut kept: Vec<RawWord> = Vec::with_capacity(words.len());
    let mut i = 0;
    'outer: while i < words.len() {
        let w = &words[i];
        if FILLERS.contains(&w.text.as_str()) || w.cut {
            i += 1;
            continue;
        }
        for p in &phrases {
            if i + p.len() <= words.len()
                && words[i..i + p.len()]
                    .iter()
                    .zip(p)
                    .all(|(a, b)| a.text == *b)
            {
                i += p.len();
                continue 'outer;
            }
        }
        // "like" as a filler: next to a filler or at the start of a sentence.
        if w.text == "like" {
            let first = !matches!(kept.last(), Some(k) if k.sent == w.sent);
            if first {
                i += 1;
                continue;
            }
        }
        kept.push(w.clone());
        i += 1;
    }
    let dropped = before - kept.len();
    (kept, dropped)
}

/// "aren't" → "are not", so phrases and negation see the same words.
fn expand_contractions(words: Vec<RawWord>) -> Vec<RawWord> {
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        let base = match w.text.as_str() {
            "can't" | "cannot" => Some("can"),
            "won't" => Some("will"),
            "shan't" => Some("shall"),
            t => t.strip_suffix("n't"),
        };
        match base {
            Some(b) if !b.is_empty() => {
                out.push(RawWord {
                    text: b.to_string(),
                    ..w.clone()
                });
                out.push(RawWord {
                    text: "not".into(),
                    ..w
                });
            }
            _ => out.push(w),
        }
    }
    out
}

/// Restarts: "the the", "we use we use" (numbers are left alone: "777").
fn collapse_restarts(words: Vec<RawWord>) -> (Vec<RawWord>, usize) {
    let before = words.len();
    let is_num = |w: &RawWord| w.text.starts_with(|c: char| c.is_ascii_digit());
    let mut kept: Vec<RawWord> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if !is_num(w)
            && kept
                .last()
                .is_some_and(|k| k.text == w.text && k.sent == w.sent)
        {
            i += 1;
            continue;
        }
        let k = kept.len();
        if k >= 2
            && i + 1 < words.len()
            && !is_num(w)
            && kept[k - 2].text == w.text
            && kept[k - 1].text == words[i + 1].text
        {
            i += 2;
            continue;
        }
        kept.push(w.clone());
        i += 1;
    }
    let dropped = before - kept.len();
    (kept, dropped)
}

#[cfg(test)]
#[path = "normalize_tests.rs"]
mod tests;
