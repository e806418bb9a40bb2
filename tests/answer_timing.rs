//! When the candidate starts answering, relative to the question, must not
//! cost a word: over the question's last words (a barge-in), right as it
//! ends, or after an 8-s think. Spoken sessions on the PulseAudio virtual
//! devices, the interviewer speaking, the answer fed into the microphone in
//! real time, the session in a pseudo-terminal.

mod common;
use common::audio::VirtualAudio;
use common::pty::Pty;
use serde_json::Value;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

static SERIAL: Mutex<()> = Mutex::new(());

const ANSWER: &str = "First, the Cluster Autoscaler watches for pods that stay pending \
and adds a node to the group. Then it removes nodes that stay idle for ten minutes.";

/// When the answer starts.
enum Start {
    /// This long after the question's line appears (while it is spoken).
    IntoTheQuestion(Duration),
    /// This long after the session starts listening.
    AfterListening(Duration),
}

/// Lowercase words, punctuation removed.
fn plain(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect()
}

/// What Whisper hears in the answer's clip transcribed whole, offline: the
/// reference for "no word lost" (its own mishearings are not losses).
fn whole(answer: &[f32]) -> String {
    use mockint::stt::{TranscribeOptions, Transcriber};
    let mut stt = mockint::stt::whisper::WhisperTranscriber::load(&common::model()).unwrap();
    let t = stt
        .transcribe(answer, &TranscribeOptions::default())
        .unwrap();
    plain(&mockint::stt::hygiene::clean(&t.text()))
}

/// What the session kept of one answer played into the microphone.
struct Heard {
    /// The answer's words as the session recorded them.
    text: String,
    /// The clip's words transcribed whole, offline.
    whole: String,
    /// The clip as played.
    clip: Vec<f32>,
    /// The answer audio the session saved, its takes one after another.
    audio: Vec<f32>,
    screen: String,
}

fn heard(start: Start) -> Heard {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let answer = common::audio::speech(tmp.path(), "a", ANSWER);
    let out = tmp.path().join("s");
    let mut term = Pty::spawn(va.kubernetes_session(tmp.path(), "1"));
    let at = match start {
        Start::IntoTheQuestion(d) => {
            term.expect("Interviewer [", Duration::from_secs(90));
            va.mic_clock() + d
        }
        Start::AfterListening(d) => {
            term.expect("(listening", Duration::from_secs(120));
            va.mic_clock() + d
        }
    };
    va.play_at(at, &answer);
    // Everything said has been heard and endpointed (and whatever follows
    // it, a follow-up or the next question, has begun); Ctrl-C keeps any
    // answer still in progress.
    let end = at + Duration::from_secs_f64(answer.len() as f64 / 16_000.0 + 8.0);
    va.wait_for_mic(end, || term.screen());
    if term.child.try_wait().unwrap().is_none() {
        term.send(b"\x03");
    }
    term.wait(Duration::from_secs(20));
    Heard {
        text: answers(&out).join(" "),
        whole: whole(&answer),
        audio: saved_audio(&out),
        clip: answer,
        screen: term.screen(),
    }
}

