//! The daemon's commands: `mockint daemon [--detach] | daemon stop`, `status`,
//! `attach`, the session controls (`pause`, `resume`, `skip`, `repeat`,
//! `stop`), and `start` handing its session to a running daemon.

use super::daemon_view::{follow, print_session};
use super::start_cmd::StartArgs;
use super::CliError;
use crate::daemon::client::Client;
use crate::daemon::protocol::{Control, ErrorCode, Request, Response};
use crate::daemon::server::{self, ServerOptions};
use crate::daemon::{socket_path, DaemonError};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Args)]
pub struct DaemonArgs {
    #[command(subcommand)]
    pub command: Option<DaemonCommand>,
    /// Run in the background (the socket is ready when this returns)
    #[arg(long)]
    pub detach: bool,
    /// ggml Whisper model to keep loaded (default: the installed tiny.en)
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Keep no model loaded (typed sessions only; spoken ones load their own)
    #[arg(long)]
    pub no_model: bool,
}

#[derive(Debug, Subcommand)]
pub enum DaemonCommand {
    /// Stop the daemon: the running session is saved (resumable) first
    Stop,
}

pub(super) fn cli_err(e: DaemonError) -> CliError {
    match e {
        DaemonError::NotRunning(_)
        | DaemonError::AlreadyRunning(_)
        | DaemonError::NotASocket(_)
        | DaemonError::Unsafe(_) => CliError::Usage(e.to_string()),
        DaemonError::Refused {
            code:
                ErrorCode::BadRequest
                | ErrorCode::SessionInProgress
                | ErrorCode::NoSession
                | ErrorCode::NotTyped,
            ..
        } => CliError::Usage(e.to_string()),
        _ => CliError::Failed(e.to_string()),
    }
}

fn connect() -> Result<Client, CliError> {
    Client::connect(&socket_path()).map_err(cli_err)
}

pub fn run_daemon(args: DaemonArgs, bank: Option<&Path>) -> Result<(), CliError> {
    match args.command {
        Some(DaemonCommand::Stop) => stop_daemon(),
        None if args.detach => detach(&args, bank),
        None => foreground(&args, bank),
    }
}

fn foreground(args: &DaemonArgs, bank: Option<&Path>) -> Result<(), CliError> {
    let path = socket_path();
    // Bind first: a second daemon fails at once, before loading anything.
    let listener = server::bind(&path).map_err(cli_err)?;
    let model = if args.no_model {
        None
    } else {
        let p = args
            .model
            .clone()
            .unwrap_or_else(crate::models::store::default_model_path);
        if args.model.is_none() && !p.exists() {
            eprintln!(
                "warning: no Whisper model at {}; spoken sessions load their own (install it with `mockint models install tiny.en`)",
                p.display()
            );
            None
        } else {
            Some(crate::stt::whisper::WhisperModel::load(&p)?)
        }
    };
    eprintln!(
        "mockint daemon: pid {}, socket {}, model {}",
        std::process::id(),
        path.display(),
        model
            .as_ref()
            .map_or("none".into(), |m: &crate::stt::whisper::WhisperModel| m
                .model_name())
    );
    server::run(
        listener,
        ServerOptions {
            socket: path,
            model,
            bank: bank.map(absolute),
        },
    )
    .map_err(cli_err)?;
    eprintln!("mockint daemon: stopped");
    Ok(())
}

fn absolute(p: &Path) -> PathBuf {
    std::env::current_dir()
        .map(|d| d.join(p))
        .unwrap_or_else(|_| p.to_path_buf())
}

