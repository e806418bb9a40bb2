//! `mockint start` / `mockint resume` end to end with typed and scripted
//! answers: golden transcript and debrief, nothing lost on kill -9, Ctrl-C,
//! and bad input.

mod common;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sessions")
        .join(name)
}

/// A command with a private sessions directory, so history never leaks in.
fn mockint(sessions: &Path) -> Command {
    common::isolated(sessions)
}

fn redact(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("Session `") {
            let parts: Vec<String> = line
                .split(" · ")
                .map(|p| {
                    if p.starts_with("Session `") {
                        "Session `[id]`".to_string()
                    } else if p.starts_with("started ") {
                        "started [time]".to_string()
                    } else {
                        p.to_string()
                    }
                })
                .collect();
            out.push_str(&parts.join(" · "));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

fn scripted_session(dir: &Path) -> std::process::Output {
    mockint(&dir.join("sessions"))
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
        .arg(dir.join("s"))
        .output()
        .unwrap()
}

#[test]
fn scripted_kubernetes_session_matches_the_golden_transcript_and_debrief() {
    let dir = tempfile::tempdir().unwrap();
    let out = scripted_session(dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let transcript = std::fs::read_to_string(dir.path().join("s/transcript.md")).unwrap();
    let debrief = std::fs::read_to_string(dir.path().join("s/debrief.md")).unwrap();
    insta::assert_snapshot!("kubernetes_transcript", redact(&transcript));
    insta::assert_snapshot!("kubernetes_debrief", redact(&debrief));
}

#[test]
fn session_json_holds_every_event_with_timestamps_and_every_score() {
    let dir = tempfile::tempdir().unwrap();
    assert!(scripted_session(dir.path()).status.success());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("s/session.json")).unwrap())
            .unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["finished"], true);
    let events = v["events"].as_array().unwrap();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    for k in [
        "started",
        "asked",
        "answer",
        "follow-up",
        "command",
        "scored",
        "skipped",
        "ended",
    ] {
        assert!(kinds.contains(&k), "no {k} event in {kinds:?}");
    }
    let mut last = 0;
    for e in events {
        let at = e["at"].as_u64().unwrap();
        assert!(at >= last, "events out of order");
        last = at;
    }
    let scores: Vec<u64> = events
        .iter()
        .filter(|e| e["event"] == "scored")
        .map(|e| e["score"]["rating"].as_u64().unwrap())
        .collect();
    assert_eq!(scores.len(), 4);
    assert!(scores.iter().all(|r| (1..=4).contains(r)));
    assert_eq!(v["plan"].as_array().unwrap().len(), 5);
}

use common::wait_for;

const FIRST: &str = "Cluster Autoscaler watches pending pods and grows the auto scaling group, Karpenter launches right sized EC2 instances directly and is faster. Fixed nodes risk no headroom when a node fails.";

#[test]
fn kill_dash_nine_loses_only_the_answer_in_progress_and_resume_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = dir.path().join("sessions");
    let out = dir.path().join("s");
    let mut child = mockint(&sessions)
        .args([
            "start",
            "--round",
            "kubernetes",
            "--seed",
            "7",
            "--text",
            "--out",
        ])
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{FIRST}\n").unwrap();
    wait_for(&out.join("session.json"), "Karpenter launches right sized");
    // Half an answer, never finished: this is what kill -9 may lose.
    writeln!(stdin, "Consolidation means the half-typed answer").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    Command::new("kill")
        .arg("-9")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    child.wait().unwrap();
    drop(stdin);

    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("session.json")).unwrap()).unwrap();
    assert_eq!(record["finished"], false);
    assert!(std::fs::read_to_string(out.join("transcript.md"))
        .unwrap()
        .contains("Karpenter launches right sized"));

    let rest = dir.path().join("rest.txt");
    std::fs::write(&rest, "Consolidation bin packs pods onto fewer nodes, and spot instances save up to ninety percent.\n\nend the interview\n").unwrap();
    let r = mockint(&sessions)
        .arg("resume")
        .arg(&out)
        .arg("--answers-from")
        .arg(&rest)
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let transcript = std::fs::read_to_string(out.join("transcript.md")).unwrap();
    assert!(
        transcript.contains("Karpenter launches right sized"),
        "answer before the kill kept"
    );
    assert!(
        transcript.contains("Consolidation bin packs"),
        "answer after resume added"
    );
    assert!(
        !transcript.contains("half-typed"),
        "the answer in progress was not recorded"
    );
    assert!(transcript.contains("End of interview (ended by the candidate)"));
    assert!(out.join("debrief.md").is_file());
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("session.json")).unwrap()).unwrap();
    assert_eq!(record["finished"], true);
}

