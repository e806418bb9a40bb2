//! Bad clients and the socket's lifecycle against a real daemon: malformed
//! JSON, unknown commands, oversized messages, silent connections and 300
//! connections at once each get an error or are closed, while the daemon and
//! its running session carry on; the socket is private; a live daemon is
//! refused and a stale socket replaced.

mod common;
mod daemon_common;
use common::wait_for;
use daemon_common::*;
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

/// The session is still there, waiting on the same question, and still
/// takes answers.
fn session_carries_on(d: &TestDaemon, out: &std::path::Path) {
    let s = d.status();
    assert_eq!(s["session"]["phase"], "asking", "{s}");
    assert_eq!(s["session"]["question"], 0, "{s}");
    let v = d.request(&serde_json::json!({"v": 1, "cmd": "answer", "text": FIRST}).to_string());
    assert_eq!(v["type"], "ok", "{v}");
    wait_for(&out.join("session.json"), "Karpenter launches right sized");
}

#[test]
fn malformed_json_unknown_commands_and_wrong_versions_get_errors_and_the_session_continues() {
    let d = TestDaemon::start();
    let out = d.start_typed("s");
    let mut c = d.connect();
    for (line, code) in [
        ("{this is not json", "malformed"),
        ("[1, 2, 3]", "malformed"),
        (r#"{"cmd":"status"}"#, "malformed"),
        (r#"{"v":2,"cmd":"status"}"#, "version"),
        (r#"{"v":1,"cmd":"rm-rf"}"#, "unknown-command"),
        (
            r#"{"v":1,"cmd":"control","action":"explode"}"#,
            "bad-request",
        ),
        (
            serde_json::json!({"v": 1, "cmd": "start", "spec": typed_spec(&out)})
                .to_string()
                .as_str(),
            "session-in-progress",
        ),
        (
            // The old argv form: the daemon never re-parses arguments.
            r#"{"v":1,"cmd":"start","args":["--round"],"cwd":"/"}"#,
            "bad-request",
        ),
        ("\u{1b}[31m\u{0}binary\u{7f}", "malformed"),
    ] {
        c.send(line);
        let v = c.recv().unwrap_or_else(|| panic!("closed after {line:?}"));
        assert_eq!(v["v"], 1, "{v}");
        assert_eq!(v["type"], "error", "{line}: {v}");
        assert_eq!(v["code"], code, "{line}: {v}");
        assert!(!v["message"].as_str().unwrap().is_empty());
    }
    // The same connection still works.
    c.send(r#"{"v":1,"cmd":"status"}"#);
    assert_eq!(c.recv().unwrap()["type"], "status");
    session_carries_on(&d, &out);
}

#[test]
fn an_oversized_message_is_refused_and_its_connection_closed() {
    let d = TestDaemon::start();
    let out = d.start_typed("s");
    let mut c = d.connect();
    let huge = format!(
        r#"{{"v":1,"cmd":"answer","text":"{}"}}"#,
        "kubectl ".repeat(20_000)
    );
    // The daemon may close before reading it all; a failed write is fine.
    let _ = writeln!(c.stream, "{huge}");
    let v = c.recv().expect("an error before the close");
    assert_eq!(v["code"], "too-large", "{v}");
    assert!(c.recv().is_none(), "the connection is closed");
    // Nothing of it reached the session.
    assert!(!read(&out.join("session.json")).contains("kubectl kubectl"));
    session_carries_on(&d, &out);
}

#[test]
fn a_connection_that_never_sends_is_timed_out_and_closed() {
    let d = TestDaemon::start();
    let out = d.start_typed("s");
    let mut silent = UnixStream::connect(&d.socket).unwrap();
    silent
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let t0 = Instant::now();
    // While it waits, others are served.
    assert_eq!(d.status()["session"]["phase"], "asking");
    let mut got = String::new();
    silent.read_to_string(&mut got).unwrap();
    let waited = t0.elapsed();
    assert!(
        waited >= Duration::from_secs(4) && waited < Duration::from_secs(15),
        "closed after {waited:?}"
    );
    let v: serde_json::Value = serde_json::from_str(got.trim()).unwrap();
    assert_eq!(v["code"], "timeout", "{v}");
    session_carries_on(&d, &out);
}

#[test]
fn status_answers_while_a_thousand_idle_connections_are_open() {
    // SAFETY: raising this test process's own descriptor limit.
    unsafe {
        let mut r: libc::rlimit = std::mem::zeroed();
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut r);
        r.rlim_cur = r.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &r);
    }
    let d = TestDaemon::start();
    let out = d.start_typed("s");
    // A thousand clients that connect and say nothing.
    let idle: Vec<UnixStream> = (0..1000)
        .map(|_| UnixStream::connect(&d.socket).unwrap())
        .collect();
    let t0 = Instant::now();
    let v = d.status();
    assert!(
        t0.elapsed() < Duration::from_secs(2),
        "status took {:?}",
        t0.elapsed()
    );
    assert!(v["session"]["title"].is_string(), "{v}");
    // Each idle one is closed by its own first-request timeout.
    let mut first = &idle[0];
    first
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut got = String::new();
    let _ = first.read_to_string(&mut got);
    assert!(got.contains("\"timeout\""), "{got}");
    drop(idle);
    session_carries_on(&d, &out);
}

#[test]
fn the_socket_is_private_to_the_user() {
    let d = TestDaemon::start();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&d.socket), 0o600, "socket mode");
    assert_eq!(
        mode(d.socket.parent().unwrap()),
        0o700,
        "socket directory mode"
    );
}

