//! A candidate whose answer was taken as over goes on talking just as the
//! interviewer starts its reply (a long thinking pause, then more): on the
//! real stack — PulseAudio virtual devices, the Piper voice, real VAD and
//! Whisper — the reply yields at once and every word said is kept. Before,
//! the echo guard learned the candidate's own voice as the loudspeaker's
//! echo during its first second, never stopped the reply, and everything
//! said over it but its last 1.5 s was lost. Then, what came after was
//! kept as a remark and the first part graded alone; now the answer goes
//! on and is graded whole. And when the reply that
//! starts is the interview's closing, the candidate is heard out: what they
//! go on with is kept, then the closing is said again.

mod common;
use common::audio::{speech, VirtualAudio};
use std::io::BufRead;
use std::time::{Duration, Instant};

/// What a session heard when the candidate said `first`, paused `gap_ms`
/// and went on with `then`: its exit, what it printed, and its answers and
/// remarks (lower case).
struct Heard {
    ended_by_itself: bool,
    shown: String,
    said: Vec<String>,
}

fn go_on(first: &str, gap_ms: u64, then: &str, marks: &[&str]) -> Heard {
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let a = speech(tmp.path(), "a", first);
    let b = speech(tmp.path(), "b", then);
    let out = tmp.path().join("s");
    let mut child = common::isolated(&tmp.path().join("sessions"))
        .envs(va.env())
        .env("MOCKINT_WHISPER_THREADS", "1")
        .args(common::kubernetes_session("1"))
        // The silence rules alone, so the turn ends at a known moment.
        .args(["--no-turn-model", "--model"])
        .arg(common::model())
        .arg("--out")
        .arg(&out)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            all.push_str(&line);
            all.push('\n');
            let _ = tx.send(line);
        }
        all
    });
    let t0 = Instant::now();
    let mut played = false;
    let mut went_on = false;
    let mut ended_by_itself = false;
    while t0.elapsed() < Duration::from_secs(150) {
        let line = match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => line,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                ended_by_itself = true;
                break;
            }
            Err(_) => {
                // What they said after the pause is recorded (in the
                // answer, as more of it or a remark).
                if went_on
                    && said(&out)
                        .iter()
                        .any(|t| marks.iter().any(|m| t.contains(m)))
                {
                    // A closing said again ends the session by itself.
                    std::thread::sleep(Duration::from_secs(8));
                    ended_by_itself = child.try_wait().unwrap().is_some();
                    break;
                }
                continue;
            }
        };
        if line.contains("(listening") && !played {
            // The answer, then a pause longer than the session waits out,
            // then more, as the reply begins.
            let start = va.mic_clock() + Duration::from_millis(500);
            va.play_at(start, &a);
            let resume = start
                + Duration::from_secs_f64(a.len() as f64 / 16_000.0)
                + Duration::from_millis(gap_ms);
            va.play_at(resume, &b);
            played = true;
        }
        if played && (line.contains("still talking") || line.contains("you cut in")) {
            went_on = true;
        }
    }
    if !ended_by_itself {
        let _ = std::process::Command::new("kill")
            .arg("-INT")
            .arg(child.id().to_string())
            .status();
    }
    let status = child.wait().unwrap();
    let shown = reader.join().unwrap();
    assert!(status.success(), "{shown}");
    assert!(
        went_on,
        "the reply did not yield to the candidate:\n{shown}"
    );
    Heard {
        ended_by_itself,
        shown,
        said: said(&out),
    }
}

/// The session's answers and remarks so far (lower case).
fn said(out: &std::path::Path) -> Vec<String> {
    let Ok(json) = std::fs::read_to_string(out.join("session.json")) else {
        return Vec::new();
    };
    let Ok(r) = serde_json::from_str::<serde_json::Value>(&json) else {
        return Vec::new();
    };
    r["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["event"] == "answer" || e["event"] == "remark")
        .filter_map(|e| e["text"].as_str())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn going_on_as_the_reply_starts_stops_it_and_keeps_every_word() {
    // 6.8 s: longer than a young answer's 6.5-s wait.
    let h = go_on(
        "The Cluster Autoscaler watches for pending pods and adds nodes to the node group.",
        6_800,
        "Karpenter launches right sized instances directly, and a fixed size group has no headroom when a node fails.",
        &["karpenter", "carpenter", "headroom", "fails"],
    );
    let all = h.said.join(" | ");
    assert!(
        h.said.first().is_some_and(|t| t.contains("pending")),
        "the answer before the pause: {all}"
    );
    // Every word of what came after: its first words were said over the
    // reply's first moments.
    assert!(
        all.contains("karpenter") || all.contains("carpenter"),
        "the first words after the pause were lost: {all}\n{}",
        h.shown
    );
    assert!(
        all.contains("headroom") || all.contains("fails"),
        "the last words after the pause were lost: {all}"
    );
    // The reply had not been heard: the answer goes on and is graded whole.
    assert!(
        h.said.len() == 1 && (all.contains("headroom") || all.contains("fails")),
        "the rest was not kept in the same answer: {all}\n{}",
        h.shown
    );
}

#[test]
fn going_on_over_the_closing_is_heard_out() {
    // "I don't know" ends the only question: the reply is the closing.
    let h = go_on(
        "I don't know.",
        6_800,
        "Actually, wait. The Cluster Autoscaler adds nodes when pods are pending, and removes nodes that sit idle.",
        &["idle", "removes", "pending"],
    );
    let all = h.said.join(" | ");
    assert!(
        all.contains("pending") && (all.contains("idle") || all.contains("removes")),
        "what was said over the closing was lost: {all}\n{}",
        h.shown
    );
    assert!(
        h.shown.contains("that's in your transcript too"),
        "the closing was not said again after hearing them out:\n{}",
        h.shown
    );
    assert!(h.ended_by_itself, "the session did not end:\n{}", h.shown);
}
