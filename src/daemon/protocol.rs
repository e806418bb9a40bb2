//! The wire protocol between `mockint` clients and the daemon: one JSON
//! object per line (UTF-8, `\n`-terminated), at most [`MAX_MESSAGE`] bytes,
//! every message carrying `"v": 1`. Requests are tagged by `cmd`, replies and
//! streamed events by `type`. The README's "The daemon" section documents it.

use crate::interviewer::{Command, Event};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::PathBuf;

/// Protocol version carried by every message.
pub const VERSION: u64 = 1;
/// Longest request line the daemon reads; longer ones get `too-large` and the
/// connection is closed.
pub const MAX_MESSAGE: usize = 64 * 1024;
/// Longest reply line a client reads (events carry whole scores).
pub const MAX_REPLY: usize = 1024 * 1024;

/// What a client asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "kebab-case")]
pub enum Request {
    /// The daemon and the current session.
    Status,
    /// Start a session: `spec` is the session as plain data (absolute
    /// paths), as the client built it from its flags. With `follow`, the
    /// connection then streams the session's events as `attach` does.
    Start {
        spec: Box<crate::session::SessionSpec>,
        #[serde(default)]
        bank: Option<PathBuf>,
        #[serde(default)]
        follow: bool,
    },
    /// A typed answer for the running session; `typing_ms` is how long the
    /// candidate typed it.
    Answer {
        text: String,
        #[serde(default)]
        typing_ms: u64,
    },
    /// Pause, resume, skip, repeat or stop the running session.
    Control { action: Control },
    /// Stream the running session's events: those so far, then live ones.
    Attach,
    /// Interrupt the running session (saved, resumable) and exit.
    Shutdown,
}

/// Names of the requests, for the unknown-command error.
pub const COMMANDS: &[&str] = &["status", "start", "answer", "control", "attach", "shutdown"];

/// The session controls, mapped onto the interviewer's commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Control {
    Pause,
    Resume,
    Skip,
    Repeat,
    /// Ends the interview as the candidate saying "end the interview" does.
    Stop,
}

impl Control {
    pub fn command(self) -> Command {
        match self {
            Control::Pause => Command::Pause,
            Control::Resume => Command::Resume,
            Control::Skip => Command::Skip,
            Control::Repeat => Command::Repeat,
            Control::Stop => Command::End,
        }
    }
}

/// Why a request failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    /// Not a JSON object, or no `v`/`cmd`.
    Malformed,
    /// `v` is not 1.
    Version,
    UnknownCommand,
    /// A known command with wrong fields, or arguments `start` rejects.
    BadRequest,
    TooLarge,
    /// Connected but sent nothing in time.
    Timeout,
    /// Too many connections at once.
    Busy,
    SessionInProgress,
    NoSession,
    /// The session takes no typed answers (scripted or spoken).
    NotTyped,
    Failed,
}

/// The daemon process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DaemonInfo {
    pub pid: u32,
    pub version: String,
    pub uptime_s: u64,
    /// The Whisper model kept loaded, if any.
    pub model: Option<String>,
    pub socket: PathBuf,
}

/// The session the daemon is running.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionStatus {
    pub id: String,
    pub dir: PathBuf,
    pub title: String,
    /// `typed`, `scripted` or `voice`.
    pub kind: String,
    /// `asking`, `paused` or `finished`.
    pub phase: String,
    /// 0-based index of the question in progress, and how many there are.
    pub question: Option<usize>,
    pub questions: usize,
    pub question_text: Option<String>,
    pub elapsed_s: u64,
    pub model: Option<String>,
    /// Where answers come from and where the interviewer's lines go.
    pub input: String,
    pub output: String,
}

/// What the daemon sends.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Response {
    Ok {
        message: String,
    },
    Error {
        code: ErrorCode,
        message: String,
    },
    Status {
        daemon: DaemonInfo,
        session: Option<Box<SessionStatus>>,
    },
    Started {
        id: String,
        dir: PathBuf,
    },
    /// One event of the session record; `seq` is its index in the record.
    Event {
        seq: usize,
        event: Event,
    },
    /// The session ended (finished, or interrupted and resumable).
    Ended {
        dir: PathBuf,
        finished: bool,
    },
}

