//! Who has the floor: while the interviewer speaks, the microphone is
//! watched for a barge-in (the candidate's voice, or Enter/space), which
//! stops the speech and hands the audio since the candidate began to the
//! answer; when listening starts, words the candidate began over the
//! question's last moments are kept too. While listening, Enter/space ends
//! the answer or starts a push-to-talk one. Also where each answer's audio
//! is saved.

use super::keys::Key;
use super::{now_ms, stop, Loop, BACKLOG_FRAMES};
use crate::interviewer::{Command, Grader, Input};
use crate::session::SessionError;
use crate::transcript::StepKind;
use crate::vad::{rms, FRAME};
use std::time::{Duration, Instant};

/// Audio kept while the interviewer speaks: enough for the words set aside
/// (`aside.rs`: up to 1.5 s, the 400 ms after them, and a little before).
const SPEAKING_KEEP: usize = 3 * 16_000;

/// Longest a line may take to speak before the speaker is deemed stuck
/// (a speech service that died keeps saying it is speaking).
fn speaking_limit(text: &str) -> Duration {
    let words = text.split_whitespace().count() as u64;
    Duration::from_millis(10_000 + words * 800)
}

/// One frame's worth of time (30 ms).
const FRAME_TIME: Duration = Duration::from_millis((FRAME / 16) as u64);

/// A reply cut by the candidate's voice this soon after its first sound
/// was not yet heard as one: their answer is going on.
const TAKE_BACK_WITHIN: Duration = Duration::from_millis(2_000);

impl<G: Grader> Loop<G> {
    /// Reads the microphone while the interviewer speaks `text`, watching
    /// for a barge-in (voice or key), a stop and daemon controls. A `reply`
    /// to a turn just ended also yields to a candidate who goes on talking
    /// before its first sound: no echo can exist yet, so their voice is
    /// theirs (the echo guard, which learns the loudest sound it hears,
    /// would take it for the echo). Returns true when the line was cut
    /// before any of it was heard.
    pub(super) fn speak_until_done(
        &mut self,
        text: &str,
        reply: bool,
    ) -> Result<bool, SessionError> {
        if let Some(b) = &mut self.barge {
            b.reset();
        }
        self.keys.drain();
        let limit = Instant::now() + speaking_limit(text);
        // A speaker that never reports its first sound is taken to be heard
        // after this long.
        let silent_until = Instant::now() + Duration::from_millis(1_500);
        // Recorded input read as fast as it goes (`--fast`) is read in real
        // time while the interviewer speaks: the wait for speech would
        // otherwise run the session's clock hours ahead (and a core flat out).
        let paced = self.listener.paced();
        let (began, mut frames) = (Instant::now(), 0u32);
        while self.speaker.is_speaking() {
            if !paced {
                frames += 1;
                let due = began + FRAME_TIME * frames;
                if let Some(wait) = due.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
            }
            if stop::requested() {
                self.speaker.stop();
                return Ok(false);
            }
            if Instant::now() > limit {
                self.speaker.stop();
                self.session
                    .view
                    .warn("the speech service stopped responding; the line was cut");
                return Ok(false);
            }
            if let Some(step) = self
                .hook
                .as_mut()
                .and_then(|h| h.poll(&self.session.record))
            {
                // A control from the daemon: stop talking and act on it.
                self.speaker.stop();
                self.queued = Some(step);
                return Ok(false);
            }
            if !self.read()? {
                break;
            }
            self.trim(SPEAKING_KEEP);
            self.watch_aside();
            if reply
                && self.speaker.first_audio().is_none()
                && Instant::now() < silent_until
                && self.talking_now()
            {
                self.speaker.stop();
                self.aside.clear();
                if self.can_take_back() {
                    self.went_on = true;
                } else {
                    self.yield_floor(false);
                }
                return Ok(true);
            }
            let key = self.keys.poll() == Some(Key::Talk);
            let level = rms(&self.frame);
            let voice = match &mut self.barge {
                Some(b) => {
                    let speech = self.barge_speech;
                    tracing::trace!(speech, level, at = now_ms(self.pos), "while speaking");
                    b.push(speech, level)
                }
                None => false,
            };
            // Over the first moments of a reply, their voice is their answer
            // going on: the reply is taken back, unheard.
            let early = self
                .speaker
                .first_audio()
                .map_or(true, |t| t.elapsed() < TAKE_BACK_WITHIN);
            if voice || key {
                // The voice is taken as a barge-in or an answer going on.
                self.aside.clear();
                self.set_aside = None;
            }
            if voice && reply && early && self.can_take_back() {
                self.speaker.stop();
                self.went_on = true;
                return Ok(true);
            }
            if key || voice {
                self.speaker.stop();
                self.barged = true;
                self.barged_at = Some(now_ms(self.pos));
                self.session
                    .view
                    .note("(you cut in — the interviewer stops)");
                tracing::info!(key, voice, at = now_ms(self.pos), "barge-in");
                if key {
                    // A key means "my turn": nothing said yet belongs to the answer.
                    self.cut_audio(self.audio.len());
                }
                break;
            }
        }
        Ok(self.barged && self.speaker.first_audio().is_none())
    }

