//! Listening: each frame through the VAD and the endpointer; committed
//! chunks to Whisper while the candidate keeps talking (each stretch of audio
//! exactly once); at the end of the turn, the answer — or a remark, when the
//! pending question was never heard — to the interviewer.

use super::heard_commands::ends_at_once;
use super::{now_ms, stop, Loop};
use crate::interviewer::{Grader, Input, Ms};
use crate::session::SessionError;
use crate::stt::bias::BiasContext;
use crate::stt::stitch::join_chunks;
use crate::stt::worker::Job;
use crate::transcript::{StepKind, TurnLatency};
use crate::vad::{rms, EndpointEvent, FRAME};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a stopping session waits for the last chunk's words: long
/// enough for a chunk queued behind another (1.5 s lost the last words of
/// an answer when Ctrl-C came while the chunk before was still being
/// decoded, found by hand); a second Ctrl-C quits at once.
const STOP_WAIT: Duration = Duration::from_millis(4_000);
/// After this long a stopping session says what it is waiting for.
const STOP_NOTE_AFTER: Duration = Duration::from_millis(1_000);

impl<G: Grader> Loop<G> {
    /// One frame while listening.
    pub(super) fn listen_frame(&mut self) -> Result<(), SessionError> {
        let speech = self.speech;
        let elapsed = now_ms(
            self.pos
                .saturating_sub(self.turn_start.max(self.audio_base)),
        );
        self.session.view.meter(rms(&self.frame), elapsed);
        let ev = self.ep.push(speech, self.pos);
        self.on_events(ev)?;
        // The end-of-turn model's verdicts, as they come.
        while let Some(v) = self.turn.as_mut().and_then(|t| t.poll()) {
            let ev = self.ep.verdict(v.probability, v.end, self.pos);
            self.on_events(ev)?;
        }
        if !self.done && self.keys.poll() == Some(super::keys::Key::Talk) {
            self.on_key()?;
        }
        self.collect(false)?;
        self.rehear_short_turn()?;
        self.watch_quiet()?;
        if !self.ep.in_turn() && self.ep.is_quiet() && !self.aside.is_open() {
            // Between answers only the pre-roll matters.
            self.trim(self.frame.len() * 20);
        }
        Ok(())
    }

    pub(super) fn on_events(&mut self, events: Vec<EndpointEvent>) -> Result<(), SessionError> {
        for ev in events {
            self.on_event(ev)?;
            if self.done {
                break;
            }
        }
        Ok(())
    }

    /// Transcription results so far (`blocking`: all of them; a stopping
    /// session waits only a moment for the last).
    pub(super) fn collect(&mut self, blocking: bool) -> Result<(), SessionError> {
        let since = Instant::now();
        let until = since + STOP_WAIT;
        let mut noted = false;
        loop {
            let r = if blocking {
                if self.pending.values().all(Option::is_some) {
                    return Ok(());
                }
                if self.stopping || stop::requested() {
                    let wait = if noted {
                        until.saturating_duration_since(Instant::now())
                    } else {
                        STOP_NOTE_AFTER.saturating_sub(since.elapsed())
                    };
                    match self.worker.recv_timeout(wait) {
                        Some(r) => Some(r),
                        None if !noted => {
                            noted = true;
                            self.session.view.note(
                                "(transcribing your last words — press Ctrl-C again to quit now)",
                            );
                            continue;
                        }
                        None => {
                            self.session.view.warn(
                                "the last words were not transcribed in time; the audio is saved",
                            );
                            return Ok(());
                        }
                    }
                } else {
                    Some(self.worker.recv())
                }
            } else {
                self.worker.try_recv()
            };
            let Some(r) = r else { return Ok(()) };
            let done = r.map_err(SessionError::Failed)?;
            if let Some(w) = self.pace.done(done.audio_s, done.elapsed_ms) {
                self.session.view.warn(&w);
            }
            // A result of a turn already given up (noise) is not this turn's.
            let Some(slot) = self.pending.get_mut(&done.id) else {
                continue;
            };
            // A short turn heard again (commands) is not shown twice.
            if !done.text.is_empty() && !self.rehearing {
                self.session.view.partial(&done.text);
            }
            tracing::debug!(
                id = done.id,
                text = done.text,
                took_ms = done.elapsed_ms,
                "chunk transcribed"
            );
            *slot = Some(done.text);
            // A short clip heard again (a command?) says nothing of the turn.
            if self.rehearing {
                continue;
            }
            let so_far = self.answer_so_far();
            if let Some(index) = self.listening {
                // Its finished sentences are embedded in the background, so
                // grading at the end of the turn has little left to embed.
                crate::scorer::prewarm(&self.session.as_heard(index, &so_far));
            }
            // The transcript is current through the last chunk of the
            // unbroken run of finished ones.
            let through = self
                .pending
                .iter()
                .take_while(|(_, t)| t.is_some())
                .filter_map(|(id, _)| self.chunk_ends.get(id))
                .last()
                .copied();
            match through {
                Some(end) => self.ep.set_tail_through(&so_far, end),
                None => self.ep.set_tail(&so_far),
            }
            // A command said over the start of a reply to an answer taken
            // back is a command too: the words since are what count.
            let words = self.words_since_carried();
            self.ep.set_command(ends_at_once(&words));
            // A whole question back ("Do you mean on EKS?") is answered as
            // soon as the end-of-turn model calls it finished.
            self.ep
                .set_asked_back(self.machine.takes_finished_question_back(&words));
        }
    }

