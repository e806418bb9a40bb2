//! Who has the floor: while the interviewer speaks, the microphone is
//! watched for a barge-in (the candidate's voice, or Enter/space), which
//! stops the speech and hands the audio since the candidate began to the
//! answer; while listening, Enter/space ends the answer or starts a
//! push-to-talk one. Also where each answer's audio is saved.

use super::{now_ms, Loop, BACKLOG_FRAMES};
use crate::cli::keys::Key;
use crate::cli::CliError;
use crate::vad::{rms, EndpointEvent, VoiceDetector, FRAME};

impl<G: crate::interviewer::Grader> Loop<'_, G> {
    /// Reads the microphone while the interviewer speaks, watching for a
    /// barge-in (voice or key); the audio is kept in the backlog.
    pub(super) fn speak_until_done(&mut self) -> Result<(), CliError> {
        if let Some(b) = &mut self.barge {
            b.reset();
        }
        self.keys.drain();
        while self.speaker.is_speaking() {
            if !self.read()? {
                break;
            }
            if self.backlog.len() == BACKLOG_FRAMES {
                self.backlog.pop_front();
            }
            self.backlog.push_back(self.frame);
            let key = self.keys.poll() == Some(Key::Talk);
            let voice = match &mut self.barge {
                Some(b) => {
                    let (speech, level) = (self.barge_vad.is_speech(&self.frame), rms(&self.frame));
                    tracing::trace!(speech, level, at = now_ms(self.pos), "while speaking");
                    b.push(speech, level)
                }
                None => false,
            };
            if key || voice {
                self.speaker.stop();
                self.barged = true;
                self.barged_at = Some(now_ms(self.pos));
                println!("    (you cut in — the interviewer stops)");
                tracing::info!(key, voice, at = now_ms(self.pos), "barge-in");
                if key {
                    // A key means "my turn": nothing said yet belongs to the answer.
                    self.backlog.clear();
                }
                break;
            }
        }
        Ok(())
    }

    /// After a barge-in: the audio since the candidate began talking becomes
    /// the start of the answer, through the same VAD and endpointer.
    pub(super) fn take_backlog(&mut self) -> Result<(), CliError> {
        let frames: Vec<[f32; FRAME]> = self.backlog.drain(..).collect();
        if frames.is_empty() {
            // Barged in by key: the turn is the candidate's from now on.
            let ev = self.ep.open(self.pos);
            return self.on_events(ev);
        }
        self.audio_base = self.pos - (frames.len() * FRAME) as u64;
        for (i, f) in frames.iter().enumerate() {
            self.audio.extend_from_slice(f);
            let end = self.audio_base + ((i + 1) * FRAME) as u64;
            let speech = self.vad.is_speech(f);
            let ev = self.ep.push(speech, end);
            self.on_events(ev)?;
        }
        Ok(())
    }

    pub(super) fn on_events(&mut self, events: Vec<EndpointEvent>) -> Result<(), CliError> {
        for ev in events {
            self.on_event(ev)?;
            if self.done {
                break;
            }
        }
        Ok(())
    }

    /// Enter or space while listening: ends the answer, or starts one
    /// (push-to-talk) when none is under way.
    pub(super) fn on_key(&mut self) -> Result<(), CliError> {
        if self.listening.is_none() {
            return Ok(());
        }
        let ev = if self.ep.in_turn() {
            self.ep.force_end(self.pos)
        } else {
            println!("\n    (recording — Enter or space again when you're done)");
            self.ep.open(self.pos)
        };
        self.on_events(ev)
    }
    /// Saves the answer's audio (from its start, pre-roll included, to a
    /// moment after its last word) as `answers/qNN-K.wav`; a failure to write
    /// it is a warning, never a lost session.
    pub(super) fn save_answer_audio(&self, index: usize, speech_end: u64) -> Option<String> {
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
                eprintln!("warning: the answer's audio was not saved: {e}");
                None
            }
        }
    }
}
