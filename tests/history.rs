//! `mockint history` over fixture sessions written by the current schema
//! (v1): the list, per-round sparklines, the SVG chart, a truncated session
//! reported in one line with what could be read, and the drill planner
//! reading the same sessions through the same reader.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sessions/history")
}

/// A private copy of the fixture sessions (history writes its chart there).
fn sessions_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(fixtures()).unwrap() {
        let e = e.unwrap();
        let to = tmp.path().join(e.file_name());
        std::fs::create_dir_all(&to).unwrap();
        std::fs::copy(e.path().join("session.json"), to.join("session.json")).unwrap();
    }
    tmp
}

fn mockint(sessions: &Path) -> Command {
    common::isolated(sessions)
}

fn redact(text: &str, dir: &Path) -> String {
    text.replace(&dir.display().to_string(), "[sessions]")
}

#[test]
fn history_lists_sessions_with_round_trends_and_writes_the_chart() {
    let tmp = sessions_copy();
    let out = mockint(tmp.path()).arg("history").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    insta::assert_snapshot!("history_fixture_sessions", redact(&stdout, tmp.path()));
    let svg = tmp
        .path()
        .join("2026-11-23T08-00-40-kubernetes/progress.svg");
    let svg = std::fs::read_to_string(&svg).expect("chart beside the latest debrief");
    // kubernetes (two sessions) and behavioral (one): a line each, a dot per point.
    assert_eq!(svg.matches("<polyline").count(), 2, "{svg}");
    assert_eq!(svg.matches("<circle").count(), 3, "{svg}");
    assert!(svg.contains("mockint: average rating per round across 3 sessions"));
}

#[test]
fn truncated_session_is_named_with_what_could_be_read_and_others_still_listed() {
    let tmp = sessions_copy();
    let out = mockint(tmp.path())
        .args(["history", "--no-svg"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let bad: Vec<&str> = stdout.lines().filter(|l| l.starts_with('✗')).collect();
    assert_eq!(bad.len(), 1, "{stdout}");
    let line = bad[0];
    assert!(
        line.contains("2026-11-22T07-15-00-behavioral/session.json"),
        "{line}"
    );
    assert!(line.contains("truncated"), "{line}");
    assert!(
        line.contains("id 2026-11-22T07-15-00-behavioral") && line.contains("mode behavioral"),
        "{line}"
    );
    assert!(line.contains("1 score (3)"), "{line}");
    // The three readable sessions are still there.
    assert_eq!(stdout.matches(" / 4.0  ").count(), 3, "{stdout}");
}

#[test]
fn v1_sessions_written_by_the_current_code_still_read() {
    for name in [
        "2026-11-20T18-02-11-kubernetes",
        "2026-11-21T19-30-05-behavioral",
        "2026-11-23T08-00-40-kubernetes",
    ] {
        let d = mockint::transcript::SessionDir::open(&fixtures().join(name));
        let r = d.load().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(r.schema_version, 1);
        assert!(!r.scores().is_empty(), "{name}");
    }
}

#[test]
fn resume_of_a_truncated_session_is_one_clear_line() {
    let tmp = sessions_copy();
    let out = mockint(tmp.path())
        .arg("resume")
        .arg(tmp.path().join("2026-11-22T07-15-00-behavioral"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("truncated") && err.contains("read: id"),
        "{err}"
    );
}

#[test]
fn drill_reads_history_through_the_same_reader_past_a_corrupt_session() {
    let tmp = sessions_copy();
    let out_dir = tempfile::tempdir().unwrap();
    let out = mockint(tmp.path())
        .args([
            "start",
            "--mode",
            "drill",
            "--questions",
            "2",
            "--seed",
            "1",
        ])
        .arg("--answers-from")
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/sessions/kubernetes-answers.txt"),
        )
        .arg("--out")
        .arg(out_dir.path().join("d"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rec = mockint::transcript::SessionDir::open(&out_dir.path().join("d"))
        .load()
        .unwrap();
    // The latest readable session with scores is the 2026-11-23 kubernetes
    // one (rated 3, 3, 4, 3: nothing below 3), so the drill takes unasked
    // questions from its lowest-rated round; the truncated behavioral session
    // in between is skipped, not read as the latest.
    let last =
        mockint::transcript::SessionDir::open(&fixtures().join("2026-11-23T08-00-40-kubernetes"))
            .load()
            .unwrap();
    let rated: Vec<String> = last
        .scores()
        .into_iter()
        .map(|(i, _)| last.plan[i].question.id.clone())
        .collect();
    assert!(!rec.plan.is_empty());
    for p in &rec.plan {
        assert_eq!(p.round, "kubernetes", "{}", p.question.id);
        assert!(!rated.contains(&p.question.id), "{}", p.question.id);
    }
}

#[test]
fn history_of_a_missing_folder_is_one_line_and_exit_2() {
    let out = mockint(Path::new("/nonexistent"))
        .args(["history", "--dir", "/nonexistent/sessions"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("/nonexistent/sessions"), "{err}");
}