impl Response {
    pub fn error(code: ErrorCode, message: impl Into<String>) -> Response {
        Response::Error {
            code,
            message: message.into(),
        }
    }
}

/// One line of JSON with `"v": 1` added (no trailing newline).
pub fn encode<T: Serialize>(msg: &T) -> String {
    let mut v = serde_json::to_value(msg).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        map.insert("v".into(), Value::from(VERSION));
    }
    v.to_string()
}

/// Checks the envelope (`v`, the tag field) and decodes the body.
fn decode<T: serde::de::DeserializeOwned>(
    line: &str,
    tag: &str,
    known: &[&str],
) -> Result<T, (ErrorCode, String)> {
    let v: Value = serde_json::from_str(line).map_err(|e| {
        (
            ErrorCode::Malformed,
            format!("not JSON ({e}); send one JSON object per line"),
        )
    })?;
    let obj = v.as_object().ok_or((
        ErrorCode::Malformed,
        "not a JSON object; send {\"v\":1,\"cmd\":…}".to_string(),
    ))?;
    match obj.get("v") {
        Some(n) if n.as_u64() == Some(VERSION) => {}
        Some(n) => {
            return Err((
                ErrorCode::Version,
                format!("protocol version {n} is not supported; this daemon speaks \"v\": 1"),
            ))
        }
        None => {
            return Err((
                ErrorCode::Malformed,
                "no protocol version; every message carries \"v\": 1".into(),
            ))
        }
    }
    let name = obj.get(tag).and_then(Value::as_str).ok_or_else(|| {
        (
            ErrorCode::Malformed,
            format!("no \"{tag}\" field naming the message"),
        )
    })?;
    if !known.is_empty() && !known.contains(&name) {
        return Err((
            ErrorCode::UnknownCommand,
            format!("unknown command {name:?}; known: {}", known.join(", ")),
        ));
    }
    let name = name.to_string();
    serde_json::from_value(v).map_err(|e| (ErrorCode::BadRequest, format!("{name}: {e}")))
}

/// A request line as the daemon reads it.
pub fn decode_request(line: &str) -> Result<Request, (ErrorCode, String)> {
    decode(line, "cmd", COMMANDS)
}

/// A reply line as a client reads it.
pub fn decode_response(line: &str) -> Result<Response, String> {
    decode(line, "type", &[]).map_err(|(_, m)| m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_carries_the_version() {
        let line = encode(&Request::Control {
            action: Control::Skip,
        });
        assert_eq!(line, r#"{"action":"skip","cmd":"control","v":1}"#);
        assert_eq!(
            decode_request(&line).unwrap(),
            Request::Control {
                action: Control::Skip
            }
        );
        let reply = encode(&Response::error(ErrorCode::NoSession, "none"));
        assert!(reply.contains(r#""v":1"#), "{reply}");
        assert!(matches!(
            decode_response(&reply).unwrap(),
            Response::Error { code: ErrorCode::NoSession, message } if message == "none"
        ));
    }

    #[test]
    fn bad_requests_get_a_code_and_a_reason() {
        let cases = [
            ("{not json", ErrorCode::Malformed),
            ("[1,2]", ErrorCode::Malformed),
            (r#"{"cmd":"status"}"#, ErrorCode::Malformed),
            (r#"{"v":2,"cmd":"status"}"#, ErrorCode::Version),
            (r#"{"v":1}"#, ErrorCode::Malformed),
            (r#"{"v":1,"cmd":"format-disk"}"#, ErrorCode::UnknownCommand),
            (r#"{"v":1,"cmd":"answer"}"#, ErrorCode::BadRequest),
            (
                r#"{"v":1,"cmd":"control","action":"explode"}"#,
                ErrorCode::BadRequest,
            ),
        ];
        for (line, code) in cases {
            let (got, msg) = decode_request(line).unwrap_err();
            assert_eq!(got, code, "{line}: {msg}");
            assert!(!msg.is_empty() && !msg.contains('\n'), "{msg}");
        }
    }

    #[test]
    fn controls_map_onto_interviewer_commands() {
        assert_eq!(Control::Stop.command(), Command::End);
        assert_eq!(Control::Repeat.command(), Command::Repeat);
        assert_eq!(Control::Pause.command(), Command::Pause);
    }
}
