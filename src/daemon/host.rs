//! Sessions inside the daemon. Each runs on its own thread (the interviewer,
//! the scorer and Whisper block) with the same [`Session`] the in-process
//! drivers use, so the session folder is written exactly as `mockint start`
//! writes it. In: [`Feed`] — typed answers, controls, an interrupt — on a
//! bounded channel. Out: the record's events, published to [`Shared`] (for
//! `status` and late attachers) and broadcast to attached clients.

use super::protocol::{Control, Response, SessionStatus};
use crate::cli::session::{words, ScriptClock, Session};
use crate::cli::CliError;
use crate::interviewer::{Clock, EventKind, Input, Ms, RealClock};
use crate::transcript::{SessionRecord, Step, StepKind};
use std::cell::Cell;
use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TryRecvError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// What the daemon feeds a running session.
#[derive(Debug)]
pub enum Feed {
    Answer {
        text: String,
        typing_ms: u64,
    },
    Control(Control),
    /// Shutdown: end the turn, save, write a partial debrief (resumable).
    Interrupt,
}

/// Told once the session has acted on a feed (and saved and published it).
pub type Ack = std::sync::mpsc::Sender<()>;

/// A feed and who waits for it to take effect.
pub struct Fed {
    pub feed: Feed,
    pub ack: Option<Ack>,
}

impl From<Feed> for Fed {
    fn from(feed: Feed) -> Fed {
        Fed { feed, ack: None }
    }
}

/// How a session gets its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Typed,
    Scripted,
    Voice,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Typed => "typed",
            Kind::Scripted => "scripted",
            Kind::Voice => "voice",
        }
    }
}

/// What `status` and attaching clients see of a session.
pub struct Shared {
    pub status: SessionStatus,
    /// Every event of the record so far.
    pub events: Vec<crate::interviewer::Event>,
    pub ended: bool,
    pub finished: bool,
    started: Instant,
    bus: broadcast::Sender<Response>,
}

impl Shared {
    pub fn new(status: SessionStatus) -> Shared {
        Shared {
            status,
            events: Vec::new(),
            ended: false,
            finished: false,
            started: Instant::now(),
            bus: broadcast::channel(256).0,
        }
    }

    /// Phase and current question, from the events.
    fn derive(&mut self) {
        let s = &mut self.status;
        for e in &self.events {
            match &e.kind {
                EventKind::Asked { index, text, .. } => {
                    s.question = Some(*index);
                    s.question_text = Some(text.clone());
                    s.phase = "asking".into();
                }
                EventKind::Paused => s.phase = "paused".into(),
                EventKind::Resumed => s.phase = "asking".into(),
                EventKind::Ended { .. } => s.phase = "finished".into(),
                _ => {}
            }
        }
    }

    pub fn status(&self) -> SessionStatus {
        let mut s = self.status.clone();
        s.elapsed_s = self.started.elapsed().as_secs();
        s
    }
}

/// The daemon's handle on a session.
pub struct Running {
    pub kind: Kind,
    pub feed: SyncSender<Fed>,
    pub shared: Arc<Mutex<Shared>>,
    pub thread: Option<std::thread::JoinHandle<()>>,
}

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(|p| p.into_inner())
}

impl Running {
    pub fn is_active(&self) -> bool {
        !lock(&self.shared).ended
    }

    pub fn status(&self) -> SessionStatus {
        lock(&self.shared).status()
    }

    /// The events so far (and the end, if it came) plus a receiver for the
    /// rest, taken under one lock so nothing is missed or sent twice.
    pub fn subscribe(&self) -> (Vec<Response>, broadcast::Receiver<Response>) {
        let s = lock(&self.shared);
        let mut backlog: Vec<Response> = s
            .events
            .iter()
            .enumerate()
            .map(|(seq, e)| Response::Event {
                seq,
                event: e.clone(),
            })
            .collect();
        if s.ended {
            backlog.push(Response::Ended {
                dir: s.status.dir.clone(),
                finished: s.finished,
            });
        }
        (backlog, s.bus.subscribe())
    }
}

/// Publishes a session's new record events (those past what [`Shared`] holds).
pub struct Publisher {
    shared: Arc<Mutex<Shared>>,
}

impl Publisher {
    pub fn new(shared: Arc<Mutex<Shared>>) -> Publisher {
        Publisher { shared }
    }

    pub fn publish(&mut self, events: &[crate::interviewer::Event]) {
        let mut s = lock(&self.shared);
        let sent = s.events.len();
        if events.len() <= sent {
            return;
        }
        for (seq, e) in events.iter().enumerate().skip(sent) {
            s.events.push(e.clone());
            let _ = s.bus.send(Response::Event {
                seq,
                event: e.clone(),
            });
        }
        s.derive();
    }

    pub fn end(&mut self, record: &SessionRecord) {
        self.publish(&record.events);
        let mut s = lock(&self.shared);
        s.ended = true;
        s.finished = record.finished;
        if !record.finished {
            s.status.phase = "interrupted".into();
        }
        let _ = s.bus.send(Response::Ended {
            dir: s.status.dir.clone(),
            finished: record.finished,
        });
    }
}

