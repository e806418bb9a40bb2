//! Questions that compare things ("the difference between liveness,
//! readiness and startup probes", "ALB versus NLB"): a claim about one of
//! them said of another is a mix-up, not the claim. "Readiness is the one
//! that restarts the container" does not earn "Liveness failure restarts the
//! container", however close the words and the meaning are.
//!
//! Derived from the bank, not listed: a prompt that compares (it says
//! "difference", "versus", "vs" or "compare", or offers a choice: "X or Y:
//! when do you use each?") names the things compared, and
//! the key points and misconceptions that begin with one of the prompt's own
//! words are about it. A statement that names exactly one of those things is
//! *about* it; a sentence of the answer that names compared things, none of
//! them that one, cannot earn or hold it. A mention after "unlike", "than",
//! "instead of", "compared to", "versus" or "not" is a contrast, not the
//! sentence's subject ("Unlike ALB, it preserves the source IP"), and a
//! claim whose thing is named only so is said of something else.

use super::index::CQuestion;
use super::matcher::{find_where, Hit, Phrase};
use super::normalize::{Normalizer, Token};
use std::collections::HashSet;

/// Words after which a compared thing is the foil, not the subject.
const FOIL_CUES: &[&str] = &[
    "unlike", "than", "instead", "versus", "vs", "not", "compared", "whereas", "over",
];

/// The compared things of one question (stems), empty when it compares none.
pub(super) fn entities(
    norm: &Normalizer,
    prompt: &str,
    statements: &[&str],
    stop: &HashSet<String>,
) -> Vec<String> {
    let p = prompt.to_lowercase();
    let compares = ["differ", "versus", " vs", "compare"]
        .iter()
        .any(|c| p.contains(c));
    // "Threading or multiprocessing: when do you use each?", "Monorepo or
    // polyrepo: how do you decide?"
    let choice = p.contains(" or ")
        && [": ", "each", "choose", "decide", "which would"]
            .iter()
            .any(|c| p.contains(c));
    if !compares && !choice {
        return Vec::new();
    }
    let content = |t: &Token| !stop.contains(&t.word) && !stop.contains(&t.stem);
    let in_prompt: HashSet<String> = norm
        .normalize(prompt)
        .tokens
        .into_iter()
        .filter(content)
        .map(|t| t.stem)
        .collect();
    let mut out: Vec<String> = Vec::new();
    for s in statements {
        let first = norm.normalize(s).tokens.into_iter().find(content);
        if let Some(t) = first.filter(|t| in_prompt.contains(&t.stem)) {
            if !out.contains(&t.stem) {
                out.push(t.stem);
            }
        }
    }
    if out.len() < 2 {
        out.clear();
    }
    out
}

/// The one compared thing `text` names, if it names exactly one.
pub(super) fn subject(norm: &Normalizer, text: &str, entities: &[String]) -> Option<String> {
    let (named, _) = named(&norm.normalize(text).tokens, entities);
    (named.len() == 1).then(|| named.into_iter().next().unwrap_or_default())
}

/// The compared things `toks` name as a subject, and those they name only
/// as a foil.
fn named(toks: &[Token], entities: &[String]) -> (HashSet<String>, HashSet<String>) {
    let (mut subjects, mut foils) = (HashSet::new(), HashSet::new());
    for (i, t) in toks.iter().enumerate() {
        if !entities.contains(&t.stem) {
            continue;
        }
        let before = &toks[i.saturating_sub(2)..i];
        if before.iter().any(|b| FOIL_CUES.contains(&b.word.as_str())) {
            foils.insert(t.stem.clone());
        } else {
            subjects.insert(t.stem.clone());
        }
    }
    (subjects, foils)
}

/// Whether the sentences holding `toks[start..end]` name compared things,
/// none of them `subject`, or name `subject` only as the foil ("Unlike ALB,
/// it has static IPs" is no claim about ALB): the claim is said of
/// something else.
pub(super) fn misattributed(
    subject: Option<&str>,
    entities: &[String],
    toks: &[Token],
    start: usize,
    end: usize,
) -> bool {
    let Some(subject) = subject else {
        return false;
    };
    span_names(entities, toks, start, end).is_some_and(|(named, foils)| {
        !named.contains(subject) && (!named.is_empty() || foils.contains(subject))
    })
}

/// The compared things the sentences of `[start, end)` name as subjects,
/// and those they name only as foils.
fn span_names(
    entities: &[String],
    toks: &[Token],
    start: usize,
    end: usize,
) -> Option<(HashSet<String>, HashSet<String>)> {
    if start >= end || end > toks.len() {
        return None;
    }
    let (first, last) = (toks[start].sent, toks[end - 1].sent);
    let lo = toks[..start]
        .iter()
        .rposition(|t| t.sent < first)
        .map_or(0, |i| i + 1);
    let hi = toks[end..]
        .iter()
        .position(|t| t.sent > last)
        .map_or(toks.len(), |i| end + i);
    Some(named(&toks[lo..hi], entities))
}