    /// The current question's bias context and Whisper prompt (its round's,
    /// when the prompt is on), built once per question.
    fn question_context(&mut self) -> (Option<Arc<BiasContext>>, Option<String>) {
        let index = self.machine.current();
        if self.bias.as_ref().map(|c| c.0) != index {
            let planned = index.and_then(|i| self.machine.plan().get(i));
            let Some(planned) = planned else {
                return (None, self.prompt.clone());
            };
            let prompt = self.prompt.as_ref().map(|p| {
                self.session
                    .whisper_prompt_for(planned)
                    .unwrap_or(p.clone())
            });
            self.bias = index.map(|i| (i, self.session.bias_context(planned), prompt));
        }
        self.bias
            .as_ref()
            .map_or((None, self.prompt.clone()), |c| (c.1.clone(), c.2.clone()))
    }

    /// Seconds the VAD heard as speech in `audio[a..b]`.
    fn speech_seconds(&self, a: usize, b: usize) -> f64 {
        let frames = self
            .speech_flags
            .iter()
            .skip(a / FRAME)
            .take((b - a) / FRAME)
            .filter(|s| **s)
            .count();
        (frames * FRAME) as f64 / 16_000.0
    }

    fn answer_so_far(&self) -> String {
        let carried = self.carried.iter().map(|c| c.text.clone());
        join_chunks(carried.chain(std::iter::once(self.words_since_carried())))
    }

    /// The words of the turn in progress (beyond an answer carried).
    pub(super) fn words_since_carried(&self) -> String {
        join_chunks(self.pending.values().flatten())
    }

    fn on_event(&mut self, ev: EndpointEvent) -> Result<(), SessionError> {
        match ev {
            EndpointEvent::SpeechStarted { start } => {
                self.turn_start = start.max(self.audio_base);
                self.pending.clear();
                self.plain_hearing = None;
                self.chunk_ends.clear();
            }
            EndpointEvent::Commit { start, end } => {
                let a = (start.max(self.audio_base) - self.audio_base) as usize;
                let b = ((end.saturating_sub(self.audio_base)) as usize).min(self.audio.len());
                if b > a {
                    let id = self.next_job;
                    self.next_job += 1;
                    self.pending.insert(id, None);
                    self.chunk_ends.insert(id, end);
                    self.pace.submitted((b - a) as f64 / 16_000.0);
                    tracing::debug!(
                        id,
                        from_ms = now_ms(start.max(self.audio_base) - self.turn_start),
                        to_ms = now_ms(end.saturating_sub(self.turn_start)),
                        "chunk committed"
                    );
                    // Paused, the words awaited are "resume", not jargon.
                    let paused = self.machine.is_paused();
                    let (bias, prompt) = match paused {
                        true => (None, None),
                        false => self.question_context(),
                    };
                    let speech_s = self.speech_seconds(a, b);
                    self.worker.submit(Job {
                        id,
                        samples: self.audio[a..b].to_vec(),
                        prompt,
                        bias,
                        speech_s,
                    })?;
                }
            }
            EndpointEvent::CheckTurn { start, end } => {
                if let Some(turn) = self.turn.as_mut() {
                    let b = (end.saturating_sub(self.audio_base) as usize).min(self.audio.len());
                    let a = (start.saturating_sub(self.audio_base) as usize).min(b);
                    turn.ask(&self.audio[a..b], end);
                    // Input read faster than real time: the verdict lands on
                    // the frame it was asked on, as when the model was a call.
                    if !self.listener.paced() {
                        if let Some(v) = turn.wait() {
                            let events = self.ep.verdict(v.probability, v.end, self.pos);
                            self.on_events(events)?;
                        }
                    }
                }
            }
            EndpointEvent::TurnEnded {
                speech_end,
                decided,
            } => self.turn_ended(speech_end, decided)?,
        }
        Ok(())
    }

