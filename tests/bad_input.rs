//! Every bad input gets one clear line naming the file, exit status 2, and no panic.

mod common;
use common::{mockint, model};
use std::path::Path;

/// Runs mockint, expecting exit 2 and a single `error:` line mentioning `needle`.
fn expect_bad_input(args: &[&std::ffi::OsStr], needles: &[&str]) {
    expect_one_line_error(mockint().args(args), needles);
}

/// Runs `cmd`, expecting exit 2, no panic, and a single `error:` line
/// mentioning every needle.
fn expect_one_line_error(cmd: &mut assert_cmd::Command, needles: &[&str]) {
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "expected one line, got: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    for n in needles {
        assert!(lines[0].contains(n), "{n:?} not in {stderr}");
    }
}

fn transcribe(file: &Path) -> Vec<std::ffi::OsString> {
    vec![
        "transcribe".into(),
        file.into(),
        "--model".into(),
        model().into(),
    ]
}

fn os(v: &[std::ffi::OsString]) -> Vec<&std::ffi::OsStr> {
    v.iter().map(|s| s.as_os_str()).collect()
}

/// A canonical 44-byte WAV header for `n` data bytes.
fn header(format_tag: u16, channels: u16, rate: u32, bits: u16, n: u32) -> Vec<u8> {
    let mut h = Vec::new();
    h.extend_from_slice(b"RIFF");
    h.extend_from_slice(&(36 + n).to_le_bytes());
    h.extend_from_slice(b"WAVEfmt ");
    h.extend_from_slice(&16u32.to_le_bytes());
    h.extend_from_slice(&format_tag.to_le_bytes());
    h.extend_from_slice(&channels.to_le_bytes());
    h.extend_from_slice(&rate.to_le_bytes());
    let align = channels * bits / 8;
    h.extend_from_slice(&(rate * align as u32).to_le_bytes());
    h.extend_from_slice(&align.to_le_bytes());
    h.extend_from_slice(&bits.to_le_bytes());
    h.extend_from_slice(b"data");
    h.extend_from_slice(&n.to_le_bytes());
    h
}

#[test]
fn missing_wav_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("nowhere.wav");
    expect_bad_input(&os(&transcribe(&p)), &["nowhere.wav", "not found"]);
}

#[test]
fn file_that_is_not_a_wav() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("notes.wav");
    std::fs::write(&p, "these are my interview notes, not audio\n").unwrap();
    expect_bad_input(&os(&transcribe(&p)), &["notes.wav", "not a WAV"]);
}

#[test]
fn empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("empty.wav");
    std::fs::write(&p, b"").unwrap();
    expect_bad_input(&os(&transcribe(&p)), &["empty.wav", "empty"]);
}

#[test]
fn zero_length_wav() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("zero.wav");
    std::fs::write(&p, header(1, 1, 16_000, 16, 0)).unwrap();
    expect_bad_input(&os(&transcribe(&p)), &["zero.wav", "no audio samples"]);
}

#[test]
fn truncated_header() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("cut.wav");
    std::fs::write(&p, &header(1, 1, 16_000, 16, 32_000)[..22]).unwrap();
    expect_bad_input(&os(&transcribe(&p)), &["cut.wav", "truncated"]);
}

#[test]
fn truncated_data() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("short.wav");
    let mut bytes = header(1, 1, 16_000, 16, 32_000);
    bytes.extend(std::iter::repeat_n(0u8, 1000));
    std::fs::write(&p, bytes).unwrap();
    expect_bad_input(&os(&transcribe(&p)), &["short.wav", "truncated"]);
}

#[test]
fn unsupported_sample_format() {
    let dir = tempfile::tempdir().unwrap();
    // 64-bit float and A-law (format tag 6) are not decodable.
    for (name, tag, bits) in [("double.wav", 3u16, 64u16), ("alaw.wav", 6, 8)] {
        let p = dir.path().join(name);
        let mut bytes = header(tag, 1, 8_000, bits, 800);
        bytes.extend(std::iter::repeat_n(1u8, 800));
        std::fs::write(&p, bytes).unwrap();
        expect_bad_input(&os(&transcribe(&p)), &[name, "unsupported"]);
    }
}