/// Runs a typed or scripted session to its end, fed by `feed`; `started`
/// is called once the first question is asked and saved.
pub(crate) fn run_text(
    session: Session,
    script: Option<VecDeque<String>>,
    llm: Option<crate::llm::LlmGrader>,
    feed: Receiver<Fed>,
    out: &mut Publisher,
    started: impl FnOnce(),
) -> Result<(), CliError> {
    match llm {
        Some(grader) => drive_text(session, script, grader, feed, out, started),
        None => {
            let scorer = crate::scorer::Scorer::new(session.bank.clone());
            drive_text(session, script, scorer, feed, out, started)
        }
    }
}

fn drive_text<G: crate::interviewer::Grader>(
    mut session: Session,
    mut script: Option<VecDeque<String>>,
    grader: G,
    feed: Receiver<Fed>,
    out: &mut Publisher,
    started: impl FnOnce(),
) -> Result<(), CliError> {
    let mut machine = session.replay_with(grader);
    out.publish(&session.record.events);
    let offset = session.record.last_at();
    let script_clock = script.as_ref().map(|_| ScriptClock {
        now: Cell::new(offset),
    });
    let real = RealClock::starting_at(offset);
    let clock: &dyn Clock = match &script_clock {
        Some(c) => c,
        None => &real,
    };
    let now = clock.now();
    session.record.steps.push(Step {
        at: now,
        kind: StepKind::Start,
    });
    let actions = machine.start(now);
    let mut done = session.perform(actions, script_clock.as_ref(), false)?;
    out.publish(&session.record.events);
    started();
    let mut final_ack = None;
    while !done {
        let mut ack = None;
        let mut fed = |f: Fed| {
            ack = f.ack;
            from_feed(f.feed, clock)
        };
        let step = match &mut script {
            Some(blocks) => match feed.try_recv() {
                Ok(f) => fed(f),
                Err(TryRecvError::Empty) => match blocks.pop_front() {
                    Some(text) => {
                        let c = script_clock.as_ref().expect("script clock");
                        let started = c.now.get() + 2_000;
                        let ended = started + words(&text).max(1) * 60_000 / 150;
                        c.now.set(ended);
                        StepKind::Input {
                            input: Input::Answer {
                                text,
                                started,
                                ended,
                            },
                        }
                    }
                    None => StepKind::Interrupt,
                },
                Err(TryRecvError::Disconnected) => StepKind::Interrupt,
            },
            None => match machine.poll_timeout() {
                Some(deadline) => {
                    let wait = deadline.saturating_sub(clock.now());
                    match feed.recv_timeout(Duration::from_millis(wait)) {
                        Ok(f) => fed(f),
                        Err(RecvTimeoutError::Timeout) => StepKind::Timeout,
                        Err(RecvTimeoutError::Disconnected) => StepKind::Interrupt,
                    }
                }
                None => match feed.recv() {
                    Ok(f) => fed(f),
                    Err(_) => StepKind::Interrupt,
                },
            },
        };
        let step = session.hear_step(step, machine.current().unwrap_or(0));
        let now = clock.now();
        session.record.steps.push(Step {
            at: now,
            kind: step.clone(),
        });
        let actions = match step {
            StepKind::Input { input } => machine.handle(input, now),
            StepKind::Timeout => machine.handle_timeout(now),
            StepKind::Interrupt => machine.interrupt(now),
            StepKind::Start => Vec::new(),
        };
        done = session.perform(actions, script_clock.as_ref(), false)?;
        out.publish(&session.record.events);
        match ack {
            // The last step is acknowledged once the debrief is written.
            Some(a) if done => final_ack = Some(a),
            Some(a) => {
                let _ = a.send(());
            }
            None => {}
        }
    }
    session.write_debrief()?;
    out.end(&session.record);
    if let Some(a) = final_ack {
        let _ = a.send(());
    }
    Ok(())
}

fn from_feed(f: Feed, clock: &dyn Clock) -> StepKind {
    match f {
        Feed::Answer { text, typing_ms } => {
            let now: Ms = clock.now();
            StepKind::Input {
                input: Input::Answer {
                    text,
                    started: now.saturating_sub(typing_ms),
                    ended: now,
                },
            }
        }
        Feed::Control(c) => StepKind::Input {
            input: Input::Command {
                command: c.command(),
            },
        },
        Feed::Interrupt => StepKind::Interrupt,
    }
}

/// The status a session starts with.
pub(crate) fn initial_status(
    session: &Session,
    kind: Kind,
    model: Option<String>,
    input: String,
    output: String,
) -> SessionStatus {
    SessionStatus {
        id: session.record.id.clone(),
        dir: session.dir.path.clone(),
        title: session.title.clone(),
        kind: kind.name().into(),
        phase: "starting".into(),
        question: None,
        questions: session.record.plan.len(),
        question_text: None,
        elapsed_s: 0,
        model,
        input,
        output,
    }
}

/// Marks the session ended whatever happened, so the daemon can take the
/// next one; a failure is logged.
pub fn conclude(shared: &Mutex<Shared>, dir: &std::path::Path, result: Result<(), CliError>) {
    if let Err(e) = &result {
        tracing::error!("session in {} failed: {e}", dir.display());
        eprintln!("mockint daemon: session in {} failed: {e}", dir.display());
    }
    let mut s = lock(shared);
    if !s.ended {
        s.ended = true;
        s.status.phase = "failed".into();
        let _ = s.bus.send(Response::Ended {
            dir: dir.to_path_buf(),
            finished: false,
        });
    }
}