    /// The floor passes to the candidate: listening starts now, with the
    /// audio the candidate began over the interviewer (a barge-in's, or
    /// words begun over the question's last moments) as the answer's start.
    pub(super) fn start_listening(
        &mut self,
        index: usize,
        expected_seconds: u32,
    ) -> Result<(), SessionError> {
        // Recorded answers answer the interviewer's questions: the next one
        // plays when the floor passes for one, not while the model reviews.
        // After the closing, the candidate is heard out: no next answer.
        let closed = self.machine.is_done();
        if !self.machine.is_consulting() && !closed {
            self.listener.cue();
        }
        self.ep.reset(expected_seconds);
        self.listening = Some(index);
        self.pending.clear();
        // A reply held back for a command: the command speaks next.
        if !self.withhold && !self.stopping {
            self.session.view.note(if closed {
                "(still listening — finish your thought)"
            } else if self.machine.is_paused() {
                "(paused — say \"let's continue\", or press Enter or space to go on)"
            } else {
                "(listening — speak your answer; Enter or space ends it)"
            });
        }
        let barged = std::mem::take(&mut self.barged);
        let keep = if barged {
            self.audio.len().min(BACKLOG_FRAMES * FRAME)
        } else {
            self.speech_tail().max(self.open_words())
        };
        let aside = self.take_aside();
        tracing::debug!(
            barged,
            kept_ms = keep / 16,
            set_aside = aside.as_ref().map(|(s, _)| now_ms(s.end) - now_ms(s.start)),
            at = now_ms(self.pos),
            "listening begins"
        );
        self.cut_audio(self.audio.len() - keep);
        if barged && keep == 0 {
            // Barged in by key: the turn is the candidate's from now on.
            let ev = self.ep.open(self.pos);
            self.on_events(ev)?;
        } else {
            self.replay_kept()?;
        }
        // Stopping: the lines before were not said, so no listening began
        // (the record says what was left unsaid).
        if self.machine.awaits_listening() && !self.stopping {
            let a = self.step(StepKind::Listening);
            debug_assert!(a.is_empty());
        }
        if self.withhold || self.stopping || closed {
            return Ok(());
        }
        if let Some(words) = aside.filter(|_| !barged && keep == 0) {
            // Short words over the question that did not run into its end.
            self.act_on_words(words)?;
        }
        // From now on, words the VAD opens no turn for are heard when they
        // end — from the start of the voice kept if it opened none (a
        // clipped "Skip." that barged in or ran into the end of the line,
        // the echo, or an answer's first syllables). Until 2026-12-07 a
        // "Skip." running into the end of the question was lost when it did
        // not barge in: the watch began again mid-word (two full runs of
        // `skip_said_in_the_middle_of_the_question_skips_it`).
        self.aside.restart();
        if keep > 0 && !self.ep.in_turn() {
            self.watch_kept()?;
        }
        Ok(())
    }

    /// Samples from a little before words still being said over the line
    /// as it ends: they are heard whole once they end, not cut at the line's
    /// end. Until 2026-12-07 a "Skip." running across the end of the question
    /// was judged there — cut, and heard as "It's good." or "Let's get.", or
    /// too few of its frames loud yet to count, and lost (found by a CI run
    /// of `skip_said_in_the_middle_of_the_question_skips_it`).
    fn open_words(&self) -> usize {
        let Some(start) = self.aside.open_start() else {
            return 0;
        };
        let since = (self.pos.saturating_sub(start)) as usize + 10 * FRAME;
        since.min(BACKLOG_FRAMES * FRAME).min(self.audio.len())
    }

