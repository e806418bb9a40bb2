//! The vocabulary expected right now, derived (never hand-listed) from what
//! the session knows: the current question's prompt, model answer, key
//! points and misconceptions; the round's `vocabulary`; the other questions
//! of the round; names from the candidate's repo (intake). Each gets a
//! weight — the current question's terms highest — and the list biases
//! Whisper's decoding ([`crate::stt::bias`]) and feeds the rewrite layer.
//!
//! A term in a text is: a span the bank quotes as code (`systemctl`), a
//! jargon-shaped word ("CrashLoopBackOff", "EC2", "values.yaml"), a run of
//! capitalised words inside a sentence ("Secrets Manager", "Route 53"), or a
//! term of the term file that the text uses.

use super::is_jargon_word;
use super::recall::TermCounter;
use crate::bank::{Question, Round};
use crate::stt::bias::{BiasContext, BiasPhrase, BiasStrength};
use std::collections::HashMap;

/// Weights by where a term comes from.
pub const W_QUESTION: f32 = 1.0;
pub const W_INTAKE: f32 = 0.8;
pub const W_ROUND_VOCAB: f32 = 0.6;
pub const W_ROUND: f32 = 0.4;

/// Most phrases one context holds (the highest weights kept).
const MAX_PHRASES: usize = 200;

/// Spans written as code: `kubectl rollout undo` → "kubectl rollout undo".
fn code_spans(text: &str) -> impl Iterator<Item = &str> {
    text.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.trim())
        .filter(|s| !s.is_empty() && s.split_whitespace().count() <= 3)
}

fn trim_word(w: &str) -> &str {
    let w = w.trim_matches(|c: char| !(c.is_alphanumeric() || c == '_' || c == '/'));
    let w = w.strip_suffix("'s").unwrap_or(w);
    let caps = w.chars().filter(char::is_ascii_uppercase).count();
    match w.strip_suffix('s') {
        Some(stem) if caps >= 2 && stem.chars().all(|c| c.is_ascii_uppercase()) => stem,
        _ => w,
    }
}

/// Runs of capitalised words not at a sentence start ("on AWS Secrets
/// Manager we" → "AWS Secrets Manager"), at most three words; a digit word
/// may end a run ("Route 53").
fn capitalised_runs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut sentence_start = true;
    let flush = |run: &mut Vec<&str>, out: &mut Vec<String>| {
        if !run.is_empty() && run.len() <= 3 {
            out.push(run.join(" "));
        }
        run.clear();
    };
    for raw in text.split_whitespace() {
        let w = trim_word(raw);
        let cap = w.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && w != "I";
        let digits = !run.is_empty() && !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
        let leading_punct = raw.starts_with(|c: char| !c.is_alphanumeric());
        if (cap && !sentence_start) || digits {
            if leading_punct {
                flush(&mut run, &mut out);
            }
            run.push(w);
        } else {
            flush(&mut run, &mut out);
        }
        let ends = raw.ends_with(['.', '?', '!', ':', ';', ',', ')']);
        if ends {
            flush(&mut run, &mut out);
        }
        sentence_start = raw.ends_with(['.', '?', '!', ':']) || raw.starts_with('"');
    }
    flush(&mut run, &mut out);
    out
}

/// Brackets and operators: what joins the words of a formula or a call.
pub fn is_operator(c: char) -> bool {
    matches!(
        c,
        '(' | ')' | '[' | ']' | '{' | '}' | '=' | '+' | '*' | '×' | '<' | '>' | '|' | ',' | ';'
    )
}

/// Terms a bank text uses (see the module doc).
pub fn terms_in(text: &str, known: &TermCounter) -> Vec<String> {
    let mut out: Vec<String> = code_spans(text).map(str::to_string).collect();
    // A formula is not a word: "ceil(currentReplicas" is "ceil" and
    // "currentReplicas".
    for w in text.split_whitespace().flat_map(|w| w.split(is_operator)) {
        let w = trim_word(w);
        if is_jargon_word(w) {
            out.push(w.to_string());
        }
    }
    out.extend(capitalised_runs(text));
    out.extend(
        known
            .occurrences(text)
            .into_iter()
            .map(|(t, _)| t.to_string()),
    );
    out
}

