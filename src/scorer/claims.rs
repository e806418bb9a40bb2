//! Whether a stretch of the answer asserts what it says, or reports,
//! denies or warns against it: "people think X, but…", "you should never X",
//! "X is a common mistake", "X doesn't help".

use super::matcher::{any_cue, Phrase};
use super::normalize::Token;
use super::speech::NEGATORS;

/// Words that open a new clause: a negation before them belongs to another claim.
const CLAUSE_BREAKS: &[&str] = &[
    "but",
    "however",
    "whereas",
    "although",
    "though",
    "while",
    "because",
    "so",
    "then",
    "which",
    "since",
    "otherwise",
    "instead",
    "actually",
];

/// Does the claim at tokens `start..end` stand disowned in its sentence?
///
/// Disowned when the sentence carries a disown or attribution cue (`disown`:
/// "misconception", "people think", "common mistake", "should never"…), or
/// when a negator sits in the same clause as the claim, before or after it.
pub fn disowned(toks: &[Token], start: usize, end: usize, disown: &[Phrase]) -> bool {
    let Some(first) = toks.get(start) else {
        return false;
    };
    let sent = first.sent;
    let s0 = toks[..start]
        .iter()
        .rposition(|t| t.sent != sent)
        .map_or(0, |i| i + 1);
    let s1 = toks[start..]
        .iter()
        .position(|t| t.sent != sent)
        .map_or(toks.len(), |i| start + i);
    if any_cue(disown, &toks[s0..s1]).is_some() {
        return true;
    }
    let is_break = |t: &Token| CLAUSE_BREAKS.contains(&t.word.as_str());
    let c0 = toks[s0..start]
        .iter()
        .rposition(is_break)
        .map_or(s0, |i| s0 + i + 1);
    let c1 = toks[end.min(s1)..s1]
        .iter()
        .position(is_break)
        .map_or(s1, |i| end.min(s1) + i);
    let negated = |r: &[Token]| r.iter().any(|t| NEGATORS.contains(&t.word.as_str()));
    if negated(&toks[c0..c1]) {
        return true;
    }
    // "We did not let it retry, because retrying until green hides bugs":
    // a reason given for a refusal is not the claim made.
    let reason = c0 > s0 && REASONS.contains(&toks[c0 - 1].word.as_str());
    reason && {
        let p0 = toks[s0..c0 - 1]
            .iter()
            .rposition(is_break)
            .map_or(s0, |i| s0 + i + 1);
        negated(&toks[p0..c0 - 1])
    }
}

/// Words that open a clause giving the reason for the one before.
const REASONS: &[&str] = &["because", "since"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scorer::normalize::Normalizer;
    use crate::scorer::speech::DISOWN_CUES;

    fn check(text: &str, claim: &str) -> bool {
        let n = Normalizer::default();
        let toks = n.normalize(text).tokens;
        let c = n.normalize(claim).tokens;
        let start = toks
            .windows(c.len())
            .position(|w| w.iter().zip(&c).all(|(a, b)| a.stem == b.stem))
            .expect("claim in text");
        let disown: Vec<Phrase> = DISOWN_CUES
            .iter()
            .filter_map(|p| Phrase::compile(&n, p, false))
            .collect();
        disowned(&toks, start, start + c.len(), &disown)
    }

    #[test]
    fn expert_framings_disown_the_claim() {
        assert!(check(
            "People often think NACLs are stateful, but it's the other way round.",
            "nacls are stateful"
        ));
        assert!(check(
            "You should never run apply again to rebuild the state.",
            "run apply again"
        ));
        assert!(check(
            "Making the repo private is a common mistake.",
            "making the repo private"
        ));
        assert!(check(
            "Deleting the commit or making the repo private doesn't help.",
            "making the repo private"
        ));
        assert!(check(
            "Deleting the commit or making the repo private does nothing, it's already been copied.",
            "making the repo private"
        ));
        assert!(check(
            "Nobody has prod credentials on a laptop, applies from laptops were how we got drift.",
            "applies from laptops"
        ));
        assert!(check(
            "We explicitly did not let it retry tests by itself, because auto-retry until green is how real bugs get hidden.",
            "retry until green"
        ));
    }

    #[test]
    fn plain_claims_stand() {
        assert!(!check(
            "NACLs are stateful, so you don't need outbound rules.",
            "nacls are stateful"
        ));
        assert!(!check(
            "I'd just run apply again and it recreates the state.",
            "run apply again"
        ));
        // A reason for something done, not refused, still asserts.
        assert!(!check(
            "We let the bot handle it, because retry until green saves time.",
            "retry until green"
        ));
    }
}
