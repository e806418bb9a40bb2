//! Delivery metrics on recorded answers with known content: speech made with
//! espeak-ng (SSML breaks for exact pauses) holding a known number of each
//! filler. The filler pass must find the fillers the clean pass drops, count
//! the long pauses, and the session's transcript and debrief must show them.

mod common;
use std::path::{Path, PathBuf};
use std::process::Command;

fn mockint() -> Command {
    common::isolated(Path::new("/nonexistent/mockint-sessions"))
}

/// um ×3, uh ×2, like ×1, you know ×1 and one 3.5-s pause.
const FILLERS: &str = r#"<speak>Um, so I was the on call engineer that night. Uh, the database was, like, completely full. <break time="3500ms"/> Um, I checked the disk and, you know, I found old logs. Uh, I deleted them and, um, we were back up in ten minutes.</speak>"#;
/// No fillers; pauses of 3.0 s and 4.0 s.
const PAUSES: &str = r#"<speak>I moved our deployments to Argo CD and wrote the rollout plan. <break time="3000ms"/> The migration took two weeks. <break time="4000ms"/> Deploy time dropped from forty minutes to five minutes.</speak>"#;

fn ssml_wav(dir: &Path, name: &str, ssml: &str) -> PathBuf {
    common::espeak(&dir.join(format!("{name}.wav")), &["-m", "-s", "150"], ssml)
}

fn count(d: &serde_json::Value, filler: &str) -> u64 {
    d["filler_counts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p[0] == filler)
        .map_or(0, |p| p[1].as_u64().unwrap())
}

#[test]
fn filler_pass_counts_known_fillers_and_pauses_in_recorded_answers() {
    common::model();
    let tmp = tempfile::tempdir().unwrap();
    let a = ssml_wav(tmp.path(), "fillers", FILLERS);
    let b = ssml_wav(tmp.path(), "pauses", PAUSES);
    let out = mockint()
        .args(["delivery", "--json", "--expected", "0:30"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let (da, db) = (&v[0]["delivery"], &v[1]["delivery"]);
    // Known counts, within one per kind (the speech is synthetic).
    for (f, n) in [("um", 3), ("uh", 2), ("like", 1), ("you know", 1)] {
        let got = count(da, f);
        assert!(got.abs_diff(n) <= 1, "{f}: {got} (expected {n}) in {da}");
    }
    let total = da["fillers"].as_u64().unwrap();
    assert!((6..=9).contains(&total), "{total} fillers: {da}");
    assert_eq!(db["fillers"], 0, "{db}");
    // Pauses: exactly the inserted ones, with their lengths.
    let pauses = |d: &serde_json::Value| -> Vec<f64> {
        d["long_pauses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p[1].as_f64().unwrap() / 1000.0)
            .collect()
    };
    let (pa, pb) = (pauses(da), pauses(db));
    assert_eq!(pa.len(), 1, "{pa:?}");
    assert!((pa[0] - 3.5).abs() < 0.4, "{pa:?}");
    assert_eq!(pb.len(), 2, "{pb:?}");
    assert!(
        (pb[0] - 3.0).abs() < 0.4 && (pb[1] - 4.0).abs() < 0.4,
        "{pb:?}"
    );
    // Speaking rate: espeak-ng at 150 wpm, pauses included.
    for d in [da, db] {
        let wpm = d["wpm"].as_f64().unwrap();
        assert!((80.0..=190.0).contains(&wpm), "{wpm}");
        assert_eq!(d["expected_ms"], 30_000);
    }
    // The clean pass (what `transcribe` gives) drops the hesitations the filler pass keeps.
    let clean = mockint().arg("transcribe").arg(&a).output().unwrap();
    let clean = String::from_utf8_lossy(&clean.stdout).to_lowercase();
    let hes = clean
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| *w == "um" || *w == "uh")
        .count() as u64;
    assert!(hes < count(da, "um") + count(da, "uh"), "clean: {clean}");
}

#[test]
fn session_transcript_and_debrief_show_delivery_per_recorded_answer() {
    common::model();
    let tmp = tempfile::tempdir().unwrap();
    let s = tmp.path().join("s");
    let out = mockint()
        .env("MOCKINT_SESSIONS_DIR", tmp.path().join("sessions"))
        .args([
            "start",
            "--round",
            "kubernetes",
            "--seed",
            "7",
            "--answers-from",
        ])
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/sessions/kubernetes-answers.txt"),
        )
        .arg("--out")
        .arg(&s)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::create_dir_all(s.join("answers")).unwrap();
    std::fs::copy(
        ssml_wav(tmp.path(), "a", FILLERS),
        s.join("answers/q01-1.wav"),
    )
    .unwrap();
    std::fs::copy(
        ssml_wav(tmp.path(), "b", PAUSES),
        s.join("answers/q02-1.wav"),
    )
    .unwrap();
    for _ in 0..2 {
        let out = mockint()
            .args(["delivery", "--session"])
            .arg(&s)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let transcript = std::fs::read_to_string(s.join("transcript.md")).unwrap();
    let block = transcript
        .split("### Score: Kubernetes — What is a Cluster Autoscaler")
        .nth(1)
        .unwrap();
    let block = &block[..block.find("**Model answer:**").unwrap()];
    assert!(
        block.contains("\nDelivery: ") && block.contains("um ×"),
        "{block}"
    );
    assert!(block.contains("1 pause > 2.5 s"), "{block}");
    let debrief = std::fs::read_to_string(s.join("debrief.md")).unwrap();
    assert!(debrief.contains("### Delivery\n| Question | Answer | Length | Words/min | Fillers/min | Pauses > 2.5 s |"), "{debrief}");
    assert!(
        debrief.contains("| Q1 | answer |") && debrief.contains("| Q2 | answer |"),
        "{debrief}"
    );
    assert!(
        debrief.contains("pauses longer than 2.5 s across 2 recorded answers"),
        "{debrief}"
    );
    // Measured once: the second run added nothing.
    let rec = mockint::transcript::SessionDir::open(&s).load().unwrap();
    assert_eq!(rec.delivery.len(), 2);
    assert_eq!(
        rec.delivery[0].delivery.expected_ms,
        Some(u64::from(rec.plan[0].question.expected_seconds) * 1000)
    );
}

#[test]
fn delivery_bad_input_is_one_line_and_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let not_wav = tmp.path().join("x.wav");
    std::fs::write(&not_wav, "hello").unwrap();
    let cases: Vec<Vec<String>> = vec![
        vec!["/nonexistent/a.wav".into()],
        vec![not_wav.display().to_string()],
        vec![
            "--expected".into(),
            "2:75".into(),
            not_wav.display().to_string(),
        ],
        vec!["--session".into(), "/nonexistent/session".into()],
        vec!["--session".into(), tmp.path().display().to_string()],
    ];
    for args in cases {
        let out = mockint().arg("delivery").args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{err}");
    }
}