fn speech_wav(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("tone.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&p, spec).unwrap();
    for i in 0..16_000 {
        w.write_sample(((i as f32 * 0.05).sin() * 3000.0) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
    p
}

fn with_model(wav: &Path, model: &Path) -> Vec<std::ffi::OsString> {
    vec![
        "transcribe".into(),
        wav.into(),
        "--model".into(),
        model.into(),
    ]
}

#[test]
fn model_path_missing() {
    let dir = tempfile::tempdir().unwrap();
    let wav = speech_wav(dir.path());
    let m = dir.path().join("ggml-nothing.bin");
    expect_bad_input(
        &os(&with_model(&wav, &m)),
        &["ggml-nothing.bin", "not found", "models install"],
    );
}

#[test]
fn model_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let wav = speech_wav(dir.path());
    let m = dir.path().join("half.bin");
    let real = std::fs::read(model()).unwrap();
    std::fs::write(&m, &real[..real.len() / 2]).unwrap();
    expect_bad_input(&os(&with_model(&wav, &m)), &["half.bin", "truncated"]);
    std::fs::write(&m, &real[..100]).unwrap();
    expect_bad_input(&os(&with_model(&wav, &m)), &["half.bin", "truncated"]);
}

#[test]
fn model_not_ggml() {
    let dir = tempfile::tempdir().unwrap();
    let wav = speech_wav(dir.path());
    // A WAV passed where the model goes: a classic mix-up.
    expect_bad_input(
        &os(&with_model(&wav, &wav)),
        &["tone.wav", "not a whisper.cpp ggml model"],
    );
}

#[test]
fn import_ct2_of_a_truncated_model_bin() {
    let dir = tempfile::tempdir().unwrap();
    let ct2 = dir.path().join("ct2");
    std::fs::create_dir(&ct2).unwrap();
    // A valid CT2 header whose variable table ends early.
    let mut b = Vec::new();
    b.extend_from_slice(&6u32.to_le_bytes());
    b.extend_from_slice(&12u16.to_le_bytes());
    b.extend_from_slice(b"WhisperSpec\0");
    b.extend_from_slice(&3u32.to_le_bytes());
    b.extend_from_slice(&148u32.to_le_bytes());
    b.extend_from_slice(&5u16.to_le_bytes());
    std::fs::write(ct2.join("model.bin"), b).unwrap();
    std::fs::write(ct2.join("vocabulary.txt"), "!\n").unwrap();
    let out = dir.path().join("out.bin");
    let args: Vec<std::ffi::OsString> = vec![
        "models".into(),
        "import-ct2".into(),
        ct2.into(),
        "-o".into(),
        out.clone().into(),
    ];
    expect_bad_input(&os(&args), &["model.bin", "truncated"]);
    assert!(!out.exists(), "no half-written output");
}

#[test]
fn import_ct2_of_a_missing_directory() {
    let args: Vec<std::ffi::OsString> = vec![
        "models".into(),
        "import-ct2".into(),
        "/no/such/dir".into(),
        "-o".into(),
        "/tmp/x.bin".into(),
    ];
    expect_bad_input(&os(&args), &["/no/such/dir", "not a directory"]);
}

#[test]
fn unknown_model_name() {
    let args: Vec<std::ffi::OsString> = vec!["models".into(), "install".into(), "gigantic".into()];
    expect_bad_input(&os(&args), &["gigantic", "tiny.en"]);
}

#[test]
fn doctor_reports_a_missing_model_and_fails() {
    let out = mockint()
        .args(["doctor", "--model", "/no/such/ggml-model.bin"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let line = stdout
        .lines()
        .find(|l| l.contains("Whisper model"))
        .unwrap();
    assert!(
        line.starts_with("✗") && line.contains("models install"),
        "{line}"
    );
    assert!(stdout.lines().any(|l| l.contains("espeak-ng")), "{stdout}");
}

#[test]
fn doctor_passes_with_the_installed_model() {
    let out = mockint()
        .arg("doctor")
        .arg("--model")
        .arg(model())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.contains("Whisper model"))
        .unwrap();
    assert!(
        line.starts_with("✓") && line.contains("checksum ok"),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(0), "{stdout}");
}

#[test]
fn vad_silero_without_its_model_names_the_file_and_the_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let wav = speech_wav(tmp.path());
    expect_one_line_error(
        mockint()
            .env("MOCKINT_SILERO_MODEL", "/nonexistent/ggml-silero.bin")
            .env("MOCKINT_SESSIONS_DIR", tmp.path().join("sessions"))
            .args([
                "start",
                "--round",
                "kubernetes",
                "--no-tts",
                "--vad",
                "silero",
            ])
            .arg("--input-wav")
            .arg(&wav)
            .arg("--out")
            .arg(tmp.path().join("s")),
        &[
            "/nonexistent/ggml-silero.bin",
            "scripts/fetch-silero-vad.sh",
            "--vad webrtc",
        ],
    );
    assert!(
        !tmp.path().join("s").exists(),
        "no session folder is created"
    );
}
