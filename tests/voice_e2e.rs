//! The spoken interview end to end on a real audio stack (PulseAudio virtual
//! microphone → ALSA → cpal), real VAD, real Whisper: what was said reaches
//! the transcript, a thinking pause does not split an answer, latency is
//! recorded, and Ctrl-C ends the session cleanly.

mod common;
use common::audio::{speech, VirtualAudio};
use std::time::Duration;

#[test]
fn a_spoken_answer_with_a_four_second_pause_stays_one_answer() {
    let model = common::model();
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let a = speech(
        tmp.path(),
        "a",
        "Cluster Autoscaler watches for pending pods and scales up the node group.",
    );
    let b = speech(
        tmp.path(),
        "b",
        "The risk of a fixed size group is no headroom when a node fails.",
    );
    let t_a = Duration::from_secs(3);
    let t_b = t_a + Duration::from_secs_f64(a.len() as f64 / 16_000.0) + Duration::from_secs(4);
    va.play_at(t_a, &a);
    va.play_at(t_b, &b);
    let out = tmp.path().join("s");
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("mockint"))
        .envs(va.env())
        .env("MOCKINT_SESSIONS_DIR", tmp.path().join("sessions"))
        .args([
            "start",
            "--round",
            "kubernetes",
            "--seed",
            "7",
            "--questions",
            "1",
            "--no-tts",
            "--silence-timeout",
            "0",
            "--model",
        ])
        .arg(&model)
        .arg("--out")
        .arg(&out)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Once the answer is in the record, stop the session as a candidate would with Ctrl-C.
    let t0 = std::time::Instant::now();
    while !std::fs::read_to_string(out.join("session.json"))
        .is_ok_and(|s| s.contains("\"event\": \"answer\""))
    {
        assert!(
            t0.elapsed() < Duration::from_secs(90),
            "no answer was heard within 90 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    std::process::Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    let run = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let transcript = std::fs::read_to_string(out.join("transcript.md")).unwrap();
    let answers: Vec<&str> = transcript.split("> **User:**").skip(1).collect();
    assert!(!answers.is_empty(), "{transcript}");
    let first = answers[0].to_lowercase();
    assert!(first.contains("pending"), "part before the pause: {first}");
    assert!(
        first.contains("headroom") || first.contains("fails"),
        "part after the pause in the same answer: {first}"
    );
    assert!(
        transcript.contains("End of interview (interrupted)"),
        "{transcript}"
    );
    assert!(out.join("debrief.md").is_file());
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("session.json")).unwrap()).unwrap();
    let lat = record["latency"].as_array().unwrap();
    assert!(!lat.is_empty(), "latency recorded per turn");
    assert!(
        lat[0]["answer_ms"].as_u64().unwrap() > 8_000,
        "one long answer: {lat:?}"
    );
}
