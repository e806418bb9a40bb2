//! On a machine with no sound card and no sound server (the CI machine),
//! `mockint start` and `mockint doctor` print none of ALSA's or JACK's
//! library messages: start fails with one line naming the fixes, doctor
//! reports the missing devices in its own lines. With `RUST_LOG=alsa=debug`
//! the same ALSA messages appear as tracing lines, so they were captured,
//! not merely absent.

mod common;

use std::path::Path;
use std::process::{Command, Output};

/// Library noise as it looks when ALSA or libjack print it themselves.
const NOISE: [&str; 4] = [
    "ALSA lib",
    "Cannot connect to server",
    "jack server is not running",
    "JackShmReadWritePtr",
];

/// No sound server: libpulse (through ALSA's pulse plugin) is pointed at a
/// socket that does not exist, with private runtime dirs so nothing is
/// found or autospawned.
fn without_sound(mut c: Command, dir: &Path) -> Command {
    c.env("PULSE_SERVER", format!("unix:{}/no-pulse", dir.display()))
        .env("XDG_RUNTIME_DIR", dir)
        .env("PULSE_RUNTIME_PATH", dir)
        .env_remove("RUST_LOG")
        .stdin(std::process::Stdio::null());
    c
}

/// False (with a note) on a machine that has a sound card: there the
/// situation under test cannot be made.
fn no_sound_card() -> bool {
    let has = Path::new("/dev/snd").exists();
    if has {
        eprintln!("skipped: this machine has a sound card (/dev/snd); the test needs none");
    }
    !has
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_quiet(what: &str, stdout: &str, stderr: &str) {
    for line in stdout.lines().chain(stderr.lines()) {
        for n in NOISE {
            assert!(
                !line.contains(n),
                "{what} printed library noise {line:?}\nstdout:\n{stdout}\nstderr:\n{stderr}"
            );
        }
    }
}

#[test]
fn start_without_a_sound_card_prints_one_line_with_the_fixes() {
    if !no_sound_card() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut c = without_sound(common::isolated(dir.path()), dir.path());
    let out = c
        .args(["start", "--round", "kubernetes", "--no-tts"])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(
        !out.status.success(),
        "start succeeded without a microphone"
    );
    assert_quiet("start", &stdout, &stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "stderr:\n{stderr}");
    let line = lines[0];
    assert!(line.starts_with("error: "), "{line}");
    for fix in [
        "--input-device",
        "mockint devices",
        "pulseaudio --start",
        "--text",
    ] {
        assert!(line.contains(fix), "{fix:?} missing from {line:?}");
    }
}

#[test]
fn doctor_without_a_sound_card_reports_the_devices_in_its_own_lines() {
    if !no_sound_card() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = without_sound(common::isolated(dir.path()), dir.path())
        .arg("doctor")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_quiet("doctor", &stdout, &stderr);
    assert!(
        stderr.trim().is_empty(),
        "doctor wrote to stderr:\n{stderr}"
    );
    for line in stdout.lines() {
        assert!(
            line.starts_with("✓ ") || line.starts_with("✗ "),
            "not a report line: {line:?}\n{stdout}"
        );
    }
    let input = stdout
        .lines()
        .find(|l| l.starts_with("✗ Audio input:"))
        .unwrap_or_else(|| panic!("no failed audio input line:\n{stdout}"));
    assert!(input.contains("--text"), "{input}");
    assert!(input.contains("pulseaudio --start"), "{input}");
    assert!(
        stdout.lines().any(|l| l.starts_with("✗ Audio output:")),
        "{stdout}"
    );
    // No voice will speak: not "Piper will speak".
    let voice = stdout
        .lines()
        .find(|l| l.contains("Interviewer voice:"))
        .unwrap_or_else(|| panic!("no voice line:\n{stdout}"));
    assert!(
        voice.starts_with("✗ ") && voice.contains("printed"),
        "{voice}"
    );
}

#[test]
fn alsa_messages_go_to_tracing_at_debug_level() {
    if !no_sound_card() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = without_sound(common::isolated(dir.path()), dir.path())
        .env("RUST_LOG", "alsa=debug")
        .arg("devices")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_quiet("devices", &stdout, &stderr);
    let captured: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("DEBUG") && l.contains("alsa"))
        .collect();
    assert!(
        !captured.is_empty(),
        "no ALSA message reached tracing:\n{stderr}"
    );
}

/// The interviewer's voice opens its own output device: with none, it says
/// so in its own line and no library noise (the Piper output once asked
/// cpal for its host without capturing ALSA's messages, and `bench voice
/// --tts` printed nine "ALSA lib" lines before its error).
#[test]
fn the_voice_without_a_sound_card_fails_without_library_noise() {
    if !no_sound_card() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut c = without_sound(common::isolated(&dir.path().join("sessions")), dir.path());
    let out = c
        .args(["bench", "voice", "--tts", "--lengths", "10", "--model"])
        .arg(common::model())
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(
        !out.status.success(),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert_quiet("the voice", &stdout, &stderr);
    assert!(
        stderr.contains("no audio output"),
        "the failure is not said: {stderr}"
    );
}

/// A spoken session (the default voice, Piper) on a machine with no sound
/// output prints its replies at once. Before, it fell back to
/// speech-dispatcher, which had nowhere to play either: every line waited
/// out its speaking time (150 s for one question), and with `--fast` the
/// session's clock ran hours ahead meanwhile.
#[test]
fn a_spoken_session_without_a_sound_card_prints_its_replies_at_once() {
    replies_printed_at_once(&[]);
}

/// `--voice system` asked for by name: speech-dispatcher had nowhere to
/// play either, and each line waited out its time (40 s and more for one
/// question).
#[test]
fn the_system_voice_without_a_sound_card_prints_its_replies_at_once() {
    replies_printed_at_once(&["--voice", "system"]);
}

fn replies_printed_at_once(voice: &[&str]) {
    if !no_sound_card() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let wav = common::espeak(
        &dir.path().join("a.wav"),
        &["-s", "150"],
        "The Cluster Autoscaler adds nodes when pods are pending.",
    );
    let out_dir = dir.path().join("s");
    let t0 = std::time::Instant::now();
    let mut c = without_sound(common::isolated(&dir.path().join("sessions")), dir.path());
    let out = c
        .args(common::kubernetes_session("1"))
        .args(voice)
        .args(["--fast", "--no-daemon", "--model"])
        .arg(common::model())
        .arg("--input-wav")
        .arg(&wav)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    let took = t0.elapsed();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert_quiet("start", &stdout, &stderr);
    let warnings: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(
        warnings.len() == 1 && warnings[0].contains("replies are printed"),
        "stderr:\n{stderr}"
    );
    assert!(
        took < std::time::Duration::from_secs(60),
        "took {took:?}: lines waited to be spoken\n{stdout}"
    );
    let transcript = std::fs::read_to_string(out_dir.join("transcript.md")).unwrap();
    assert!(transcript.contains("pending"), "{transcript}");
    // The session's clock is the input's: the answer is heard within its
    // first minute, not hours in.
    assert!(
        transcript.contains("`[00:0"),
        "the answer's time ran ahead:\n{transcript}"
    );
}
