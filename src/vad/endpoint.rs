//! Endpointing built for interview answers of 30 s to 3 min, not voice
//! commands: a thinking pause of several seconds mid-answer must not end the
//! turn. The end is decided from the silence length together with cues — how
//! long the answer has run against the question's expected length, and the
//! last words transcribed so far ("…and", "…because", "um" mean more is
//! coming; "that's it" means done).
//!
//! With an end-of-turn policy ([`Endpointer::with_turn_policy`]), the
//! endpointer also asks for the end-of-turn model's verdict as a silence
//! grows ([`EndpointEvent::CheckTurn`]; the caller runs the model and answers
//! with [`Endpointer::verdict`]) and lets [`TurnPolicy`] decide: a finished
//! answer then ends about half a second into the silence, and the rules above
//! remain the cap.
//!
//! Time is data: positions are sample counts at 16 kHz; the endpointer reads
//! no clock. Feed it one VAD decision per frame; it returns events.

use super::FRAME;
use crate::turn::policy::{Cue, Situation, TurnPolicy};

mod cue;
pub use cue::cue;

const MS: u64 = 16; // samples per millisecond

/// How soon after [`Endpointer::start_no_later_than`] the VAD must open the
/// turn for it to start there.
const LEAD_WINDOW_MS: u64 = 2_000;

/// Speech frames too short to open a turn still mark where it began when
/// the turn opens within this long of them: a short first word ("Skip"),
/// which the VAD calls speech for a frame or three and then silence for the
/// stop consonant, is the turn's start, not something before it.
const ONSET_GAP_MS: u64 = 400;

#[derive(Debug, Clone)]
pub struct EndpointConfig {
    /// Speech must last this long to open a turn (filters coughs and clicks).
    pub min_speech_ms: u64,
    /// Audio kept before the detected start, so first syllables aren't clipped.
    pub pre_roll_ms: u64,
    /// A pause this long commits the audio so far for transcription.
    pub commit_pause_ms: u64,
    /// Silence that ends a turn when nothing suggests more is coming.
    pub end_silence_ms: u64,
    /// Silence tolerated when the answer looks unfinished (thinking pauses).
    pub thinking_silence_ms: u64,
    /// Silence that ends a turn right after a closing phrase ("that's it").
    pub closing_silence_ms: u64,
    /// A turn is cut here whatever happens.
    pub max_turn_ms: u64,
}

impl Default for EndpointConfig {
    fn default() -> Self {
        EndpointConfig {
            min_speech_ms: 150,
            pre_roll_ms: 300,
            commit_pause_ms: 600,
            end_silence_ms: 4_500,
            thinking_silence_ms: 6_500,
            closing_silence_ms: 1_500,
            max_turn_ms: 240_000,
        }
    }
}

