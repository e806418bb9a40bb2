//! A STAR story told into the microphone, the way a person rehearses it: in
//! a terminal, a slow start, pauses between the parts, Enter pressed a few
//! seconds after the last word. Found trying it by hand (2026-12-07): the
//! take was timed by Whisper's token times over the whole recording, so the
//! opening sentence ran from 0:00 to 0:28 (the silence before it and most
//! of the story), the Task took 0:00, the Result ran on to the Enter as
//! `[BLANK_AUDIO]`, the total counted the silences at both ends, and
//! "Kubernetes" came back "Cuba meets" (no vocabulary). The prompt was only
//! printed; it is now said in the interviewer's voice first.

mod common;
use common::audio::VirtualAudio;
use common::pty::Pty;
use std::time::Duration;

/// The story in three utterances, with the pause after each.
const PARTS: [(&str, f64); 3] = [
    (
        "In my last role, our team wanted to move every service to Kubernetes within one quarter. \
         I disagreed, because half of our services were batch jobs that ran fine on a managed scheduler.",
        2.0,
    ),
    (
        "My task was to make the case without blocking the migration. I wrote a short comparison \
         of cost and on call load, and I proposed that we migrate the web services first.",
        3.0,
    ),
    (
        "As a result, we migrated twelve services in ten weeks, cut the on call pages by thirty \
         percent, and left the batch jobs where they were.",
        4.0,
    ),
];

fn take(dir: &std::path::Path) -> serde_json::Value {
    let story = dir.join("star/beh-disagreement/take-001.json");
    serde_json::from_str(&std::fs::read_to_string(&story).unwrap()).unwrap()
}

#[test]
fn a_star_story_told_into_the_microphone_is_timed_from_the_voice() {
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let sessions = tmp.path().join("sessions");
    let mut cmd = common::isolated(&sessions);
    cmd.envs(va.env())
        .env("MOCKINT_WHISPER_THREADS", "1")
        .args(["star", "--seed", "2", "--target", "0:45", "--model"])
        .arg(common::model());
    let spk = va.record_speaker(&tmp.path().join("spk.wav"));
    let mut term = Pty::spawn(cmd);
    term.expect("Speak now", Duration::from_secs(60));
    // The prompt was said aloud before the microphone opened.
    let said = spk.stop();
    let loudest = said
        .chunks(1_600)
        .map(|c| (c.iter().map(|x| x * x).sum::<f32>() / c.len() as f32).sqrt())
        .fold(0.0, f32::max);
    assert!(loudest > 0.01, "the prompt was not spoken ({loudest})");

    // A slow start: 8 s before the first word.
    let mut at = va.mic_clock() + Duration::from_secs(8);
    let first = at;
    let mut spans = Vec::new();
    for (i, (text, pause)) in PARTS.iter().enumerate() {
        let clip = common::audio::speech(tmp.path(), &format!("p{i}"), text);
        let len = Duration::from_secs_f64(clip.len() as f64 / 16_000.0);
        va.play_at(at, &clip);
        spans.push((at - first, at + len - first));
        at += len + Duration::from_secs_f64(*pause);
    }
    let spoken = spans[2].1;
    va.wait_for_mic(at, || term.screen());
    term.send(b"\r");
    let (status, _) = term.wait(Duration::from_secs(120));
    let screen = term.screen();
    assert!(status.success(), "{screen}");

    let t = take(&sessions);
    let report = &t["report"];
    let total = report["total_ms"].as_u64().unwrap();
    // espeak-ng's clips carry a little silence at both ends.
    let want = spoken.as_millis() as u64;
    assert!(
        total.abs_diff(want) < 1_500,
        "total {total} ms, spoken {want} ms\n{screen}"
    );
    let sentences = report["sentences"].as_array().unwrap();
    let text: Vec<&str> = sentences
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert!(
        !text.iter().any(|s| s.contains('[') || s.contains('(')),
        "a non-speech tag in the story: {text:?}"
    );
    assert!(text.join(" ").contains("Kubernetes"), "{text:?}");
    // Each part is timed where it was said: the Task and Action sentences
    // start inside the second utterance, the Result inside the third.
    let first_ms = sentences[0]["start_ms"].as_u64().unwrap();
    let part_start = |part: &str| {
        sentences
            .iter()
            .find(|s| s["part"] == part)
            .map(|s| s["start_ms"].as_u64().unwrap() - first_ms)
            .unwrap_or_else(|| panic!("no {part} sentence: {text:?}"))
    };
    let within = |ms: u64, (a, b): (Duration, Duration)| {
        (a.as_millis() as u64).saturating_sub(700) <= ms && ms <= b.as_millis() as u64
    };
    assert!(within(part_start("task"), spans[1]), "{report:#}");
    assert!(within(part_start("action"), spans[1]), "{report:#}");
    assert!(within(part_start("result"), spans[2]), "{report:#}");
    let parts = report["parts"].as_array().unwrap();
    let ms = |p: &str| {
        parts.iter().find(|x| x["part"] == p).unwrap()["ms"]
            .as_u64()
            .unwrap()
    };
    // The Task is one sentence of about 3.5 s; the Result ends at its last
    // word, not at the Enter.
    assert!((2_000..6_000).contains(&ms("task")), "{report:#}");
    let result_len = (spans[2].1 - spans[2].0).as_millis() as u64;
    assert!(ms("result") <= result_len + 1_000, "{report:#}");
    // The live clock ran from the first word: no amber at a 0:45 target for
    // a story of about 0:38 with Enter 4 s after it (from "Speak now", with
    // the 8-s start, it would have passed 0:50).
    assert!(total < 41_000, "{report:#}");
    assert!(!screen.contains("] amber:"), "{screen}");
}
