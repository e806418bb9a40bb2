//! Turning a start request into a running session: the request carries a
//! [`SessionSpec`] (plain data the client built from its flags; the daemon
//! never re-parses arguments), checked and prepared by the same session
//! engine as in-process; spoken sessions get a Whisper worker on the
//! daemon's warm model.

use super::host::{self, Ack, Fed, Feed, FeedSource, Kind, Publisher, Running, Shared};
use super::protocol::SessionStatus;
use crate::session::voice::{run_voice, VoiceHook, VoiceOptions};
use crate::session::{new_session, InputSpec, SessionError, SessionSpec};
use crate::stt::whisper::WhisperModel;
use crate::transcript::{SessionDir, SessionRecord, StepKind};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Mutex};

/// Starts the session's thread, which prepares the session (folder, plan,
/// audio — audio devices stay on the thread that opened them) and reports
/// back before it runs: errors reach the client before anything starts.
pub fn launch(
    mut spec: SessionSpec,
    bank: Option<PathBuf>,
    warm: Option<WhisperModel>,
) -> Result<Running, SessionError> {
    if spec.bank.is_none() {
        spec.bank = bank;
    }
    let shared = Arc::new(Mutex::new(Shared::new(SessionStatus::default())));
    let (feed_tx, feed_rx) = mpsc::sync_channel::<Fed>(16);
    let (ready_tx, ready_rx) = mpsc::channel::<Result<Kind, SessionError>>();
    let thread_shared = shared.clone();
    let thread = std::thread::Builder::new()
        .name("mockint-session".into())
        .spawn(move || {
            let n = match new_session(&spec, warm.as_ref()) {
                Ok(n) => n,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            let kind = match (&n.voice, &n.script) {
                (Some(_), _) => Kind::Voice,
                (None, Some(_)) => Kind::Scripted,
                (None, None) => Kind::Typed,
            };
            let (input, output) = devices(&spec);
            let model = n.voice.as_ref().map(|(_, _, w, _)| w.model_name.clone());
            thread_shared
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .status = host::initial_status(&n.session, kind, model, input, output);
            let dir = n.session.dir.path.clone();
            let mut out = Publisher::new(thread_shared.clone());
            let result = match n.voice {
                // Started once the first question is asked and saved.
                None => {
                    let tx = ready_tx.clone();
                    let mut source = FeedSource::new(n.script, feed_rx, &mut out, move || {
                        let _ = tx.send(Ok(kind));
                    });
                    let r = n.session.run_text(&mut source, false, n.llm);
                    if let Err(e) = &r {
                        // Unheard once the session has started.
                        let _ = ready_tx.send(Err(SessionError::Failed(e.to_string())));
                    }
                    r
                }
                Some((source, speaker, worker, vad)) => {
                    // Spoken: started now (the first question is being spoken).
                    let _ = ready_tx.send(Ok(kind));
                    let hook = DaemonHook {
                        feed: feed_rx,
                        out: Publisher::new(thread_shared.clone()),
                        pending: None,
                    };
                    let v = spec.input.voice().cloned().unwrap_or_default();
                    let prompt = n.session.whisper_prompt();
                    let r = run_voice(
                        n.session,
                        source,
                        speaker,
                        worker,
                        VoiceOptions {
                            patience: v.patience,
                            prompt,
                            barge_in: v.barge_in,
                            hook: Some(Box::new(hook)),
                            llm: n.llm,
                            vad,
                            turn_model: v.turn_model,
                            keys: false,
                        },
                    );
                    // The voice loop owned the session; its folder holds the end.
                    if let Ok(record) = SessionDir::open(&dir).load() {
                        out.end(&record);
                    }
                    r
                }
            };
            host::conclude(&thread_shared, &dir, result);
        })
        .map_err(|e| SessionError::Failed(format!("cannot start the session thread: {e}")))?;
    // A session that fails before its first question reports that failure.
    match ready_rx.recv() {
        Ok(Ok(kind)) => Ok(Running {
            kind,
            feed: feed_tx,
            shared,
            thread: Some(thread),
        }),
        Ok(Err(e)) => {
            let _ = thread.join();
            Err(e)
        }
        Err(_) => Err(SessionError::Failed(
            "the session thread stopped while preparing the session".into(),
        )),
    }
}

/// Where answers come from and where the interviewer's lines go, for `status`.
fn devices(spec: &SessionSpec) -> (String, String) {
    match &spec.input {
        InputSpec::Typed => ("typed by the client".into(), "text".into()),
        InputSpec::Scripted { answers } => (format!("script {}", answers.display()), "text".into()),
        InputSpec::Spoken(v) => (
            if v.input_wav.is_empty() {
                format!(
                    "microphone {}",
                    v.input_device.as_deref().unwrap_or("(default)")
                )
            } else {
                format!("{} recorded answer(s)", v.input_wav.len())
            },
            crate::session::describe_output(v),
        ),
    }
}

/// Publishes a spoken session's events and passes on controls.
struct DaemonHook {
    feed: Receiver<Fed>,
    out: Publisher,
    /// Acknowledged at the next poll, once the voice loop has acted.
    pending: Option<Ack>,
}

impl VoiceHook for DaemonHook {
    fn poll(&mut self, record: &SessionRecord) -> Option<StepKind> {
        self.out.publish(&record.events);
        if let Some(a) = self.pending.take() {
            let _ = a.send(());
        }
        let fed = match self.feed.try_recv() {
            Ok(f) => f,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => return Some(StepKind::Interrupt),
        };
        self.pending = fed.ack;
        match fed.feed {
            Feed::Control(c) => Some(StepKind::Input {
                input: crate::interviewer::Input::Command {
                    command: c.command(),
                },
            }),
            // The server refuses typed answers for spoken sessions.
            Feed::Answer { .. } => None,
            Feed::Interrupt => Some(StepKind::Interrupt),
        }
    }
}
