//! `mockint transcribe` on real speech with the real tiny.en model.

mod common;
use common::{mockint, model, testdata};
use mockint::stt::wer::edits;

#[test]
fn jfk_transcript_contains_the_famous_line() {
    let out = mockint()
        .arg("transcribe")
        .arg(testdata().join("jfk/jfk.wav"))
        .arg("--model")
        .arg(model())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout)
        .to_lowercase()
        .replace(',', "");
    assert!(
        text.contains("ask not what your country can do for you"),
        "{text}"
    );
}

#[test]
fn librivox_word_error_rate_is_at_most_ten_percent() {
    let dir = testdata().join("librivox");
    let mut wavs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "wav"))
        .collect();
    wavs.sort();
    assert_eq!(wavs.len(), 5);
    let out = mockint()
        .arg("transcribe")
        .args(&wavs)
        .arg("--model")
        .arg(model())
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let (mut errs, mut words) = (0, 0);
    for (wav, r) in wavs.iter().zip(&results) {
        let reference = std::fs::read_to_string(wav.with_extension("txt")).unwrap();
        // Ordinary speech passes the vocabulary layer untouched.
        assert_eq!(
            r["text"],
            r["raw_text"],
            "the layer changed {}",
            wav.display()
        );
        let (e, n) = edits(r["text"].as_str().unwrap(), &reference);
        eprintln!("{e}/{n} {}: {}", wav.display(), r["text"]);
        errs += e;
        words += n;
    }
    let wer = errs as f64 / words as f64;
    eprintln!("LibriVox WER {:.1}% ({errs}/{words})", wer * 100.0);
    assert!(wer <= 0.10, "WER {wer}");
}

#[test]
fn json_output_has_timed_segments_with_confidence() {
    let out = mockint()
        .arg("transcribe")
        .arg(testdata().join("jfk/jfk.wav"))
        .arg("--model")
        .arg(model())
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let segs = v["segments"].as_array().unwrap();
    assert!(!segs.is_empty());
    let mut last_end = 0;
    for s in segs {
        let (start, end) = (
            s["start_ms"].as_i64().unwrap(),
            s["end_ms"].as_i64().unwrap(),
        );
        assert!(start >= 0 && end > start && start >= last_end - 10, "{s}");
        last_end = end;
        let p = s["mean_token_prob"].as_f64().unwrap();
        assert!(p > 0.3 && p <= 1.0, "{s}");
        let ns = s["no_speech_prob"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&ns), "{s}");
    }
    assert!(
        (10_000..=11_500).contains(&last_end),
        "ends at {last_end} ms"
    );
    assert!((v["seconds"].as_f64().unwrap() - 11.0).abs() < 0.1);
}

#[test]
fn resampled_stereo_float_input_transcribes_the_same_words() {
    // The same speech as 44.1 kHz stereo 32-bit float must give the same words.
    let clip = mockint::audio::load_wav(&testdata().join("jfk/jfk.wav")).unwrap();
    let up = mockint::audio::resample::resample(&clip.samples, 16_000, 44_100).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stereo.wav");
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 44_100,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(&path, spec).unwrap();
    for s in up {
        w.write_sample(s).unwrap();
        w.write_sample(s).unwrap();
    }
    w.finalize().unwrap();
    let out = mockint()
        .arg("transcribe")
        .arg(&path)
        .arg("--model")
        .arg(model())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout)
        .to_lowercase()
        .replace(',', "");
    assert!(
        text.contains("ask not what your country can do for you"),
        "{text}"
    );
}