#[test]
fn ctrl_c_ends_cleanly_with_a_partial_debrief() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s");
    let mut child = mockint(&dir.path().join("sessions"))
        .args([
            "start",
            "--round",
            "kubernetes",
            "--seed",
            "7",
            "--text",
            "--out",
        ])
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{FIRST}\n").unwrap();
    wait_for(&out.join("session.json"), "Karpenter launches right sized");
    Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "Ctrl-C is a clean exit, got {status}");
    let debrief = std::fs::read_to_string(out.join("debrief.md")).unwrap();
    assert!(debrief.contains("session not finished"), "{debrief}");
    assert!(
        debrief.contains("### Score Summary"),
        "the partial answer was scored: {debrief}"
    );
    drop(stdin);
}

fn expect_usage_error(args: &[&str], needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = mockint(&dir.path().join("sessions"))
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    for n in needles {
        assert!(lines[0].contains(n), "{n:?} not in {stderr}");
    }
    assert!(
        !dir.path().join("sessions").exists(),
        "nothing written on bad input"
    );
}

#[test]
fn unknown_round_lists_the_valid_ones() {
    expect_usage_error(
        &["start", "--round", "cobol", "--text"],
        &["cobol", "kubernetes", "terraform"],
    );
}

#[test]
fn unreadable_answers_file_is_named() {
    expect_usage_error(
        &[
            "start",
            "--round",
            "linux",
            "--answers-from",
            "/no/such/answers.txt",
        ],
        &["/no/such/answers.txt", "cannot read"],
    );
}

#[test]
fn unwritable_out_dir_is_named_before_the_session_starts() {
    let f = tempfile::NamedTempFile::new().unwrap();
    let bad = f.path().join("session");
    expect_usage_error(
        &[
            "start",
            "--round",
            "linux",
            "--text",
            "--out",
            bad.to_str().unwrap(),
        ],
        &[bad.to_str().unwrap(), "--out"],
    );
}

#[test]
fn no_mode_chosen_is_a_clear_error() {
    expect_usage_error(&["start", "--text"], &["--round", "full-loop", "drill"]);
    expect_usage_error(
        &["start", "--mode", "drill", "--text"],
        &["drill", "mockint start --round"],
    );
}

#[test]
fn a_missing_repo_is_named() {
    expect_usage_error(
        &[
            "start",
            "--round",
            "kubernetes",
            "--text",
            "--repo",
            "/no/such/repo",
        ],
        &["/no/such/repo"],
    );
}

/// A typed one-question Kubernetes session in `dir`, its folder `out`,
/// answers written to its standard input.
fn typed_session(dir: &Path, out: &Path) -> std::process::Child {
    mockint(&dir.join("sessions"))
        .args(["start", "--round", "kubernetes", "--seed", "7"])
        .args(["--questions", "1", "--text", "--no-daemon", "--out"])
        .arg(out)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// What a candidate says to a follow-up when they have nothing more: the
/// answer already given is graded, not thrown away or met with yet another
/// follow-up. Found typing and speaking sessions by hand (2026-12-07):
/// "skip" there skipped the whole question (its answer lost, "0 scored"),
/// and "I'm not sure." was graded as an answer ("sure" was a filler word,
/// so the "not sure" phrasings could never match).
#[test]
fn skip_or_not_sure_to_a_follow_up_grades_the_answer_given() {
    for reply in ["skip", "I'm not sure.", "Hmm, not sure."] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("s");
        let mut child = typed_session(dir.path(), &out);
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "{FIRST}\n").unwrap();
        wait_for(&out.join("session.json"), "\"event\": \"follow-up\"");
        writeln!(stdin, "{reply}\n").unwrap();
        drop(stdin);
        let done = child.wait_with_output().unwrap();
        assert!(done.status.success(), "{reply}");
        let r: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("session.json")).unwrap())
                .unwrap();
        let kinds: Vec<&str> = r["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["event"].as_str().unwrap())
            .collect();
        let count = |k: &str| kinds.iter().filter(|x| **x == k).count();
        assert_eq!(count("scored"), 1, "{reply}: {kinds:?}");
        assert_eq!(count("skipped"), 0, "{reply}: {kinds:?}");
        assert_eq!(count("follow-up"), 1, "{reply}: {kinds:?}");
        assert_eq!(
            count("answer"),
            1,
            "{reply}: the reply was graded: {kinds:?}"
        );
    }
}

/// A question back typed before the answer is answered and kept out of the
/// grade, and the transcript says so (it was graded as the answer until
/// 2026-12-07).
#[test]
fn a_typed_question_back_is_answered_not_graded() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s");
    let mut child = typed_session(dir.path(), &out);
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "Can I assume we're on EKS?\n\n{FIRST}\n").unwrap();
    drop(stdin);
    let done = child.wait_with_output().unwrap();
    let shown = String::from_utf8_lossy(&done.stdout);
    assert!(done.status.success(), "{shown}");
    assert!(shown.contains("Yes, that's fair"), "{shown}");
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("session.json")).unwrap()).unwrap();
    let answers: Vec<&str> = r["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "answer")
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert_eq!(answers, [FIRST.trim()], "{shown}");
    let transcript = std::fs::read_to_string(out.join("transcript.md")).unwrap();
    assert!(
        transcript.contains("(a question to the interviewer — not graded)")
            && transcript.contains("Can I assume we're on EKS?"),
        "{transcript}"
    );
}
