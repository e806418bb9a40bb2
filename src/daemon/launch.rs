//! Turning a `start` request into a running session: the request's arguments
//! are `mockint start`'s, parsed by the same clap definition and checked by
//! the same code as in-process; spoken sessions get a Whisper worker on the
//! daemon's warm model.

use super::host::{self, Ack, Fed, Feed, Kind, Publisher, Running, Shared};
use super::protocol::SessionStatus;
use crate::audio::capture::MicSource;
use crate::audio::source::{AudioSource, WavSource};
use crate::cli::start_cmd::{new_session, StartArgs, VoiceParts};
use crate::cli::voice_loop::{run_voice, VoiceHook, VoiceOptions};
use crate::cli::CliError;
use crate::stt::whisper::WhisperModel;
use crate::stt::worker::WhisperWorker;
use crate::transcript::{SessionDir, SessionRecord, StepKind};
use clap::Parser;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Mutex};

#[derive(Debug, Parser)]
#[command(name = "mockint start", no_binary_name = true)]
struct StartLine {
    #[command(flatten)]
    args: StartArgs,
}

/// Parses `mockint start`'s arguments; relative paths are taken from `cwd`.
pub fn parse_args(argv: &[String], cwd: &Path) -> Result<StartArgs, String> {
    let mut a = StartLine::try_parse_from(argv)
        .map_err(|e| {
            let text = e.to_string();
            let first = text.lines().next().unwrap_or("bad arguments");
            first.trim_start_matches("error: ").to_string()
        })?
        .args;
    let abs = |p: &mut PathBuf| {
        if p.is_relative() {
            *p = cwd.join(&*p);
        }
    };
    a.answers_from
        .iter_mut()
        .chain(a.out.iter_mut())
        .chain(a.repo.iter_mut())
        .chain(a.voice.model.iter_mut())
        .chain(a.voice.input_wav.iter_mut())
        .for_each(abs);
    Ok(a)
}

/// The daemon's voice parts: the audio source it opens itself, speech, and a
/// worker on the warm model (or a model loaded for this session when the
/// request names another one, or the daemon runs without a model).
fn voice_parts(args: &StartArgs, warm: Option<&WhisperModel>) -> Result<VoiceParts, CliError> {
    let v = &args.voice;
    let vad = v.vad.kind()?;
    let source: Box<dyn AudioSource> = if v.input_wav.is_empty() {
        Box::new(MicSource::open(v.input_device.as_deref())?)
    } else {
        Box::new(WavSource::open(&v.input_wav, v.fast)?)
    };
    let worker = match (warm, &v.model) {
        (Some(m), None) => WhisperWorker::spawn_with(m.clone())?,
        (Some(m), Some(p)) if p == m.path() => WhisperWorker::spawn_with(m.clone())?,
        (_, p) => WhisperWorker::spawn(
            &p.clone()
                .unwrap_or_else(crate::models::store::default_model_path),
        )?,
    };
    let opened = crate::tts::open(&v.speech());
    if let Some(w) = &opened.warning {
        tracing::warn!("{w}");
    }
    Ok((source, opened.speaker, worker, vad))
}

/// Starts the session's thread, which prepares the session (folder, plan,
/// audio — audio devices stay on the thread that opened them) and reports
/// back before it runs: errors reach the client before anything starts.
pub fn launch(
    args: StartArgs,
    bank: Option<PathBuf>,
    warm: Option<WhisperModel>,
) -> Result<Running, CliError> {
    let shared = Arc::new(Mutex::new(Shared::new(SessionStatus::default())));
    let (feed_tx, feed_rx) = mpsc::sync_channel::<Fed>(16);
    let (ready_tx, ready_rx) = mpsc::channel::<Result<Kind, CliError>>();
    let thread_shared = shared.clone();
    let thread = std::thread::Builder::new()
        .name("mockint-session".into())
        .spawn(move || {
            let n = match new_session(&args, bank.as_deref(), |typed| {
                if typed {
                    Ok(None)
                } else {
                    voice_parts(&args, warm.as_ref()).map(Some)
                }
            }) {
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
            let (input, output) = devices(&args, kind);
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
                    let r =
                        host::run_text(n.session, n.script, n.llm, feed_rx, &mut out, move || {
                            let _ = tx.send(Ok(kind));
                        });
                    if let Err(e) = &r {
                        // Unheard once the session has started.
                        let _ = ready_tx.send(Err(CliError::Failed(e.to_string())));
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
                    let r = run_voice(
                        n.session,
                        source,
                        speaker,
                        worker,
                        VoiceOptions {
                            patience: args.voice.patience,
                            prompt: n.prompt,
                            barge_in: !args.voice.no_barge_in,
                            hook: Some(Box::new(hook)),
                            llm: n.llm,
                            vad,
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
        .map_err(|e| CliError::Failed(format!("cannot start the session thread: {e}")))?;
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
        Err(_) => Err(CliError::Failed(
            "the session thread stopped while preparing the session".into(),
        )),
    }
}

/// Where answers come from and where the interviewer's lines go, for `status`.
fn devices(args: &StartArgs, kind: Kind) -> (String, String) {
    match kind {
        Kind::Typed => ("typed by the client".into(), "text".into()),
        Kind::Scripted => (
            format!(
                "script {}",
                args.answers_from
                    .as_deref()
                    .unwrap_or(Path::new(""))
                    .display()
            ),
            "text".into(),
        ),
        Kind::Voice => (
            if args.voice.input_wav.is_empty() {
                format!(
                    "microphone {}",
                    args.voice.input_device.as_deref().unwrap_or("(default)")
                )
            } else {
                format!("{} recorded answer(s)", args.voice.input_wav.len())
            },
            args.voice.speech().planned(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_taken_from_the_clients_directory() {
        let argv: Vec<String> = [
            "--round",
            "kubernetes",
            "--answers-from",
            "a.txt",
            "--out",
            "/abs/s",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let a = parse_args(&argv, Path::new("/home/c")).unwrap();
        assert_eq!(a.answers_from.unwrap(), Path::new("/home/c/a.txt"));
        assert_eq!(a.out.unwrap(), Path::new("/abs/s"));
    }

    #[test]
    fn bad_arguments_are_one_line() {
        let err = parse_args(&["--frobnicate".to_string()], Path::new("/")).unwrap_err();
        assert!(err.contains("--frobnicate") && !err.contains('\n'), "{err}");
    }
}
