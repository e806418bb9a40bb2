//! The spoken interview end to end on a real audio stack (PulseAudio virtual
//! microphone → ALSA → cpal), real VAD, real Whisper: what was said reaches
//! the transcript, a thinking pause does not split an answer, latency is
//! recorded, and Ctrl-C ends the session cleanly.

mod common;
use common::audio::{speech, VirtualAudio};
use std::sync::Mutex;
use std::time::Duration;

/// These tests run in real time on a 2-core machine: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// An answer in two parts, spoken by espeak-ng.
fn two_part_answer(dir: &std::path::Path) -> (Vec<f32>, Vec<f32>) {
    let a = speech(
        dir,
        "a",
        "Cluster Autoscaler watches for pending pods and scales up the node group.",
    );
    let b = speech(
        dir,
        "b",
        "The risk of a fixed size group is no headroom when a node fails.",
    );
    (a, b)
}

#[test]
fn a_spoken_answer_with_a_four_second_pause_stays_one_answer() {
    let _one = serial();
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = two_part_answer(tmp.path());
    let t_a = Duration::from_secs(3);
    let t_b = t_a + Duration::from_secs_f64(a.len() as f64 / 16_000.0) + Duration::from_secs(4);
    va.play_at(t_a, &a);
    va.play_at(t_b, &b);
    let out = tmp.path().join("s");
    let mut child = Some(spawn_session(&va, tmp.path(), &out, &["--no-tts"]));
    // Once the answer is in the record, stop the session as a candidate would with Ctrl-C.
    wait_for(&mut child, &out, "\"event\": \"answer\"");
    interrupt(child);
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

/// `mockint start --round kubernetes` for one question on the virtual devices.
fn spawn_session(
    va: &VirtualAudio,
    tmp: &std::path::Path,
    out: &std::path::Path,
    extra: &[&str],
) -> std::process::Child {
    common::isolated(&tmp.join("sessions"))
        .envs(va.env())
        // One Whisper thread: its spinning barriers crawl when the shared
        // machine's cores are busy, and these tests check behaviour, not speed.
        .env("MOCKINT_WHISPER_THREADS", "1")
        .args(common::kubernetes_session("1"))
        .args(["--model"])
        .arg(common::model())
        .arg("--out")
        .arg(out)
        .args(extra)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits (at most 90 s) until session.json holds `needle`; returns it parsed.
/// On time-out the session is stopped and its output shown.
fn wait_for(
    child: &mut Option<std::process::Child>,
    out: &std::path::Path,
    needle: &str,
) -> serde_json::Value {
    let t0 = std::time::Instant::now();
    loop {
        if let Ok(s) = std::fs::read_to_string(out.join("session.json")) {
            if s.contains(needle) {
                return serde_json::from_str(&s).unwrap();
            }
        }
        if t0.elapsed() > Duration::from_secs(90) {
            let c = child.take().unwrap();
            let _ = std::process::Command::new("kill")
                .arg(c.id().to_string())
                .status();
            let run = c.wait_with_output().unwrap();
            panic!(
                "{needle} not in session.json within 90 s\n{}\n{}",
                String::from_utf8_lossy(&run.stdout),
                String::from_utf8_lossy(&run.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn final_record(out: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("session.json")).unwrap()).unwrap()
}

/// Ctrl-C, then the session's output (it must exit cleanly).
fn interrupt(child: Option<std::process::Child>) -> String {
    let child = child.unwrap();
    std::process::Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    let run = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout).to_string();
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    stdout
}

#[test]
fn the_question_is_heard_on_the_speaker_and_talking_over_it_stops_it() {
    let _one = serial();
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let answer = speech(
        tmp.path(),
        "a",
        "Cluster Autoscaler watches for pending pods and adds nodes to the group.",
    );
    let speaker = va.record_speaker(&tmp.path().join("speaker.wav"));
    let out = tmp.path().join("s");
    let mut child = Some(spawn_session(&va, tmp.path(), &out, &[]));
    let record = wait_for(&mut child, &out, "\"event\": \"asked\"");
    let (asked, asked_mic) = (va.elapsed(), va.mic_clock());
    let question = record["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "asked")
        .unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    // The candidate starts answering 3 s into the question.
    let cut_in = asked + Duration::from_secs(3);
    va.play_at(asked_mic + Duration::from_secs(3), &answer);
    wait_for(&mut child, &out, "\"event\": \"answer\"");
    let stdout = interrupt(child);
    let levels = speaker.stop();
    let record = final_record(&out);

    let lat = &record["latency"][0];
    assert!(
        lat["barged_in_at"].as_u64().is_some(),
        "the interviewer was not cut off: {lat}\n{stdout}"
    );
    let text = record["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "answer")
        .unwrap()["text"]
        .as_str()
        .unwrap()
        .to_lowercase();
    assert!(
        text.contains("pending") && text.contains("node"),
        "the answer given over the question was heard: {text}"
    );
    // The question reached the speaker, and stopped soon after the cut-in
    // although it had more to say.
    let block = |t: Duration| (t.as_secs_f64() * 10.0) as usize;
    let spoken = levels[block(asked)..block(cut_in).min(levels.len())]
        .iter()
        .filter(|&&l| l > 0.01)
        .count();
    assert!(
        spoken >= 10,
        "no speech on the speaker while the question was asked: {levels:?}"
    );
    let natural_end =
        asked + Duration::from_secs_f64(question.split_whitespace().count() as f64 * 60.0 / 200.0);
    assert!(
        natural_end > cut_in + Duration::from_secs(3),
        "the question is long enough to be cut: {question}"
    );
    let after = &levels[block(cut_in + Duration::from_millis(1500)).min(levels.len())
        ..block(natural_end).min(levels.len())];
    assert!(
        after.iter().all(|&l| l < 0.01),
        "the interviewer kept speaking after the cut-in: {after:?}"
    );
}

#[test]
fn enter_ends_the_answer_without_waiting_out_the_silence() {
    let _one = serial();
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    // Ends on "and": left alone, the endpointer would wait 6.5 s.
    let answer = speech(
        tmp.path(),
        "a",
        "A readiness probe gates traffic to the pod and",
    );
    let out = tmp.path().join("s");
    let mut child = Some(spawn_session(&va, tmp.path(), &out, &["--no-tts"]));
    wait_for(&mut child, &out, "\"event\": \"asked\"");
    let start = va.mic_clock() + Duration::from_secs(1);
    va.play_at(start, &answer);
    let spoken_end = start + Duration::from_secs_f64(answer.len() as f64 / 16_000.0);
    while va.mic_clock() < spoken_end + Duration::from_millis(800) {
        std::thread::sleep(Duration::from_millis(50));
    }
    use std::io::Write;
    child
        .as_mut()
        .unwrap()
        .stdin
        .as_mut()
        .unwrap()
        .write_all(b"\n")
        .unwrap();
    wait_for(&mut child, &out, "\"event\": \"answer\"");
    interrupt(child);
    let record = final_record(&out);
    let lat = &record["latency"][0];
    let endpoint = lat["endpoint_ms"].as_u64().unwrap();
    assert!(
        endpoint < 3_000,
        "Enter ended the answer {endpoint} ms after the last word: {lat}"
    );
    // The answer's audio is kept beside the transcript.
    let take = &record["answers"][0];
    let wav = out.join(take["audio"].as_str().expect("audio saved"));
    let audio = mockint::audio::load_wav(&wav).unwrap();
    let secs = audio.samples.len() as f64 / 16_000.0;
    let answer_s = answer.len() as f64 / 16_000.0;
    assert!(
        secs > answer_s * 0.8 && secs < answer_s + 2.0,
        "{} holds {secs:.1} s for a {answer_s:.1}-s answer",
        wav.display()
    );
    assert_eq!(
        take["started"],
        record["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["event"] == "answer")
            .unwrap()["started"]
    );
}

#[test]
fn push_to_talk_keeps_the_turn_open_through_a_long_silence() {
    let _one = serial();
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = two_part_answer(tmp.path());
    let out = tmp.path().join("s");
    let mut child = Some(spawn_session(&va, tmp.path(), &out, &["--no-tts"]));
    wait_for(&mut child, &out, "\"event\": \"asked\"");
    use std::io::Write;
    let stdin = child.as_mut().unwrap().stdin.as_mut().unwrap();
    // Enter before speaking: push-to-talk. Then 9 s of silence mid-answer,
    // longer than any silence the endpointer would wait through.
    std::thread::sleep(Duration::from_millis(500));
    stdin.write_all(b"\n").unwrap();
    let t_a = va.mic_clock() + Duration::from_millis(500);
    let t_b = t_a + Duration::from_secs_f64(a.len() as f64 / 16_000.0) + Duration::from_secs(9);
    va.play_at(t_a, &a);
    va.play_at(t_b, &b);
    let end = t_b + Duration::from_secs_f64(b.len() as f64 / 16_000.0) + Duration::from_secs(1);
    while va.mic_clock() < end {
        std::thread::sleep(Duration::from_millis(50));
    }
    stdin.write_all(b"\n").unwrap();
    let record = wait_for(&mut child, &out, "\"event\": \"answer\"");
    interrupt(child);
    let answers: Vec<String> = record["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "answer")
        .map(|e| e["text"].as_str().unwrap().to_lowercase())
        .collect();
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert!(
        answers[0].contains("pending")
            && (answers[0].contains("headroom") || answers[0].contains("fails")),
        "both parts in one answer: {answers:?}"
    );
}
