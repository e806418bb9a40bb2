//! The LLM interviewer against the real test server, continued: `doctor`'s
//! check of the endpoint, resume replaying the model's recorded results,
//! repo-grounded questions, and piped answers that end during a review.

mod common;
use common::llm::{shared_url, ALIAS, API_KEY};
use common::llm_run::{base_cmd, fixture, sources, Ran};
use std::path::Path;
use std::process::{Command, Stdio};

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
