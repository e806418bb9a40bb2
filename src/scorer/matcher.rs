//! Phrase matching over normalised tokens: in order, with a small gap
//! allowance for spoken asides, and aware of negation ("NACLs are NOT
//! stateful" does not assert "NACLs are stateful").

use super::normalize::{Normalizer, Token};
use super::speech::{AUXILIARIES, NEGATORS};

/// A phrase compiled to stems.
#[derive(Debug, Clone)]
pub struct Phrase {
    pub stems: Vec<String>,
    /// The phrase itself negates ("don't need dynamodb"): skip negation checks.
    pub negative: bool,
}

impl Phrase {
    pub fn compile(norm: &Normalizer, text: &str) -> Option<Phrase> {
        let n = norm.normalize(text);
        if n.tokens.is_empty() {
            return None;
        }
        let negative = n.tokens.iter().any(|t| NEGATORS.contains(&t.word.as_str()));
        Some(Phrase { stems: n.tokens.into_iter().map(|t| t.stem).collect(), negative })
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
    let mut negated_hit = None;
    let n = p.stems.len();
    let max_gap = match n {
        1 => 0,
        2 | 3 => 2,
        _ => 3,
    };
    for i in 0..toks.len() {
        if toks[i].stem != p.stems[0] {
            continue;
        }
        let Some((end, gap_neg)) = match_from(p, toks, i, max_gap) else { continue };
        let negated = !p.negative && (gap_neg || negated_before(toks, i));
        let hit = Hit { start: i, end, negated };
        if !negated {
            return Some(hit);
        }
        negated_hit.get_or_insert(hit);
        let _ = n;
    }
    negated_hit
}

fn match_from(p: &Phrase, toks: &[Token], i: usize, max_gap: usize) -> Option<(usize, bool)> {
    let sent = toks[i].sent;
    let mut j = i + 1;
    let mut gap = 0;
    let mut gap_neg = false;
    for s in &p.stems[1..] {
        loop {
            let t = toks.get(j)?;
            if t.sent != sent {
                return None;
            }
            if &t.stem == s {
                j += 1;
                break;
            }
            gap += 1;
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
        find(&Phrase::compile(&n, phrase).unwrap(), &n.normalize(text).tokens)
    }

    #[test]
    fn matches_with_stems_and_gaps() {
        assert!(hit("state locking", "it locks the state").is_none());
        assert!(!hit("state locking", "you need state, um, locking").unwrap().negated);
        assert!(!hit("lock the state", "we locked the whole state file").unwrap().negated);
        assert!(hit("logs previous", "kubectl logs for the previous container").is_some());
    }

    #[test]
    fn negation_is_seen() {
        assert!(hit("nacls are stateful", "NACLs are not stateful").unwrap().negated);
        assert!(hit("nacls are stateful", "nacls aren't stateful at all").unwrap().negated);
        assert!(hit("stateful", "they are not really stateful").unwrap().negated);
        assert!(!hit("nacls are stateful", "NACLs are stateful, so").unwrap().negated);
        assert!(!hit("don't need dynamodb", "so you don't need dynamo db").unwrap().negated);
        assert!(!hit("dynamodb", "so you don't need dynamo db").unwrap().negated);
    }

    #[test]
    fn does_not_cross_sentences() {
        assert!(hit("state locking", "the state. locking is").is_none());
    }
}