#[test]
fn a_live_daemon_is_refused_and_a_stale_socket_replaced() {
    let mut d = TestDaemon::start();
    let second = d.cmd().args(["daemon", "--no-model"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("already running"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert_eq!(d.status()["type"], "status", "the first one still serves");

    d.signal("KILL");
    d.wait();
    assert!(d.socket.exists(), "kill -9 leaves the socket behind");
    let gone = d.cmd().arg("status").output().unwrap();
    assert_eq!(gone.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&gone.stderr).contains("no mockint daemon is running"));
    d.spawn();
    assert_eq!(d.status()["session"], serde_json::Value::Null);
}

#[test]
fn something_else_at_the_socket_path_is_not_deleted() {
    let d = TestDaemon::start();
    let other = d.dir.path().join("not-a-socket");
    std::fs::write(&other, "precious").unwrap();
    let out = d
        .cmd()
        .env("MOCKINT_SOCKET", &other)
        .args(["daemon", "--no-model"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not a socket"), "{stderr}");
    assert_eq!(read(&other), "precious");
}

#[test]
fn the_systemd_unit_runs_a_real_mockint_command() {
    let unit =
        read(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/mockint.service"));
    let exec = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("an ExecStart line");
    let mut words = exec.split_whitespace();
    assert_eq!(words.next(), Some("mockint"), "{exec}");
    let args: Vec<&str> = words.collect();
    let out = std::process::Command::new(bin())
        .args(&args)
        .arg("--help")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "`mockint {}` is not a command",
        args.join(" ")
    );
    assert!(
        unit.contains("KillSignal=SIGTERM"),
        "stopped with SIGTERM, which saves the session"
    );
}

fn is_root() -> bool {
    mockint::daemon::current_uid() == 0
}

const NOBODY: u32 = 65534;

#[test]
fn another_user_is_refused_by_peer_credentials_even_through_an_open_socket() {
    if !is_root() {
        eprintln!("skipped: acting as another user needs root");
        return;
    }
    use std::os::unix::process::CommandExt;
    let d = TestDaemon::start();
    let open = |p: &std::path::Path, m| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap()
    };
    let as_nobody = || {
        let mut c = d.cmd();
        c.arg("status").uid(NOBODY).gid(NOBODY);
        c.output().unwrap()
    };
    // As set up, the directory and socket keep other users out.
    open(d.dir.path(), 0o755);
    let denied = as_nobody();
    assert_eq!(denied.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&denied.stderr).contains("Permission denied"));
    // Opened up by mistake, the daemon still checks who is connecting.
    open(d.socket.parent().unwrap(), 0o777);
    open(&d.socket, 0o777);
    let refused = as_nobody();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("serves only the user who started it"),
        "{stderr}"
    );
    assert_eq!(d.status()["type"], "status", "the owner is still served");
}

#[test]
fn a_socket_directory_made_by_another_user_is_refused() {
    if !is_root() {
        eprintln!("skipped: making another user's directory needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let squat = dir.path().join("mockint-squat");
    std::fs::create_dir(&squat).unwrap();
    std::os::unix::fs::chown(&squat, Some(NOBODY), Some(NOBODY)).unwrap();
    let out = std::process::Command::new(bin())
        .env("MOCKINT_SOCKET", squat.join("daemon.sock"))
        .args(["daemon", "--no-model"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("not a private directory of yours"),
        "{stderr}"
    );
    assert!(!squat.join("daemon.sock").exists());
}

fn one_line_error(out: &std::process::Output, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    for n in needles {
        assert!(stderr.contains(n), "{n:?} not in {stderr}");
    }
}

#[test]
fn commands_without_a_daemon_or_a_session_are_one_line_errors() {
    let mut d = TestDaemon::start();
    one_line_error(
        &d.cmd().arg("attach").output().unwrap(),
        &["no session is running"],
    );
    one_line_error(
        &d.cmd().arg("pause").output().unwrap(),
        &["no session is running"],
    );
    // A start the daemon rejects is reported like an in-process one, and
    // writes nothing.
    one_line_error(
        &d.cmd()
            .args(["start", "--round", "cobol", "--text"])
            .output()
            .unwrap(),
        &["cobol", "kubernetes"],
    );
    assert!(!d.sessions.exists());
    d.signal("TERM");
    d.wait();
    for cmd in ["status", "skip", "attach"] {
        one_line_error(
            &d.cmd().arg(cmd).output().unwrap(),
            &["no mockint daemon is running", "mockint daemon --detach"],
        );
    }
    one_line_error(
        &d.cmd().args(["daemon", "stop"]).output().unwrap(),
        &["no mockint daemon"],
    );
}

#[test]
fn a_detached_daemon_runs_in_the_background_until_daemon_stop() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("mockint/daemon.sock");
    let run = |args: &[&str]| {
        std::process::Command::new(bin())
            .env("MOCKINT_SOCKET", &socket)
            .args(args)
            .output()
            .unwrap()
    };
    let up = run(&["daemon", "--detach", "--no-model"]);
    let stdout = String::from_utf8_lossy(&up.stdout);
    assert!(
        up.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&up.stderr)
    );
    assert!(stdout.contains("mockint daemon running"), "{stdout}");
    let status = run(&["status"]);
    assert!(status.status.success());
    assert!(String::from_utf8_lossy(&status.stdout).contains("session: none running"));
    let log = socket.with_file_name("daemon.log");
    assert_eq!(
        std::fs::metadata(&log).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let down = run(&["daemon", "stop"]);
    assert!(down.status.success());
    assert!(!socket.exists(), "the socket is removed");
    assert_eq!(run(&["status"]).status.code(), Some(2));
}

#[test]
fn bench_daemon_reports_idle_memory_and_cpu_with_the_model_loaded() {
    let out = std::process::Command::new(bin())
        .args(["bench", "daemon", "--seconds", "2"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("idle with model tiny.en"), "{stdout}");
    let rss: f64 = stdout
        .lines()
        .find(|l| l.contains("resident memory"))
        .and_then(|l| l.split(':').nth(1))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no RSS figure in {stdout}"));
    assert!(
        rss > 10.0 && rss <= 300.0,
        "idle RSS {rss} MB with tiny.en loaded"
    );
    assert!(stdout.contains("CPU while idle over 2 s"), "{stdout}");
}
