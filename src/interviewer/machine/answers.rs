//! What an answer leads to: a follow-up on what it missed, or its score —
//! recorded at once, or after the model has reviewed it (a consult).

use super::{record, say, Awaiting, Interviewer, Phase, NON_ANSWER};
use crate::interviewer::events::EventKind;
use crate::interviewer::io::{Action, Consult, Speech};
use crate::interviewer::{Grader, Ms};
use crate::scorer::Score;

impl<G: Grader> Interviewer<G> {
    pub(super) fn answer(
        &mut self,
        mut a: Awaiting,
        text: String,
        started: Ms,
        ended: Ms,
        now: Ms,
        out: &mut Vec<Action>,
    ) {
        out.push(record(
            now,
            EventKind::Answer {
                index: a.index,
                text: text.clone(),
                started,
                ended,
            },
        ));
        a.answers.push(text);
        a.offered_repeat = false;
        let q = &self.plan[a.index].question;
        let joined = a.answers.join("\n");
        let score = self.grader.grade(q, &joined);
        let non_answer = score.flags.iter().any(|f| NON_ANSWER.contains(&f.as_str()));
        let next_follow_up = if non_answer || a.follow_ups.len() >= self.config.max_follow_ups {
            None
        } else {
            q.follow_ups.iter().enumerate().find(|(i, f)| {
                !a.follow_ups.contains(i) && f.targets.iter().any(|t| score.missed.contains(t))
            })
        };
        match next_follow_up {
            Some((i, _)) if self.config.consult => {
                let request = Consult::FollowUp {
                    index: a.index,
                    answer: joined,
                    follow_up: i,
                };
                self.consult(a, request, out);
            }
            Some((i, f)) => {
                let text = f.prompt.clone();
                self.ask_follow_up(a, i, text, None, now, out);
            }
            None => self.conclude_with(a, score, now, out),
        }
    }

    /// Asks the question's follow-up `i` in the words `text`.
    pub(super) fn ask_follow_up(
        &mut self,
        mut a: Awaiting,
        i: usize,
        text: String,
        note: Option<String>,
        now: Ms,
        out: &mut Vec<Action>,
    ) {
        let targets = self.plan[a.index].question.follow_ups[i].targets.clone();
        out.push(say(Speech::FollowUp, &text));
        out.push(record(
            now,
            EventKind::FollowUp {
                index: a.index,
                text: text.clone(),
                targets,
                note,
            },
        ));
        out.push(self.listen(a.index));
        a.follow_ups.push(i);
        a.last_asked = (Speech::FollowUp, text);
        a.rearm();
        self.phase = Phase::Awaiting(a);
    }

    /// The offline score of everything said to the question at `index`.
    pub(super) fn final_score(&self, index: usize, answers: &[String]) -> Score {
        self.grader
            .grade(&self.plan[index].question, &answers.join("\n"))
    }

    pub(super) fn conclude(&mut self, a: Awaiting, now: Ms, out: &mut Vec<Action>) {
        let score = self.final_score(a.index, &a.answers);
        self.conclude_with(a, score, now, out);
    }

    /// The question is done: its score is recorded now, or after the model
    /// has reviewed it.
    pub(super) fn conclude_with(
        &mut self,
        a: Awaiting,
        score: Score,
        now: Ms,
        out: &mut Vec<Action>,
    ) {
        if self.config.consult {
            let request = Consult::Grade {
                index: a.index,
                answer: a.answers.join("\n"),
                offline: Box::new(score),
            };
            self.consult(a, request, out);
        } else {
            self.scored(a.index, score, now, out);
        }
    }

    pub(super) fn scored(&mut self, index: usize, score: Score, now: Ms, out: &mut Vec<Action>) {
        out.push(say(Speech::Feedback, &spoken_feedback(&score)));
        out.push(say(
            Speech::ModelAnswer,
            &format!("Model answer: {}", score.model_answer.trim()),
        ));
        out.push(record(
            now,
            EventKind::Scored {
                index,
                score: Box::new(score),
            },
        ));
        self.next(index, now, out);
    }
}

/// The short spoken form of a score.
fn spoken_feedback(s: &Score) -> String {
    let mut parts = vec![format!("Rating {} of 4 — {}.", s.rating, s.level)];
    if let Some(st) = s.strengths.first() {
        parts.push(format!("Strength: {st}"));
    }
    if let Some(g) = s.gaps.first() {
        parts.push(format!("Gap: {g}"));
    }
    parts.push(format!("Key point for interview: {}", s.key_point.trim()));
    parts.join(" ")
}
