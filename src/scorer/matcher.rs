//! Phrase matching over normalised tokens: in order, with a small gap
//! allowance for spoken asides, and aware of negation ("NACLs are NOT
//! stateful" does not assert "NACLs are stateful").

use super::normalize::{Normalizer, Token};
use super::speech::{AUXILIARIES, NEGATORS, POST_NEGATORS};

/// Glue words a speaker may drop or swap without changing a claim.
const OPTIONAL: &[&str] = &[
    "a", "an", "the", "to", "of", "that", "this", "it", "its", "is", "are", "be", "will", "would",
    "can", "just", "really", "so", "and", "my", "our", "your", "their", "in", "on", "for",
];

/// A phrase compiled to stems.
#[derive(Debug, Clone)]
pub struct Phrase {
    pub stems: Vec<String>,
    /// Function words a speaker may leave out ("apply [to] recreate [the] state").
    pub optional: Vec<bool>,
    /// The phrase itself negates ("don't need dynamodb"): skip negation checks.
    pub negative: bool,
    /// Extra words the speaker may put between the phrase's words.
    pub max_gap: usize,
}

impl Phrase {
    /// Compiles a phrase. With `loose`, its articles and similar glue words
    /// ([`OPTIONAL`]) may be left out by the speaker, and leading/trailing ones
    /// are dropped — unless fewer than two other words would remain.
    pub fn compile(norm: &Normalizer, text: &str, loose: bool) -> Option<Phrase> {
        Self::compile_with(norm, text, loose, false)
    }

    /// Like [`Phrase::compile`]; `strict` allows fewer inserted words, for
    /// claims (misconceptions) whose meaning hangs on word order.
    pub fn compile_with(
        norm: &Normalizer,
        text: &str,
        loose: bool,
        strict: bool,
    ) -> Option<Phrase> {
        let mut toks = norm.normalize(text).tokens;
        if toks.is_empty() {
            return None;
        }
        let negative = toks.iter().any(|t| NEGATORS.contains(&t.word.as_str()));
        let is_opt = |t: &Token| loose && OPTIONAL.contains(&t.word.as_str());
        if toks.iter().filter(|t| !is_opt(t)).count() >= 2 {
            while toks.first().is_some_and(is_opt) {
                toks.remove(0);
            }
            while toks.last().is_some_and(is_opt) {
                toks.pop();
            }
        }
        let required = toks.iter().filter(|t| !is_opt(t)).count();
        let optional = if required < 2 {
            vec![false; toks.len()]
        } else {
            toks.iter().map(is_opt).collect()
        };
        let required = optional.iter().filter(|o| !**o).count();
        let max_gap = match (required, strict) {
            (0 | 1, _) => 0,
            (2, true) => 0,
            (3, true) => 1,
            (_, true) => 2,
            (2 | 3, false) => 2,
            (4 | 5, false) => 3,
            _ => 4,
        };
        Some(Phrase {
            stems: toks.into_iter().map(|t| t.stem).collect(),
            optional,
            negative,
            max_gap,
        })
    }
}

/// Where a phrase matched, as token indices (inclusive start, exclusive end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub negated: bool,
}

/// Finds the first non-negated occurrence of `p`, else the first negated one.
pub fn find(p: &Phrase, toks: &[Token]) -> Option<Hit> {
    find_where(p, toks, |_| true)
}

/// Like [`find`], among the occurrences `accept` takes.
pub fn find_where(p: &Phrase, toks: &[Token], accept: impl Fn(&Hit) -> bool) -> Option<Hit> {
    let mut negated_hit = None;
    let max_gap = p.max_gap;
    for i in 0..toks.len() {
        if toks[i].stem != p.stems[0] {
            continue;
        }
        let Some((end, gap_neg)) = match_from(p, toks, i, max_gap) else {
            continue;
        };
        let after = toks.get(end).filter(|t| t.sent == toks[i].sent);
        let post = after.is_some_and(|t| POST_NEGATORS.contains(&t.word.as_str()));
        let negated = !p.negative && (gap_neg || post || negated_before(toks, i));
        let hit = Hit {
            start: i,
            end,
            negated,
        };
        if !accept(&hit) {
            continue;
        }
        if !negated {
            return Some(hit);
        }
        negated_hit.get_or_insert(hit);
    }
    negated_hit
}

