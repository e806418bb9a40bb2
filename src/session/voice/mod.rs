//! The spoken session: microphone (or recorded answers) → voice activity →
//! endpointing → Whisper on its worker → interviewer → speech. Stages run as
//! actors — the listener (capture and both VADs, `listener.rs`), Whisper's
//! worker, the speaker's synthesis, the model's consultant, the keys — and
//! this driver applies what they send to the interviewer and the endpointer
//! (both free of I/O and clocks) a 30-ms frame at a time; time is the
//! source's sample count, and every frame heard is kept (`audio`), so
//! positions and samples never drift apart.
//!
//! The floor: after every batch of the interviewer's actions it is explicit
//! who speaks. While the interviewer speaks, the microphone is watched for a
//! barge-in (the candidate's voice, or Enter/space), which stops the speech
//! and hands the floor — and the audio since the candidate began — to the
//! answer. Each batch ends with `Listen` (or `Finished`): listening starts
//! when the speech is done, the check-in counts from then, and words the
//! candidate began during the question's last moments are kept. Speech heard
//! before the pending question was spoken is a remark, never an answer to a
//! question the candidate did not hear. Ctrl-C, SIGTERM and SIGHUP stop the
//! session within moments, keeping the answer in progress.

mod aside;
mod consult;
mod floor;
mod heard_commands;
pub mod keys;
mod listen;
mod listener;
mod options;
mod pace;
mod parts;
mod perform;
mod short_words;
pub mod stop;
mod take_back;

pub use options::{VadKind, VoiceHook, VoiceOptions};
pub use parts::{prepare, speaker, speech_settings, VoiceParts};

use super::{Session, SessionError};
use crate::audio::source::AudioSource;
use crate::interviewer::{Action, Grader, Interviewer, Ms};
use crate::scorer::Scorer;
use crate::stt::worker::WhisperWorker;
use crate::transcript::StepKind;
use crate::tts::Speaker;
use crate::vad::{BargeConfig, BargeIn, EndpointConfig, Endpointer, FRAME};
use keys::Keys;
use listener::Listener;
use std::collections::{BTreeMap, VecDeque};
use std::time::Instant;

/// The current question's (index, bias context, Whisper prompt).
type QuestionContext = (
    usize,
    Option<std::sync::Arc<crate::stt::bias::BiasContext>>,
    Option<String>,
);

/// When a reply was handed to the speaker, and when its audio began.
#[derive(Default)]
struct Spoken {
    issued: Option<Instant>,
    audio: Option<Instant>,
}

/// Audio heard while the interviewer speaks that can become the start of
/// an answer (a barge-in, or words begun over the question's end): 1.5 s.
const BACKLOG_FRAMES: usize = 50;

/// How long the candidate's words are waited for after they seemed to go
/// on (a reply taken back, or a barge-in over the closing) before the
/// session carries on without them: 3 s.
const GO_ON_WAIT: u64 = 3 * 16_000;

struct Loop<G: Grader> {
    session: Session,
    machine: Interviewer<G>,
    listener: Listener,
    speaker: Box<dyn Speaker>,
    worker: WhisperWorker,
    /// The last frame's verdicts: the session's VAD, and WebRTC's (barge-in
    /// keeps its decisions: the echo-level guard was tuned on them).
    speech: bool,
    barge_speech: bool,
    /// The session VAD's verdict on each frame of `audio`, in order.
    speech_flags: VecDeque<bool>,
    ep: Endpointer,
    /// The end-of-turn model on its thread, when installed and wanted.
    turn: Option<crate::turn::TurnWorker>,
    prompt: Option<String>,
    /// The bias context of the question in progress (by its index).
    bias: Option<QuestionContext>,
    /// Samples read so far (the session's time).
    pos: u64,
    /// Every frame read since `audio_base`: `audio_base + audio.len() == pos`.
    audio: Vec<f32>,
    audio_base: u64,
    listening: Option<usize>,
    turn_start: u64,
    pending: BTreeMap<u64, Option<String>>,
    /// Where each pending chunk's audio ends (sample position).
    chunk_ends: BTreeMap<u64, u64>,
    next_job: u64,
    frame: [f32; FRAME],
    done: bool,
    keys: Keys,
    hook: Option<Box<dyn VoiceHook>>,
    /// A daemon control that arrived while the interviewer spoke.
    queued: Option<StepKind>,
    barge: Option<BargeIn>,
    /// Set by a barge-in until the next Listen takes the floor.
    barged: bool,
    /// When the last barge-in happened, until its answer is recorded.
    barged_at: Option<Ms>,
    /// The candidate cut in before the pending question was spoken.
    unheard: bool,
    /// Short words the VAD opens no turn for (`aside.rs`): over the
    /// question's line, and while listening; the last set aside over the
    /// line, with its audio.
    aside: aside::Aside,
    set_aside: Option<(aside::Span, Vec<f32>)>,
    /// The last question or follow-up the candidate heard (some of): asked
    /// again (after a pause, on request), it is known before it is said.
    heard_question: Option<String>,
    /// Stopping: nothing more is spoken, the last chunk gets a short wait.
    stopping: bool,
    /// A short turn is being heard again without the jargon prompt.
    rehearing: bool,
    /// This turn, heard again so (`heard_commands.rs`).
    plain_hearing: Option<heard_commands::PlainHearing>,
    /// The batch being performed answers a turn that just ended: before its
    /// first line, the candidate may have started talking again.
    after_turn: bool,
    /// Hearing the candidate out after the closing: until this position
    /// for their words to begin.
    closing: Option<u64>,
    /// What the answer being replied to changed, to take it back if the
    /// candidate goes on before the reply is heard.
    mark: Option<take_back::Mark>,
    /// Set when the candidate went on before the reply's first sound.
    went_on: bool,
    /// An answer taken back, waiting for the rest of it.
    carried: Option<take_back::Carried>,
    /// The lines being performed are not said: a command said over the
    /// start of their reply comes first.
    withhold: bool,
    pace: pace::Pace,
    /// The model's reviews, asked off this loop.
    consultant: super::Consultant,
}

