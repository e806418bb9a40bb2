//! Benchmark, not part of the suite (`#[ignore]`): a ten-minute spoken
//! kubernetes interview on the real stack — PulseAudio virtual microphone →
//! ALSA → cpal capture, the VAD, Whisper tiny.en, the default voice (Piper)
//! speaking into a virtual speaker. Recorded DevOps answers of 30 s to 2 min
//! (with thinking pauses) are played into the microphone each time mockint
//! starts listening. Prints each turn's latency, the percentiles and the
//! capture overruns; fails if any input was dropped.
//!
//! Run: `cargo test --release --test live_voice_bench -- --ignored --nocapture`
//! (needs `scripts/make-stt-eval-set.sh`'s recorded answers; `LIVE_BENCH_SECS`
//! shortens the session).

mod common;
use common::audio::VirtualAudio;
use std::io::BufRead;
use std::time::Duration;

/// Answers of `secs` seconds from recorded sentences, 1.2-s pauses between
/// them and one 4-s thinking pause in the middle.
fn answer(clips: &[Vec<f32>], next: &mut usize, secs: usize) -> Vec<f32> {
    let mut a = Vec::new();
    let mut thought = false;
    while a.len() < secs * 16_000 {
        if !a.is_empty() {
            let pause = if !thought && a.len() > secs * 8_000 {
                thought = true;
                4.0
            } else {
                1.2
            };
            a.extend(std::iter::repeat(0.0).take((pause * 16_000.0) as usize));
        }
        a.extend_from_slice(&clips[*next % clips.len()]);
        *next += 1;
    }
    a
}

fn percentile(v: &[u64], p: f64) -> u64 {
    let mut s = v.to_vec();
    s.sort_unstable();
    s[((s.len() - 1) as f64 * p).round() as usize]
}

#[test]
#[ignore = "ten-minute benchmark: run with --ignored --nocapture"]
fn ten_minute_live_session_latency_and_overruns() {
    let secs: u64 = std::env::var("LIVE_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let dir = common::testdata().join("stt_eval");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("run scripts/make-stt-eval-set.sh first")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with("-piper-joe.wav"))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no recorded answers in {}",
        dir.display()
    );
    let clips: Vec<Vec<f32>> = files
        .iter()
        .map(|f| mockint::audio::load_wav(f).unwrap().samples)
        .collect();

    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    let mut child = common::isolated(&tmp.path().join("sessions"))
        .envs(va.env())
        .args(common::kubernetes_session("30"))
        .args(["--model"])
        .arg(common::model())
        .arg("--out")
        .arg(&out)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Each "(listening" line: mockint has finished speaking and waits.
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if line.contains("(listening") {
                let _ = tx.send(());
            }
        }
    });
    let lengths = [30, 60, 90, 45, 120];
    let (mut next, mut turn) = (0, 0);
    let t0 = std::time::Instant::now();
    while t0.elapsed() < Duration::from_secs(secs) {
        if rx.recv_timeout(Duration::from_millis(200)).is_ok() {
            let a = answer(&clips, &mut next, lengths[turn % lengths.len()]);
            turn += 1;
            va.play_at(va.mic_clock() + Duration::from_secs(1), &a);
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
    }
    let _ = std::process::Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status();
    assert!(child.wait().unwrap().success());
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("session.json")).unwrap()).unwrap();
    let lat = record["latency"].as_array().unwrap();
    let field = |l: &serde_json::Value, k: &str| l[k].as_u64();
    println!(
        "\nlive session: {:.0} s, {} answers played, {} turns recorded",
        t0.elapsed().as_secs_f64(),
        turn,
        lat.len()
    );
    println!(
        "{:>8} {:>12} {:>14} {:>10} {:>15}",
        "answer", "endpoint ms", "transcript ms", "reply ms", "first audio ms"
    );
    for l in lat {
        println!(
            "{:>7.0}s {:>12} {:>14} {:>10} {:>15}",
            field(l, "answer_ms").unwrap_or(0) as f64 / 1000.0,
            field(l, "endpoint_ms").unwrap_or(0),
            field(l, "transcript_ms").unwrap_or(0),
            field(l, "reply_ms").unwrap_or(0),
            field(l, "audio_ms").map_or("—".into(), |a| a.to_string()),
        );
    }
    let col = |f: &dyn Fn(&serde_json::Value) -> Option<u64>| -> Vec<u64> {
        lat.iter().filter_map(f).collect()
    };
    for (name, v) in [
        (
            "end of speech → endpoint",
            col(&|l| field(l, "endpoint_ms")),
        ),
        (
            "endpoint → final transcript",
            col(&|l| field(l, "transcript_ms")),
        ),
        (
            "endpoint → first reply audio",
            col(&|l| Some(field(l, "transcript_ms")? + field(l, "audio_ms")?)),
        ),
        (
            "reply issued → first audio",
            col(&|l| Some(field(l, "audio_ms")?.saturating_sub(field(l, "reply_ms")?))),
        ),
    ] {
        if !v.is_empty() {
            println!(
                "{name:<30} p50 {:>6}  p90 {:>6}  max {:>6}  (n = {})",
                percentile(&v, 0.5),
                percentile(&v, 0.9),
                v.iter().max().unwrap(),
                v.len()
            );
        }
    }
    let overruns = record["overruns"].as_u64();
    println!("capture overruns: {overruns:?}");
    assert!(lat.len() >= 3, "too few turns recorded: {lat:?}");
    assert_eq!(overruns, Some(0), "input was dropped");
}
