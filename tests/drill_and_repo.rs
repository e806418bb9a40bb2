//! Sessions shaped by what came before and by the candidate's own work:
//! drill mode on the last session's weak questions, and repo-grounded
//! questions quoting the candidate's files.

mod common;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sessions")
        .join(name)
}

/// A command with a private sessions directory, so history never leaks in.
fn mockint(sessions: &Path) -> Command {
    common::isolated(sessions)
}

#[test]
fn drill_mode_targets_the_last_sessions_weak_questions() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = dir.path().join("sessions");
    let first = mockint(&sessions)
        .args([
            "start",
            "--round",
            "kubernetes",
            "--seed",
            "7",
            "--answers-from",
        ])
        .arg(fixture("kubernetes-answers.txt"))
        .output()
        .unwrap();
    assert!(first.status.success());
    let script = dir.path().join("idk.txt");
    std::fs::write(
        &script,
        "I don't know\n\nskip\n\nskip\n\nend the interview\n",
    )
    .unwrap();
    let drill = mockint(&sessions)
        .args([
            "start",
            "--mode",
            "drill",
            "--questions",
            "3",
            "--seed",
            "1",
            "--answers-from",
        ])
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        drill.status.success(),
        "{}",
        String::from_utf8_lossy(&drill.stderr)
    );
    let stdout = String::from_utf8_lossy(&drill.stdout);
    // The skipped StatefulSet question (unscored) is not a "weak" score; the
    // drill starts from the lowest-rated answers of the last session.
    assert!(stdout.contains("Kubernetes · "), "{stdout}");
    let mut dirs: Vec<_> = std::fs::read_dir(&sessions)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 2);
    assert!(dirs.iter().any(|d| d.to_string_lossy().ends_with("-drill")));
}

#[test]
fn repo_grounded_session_quotes_the_candidates_files() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("a.txt");
    std::fs::write(
        &script,
        "My node group is fixed at three t3a medium nodes because load is predictable; Karpenter would launch right sized nodes.\n\nend the interview\n",
    )
    .unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repos/cowsay3d-infra");
    let out = mockint(&dir.path().join("sessions"))
        .args([
            "start",
            "--round",
            "kubernetes",
            "--questions",
            "3",
            "--seed",
            "1",
            "--repo",
        ])
        .arg(&repo)
        .arg("--answers-from")
        .arg(&script)
        .arg("--out")
        .arg(dir.path().join("s"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("## Repo Map"),
        "intake runs first: {stdout}"
    );
    let transcript = std::fs::read_to_string(dir.path().join("s/transcript.md")).unwrap();
    assert!(transcript.contains("`modules/eks/main.tf`"), "{transcript}");
    assert!(transcript.contains("desired_size = 3"), "{transcript}");
}
