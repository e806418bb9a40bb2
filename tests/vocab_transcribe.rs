//! The jargon vocabulary layer end to end: a spoken DevOps answer synthesised
//! with espeak-ng at test time, transcribed by the real tiny.en model.

mod common;
use common::{mockint, model};
use std::path::{Path, PathBuf};

/// What the candidate says, and the same answer as an engineer writes it.
const SPOKEN: &str =
    "First I run kube control get pods and kube control describe pod on the failing one. \
    A config map holds non-secret configuration.";
const WRITTEN: &str = "First I run kubectl get pods and kubectl describe pod on the failing one. \
    A ConfigMap holds non-secret configuration.";

fn synthesise(dir: &Path) -> PathBuf {
    let wav = common::espeak(
        &dir.join("k8s-answer.wav"),
        &["-v", "en-us", "-s", "160"],
        SPOKEN,
    );
    std::fs::write(dir.join("k8s-answer.txt"), WRITTEN).unwrap();
    std::fs::write(dir.join("k8s-answer.round"), "kubernetes\n").unwrap();
    wav
}

#[test]
fn transcribe_writes_canonical_jargon_and_keeps_the_raw_text() {
    let dir = tempfile::tempdir().unwrap();
    let wav = synthesise(dir.path());
    let out = mockint()
        .arg("transcribe")
        .arg(&wav)
        .args(["--round", "kubernetes", "--json", "--model"])
        .arg(model())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = v["text"].as_str().unwrap();
    let raw = v["raw_text"].as_str().unwrap();
    assert!(text.matches("kubectl").count() >= 2, "{text}");
    assert!(text.contains("ConfigMap"), "{text}");
    assert!(!raw.contains("kubectl"), "Whisper alone wrote {raw}");
    assert!(raw.to_lowercase().contains("control"), "{raw}");
    let segs = v["segments"].as_array().unwrap();
    assert!(segs.iter().all(|s| s["raw_text"].is_string()));
    let rewrites: Vec<&serde_json::Value> = segs
        .iter()
        .flat_map(|s| s["rewrites"].as_array().unwrap())
        .collect();
    assert!(rewrites.iter().any(|r| r["canonical"] == "kubectl"), "{v}");

    // --raw leaves Whisper's text alone.
    let out = mockint()
        .arg("transcribe")
        .arg(&wav)
        .args(["--raw", "--model"])
        .arg(model())
        .output()
        .unwrap();
    assert!(out.status.success());
    let plain = String::from_utf8_lossy(&out.stdout);
    assert_eq!(plain.trim(), raw, "--raw must print Whisper's text");
}

#[test]
fn eval_stt_reports_recall_with_and_without_the_layer() {
    let dir = tempfile::tempdir().unwrap();
    synthesise(dir.path());
    let out = mockint()
        .args(["eval", "stt"])
        .arg(dir.path())
        .args(["--json", "--model"])
        .arg(model())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["clips"], 1);
    // One row per prompt (on, off) and layer (off, listed forms, listed +
    // phonetic, + the question in focus: the session's layer), for all
    // clips and per voice group.
    let rows: Vec<&serde_json::Value> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["group"] == "all")
        .collect();
    assert_eq!(rows.len(), 8, "{v}");
    let recall = |prompt: bool, layer: bool| {
        let layer = if layer { "phonetic" } else { "off" };
        let r = rows
            .iter()
            .find(|r| r["prompt"] == prompt && r["layer"] == layer)
            .unwrap();
        (
            r["term_recall"].as_f64().unwrap(),
            r["wer"].as_f64().unwrap(),
        )
    };
    let (off, wer_off) = recall(false, false);
    let (on, wer_on) = recall(false, true);
    assert!(on >= 0.66 && on > off, "recall {off} → {on}");
    assert!(wer_on < wer_off, "WER {wer_off} → {wer_on}");
    assert!(v["prompts"]["kubernetes"]
        .as_str()
        .unwrap()
        .starts_with("kubectl"));
}

#[test]
fn eval_stt_on_an_empty_folder_says_how_to_make_a_set() {
    let dir = tempfile::tempdir().unwrap();
    mockint()
        .args(["eval", "stt"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("make-stt-eval-set.sh"));
}

/// Whisper's transcripts kept in a file are reused: a second run with the
/// same clips and settings transcribes nothing and reports the same.
#[test]
fn eval_stt_reuses_kept_transcripts_and_names_an_unknown_question() {
    let dir = tempfile::tempdir().unwrap();
    synthesise(dir.path());
    let kept = dir.path().join("kept.jsonl");
    let run = || {
        let out = mockint()
            .args(["eval", "stt"])
            .arg(dir.path())
            .args(["--json", "--prompt", "on", "--question", "k8s-crashloop"])
            .arg("--transcripts")
            .arg(&kept)
            .arg("--model")
            .arg(model())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["rows"].clone()
    };
    let first = run();
    let lines = std::fs::read_to_string(&kept).unwrap().lines().count();
    assert_eq!(lines, 1, "one clip, one prompt setting");
    assert_eq!(run(), first);
    assert_eq!(
        std::fs::read_to_string(&kept).unwrap().lines().count(),
        lines
    );

    mockint()
        .args(["eval", "stt"])
        .arg(dir.path())
        .args(["--question", "no-such-question"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--question no-such-question"));
}
