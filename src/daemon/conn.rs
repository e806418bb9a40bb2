//! One client connection: checks the peer is the daemon's user, reads
//! size-limited request lines (a deadline for the first), answers them, and
//! streams the session's events to clients that follow it. A bad request
//! gets an error reply; a bad connection is closed; neither touches the
//! session.

use super::host::{Fed, Feed, Kind, Running};
use super::launch;
use super::protocol::{
    decode_request, encode, Control, DaemonInfo, ErrorCode, Request, Response, MAX_MESSAGE,
};
use super::server::{Daemon, FIRST_REQUEST_TIMEOUT};
use crate::stt::whisper::WhisperModel;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixStream;
use tokio::sync::{broadcast, mpsc};

/// How long a reply may take to write before the client is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a connection that follows nothing may stay quiet between requests.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a control waits for the session to act on it.
const ACK_TIMEOUT: Duration = Duration::from_secs(5);

/// Reads one line of at most `max` bytes (without the newline). `Ok(None)`
/// at end of input.
async fn read_line<R: AsyncBufRead + Unpin>(
    r: &mut R,
    max: usize,
) -> Result<Option<Vec<u8>>, ErrorCode> {
    let mut buf = Vec::new();
    loop {
        let avail = r.fill_buf().await.map_err(|_| ErrorCode::Failed)?;
        if avail.is_empty() {
            return Ok((!buf.is_empty()).then_some(buf));
        }
        if let Some(i) = avail.iter().position(|&b| b == b'\n') {
            buf.extend_from_slice(&avail[..i]);
            r.consume(i + 1);
            return if buf.len() > max {
                Err(ErrorCode::TooLarge)
            } else {
                Ok(Some(buf))
            };
        }
        let n = avail.len();
        buf.extend_from_slice(avail);
        r.consume(n);
        if buf.len() > max {
            return Err(ErrorCode::TooLarge);
        }
    }
}

/// Writes replies in order; gives up on a client that stops reading.
async fn write_loop(mut w: tokio::net::unix::OwnedWriteHalf, mut rx: mpsc::Receiver<Response>) {
    while let Some(r) = rx.recv().await {
        let mut line = encode(&r);
        line.push('\n');
        match tokio::time::timeout(WRITE_TIMEOUT, w.write_all(line.as_bytes())).await {
            Ok(Ok(())) => {}
            _ => return,
        }
    }
    let _ = w.shutdown().await;
}

async fn refuse(mut stream: UnixStream, code: ErrorCode, message: &str) {
    let mut line = encode(&Response::error(code, message));
    line.push('\n');
    let _ = tokio::time::timeout(WRITE_TIMEOUT, stream.write_all(line.as_bytes())).await;
}

pub(super) async fn connection(stream: UnixStream, d: Arc<Daemon>) {
    match stream.peer_cred() {
        Ok(c) if c.uid() == d.uid => {}
        _ => {
            tracing::warn!("refused a connection from another user");
            return refuse(
                stream,
                ErrorCode::Failed,
                "this daemon serves only the user who started it",
            )
            .await;
        }
    }
    let (rd, wr) = stream.into_split();
    let (tx, rx) = mpsc::channel::<Response>(64);
    let writer = tokio::spawn(write_loop(wr, rx));
    let mut rd = BufReader::new(rd);
    let mut follower: Option<tokio::task::JoinHandle<()>> = None;
    let mut first = true;
    loop {
        let read = read_line(&mut rd, MAX_MESSAGE);
        // Following a session, a client may stay quiet for as long as it runs.
        let deadline = match (first, &follower) {
            (true, _) => Some(FIRST_REQUEST_TIMEOUT),
            (false, None) => Some(IDLE_TIMEOUT),
            (false, Some(_)) => None,
        };
        let line = match deadline {
            Some(limit) => match tokio::time::timeout(limit, read).await {
                Ok(r) => r,
                Err(_) => {
                    let _ = tx
                        .send(Response::error(
                            ErrorCode::Timeout,
                            format!("no request within {} s; closing", limit.as_secs()),
                        ))
                        .await;
                    break;
                }
            },
            None => read.await,
        };
        let line = match line {
            Ok(Some(l)) => l,
            Ok(None) => {
                // The client closed its side: finish streaming to it, if asked.
                if let Some(f) = follower.take() {
                    let _ = f.await;
                }
                break;
            }
            Err(ErrorCode::TooLarge) => {
                let _ = tx
                    .send(Response::error(
                        ErrorCode::TooLarge,
                        format!("message over {MAX_MESSAGE} bytes; closing"),
                    ))
                    .await;
                break;
            }
            Err(_) => break,
        };
        first = false;
        let text = String::from_utf8_lossy(&line);
        if text.trim().is_empty() {
            continue;
        }
        match decode_request(&text) {
            Ok(req) => handle(&d, req, &tx, &mut follower).await,
            Err((code, message)) => {
                let _ = tx.send(Response::Error { code, message }).await;
            }
        }
    }
    if let Some(f) = follower {
        f.abort();
    }
    drop(tx);
    let _ = writer.await;
}

fn no_session() -> Response {
    Response::error(
        ErrorCode::NoSession,
        "no session is running; start one with `mockint start`",
    )
}

fn in_progress(r: &Running) -> Response {
    let s = r.status();
    Response::error(
        ErrorCode::SessionInProgress,
        format!(
            "session in progress: {} ({}, question {} of {}); follow it with `mockint attach` or end it with `mockint stop`",
            s.id,
            s.title,
            s.question.map_or(0, |i| i + 1),
            s.questions
        ),
    )
}

