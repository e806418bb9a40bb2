//! Transcript = what was said, however the answer is cut: the same spoken
//! answer, with its pauses placed differently, goes through the real VAD,
//! the endpointer's commits and Whisper chunk by chunk, exactly as a live
//! session does; the words must match transcribing the answer whole, within
//! Whisper's own variance — no passage doubled, none dropped.

mod common;
use mockint::stt::whisper::WhisperTranscriber;
use mockint::stt::{TranscribeOptions, Transcriber};
use mockint::vad::{EndpointConfig, EndpointEvent, Endpointer, VoiceDetector, WebRtcVad, FRAME};

/// Human speech (LibriVox, from the test data): four sentences, 18 s.
const CLIPS: [&str; 4] = [
    "sense_and_sensibility_01_austen_64kb-0880",
    "sense_and_sensibility_01_austen_64kb-0890",
    "sense_and_sensibility_01_austen_64kb-0920",
    "sense_and_sensibility_01_austen_64kb-0930",
];

/// The sentences with the given pauses (seconds) between them.
fn answer(parts: &[Vec<f32>], pauses: &[f64]) -> Vec<f32> {
    let mut out = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        out.extend_from_slice(p);
        if let Some(s) = pauses.get(i) {
            out.extend(std::iter::repeat(0.0005f32).take((s * 16_000.0) as usize));
        }
    }
    out.extend(std::iter::repeat(0.0005f32).take(16_000));
    out
}

/// The committed chunks of `audio`, as the live loop cuts them.
fn chunks(audio: &[f32]) -> Vec<(usize, usize)> {
    let mut vad = WebRtcVad::default();
    let mut ep = Endpointer::new(EndpointConfig::default());
    ep.reset(60);
    let mut out = Vec::new();
    let mut pos = 0u64;
    for f in audio.chunks_exact(FRAME) {
        pos += FRAME as u64;
        let frame: &[f32; FRAME] = f.try_into().unwrap();
        for e in ep.push(vad.is_speech(frame), pos) {
            if let EndpointEvent::Commit { start, end } = e {
                out.push((start as usize, end as usize));
            }
        }
    }
    for e in ep.force_end(pos) {
        if let EndpointEvent::Commit { start, end } = e {
            out.push((start as usize, end as usize));
        }
    }
    out
}

#[test]
fn an_answer_cut_at_any_pauses_reads_the_same_as_whole() {
    let dir = common::testdata().join("librivox");
    let parts: Vec<Vec<f32>> = CLIPS
        .iter()
        .map(|c| {
            mockint::audio::load_wav(&dir.join(format!("{c}.wav")))
                .unwrap()
                .samples
        })
        .collect();
    let mut stt = WhisperTranscriber::load(&common::model()).unwrap();
    let opts = TranscribeOptions::default();
    let mut text =
        |a: &[f32]| mockint::stt::hygiene::clean(&stt.transcribe(a, &opts).unwrap().text());
    let reference = CLIPS
        .iter()
        .map(|c| std::fs::read_to_string(dir.join(format!("{c}.txt"))).unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    for pauses in [
        [0.3, 0.3, 0.3],
        [0.8, 2.5, 0.4],
        [3.0, 0.7, 1.6],
        [1.2, 1.2, 3.5],
    ] {
        let audio = answer(&parts, &pauses);
        let cuts = chunks(&audio);
        assert!(!cuts.is_empty(), "{pauses:?}: nothing committed");
        let chunked: Vec<String> = cuts
            .iter()
            .map(|&(a, b)| text(&audio[a..b.min(audio.len())]))
            .collect();
        let chunked = chunked.join(" ");
        let whole = text(&audio);
        let (w_chunked, w_whole) = (
            mockint::stt::wer::wer(&chunked, &reference),
            mockint::stt::wer::wer(&whole, &reference),
        );
        let words = |s: &str| mockint::stt::wer::normalize(s).len();
        // No passage doubled or dropped (a sentence is 9–14 words): as
        // many words as Whisper hears in the whole answer…
        assert!(
            words(&chunked).abs_diff(words(&whole)) <= 5,
            "{pauses:?} {} chunks: {chunked:?}\nwhole: {whole:?}",
            cuts.len()
        );
        // …and nearly as right as Whisper on the whole answer: short chunks
        // lose some context (measured: 0.10 against 0.02 with a 3-s chunk).
        assert!(
            w_chunked <= w_whole + 0.10,
            "{pauses:?}: chunked WER {w_chunked:.2} vs whole {w_whole:.2}\n{chunked}\n{whole}"
        );
    }
}
