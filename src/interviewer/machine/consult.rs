//! Waiting for the model: a score to review or a follow-up to phrase is an
//! [`Action::Consult`] the driver performs off the interviewer's step, and
//! the interviewer goes on when [`Input::Consulted`] comes back. Meanwhile
//! the candidate can still end or skip (the offline result is used), and
//! words said are kept as remarks, never graded.

use super::{record, Awaiting, Consulting, Interviewer, Phase};
use crate::interviewer::commands::{self, Command};
use crate::interviewer::events::{EndReason, EventKind};
use crate::interviewer::io::{Action, Consult, Input, Reply};
use crate::interviewer::{Grader, Ms};

impl<G: Grader> Interviewer<G> {
    /// Whether the interviewer waits for [`Input::Consulted`].
    pub fn is_consulting(&self) -> bool {
        matches!(self.phase, Phase::Consulting(_))
    }

    /// The consult being waited for, if any (asked again after a restart).
    pub fn pending_consult(&self) -> Option<&Consult> {
        match &self.phase {
            Phase::Consulting(c) => Some(&c.request),
            _ => None,
        }
    }

    pub(super) fn consult(&mut self, awaiting: Awaiting, request: Consult, out: &mut Vec<Action>) {
        out.push(Action::Consult(request.clone()));
        self.phase = Phase::Consulting(Consulting { awaiting, request });
    }

    pub(super) fn while_consulting(&mut self, c: Consulting, input: Input, now: Ms) -> Vec<Action> {
        let mut out = Vec::new();
        let Consulting { awaiting, request } = c;
        let (text, started, ended) = match input {
            Input::Consulted { reply } => {
                match (request, reply) {
                    (Consult::Grade { index, .. }, Reply::Score { score }) => {
                        self.scored(index, *score, now, &mut out)
                    }
                    (Consult::FollowUp { follow_up, .. }, Reply::FollowUp { text, note }) => {
                        self.ask_follow_up(awaiting, follow_up, text, note, now, &mut out)
                    }
                    // Not the reply to this request: keep waiting.
                    (request, _) => {
                        self.phase = Phase::Consulting(Consulting { awaiting, request })
                    }
                }
                return out;
            }
            Input::Command { command } => {
                self.consulting_command(awaiting, request, command, now, &mut out);
                return out;
            }
            Input::Answer {
                text,
                started,
                ended,
            }
            | Input::Remark {
                text,
                started,
                ended,
            } => (text, started, ended),
        };
        if let Some(command) = commands::parse(&text) {
            self.consulting_command(awaiting, request, command, now, &mut out);
            return out;
        }
        out.push(record(
            now,
            EventKind::Remark {
                index: awaiting.index,
                text,
                started,
                ended,
            },
        ));
        self.phase = Phase::Consulting(Consulting { awaiting, request });
        out
    }

    /// "End" and "skip" do not wait for the model: the offline score is
    /// kept. Other commands wait with it.
    fn consulting_command(
        &mut self,
        awaiting: Awaiting,
        request: Consult,
        command: Command,
        now: Ms,
        out: &mut Vec<Action>,
    ) {
        match command {
            Command::End => {
                out.push(record(
                    now,
                    EventKind::Command {
                        index: awaiting.index,
                        command,
                    },
                ));
                let score = self.final_score(awaiting.index, &awaiting.answers);
                out.push(record(
                    now,
                    EventKind::Scored {
                        index: awaiting.index,
                        score: Box::new(score),
                    },
                ));
                self.finish(now, EndReason::ByCandidate, out);
            }
            Command::Skip | Command::Next => {
                out.push(record(
                    now,
                    EventKind::Command {
                        index: awaiting.index,
                        command,
                    },
                ));
                let score = self.final_score(awaiting.index, &awaiting.answers);
                self.scored(awaiting.index, score, now, out);
            }
            _ => self.phase = Phase::Consulting(Consulting { awaiting, request }),
        }
    }
}