fn now_ms(pos: u64) -> Ms {
    pos / 16
}

impl<G: Grader> Loop<G> {
    /// Takes the next frame heard; every frame heard is kept.
    fn read(&mut self) -> Result<bool, SessionError> {
        let Some(h) = self.listener.next()? else {
            return Ok(false);
        };
        self.take(h);
        Ok(true)
    }

    fn take(&mut self, h: listener::Heard) {
        self.frame = h.frame;
        self.speech = h.speech;
        self.barge_speech = h.barge;
        self.pos += FRAME as u64;
        self.audio.extend_from_slice(&self.frame);
        self.speech_flags.push_back(h.speech);
    }

    /// Forgets the first `cut` samples of the audio kept (and their verdicts).
    fn cut_audio(&mut self, cut: usize) {
        let cut = cut.min(self.audio.len());
        self.audio.drain(..cut);
        self.audio_base += cut as u64;
        let frames = (self.speech_flags.len() * FRAME).saturating_sub(self.audio.len()) / FRAME;
        self.speech_flags
            .drain(..frames.min(self.speech_flags.len()));
    }

    fn step(&mut self, kind: StepKind) -> Vec<Action> {
        let now = now_ms(self.pos);
        self.session.apply(&mut self.machine, kind, now)
    }
}

pub fn run_voice(
    session: Session,
    source: Box<dyn AudioSource + Send>,
    speaker: Box<dyn Speaker>,
    worker: WhisperWorker,
    mut opts: VoiceOptions,
) -> Result<(), SessionError> {
    let consultant = super::Consultant::spawn(opts.llm.take());
    let scorer = Scorer::new(session.bank.clone());
    drive(session, source, speaker, worker, opts, scorer, consultant)
}

