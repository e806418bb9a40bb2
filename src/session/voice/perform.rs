//! Performing the interviewer's actions in a spoken session: events saved
//! first, lines spoken in order (nothing more once the candidate has the
//! floor), then listening or a consult; and stopping.

use super::{now_ms, Loop, Spoken};
use crate::interviewer::{Action, Grader, Speech};
use crate::session::SessionError;
use crate::transcript::StepKind;
use crate::vad::FRAME;
use std::time::Instant;

/// The length a remark after the closing is expected to have, for the
/// endpointer (it goes on as long as the candidate does).
const HEAR_OUT_EXPECTED_S: u32 = 30;

impl<G: Grader> Loop<G> {
    /// Performs a batch: events first (what is about to be said is on disk
    /// before it is heard), then the lines in order, then the floor.
    pub(super) fn perform(&mut self, actions: Vec<Action>) -> Result<Spoken, SessionError> {
        let mut spoken = Spoken::default();
        let (events, actions): (Vec<Action>, Vec<Action>) = actions
            .into_iter()
            .partition(|a| matches!(a, Action::Record(_)));
        for e in events {
            if let Action::Record(e) = e {
                self.session.record_event(e);
            }
        }
        self.session.save()?;
        // A question ahead that the candidate has not heard yet: one asked
        // again (after a pause, or on request) is known already, and words
        // said over the lines before it answer it.
        let new_question = |a: &Action| match a {
            Action::Say {
                speech: Speech::Question | Speech::FollowUp,
                text,
            } => self.heard_question.as_ref() != Some(text),
            _ => false,
        };
        let mut question_ahead = actions.iter().any(new_question);
        // The floor comes back to the candidate after this batch (or the
        // interview closes): a reply to a turn just ended waits if they
        // have started talking again.
        let hands_back = actions
            .iter()
            .any(|a| matches!(a, Action::Listen { .. } | Action::Finished));
        for a in actions {
            match a {
                // Stopping: nothing more is said, nor shown as said, and
                // voice still coming in is not "still talking" (until
                // 2026-12-07 Ctrl-C during an answer printed "you're still
                // talking" and "listening" after "Interview interrupted").
                // Ctrl-C pressed while an earlier line of this batch was
                // said: the rest is neither said nor shown, and nobody
                // listens (until 2026-12-08 Ctrl-C during a score's
                // read-out showed the next question and "listening" before
                // "Interview interrupted", found by hand).
                Action::Say { .. } | Action::Listen { .. } if super::stop::requested() => {}
                Action::Say { .. } if self.withhold || self.stopping => {}
                Action::Say { speech, text } => {
                    let reply = std::mem::take(&mut self.after_turn) && hands_back;
                    if reply && !self.barged && self.still_talking() {
                        if self.can_take_back() {
                            self.take_back()?;
                            return Ok(spoken);
                        }
                        self.yield_floor(question_ahead);
                    }
                    if self.barged {
                        // The candidate has the floor: nothing more is
                        // said, nor shown as said.
                        continue;
                    }
                    let asking = matches!(speech, Speech::Question | Speech::FollowUp);
                    let known = asking && self.heard_question.as_ref() == Some(&text);
                    if asking {
                        question_ahead = false;
                    }
                    // Short words over a question's or a follow-up's line
                    // are set aside (a later line of its batch keeps them).
                    self.aside.start(asking);
                    if asking {
                        self.set_aside = None;
                    }
                    self.session.view.said(speech, &text, now_ms(self.pos));
                    if let Err(e) = self.speaker.say(&text) {
                        self.session.view.warn(&e.to_string());
                    }
                    let first = spoken.issued.is_none();
                    spoken.issued.get_or_insert_with(Instant::now);
                    let unheard = self.speak_until_done(&text, reply)?;
                    if std::mem::take(&mut self.went_on) {
                        self.take_back()?;
                        return Ok(spoken);
                    }
                    if first {
                        spoken.audio = self.speaker.first_audio();
                    }
                    if self.barged && (question_ahead || (asking && unheard && !known)) {
                        self.unheard = true;
                    }
                    if asking && !unheard {
                        self.heard_question = Some(text);
                    }
                }
                Action::Listen {
                    index,
                    expected_seconds,
                } => {
                    let p = &self.session.record.plan[index];
                    let (round, kind) = (p.round_title.clone(), p.question.kind.title());
                    let of = self.session.record.plan.len();
                    self.session.view.progress(&round, kind, index, of);
                    self.start_listening(index, expected_seconds)?
                }
                Action::Record(_) => {} // recorded above
                Action::Consult(request) => {
                    let index = self.machine.current().unwrap_or(0);
                    let q = &self.session.record.plan[index].question;
                    self.consultant.ask(&request, q);
                    self.listen_while_consulting()?;
                }
                // The candidate went on over the closing: heard out first.
                Action::Finished if self.barged && !self.stopping => self.hear_out()?,
                Action::Finished => self.done = true,
            }
        }
        self.session.record.overruns = Some(self.listener.overruns());
        self.session.save()?;
        Ok(spoken)
    }

    /// Whether the candidate is talking right now (the frames heard since
    /// the turn ended are taken first): most of the last 300 ms is speech
    /// at the level of a voice, not of the room.
    fn still_talking(&mut self) -> bool {
        while let Some(h) = self.listener.try_next() {
            self.take(h);
        }
        self.talking_now()
    }

    /// Whether most of the last 300 ms heard is speech at a voice's level.
    pub(super) fn talking_now(&self) -> bool {
        let frames = self.speech_flags.len().min(10);
        if frames < 10 || self.audio.len() < frames * FRAME {
            return false;
        }
        let speech = self
            .speech_flags
            .iter()
            .rev()
            .take(frames)
            .filter(|s| **s)
            .count();
        let level = crate::vad::rms(&self.audio[self.audio.len() - frames * FRAME..]);
        speech >= 7 && level >= crate::vad::BargeConfig::default().min_rms
    }

    /// The candidate went on after the turn was taken as over: the reply
    /// waits, and what they say is kept as if they had cut in (a question
    /// not yet heard is asked again afterwards).
    pub(super) fn yield_floor(&mut self, question_ahead: bool) {
        self.barged = true;
        self.barged_at = Some(now_ms(self.pos));
        if question_ahead {
            self.unheard = true;
        }
        self.session
            .view
            .note("(you're still talking — the interviewer waits)");
        tracing::info!(
            at = now_ms(self.pos),
            "the candidate went on: the reply waits"
        );
    }

    /// The candidate talks on over the closing lines: they are heard to the
    /// end of their turn (kept as a remark on the last question, and the
    /// closing said again); if no words come within a moment, it ends.
    fn hear_out(&mut self) -> Result<(), SessionError> {
        let Some(index) = self.machine.last_asked() else {
            self.done = true;
            return Ok(());
        };
        tracing::info!(at = now_ms(self.pos), "heard out after the closing");
        self.unheard = true;
        self.closing = Some(self.pos + super::GO_ON_WAIT);
        self.start_listening(index, HEAR_OUT_EXPECTED_S)
    }

    /// Stops the session: speech cut, the answer in progress kept (its last
    /// chunk gets a short wait), the interrupt recorded, nothing more said.
    pub(super) fn stop(&mut self) -> Result<(), SessionError> {
        self.stopping = true;
        self.speaker.stop();
        self.session.view.note(crate::session::INTERRUPTED);
        self.end_turn_now()?;
        self.worker.cancel();
        if !self.done {
            let a = self.step(StepKind::Interrupt);
            self.perform(a)?;
        }
        Ok(())
    }
}
