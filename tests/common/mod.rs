//! Shared helpers for integration tests: the real model and real speech that
//! `scripts/setup.sh` and `scripts/fetch-test-data.sh` (run by `scripts/test.sh`) install.
#![allow(dead_code)]

pub mod audio;
pub mod llm;
pub mod llm_run;
pub mod pty;
pub mod record;

use std::path::{Path, PathBuf};

pub fn model() -> PathBuf {
    let p = mockint::models::store::default_model_path();
    assert!(
        p.is_file(),
        "{} missing: run scripts/setup.sh (installs tiny.en) before the tests",
        p.display()
    );
    p
}

/// Waits (up to 60 s) until the file at `path` contains `needle`.
pub fn wait_for(path: &Path, needle: &str) {
    let t0 = std::time::Instant::now();
    loop {
        if std::fs::read_to_string(path).is_ok_and(|s| s.contains(needle)) {
            return;
        }
        assert!(
            t0.elapsed() < std::time::Duration::from_secs(60),
            "{needle:?} never appeared in {}",
            path.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Speech synthesised by espeak-ng into `wav` (`args` before `-w`: rate,
/// voice, `-m` for SSML); returns `wav`.
pub fn espeak(wav: &Path, args: &[&str], text: &str) -> PathBuf {
    let ok = std::process::Command::new("espeak-ng")
        .args(args)
        .arg("-w")
        .arg(wav)
        .arg(text)
        .status()
        .expect("espeak-ng (run scripts/setup.sh)");
    assert!(ok.success(), "espeak-ng failed on {text:?}");
    wav.to_path_buf()
}

pub fn testdata() -> PathBuf {
    let d = mockint::models::store::cache_dir().join("testdata");
    assert!(
        d.join("jfk/jfk.wav").is_file() && d.join("librivox/.complete").is_file(),
        "{} incomplete: run scripts/fetch-test-data.sh before the tests",
        d.display()
    );
    d
}

/// `mockint` cut off from the user's state: `sessions` as its sessions
/// folder, a daemon socket nobody listens on (a running daemon must never
/// take a test's session), and no config file, bank override or LLM settings
/// from the environment. Tests add what they need on top.
pub fn isolated(sessions: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("mockint"));
    c.env("MOCKINT_SESSIONS_DIR", sessions)
        .env("MOCKINT_SOCKET", sessions.join("no-daemon.sock"))
        .env("MOCKINT_CONFIG", sessions.join("no-config.toml"));
    for var in [
        "MOCKINT_BANK_DIR",
        "MOCKINT_LLM_URL",
        "MOCKINT_LLM_MODEL",
        "MOCKINT_LLM_BUDGET",
        "MOCKINT_LLM_MAX_TOKENS",
        "MOCKINT_LLM_API_KEY",
        "MOCKINT_STORIES",
    ] {
        c.env_remove(var);
    }
    c
}

/// [`isolated`] with no sessions folder at all, for assert-style tests of
/// commands that must not need one.
pub fn mockint() -> assert_cmd::Command {
    assert_cmd::Command::from_std(isolated(Path::new("/nonexistent/mockint-sessions")))
}

/// `start --round kubernetes --seed 7 --questions N --silence-timeout 0`:
/// a kubernetes session of `questions` questions that never ends a question
/// for silence (tests and benchmarks add their input on top).
pub fn kubernetes_session(questions: &'static str) -> [&'static str; 9] {
    [
        "start",
        "--round",
        "kubernetes",
        "--seed",
        "7",
        "--questions",
        questions,
        "--silence-timeout",
        "0",
    ]
}
