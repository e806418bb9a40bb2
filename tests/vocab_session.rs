//! The vocabulary layer inside a session: answers reach the interviewer (and
//! the scorer, and transcript.md) with canonical jargon, and session.json
//! keeps what was heard.

mod common;

use std::path::{Path, PathBuf};

/// A one-question kubernetes session answered from `answers`; its folder.
fn scripted_session(tmp: &Path, answers: &Path) -> PathBuf {
    let out = tmp.join("s");
    common::mockint()
        .env("MOCKINT_SESSIONS_DIR", tmp.join("sessions"))
        .args([
            "start",
            "--round",
            "kubernetes",
            "--seed",
            "3",
            "--questions",
            "1",
            "--answers-from",
        ])
        .arg(answers)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    out
}

#[test]
fn a_session_answer_is_written_with_canonical_jargon_and_the_raw_text_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let answers = tmp.path().join("answers.txt");
    std::fs::write(
        &answers,
        "I'd run kube control describe pod, then kube control logs dash dash previous, \
         and check the config maps it mounts. A crash loop back off means it keeps restarting.\n\n\
         end the interview\n",
    )
    .unwrap();
    let out = scripted_session(tmp.path(), &answers);
    let transcript = std::fs::read_to_string(out.join("transcript.md")).unwrap();
    assert!(
        transcript.contains("kubectl describe pod")
            && transcript.contains("kubectl logs --previous"),
        "{transcript}"
    );
    assert!(transcript.contains("ConfigMaps"), "{transcript}");
    assert!(transcript.contains("CrashLoopBackOff"), "{transcript}");
    assert!(!transcript.contains("kube control"), "{transcript}");
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("session.json")).unwrap()).unwrap();
    let take = &record["answers"][0];
    assert!(
        take["raw"]
            .as_str()
            .unwrap()
            .contains("kube control describe pod"),
        "{take}"
    );
    assert!(
        take["rewrites"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r[1] == "kubectl"),
        "{take}"
    );
    // The answer event, which the scorer graded, holds the canonical text.
    let answer = record["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "answer")
        .unwrap();
    assert!(answer["text"].as_str().unwrap().contains("kubectl"));
    assert_eq!(answer["started"], take["started"]);
}

#[test]
fn typed_answers_without_jargon_are_left_alone_and_add_nothing_to_the_record() {
    let tmp = tempfile::tempdir().unwrap();
    let answers = tmp.path().join("answers.txt");
    std::fs::write(
        &answers,
        "I would look at what changed recently and roll it back if needed.\n\nend the interview\n",
    )
    .unwrap();
    let out = scripted_session(tmp.path(), &answers);
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("session.json")).unwrap()).unwrap();
    assert!(record.get("answers").is_none(), "{}", record["answers"]);
}