/// Starts `mockint daemon` in a new session (no terminal), logging beside
/// the socket, and returns once it accepts connections.
fn detach(args: &DaemonArgs, bank: Option<&Path>) -> Result<(), CliError> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    use std::os::unix::process::CommandExt;
    let path = socket_path();
    if Client::connect(&path).is_ok() {
        return Err(cli_err(DaemonError::AlreadyRunning(path)));
    }
    let dir = path.parent().unwrap_or(Path::new("/tmp"));
    let _ = std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir);
    let log_path = dir.join("daemon.log");
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&log_path)
        .map_err(|e| CliError::Failed(format!("{}: {e}", log_path.display())))?;
    let exe = std::env::current_exe().map_err(|e| CliError::Failed(e.to_string()))?;
    let mut cmd = std::process::Command::new(exe);
    if let Some(b) = bank {
        cmd.arg("--bank").arg(absolute(b));
    }
    cmd.arg("daemon");
    if let Some(m) = &args.model {
        cmd.arg("--model").arg(absolute(m));
    }
    if args.no_model {
        cmd.arg("--no-model");
    }
    let err_log = log
        .try_clone()
        .map_err(|e| CliError::Failed(e.to_string()))?;
    cmd.stdin(std::process::Stdio::null())
        .stdout(log)
        .stderr(err_log)
        .env("MOCKINT_SOCKET", &path);
    // SAFETY: setsid is async-signal-safe; it detaches from the terminal.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| CliError::Failed(format!("cannot start the daemon: {e}")))?;
    let t0 = Instant::now();
    loop {
        if Client::connect(&path).is_ok() {
            break;
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(CliError::Failed(format!(
                "the daemon exited ({status}); see {}",
                log_path.display()
            )));
        }
        if t0.elapsed() > Duration::from_secs(60) {
            return Err(CliError::Failed(format!(
                "the daemon did not open {} within 60 s; see {}",
                path.display(),
                log_path.display()
            )));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    println!(
        "mockint daemon running (pid {}); socket {}; log {}",
        child.id(),
        path.display(),
        log_path.display()
    );
    Ok(())
}

fn stop_daemon() -> Result<(), CliError> {
    let mut c = connect()?;
    c.call(&Request::Shutdown).map_err(cli_err)?;
    // The daemon closes every connection as it exits, after saving.
    while c.recv().is_ok() {}
    println!("mockint daemon stopped");
    Ok(())
}

pub fn run_status(json: bool) -> Result<(), CliError> {
    let mut c = connect()?;
    let r = c.call(&Request::Status).map_err(cli_err)?;
    if json {
        println!("{}", crate::daemon::protocol::encode(&r));
        return Ok(());
    }
    let Response::Status { daemon, session } = r else {
        return Err(cli_err(DaemonError::Protocol("expected a status".into())));
    };
    println!(
        "daemon: pid {} · up {} · model {} · socket {}",
        daemon.pid,
        crate::transcript::duration(daemon.uptime_s * 1000),
        daemon.model.as_deref().unwrap_or("none"),
        daemon.socket.display()
    );
    match session {
        None => println!("session: none running"),
        Some(s) => print_session(&s),
    }
    Ok(())
}

pub fn run_control(action: Control) -> Result<(), CliError> {
    let mut c = connect()?;
    match c.call(&Request::Control { action }).map_err(cli_err)? {
        Response::Ok { message } => println!("{message}"),
        other => println!("{}", crate::daemon::protocol::encode(&other)),
    }
    Ok(())
}

/// `mockint resume` with no folder: resumes the daemon's paused session, if
/// there is one. `Ok(false)` sends the caller to the in-process meaning.
pub fn resume_paused() -> Result<bool, CliError> {
    let Ok(mut c) = Client::connect(&socket_path()) else {
        return Ok(false);
    };
    match c.call(&Request::Status) {
        Ok(Response::Status {
            session: Some(s), ..
        }) if s.phase == "paused" => {
            run_control(Control::Resume)?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

pub fn run_attach() -> Result<(), CliError> {
    let mut c = connect()?;
    let typed = match c.call(&Request::Status).map_err(cli_err)? {
        Response::Status {
            session: Some(s), ..
        } => {
            print_session(&s);
            s.kind == "typed"
        }
        _ => {
            return Err(CliError::Usage(
                "no session is running in the daemon; start one with `mockint start`".into(),
            ))
        }
    };
    c.send(&Request::Attach).map_err(cli_err)?;
    follow(c, typed)
}

/// Whether `start` should go to a daemon: one is running and not refused.
pub fn daemon_for(args: &StartArgs) -> Option<Client> {
    if args.no_daemon {
        return None;
    }
    Client::connect(&socket_path()).ok()
}

/// `mockint start` through the daemon: the session runs there; this terminal
/// shows it and, for `--text`, sends what is typed. Closing the terminal
/// leaves the session running.
pub fn start_via_daemon(
    mut c: Client,
    args: &StartArgs,
    bank: Option<&Path>,
) -> Result<(), CliError> {
    c.send(&Request::Start {
        spec: Box::new(args.spec(bank)),
        bank: bank.map(absolute),
        follow: true,
    })
    .map_err(cli_err)?;
    match c.recv().map_err(cli_err)? {
        Response::Started { id, dir } => {
            println!(
                "Session {id} runs in the daemon ({}); it continues if this terminal closes.",
                c.path().display()
            );
            println!("Session folder: {}", dir.display());
        }
        Response::Error { code, message } => {
            return Err(cli_err(DaemonError::Refused { code, message }))
        }
        other => {
            return Err(cli_err(DaemonError::Protocol(format!(
                "expected started, got {}",
                crate::daemon::protocol::encode(&other)
            ))))
        }
    }
    follow(c, args.text && args.answers_from.is_none())
}
