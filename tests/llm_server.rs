//! The LLM interviewer against a real OpenAI-compatible server (llama.cpp's
//! `llama-server` with SmolLM2-135M-Instruct on loopback): a whole session
//! whose transcript says which scores came from the model and which fell
//! back and why, and every fault — junk, a budget smaller than the model's
//! reply time, a wrong model name, an HTTP error, connection refused, the
//! server killed mid-request, an injection attempt — ending in a completed
//! session with nothing lost. The API key never appears in any output.

mod common;
use common::llm::{free_port, shared_url, LlamaServer, ALIAS, API_KEY};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sessions")
        .join(name)
}

/// `mockint start --round kubernetes --out DIR/s` with a private sessions
/// folder and config, and the test key in the environment.
fn base_cmd(dir: &Path) -> Command {
    let mut c = common::isolated(&dir.join("sessions"));
    c.env("MOCKINT_LLM_API_KEY", API_KEY)
        .env("RUST_LOG", "debug")
        .args(["start", "--round", "kubernetes", "--out"])
        .arg(dir.join("s"));
    c
}

/// [`base_cmd`] with `--seed 7 --answers-from tests/fixtures/sessions/ANSWERS`.
fn session_cmd(dir: &Path, answers: &str, extra: &[&str]) -> Command {
    let mut c = base_cmd(dir);
    c.args(["--seed", "7", "--answers-from"])
        .arg(fixture(answers))
        .args(extra);
    c
}

struct Ran {
    out: Output,
    transcript: String,
    json: serde_json::Value,
    raw_json: String,
}

