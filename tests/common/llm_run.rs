//! Running `mockint start` against the LLM test server and reading back what
//! it recorded: shared by the LLM server tests.

use super::llm::API_KEY;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sessions")
        .join(name)
}

/// `mockint start --round kubernetes --out DIR/s` with a private sessions
/// folder and config, and the test key in the environment.
pub fn base_cmd(dir: &Path) -> Command {
    let mut c = super::isolated(&dir.join("sessions"));
    c.env("MOCKINT_LLM_API_KEY", API_KEY)
        .env("RUST_LOG", "debug")
        .args(["start", "--round", "kubernetes", "--out"])
        .arg(dir.join("s"));
    c
}

/// [`base_cmd`] with `--seed 7 --answers-from tests/fixtures/sessions/ANSWERS`.
pub fn session_cmd(dir: &Path, answers: &str, extra: &[&str]) -> Command {
    let mut c = base_cmd(dir);
    c.args(["--seed", "7", "--answers-from"])
        .arg(fixture(answers))
        .args(extra);
    c
}

pub struct Ran {
    pub out: Output,
    pub transcript: String,
    pub json: serde_json::Value,
    pub raw_json: String,
}

pub fn finish(dir: &Path, out: Output) -> Ran {
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

pub fn run(dir: &Path, answers: &str, extra: &[&str]) -> Ran {
    let out = session_cmd(dir, answers, extra).output().unwrap();
    finish(dir, out)
}

/// Every score in session.json: (question id, source, reason).
pub fn sources(r: &Ran) -> Vec<(String, String, Option<String>)> {
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
pub fn assert_marked(r: &Ran) -> Vec<(String, String, Option<String>)> {
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

pub fn assert_no_key(r: &Ran, dir: &Path) {
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

pub fn reasons(s: &[(String, String, Option<String>)]) -> Vec<String> {
    s.iter().filter_map(|(_, _, r)| r.clone()).collect()
}
