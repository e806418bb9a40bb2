//! The LLM interviewer where no real server is needed or wanted: settings
//! errors are one line with exit 2; `--offline` sends nothing and leaves the
//! transcript exactly as without a model; and, from a hand-written HTTP stub,
//! the replies a real llama-server cannot be made to produce (a grade with
//! rating 7 despite the schema, a body cut off mid-JSON) fall back.

mod common;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sessions")
        .join(name)
}

fn mockint(dir: &Path) -> Command {
    let mut c = common::isolated(&dir.join("sessions"));
    c.env("MOCKINT_CONFIG", dir.join("config.toml"));
    c
}

fn start(dir: &Path, out: &str, extra: &[&str]) -> Output {
    mockint(dir)
        .args([
            "start",
            "--round",
            "kubernetes",
            "--seed",
            "7",
            "--answers-from",
        ])
        .arg(fixture("kubernetes-answers.txt"))
        .arg("--out")
        .arg(dir.join(out))
        .args(extra)
        .output()
        .unwrap()
}

/// What the stub answers to a chat completion.
#[derive(Clone, Copy)]
enum Stub {
    RatingSeven,
    CutOff,
}

/// Serves `/v1/models` and `/v1/chat/completions` on loopback; counts connections.
fn stub(kind: Stub) -> (String, Arc<AtomicUsize>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", l.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    std::thread::spawn(move || {
        for conn in l.incoming() {
            let Ok(mut s) = conn else { continue };
            h.fetch_add(1, Ordering::SeqCst);
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut first = String::new();
            let _ = r.read_line(&mut first);
            let mut len = 0usize;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0u8; len];
            let _ = r.read_exact(&mut body);
            let reply = if first.contains("/models") {
                r#"{"object":"list","data":[{"id":"stub"}]}"#.to_string()
            } else {
                let content = r#"{\"rating\":7,\"tech_justification\":2,\"strengths\":[\"Named the parts.\"],\"gaps\":[\"No trade-offs.\"],\"key_point\":\"Say why it fits.\"}"#;
                format!(
                    r#"{{"choices":[{{"index":0,"message":{{"role":"assistant","content":"{content}"}},"finish_reason":"stop"}}]}}"#
                )
            };
            match (kind, first.contains("/models")) {
                (Stub::CutOff, false) => {
                    let cut = &reply[..reply.len() / 2];
                    let _ = write!(
                        s,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{cut}",
                        reply.len()
                    );
                }
                _ => {
                    let _ = write!(
                        s,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                        reply.len()
                    );
                }
            }
            let _ = s.flush();
        }
    });
    (url, hits)
}

fn fallback_reasons(dir: &Path, out: &str) -> Vec<String> {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(out).join("session.json")).unwrap())
            .unwrap();
    assert_eq!(v["finished"], true);
    v["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "scored")
        .map(|e| {
            assert_eq!(e["score"]["llm"]["source"], "offline-fallback", "{e}");
            e["score"]["llm"]["reason"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn a_rating_out_of_range_falls_back() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _) = stub(Stub::RatingSeven);
    let out = start(dir.path(), "s", &["--llm", &url]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reasons = fallback_reasons(dir.path(), "s");
    assert_eq!(reasons.len(), 4);
    for r in &reasons {
        assert_eq!(r, "rating 7 out of range 1–4");
    }
    let t = std::fs::read_to_string(dir.path().join("s/transcript.md")).unwrap();
    assert_eq!(
        t.matches("Scored by: offline fallback: rating 7 out of range 1–4")
            .count(),
        4
    );
}

#[test]
fn a_reply_cut_off_mid_json_falls_back() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _) = stub(Stub::CutOff);
    let out = start(dir.path(), "s", &["--llm", &url, "--llm-budget", "5"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reasons = fallback_reasons(dir.path(), "s");
    assert_eq!(reasons.len(), 4);
    for r in &reasons {
        assert!(
            r.contains("closed mid-reply") || r.contains("cut short"),
            "{r}"
        );
    }
}

fn redact_header(t: &str) -> String {
    t.lines()
        .map(|l| {
            if l.starts_with("Session `") {
                "Session [header]"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn offline_sends_nothing_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (url, hits) = stub(Stub::RatingSeven);
    let plain = start(dir.path(), "plain", &[]);
    assert!(plain.status.success());
    // An endpoint configured by environment and by config file is ignored.
    std::fs::write(
        dir.path().join("config.toml"),
        format!("[llm]\nurl = \"{url}\"\nmodel = \"stub\"\n"),
    )
    .unwrap();
    let out = mockint(dir.path())
        .env("MOCKINT_LLM_URL", &url)
        .args([
            "start",
            "--round",
            "kubernetes",
            "--seed",
            "7",
            "--offline",
            "--answers-from",
        ])
        .arg(fixture("kubernetes-answers.txt"))
        .arg("--out")
        .arg(dir.path().join("off"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "--offline reached the network"
    );
    let a = std::fs::read_to_string(dir.path().join("plain/transcript.md")).unwrap();
    let b = std::fs::read_to_string(dir.path().join("off/transcript.md")).unwrap();
    assert_eq!(redact_header(&a), redact_header(&b));
    assert!(b.contains("scorer: offline\n"));
    let json = std::fs::read_to_string(dir.path().join("off/session.json")).unwrap();
    assert!(!json.contains("\"llm\""));
    // Without --offline the config file's endpoint is used.
    let out = start(dir.path(), "cfg", &[]);
    assert!(out.status.success());
    assert!(
        hits.load(Ordering::SeqCst) > 0,
        "the config file's endpoint was not used"
    );
}

fn one_line_error(args: &[&str], config: Option<&str>, want: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    if let Some(c) = config {
        std::fs::write(dir.path().join("config.toml"), c).unwrap();
    }
    let out = start(dir.path(), "s", args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "not one line: {err}");
    for w in want {
        assert!(err.contains(w), "{w:?} missing from {err}");
    }
    assert!(
        !dir.path().join("s/session.json").exists(),
        "a session was started"
    );
}

#[test]
fn bad_llm_settings_are_one_line_errors_with_exit_2() {
    one_line_error(
        &["--llm", "localhost:8080"],
        None,
        &["LLM URL 'localhost:8080'", "--llm http://"],
    );
    one_line_error(
        &["--llm", "http://127.0.0.1:1/v1", "--llm-budget", "0"],
        None,
        &["LLM budget 0 s"],
    );
    one_line_error(
        &[],
        Some("[llm]\nurl = \"http://127.0.0.1:1/v1\"\napi_key = \"sk-in-a-file-123\"\n"),
        &["config.toml", "api_key", "MOCKINT_LLM_API_KEY"],
    );
}

#[test]
fn offline_and_llm_together_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = start(
        dir.path(),
        "s",
        &["--offline", "--llm", "http://127.0.0.1:1/v1"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--offline") && err.contains("--llm"), "{err}");
}
