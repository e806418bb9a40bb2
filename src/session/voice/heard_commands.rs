//! Commands said by voice ("Skip.", "Pause.", "End the interview."): a short
//! turn whose words, heard with the round's jargon prompt, make no command is
//! heard once more without it — as soon as its words are transcribed, so a
//! lone "Skip." that Whisper wrote "Scap," ends after a command's short
//! silence (it waited out an answer's 4.5–6.5 s until 2026-12-07, found by
//! hand), and at the end of the turn when that was not done.

use super::Loop;
use crate::interviewer::commands::{parse, trailing, Command};
use crate::interviewer::Grader;
use crate::session::SessionError;
use crate::stt::worker::Job;

/// Turns up to this long (3 s) may be commands, heard again without the
/// vocabulary prompt.
const COMMAND_MAX_SAMPLES: usize = 3 * 16_000;

/// Words a short turn may have to be heard again as a possible command.
const COMMAND_MAX_WORDS: usize = 4;

/// A short turn heard again without the prompt: the words heard with it,
/// and the command heard without it, if any.
pub(super) type PlainHearing = (String, Option<String>);

impl<G: Grader> Loop<G> {
    /// A short turn may be a command ("End the interview.") that Whisper,
    /// steered by the round's jargon, heard as jargon ("EndpointView"): it is
    /// heard once more without the vocabulary prompt (unless that was done
    /// for these words already). Returns the words that make a command, if
    /// either hearing does.
    pub(super) fn command_heard(
        &mut self,
        text: &str,
        speech_end: u64,
    ) -> Result<Option<String>, SessionError> {
        if parse(text).is_some() {
            return Ok(Some(text.to_string()));
        }
        if let Some((jargon, command)) = self.plain_hearing.take() {
            if jargon == text {
                return Ok(command);
            }
        }
        let Some(samples) = self.short_turn_audio(speech_end) else {
            return Ok(None);
        };
        let plain = self.hear_plain(samples)?;
        tracing::debug!(
            jargon = text,
            plain,
            "short turn heard again without the prompt"
        );
        Ok(parse(&plain).is_some().then_some(plain))
    }

    /// While listening: a short turn whose transcript so far makes no
    /// command is heard again without the prompt, once, as soon as every
    /// chunk of it is transcribed; a command found tells the endpointer so.
    pub(super) fn rehear_short_turn(&mut self) -> Result<(), SessionError> {
        if self.plain_hearing.is_some()
            || !self.ep.in_turn()
            || self.pending.is_empty()
            || self.pending.values().any(Option::is_none)
        {
            return Ok(());
        }
        let text = self.words_since_carried();
        let end = self.chunk_ends.values().max().copied().unwrap_or(self.pos);
        if text.split_whitespace().count() > COMMAND_MAX_WORDS || parse(&text).is_some() {
            self.plain_hearing = Some((text, None));
            return Ok(());
        }
        let command = match self.short_turn_audio(end.saturating_sub(200 * 16)) {
            Some(samples) => {
                let plain = self.hear_plain(samples)?;
                tracing::debug!(jargon = text, plain, "short turn heard without the prompt");
                parse(&plain).is_some().then_some(plain)
            }
            None => None,
        };
        if command.as_deref().is_some_and(acts_at_once) {
            self.ep.set_command(true);
        }
        self.plain_hearing = Some((text, command));
        Ok(())
    }

    /// The turn's audio to `speech_end` (and a moment after), when the
    /// turn is short enough to be a command heard as jargon.
    fn short_turn_audio(&self, speech_end: u64) -> Option<Vec<f32>> {
        let a = (self.turn_start.max(self.audio_base) - self.audio_base) as usize;
        let b = ((speech_end + 300 * 16).saturating_sub(self.audio_base) as usize)
            .min(self.audio.len());
        let short = b > a && b - a <= COMMAND_MAX_SAMPLES;
        (short && self.prompt.is_some() && !self.stopping).then(|| self.audio[a..b].to_vec())
    }

    /// What Whisper hears in `samples` without the vocabulary prompt, waited
    /// for (a short clip: a command, perhaps); nothing is shown, and the
    /// turn's transcribed chunks are kept (none may be outstanding).
    pub(super) fn hear_plain(&mut self, samples: Vec<f32>) -> Result<String, SessionError> {
        debug_assert!(self.pending.values().all(Option::is_some));
        let turn = std::mem::take(&mut self.pending);
        let id = self.next_job;
        self.next_job += 1;
        self.pending.insert(id, None);
        let heard = self
            .worker
            .submit(Job {
                id,
                samples,
                prompt: None,
                bias: None,
                speech_s: 0.0,
            })
            .map_err(SessionError::from)
            .and_then(|()| {
                self.rehearing = true;
                let heard = self.collect(true);
                self.rehearing = false;
                heard
            });
        // This clip's words alone (not an answer taken back before them).
        let plain = self.words_since_carried();
        self.pending = turn;
        heard.map(|()| plain)
    }
}

/// A turn that is just a command the session acts on at once ("Pause.",
/// "Skip.", "End the interview.", "Let me think."). "I don't know" often
/// leads into an answer, so it waits as an answer's pauses do. "Let me
/// think" is acknowledged after the short silence of a closing phrase:
/// waiting out a thinking pause first put "Sure — take your time" 6.5 s
/// later, over the answer the candidate had by then begun (found trying a
/// spoken session, 2026-12-07); words said over it barge in.
pub(super) fn acts_at_once(text: &str) -> bool {
    parse(text).is_some_and(|c| c != Command::DontKnow)
}

/// Words that end the turn after a command's short silence: a command acted
/// on at once, alone or closing an answer ("…with Karpenter. Pause,
/// please.").
pub(super) fn ends_at_once(text: &str) -> bool {
    acts_at_once(text) || trailing(text).is_some()
}
