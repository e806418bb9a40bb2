//! The spoken session: microphone (or recorded answers) → voice activity →
//! endpointing → Whisper on its worker → interviewer → speech. One loop on
//! the calling thread reads 30-ms frames; time is the source's sample count.
//! Half duplex: while the interviewer speaks, input is not transcribed, so
//! its own voice never becomes the answer; it is only watched for a barge-in
//! (the candidate talking over it, or Enter/space), which stops the speech
//! and hands the floor — and the audio since the candidate began — to the
//! answer. Enter/space also ends an answer, or starts a push-to-talk one.
//! Each answer's audio is saved under `answers/` in the session folder.

mod floor;
mod options;

pub(crate) use options::{VadKind, VoiceHook, VoiceOptions};

use super::keys::{Key, Keys};
use super::session::{print_say, Session};
use super::CliError;
use crate::audio::source::AudioSource;
use crate::interviewer::{Action, Grader, Input, Interviewer, Ms};
use crate::scorer::Scorer;
use crate::stt::worker::{Job, WhisperWorker};
use crate::transcript::{Step, StepKind, TurnLatency};
use crate::tts::Speaker;
use crate::turn::TurnStage;
use crate::vad::{
    rms, BargeConfig, BargeIn, EndpointConfig, EndpointEvent, Endpointer, VoiceDetector, WebRtcVad,
    FRAME,
};
use std::collections::{BTreeMap, VecDeque};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// When a reply was handed to the speaker, and when its audio began.
#[derive(Default)]
struct Spoken {
    issued: Option<Instant>,
    audio: Option<Instant>,
}

/// Audio kept while the interviewer speaks, handed to the answer on a
/// barge-in (the candidate's first words): 1.5 s.
const BACKLOG_FRAMES: usize = 50;

struct Loop<'a, G: Grader> {
    session: Session,
    machine: Interviewer<G>,
    source: Box<dyn AudioSource + 'a>,
    speaker: Box<dyn Speaker>,
    worker: WhisperWorker,
    vad: Box<dyn VoiceDetector>,
    /// Barge-in keeps WebRTC's frame decisions: its echo-level guard was
    /// tuned on them, and the level test already rejects quiet noise.
    barge_vad: WebRtcVad,
    ep: Endpointer,
    /// The end-of-turn model, when installed and wanted.
    turn: Option<TurnStage>,
    prompt: Option<String>,
    pos: u64,
    listening: Option<usize>,
    audio: Vec<f32>,
    audio_base: u64,
    turn_start: u64,
    pending: BTreeMap<u64, Option<String>>,
    /// Where each pending chunk's audio ends (sample position).
    chunk_ends: BTreeMap<u64, u64>,
    next_job: u64,
    frame: [f32; FRAME],
    done: bool,
    keys: Keys,
    barge: Option<BargeIn>,
    /// Frames heard while speaking (for a barge-in), newest last.
    backlog: VecDeque<[f32; FRAME]>,
    /// Set by a barge-in until the next Listen takes the backlog.
    barged: bool,
    /// When the last barge-in happened, until its answer is recorded.
    barged_at: Option<Ms>,
    /// Whisper's pace so far: audio seconds and wall milliseconds.
    stt_audio_s: f64,
    stt_wall_ms: u64,
    slow_warned: bool,
}

fn now_ms(pos: u64) -> Ms {
    pos / 16
}

