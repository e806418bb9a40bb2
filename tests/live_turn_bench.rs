//! Benchmark, not part of the suite (`#[ignore]`): the end-of-turn stage on
//! the real stack, against today's silence rules, in one run. Two spoken
//! kubernetes sessions on virtual devices (PulseAudio virtual microphone →
//! ALSA → cpal, Silero VAD, tiny.en, speech-dispatcher speaking into a
//! virtual speaker), one with `--no-turn-model`, one with the model; each
//! time mockint listens, the next long answer of the benchmark set (30 s to
//! 2 min, pauses of 1.5–5 s after incomplete clauses and after complete
//! sentences) is played into the microphone in real time. Reports false
//! cut-offs by pause kind and length, and end of speech → endpoint / first
//! reply audio percentiles on the finished answers.
//!
//! Run: `cargo test --release --test live_turn_bench -- --ignored --nocapture`
//! after `scripts/make-turn-bench-set.sh`. `LIVE_TURN_SET` (eval | tuning,
//! default eval), `LIVE_TURN_VOICE` (piper-joe | espeak-us) and
//! `LIVE_TURN_ANSWERS` (answers per variant) narrow it.

mod common;
use common::audio::VirtualAudio;
use mockint::cli::bench_turn::set::{self, Assembled, Part};
use std::io::BufRead;
use std::time::{Duration, Instant};

fn percentile(v: &[u64], p: f64) -> String {
    let mut s = v.to_vec();
    s.sort_unstable();
    if s.is_empty() {
        return "—".into();
    }
    s[((s.len() - 1) as f64 * p).round() as usize].to_string()
}

struct Played {
    at: Duration,
    a: Assembled,
}

#[derive(Default)]
struct Result {
    /// (kind label, pause s, cut)
    pauses: Vec<(&'static str, f64, bool)>,
    /// True end of speech → the answer printed (endpoint + final transcript).
    heard_ms: Vec<u64>,
    /// session.json's end of speech → first reply audio, endpoint.
    audio_ms: Vec<u64>,
    endpoint_ms: Vec<u64>,
    answers: usize,
}

fn run_variant(answers: &[(set::Answer, Vec<Vec<f32>>)], turn_model: bool) -> Result {
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    let mut cmd = common::isolated(&tmp.path().join("sessions"));
    cmd.envs(va.env())
        .args(common::kubernetes_session("20"))
        .args(["--model"])
        .arg(common::model())
        .arg("--out")
        .arg(&out)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    if !turn_model {
        cmd.arg("--no-turn-model");
    }
    let mut child = cmd.spawn().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(std::result::Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let mut r = Result::default();
    let mut next = 0;
    let mut playing: Option<Played> = None;
    let mut cut_gaps: Vec<bool> = Vec::new();
    let mut heard_final = false;
    // For each printed answer: whether it was the finished end of a played answer.
    let mut finals: Vec<bool> = Vec::new();
    let t0 = Instant::now();
    loop {
        let line = rx.recv_timeout(Duration::from_millis(100)).ok();
        let now = va.mic_clock();
        // The played answer is over once its audio has run out.
        if let Some(p) = &playing {
            let end = p.at + Duration::from_millis(p.a.samples.len() as u64 / 16);
            if now > end {
                for (g, cut) in p.a.gaps.iter().zip(&cut_gaps) {
                    r.pauses
                        .push((g.kind.label(), (g.end - g.start) as f64 / 16_000.0, *cut));
                }
                playing = None;
            }
        }
        let Some(line) = line else {
            if child.try_wait().unwrap().is_some() || t0.elapsed() > Duration::from_secs(3_600) {
                break;
            }
            continue;
        };
        if line.starts_with("> ") {
            let mut fin = false;
            if let Some(p) = &playing {
                let pos = (now.saturating_sub(p.at).as_millis() as u64) * 16;
                if pos + 16 * 200 < p.a.speech_end {
                    match p
                        .a
                        .gaps
                        .iter()
                        .position(|g| g.start <= pos && pos < g.end + 16 * 1_500)
                    {
                        Some(g) => cut_gaps[g] = true,
                        None => println!("  (turn ended mid-speech at {} ms)", pos / 16),
                    }
                } else if !heard_final {
                    heard_final = true;
                    fin = true;
                    r.heard_ms.push((pos - p.a.speech_end) / 16);
                }
            }
            finals.push(fin);
        }
        if line.contains("(listening") && playing.is_none() {
            if next == answers.len() {
                break;
            }
            let (ans, clips) = &answers[next];
            next += 1;
            let a = set::assemble(ans, clips);
            cut_gaps = vec![false; a.gaps.len()];
            heard_final = false;
            let at = va.mic_clock() + Duration::from_secs(1);
            va.play_at(at, &a.samples[(set::LEAD_S * 16_000.0) as usize..]);
            // The lead-in silence is the 1-s delay: positions keep their meaning.
            playing = Some(Played {
                at: at - Duration::from_secs_f64(set::LEAD_S),
                a,
            });
            r.answers += 1;
            println!(
                "  playing {} ({} turn model)",
                ans.id,
                if turn_model { "with" } else { "without" }
            );
        }
    }
    let _ = std::process::Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status();
    let _ = child.wait();
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("session.json")).unwrap()).unwrap();
    let lat = record["latency"].as_array().cloned().unwrap_or_default();
    for (l, fin) in lat.iter().zip(&finals) {
        if *fin {
            if let Some(v) = l["speech_to_audio_ms"].as_u64() {
                r.audio_ms.push(v);
            }
            if let Some(v) = l["endpoint_ms"].as_u64() {
                r.endpoint_ms.push(v);
            }
        }
    }
    r
}