impl EndpointConfig {
    /// Scales every silence by `patience` (1.0 = default; 2.0 = twice as patient).
    pub fn with_patience(mut self, patience: f64) -> Self {
        let s = |v: u64| (v as f64 * patience.max(0.1)) as u64;
        self.end_silence_ms = s(self.end_silence_ms);
        self.thinking_silence_ms = s(self.thinking_silence_ms);
        self.closing_silence_ms = s(self.closing_silence_ms);
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointEvent {
    /// A turn began; `start` includes the pre-roll.
    SpeechStarted { start: u64 },
    /// Audio `[start, end)` is final and can be transcribed now.
    Commit { start: u64, end: u64 },
    /// The answer is over: speech ended at `speech_end`, decided at `decided`.
    /// A final `Commit` for any remaining audio precedes it.
    TurnEnded { speech_end: u64, decided: u64 },
    /// Run the end-of-turn model on the turn's audio `[start, end)` and pass
    /// its probability to [`Endpointer::verdict`].
    CheckTurn { start: u64, end: u64 },
}

#[derive(Debug, Clone)]
enum State {
    Idle(Idle),
    Turn(Turn),
}

/// Between turns: the run of speech frames so far, and where the recent
/// speech (runs at most [`ONSET_GAP_MS`] apart) began.
#[derive(Debug, Clone, Default)]
struct Idle {
    speech_run: u64,
    onset: Option<u64>,
    gap: u64,
}

#[derive(Debug, Clone)]
struct Turn {
    start: u64,
    committed_to: u64,
    last_speech_end: u64,
    silence: u64,
    /// End-of-turn checks asked for in this silence, and the latest verdict.
    checks: usize,
    verdict: Option<f32>,
}

fn patience(cfg: &EndpointConfig, cue: Cue, expected_ms: u64, turn_ms: u64) -> u64 {
    if cue == Cue::Closing {
        return cfg.closing_silence_ms;
    }
    // Early in an answer expected to run long, a pause is thinking, not the end.
    let early = turn_ms < expected_ms / 4;
    if cue == Cue::Trailing || early {
        cfg.thinking_silence_ms
    } else {
        cfg.end_silence_ms
    }
}

pub struct Endpointer {
    cfg: EndpointConfig,
    state: State,
    expected_ms: u64,
    /// What the turn's last transcribed words suggest (read once per
    /// transcript, not per frame).
    words_cue: Cue,
    /// The transcript covers the audio up to here (0: unknown).
    transcribed_to: u64,
    /// The turn so far is nothing but a command (see [`Endpointer::set_command`]).
    command: bool,
    /// The turn so far is a question back (see [`Endpointer::set_asked_back`]).
    asked_back: bool,
    hold: bool,
    /// Where the next turn starts at the latest (see
    /// [`Endpointer::start_no_later_than`]).
    lead: Option<u64>,
    turn: Option<TurnPolicy>,
}

impl Endpointer {
    pub fn new(cfg: EndpointConfig) -> Self {
        Endpointer {
            cfg,
            state: State::Idle(Idle::default()),
            expected_ms: 60_000,
            words_cue: cue(""),
            transcribed_to: 0,
            command: false,
            asked_back: false,
            hold: false,
            lead: None,
            turn: None,
        }
    }

    /// Ends turns with the end-of-turn model's help (see the module docs).
    pub fn with_turn_policy(mut self, policy: TurnPolicy) -> Self {
        self.turn = Some(policy);
        self
    }

    /// Whether the end-of-turn model takes part.
    pub fn has_turn_policy(&self) -> bool {
        self.turn.is_some()
    }

    /// A new question: its expected answer length, and a clean slate.
    pub fn reset(&mut self, expected_seconds: u32) {
        self.state = State::Idle(Idle::default());
        self.expected_ms = expected_seconds as u64 * 1000;
        self.words_cue = cue("");
        self.transcribed_to = 0;
        self.command = false;
        self.asked_back = false;
        self.hold = false;
        self.lead = None;
    }

    /// The latest transcribed words of the turn (cues for the end decision).
    pub fn set_tail(&mut self, text: &str) {
        self.words_cue = cue(&text.to_lowercase());
    }

    /// Whether the turn so far is a whole question back to the interviewer
    /// ("Do you mean on EKS?"): like a closing phrase it is not held to a
    /// young answer's wait, so it ends once the end-of-turn model calls it
    /// finished; called unfinished ("Are we talking about?" written before
    /// the candidate goes on), it waits out the silence an answer would.
    pub fn set_asked_back(&mut self, asked_back: bool) {
        self.asked_back = asked_back;
    }

    /// Whether the turn so far is nothing but a command the session acts on
    /// at once ("Pause.", "Skip the question."): such a turn ends after the
    /// short silence of a closing phrase, so "Pause." is not left waiting
    /// out a thinking pause (and "Resume." said after it does not join it).
    pub fn set_command(&mut self, command: bool) {
        self.command = command;
    }

    fn tail_cue(&self) -> Cue {
        if self.command {
            Cue::Closing
        } else if self.asked_back && self.words_cue == Cue::Neutral {
            Cue::Summing
        } else {
            self.words_cue
        }
    }

    /// The transcript of the turn so far, covering its audio up to `through`
    /// (the end of the last committed chunk transcribed, all earlier ones
    /// included): tells the end-of-turn policy its last words are current.
    pub fn set_tail_through(&mut self, text: &str, through: u64) {
        self.set_tail(text);
        self.transcribed_to = through;
    }

    /// The end-of-turn model's probability for the [`EndpointEvent::CheckTurn`]
    /// whose audio ended at `checked`, arriving at `now`. A "complete" verdict
    /// commits the audio not yet committed, so its transcript is ready when
    /// the turn ends.
    pub fn verdict(&mut self, probability: f32, checked: u64, now: u64) -> Vec<EndpointEvent> {
        let complete = self.turn.as_ref().map_or(0.5, |p| p.cfg.complete);
        let State::Turn(t) = &mut self.state else {
            return Vec::new();
        };
        if t.silence == 0 || t.last_speech_end > checked {
            return Vec::new(); // speech resumed since: the verdict is stale
        }
        t.verdict = Some(probability);
        if probability >= complete && t.last_speech_end > t.committed_to {
            let end = (t.last_speech_end + 200 * MS).min(now);
            let start = t.committed_to;
            t.committed_to = end;
            return vec![EndpointEvent::Commit { start, end }];
        }
        Vec::new()
    }

    /// "Let me think" or push-to-talk: never end the turn on silence until released.
    pub fn hold(&mut self, on: bool) {
        self.hold = on;
    }

    /// Push-to-talk: the candidate pressed a key to start answering. Opens a
    /// turn now (with pre-roll) held open until the key is pressed again
    /// ([`Endpointer::force_end`]); a turn already open is just held.
    pub fn open(&mut self, now: u64) -> Vec<EndpointEvent> {
        self.hold = true;
        if self.in_turn() {
            return Vec::new();
        }
        let start = now.saturating_sub(self.cfg.pre_roll_ms * MS);
        // Nothing is committed for transcription until there is speech.
        self.state = State::Turn(Turn {
            start,
            committed_to: start,
            last_speech_end: start,
            silence: 0,
            checks: 0,
            verdict: None,
        });
        vec![EndpointEvent::SpeechStarted { start }]
    }

    /// The candidate has been talking since about `at` (their voice cut
    /// the interviewer's reply): the turn they are in — open with nothing
    /// committed yet, or the next the VAD opens within 2 s — starts no later
    /// than that, so syllables the VAD took for silence are kept. Nothing
    /// opens without the VAD (a voice that was the echo opens no turn).
    pub fn start_no_later_than(&mut self, at: u64) -> Vec<EndpointEvent> {
        match &mut self.state {
            State::Turn(t) if t.committed_to == t.start && at < t.start => {
                t.start = at;
                t.committed_to = at;
                vec![EndpointEvent::SpeechStarted { start: at }]
            }
            State::Turn(_) => Vec::new(),
            State::Idle { .. } => {
                self.lead = Some(at);
                Vec::new()
            }
        }
    }

    /// No turn open and none opening (no speech in the last [`ONSET_GAP_MS`]).
    pub fn is_quiet(&self) -> bool {
        matches!(self.state, State::Idle(Idle { onset: None, .. }))
    }

    pub fn in_turn(&self) -> bool {
        matches!(self.state, State::Turn(_))
    }

    /// The silence that ends the current turn, given what was said so far.
    pub fn patience_ms(&self, turn_ms: u64) -> u64 {
        patience(&self.cfg, self.tail_cue(), self.expected_ms, turn_ms)
    }

    /// Ends the turn now (Enter pressed); nothing if no turn is open.
    pub fn force_end(&mut self, now: u64) -> Vec<EndpointEvent> {
        self.hold = false;
        match std::mem::replace(&mut self.state, State::Idle(Idle::default())) {
            State::Turn(t) => {
                let mut out = Vec::new();
                let end = t.last_speech_end.max(t.committed_to);
                if end > t.committed_to {
                    out.push(EndpointEvent::Commit {
                        start: t.committed_to,
                        end,
                    });
                }
                out.push(EndpointEvent::TurnEnded {
                    speech_end: t.last_speech_end,
                    decided: now,
                });
                out
            }
            idle => {
                self.state = idle;
                Vec::new()
            }
        }
    }

    /// One frame's VAD decision; `end` is the sample position just after the frame.
    pub fn push(&mut self, speech: bool, end: u64) -> Vec<EndpointEvent> {
        let frame = FRAME as u64;
        let tail_cue = self.tail_cue();
        let mut out = Vec::new();
        match &mut self.state {
            State::Idle(idle) => {
                if speech {
                    idle.speech_run += frame;
                    idle.gap = 0;
                    let onset = *idle.onset.get_or_insert(end - frame);
                    if idle.speech_run >= self.cfg.min_speech_ms * MS {
                        let mut start = onset.saturating_sub(self.cfg.pre_roll_ms * MS);
                        if let Some(at) = self.lead.take() {
                            if end.saturating_sub(at) <= LEAD_WINDOW_MS * MS {
                                start = start.min(at);
                            }
                        }
                        out.push(EndpointEvent::SpeechStarted { start });
                        self.state = State::Turn(Turn {
                            start,
                            committed_to: start,
                            last_speech_end: end,
                            silence: 0,
                            checks: 0,
                            verdict: None,
                        });
                    }
                } else {
                    idle.speech_run = 0;
                    idle.gap += frame;
                    if idle.gap > ONSET_GAP_MS * MS {
                        idle.onset = None;
                    }
                }
            }
            State::Turn(t) => {
                if speech {
                    t.silence = 0;
                    t.last_speech_end = end;
                    t.checks = 0;
                    t.verdict = None;
                } else {
                    t.silence += frame;
                }
                let turn_ms = (t.last_speech_end - t.start) / MS;
                // Commit at natural pauses so transcription keeps up with the answer;
                // after 8 s of uncommitted speech any short gap will do, and at 25 s
                // commit regardless (Whisper's window is 30 s).
                let pending = t.last_speech_end.saturating_sub(t.committed_to);
                let pause = t.silence >= self.cfg.commit_pause_ms * MS
                    || (pending >= 8_000 * MS && t.silence >= 150 * MS)
                    || end - t.committed_to >= 25_000 * MS;
                if pause && t.last_speech_end > t.committed_to {
                    let commit_end = (t.last_speech_end + 200 * MS).min(end);
                    out.push(EndpointEvent::Commit {
                        start: t.committed_to,
                        end: commit_end,
                    });
                    t.committed_to = commit_end;
                }
                let patience = patience(&self.cfg, tail_cue, self.expected_ms, turn_ms);
                let too_long = (end - t.start) / MS >= self.cfg.max_turn_ms;
                let ends = match &self.turn {
                    None => !self.hold && t.silence >= patience * MS,
                    Some(policy) => {
                        let silence_ms = t.silence / MS;
                        if policy.should_check(silence_ms, t.checks, self.hold) {
                            t.checks += 1;
                            out.push(EndpointEvent::CheckTurn {
                                start: t.start,
                                end,
                            });
                        }
                        policy.ends(&Situation {
                            silence_ms,
                            answer_ms: turn_ms,
                            expected_ms: self.expected_ms,
                            cue: tail_cue,
                            transcript_current: self.transcribed_to >= t.committed_to
                                && t.committed_to >= t.last_speech_end,
                            hold: self.hold,
                            cap_ms: patience,
                            verdict: t.verdict,
                        })
                    }
                };
                if ends || too_long {
                    out.extend(self.force_end(end));
                    return out;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