impl<G: Grader> Loop<'_, G> {
    fn read(&mut self) -> Result<bool, CliError> {
        let ok = self.source.next_frame(&mut self.frame)?;
        self.pos += FRAME as u64;
        Ok(ok)
    }

    /// Performs actions; speaking blocks (reading and discarding input) until
    /// done. Returns when the first line was handed to the speaker and when
    /// its audio began (if the speaker reports that).
    fn perform(&mut self, actions: Vec<Action>) -> Result<Spoken, CliError> {
        let mut spoken = Spoken::default();
        // Events first (in order): what is about to be said — the question
        // asked, the score just given — is on disk before it is heard.
        let (events, actions): (Vec<Action>, Vec<Action>) = actions
            .into_iter()
            .partition(|a| matches!(a, Action::Record(_)));
        for e in events {
            if let Action::Record(e) = e {
                self.session.record_event(e);
            }
        }
        for a in actions {
            match a {
                Action::Say { speech, text } => {
                    print_say(speech, &text, now_ms(self.pos));
                    if self.barged {
                        continue; // the candidate has the floor: printed, not spoken
                    }
                    // What is about to be said is on disk before it is heard.
                    self.session.save()?;
                    if let Err(e) = self.speaker.say(&text) {
                        eprintln!("warning: {e}");
                    }
                    let first = spoken.issued.is_none();
                    spoken.issued.get_or_insert_with(Instant::now);
                    self.speak_until_done()?;
                    if first {
                        spoken.audio = self.speaker.first_audio();
                    }
                }
                Action::Listen {
                    index,
                    expected_seconds,
                } => {
                    self.ep.reset(expected_seconds);
                    self.source.cue();
                    self.listening = Some(index);
                    self.audio.clear();
                    self.audio_base = self.pos;
                    println!("    (listening — speak your answer; Enter or space ends it)");
                    if std::mem::take(&mut self.barged) {
                        self.take_backlog()?;
                    }
                    self.backlog.clear();
                }
                Action::Record(_) => {} // recorded above
                Action::Finished => self.done = true,
            }
        }
        self.session.record.overruns = Some(self.source.overruns());
        self.session.save()?;
        Ok(spoken)
    }

    fn step(&mut self, kind: StepKind) -> Vec<Action> {
        let now = now_ms(self.pos);
        self.session.record.steps.push(Step {
            at: now,
            kind: kind.clone(),
        });
        match kind {
            StepKind::Start => self.machine.start(now),
            StepKind::Input { input } => self.machine.handle(input, now),
            StepKind::Timeout => self.machine.handle_timeout(now),
            StepKind::Interrupt => self.machine.interrupt(now),
        }
    }

    fn collect(&mut self, blocking: bool) -> Result<(), CliError> {
        loop {
            let r = if blocking {
                if self.pending.values().all(Option::is_some) {
                    return Ok(());
                }
                Some(self.worker.recv())
            } else {
                self.worker.try_recv()
            };
            let Some(r) = r else { return Ok(()) };
            let done = r.map_err(CliError::Failed)?;
            self.pace(done.audio_s, done.elapsed_ms);
            if !done.text.is_empty() {
                println!("    … {}", done.text);
            }
            self.pending.insert(done.id, Some(done.text));
            let so_far = self.answer_so_far();
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
        }
    }

    /// Warns once when Whisper cannot keep up with speech on this machine.
    fn pace(&mut self, audio_s: f64, elapsed_ms: u64) {
        self.stt_audio_s += audio_s;
        self.stt_wall_ms += elapsed_ms;
        let factor = self.stt_wall_ms as f64 / 1000.0 / self.stt_audio_s.max(1e-9);
        if !self.slow_warned && self.stt_audio_s >= 10.0 && factor > 1.0 {
            self.slow_warned = true;
            eprintln!(
                "warning: the Whisper model {} runs at {factor:.1}× real time on this machine, so transcripts will lag behind your answers; use a smaller model (`mockint models install tiny.en`, then --model)",
                self.worker.model_name
            );
        }
    }

    fn answer_so_far(&self) -> String {
        self.pending
            .values()
            .flatten()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn on_event(&mut self, ev: EndpointEvent) -> Result<(), CliError> {
        match ev {
            EndpointEvent::SpeechStarted { start } => {
                self.turn_start = start.max(self.audio_base);
                self.pending.clear();
                self.chunk_ends.clear();
            }
            EndpointEvent::Commit { start, end } => {
                let a = (start.max(self.audio_base) - self.audio_base) as usize;
                let b = ((end - self.audio_base) as usize).min(self.audio.len());
                if b > a {
                    let id = self.next_job;
                    self.next_job += 1;
                    self.pending.insert(id, None);
                    self.chunk_ends.insert(id, end);
                    self.worker.submit(Job {
                        id,
                        samples: self.audio[a..b].to_vec(),
                        prompt: self.prompt.clone(),
                    })?;
                }
            }
            EndpointEvent::CheckTurn { start, end } => {
                if let Some(stage) = self.turn.as_mut() {
                    let a = (start.max(self.audio_base) - self.audio_base) as usize;
                    let b = ((end.max(self.audio_base) - self.audio_base) as usize)
                        .min(self.audio.len());
                    let events = stage.check(&mut self.ep, &self.audio[a.min(b)..b], end, self.pos);
                    for e in events {
                        self.on_event(e)?;
                    }
                }
            }
            EndpointEvent::TurnEnded {
                speech_end,
                decided,
            } => {
                let t0 = Instant::now();
                // When speech ended, on the wall clock (the source's clock
                // runs in real time with live input).
                let spoke_until = t0
                    .checked_sub(std::time::Duration::from_millis(now_ms(
                        self.pos.saturating_sub(speech_end),
                    )))
                    .unwrap_or(t0);
                self.collect(true)?;
                let transcript_ms = t0.elapsed().as_millis() as Ms;
                let text = self.answer_so_far();
                self.pending.clear();
                let Some(index) = self.listening else {
                    return Ok(());
                };
                if text.trim().is_empty() {
                    // Noise, not words: keep listening for the real answer.
                    self.ep
                        .reset(self.session.record.plan[index].question.expected_seconds);
                    return Ok(());
                }
                self.listening = None;
                let (started, ended) = (now_ms(self.turn_start), now_ms(speech_end));
                let audio = self.save_answer_audio(index, speech_end);
                let text = self.session.heard(index, &text, started, ended, audio);
                println!("\n> {text}\n");
                let barged_in_at = self.barged_at.take();
                let t1 = Instant::now();
                let actions = self.step(StepKind::Input {
                    input: Input::Answer {
                        text,
                        started,
                        ended,
                    },
                });
                let spoken = self.perform(actions)?;
                let since = |t: Option<Instant>| t.map(|t| t.duration_since(t1).as_millis() as Ms);
                self.session.record.latency.push(TurnLatency {
                    index,
                    answer_ms: now_ms(speech_end.saturating_sub(self.turn_start)),
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
            }
        }
        Ok(())
    }
}

pub(crate) fn run_voice(
    session: Session,
    source: Box<dyn AudioSource + '_>,
    speaker: Box<dyn Speaker>,
    worker: WhisperWorker,
    mut opts: VoiceOptions,
) -> Result<(), CliError> {
    match opts.llm.take() {
        Some(grader) => drive(session, source, speaker, worker, opts, grader),
        None => {
            let scorer = Scorer::new(session.bank.clone());
            drive(session, source, speaker, worker, opts, scorer)
        }
    }
}

fn drive<G: Grader>(
    mut session: Session,
    source: Box<dyn AudioSource + '_>,
    speaker: Box<dyn Speaker>,
    worker: WhisperWorker,
    opts: VoiceOptions,
    grader: G,
) -> Result<(), CliError> {
    let machine = session.replay_with(grader);
    let pos = session.record.last_at() * 16;
    // The one place the end-of-turn detector is opened.
    let turn = match opts.turn_model.then(TurnStage::open) {
        Some(Ok(stage)) => Some(stage),
        Some(Err(warning)) => {
            eprintln!("warning: {warning}");
            None
        }
        None => None,
    };
    let mut ep = Endpointer::new(EndpointConfig::default().with_patience(opts.patience));
    if let Some(stage) = &turn {
        ep = stage.attach(ep, opts.patience);
    }
    let mut l = Loop {
        session,
        machine,
        source,
        speaker,
        worker,
        vad: opts.vad.open(),
        barge_vad: WebRtcVad::default(),
        ep,
        turn,
        prompt: opts.prompt,
        pos,
        listening: None,
        audio: Vec::new(),
        audio_base: 0,
        turn_start: 0,
        pending: BTreeMap::new(),
        chunk_ends: BTreeMap::new(),
        next_job: 0,
        frame: [0.0; FRAME],
        done: false,
        keys: Keys::spawn(),
        barge: opts.barge_in.then(|| BargeIn::new(BargeConfig::default())),
        backlog: VecDeque::with_capacity(BACKLOG_FRAMES),
        barged: false,
        barged_at: None,
        stt_audio_s: 0.0,
        stt_wall_ms: 0,
        slow_warned: false,
    };
    let interrupted = Arc::new(AtomicBool::new(false));
    let mut hook = opts.hook;
    if hook.is_none() {
        let flag = interrupted.clone();
        let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    }
    println!("Session folder: {}", l.session.dir.path.display());
    let actions = if l.session.record.steps.is_empty() {
        l.step(StepKind::Start)
    } else {
        // Resuming: ask the current question again.
        let i = l.machine.current().unwrap_or(0);
        vec![
            Action::Say {
                speech: crate::interviewer::Speech::Question,
                text: l.session.record.plan[i].question.prompt.clone(),
            },
            Action::Listen {
                index: i,
                expected_seconds: l.session.record.plan[i].question.expected_seconds,
            },
        ]
    };
    l.perform(actions)?;
    let mut last_meter = Instant::now();
    while !l.done {
        match hook.as_mut().and_then(|h| h.poll(&l.session.record)) {
            Some(StepKind::Interrupt) => interrupted.store(true, Ordering::SeqCst),
            Some(step) => {
                let a = l.step(step);
                l.perform(a)?;
                continue;
            }
            None => {}
        }
        if interrupted.load(Ordering::SeqCst) {
            println!(
                "\nInterview interrupted — saving a partial debrief. Resume with `mockint resume`."
            );
            let a = l.step(StepKind::Interrupt);
            l.perform(a)?;
            break;
        }
        match l.read() {
            Ok(true) => {}
            Ok(false) => {
                let a = l.step(StepKind::Interrupt);
                l.perform(a)?;
                break;
            }
            Err(e) => {
                let a = l.step(StepKind::Interrupt);
                l.perform(a)?;
                l.session.write_debrief()?;
                return Err(CliError::Failed(format!(
                    "{e}; the session was saved in {}",
                    l.session.dir.path.display()
                )));
            }
        }
        if l.listening.is_some() {
            l.audio.extend_from_slice(&l.frame);
            let speech = l.vad.is_speech(&l.frame);
            if last_meter.elapsed().as_millis() > 250
                && std::io::IsTerminal::is_terminal(&std::io::stdout())
            {
                let level = ((rms(&l.frame) * 200.0) as usize).min(20);
                print!(
                    "\r    [{:<20}] {}  ",
                    "▮".repeat(level),
                    crate::transcript::clock(now_ms(l.pos - l.audio_base))
                );
                let _ = std::io::stdout().flush();
                last_meter = Instant::now();
            }
            let ev = l.ep.push(speech, l.pos);
            l.on_events(ev)?;
            if !l.done && l.keys.poll() == Some(Key::Talk) {
                l.on_key()?;
            }
            l.collect(false)?;
        }
        if !l.ep.in_turn() && l.machine.poll_timeout().is_some_and(|d| now_ms(l.pos) >= d) {
            let a = l.step(StepKind::Timeout);
            l.perform(a)?;
        }
    }
    let overruns = l.source.overruns();
    if overruns > 0 {
        eprintln!("warning: {overruns} audio samples were dropped (the machine fell behind)");
    }
    l.session.write_debrief()?;
    println!(
        "\nTranscript: {}\nDebrief:    {}",
        l.session.dir.file("transcript.md").display(),
        l.session.dir.file("debrief.md").display()
    );
    Ok(())
}