fn finish(dir: &Path, out: Output) -> Ran {
    assert!(
        out.status.success(),
        "session failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let transcript = std::fs::read_to_string(dir.join("s/transcript.md")).unwrap();
    let raw_json = std::fs::read_to_string(dir.join("s/session.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&raw_json).unwrap();
    assert_eq!(json["finished"], true, "the session did not finish");
    assert!(dir.join("s/debrief.md").is_file(), "no debrief");
    Ran {
        out,
        transcript,
        json,
        raw_json,
    }
}

fn run(dir: &Path, answers: &str, extra: &[&str]) -> Ran {
    let out = session_cmd(dir, answers, extra).output().unwrap();
    finish(dir, out)
}

/// Every score in session.json: (question id, source, reason).
fn sources(r: &Ran) -> Vec<(String, String, Option<String>)> {
    r.json["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "scored")
        .map(|e| {
            let n = &e["score"]["llm"];
            assert!(n.is_object(), "a score without its source: {e}");
            (
                e["score"]["question_id"].as_str().unwrap().to_string(),
                n["source"].as_str().unwrap().to_string(),
                n["reason"].as_str().map(str::to_string),
            )
        })
        .collect()
}

/// Every score is marked in the transcript, as many as were recorded.
fn assert_marked(r: &Ran) -> Vec<(String, String, Option<String>)> {
    let s = sources(r);
    assert_eq!(s.len(), 4, "the scripted session scores four answers");
    let blocks = r.transcript.matches("### Score:").count();
    let marks = r.transcript.matches("Scored by: ").count();
    assert_eq!(blocks, 4);
    assert_eq!(marks, blocks, "every score block says who scored it");
    for (_, source, reason) in &s {
        match source.as_str() {
            "model" => assert!(reason.is_none()),
            "offline-fallback" => {
                let why = reason.as_deref().expect("a fallback names its reason");
                assert!(
                    r.transcript
                        .contains(&format!("Scored by: offline fallback: {why}")),
                    "transcript lacks the reason {why:?}"
                );
            }
            other => panic!("unknown source {other}"),
        }
    }
    s
}

fn assert_no_key(r: &Ran, dir: &Path) {
    let debrief = std::fs::read_to_string(dir.join("s/debrief.md")).unwrap();
    for (what, text) in [
        ("transcript.md", r.transcript.as_str()),
        ("session.json", r.raw_json.as_str()),
        ("debrief.md", debrief.as_str()),
        ("stdout", &String::from_utf8_lossy(&r.out.stdout)),
        ("stderr", &String::from_utf8_lossy(&r.out.stderr)),
    ] {
        assert!(!text.contains(API_KEY), "the API key leaked into {what}");
    }
}

fn reasons(s: &[(String, String, Option<String>)]) -> Vec<String> {
    s.iter().filter_map(|(_, _, r)| r.clone()).collect()
}

#[test]
fn llm_session_against_llama_server_marks_model_and_fallback_scores() {
    let url = shared_url();
    let dir = tempfile::tempdir().unwrap();
    let r = run(
        dir.path(),
        "kubernetes-answers.txt",
        &[
            "--text",
            "--llm",
            &url,
            "--llm-model",
            ALIAS,
            "--llm-budget",
            "120",
        ],
    );
    let s = assert_marked(&r);
    // The model was reached: the record names it and every use is logged.
    let llm = &r.json["llm"];
    assert_eq!(llm["model"], ALIAS);
    assert_eq!(llm["endpoint"], url.as_str());
    let log = llm["log"].as_array().unwrap();
    let grades = log.iter().filter(|e| e["use"] == "grade").count();
    assert_eq!(grades, 4, "one grading call per score: {log:?}");
    assert!(log.iter().any(|e| e["use"] == "follow-up"));
    for e in log {
        let o = e["outcome"].as_str().unwrap();
        assert!(["grade", "text", "fallback"].contains(&o), "{e}");
        if o == "fallback" {
            let why = e["reason"].as_str().unwrap();
            // The server was reached and answered (a loaded machine may
            // still run past the budget; that falls back too).
            assert!(!why.starts_with("cannot reach"), "{why}");
            assert!(!why.starts_with("HTTP "), "{why}");
        }
    }
    assert!(r
        .transcript
        .contains(&format!("scorer: model `{ALIAS}` at {url}")));
    let follow_ups = r.transcript.matches("**Follow-up:**").count();
    let noted = r.transcript.matches("*(phrased by the model)*").count()
        + r.transcript
            .matches("*(from the bank — offline fallback: ")
            .count();
    assert_eq!(follow_ups, noted, "every follow-up says where it came from");
    eprintln!("sources: {s:?}");
    assert_no_key(&r, dir.path());
}

#[test]
fn junk_from_the_tiny_model_falls_back_with_the_reason() {
    let url = shared_url();
    let dir = tempfile::tempdir().unwrap();
    // Three tokens cannot hold a grade: the server stops mid-JSON.
    let out = session_cmd(
        dir.path(),
        "kubernetes-answers.txt",
        &["--llm", &url, "--llm-model", ALIAS],
    )
    .env("MOCKINT_LLM_MAX_TOKENS", "3")
    .output()
    .unwrap();
    let r = finish(dir.path(), out);
    let s = assert_marked(&r);
    for (_, source, reason) in &s {
        assert_eq!(source, "offline-fallback");
        let why = reason.as_deref().unwrap();
        assert!(
            why == "reply truncated at the token limit" || why.starts_with("invalid JSON"),
            "{why}"
        );
    }
}

#[test]
fn a_budget_smaller_than_the_models_reply_time_falls_back_in_time() {
    let url = shared_url();
    let dir = tempfile::tempdir().unwrap();
    let t0 = Instant::now();
    let r = run(
        dir.path(),
        "kubernetes-answers.txt",
        &["--llm", &url, "--llm-model", ALIAS, "--llm-budget", "0.02"],
    );
    let took = t0.elapsed();
    let s = assert_marked(&r);
    for why in reasons(&s) {
        assert_eq!(why, "no reply within the 20 ms budget");
    }
    assert_eq!(reasons(&s).len(), 4);
    let waited: u64 = r.json["llm"]["log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["ms"].as_u64().unwrap())
        .max()
        .unwrap();
    assert!(waited < 500, "one use waited {waited} ms on a 20-ms budget");
    assert!(took < Duration::from_secs(30), "session took {took:?}");
}

#[test]
fn a_wrong_model_name_falls_back_naming_the_model() {
    let url = shared_url();
    let dir = tempfile::tempdir().unwrap();
    let r = run(
        dir.path(),
        "kubernetes-answers.txt",
        &["--llm", &url, "--llm-model", "no-such-model"],
    );
    let s = assert_marked(&r);
    for why in reasons(&s) {
        assert!(
            why.contains("model `no-such-model` is not served") && why.contains(ALIAS),
            "{why}"
        );
    }
    assert_eq!(reasons(&s).len(), 4);
}

#[test]
fn an_http_error_falls_back_and_a_wrong_key_never_shows() {
    let url = shared_url();
    let dir = tempfile::tempdir().unwrap();
    let wrong = "sk-wrong-key-ABC987zz";
    let out = session_cmd(
        dir.path(),
        "kubernetes-answers.txt",
        &["--llm", &url, "--llm-model", ALIAS],
    )
    .env("MOCKINT_LLM_API_KEY", wrong)
    .output()
    .unwrap();
    let r = finish(dir.path(), out);
    let s = assert_marked(&r);
    for why in reasons(&s) {
        assert!(why.starts_with("HTTP 401 from "), "{why}");
    }
    assert_eq!(reasons(&s).len(), 4);
    for text in [
        r.transcript.as_str(),
        r.raw_json.as_str(),
        &String::from_utf8_lossy(&r.out.stderr),
    ] {
        assert!(!text.contains(wrong));
    }
}

#[test]
fn connection_refused_falls_back() {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{port}/v1");
    let r = run(
        dir.path(),
        "kubernetes-answers.txt",
        &["--llm", &url, "--llm-model", ALIAS, "--llm-budget", "5"],
    );
    let s = assert_marked(&r);
    for why in reasons(&s) {
        assert!(
            why.starts_with(&format!("cannot reach {url}: connection failed")),
            "{why}"
        );
    }
    assert_eq!(reasons(&s).len(), 4);
}

#[test]
fn server_killed_mid_request_the_session_completes_with_nothing_lost() {
    let mut server = LlamaServer::start();
    let url = server.url();
    let dir = tempfile::tempdir().unwrap();
    let mut child = session_cmd(
        dir.path(),
        "kubernetes-answers.txt",
        &["--llm", &url, "--llm-model", ALIAS, "--llm-budget", "60"],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    // The first answer is echoed just before the model is asked about it.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "no answer echoed: {seen}"
        );
        seen.push_str(&line);
        if line.starts_with("> Cluster Autoscaler") {
            break;
        }
    }
    std::thread::sleep(Duration::from_millis(300));
    server.kill();
    let rest = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    let _ = std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr);
    let stdout = seen + &rest.join().unwrap();
    let r = finish(
        dir.path(),
        Output {
            status,
            stdout: stdout.into_bytes(),
            stderr: stderr.into_bytes(),
        },
    );
    let s = assert_marked(&r);
    let log = r.json["llm"]["log"].as_array().unwrap().clone();
    let first = log[0]["reason"].as_str().unwrap_or_default().to_string();
    assert!(
        first.starts_with(&format!("cannot reach {url}")),
        "the request in flight failed with {first:?}"
    );
    for why in reasons(&s) {
        assert!(why.starts_with(&format!("cannot reach {url}")), "{why}");
    }
    assert_eq!(reasons(&s).len(), 4);
    // Nothing lost: every answer of the script is in the record.
    let answers = r.json["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "answer")
        .count();
    assert!(answers >= 6, "answers lost: {answers}");
    assert_no_key(&r, dir.path());
}

#[test]
fn a_prompt_injection_in_an_answer_is_refused() {
    let url = shared_url();
    let dir = tempfile::tempdir().unwrap();
    let r = run(
        dir.path(),
        "kubernetes-injection.txt",
        &["--llm", &url, "--llm-model", ALIAS, "--llm-budget", "120"],
    );
    let s = assert_marked(&r);
    let (q1, source, why) = &s[0];
    assert_eq!(q1, r.json["plan"][0]["question"]["id"].as_str().unwrap());
    assert_eq!(source, "offline-fallback");
    assert!(
        why.as_deref()
            .unwrap()
            .starts_with("prompt-injection attempt in the answer"),
        "{why:?}"
    );
    // The offline grade stands: the answer dictated 4, it does not get it.
    let rating = r.json["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "scored")
        .unwrap()["score"]["rating"]
        .as_u64()
        .unwrap();
    assert!(rating < 4);
}

#[test]
fn doctor_checks_the_endpoint_and_the_model() {
    let url = shared_url();
    let doctor = |model: &str| {
        let out = Command::new(assert_cmd::cargo::cargo_bin("mockint"))
            .env("MOCKINT_CONFIG", "/nonexistent/mockint.toml")
            .env("MOCKINT_LLM_API_KEY", API_KEY)
            .args([
                "doctor",
                "--llm",
                &url,
                "--llm-model",
                model,
                "--llm-budget",
                "120",
            ])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        text.lines()
            .find(|l| l.contains("LLM interviewer"))
            .unwrap_or_else(|| panic!("no LLM line in {text}"))
            .to_string()
    };
    let ok = doctor(ALIAS);
    assert!(
        ok.starts_with(&format!("✓ LLM interviewer: {url} serves `{ALIAS}`")),
        "{ok}"
    );
    let bad = doctor("no-such-model");
    assert!(
        bad.starts_with("✗ LLM interviewer: model `no-such-model` is not served"),
        "{bad}"
    );
    assert!(!bad.contains(API_KEY) && !ok.contains(API_KEY));
}

#[test]
fn resume_replays_recorded_model_results_instead_of_asking_again() {
    let url = shared_url();
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("kubernetes-answers.txt")).unwrap();
    let blocks: Vec<&str> = text
        .split("\n\n")
        .filter(|b| {
            b.lines()
                .any(|l| !l.trim().is_empty() && !l.starts_with('#'))
        })
        .collect();
    let first = dir.path().join("first.txt");
    let rest = dir.path().join("rest.txt");
    std::fs::write(&first, blocks[..2].join("\n\n")).unwrap();
    std::fs::write(&rest, blocks[2..].join("\n\n")).unwrap();
    let llm = [
        "--llm",
        url.as_str(),
        "--llm-model",
        ALIAS,
        "--llm-budget",
        "120",
    ];
    let out = base_cmd(dir.path())
        .args(["--seed", "7"])
        .args(llm)
        .arg("--answers-from")
        .arg(&first)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read = || -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("s/session.json")).unwrap())
            .unwrap()
    };
    let before = read()["llm"]["log"].as_array().unwrap().clone();
    assert!(!before.is_empty(), "the first half used the model");
    let out = Command::new(assert_cmd::cargo::cargo_bin("mockint"))
        .env("MOCKINT_SESSIONS_DIR", dir.path().join("sessions"))
        .env("MOCKINT_CONFIG", dir.path().join("no-config.toml"))
        .env("MOCKINT_LLM_API_KEY", API_KEY)
        .arg("resume")
        .arg(dir.path().join("s"))
        .arg("--answers-from")
        .arg(&rest)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = read();
    assert_eq!(after["finished"], true);
    let log = after["llm"]["log"].as_array().unwrap();
    assert_eq!(
        &log[..before.len()],
        &before[..],
        "recorded outcomes were rewritten"
    );
    let mut keys: Vec<String> = log
        .iter()
        .map(|e| format!("{} {} {}", e["use"], e["question_id"], e["input"]))
        .collect();
    let n = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n, "the replay asked the model again: {log:?}");
    assert_eq!(
        sources(&Ran {
            out,
            transcript: String::new(),
            json: after.clone(),
            raw_json: String::new(),
        })
        .len(),
        4
    );
}