/// The answer takes the session saved (`answers/*.wav`), in order.
fn saved_audio(out: &Path) -> Vec<f32> {
    let mut wavs: Vec<_> = std::fs::read_dir(out.join("answers"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    wavs.sort();
    wavs.iter()
        .flat_map(|w| mockint::audio::load_wav(w).unwrap().samples)
        .collect()
}

fn answers(out: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(out.join("session.json")) else {
        return Vec::new();
    };
    let Ok(r) = serde_json::from_str::<Value>(&text) else {
        return Vec::new();
    };
    r["events"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter(|e| e["event"] == "answer")
                .map(|e| plain(e["text"].as_str().unwrap()))
                .collect()
        })
        .unwrap_or_default()
}

/// No sound of the answer was lost: all of the clip's speech, from its first
/// voiced 10 ms to its last, is in the audio the session saved (20 ms of
/// slack for the resampling on the way). And its words reached the answer: the last two words of what
/// Whisper hears in the whole clip and one of its first two, no stretch of
/// three words or more missing (a lost chunk), and at least 75 % of them.
/// Words are checked more loosely than sound because a chunked decode and a
/// whole one differ by two or three words even on the same samples ("stay
/// pending" heard "save ending" or "instead depending"; a lone opening
/// "First," followed by a pause dropped by the biased decode of a chunk that
/// holds all of it): 80 % failed a full run on 2026-12-06 at 11 of 14 words
/// with no sound missing, and CI on 2026-12-07 at 10 of 14 ("stay pending"
/// → "and appending", "stay idle" → "at k idle") with no sound missing.
fn assert_whole(h: &Heard) {
    let missing = common::audio::clip_missing_ms(&h.audio, &h.clip);
    eprintln!("answer sound missing from the saved audio: {missing} ms");
    assert!(
        missing <= 20,
        "{missing} ms of the answer's sound is not in the audio the session saved ({:.1} s saved for a {:.1}-s clip)\n{}",
        h.audio.len() as f64 / 16_000.0,
        h.clip.len() as f64 / 16_000.0,
        h.screen
    );
    let (text, whole, screen) = (&h.text, &h.whole, &h.screen);
    let want: Vec<&str> = whole.split_whitespace().filter(|w| w.len() > 3).collect();
    let got: Vec<&str> = text.split_whitespace().collect();
    assert!(want.len() >= 10, "the clip was not heard whole: {whole:?}");
    // Two decodes of the same words may spell one differently ("autoscale"
    // / "autoscaler", "ending" / "pending") or run one into its neighbour
    // ("stay pending" heard "and appending"): that is no word lost.
    let near = |a: &str, b: &str| {
        a == b
            || (a.len() > 4 && b.len() > 4 && one_edit(a, b))
            || (a.len() > 5 && b.len() > 5 && (a.contains(b) || b.contains(a)))
    };
    let has = |w: &str| got.iter().any(|g| near(g, w));
    let lost = |w: &&str| !has(w);
    let first_lost = want[..2].iter().all(lost);
    let last_lost = want[want.len() - 2..].iter().any(lost);
    assert!(
        !first_lost && !last_lost,
        "the answer's first or last words were lost: {text:?} (whole: {whole:?})\n{screen}"
    );
    let heard: Vec<bool> = want.iter().map(|w| has(w)).collect();
    let longest_gap = heard.split(|&h| h).map(<[bool]>::len).max().unwrap_or(0);
    assert!(
        longest_gap < 3,
        "{longest_gap} words in a row lost: {text:?} (whole: {whole:?})"
    );
    let found = heard.iter().filter(|&&h| h).count();
    assert!(
        found * 100 >= want.len() * 75,
        "{found} of {} words heard: {text:?} (whole: {whole:?})",
        want.len()
    );
}

/// The sound check above fails when the answer's first or last 50 ms were
/// not kept, or when 50 ms went missing in the middle.
#[test]
fn the_sound_check_fails_on_an_answer_cut_short() {
    let tmp = tempfile::tempdir().unwrap();
    let clip = common::audio::speech(tmp.path(), "a", ANSWER);
    let quiet = vec![0.0f32; 8_000];
    let kept = [&quiet[..], &clip[..], &quiet[..]].concat();
    assert_eq!(common::audio::clip_missing_ms(&kept, &clip), 0);
    let voiced = |from_end: bool| {
        let mut i: Vec<usize> = (0..clip.len()).collect();
        if from_end {
            i.reverse();
        }
        i.into_iter().find(|&i| clip[i].abs() > 0.05).unwrap()
    };
    let (on, off) = (voiced(false), voiced(true));
    let head_cut = [&quiet[..], &clip[on + 800..]].concat();
    let tail_cut = [&clip[..off - 800], &quiet[..]].concat();
    let mid = clip.len() / 2;
    let split = [&clip[..mid], &clip[mid + 800..]].concat();
    for (what, audio) in [("head", head_cut), ("tail", tail_cut), ("split", split)] {
        let missing = common::audio::clip_missing_ms(&audio, &clip);
        assert!(missing >= 40, "{what}: {missing} ms");
    }
}

#[test]
fn an_answer_started_over_the_questions_last_words_loses_no_word() {
    assert_whole(&heard(Start::IntoTheQuestion(Duration::from_millis(2_500))));
}

#[test]
fn an_answer_started_as_the_question_ends_loses_no_word() {
    assert_whole(&heard(Start::AfterListening(Duration::ZERO)));
}

#[test]
fn an_answer_started_eight_seconds_after_the_question_loses_no_word() {
    assert_whole(&heard(Start::AfterListening(Duration::from_secs(8))));
}

/// Whether `a` and `b` differ by one letter inserted, removed or changed.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 {
        return false;
    }
    let p = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if short.len() == long.len() {
        p == short.len() || short[p + 1..] == long[p + 1..]
    } else {
        short[p..] == long[p + 1..]
    }
}
