//! The daemon: a long-running mockint that keeps the Whisper model loaded and
//! runs one interview session at a time, so a session survives the terminal
//! that started it and can be controlled from another.
//!
//! In: requests from clients on a Unix socket ([`protocol`], line-delimited
//! JSON) — start, answer, pause/resume/skip/repeat/stop, attach, status,
//! shutdown. Out: replies and the running session's events streamed to
//! attached clients; the session folder (session.json, transcript.md,
//! debrief.md) written as in-process sessions write it. [`server`] owns the
//! socket, `conn` serves each connection, `launch` and `host` start and run
//! sessions on their own thread, [`client`] is what the CLI uses to talk to
//! it, [`bench`] measures an idle daemon.

pub mod bench;
pub mod client;
mod conn;
pub(crate) mod host;
pub(crate) mod launch;
pub mod protocol;
pub mod server;

use std::path::{Path, PathBuf};

/// Errors of the daemon and its clients.
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    #[error("no mockint daemon is running at {0}; start one with `mockint daemon --detach`")]
    NotRunning(PathBuf),
    #[error("a mockint daemon is already running at {0}; stop it with `mockint daemon stop`")]
    AlreadyRunning(PathBuf),
    #[error("{0}: exists and is not a socket; remove it or set MOCKINT_SOCKET to another path")]
    NotASocket(PathBuf),
    #[error("{0}: not a private directory of yours (another user's, or a link); remove it or set MOCKINT_SOCKET")]
    Unsafe(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the daemon sent a bad reply ({0}); are the client and daemon the same version?")]
    Protocol(String),
    #[error("the daemon closed the connection")]
    Closed,
    /// An error reply from the daemon.
    #[error("{message}")]
    Refused {
        code: protocol::ErrorCode,
        message: String,
    },
    #[error("could not start the daemon: {0}")]
    Start(String),
}

impl DaemonError {
    pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DaemonError + '_ {
        move |source| DaemonError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The socket: `$MOCKINT_SOCKET`, else `$XDG_RUNTIME_DIR/mockint/daemon.sock`,
/// else `/tmp/mockint-$UID/daemon.sock`.
pub fn socket_path() -> PathBuf {
    if let Some(p) = std::env::var_os("MOCKINT_SOCKET").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let dir = match std::env::var_os("XDG_RUNTIME_DIR").filter(|p| !p.is_empty()) {
        Some(d) => PathBuf::from(d).join("mockint"),
        None => PathBuf::from(format!("/tmp/mockint-{}", current_uid())),
    };
    dir.join("daemon.sock")
}

pub fn current_uid() -> u32 {
    // SAFETY: getuid has no preconditions and cannot fail.
    unsafe { libc::getuid() }
}

#[cfg(test)]
mod tests {
    #[test]
    fn socket_path_honours_the_override() {
        // Only this test in the crate's unit tests reads these variables.
        std::env::set_var("MOCKINT_SOCKET", "/tmp/x/d.sock");
        assert_eq!(super::socket_path(), std::path::Path::new("/tmp/x/d.sock"));
        std::env::remove_var("MOCKINT_SOCKET");
        let p = super::socket_path();
        assert!(p.ends_with("mockint/daemon.sock") || p.ends_with("daemon.sock"));
    }
}