#[test]
#[ignore = "real-time benchmark (tens of minutes): run with --ignored --nocapture"]
fn end_of_turn_live_today_against_the_model() {
    let set_name = std::env::var("LIVE_TURN_SET").unwrap_or_else(|_| "eval".into());
    let voice = std::env::var("LIVE_TURN_VOICE").unwrap_or_else(|_| "piper-joe".into());
    let limit: usize = std::env::var("LIVE_TURN_ANSWERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(usize::MAX);
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/turn_bench/{set_name}.txt"));
    let parsed = set::parse(
        &file.display().to_string(),
        &std::fs::read_to_string(&file).unwrap(),
    )
    .unwrap();
    let dir = mockint::models::store::cache_dir().join("testdata/turn_bench");
    let answers: Vec<(set::Answer, Vec<Vec<f32>>)> = parsed
        .into_iter()
        .take(limit)
        .map(|a| {
            let clips = a
                .parts
                .iter()
                .filter_map(|p| match p {
                    Part::Say(t) => Some(set::clip_path(&dir, &voice, t)),
                    Part::Pause(_) => None,
                })
                .map(|p| {
                    mockint::audio::load_wav(&p)
                        .unwrap_or_else(|_| {
                            panic!("{}: run scripts/make-turn-bench-set.sh", p.display())
                        })
                        .samples
                })
                .collect();
            (a, clips)
        })
        .collect();
    let mut results = Vec::new();
    for (name, model) in [("today", false), ("smart turn", true)] {
        println!("\n{name}: {} answers ({set_name}, {voice})", answers.len());
        results.push((name, run_variant(&answers, model)));
    }
    println!("\n## live end-of-turn benchmark — {set_name} set, {voice}\n");
    println!("| pause | length | today | smart turn |\n|---|---|---|---|");
    let bucket = |s: f64| {
        if s < 2.5 {
            "1.5–2.5 s"
        } else if s < 3.55 {
            "2.5–3.5 s"
        } else {
            "3.5–5 s"
        }
    };
    let mut keys: Vec<(&str, &str)> = results
        .iter()
        .flat_map(|(_, r)| r.pauses.iter().map(|p| (p.0, bucket(p.1))))
        .collect();
    keys.sort();
    keys.dedup();
    for (kind, b) in keys {
        let cell = |r: &Result| {
            let v: Vec<bool> = r
                .pauses
                .iter()
                .filter(|p| p.0 == kind && bucket(p.1) == b)
                .map(|p| p.2)
                .collect();
            format!("{} / {}", v.iter().filter(|&&c| c).count(), v.len())
        };
        println!(
            "| {kind} | {b} | {} | {} |",
            cell(&results[0].1),
            cell(&results[1].1)
        );
    }
    println!("\n| finished answers (ms) | today p50 | today p90 | smart turn p50 | smart turn p90 |\n|---|---|---|---|---|");
    for (label, f) in [
        (
            "end of speech → endpoint (VAD's end)",
            (|r: &Result| r.endpoint_ms.clone()) as fn(&Result) -> Vec<u64>,
        ),
        ("end of speech → answer heard (true end)", |r: &Result| {
            r.heard_ms.clone()
        }),
        (
            "end of speech → first reply audio (VAD's end)",
            |r: &Result| r.audio_ms.clone(),
        ),
    ] {
        let (a, b) = (f(&results[0].1), f(&results[1].1));
        println!(
            "| {label} | {} | {} | {} | {} |",
            percentile(&a, 0.5),
            percentile(&a, 0.9),
            percentile(&b, 0.5),
            percentile(&b, 0.9)
        );
    }
    for (name, r) in &results {
        println!(
            "{name}: {} answers played, {} finished turns measured",
            r.answers,
            r.heard_ms.len()
        );
        assert!(r.answers > 0);
    }
}
