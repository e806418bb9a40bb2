//! `mockint bank check` on broken bank directories: one file:line:col message, exit 2.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

const GOOD: &str = r#"round = "kubernetes"
title = "Kubernetes"
vocabulary = ["kubectl"]

[[question]]
id = "k8s-crashloop"
prompt = "A pod is in CrashLoopBackOff. Walk me through how you debug it."
kind = "troubleshooting"
pillars = ["Availability", "Operational Excellence"]
difficulty = 2
expected_seconds = 90
source = "cheat-sheet"
key_point_for_interview = "Logs from the previous container first."
model_answer = "CrashLoopBackOff means the container keeps exiting."

  [[question.key_points]]
  id = "previous-logs"
  weight = 2.0
  text = "Read the crashed container's logs with kubectl logs --previous"
  phrases = ["logs --previous", "previous logs"]

  [[question.follow_ups]]
  prompt = "How do you get the previous container's logs?"
  targets = ["previous-logs"]
"#;

fn mockint() -> Command {
    common::mockint()
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// Runs `bank check` on a dir holding `kubernetes.toml` = `text`; expects `loc` and `what`.
fn broken(text: &str, loc: &str, what: &str) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "kubernetes.toml", text);
    let file = dir.path().join("kubernetes.toml").display().to_string();
    mockint()
        .args(["bank", "check"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(format!("{file}:{loc}")).and(predicate::str::contains(what)),
        );
}

#[test]
fn good_bank_passes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "kubernetes.toml", GOOD);
    mockint()
        .args(["bank", "check"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("OK"));
}

#[test]
fn unknown_field() {
    broken(
        &GOOD.replace("  weight = 2.0\n", "  weight = 2.0\n  wieght = 1\n"),
        "19:3",
        "unknown field",
    );
}

#[test]
fn duplicate_id_within_file() {
    let q = &GOOD[GOOD.find("[[question]]").unwrap()..];
    broken(
        &format!("{GOOD}\n{q}"),
        "27:6",
        "duplicate question id `k8s-crashloop`",
    );
}

#[test]
fn duplicate_id_across_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "kubernetes.toml", GOOD);
    write(
        dir.path(),
        "helm.toml",
        &GOOD.replace("round = \"kubernetes\"", "round = \"helm\""),
    );
    let helm = dir.path().join("helm.toml").display().to_string();
    mockint()
        .args(["bank", "check"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(format!("{helm}:6:6"))
                .and(predicate::str::contains("kubernetes.toml:6:6")),
        );
}

#[test]
fn follow_up_targets_missing_key_point() {
    broken(
        &GOOD.replace("targets = [\"previous-logs\"]", "targets = [\"describe\"]"),
        "24:14",
        "`describe`",
    );
}

#[test]
fn empty_prompt() {
    let text = GOOD.replace(
        "prompt = \"A pod is in CrashLoopBackOff. Walk me through how you debug it.\"",
        "prompt = \"\"",
    );
    broken(&text, "7:10", "empty prompt");
}

#[test]
fn weight_out_of_range() {
    broken(
        &GOOD.replace("weight = 2.0", "weight = 5.0"),
        "18:12",
        "outside 0.5..=3.0",
    );
}

#[test]
fn bad_kind() {
    broken(
        &GOOD.replace("kind = \"troubleshooting\"", "kind = \"quiz\""),
        "8:8",
        "quiz",
    );
}

#[test]
fn bad_pillar() {
    broken(
        &GOOD.replace("\"Operational Excellence\"]", "\"Vibes\"]"),
        "9:28",
        "Vibes",
    );
}

#[test]
fn round_differs_from_file_stem() {
    broken(
        &GOOD.replace("round = \"kubernetes\"", "round = \"k8s\""),
        "1:9",
        "does not match the file name",
    );
}

#[test]
fn missing_directory() {
    mockint()
        .args(["bank", "check", "/no/such/bank/dir"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/no/such/bank/dir"));
}
