//! Non-answers: the flags that force a rating of 1 ("I don't know", filler,
//! gibberish, the question read back, keyword soup, another question's
//! answer, off topic), and whether a passage only echoes the prompt.

use super::analyze::{self, KpHit, Signals};
use super::index::CQuestion;
use super::normalize::Normalized;
use super::Scorer;
use crate::bank::Kind;

/// Are most of these tokens' content words already in the prompt?
pub(super) fn echoes_prompt(
    cq: &CQuestion,
    toks: &[super::normalize::Token],
    stop: &std::collections::HashSet<String>,
) -> bool {
    let content: Vec<_> = toks
        .iter()
        .filter(|t| !stop.contains(&t.stem) && !stop.contains(&t.word))
        .collect();
    let from_prompt = content
        .iter()
        .filter(|t| cq.prompt.contains(&t.stem))
        .count();
    !content.is_empty() && from_prompt as f64 >= 0.6 * content.len() as f64
}

/// The flag that makes this answer a non-answer, if any.
pub(super) fn non_answer(
    s: &Scorer,
    cq: &CQuestion,
    sig: &Signals,
    norm: &Normalized,
    coverage: f64,
    hits: &[KpHit],
    story: bool,
) -> Option<String> {
    let novel: f64 = {
        let total: f64 = cq.key_points.iter().map(|k| k.weight).sum();
        hits.iter()
            .filter(|h| !h.echo)
            .map(|h| cq.key_points[h.index].weight)
            .sum::<f64>()
            / total.max(1e-9)
    };
    if sig.dont_know && coverage < 0.25 {
        return Some("dont-know".into());
    }
    if sig.content == 0 || (sig.content < 3 && norm.dropped >= sig.tokens) {
        return Some("filler-only".into());
    }
    if sig.nonword_ratio >= 0.3
        || (sig.structure_ratio < 0.15 && sig.relevance < 0.2 && coverage < 0.1)
    {
        return Some("gibberish".into());
    }
    let echoes = sig.prompt_overlap >= 0.6 || (sig.prompt_overlap >= 0.4 && sig.novel_terms <= 2);
    if echoes && novel < 0.2 {
        return Some("repeats-question".into());
    }
    let per_sentence = sig.tokens as f64 / f64::from(sig.sentences.max(1));
    // A bare list of the topic's names is soup, whatever glue a wrap-up
    // sentence adds (0.4: between the tuning sets' listiest graded answer,
    // 0.34, and their soups said with a wrap-up, 0.42 and up).
    if sig.list_share >= 0.4 {
        return Some("keyword-soup".into());
    }
    // Made of hedges and generalities, with little of the question's
    // substance (4: every tuning answer with four or more was padding;
    // graded answers had at most 3).
    if sig.vague >= 4 && coverage < 0.5 {
        return Some("vague".into());
    }
    let listy = sig.structure_ratio < 0.15
        || (sig.tokens >= 6 && sig.structure_distinct <= 1)
        || (sig.sentences >= 3 && per_sentence < 2.5);
    if sig.tokens >= 4 && listy && (coverage > 0.0 || sig.relevance >= 0.3) {
        return Some("keyword-soup".into());
    }
    if !story && different_question(s, cq, norm, coverage, sig.relevance) {
        return Some("answers-different-question".into());
    }
    let min_relevance = if cq.kind == Kind::Behavioral {
        0.1
    } else {
        0.2
    };
    if !story && sig.relevance < min_relevance && coverage < 0.15 {
        return Some("off-topic".into());
    }
    None
}

/// A clearly better fit elsewhere: another question of the round, or, for an
/// answer off this question's topic, any question of the bank.
fn different_question(
    s: &Scorer,
    cq: &CQuestion,
    norm: &Normalized,
    coverage: f64,
    relevance: f64,
) -> bool {
    if coverage >= 0.35 {
        return false;
    }
    s.questions
        .iter()
        .filter(|o| o.id != cq.id && o.kind != Kind::Behavioral)
        .filter(|o| o.round == cq.round || relevance < 0.35)
        .any(|o| {
            let (c, _) = analyze::coverage(o, &norm.tokens, &s.stop, &[]);
            c >= 0.4 && c - coverage >= 0.3
        })
}
