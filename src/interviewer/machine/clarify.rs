//! A question back to the interviewer before answering ("Do you mean on
//! EKS or self-managed?", "Can I assume we're on AWS?"): a person answers
//! it and waits for the answer; until 2026-12-07 it was taken as the answer
//! itself, graded (a 1) and followed up. It is recorded as the candidate's
//! question, not graded, and answered in a line that tells them how to go
//! on; what they say next is the answer. A request for a hint is one too,
//! answered with a nudge toward the question's first follow-up.

use super::{record, Awaiting, Interviewer, Phase};
use crate::interviewer::events::EventKind;
use crate::interviewer::io::Action;
use crate::interviewer::{Grader, Ms};

/// Questions back answered per question; one more is taken as an answer
/// (a candidate who keeps asking is not kept in a loop).
const MAX_PER_QUESTION: usize = 2;

/// Longest turn (words) that can be a question back rather than an answer.
const MAX_WORDS: usize = 30;

/// How a question back begins (lower case, apostrophes dropped). A hedged
/// answer in question form ("Isn't it a firewall for pods?") begins
/// otherwise and stays an answer.
const OPENERS: &[&str] = &[
    "do you mean",
    "did you mean",
    "you mean",
    "what do you mean",
    "by that do you mean",
    "are you asking",
    "is the question about",
    "is this about",
    "is this for",
    "is this in",
    "is that for",
    "are we talking about",
    "are we on",
    "are we using",
    "should i assume",
    "can i assume",
    "can we assume",
    "may i assume",
    "should i focus on",
    "should i talk about",
    "should i answer for",
    "do you want me to",
    "would you like me to",
    "can i answer",
    "can i use",
    "can i talk about",
    "is it okay if",
    "is it ok if",
    "how much detail",
    "how deep should",
    "how long should",
    "which cloud",
    "which environment",
    "which version",
    "in what context",
    "in which context",
];

/// Whether a whole turn asks for a hint ("Could you give me a hint?",
/// "Any hints?", "Can I get a nudge?"): one short sentence naming one.
pub(super) fn asks_for_hint(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    let words: Vec<&str> = t
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    one_sentence(&t)
        && words.len() <= 12
        && words
            .iter()
            .any(|w| matches!(*w, "hint" | "hints" | "nudge" | "pointer"))
}

/// No sentence ends before the last ("1.29" is not an end).
fn one_sentence(t: &str) -> bool {
    !t.trim_end_matches(['?', '.', '!'])
        .split_whitespace()
        .any(|w| w.ends_with(['.', '?', '!']))
}

/// Whether a whole turn is a question back to the interviewer: one short
/// sentence that begins as such questions do, or a request for a hint.
pub(super) fn is_question_back(text: &str) -> bool {
    if asks_for_hint(text) {
        return true;
    }
    let t = text.trim();
    let words = t.split_whitespace().count();
    if words == 0 || words > MAX_WORDS || !one_sentence(t) {
        return false;
    }
    let lower: String = t
        .to_lowercase()
        .chars()
        .filter(|c| *c != '\'' && *c != '’' && *c != ',')
        .collect();
    // "So, do you mean…", "Um, sorry, can I assume…": words of lead-in.
    const LEADS: &[&str] = &[
        "so ",
        "sorry ",
        "okay ",
        "ok ",
        "um ",
        "uh ",
        "just to clarify ",
    ];
    let mut rest = lower.as_str();
    while let Some(r) = LEADS.iter().find_map(|l| rest.strip_prefix(l)) {
        rest = r;
    }
    OPENERS.iter().any(|o| {
        rest.strip_prefix(o)
            .is_some_and(|after| after.is_empty() || after.starts_with([' ', '?', '.']))
    })
}

/// The interviewer's reply to a question back: no expected setup is
/// hidden behind the question, so the candidate is told how to go on.
pub(super) fn reply(text: &str) -> &'static str {
    let lower = text.to_lowercase();
    let has = |w: &str| lower.contains(w);
    if has("how much detail") || has("how deep") || has("how long") {
        "Start with a short overview, then go deeper where you have real experience — a couple of minutes is plenty."
    } else if has(" or ") {
        "Either is fine — pick the one you know best, say which, and answer for that."
    } else if has("assume") || has("can i ") || has("is it ok") || has("is it okay") {
        "Yes, that's fair — say the assumption out loud, then go ahead."
    } else {
        "Good question — make the assumption you think is most realistic, say it out loud, and answer for that."
    }
}

