//! The daemon's socket: binds it safely (private directory, mode 0600, stale
//! sockets replaced, a live daemon refused) and accepts connections on a
//! small tokio runtime, each served by [`conn`](super::conn). SIGTERM, SIGINT
//! or a `shutdown` request interrupt the running session — its turn finished
//! and its files written — before the daemon exits.

use super::host::{Feed, Running};
use super::{conn, DaemonError};
use crate::stt::whisper::WhisperModel;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::UnixListener;
use tokio::sync::{Mutex, Notify};

/// How long a new connection may take to send its first request.
pub const FIRST_REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// How long shutdown waits for the session to save.
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

pub struct ServerOptions {
    pub socket: PathBuf,
    /// The warm model (loaded by the caller), if any.
    pub model: Option<WhisperModel>,
    pub bank: Option<PathBuf>,
}

/// What every connection shares.
pub(super) struct Daemon {
    pub started: Instant,
    pub uid: u32,
    pub socket: PathBuf,
    pub model: Option<WhisperModel>,
    pub bank: Option<PathBuf>,
    /// The current (or last) session; one at a time.
    pub session: Mutex<Option<Running>>,
    pub shutdown: Notify,
}

/// Binds the socket: a live daemon is an error, a stale socket is replaced.
pub fn bind(path: &Path) -> Result<std::os::unix::net::UnixListener, DaemonError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(DaemonError::io(dir))?;
        }
        secure_own_dir(dir)?;
    }
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_socket() => {
            if std::os::unix::net::UnixStream::connect(path).is_ok() {
                return Err(DaemonError::AlreadyRunning(path.to_path_buf()));
            }
            tracing::info!("replacing the stale socket {}", path.display());
            std::fs::remove_file(path).map_err(DaemonError::io(path))?;
        }
        Ok(_) => return Err(DaemonError::NotASocket(path.to_path_buf())),
        Err(_) => {}
    }
    // The socket is created 0600 (no window in which others could connect).
    // SAFETY: umask only swaps the process's file mode mask.
    let old = unsafe { libc::umask(0o177) };
    let listener = std::os::unix::net::UnixListener::bind(path);
    unsafe { libc::umask(old) };
    let listener = listener.map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => DaemonError::AlreadyRunning(path.to_path_buf()),
        _ => DaemonError::Io {
            path: path.to_path_buf(),
            source: e,
        },
    })?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .map_err(DaemonError::io(path))?;
    listener
        .set_nonblocking(true)
        .map_err(DaemonError::io(path))?;
    Ok(listener)
}

/// mockint's own socket directories (`…/mockint`, `/tmp/mockint-UID`) must
/// be the user's and private: another user could have made one in `/tmp`
/// first. Directories chosen with `MOCKINT_SOCKET` are the user's business.
fn secure_own_dir(dir: &Path) -> Result<(), DaemonError> {
    use std::os::unix::fs::MetadataExt;
    let ours = dir
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("mockint"));
    if !ours {
        return Ok(());
    }
    let meta = std::fs::symlink_metadata(dir).map_err(DaemonError::io(dir))?;
    if !meta.is_dir() || meta.uid() != super::current_uid() {
        return Err(DaemonError::Unsafe(dir.to_path_buf()));
    }
    if meta.mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(DaemonError::io(dir))?;
    }
    Ok(())
}

/// Serves until SIGTERM, SIGINT or a `shutdown` request; then interrupts the
/// running session, waits for its files, and removes the socket.
pub fn run(
    listener: std::os::unix::net::UnixListener,
    opts: ServerOptions,
) -> Result<(), DaemonError> {
    let path = opts.socket.clone();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("mockint-daemon")
        .enable_all()
        .build()
        .map_err(DaemonError::io(&path))?;
    let d = Arc::new(Daemon {
        started: Instant::now(),
        uid: super::current_uid(),
        socket: opts.socket,
        model: opts.model,
        bank: opts.bank,
        session: Mutex::new(None),
        shutdown: Notify::new(),
    });
    raise_fd_limit();
    let result = rt.block_on(serve(listener, d));
    // Only remove the socket if it is still ours (not a newer daemon's).
    let _ = std::fs::remove_file(&path);
    rt.shutdown_timeout(Duration::from_secs(1));
    result
}

async fn serve(
    listener: std::os::unix::net::UnixListener,
    d: Arc<Daemon>,
) -> Result<(), DaemonError> {
    use tokio::signal::unix::{signal, SignalKind};
    let listener = UnixListener::from_std(listener).map_err(DaemonError::io(&d.socket))?;
    let sig = |k| signal(k).map_err(DaemonError::io(Path::new("signal handler")));
    let (mut term, mut int, mut hup) = (
        sig(SignalKind::terminate())?,
        sig(SignalKind::interrupt())?,
        sig(SignalKind::hangup())?,
    );
    loop {
        tokio::select! {
            r = listener.accept() => match r {
                Ok((stream, _)) => {
                    tokio::spawn(conn::connection(stream, d.clone()));
                }
                Err(e) => {
                    // Out of file descriptors, most likely: let some close.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            _ = term.recv() => break,
            _ = int.recv() => break,
            // The terminal that started a foreground daemon closed: keep going.
            _ = hup.recv() => continue,
            _ = d.shutdown.notified() => break,
        }
    }
    tracing::info!("stopping");
    stop_session(&d).await;
    // Let attached clients' writers deliver the session's end before the
    // runtime (and every connection) goes.
    tokio::time::sleep(Duration::from_millis(200)).await;
    Ok(())
}

/// Interrupts the running session and waits until its files are written.
async fn stop_session(d: &Daemon) {
    let mut slot = d.session.lock().await;
    let Some(running) = slot.as_mut() else {
        return;
    };
    let feed = running.feed.clone();
    let thread = running.thread.take();
    let wait = tokio::task::spawn_blocking(move || {
        let _ = feed.send(Feed::Interrupt.into());
        if let Some(t) = thread {
            let _ = t.join();
        }
    });
    if tokio::time::timeout(STOP_TIMEOUT, wait).await.is_err() {
        tracing::warn!("the session did not stop in time; its files hold the last saved turn");
    }
}

/// No global cap on connections: each is bounded by its own first-request
/// timeout and size limit, so one client cannot starve the others. What
/// bounds them together is the descriptor limit, raised to the hard one.
fn raise_fd_limit() {
    // SAFETY: getrlimit/setrlimit fill and read a plain struct.
    unsafe {
        let mut r: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) == 0 && r.rlim_cur < r.rlim_max {
            r.rlim_cur = r.rlim_max;
            let _ = libc::setrlimit(libc::RLIMIT_NOFILE, &r);
        }
    }
}
