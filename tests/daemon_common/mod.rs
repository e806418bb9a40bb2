//! A real `mockint daemon` on a private socket and sessions folder for each
//! test, with helpers to speak the protocol raw and to run the CLI against it.
#![allow(dead_code)]

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const FIRST: &str = "Cluster Autoscaler watches pending pods and grows the auto scaling group, Karpenter launches right sized EC2 instances directly and is faster. Fixed nodes risk no headroom when a node fails.";

pub fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("mockint")
}

pub struct TestDaemon {
    pub child: Option<Child>,
    pub dir: tempfile::TempDir,
    pub socket: PathBuf,
    pub sessions: PathBuf,
    extra: Vec<String>,
    env: Vec<(&'static str, PathBuf)>,
}

impl TestDaemon {
    /// A daemon without the model (typed sessions need none; faster).
    pub fn start() -> TestDaemon {
        Self::start_with(&["--no-model"])
    }

    pub fn start_with(args: &[&str]) -> TestDaemon {
        Self::start_env(args, Vec::new())
    }

    /// With extra environment for the daemon (e.g. a virtual audio server).
    pub fn start_env(args: &[&str], env: Vec<(&'static str, PathBuf)>) -> TestDaemon {
        let dir = tempfile::Builder::new()
            .prefix("mockint-daemon")
            .tempdir()
            .unwrap();
        let socket = dir.path().join("run/daemon.sock");
        let sessions = dir.path().join("sessions");
        let mut d = TestDaemon {
            child: None,
            dir,
            socket,
            sessions,
            extra: args.iter().map(|s| s.to_string()).collect(),
            env,
        };
        d.spawn();
        d
    }

    /// Starts (or restarts) the daemon process and waits until it answers.
    pub fn spawn(&mut self) {
        let child = self
            .cmd()
            .arg("daemon")
            .args(&self.extra)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
        let t0 = Instant::now();
        loop {
            if let Ok(mut s) = UnixStream::connect(&self.socket) {
                s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
                if writeln!(s, r#"{{"v":1,"cmd":"status"}}"#).is_ok() {
                    let mut line = String::new();
                    if BufReader::new(&s).read_line(&mut line).is_ok() && line.contains("status") {
                        return;
                    }
                }
            }
            assert!(
                t0.elapsed() < Duration::from_secs(60),
                "the daemon did not come up"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    /// `mockint` pointed at this daemon and sessions folder.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(bin());
        c.env("MOCKINT_SOCKET", &self.socket)
            .env("MOCKINT_SESSIONS_DIR", &self.sessions)
            .env_remove("RUST_LOG");
        c
    }

    pub fn connect(&self) -> Conn {
        let s = UnixStream::connect(&self.socket).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        Conn {
            reader: BufReader::new(s.try_clone().unwrap()),
            stream: s,
        }
    }

    /// One request on a fresh connection, one reply.
    pub fn request(&self, line: &str) -> Value {
        let mut c = self.connect();
        c.send(line);
        c.recv().expect("a reply")
    }

    pub fn status(&self) -> Value {
        let v = self.request(r#"{"v":1,"cmd":"status"}"#);
        assert_eq!(v["type"], "status", "{v}");
        v
    }

    /// Starts a typed Kubernetes session (seed 7) in folder `name`.
    pub fn start_typed(&self, name: &str) -> PathBuf {
        let out = self.dir.path().join(name);
        let req = serde_json::json!({
            "v": 1, "cmd": "start",
            "spec": typed_spec(&out),
        });
        let v = self.request(&req.to_string());
        assert_eq!(v["type"], "started", "{v}");
        out
    }

    pub fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(self.pid().to_string())
            .status()
            .unwrap();
        assert!(ok.success());
    }

    /// Waits for the daemon process to exit; its exit status.
    pub fn wait(&mut self) -> std::process::ExitStatus {
        self.child.take().unwrap().wait().unwrap()
    }
}

impl Drop for TestDaemon {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

pub struct Conn {
    pub stream: UnixStream,
    reader: BufReader<UnixStream>,
}

impl Conn {
    pub fn send(&mut self, line: &str) {
        writeln!(self.stream, "{line}").unwrap();
    }

    /// The next reply, or `None` when the daemon closed the connection.
    pub fn recv(&mut self) -> Option<Value> {
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(serde_json::from_str(&line).expect("a JSON reply")),
        }
    }
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn record(dir: &Path) -> Value {
    serde_json::from_str(&read(&dir.join("session.json"))).unwrap()
}

pub fn event_kinds(dir: &Path) -> Vec<String> {
    record(dir)["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_string())
        .collect()
}

/// A typed Kubernetes session (seed 7, five questions) in `out`, as the
/// client sends it: the session spec, plain data.
pub fn typed_spec(out: &std::path::Path) -> Value {
    serde_json::json!({
        "round": "kubernetes", "mode": null, "questions": 5, "per_round": 2,
        "seed": 7, "input": {"kind": "typed"}, "out": out,
        "silence_timeout": null, "repo": null, "llm": {}, "bank": null
    })
}