async fn handle(
    d: &Arc<Daemon>,
    req: Request,
    tx: &mpsc::Sender<Response>,
    follower: &mut Option<tokio::task::JoinHandle<()>>,
) {
    let reply = match req {
        Request::Status => {
            let slot = d.session.lock().await;
            Response::Status {
                daemon: DaemonInfo {
                    pid: std::process::id(),
                    version: env!("CARGO_PKG_VERSION").into(),
                    uptime_s: d.started.elapsed().as_secs(),
                    model: d.model.as_ref().map(WhisperModel::model_name),
                    socket: d.socket.clone(),
                },
                session: slot
                    .as_ref()
                    .filter(|r| r.is_active())
                    .map(|r| Box::new(r.status())),
            }
        }
        Request::Start { spec, bank, follow } => {
            let mut slot = d.session.lock().await;
            if let Some(r) = slot.as_ref().filter(|r| r.is_active()) {
                in_progress(r)
            } else {
                match start(d, *spec, bank).await {
                    Ok(running) => {
                        let s = running.status();
                        let _ = tx
                            .send(Response::Started {
                                id: s.id,
                                dir: s.dir,
                            })
                            .await;
                        if follow && follower.is_none() {
                            *follower = Some(follow_session(&running, tx.clone()));
                        }
                        // The previous session's thread has ended (or is ending).
                        *slot = Some(running);
                        return;
                    }
                    Err(r) => r,
                }
            }
        }
        Request::Answer { text, typing_ms } => {
            let slot = d.session.lock().await;
            match slot.as_ref().filter(|r| r.is_active()) {
                None => no_session(),
                Some(r) if r.kind != Kind::Typed => Response::error(
                    ErrorCode::NotTyped,
                    format!(
                        "the running session is {}; it takes no typed answers",
                        r.kind.name()
                    ),
                ),
                Some(r) => {
                    let sender = r.feed.clone();
                    drop(slot);
                    feed(sender, Feed::Answer { text, typing_ms }, "answer recorded").await
                }
            }
        }
        Request::Control { action } => {
            let slot = d.session.lock().await;
            match slot.as_ref().filter(|r| r.is_active()) {
                None => no_session(),
                Some(r) => {
                    let sender = r.feed.clone();
                    drop(slot);
                    feed(sender, Feed::Control(action), control_done(action)).await
                }
            }
        }
        Request::Attach => {
            let slot = d.session.lock().await;
            match slot.as_ref().filter(|r| r.is_active()) {
                None => no_session(),
                Some(_) if follower.is_some() => Response::Ok {
                    message: "already attached".into(),
                },
                Some(r) => {
                    *follower = Some(follow_session(r, tx.clone()));
                    return;
                }
            }
        }
        Request::Shutdown => {
            d.shutdown.notify_one();
            Response::Ok {
                message: "stopping: the session is saved first".into(),
            }
        }
    };
    let _ = tx.send(reply).await;
}

fn control_done(c: Control) -> &'static str {
    match c {
        Control::Pause => "paused",
        Control::Resume => "resumed",
        Control::Skip => "skipped to the next question (an answer already given is graded)",
        Control::Repeat => "repeated the question",
        Control::Stop => "stopped: the transcript and debrief are written",
    }
}

/// Hands `f` to the session and waits (briefly) until it has taken effect,
/// so a `status` right after sees it.
async fn feed(sender: std::sync::mpsc::SyncSender<Fed>, f: Feed, ok: &str) -> Response {
    let (ack, acked) = std::sync::mpsc::channel();
    match sender.try_send(Fed {
        feed: f,
        ack: Some(ack),
    }) {
        Ok(()) => {
            let confirmed =
                tokio::task::spawn_blocking(move || acked.recv_timeout(ACK_TIMEOUT).is_ok())
                    .await
                    .unwrap_or(false);
            Response::Ok {
                message: if confirmed {
                    ok.to_string()
                } else {
                    format!("{ok} (sent; the session has not confirmed yet)")
                },
            }
        }
        Err(std::sync::mpsc::TrySendError::Full(_)) => Response::error(
            ErrorCode::Busy,
            "the session has too many pending inputs; try again",
        ),
        Err(std::sync::mpsc::TrySendError::Disconnected(_)) => no_session(),
    }
}

async fn start(
    d: &Arc<Daemon>,
    spec: crate::session::SessionSpec,
    bank: Option<PathBuf>,
) -> Result<Running, Response> {
    if spec
        .bank
        .iter()
        .chain(spec.out.iter())
        .chain(spec.repo.iter())
        .any(|p| p.is_relative())
    {
        return Err(Response::error(
            ErrorCode::BadRequest,
            "start: paths in the spec must be absolute",
        ));
    }
    let d = d.clone();
    tokio::task::spawn_blocking(move || {
        let bank = bank.or_else(|| d.bank.clone());
        launch::launch(spec, bank, d.model.clone())
    })
    .await
    .map_err(|e| Response::error(ErrorCode::Failed, e.to_string()))?
    .map_err(|e| {
        let code = if e.exit_code() == 2 {
            ErrorCode::BadRequest
        } else {
            ErrorCode::Failed
        };
        Response::error(code, e.to_string())
    })
}

/// Streams a session's events (those so far, then live) until it ends.
fn follow_session(r: &Running, tx: mpsc::Sender<Response>) -> tokio::task::JoinHandle<()> {
    let (backlog, mut rx) = r.subscribe();
    tokio::spawn(async move {
        for m in backlog {
            let end = matches!(m, Response::Ended { .. });
            if tx.send(m).await.is_err() || end {
                return;
            }
        }
        loop {
            match rx.recv().await {
                Ok(m) => {
                    let end = matches!(m, Response::Ended { .. });
                    if tx.send(m).await.is_err() || end {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!("an attached client fell {n} events behind");
                }
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    })
}
