//! `mockint replay`: printed at once and paced, spoken and played through a
//! real (virtual) audio stack and heard back through Whisper, `--rescore`
//! against a session graded by an older scorer (golden diff), and bad input.

mod common;
use std::path::{Path, PathBuf};

/// A private PulseAudio server with only a virtual speaker (null sink `spk`),
/// which cpal reaches through ALSA's pulse plugin and speech-dispatcher
/// through libpulse; what is played is recorded from `spk.monitor`.
struct Speaker {
    dir: tempfile::TempDir,
}

impl Speaker {
    fn start() -> Speaker {
        let dir = tempfile::Builder::new()
            .prefix("mockint-spk")
            .tempdir()
            .unwrap();
        std::fs::set_permissions(
            dir.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        let s = Speaker { dir };
        let ok = Command::new("pulseaudio")
            .args([
                "-D",
                "--exit-idle-time=-1",
                "-n",
                "--load=module-null-sink sink_name=spk",
                "--load=module-native-protocol-unix",
            ])
            .envs(s.env())
            .stderr(Stdio::null())
            .status()
            .expect("pulseaudio (run scripts/setup.sh)");
        assert!(ok.success(), "pulseaudio did not start");
        let ok = Command::new("pactl")
            .args(["set-default-sink", "spk"])
            .envs(s.env())
            .status()
            .unwrap();
        assert!(ok.success());
        s
    }

    fn env(&self) -> Vec<(&'static str, PathBuf)> {
        let d = self.dir.path();
        vec![
            ("XDG_RUNTIME_DIR", d.to_path_buf()),
            ("PULSE_RUNTIME_PATH", d.join("pulse")),
            ("PULSE_STATE_PATH", d.join("state")),
        ]
    }
}

impl Drop for Speaker {
    fn drop(&mut self) {
        let _ = Command::new("pulseaudio")
            .arg("--kill")
            .envs(self.env())
            .status();
    }
}
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sessions")
        .join(rel)
}

const KUBE: &str = "history/2026-11-23T08-00-40-kubernetes";

fn mockint() -> Command {
    common::isolated(Path::new("/nonexistent/mockint-sessions"))
}

#[test]
fn replay_at_once_prints_the_transcript_in_order_with_timestamps() {
    let out = mockint()
        .args(["replay", "--at-once", "--from", "2"])
        .arg(fixture(KUBE))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with('[')).collect();
    assert!(
        lines[0].starts_with("[01:15] Interviewer: (Question 2 of 5) What are namespaces"),
        "{text}"
    );
    assert!(!text.contains("Question 1 of 5"), "{text}");
    assert!(lines
        .iter()
        .any(|l| l.starts_with("[02:31] Candidate (0:16): Namespaces are")));
    assert!(lines.iter().any(|l| l.contains("Score: 4/4 — Expert")));
    assert_eq!(
        *lines.last().unwrap(),
        "[07:19]   · Ended (all planned questions asked)"
    );
}

#[test]
fn replay_without_audio_is_paced_by_the_speed() {
    // From question 4: three gaps of up to 1 s each (capped by --max-gap) at
    // double speed, so at least ~1.5 s, and nowhere near real time (2:39).
    let t0 = Instant::now();
    let out = mockint()
        .args([
            "replay",
            "--no-audio",
            "--speed",
            "2",
            "--max-gap",
            "1",
            "--from",
            "4",
        ])
        .arg(fixture(KUBE))
        .output()
        .unwrap();
    let took = t0.elapsed();
    assert!(out.status.success());
    assert!(took >= Duration::from_millis(1400), "{took:?}");
    assert!(took < Duration::from_secs(15), "{took:?}");
}

#[test]
fn replay_speaks_the_interviewer_and_plays_the_recorded_answer() {
    let va = Speaker::start();
    let session = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture(KUBE).join("session.json"),
        session.path().join("session.json"),
    )
    .unwrap();
    std::fs::create_dir_all(session.path().join("answers")).unwrap();
    // The candidate's recorded answer to question 4.
    let samples = common::audio::speech(
        va.dir.path(),
        "answer",
        "I would run kubectl describe pod and look at the events in the registry",
    );
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(session.path().join("answers/q04-1.wav"), spec).unwrap();
    for s in &samples {
        w.write_sample((s.clamp(-1.0, 1.0) * 32767.0) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
    // Listen to the speaker.
    let heard = va.dir.path().join("heard.raw");
    let mut rec = Command::new("parec")
        .args([
            "-d",
            "spk.monitor",
            "--format=s16le",
            "--rate=16000",
            "--channels=1",
            "--raw",
        ])
        .envs(va.env())
        .stdout(std::fs::File::create(&heard).unwrap())
        .spawn()
        .expect("parec (run scripts/setup.sh)");
    std::thread::sleep(Duration::from_millis(300));
    let out = mockint()
        .args(["replay", "--from", "4", "--max-gap", "0.5"])
        .arg(session.path())
        .envs(va.env())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let _ = rec.kill();
    let _ = rec.wait();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Candidate (0:09, recorded)"));
    let bytes = std::fs::read(&heard).unwrap();
    let pcm: Vec<f32> = bytes
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]) as f32 / 32768.0)
        .collect();
    assert!(pcm.len() > 16_000 * 5, "only {} samples heard", pcm.len());
    use mockint::stt::Transcriber;
    let mut w = mockint::stt::whisper::WhisperTranscriber::load(&common::model()).unwrap();
    let text = w
        .transcribe(&pcm, &Default::default())
        .unwrap()
        .text()
        .to_lowercase();
    // The recorded answer was played…
    let words = ["describe", "events", "image", "registry", "exist"];
    assert!(
        words.iter().filter(|w| text.contains(*w)).count() >= 2,
        "{text}"
    );
    // …and the interviewer's question spoken through speech-dispatcher.
    assert!(text.contains("debug"), "{text}");
}

#[test]
fn rescore_shows_what_the_current_scorer_grades_differently() {
    let out = mockint()
        .args(["replay", "--rescore"])
        .arg(fixture("rescore/older-scorer"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    insta::assert_snapshot!("rescore_older_scorer", text);
    assert!(text.contains("↑ Q1"), "{text}");
    assert!(text.contains("3 of 4 questions changed."), "{text}");
}

#[test]
fn rescore_of_an_unchanged_session_shows_no_changes() {
    // A session graded by this scorer, rescored with the same bank.
    let tmp = tempfile::tempdir().unwrap();
    let s = tmp.path().join("s");
    let run = common::isolated(&tmp.path().join("sessions"))
        .args([
            "start",
            "--round",
            "kubernetes",
            "--seed",
            "7",
            "--answers-from",
        ])
        .arg(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/sessions/kubernetes-answers.txt"),
        )
        .arg("--out")
        .arg(&s)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = mockint()
        .args(["replay", "--rescore"])
        .arg(&s)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("0 of ") && l.ends_with("questions changed.")),
        "{text}"
    );
}

#[test]
fn replay_bad_input_is_one_line_and_exit_2() {
    let cases: Vec<Vec<String>> = vec![
        vec![
            "--speed".into(),
            "-1".into(),
            fixture(KUBE).display().to_string(),
        ],
        vec![
            "--from".into(),
            "9".into(),
            fixture(KUBE).display().to_string(),
        ],
        vec!["/nonexistent/session".into()],
        vec![fixture("history/2026-11-22T07-15-00-behavioral")
            .display()
            .to_string()],
        vec![],
    ];
    for args in cases {
        let out = mockint().arg("replay").args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{err}");
    }
}
