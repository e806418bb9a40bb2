//! A real OpenAI-compatible server for the LLM interviewer's tests:
//! llama.cpp's `llama-server` with SmolLM2-135M-Instruct, both installed in
//! the cache by `scripts/setup-llm.sh` (run by `scripts/test.sh`), on a free
//! loopback port. The server dies with the test process (PR_SET_PDEATHSIG).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The model name the test servers serve.
pub const ALIAS: &str = "smollm2";
/// The API key the test servers require (never to appear in any output).
pub const API_KEY: &str = "sk-mockint-test-KEY-7f3a9c";

fn llm_dir() -> PathBuf {
    mockint::models::store::cache_dir().join("llm")
}

pub fn server_binary() -> PathBuf {
    let p = llm_dir().join("bin/llama-server");
    assert!(
        p.is_file(),
        "{} missing: run scripts/setup-llm.sh (builds llama-server; scripts/test.sh runs it) before the tests",
        p.display()
    );
    p
}

pub fn model_file() -> PathBuf {
    let p = llm_dir().join("models/SmolLM2-135M-Instruct.Q4_1.gguf");
    assert!(
        p.is_file(),
        "{} missing: run scripts/setup-llm.sh (installs the model; scripts/test.sh runs it) before the tests",
        p.display()
    );
    p
}

/// A loopback port nothing listens on (at the moment of asking).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A minimal GET on loopback: the status code, or None if unreachable.
pub fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).ok()?;
    let head = String::from_utf8_lossy(&buf[..n]);
    head.split_whitespace().nth(1)?.parse().ok()
}

pub struct LlamaServer {
    pub port: u16,
    child: Child,
}

fn spawn(port: u16) -> Child {
    let mut cmd = Command::new(server_binary());
    cmd.arg("-m")
        .arg(model_file())
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--alias", ALIAS, "--api-key", API_KEY])
        .args(["-t", "1", "-c", "4096", "-np", "2", "--no-webui"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: prctl is async-signal-safe; it only sets this child's death signal.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    cmd.spawn().expect("start llama-server")
}

fn wait_healthy(port: u16, child: &mut Child) {
    let t0 = Instant::now();
    while http_status(port, "/health") != Some(200) {
        if let Ok(Some(st)) = child.try_wait() {
            panic!("llama-server exited during start-up ({st})");
        }
        assert!(
            t0.elapsed() < Duration::from_secs(120),
            "llama-server did not become healthy on port {port} in 120 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

impl LlamaServer {
    /// A server of this test's own (for tests that kill it). Dies with the
    /// thread that started it.
    pub fn start() -> LlamaServer {
        let port = free_port();
        let mut child = spawn(port);
        wait_healthy(port, &mut child);
        LlamaServer { port, child }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    /// SIGKILL, as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for LlamaServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One server shared by every test of the binary: started once, by a thread
/// that never ends, so it lives until the test process exits (and then dies
/// with it). Returns the base URL.
pub fn shared_url() -> String {
    static PORT: OnceLock<u16> = OnceLock::new();
    let port = *PORT.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let port = free_port();
            let mut child = spawn(port);
            wait_healthy(port, &mut child);
            tx.send(port).unwrap();
            let _child = child;
            loop {
                std::thread::park();
            }
        });
        rx.recv().expect("shared llama-server failed to start")
    });
    format!("http://127.0.0.1:{port}/v1")
}