/// Whether a phrase is nothing but compared things' names ("threading"):
/// naming the thing says nothing about it.
fn names_only(p: &Phrase, entities: &[String]) -> bool {
    p.stems
        .iter()
        .zip(&p.optional)
        .all(|(s, &opt)| opt || entities.contains(s))
}

/// Mix-ups: key points not `earned` whose words are said of another compared
/// thing ("Threading is for CPU-bound work", of "Multiprocessing for
/// CPU-bound work") — confidently wrong, not merely missing.
pub(super) fn mixups(q: &CQuestion, toks: &[Token], earned: &[usize]) -> Vec<(usize, Hit)> {
    let mut out = Vec::new();
    for (i, kp) in q.key_points.iter().enumerate() {
        let Some(subject) = kp.subject.as_deref() else {
            continue;
        };
        // Only a point that opens with its thing ("Multiprocessing for
        // CPU-bound work"; not "Ordered deployment, scaling and updates", a
        // StatefulSet's), and not one of two halves ("SG applies at instance
        // level; NACL at subnet level": about both, however they are spelt).
        let opens_with = kp.text_stems.first().is_some_and(|s| s == subject);
        if earned.contains(&i) || !opens_with || kp.text.contains(';') {
            continue;
        }
        // Said of another compared thing, named before the words ("Threading
        // is for CPU-bound work"), and not of this one anywhere in the
        // sentence ("The cost is … per attachment, … go over a peering" is
        // about what came before it, not a mix-up).
        let of_another = |h: &Hit| {
            let sentence_start = toks[..h.start]
                .iter()
                .rposition(|t| t.sent < toks[h.start].sent)
                .map_or(0, |i| i + 1);
            let (before, _) = named(&toks[sentence_start..h.start], &q.entities);
            span_names(&q.entities, toks, h.start, h.end)
                .is_some_and(|(named, _)| !named.contains(subject))
                && before.iter().any(|e| e != subject)
        };
        let hit = kp
            .phrases
            .iter()
            .filter(|p| !names_only(p, &q.entities))
            .find_map(|p| find_where(p, toks, of_another).filter(|h| !h.negated));
        if let Some(h) = hit {
            out.push((i, h));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scorer::index::stopwords;

    fn derive(prompt: &str, statements: &[&str]) -> Vec<String> {
        entities(&Normalizer::new(&[]), prompt, statements, &stopwords())
    }

    #[test]
    fn the_things_compared_are_the_prompts_words_that_begin_statements() {
        let e = derive(
            "What's the difference between liveness, readiness and startup probes?",
            &[
                "Liveness failure restarts the container",
                "Readiness failure removes the pod from Service endpoints",
                "Startup probe holds off the others",
                "Don't check external dependencies in liveness",
            ],
        );
        assert_eq!(e, ["liveness", "readiness", "startup"]);
        let n = Normalizer::new(&[]);
        assert_eq!(
            subject(&n, "Don't check external dependencies in liveness", &e).as_deref(),
            Some("liveness")
        );
        assert_eq!(
            subject(&n, "Liveness restarts, readiness does not", &e),
            None
        );
    }

    #[test]
    fn a_question_that_compares_nothing_has_no_entities() {
        let e = derive(
            "How do you harden a workload's security in Kubernetes?",
            &["Security contexts: run as non-root", "Kubernetes RBAC"],
        );
        assert!(e.is_empty());
    }

    #[test]
    fn a_claim_said_of_the_other_thing_is_misattributed_and_a_foil_is_not_the_subject() {
        let n = Normalizer::new(&[]);
        let e = vec!["alb".to_string(), "nlb".to_string()];
        let of = |subject: &str, text: &str| {
            let toks = n.normalize(text).tokens;
            misattributed(Some(subject), &e, &toks, 0, toks.len())
        };
        assert!(of("nlb", "ALB keeps the client's source IP."));
        assert!(!of("nlb", "NLB keeps the client's source IP."));
        assert!(!of("nlb", "Unlike ALB, it keeps the client's source IP."));
        assert!(of("alb", "Unlike ALB, it has a static IP per AZ."));
        assert!(!of("alb", "An ALB has static IPs."));
        assert!(!of("nlb", "It keeps the client's source IP."));
        assert!(!of("nlb", "ALB and NLB both keep it."));
    }
}