/// Everything a question says: prompt, model answer, key points, misconceptions.
pub(super) fn question_text(q: &Question) -> String {
    let mut s = vec![
        q.prompt.clone(),
        q.model_answer.clone(),
        q.key_point_for_interview.clone(),
    ];
    s.extend(q.key_points.iter().map(|k| k.text.clone()));
    s.extend(q.misconceptions.iter().map(|m| m.text.clone()));
    s.join("\n")
}

/// What the session knows when it asks Whisper for text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Situation<'a> {
    pub round: Option<&'a Round>,
    pub question: Option<&'a Question>,
    /// Names and values from the candidate's repo.
    pub intake: &'a [String],
}

/// Weighted terms of a situation, highest weight first (ties in order of
/// appearance), one per spelling ignoring case.
pub fn weighted_terms(s: &Situation<'_>, known: &TermCounter) -> Vec<(String, f32)> {
    let mut best: HashMap<String, (usize, String, f32)> = HashMap::new();
    let mut n = 0usize;
    let mut put = |t: &str, w: f32, best: &mut HashMap<String, (usize, String, f32)>| {
        let t = t.trim();
        if t.chars().count() < 2 {
            return;
        }
        n += 1;
        let e = best
            .entry(t.to_lowercase())
            .or_insert((n, t.to_string(), w));
        if w > e.2 {
            *e = (n, t.to_string(), w);
        }
    };
    if let Some(q) = s.question {
        for t in terms_in(&question_text(q), known) {
            put(&t, W_QUESTION, &mut best);
        }
    }
    for t in s.intake {
        put(t, W_INTAKE, &mut best);
    }
    if let Some(r) = s.round {
        for v in &r.vocabulary {
            put(v, W_ROUND_VOCAB, &mut best);
        }
        for q in r
            .question
            .iter()
            .filter(|q| Some(q.id.as_str()) != s.question.map(|x| x.id.as_str()))
        {
            for t in terms_in(&question_text(q), known) {
                put(&t, W_ROUND, &mut best);
            }
        }
    }
    let mut v: Vec<(usize, String, f32)> = best.into_values().collect();
    v.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    v.into_iter().map(|(_, t, w)| (t, w)).collect()
}

/// The bias context of a situation (at most 200 phrases, highest weights).
pub fn bias_context(s: &Situation<'_>, known: &TermCounter, strength: BiasStrength) -> BiasContext {
    BiasContext {
        phrases: weighted_terms(s, known)
            .into_iter()
            .take(MAX_PHRASES)
            .map(|(text, weight)| BiasPhrase { text, weight })
            .collect(),
        strength,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_jargon_capitalised_and_known_terms_are_found() {
        let known = TermCounter::new(&["systemd", "kubectl"]);
        let t = terms_in(
            "First `journalctl -u app` and the CrashLoopBackOff pods. We store it in AWS Secrets Manager, then systemd restarts it.",
            &known,
        );
        for want in [
            "journalctl -u app",
            "CrashLoopBackOff",
            "AWS Secrets Manager",
            "systemd",
        ] {
            assert!(t.iter().any(|x| x == want), "{want} not in {t:?}");
        }
        assert!(!t.iter().any(|x| x == "First" || x == "We"), "{t:?}");
    }

    /// Live round, 2026-12-05: "horizontal pod autoscaler adds replicas",
    /// heard "…product of scalar and replicas", was written "…product of
    /// ceil(currentReplicas": a formula in the model answer had become a term.
    #[test]
    fn a_formula_gives_its_words_not_itself() {
        let known = TermCounter::new(&["kubectl"]);
        let t = terms_in(
            "desiredReplicas = ceil(currentReplicas × currentMetric / targetMetric)",
            &known,
        );
        assert!(t.iter().any(|x| x == "currentReplicas"), "{t:?}");
        assert!(!t.iter().any(|x| x.contains(is_operator)), "{t:?}");
    }

    #[test]
    fn a_number_ends_a_capitalised_run() {
        assert_eq!(
            capitalised_runs("records in Route 53 and more"),
            ["Route 53"]
        );
        assert!(capitalised_runs("In 2024 we moved").is_empty());
    }
}
