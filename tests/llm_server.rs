//! The LLM interviewer against a real OpenAI-compatible server (llama.cpp's
//! `llama-server` with SmolLM2-135M-Instruct on loopback): a whole session
//! whose transcript says which scores came from the model and which fell
//! back and why, and every fault — junk, a budget smaller than the model's
//! reply time, a wrong model name, an HTTP error, connection refused, the
//! server killed mid-request, an injection attempt — ending in a completed
//! session with nothing lost. The API key never appears in any output.

mod common;
use common::llm::{free_port, shared_url, LlamaServer, ALIAS};
use common::llm_run::{assert_marked, assert_no_key, finish, reasons, run, session_cmd};
use std::io::{BufRead, BufReader};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

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
