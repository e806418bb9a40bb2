//! The interviewer state machine. Each phase is a struct holding only its own
//! data; the machine moves between them on inputs and deadlines.

use super::commands::{self, Command};
use super::events::{EndReason, Event, EventKind};
use super::io::{Action, Config, Consult, Input, Speech};
use super::plan::Planned;
use super::{Grader, Ms};

mod answers;
mod clarify;
mod consult;
mod floor;

#[cfg(test)]
pub use floor::AFTER_CLOSING;

/// Flags that mean "this was not an answer": no follow-up, straight to the score.
const NON_ANSWER: &[&str] = &[
    "dont-know",
    "filler-only",
    "keyword-soup",
    "repeats-question",
    "gibberish",
    "off-topic",
    "answers-different-question",
];

/// How long an answer to a follow-up is expected to run: a follow-up asks
/// for one point, a sentence or two (a question's own answer runs 45–150 s).
pub const FOLLOW_UP_EXPECTED_S: u32 = 10;

pub const SILENCE_PROMPT: &str = "Take your time — would you like me to repeat the question?";

/// Waiting for (more of) an answer to the question at `index`.
#[derive(Debug, Clone)]
struct Awaiting {
    index: usize,
    answers: Vec<String>,
    /// Indices into the question's follow-ups already asked.
    follow_ups: Vec<usize>,
    /// The last thing asked (question or follow-up), for "repeat".
    last_asked: (Speech, String),
    /// When the silence check-in fires; `None` until the driver starts
    /// listening (it counts from then, not from when the reply began).
    deadline: Option<Ms>,
    /// Arm the deadline at the next [`Interviewer::listening`].
    arm: bool,
    prompted: bool,
    /// The check-in offered to repeat the question: "yes, please" accepts.
    offered_repeat: bool,
    /// `last_asked` was just recorded as asked and the driver has not
    /// started listening since: it has not been said yet.
    unsaid: bool,
    /// A first answer of a few words was met with "could you say more?".
    asked_more: bool,
    /// Questions back to the interviewer answered for this question.
    questions_back: usize,
}

impl Awaiting {
    /// The candidate has the floor again after `last_asked` was (re)said.
    fn rearm(&mut self) {
        self.deadline = None;
        self.arm = true;
        self.prompted = false;
        self.offered_repeat = false;
    }
}

#[derive(Debug, Clone)]
struct Paused {
    resume: Awaiting,
    /// Paused at the end of an answer ("…Pause, please."), this long: on
    /// resume the interviewer replies to it rather than asking again.
    respond: Option<Ms>,
}

/// Waiting for the driver's reply to a [`Consult`] about `awaiting`.
#[derive(Debug, Clone)]
struct Consulting {
    awaiting: Awaiting,
    request: Consult,
}

#[derive(Debug, Clone)]
enum Phase {
    NotStarted,
    Awaiting(Awaiting),
    Paused(Paused),
    Consulting(Consulting),
    Done,
}

/// The interviewer's state at one moment, to take a step back to when the
/// turn it answered turns out not to have ended (the candidate went on
/// before the reply was heard).
#[derive(Debug, Clone)]
pub struct Snapshot {
    phase: Phase,
    asked: Option<usize>,
}

pub struct Interviewer<G: Grader> {
    plan: Vec<Planned>,
    config: Config,
    grader: G,
    phase: Phase,
    /// The last question asked (for words heard after the interview closed).
    asked: Option<usize>,
}

impl<G: Grader> Interviewer<G> {
    pub fn new(plan: Vec<Planned>, config: Config, grader: G) -> Self {
        Interviewer {
            plan,
            config,
            grader,
            phase: Phase::NotStarted,
            asked: None,
        }
    }

