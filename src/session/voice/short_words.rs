//! Short words the VAD opens no turn for — a clipped "Skip." said over a
//! question, too brief to barge in or, barging in, too brief for a turn, or
//! said alone while listening — heard once they have ended, without the
//! jargon prompt, and acted on when they are a command. A short "Skip." in the middle of a long follow-up was
//! lost this way, and the candidate sat in silence until the check-in
//! (found by hand, 2026-12-07). Anything else (a cough, "mm-hm", the echo)
//! is dropped: only a command is taken from words nobody opened a turn for.

use super::aside::Span;
use super::{now_ms, Loop};
use crate::interviewer::{Grader, Input};
use crate::session::SessionError;
use crate::transcript::StepKind;
use crate::vad::{rms, FRAME};

/// Audio kept before and (twice this) after words set aside: 150 ms.
const PAD: u64 = 150 * 16;

impl<G: Grader> Loop<G> {
    /// While listening, the words of a barge-in that opened no turn (the
    /// audio kept) are watched as if heard now.
    pub(super) fn watch_kept(&mut self) -> Result<(), SessionError> {
        let floor = self.voice_floor();
        let loud: Vec<bool> = self
            .audio
            .chunks_exact(FRAME)
            .map(|f| rms(f) >= floor)
            .collect();
        for (i, loud) in loud.into_iter().enumerate() {
            let end = self.audio_base + ((i + 1) * FRAME) as u64;
            if let Some(span) = self.aside.push(loud, end) {
                self.act_on_short_words(span)?;
            }
        }
        Ok(())
    }

    /// One frame while listening: words the VAD opens no turn for (a clipped
    /// "Skip.") are heard once a quiet moment follows them; a turn that
    /// opens takes them instead.
    pub(super) fn watch_quiet(&mut self) -> Result<(), SessionError> {
        if self.ep.in_turn() {
            self.aside.restart();
            return Ok(());
        }
        let loud = (self.speech || self.barge_speech) && rms(&self.frame) >= self.voice_floor();
        if let Some(span) = self.aside.push(loud, self.pos) {
            self.act_on_short_words(span)?;
        }
        Ok(())
    }

    /// Short words just ended, heard: a command is acted on next.
    fn act_on_short_words(&mut self, span: Span) -> Result<(), SessionError> {
        let words = (span, self.clip(span));
        self.act_on_words(words)
    }

    /// Short words, heard: a command is acted on next.
    pub(super) fn act_on_words(&mut self, words: (Span, Vec<f32>)) -> Result<(), SessionError> {
        if let Some(input) = self.command_aside(words)? {
            self.queued = Some(StepKind::Input { input });
        }
        Ok(())
    }

    /// The level a frame must reach to be the candidate's voice, not the
    /// interviewer's echo.
    pub(super) fn voice_floor(&self) -> f32 {
        self.barge.as_ref().map_or(0.02, |b| b.echo_floor())
    }

    /// One frame while the interviewer speaks, for short words over it.
    pub(super) fn watch_aside(&mut self) {
        let loud = (self.speech || self.barge_speech) && rms(&self.frame) >= self.voice_floor();
        if let Some(span) = self.aside.push(loud, self.pos) {
            tracing::debug!(
                start = now_ms(span.start),
                end = now_ms(span.end),
                "words set aside"
            );
            self.set_aside = Some((span, self.clip(span)));
        }
    }

    /// The audio of words (a little before and after them).
    fn clip(&self, span: Span) -> Vec<f32> {
        let a = span.start.saturating_sub(PAD).max(self.audio_base) - self.audio_base;
        let b = ((span.end + 2 * PAD).min(self.pos) - self.audio_base).max(a);
        self.audio[a as usize..b as usize].to_vec()
    }

    /// The words set aside over the question's line, the line being over.
    pub(super) fn take_aside(&mut self) -> Option<(Span, Vec<f32>)> {
        if let Some(span) = self.aside.finish() {
            self.set_aside = Some((span, self.clip(span)));
        }
        self.aside.clear();
        self.set_aside.take()
    }

    /// Short words, heard without the jargon prompt: the command they make,
    /// shown as heard, or nothing (a cough, "mm-hm", the echo).
    fn command_aside(
        &mut self,
        (span, samples): (Span, Vec<f32>),
    ) -> Result<Option<Input>, SessionError> {
        let text = self.hear_plain(samples)?;
        tracing::debug!(text, "words set aside, heard");
        // "I don't know" muttered over a question is no reason to act.
        if !super::heard_commands::acts_at_once(&text) {
            return Ok(None);
        }
        self.session.view.heard(&text);
        let (started, ended) = (now_ms(span.start), now_ms(span.end));
        Ok(Some(self.heard_input(text, started, ended)))
    }
}