impl<G: Grader> Interviewer<G> {
    /// Whether `text`, said or typed while `a` awaits an answer, is a
    /// question back to answer rather than the answer (only before any
    /// answer to what was last asked, and a few times per question).
    pub(super) fn takes_as_question_back(a: &Awaiting, text: &str) -> bool {
        a.answers.is_empty() && a.questions_back < MAX_PER_QUESTION && is_question_back(text)
    }

    /// Whether `text` (a transcript so far) is a whole question back that
    /// would be taken as one now, so the turn need not wait as a young
    /// answer does: asked with its question mark ("Are we talking about…"
    /// may go on after a pause), or a request for a hint however Whisper
    /// wrote it ("Any hints." was found waiting 5 s, by hand, 2026-12-07).
    pub fn takes_finished_question_back(&self, text: &str) -> bool {
        let finished = text.trim_end().ends_with('?') || asks_for_hint(text);
        finished && self.takes_question_back(text)
    }

    /// Whether `text`, given now, would be taken as a question back (not
    /// graded, answered at once).
    pub fn takes_question_back(&self, text: &str) -> bool {
        matches!(&self.phase, Phase::Awaiting(a) if Self::takes_as_question_back(a, text))
    }

    /// A nudge toward the question's first follow-up (the point an answer
    /// most often misses), without giving the answer away.
    fn hint(&self, index: usize) -> String {
        match self.plan[index].question.follow_ups.first() {
            Some(f) => format!(
                "Here's a nudge: {}",
                super::answers::without_false_premise(&f.prompt, "")
            ),
            None => "Here's a nudge: start with what problem it solves, then how it works, then what can go wrong.".to_string(),
        }
    }

    /// Records the candidate's question, answers it, and gives the floor back.
    pub(super) fn answer_question_back(
        &mut self,
        mut a: Awaiting,
        text: String,
        started: Ms,
        ended: Ms,
        now: Ms,
        out: &mut Vec<Action>,
    ) {
        let answer = match asks_for_hint(&text) {
            true => self.hint(a.index),
            false => reply(&text).to_string(),
        };
        out.push(record(
            now,
            EventKind::QuestionBack {
                index: a.index,
                text,
                started,
                ended,
            },
        ));
        self.prompt(&a, answer, now, out);
        a.questions_back += 1;
        a.rearm();
        self.phase = Phase::Awaiting(a);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_back_are_told_from_answers() {
        for q in [
            "Do you mean on EKS or self-managed?",
            "So, are we talking about production here?",
            "Can I assume we're on AWS?",
            "Sorry, do you want me to cover StatefulSets too?",
            "How much detail do you want",
            "Which cloud?",
            "Which cloud",
            "Um, sorry, do you mean the control plane?",
            "Is this about ingress or egress traffic?",
            "Can I assume Kubernetes 1.29?",
            "Could you give me a hint?",
            "Any hints?",
        ] {
            assert!(is_question_back(q), "{q}");
        }
        for a in [
            // A hedged answer in question form.
            "Isn't it a firewall rule for pods?",
            "A NetworkPolicy selects pods and allows traffic. Do you mean the default deny?",
            "You need a PodDisruptionBudget, and then you drain the node.",
            "Do you know, I think it's mostly about labels.",
            "The error message is usually the best hint. Then I'd check the events.",
            "Which is why I'd start with kubectl describe and read the events before anything else, because the scheduler tells you exactly which predicate failed and on how many nodes it failed",
            "",
        ] {
            assert!(!is_question_back(a), "{a}");
        }
    }

    #[test]
    fn the_reply_fits_the_question() {
        assert!(reply("Do you mean EKS or GKE?").starts_with("Either"));
        assert!(reply("Can I assume we're on AWS?").starts_with("Yes"));
        assert!(reply("How much detail do you want?").starts_with("Start"));
        assert!(reply("Are we talking about production?").starts_with("Good question"));
    }
}