    pub fn plan(&self) -> &[Planned] {
        &self.plan
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            phase: self.phase.clone(),
            asked: self.asked,
        }
    }

    /// Back to a state taken earlier: the inputs since are as if never given.
    pub fn restore(&mut self, s: Snapshot) {
        self.phase = s.phase;
        self.asked = s.asked;
    }

    /// The last question asked, if any.
    pub fn last_asked(&self) -> Option<usize> {
        self.asked
    }

    /// Paused by the candidate: waiting for "resume".
    pub fn is_paused(&self) -> bool {
        matches!(self.phase, Phase::Paused(_))
    }

    pub fn is_done(&self) -> bool {
        matches!(self.phase, Phase::Done)
    }

    /// Index of the question in progress, if any.
    pub fn current(&self) -> Option<usize> {
        match &self.phase {
            Phase::Awaiting(a) => Some(a.index),
            Phase::Paused(p) => Some(p.resume.index),
            Phase::Consulting(c) => Some(c.awaiting.index),
            _ => None,
        }
    }

    /// The next moment [`Interviewer::handle_timeout`] wants to run.
    pub fn poll_timeout(&self) -> Option<Ms> {
        match &self.phase {
            Phase::Awaiting(a) => a.deadline,
            _ => None,
        }
    }

    pub fn start(&mut self, now: Ms) -> Vec<Action> {
        let mut out = vec![record(
            now,
            EventKind::Started {
                questions: self.plan.len(),
            },
        )];
        if self.plan.is_empty() {
            self.finish(now, EndReason::Completed, &mut out);
        } else {
            self.ask(0, now, &mut out);
        }
        out
    }

    fn deadline(&self, now: Ms) -> Option<Ms> {
        self.config.silence_timeout.map(|t| now + t)
    }

    fn ask(&mut self, index: usize, now: Ms, out: &mut Vec<Action>) {
        self.asked = Some(index);
        let p = &self.plan[index];
        if let Some(intro) = &p.intro {
            out.push(say(Speech::Intro, intro));
        }
        let text = p.question.prompt.clone();
        out.push(say(Speech::Question, &text));
        out.push(record(
            now,
            EventKind::Asked {
                index,
                question_id: p.question.id.clone(),
                intro: p.intro.clone(),
                text: text.clone(),
            },
        ));
        out.push(Action::Listen {
            index,
            expected_seconds: p.question.expected_seconds,
        });
        self.phase = Phase::Awaiting(Awaiting {
            index,
            answers: Vec::new(),
            follow_ups: Vec::new(),
            last_asked: (Speech::Question, text),
            deadline: None,
            arm: true,
            prompted: false,
            offered_repeat: false,
            unsaid: true,
            asked_more: false,
            questions_back: 0,
        });
    }

    pub fn handle(&mut self, input: Input, now: Ms) -> Vec<Action> {
        if self.is_consulting() {
            let Phase::Consulting(c) = std::mem::replace(&mut self.phase, Phase::Done) else {
                unreachable!("checked above")
            };
            return self.while_consulting(c, input, now);
        }
        if let (
            Phase::Done,
            Input::Remark {
                text,
                started,
                ended,
            },
        ) = (&self.phase, &input)
        {
            return self.after_closing(text, *started, *ended, now);
        }
        let mut out = Vec::new();
        let offered = matches!(&self.phase, Phase::Awaiting(a) if a.offered_repeat);
        let (command, answer) = match input {
            Input::Command { command } => (Some(command), None),
            Input::Remark {
                text,
                started,
                ended,
            } => match commands::parse(&text) {
                Some(c) => (Some(c), None),
                None if matches!(self.phase, Phase::Awaiting(_)) => {
                    self.remark(text, started, ended, now, &mut out);
                    return out;
                }
                None => (None, None),
            },
            Input::Answer {
                text,
                started,
                ended,
            } => match commands::parse(&text) {
                Some(c) => (Some(c), None),
                None => match commands::trailing(&text) {
                    // "…with Karpenter. Pause, please.": the answer, then the command.
                    Some((rest, c)) => (Some(c), Some((rest, started, ended))),
                    // "Yes, please" to "would you like me to repeat the question?"
                    None if offered => match commands::reply_to_offer(&text) {
                        Some(true) => (Some(Command::Repeat), None),
                        Some(false) => (Some(Command::Think), None),
                        None => (None, Some((text, started, ended))),
                    },
                    None => (None, Some((text, started, ended))),
                },
            },
            // A reply that came after the interviewer moved on.
            Input::Consulted { .. } => (None, None),
        };
        match std::mem::replace(&mut self.phase, Phase::Done) {
            Phase::NotStarted => self.phase = Phase::NotStarted,
            Phase::Done | Phase::Consulting(_) => {}
            Phase::Paused(p) => match command {
                Some(Command::Resume) => self.resume(p, now, &mut out),
                Some(Command::End) => {
                    self.end_with(p.resume, EndReason::ByCandidate, now, &mut out)
                }
                _ => {
                    out.push(say(
                        Speech::Info,
                        "We're paused — say \"let's continue\" when you're ready.",
                    ));
                    out.push(self.listen(&p.resume));
                    self.phase = Phase::Paused(p);
                }
            },
            Phase::Awaiting(a) => match (command, answer) {
                (Some(c), Some((text, started, ended))) => {
                    self.answer_then(a, text, started, ended, c, now, &mut out)
                }
                (Some(c), None) => self.command(a, c, now, &mut out),
                (None, Some((text, started, ended))) if Self::takes_as_question_back(&a, &text) => {
                    self.answer_question_back(a, text, started, ended, now, &mut out)
                }
                (None, Some((text, started, ended))) => {
                    self.answer(a, text, started, ended, now, &mut out)
                }
                (None, None) => self.phase = Phase::Awaiting(a),
            },
        }
        out
    }

    /// The floor goes back to the candidate for what `a` last asked: a
    /// follow-up asks for one point, so its answer is expected to be short
    /// (the end-of-turn rules wait longer in an answer still short of it).
    fn listen(&self, a: &Awaiting) -> Action {
        let expected = self.plan[a.index].question.expected_seconds;
        Action::Listen {
            index: a.index,
            expected_seconds: match a.last_asked.0 {
                Speech::FollowUp => expected.min(FOLLOW_UP_EXPECTED_S),
                _ => expected,
            },
        }
    }

    fn command(&mut self, mut a: Awaiting, c: Command, now: Ms, out: &mut Vec<Action>) {
        out.push(record(
            now,
            EventKind::Command {
                index: a.index,
                command: c,
            },
        ));
        match c {
            Command::Repeat => {
                out.push(say(a.last_asked.0, &a.last_asked.1));
                out.push(self.listen(&a));
                a.rearm();
                self.phase = Phase::Awaiting(a);
            }
            Command::Think => {
                // The floor stays with the candidate, with no check-in.
                out.push(say(Speech::Info, "Sure — take your time."));
                out.push(self.listen(&a));
                a.rearm();
                a.arm = false;
                self.phase = Phase::Awaiting(a);
            }
            Command::Resume => {
                out.push(self.listen(&a));
                self.phase = Phase::Awaiting(a);
            }
            Command::Pause => self.pause(a, now, out),
            // "Skip" to a follow-up skips the follow-up: what was said is
            // graded, as with "I don't know" (found trying a typed session).
            Command::Skip if !a.follow_ups.is_empty() => self.conclude(a, now, out),
            Command::Skip => self.skip(a.index, "skipped by the candidate", now, out),
            Command::Next if a.answers.is_empty() => {
                self.skip(a.index, "moved on without an answer", now, out)
            }
            Command::Next => self.conclude(a, now, out),
            Command::DontKnow if a.answers.is_empty() => {
                a.answers.push("I don't know.".into());
                self.conclude(a, now, out);
            }
            // "I don't know" to a follow-up: grade what was said before it.
            Command::DontKnow => self.conclude(a, now, out),
            Command::End => self.end_with(a, EndReason::ByCandidate, now, out),
        }
    }

    fn skip(&mut self, index: usize, reason: &str, now: Ms, out: &mut Vec<Action>) {
        let q = &self.plan[index].question;
        out.push(say(
            Speech::ModelAnswer,
            &format!(
                "No problem. For reference — model answer: {}",
                q.model_answer.trim()
            ),
        ));
        out.push(record(
            now,
            EventKind::Skipped {
                index,
                reason: reason.into(),
            },
        ));
        self.next(index, now, out);
    }

    fn next(&mut self, index: usize, now: Ms, out: &mut Vec<Action>) {
        if index + 1 < self.plan.len() {
            self.ask(index + 1, now, out);
        } else {
            self.finish(now, EndReason::Completed, out);
        }
    }

    /// Ends the session, keeping whatever was said for the current question
    /// (and whether what it last asked was never said).
    fn end_with(&mut self, a: Awaiting, reason: EndReason, now: Ms, out: &mut Vec<Action>) {
        if !a.answers.is_empty() {
            let score = self.final_score(a.index, &a.answers);
            out.push(record(
                now,
                EventKind::Scored {
                    index: a.index,
                    score: Box::new(score),
                },
            ));
        }
        self.finish_unsaid(now, reason, a.unsaid, out);
    }

    fn finish(&mut self, now: Ms, reason: EndReason, out: &mut Vec<Action>) {
        self.finish_unsaid(now, reason, false, out);
    }

    /// Ends the session; `unasked`: the last question or follow-up recorded
    /// was never said (stopped before the driver spoke it).
    fn finish_unsaid(&mut self, now: Ms, reason: EndReason, unasked: bool, out: &mut Vec<Action>) {
        out.push(record(now, EventKind::Ended { reason, unasked }));
        // Stopped from outside (Ctrl-C, end of input): nothing more is said.
        if reason != EndReason::Interrupted {
            out.push(say(
                Speech::Closing,
                "That's the end of the interview. Thank you — your transcript and debrief are ready.",
            ));
        }
        out.push(Action::Finished);
        self.phase = Phase::Done;
    }
}

fn say(speech: Speech, text: &str) -> Action {
    Action::Say {
        speech,
        text: text.to_string(),
    }
}

fn record(at: Ms, kind: EventKind) -> Action {
    Action::Record(Event { at, kind })
}