fn drive<G: Grader>(
    mut session: Session,
    source: Box<dyn AudioSource + Send>,
    speaker: Box<dyn Speaker>,
    worker: WhisperWorker,
    opts: VoiceOptions,
    grader: G,
    consultant: super::Consultant,
) -> Result<(), SessionError> {
    let machine = session.replay_with(grader);
    let pos = session.record.last_at() * 16;
    session.delivery_model = worker.model().cloned();
    let (listener, mut warnings) = Listener::spawn(source, opts.vad.clone())?;
    // The one place the end-of-turn detector is opened.
    let turn = match opts.turn_model.then(crate::turn::TurnStage::open) {
        Some(Ok(stage)) => Some(stage),
        Some(Err(w)) => {
            warnings.push(w);
            None
        }
        None => None,
    };
    let mut ep = Endpointer::new(EndpointConfig::default().with_patience(opts.patience));
    if let Some(stage) = &turn {
        ep = stage.attach(ep, opts.patience);
    }
    let turn = turn.map(crate::turn::TurnWorker::spawn);
    for w in &warnings {
        session.view.warn(w);
    }
    let pace = pace::Pace::new(&worker.model_name);
    let mut l = Loop {
        session,
        machine,
        listener,
        speaker,
        worker,
        speech: false,
        barge_speech: false,
        speech_flags: VecDeque::new(),
        ep,
        turn,
        prompt: opts.prompt,
        bias: None,
        pos,
        audio: Vec::new(),
        audio_base: pos,
        listening: None,
        turn_start: 0,
        pending: BTreeMap::new(),
        chunk_ends: BTreeMap::new(),
        next_job: 0,
        frame: [0.0; FRAME],
        done: false,
        keys: if opts.keys {
            Keys::spawn()
        } else {
            Keys::none()
        },
        hook: opts.hook,
        queued: None,
        barge: opts.barge_in.then(|| BargeIn::new(BargeConfig::default())),
        barged: false,
        barged_at: None,
        unheard: false,
        aside: aside::Aside::default(),
        set_aside: None,
        heard_question: None,
        stopping: false,
        rehearing: false,
        plain_hearing: None,
        after_turn: false,
        closing: None,
        mark: None,
        went_on: false,
        carried: None,
        withhold: false,
        pace,
        consultant,
    };
    if l.hook.is_none() {
        stop::install();
    }
    l.session.view.folder(&l.session.dir.path);
    let first = if l.session.record.steps.is_empty() {
        StepKind::Start
    } else {
        StepKind::Reopen
    };
    let actions = l.step(first);
    l.perform(actions)?;
    let result = l.run();
    let interrupted = l.stopping;
    if let Err(e) = &result {
        if !l.done {
            l.stopping = true;
            let a = l.step(StepKind::Interrupt);
            let _ = l.perform(a);
        }
        l.session.view.warn(&format!(
            "{e}; the session was saved in {}",
            l.session.dir.path.display()
        ));
    }
    let overruns = l.listener.overruns();
    if overruns > 0 {
        l.session.view.warn(&format!(
            "{overruns} input samples were dropped in all because the machine fell behind the microphone"
        ));
    }
    // Stopped from outside: the debrief is written now; delivery is measured
    // when the session resumes (it takes Whisper another pass).
    if interrupted {
        l.session.delivery_model = None;
        l.session.write_debrief_now()?;
    } else {
        l.session.write_debrief()?;
    }
    l.session.view.done(
        &l.session.dir.file("transcript.md"),
        &l.session.dir.file("debrief.md"),
    );
    result.map_err(|e| {
        SessionError::Failed(format!(
            "{e}; the session was saved in {}",
            l.session.dir.path.display()
        ))
    })
}

impl<G: Grader> Loop<G> {
    /// The main loop: a frame at a time until the interviewer finishes or
    /// the session is stopped.
    fn run(&mut self) -> Result<(), SessionError> {
        while !self.done {
            if stop::requested() {
                return self.stop();
            }
            let step = match self.queued.take() {
                Some(s) => Some(s),
                None => self
                    .hook
                    .as_mut()
                    .and_then(|h| h.poll(&self.session.record)),
            };
            match step {
                Some(StepKind::Interrupt) => return self.stop(),
                Some(step) => {
                    let a = self.step(step);
                    self.perform(a)?;
                    continue;
                }
                None => {}
            }
            if self.consulted()? {
                continue;
            }
            if !self.read()? {
                // The recorded answers ran out (or the device ended): the
                // turn in progress is taken, and a review it starts (or one
                // already asked for) is waited for before the session stops.
                self.end_turn_now()?;
                if !self.done && self.await_reply()? {
                    continue;
                }
                if self.done || self.closing.is_some() {
                    self.done = true;
                    return Ok(());
                }
                return self.stop();
            }
            if self.listening.is_some() {
                self.listen_frame()?;
                if self.carried_due(false) {
                    self.give_carried()?;
                }
            } else {
                self.trim(BACKLOG_FRAMES * FRAME);
            }
            // Heard out after the closing: no words came, or they were no remark.
            if self
                .closing
                .is_some_and(|d| self.pos >= d && !self.ep.in_turn())
            {
                self.done = true;
            }
            if let Some(w) = self.pace.check_overruns(self.listener.overruns()) {
                self.session.view.warn(&w);
            }
            // The check-in yields to speech: never while a turn is open or
            // opening, nor while an answer taken back waits for its rest.
            if self.ep.is_quiet()
                && self.carried.is_none()
                && self
                    .machine
                    .poll_timeout()
                    .is_some_and(|d| now_ms(self.pos) >= d)
            {
                let a = self.step(StepKind::Timeout);
                self.perform(a)?;
            }
        }
        Ok(())
    }

    /// Keeps only the last `keep` samples of audio.
    fn trim(&mut self, keep: usize) {
        if self.audio.len() > keep + 16_000 {
            self.cut_audio(self.audio.len() - keep);
        }
    }
}
