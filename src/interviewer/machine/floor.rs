//! Who has the floor, and when: the silence check-in armed when listening
//! starts and fired on deadline, a session reopened after a restart, words
//! said over a question never heard, and a stop from outside.

use super::{record, say, Awaiting, Consulting, Interviewer, Paused, Phase, SILENCE_PROMPT};
use crate::interviewer::events::{EndReason, EventKind};
use crate::interviewer::io::{Action, Speech};
use crate::interviewer::{Grader, Ms};

/// Said once the candidate's last words after the closing were heard out.
pub const AFTER_CLOSING: &str =
    "Thanks — that's in your transcript too. That's the end of the interview.";

impl<G: Grader> Interviewer<G> {
    /// The driver started listening (the lines before were spoken): the
    /// silence check-in counts from `now`.
    pub fn listening(&mut self, now: Ms) {
        let deadline = self.deadline(now);
        if let Phase::Awaiting(a) = &mut self.phase {
            a.unsaid = false;
            if std::mem::take(&mut a.arm) {
                a.deadline = deadline;
            }
        }
    }

    /// Whether the check-in waits for [`Interviewer::listening`] to arm.
    pub fn awaits_listening(&self) -> bool {
        matches!(&self.phase, Phase::Awaiting(a) if a.arm)
    }

    /// The session was reopened after a restart: the pending question or
    /// follow-up is asked again (a paused session resumes).
    pub fn reopen(&mut self, now: Ms) -> Vec<Action> {
        let mut out = Vec::new();
        match std::mem::replace(&mut self.phase, Phase::Done) {
            Phase::Awaiting(mut a) => {
                out.push(say(a.last_asked.0, &a.last_asked.1));
                out.push(self.listen(&a));
                a.rearm();
                self.phase = Phase::Awaiting(a);
            }
            Phase::Paused(p) => self.resume(p, now, &mut out),
            // The model was being asked when the session stopped: ask again.
            Phase::Consulting(c) => {
                out.push(Action::Consult(c.request.clone()));
                self.phase = Phase::Consulting(c);
            }
            Phase::NotStarted => return self.start(now),
            Phase::Done => {}
        }
        out
    }

    /// Paused by the candidate; still listening, for "resume". The words
    /// asked for are "let's continue": a lone "Resume." was heard "Where's
    /// him?" (Piper's voice), "with you" (espeak-ng's British voice) or
    /// "Rizzoom." (with the jargon prompt) by tiny.en, and the candidate
    /// stayed paused (found by hand, 2026-12-07); every voice tried was
    /// heard saying "Let's continue.".
    pub(super) fn pause(&mut self, mut a: Awaiting, now: Ms, out: &mut Vec<Action>) {
        out.push(record(now, EventKind::Paused));
        out.push(say(
            Speech::Info,
            "Paused. Say \"let's continue\" when you're ready.",
        ));
        out.push(self.listen(&a));
        a.deadline = None;
        a.arm = false;
        self.phase = Phase::Paused(Paused {
            resume: a,
            respond: None,
        });
    }

    pub(super) fn resume(&mut self, p: Paused, now: Ms, out: &mut Vec<Action>) {
        out.push(record(now, EventKind::Resumed));
        out.push(say(Speech::Info, "Welcome back."));
        let mut a = p.resume;
        if let Some(answer_ms) = p.respond {
            return self.respond(a, answer_ms, now, out);
        }
        out.push(say(a.last_asked.0, &a.last_asked.1));
        out.push(self.listen(&a));
        a.rearm();
        self.phase = Phase::Awaiting(a);
    }

    /// Words said over the interviewer before the pending question was
    /// heard: kept, and the question is asked (again) for the answer.
    pub(super) fn remark(
        &mut self,
        text: String,
        started: Ms,
        ended: Ms,
        now: Ms,
        out: &mut Vec<Action>,
    ) {
        match std::mem::replace(&mut self.phase, Phase::Done) {
            Phase::Awaiting(mut a) => {
                out.push(record(
                    now,
                    EventKind::Remark {
                        index: a.index,
                        text,
                        started,
                        ended,
                    },
                ));
                out.push(say(a.last_asked.0, &a.last_asked.1));
                out.push(self.listen(&a));
                a.rearm();
                self.phase = Phase::Awaiting(a);
            }
            other => self.phase = other,
        }
    }

    /// Words the candidate went on with after the interview closed (its
    /// turn was taken as over and the last reply began): kept as a remark
    /// on the last question, then the closing is said again.
    pub(super) fn after_closing(
        &mut self,
        text: &str,
        started: Ms,
        ended: Ms,
        now: Ms,
    ) -> Vec<Action> {
        let Some(index) = self.asked.filter(|_| !text.trim().is_empty()) else {
            return Vec::new();
        };
        vec![
            record(
                now,
                EventKind::Remark {
                    index,
                    text: text.to_string(),
                    started,
                    ended,
                },
            ),
            say(Speech::Closing, AFTER_CLOSING),
            Action::Finished,
        ]
    }

    /// Ends the session from outside (Ctrl-C, end of input, device lost).
    pub fn interrupt(&mut self, now: Ms) -> Vec<Action> {
        let mut out = Vec::new();
        match std::mem::replace(&mut self.phase, Phase::Done) {
            Phase::Done => {}
            Phase::Awaiting(a)
            | Phase::Paused(Paused { resume: a, .. })
            | Phase::Consulting(Consulting { awaiting: a, .. }) => {
                self.end_with(a, EndReason::Interrupted, now, &mut out)
            }
            _ => self.finish(now, EndReason::Interrupted, &mut out),
        }
        out
    }

    /// Says `text` as a prompt (a check-in, "could you say more?", a reply
    /// to a question back), records it, and gives `a`'s floor back.
    pub(super) fn prompt(&self, a: &Awaiting, text: String, now: Ms, out: &mut Vec<Action>) {
        out.push(say(Speech::Prompt, &text));
        out.push(record(
            now,
            EventKind::Prompted {
                index: a.index,
                text,
            },
        ));
        out.push(self.listen(a));
    }

    /// Call when `now` has reached [`Interviewer::poll_timeout`].
    pub fn handle_timeout(&mut self, now: Ms) -> Vec<Action> {
        let mut out = Vec::new();
        match std::mem::replace(&mut self.phase, Phase::Done) {
            Phase::Awaiting(mut a) if a.deadline.is_some_and(|d| d <= now) => {
                if !a.prompted {
                    self.prompt(&a, SILENCE_PROMPT.into(), now, &mut out);
                    a.deadline = None;
                    a.arm = true;
                    a.prompted = true;
                    a.offered_repeat = true;
                    self.phase = Phase::Awaiting(a);
                } else if a.answers.is_empty() {
                    self.skip(a.index, "no answer before the timeout", now, &mut out);
                } else {
                    self.conclude(a, now, &mut out);
                }
            }
            other => self.phase = other,
        }
        out
    }
}
