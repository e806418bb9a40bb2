//! The spoken session while the model reviews an answer: the consultant
//! works off this loop, the microphone is still heard, and the reply is
//! taken when the candidate is not mid-sentence.

use super::{Loop, SessionError};
use crate::interviewer::{Grader, Input};
use crate::transcript::StepKind;

impl<G: Grader> Loop<G> {
    /// While the model reviews an answer the candidate keeps the floor:
    /// words said are remarks (or commands: "skip", "end the interview"),
    /// never an answer, and their audio is not an answer take.
    pub(super) fn listen_while_consulting(&mut self) -> Result<(), SessionError> {
        let Some(index) = self.machine.current() else {
            return Ok(());
        };
        if self.stopping || self.listening.is_some() {
            return Ok(());
        }
        let expected = self.session.record.plan[index].question.expected_seconds;
        self.unheard = true;
        self.start_listening(index, expected)?;
        self.session.view.note(crate::session::state::CONSULTING);
        Ok(())
    }

    /// The model's reply, taken when the candidate is not mid-sentence.
    /// Returns true when it was applied.
    pub(super) fn consulted(&mut self) -> Result<bool, SessionError> {
        if !self.consultant.is_waiting() {
            return Ok(false);
        }
        if !self.machine.is_consulting() {
            // The interviewer moved on (skip, end): the reply is not wanted.
            self.consultant.cancel();
            return Ok(false);
        }
        if self.listening.is_none() {
            // A remark was taken: listen on until the reply comes.
            self.listen_while_consulting()?;
        }
        if self.ep.in_turn() {
            return Ok(false);
        }
        let Some(reply) = self.consultant.reply(std::time::Duration::ZERO) else {
            return Ok(false);
        };
        self.take_reply(reply)?;
        Ok(true)
    }

    /// The input ran out (recorded answers) while the model reviews: its
    /// reply still counts, so it is waited for (Ctrl-C stops waiting).
    /// Returns true when a reply was applied.
    pub(super) fn await_reply(&mut self) -> Result<bool, SessionError> {
        while self.consultant.is_waiting() && self.machine.is_consulting() {
            if super::stop::requested() {
                return Ok(false);
            }
            if let Some(reply) = self.consultant.reply(std::time::Duration::from_millis(100)) {
                self.take_reply(reply)?;
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn take_reply(&mut self, reply: crate::interviewer::Reply) -> Result<(), SessionError> {
        self.listening = None;
        self.unheard = false;
        self.pending.clear();
        let a = self.step(StepKind::Input {
            input: Input::Consulted { reply },
        });
        self.perform(a)?;
        Ok(())
    }
}