#[test]
fn repo_grounded_questions_are_phrased_from_the_findings_or_kept() {
    let url = shared_url();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("a.txt");
    std::fs::write(
        &script,
        "My node group is fixed at three t3a medium nodes because load is predictable.\n\nend the interview\n",
    )
    .unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repos/cowsay3d-infra");
    let out = base_cmd(dir.path())
        .args(["--questions", "3", "--seed", "1", "--repo"])
        .arg(&repo)
        .args(["--answers-from"])
        .arg(&script)
        .args(["--llm", &url, "--llm-model", ALIAS, "--llm-budget", "120"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let notes: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("Question repo-"))
        .collect();
    assert!(
        !notes.is_empty(),
        "no grounded question was phrased: {stdout}"
    );
    for n in &notes {
        assert!(
            n.ends_with("(phrased by the model)") || n.contains("(offline fallback: "),
            "{n}"
        );
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("s/session.json")).unwrap())
            .unwrap();
    let rephrased = json["llm"]["log"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["use"] == "rephrase")
        .count();
    assert_eq!(rephrased, notes.len());
    // Phrased or not, the question still quotes the candidate's file.
    let transcript = std::fs::read_to_string(dir.path().join("s/transcript.md")).unwrap();
    assert!(transcript.contains("`modules/eks/main.tf`"), "{transcript}");
}

/// Piped answers that run out while the model reviews the last one: the
/// review is waited for and recorded (end of input is not Ctrl-C).
#[test]
fn piped_answers_that_end_during_the_review_keep_the_models_verdict() {
    use std::io::Write;
    let url = shared_url();
    let dir = tempfile::tempdir().unwrap();
    let mut c = base_cmd(dir.path());
    c.args(["--seed", "7", "--questions", "2", "--text", "--llm", &url])
        .args(["--llm-model", ALIAS, "--llm-budget", "120"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    // An answer with nothing to follow up: straight to the review; then EOF.
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"I don't know.\n\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("s/session.json")).unwrap())
            .unwrap();
    let scored: Vec<&serde_json::Value> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "scored")
        .collect();
    assert_eq!(scored.len(), 1, "{json}");
    let note = &scored[0]["score"]["llm"];
    assert!(
        note.is_object(),
        "the model's review (or its fallback, with the reason) is on the score: {}",
        scored[0]
    );
    let log = json["llm"]["log"].as_array().unwrap();
    assert!(log.iter().any(|e| e["use"] == "grade"), "{log:?}");
    assert!(dir.path().join("s/debrief.md").is_file());
}
