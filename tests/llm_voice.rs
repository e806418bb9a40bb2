//! The LLM interviewer in a spoken session: a recorded answer goes through
//! the voice pipeline (VAD, endpointing, Whisper, vocabulary layer) and is
//! graded by the model on the real `llama-server`, with the grade's source
//! recorded as in typed sessions.

mod common;
use common::llm::{shared_url, ALIAS};

#[test]
fn a_spoken_answer_is_graded_by_the_llm_interviewer() {
    let url = shared_url();
    let dir = tempfile::tempdir().unwrap();
    let wav = common::espeak(
        &dir.path().join("a.wav"),
        &["-s", "150"],
        "A liveness probe restarts a container that hangs, and a readiness probe \
         takes the pod out of the service endpoints until it can serve traffic.",
    );
    // "Next." answers the follow-up the offline scorer picks, so the answer
    // is concluded and goes to the model for review; the recorded input
    // runs out while the model works, and its reply is still waited for.
    let next = common::espeak(&dir.path().join("next.wav"), &["-s", "150"], "Next.");
    let out = dir.path().join("s");
    let run = common::isolated(&dir.path().join("sessions"))
        .args(common::kubernetes_session("1"))
        .args([
            "--no-tts",
            "--fast",
            "--llm",
            &url,
            "--llm-model",
            ALIAS,
            "--llm-budget",
            "120",
            "--input-wav",
        ])
        .arg(&wav)
        .arg(&next)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(
        !stderr.contains("offline scorer"),
        "no warning that spoken sessions skip the model: {stderr}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("session.json")).unwrap()).unwrap();
    let answer = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "answer")
        .expect("the spoken answer was heard");
    assert!(
        answer["text"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("readiness"),
        "{answer}"
    );
    // The score came through the LLM grader: its source is recorded, and
    // the model was asked to grade (whatever it answered).
    let scored: Vec<_> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "scored")
        .collect();
    assert_eq!(scored.len(), 1, "{scored:?}");
    let source = scored[0]["score"]["llm"]["source"].as_str().unwrap_or("");
    assert!(
        ["model", "offline-fallback"].contains(&source),
        "{source:?}: {}",
        json["steps"]
    );
    let log = json["llm"]["log"].as_array().expect("the LLM log");
    assert!(log.iter().any(|e| e["use"] == "grade"), "{log:?}");
    let transcript = std::fs::read_to_string(out.join("transcript.md")).unwrap();
    assert!(transcript.contains("Scored by: "), "{transcript}");
    assert!(transcript.contains(&format!("scorer: model `{ALIAS}`")));
}