    /// Samples at the end of the kept audio that are the candidate's voice:
    /// frames well above the interviewer's echo, up to the backlog, with
    /// gaps of up to 400 ms between them (a short first word, "Skip", and
    /// the stop before the next).
    fn speech_tail(&mut self) -> usize {
        let frames = (self.audio.len() / FRAME).min(BACKLOG_FRAMES);
        let start = self.audio.len() - frames * FRAME;
        let floor = self.voice_floor();
        let loud: Vec<bool> = self.audio[start..]
            .chunks_exact(FRAME)
            .rev()
            .map(|f| rms(f) >= floor)
            .collect();
        let Some(span) = voice_span(&loud) else {
            return 0;
        };
        // A little before the voice, for the first syllable.
        ((span + 10).min(frames)) * FRAME
    }

    /// Feeds the kept audio through the VAD and endpointer as if heard now.
    pub(super) fn replay_kept(&mut self) -> Result<(), SessionError> {
        let flags: Vec<bool> = self.speech_flags.iter().copied().collect();
        for (i, speech) in flags.into_iter().enumerate() {
            let end = self.audio_base + ((i + 1) * FRAME) as u64;
            let ev = self.ep.push(speech, end);
            self.on_events(ev)?;
        }
        Ok(())
    }

    /// Enter or space while listening: ends the answer, or starts one
    /// (push-to-talk) when none is under way; while paused, resumes.
    pub(super) fn on_key(&mut self) -> Result<(), SessionError> {
        if self.listening.is_none() {
            return Ok(());
        }
        if self.machine.is_paused() && !self.ep.in_turn() {
            self.queued = Some(StepKind::Input {
                input: Input::Command {
                    command: Command::Resume,
                },
            });
            return Ok(());
        }
        let ev = if self.ep.in_turn() {
            self.ep.force_end(self.pos)
        } else {
            self.session
                .view
                .note("(recording — Enter or space again when you're done)");
            self.ep.open(self.pos)
        };
        self.on_events(ev)
    }

    /// Saves the answer's audio (from its start, pre-roll included, to a
    /// moment after its last word) as `answers/qNN-K.wav`; a failure to write
    /// it is a warning, never a lost session.
    pub(super) fn save_answer_audio(&mut self, index: usize, speech_end: u64) -> Option<String> {
        let a = (self.turn_start.max(self.audio_base) - self.audio_base) as usize;
        let b = ((speech_end + 300 * 16).saturating_sub(self.audio_base) as usize)
            .min(self.audio.len());
        if b <= a {
            return None;
        }
        let take = 1 + self
            .session
            .record
            .answers
            .iter()
            .filter(|t| t.index == index && t.audio.is_some())
            .count();
        let rel = format!("answers/q{:02}-{take}.wav", index + 1);
        match self.session.dir.write_wav(&rel, &self.audio[a..b]) {
            Ok(()) => Some(rel),
            Err(e) => {
                self.session
                    .view
                    .warn(&format!("the answer's audio was not saved: {e}"));
                None
            }
        }
    }
}

/// Frames, counted back from the end, that hold the voice: `loud` (latest
/// first) must begin with at least 5 loud frames (fewer are no words); the
/// span goes back over gaps of up to 400 ms to the earliest loud frame.
fn voice_span(loud: &[bool]) -> Option<usize> {
    const MAX_GAP: usize = 400 / 30;
    let run = loud.iter().take_while(|&&l| l).count();
    if run < 5 {
        return None;
    }
    let (mut span, mut gap) = (run, 0);
    for (i, &l) in loud.iter().enumerate().skip(run) {
        if l {
            span = i + 1;
            gap = 0;
        } else {
            gap += 1;
            if gap > MAX_GAP {
                break;
            }
        }
    }
    Some(span)
}

#[cfg(test)]
mod tests {
    use super::voice_span;

    fn frames(pattern: &[(bool, usize)]) -> Vec<bool> {
        // Written oldest first, read latest first.
        let mut v: Vec<bool> = pattern
            .iter()
            .flat_map(|&(l, n)| std::iter::repeat(l).take(n))
            .collect();
        v.reverse();
        v
    }

    #[test]
    fn a_short_first_word_before_a_stop_is_kept() {
        // "Skip" (3 frames), the stop (4), "this one" (20), oldest first.
        let loud = frames(&[(false, 30), (true, 3), (false, 4), (true, 20)]);
        assert_eq!(voice_span(&loud), Some(27));
    }

    #[test]
    fn a_sound_long_before_is_not() {
        let loud = frames(&[(true, 3), (false, 20), (true, 20)]);
        assert_eq!(voice_span(&loud), Some(20));
    }

    #[test]
    fn a_few_loud_frames_are_no_words() {
        assert_eq!(
            voice_span(&frames(&[(true, 20), (false, 1), (true, 4)])),
            None
        );
    }
}