fn match_from(p: &Phrase, toks: &[Token], i: usize, max_gap: usize) -> Option<(usize, bool)> {
    let sent = toks[i].sent;
    let mut j = i + 1;
    let mut gap = 0;
    let mut gap_neg = false;
    for (s, opt) in p.stems[1..].iter().zip(&p.optional[1..]) {
        if *opt {
            if toks.get(j).is_some_and(|t| t.sent == sent && &t.stem == s) {
                j += 1;
            }
            continue;
        }
        loop {
            let t = toks.get(j)?;
            if t.sent != sent {
                return None;
            }
            if &t.stem == s {
                j += 1;
                break;
            }
            if !OPTIONAL.contains(&t.word.as_str()) {
                gap += 1;
            }
            if gap > max_gap {
                return None;
            }
            gap_neg |= NEGATORS.contains(&t.word.as_str());
            j += 1;
        }
    }
    Some((j, gap_neg))
}

/// A negator right before the match, or negator + auxiliary ("not really", "isn't always").
fn negated_before(toks: &[Token], i: usize) -> bool {
    let sent = toks[i].sent;
    let prev = |k: usize| toks.get(i.checked_sub(k)?).filter(|t| t.sent == sent);
    match (prev(1), prev(2)) {
        (Some(a), _) if NEGATORS.contains(&a.word.as_str()) => true,
        (Some(a), Some(b)) => {
            AUXILIARIES.contains(&a.word.as_str()) && NEGATORS.contains(&b.word.as_str())
        }
        _ => false,
    }
}

/// True when any phrase occurs (negation ignored): used for rubric cues.
pub fn any_cue(phrases: &[Phrase], toks: &[Token]) -> Option<Hit> {
    phrases.iter().find_map(|p| find(p, toks))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(phrase: &str, text: &str) -> Option<Hit> {
        let n = Normalizer::default();
        find(
            &Phrase::compile(&n, phrase, true).unwrap(),
            &n.normalize(text).tokens,
        )
    }

    #[test]
    fn matches_with_stems_and_gaps() {
        assert!(hit("state locking", "it locks the state").is_none());
        assert!(
            !hit("state locking", "you need state, um, locking")
                .unwrap()
                .negated
        );
        assert!(
            !hit("lock the state", "we locked the whole state file")
                .unwrap()
                .negated
        );
        assert!(hit("logs previous", "kubectl logs for the previous container").is_some());
    }

    #[test]
    fn negation_is_seen() {
        assert!(
            hit("nacls are stateful", "NACLs are not stateful")
                .unwrap()
                .negated
        );
        assert!(
            hit("nacls are stateful", "nacls aren't stateful at all")
                .unwrap()
                .negated
        );
        assert!(
            hit("stateful", "they are not really stateful")
                .unwrap()
                .negated
        );
        assert!(
            !hit("nacls are stateful", "NACLs are stateful, so")
                .unwrap()
                .negated
        );
        assert!(
            hit("kustomize templates", "kustomize is template free")
                .unwrap()
                .negated
        );
        assert!(
            hit("dynamodb table", "it works without a dynamodb table")
                .unwrap()
                .negated
        );
        assert!(
            !hit("don't need dynamodb", "so you don't need dynamo db")
                .unwrap()
                .negated
        );
        assert!(
            !hit("dynamodb", "so you don't need dynamo db")
                .unwrap()
                .negated
        );
        assert!(
            !hit(
                "apply to recreate the state",
                "run apply again and it recreates the state"
            )
            .unwrap()
            .negated
        );
        assert!(hit("find who caused it", "then find the root cause and fix it").is_none());
        assert!(hit("they were slowing us down", "it was slow").is_none());
    }

    #[test]
    fn does_not_cross_sentences() {
        assert!(hit("state locking", "the state. locking is").is_none());
    }
}
