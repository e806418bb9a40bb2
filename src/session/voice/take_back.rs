//! A turn that had not ended: when the candidate goes on before the reply
//! to their answer is heard (a thinking pause taken for the end), the step
//! is taken back — the interviewer returns to the state before the answer,
//! the reply's events are dropped unheard — and listening resumes with what
//! was heard so far carried into the same answer, so it is graded whole.

use super::{now_ms, Loop};
use crate::interviewer::{Action, Command, EndReason, EventKind, Grader, Input, Ms, Snapshot};
use crate::session::SessionError;
use crate::transcript::StepKind;

/// How long before their voice was heard going on the turn is taken to
/// start (the barge-in detector hears a voice 150–300 ms into it).
const WENT_ON_LEAD_MS: u64 = 500;

/// What a turn's answer changed, to undo it.
pub(super) struct Mark {
    steps: usize,
    events: usize,
    machine: Snapshot,
    index: usize,
    text: String,
    started: Ms,
    ended: Ms,
}

/// The words of an answer heard before a take-back, waiting for the rest.
pub(super) struct Carried {
    pub text: String,
    pub started: Ms,
    pub ended: Ms,
    /// Until this position the rest is waited for.
    pub until: u64,
}

impl<G: Grader> Loop<G> {
    /// Before an answer (`text`, heard from `started` to `ended`) is given
    /// to the interviewer: what to return to if the turn goes on.
    pub(super) fn mark(&mut self, index: usize, text: &str, started: Ms, ended: Ms) {
        self.mark = Some(Mark {
            steps: self.session.record.steps.len(),
            events: self.session.record.events.len(),
            machine: self.machine.snapshot(),
            index,
            text: text.to_string(),
            started,
            ended,
        });
    }

    /// Whether the reply being performed can still be taken back.
    pub(super) fn can_take_back(&self) -> bool {
        self.mark.is_some() && !self.stopping
    }

    /// The candidate went on before the reply was heard: the answer step and
    /// what it recorded are undone, and listening resumes with its words
    /// carried. The answer's audio already saved stays as its first take.
    pub(super) fn take_back(&mut self) -> Result<(), SessionError> {
        let Some(m) = self.mark.take() else {
            return Ok(());
        };
        self.speaker.stop();
        let record = &mut self.session.record;
        record.steps.truncate(m.steps);
        record.events.truncate(m.events);
        // A closing taken back: the session is not finished after all.
        record.finished = record.events.iter().any(
            |e| matches!(e.kind, EventKind::Ended { reason, .. } if reason != EndReason::Interrupted),
        );
        self.machine.restore(m.machine);
        self.session.save()?;
        self.session
            .view
            .note("(you're still talking — the interviewer waits)");
        tracing::info!(
            at = now_ms(self.pos),
            "the candidate went on: the answer continues"
        );
        let expected = self.session.record.plan[m.index].question.expected_seconds;
        let so_far = (m.ended.saturating_sub(m.started) / 1000) as u32;
        self.carried = Some(Carried {
            text: m.text,
            started: m.started,
            ended: m.ended,
            until: self.pos + super::GO_ON_WAIT,
        });
        // Everything heard since the turn was taken as over is theirs.
        self.ep.reset(expected.saturating_sub(so_far).max(1));
        self.listening = Some(m.index);
        self.pending.clear();
        self.replay_kept()?;
        // Their voice was heard a moment after it began, and the VAD may
        // not call a short first word speech ("Skip this one." lost its
        // "Sk"): their turn starts a little before it was heard.
        let start = self
            .pos
            .saturating_sub(WENT_ON_LEAD_MS * 16)
            .max(self.audio_base);
        let ev = self.ep.start_no_later_than(start);
        self.on_events(ev)
    }

    /// The words said since the take-back (`fresh`) are a command said over
    /// the start of the reply ("Pause, please."): the answer carried was
    /// whole after all. It is given as it was, its reply held back unsaid,
    /// and the command is acted on next. Returns false (nothing done) when
    /// no answer was carried or the words are no such command.
    pub(super) fn command_over_reply(
        &mut self,
        fresh: &str,
        speech_end: u64,
        decided: u64,
    ) -> Result<bool, SessionError> {
        let Some(c) = self.carried.take() else {
            return Ok(false);
        };
        // Heard again without the jargon prompt if short (as any command).
        let command = self
            .command_heard(fresh, speech_end)?
            // "Let me think" over the reply goes on with the answer.
            .filter(|w| {
                super::heard_commands::acts_at_once(w)
                    && crate::interviewer::commands::parse(w) != Some(Command::Think)
            });
        let Some(command) = command.filter(|_| self.listening.is_some()) else {
            self.carried = Some(c);
            return Ok(false);
        };
        tracing::info!(
            at = now_ms(self.pos),
            command,
            "a command over the reply: the answer was whole"
        );
        let (started, ended) = (now_ms(self.turn_start), now_ms(speech_end));
        let index = self.listening.take().unwrap_or_default();
        self.cut_audio(decided.saturating_sub(self.audio_base) as usize);
        self.session.view.heard(&command);
        let answer = Input::Answer {
            text: self.session.as_heard(index, &c.text),
            started: c.started,
            ended: c.ended,
        };
        let actions = self.step(StepKind::Input { input: answer });
        // A reply that hands the floor back waits for the command; a
        // closing is said as it is.
        self.withhold = actions.iter().any(|a| matches!(a, Action::Listen { .. }));
        let performed = self.perform(actions);
        if std::mem::take(&mut self.withhold) {
            self.queued = Some(StepKind::Input {
                input: Input::Answer {
                    text: command,
                    started,
                    ended,
                },
            });
        }
        performed?;
        Ok(true)
    }

    /// The answer carried, with no more words: given to the interviewer.
    pub(super) fn give_carried(&mut self) -> Result<(), SessionError> {
        let Some(c) = &self.carried else {
            return Ok(());
        };
        let end = c.ended * 16;
        self.turn_ended(end, self.pos)
    }

    /// The turn in progress (or an answer carried) is taken as it is: the
    /// session stops or the input ran out.
    pub(super) fn end_turn_now(&mut self) -> Result<(), SessionError> {
        if self.listening.is_some() && self.ep.in_turn() {
            let ev = self.ep.force_end(self.pos);
            self.on_events(ev)?;
        }
        if self.carried_due(true) {
            self.give_carried()?;
        }
        Ok(())
    }

    /// A carried answer whose rest never came (or a session stopping or
    /// out of input) is given as it was.
    pub(super) fn carried_due(&self, now_or_never: bool) -> bool {
        self.carried
            .as_ref()
            .is_some_and(|c| now_or_never || self.pos >= c.until)
            && self.listening.is_some()
            && !self.ep.in_turn()
    }
}