    /// Words heard, for the interviewer: a remark while the question
    /// pending is unheard (cut in before it was said, or the model
    /// reviewing), else an answer.
    pub(super) fn heard_input(&mut self, text: String, started: Ms, ended: Ms) -> Input {
        if std::mem::take(&mut self.unheard) {
            Input::Remark {
                text,
                started,
                ended,
            }
        } else {
            Input::Answer {
                text,
                started,
                ended,
            }
        }
    }

    pub(super) fn turn_ended(&mut self, speech_end: u64, decided: u64) -> Result<(), SessionError> {
        let t0 = Instant::now();
        // When speech ended, on the wall clock (live input runs in real time).
        let spoke_until = t0
            .checked_sub(Duration::from_millis(now_ms(
                self.pos.saturating_sub(speech_end),
            )))
            .unwrap_or(t0);
        self.collect(true)?;
        let transcript_ms = t0.elapsed().as_millis() as Ms;
        let text = self.answer_so_far();
        let fresh = self.words_since_carried();
        let unfinished = self.pending.values().any(Option::is_none);
        self.pending.clear();
        let Some(index) = self.listening else {
            return Ok(());
        };
        if self.command_over_reply(&fresh, speech_end, decided)? {
            return Ok(());
        }
        if text.trim().is_empty() && unfinished {
            // Stopping before Whisper finished: the audio is kept (and
            // listed in the record) so nothing said is lost.
            self.listening = None;
            let (started, ended) = (now_ms(self.turn_start), now_ms(speech_end));
            if let Some(rel) = self.save_answer_audio(index, speech_end) {
                self.session.heard(index, "", started, ended, Some(rel));
            }
            return Ok(());
        }
        // Nothing heard: noise, not words — or a lone command that Whisper,
        // steered by the jargon, wrote as a sound ("(Pause)"), heard again.
        let text = match text.trim().is_empty() {
            true => self.command_heard("", speech_end)?.unwrap_or_default(),
            false => text,
        };
        if text.trim().is_empty() {
            // Keep listening for the real answer.
            self.ep
                .reset(self.session.record.plan[index].question.expected_seconds);
            return Ok(());
        }
        self.listening = None;
        let carried = self.carried.take();
        let started = carried
            .as_ref()
            .map_or(now_ms(self.turn_start), |c| c.started);
        let ended = now_ms(speech_end);
        // Taken back once and nothing more came (an echo taken for their
        // voice, say): this time the reply is not taken back again.
        let again = carried
            .as_ref()
            .is_some_and(|c| c.text.trim() == text.trim());
        let command = match carried {
            Some(_) => None,
            None => self.command_heard(&text, speech_end)?,
        };
        // A remark is not an answer: its audio is not one of the answer takes.
        let audio = if self.unheard {
            None
        } else {
            self.save_answer_audio(index, speech_end)
        };
        // What was heard belongs to this answer, not to the next one.
        self.cut_audio(decided.saturating_sub(self.audio_base) as usize);
        // A command is taken as said; an answer goes through the jargon layer.
        let raw = text.clone();
        let is_answer = command.is_none() && !self.unheard && !again;
        let text = match command {
            Some(c) => c,
            // An answer that went on keeps each stretch's audio as a take
            // of its own, timed from where that stretch began.
            None => {
                let take_start = now_ms(self.turn_start).max(started);
                self.session.heard(index, &text, take_start, ended, audio)
            }
        };
        self.session.view.heard(&text);
        let barged_in_at = self.barged_at.take();
        // A question back is not an answer that may go on: words over its
        // reply ("…on AWS?" then "Let me think about that.") are a turn of
        // their own (until 2026-12-07 they were joined to it and graded).
        if is_answer && !self.machine.takes_question_back(&text) {
            self.mark(index, &raw, started, ended);
        }
        let input = self.heard_input(text, started, ended);
        let t1 = Instant::now();
        let actions = self.step(StepKind::Input { input });
        self.after_turn = true;
        let spoken = self.perform(actions);
        self.after_turn = false;
        self.mark = None;
        let spoken = spoken?;
        if self.carried.is_some() {
            // Taken back: the answer goes on; its latency is the whole one's.
            return Ok(());
        }
        let since = |t: Option<Instant>| t.map(|t| t.duration_since(t1).as_millis() as Ms);
        self.session.record.latency.push(TurnLatency {
            index,
            answer_ms: ended.saturating_sub(started),
            endpoint_ms: now_ms(decided.saturating_sub(speech_end)),
            transcript_ms,
            reply_ms: since(spoken.issued).unwrap_or(0),
            audio_ms: since(spoken.audio),
            speech_to_audio_ms: spoken
                .audio
                .map(|t| t.duration_since(spoke_until).as_millis() as Ms),
            barged_in_at,
        });
        self.session.save()?;
        Ok(())
    }
}
