//! The offline scorer's agreement with graded answers (`mockint eval
//! scorer`): the second expert's set (the level lines were chosen on it)
//! meets its figures, the older sets stay near theirs, the independent set
//! (never tuned on) does not regress, and the report.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn mockint() -> Command {
    common::mockint()
}

fn eval(file: &str) -> Value {
    let out = mockint()
        .args(["eval", "scorer", file, "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn assert_agreement(r: &Value, exact: f64, within: f64, spearman: f64) {
    assert!(
        r["exact"].as_f64().unwrap() >= exact,
        "exact {}",
        r["exact"]
    );
    assert!(
        r["within_one"].as_f64().unwrap() >= within,
        "within one {}",
        r["within_one"]
    );
    assert!(
        r["spearman"].as_f64().unwrap() >= spearman,
        "spearman {}",
        r["spearman"]
    );
}

/// The level lines (`rubrics/rating.toml`) were chosen on this set by
/// 5-fold cross-validation (`src/scorer/calibrate.rs`).
#[test]
fn second_expert_agreement() {
    let r = eval("tests/fixtures/scorer_second_expert.jsonl");
    assert!(r["cases"].as_u64().unwrap() >= 150);
    assert_agreement(&r, 0.76, 0.96, 0.87);
}

/// The older sets were graded to a more lenient scale than the two experts'
/// (README, Measured): floors below their figures under today's lines.
#[test]
fn calibration_meets_targets() {
    let r = eval("tests/fixtures/scorer_calibration.jsonl");
    assert!(r["cases"].as_u64().unwrap() >= 60);
    assert_agreement(&r, 0.62, 0.95, 0.85);
    assert_eq!(
        r["adversarial_not_1"].as_array().unwrap().len(),
        0,
        "{:#}",
        r["adversarial_not_1"]
    );
    let r = eval("tests/fixtures/scorer_tuning.jsonl");
    assert!(r["cases"].as_u64().unwrap() >= 40);
    assert_agreement(&r, 0.75, 0.97, 0.90);
}

/// The frozen set was written and graded before the scorer's rules were read
/// and never tuned on: these floors guard against regressions; the issue's
/// targets (exact ≥ 80 %, within one ≥ 97 %, Spearman ≥ 0.90) are reported
/// in the README, met or not.
#[test]
fn held_out_agreement_does_not_regress() {
    let r = eval("tests/fixtures/scorer_frozen.jsonl");
    assert!(r["cases"].as_u64().unwrap() >= 30);
    assert_agreement(&r, 0.73, 0.95, 0.88);
    let r = eval("tests/fixtures/scorer_holdout.jsonl");
    assert_agreement(&r, 0.57, 0.95, 0.84);
}

/// The independent frozen set: written and graded by an expert who had not
/// seen the scorer, never tuned on. Floors below its first score guard
/// against regressions; the targets are reported in the README.
#[test]
fn independent_agreement_does_not_regress() {
    let r = eval("tests/fixtures/scorer_independent.jsonl");
    assert!(r["cases"].as_u64().unwrap() >= 150);
    assert_agreement(&r, 0.76, 0.96, 0.87);
}

/// Adversarial answers written for tuning (2026-12-07: 60 of six kinds and
/// 30 graded controls, by a helper that had not seen the scorer): keyword
/// soup with a wrap-up, padding, things compared swapped. It was 27 of 60
/// rated 1 before the rules tuned on it; floors below today's figures.
#[test]
fn adversarial_tuning_set_does_not_regress() {
    let r = eval("tests/fixtures/scorer_adversarial.jsonl");
    assert!(r["cases"].as_u64().unwrap() >= 90);
    assert_agreement(&r, 0.68, 0.88, 0.74);
    let not_1 = r["adversarial_not_1"].as_array().unwrap().len();
    assert!(not_1 <= 20, "{not_1} of 60 adversarial answers not rated 1");
}

/// A fresh set (64 answers of every kind, written by a helper that had not
/// seen the scorer, measured once after the rules above): floors below its
/// first score.
#[test]
fn fresh_agreement_does_not_regress() {
    let r = eval("tests/fixtures/scorer_fresh.jsonl");
    assert!(r["cases"].as_u64().unwrap() >= 60);
    assert_agreement(&r, 0.76, 0.96, 0.90);
}

#[test]
fn eval_prints_the_report() {
    mockint()
        .args(["eval", "scorer", "tests/fixtures/scorer_holdout.jsonl"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Exact agreement:")
                .and(predicate::str::contains("Within one:"))
                .and(predicate::str::contains("Spearman correlation:"))
                .and(predicate::str::contains("exp 4"))
                .and(predicate::str::contains("Adversarial answers not rated 1")),
        );
}
