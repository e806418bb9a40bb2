//! Sessions inside the daemon. Each runs on its own thread (the interviewer,
//! the scorer and Whisper block) with the same [`Session`] the in-process
//! drivers use, so the session folder is written exactly as `mockint start`
//! writes it. In: [`Feed`] — typed answers, controls, an interrupt — on a
//! bounded channel. Out: the record's events, published to [`Shared`] (for
//! `status` and late attachers) and broadcast to attached clients.

use super::protocol::{Control, Response, SessionStatus};
use crate::interviewer::{Clock, EventKind, Input, Ms};
use crate::session::text::{scripted_answer, TextClock, TextSource};
use crate::session::{Session, SessionError};
use crate::transcript::{SessionRecord, StepKind};
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

/// A daemon session's answers: typed by a client (with controls), or a
/// script (controls still accepted between its answers). Each step's events
/// are published once applied, and its client told.
pub(crate) struct FeedSource<'a> {
    pub script: Option<VecDeque<String>>,
    pub feed: Receiver<Fed>,
    pub out: &'a mut Publisher,
    /// Called once the first question is asked and saved.
    pub started: Option<Box<dyn FnOnce() + 'a>>,
    ack: Option<Ack>,
    final_ack: Option<Ack>,
}

impl<'a> FeedSource<'a> {
    pub fn new(
        script: Option<VecDeque<String>>,
        feed: Receiver<Fed>,
        out: &'a mut Publisher,
        started: impl FnOnce() + 'a,
    ) -> Self {
        FeedSource {
            script,
            feed,
            out,
            started: Some(Box::new(started)),
            ack: None,
            final_ack: None,
        }
    }

    fn fed(&mut self, f: Fed, clock: &TextClock) -> StepKind {
        self.ack = f.ack;
        from_feed(f.feed, clock)
    }
}

impl TextSource for FeedSource<'_> {
    fn scripted(&self) -> bool {
        self.script.is_some()
    }

    fn next(&mut self, clock: &TextClock, deadline: Option<Ms>) -> StepKind {
        if self.script.is_some() {
            return match self.feed.try_recv() {
                Ok(f) => self.fed(f, clock),
                Err(TryRecvError::Empty) => {
                    match self.script.as_mut().and_then(VecDeque::pop_front) {
                        Some(text) => scripted_answer(text, clock),
                        None => StepKind::Interrupt,
                    }
                }
                Err(TryRecvError::Disconnected) => StepKind::Interrupt,
            };
        }
        let got = match deadline {
            Some(d) => {
                let wait = d.saturating_sub(clock.now());
                match self.feed.recv_timeout(Duration::from_millis(wait)) {
                    Ok(f) => Ok(f),
                    Err(RecvTimeoutError::Timeout) => return StepKind::Timeout,
                    Err(RecvTimeoutError::Disconnected) => Err(()),
                }
            }
            None => self.feed.recv().map_err(|_| ()),
        };
        match got {
            Ok(f) => self.fed(f, clock),
            Err(()) => StepKind::Interrupt,
        }
    }

    fn applied(&mut self, record: &SessionRecord, done: bool) {
        self.out.publish(&record.events);
        if let Some(s) = self.started.take() {
            s();
        }
        match self.ack.take() {
            // The last step is acknowledged once the debrief is written.
            Some(a) if done => self.final_ack = Some(a),
            Some(a) => {
                let _ = a.send(());
            }
            None => {}
        }
    }

    fn finished(&mut self, record: &SessionRecord) {
        self.out.end(record);
        if let Some(a) = self.final_ack.take() {
            let _ = a.send(());
        }
    }
}

fn from_feed(f: Feed, clock: &TextClock) -> StepKind {
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
pub fn conclude(shared: &Mutex<Shared>, dir: &std::path::Path, result: Result<(), SessionError>) {
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
