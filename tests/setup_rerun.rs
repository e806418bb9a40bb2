//! `scripts/setup.sh` run twice on a set-up machine: both runs succeed and
//! print no error or warning, and the second changes nothing — the
//! installed binary and every file in the models directory keep their
//! modification time and SHA-256 — in at most 30 s.
//!
//! Ignored by a plain `cargo test` (it runs the real set-up, which installs
//! the binary on PATH); `scripts/test.sh` runs it explicitly after the suite.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

/// Where setup.sh installs the binary (the script's own rule).
fn bin_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("MOCKINT_BIN_DIR") {
        return PathBuf::from(d);
    }
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        PathBuf::from("/usr/local/bin")
    } else {
        dirs_home().join(".local/bin")
    }
}

fn dirs_home() -> PathBuf {
    PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
}

/// Path → (modification time, SHA-256) of every file under `dir`.
fn snapshot_dir(dir: &Path, into: &mut BTreeMap<PathBuf, (SystemTime, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            snapshot_dir(&p, into);
        } else {
            let meta = std::fs::metadata(&p).unwrap();
            let hash = mockint::models::sha256_file(&p).unwrap();
            into.insert(p, (meta.modified().unwrap(), hash));
        }
    }
}

fn snapshot() -> BTreeMap<PathBuf, (SystemTime, String)> {
    let mut all = BTreeMap::new();
    let bin = bin_dir().join("mockint");
    let meta = std::fs::metadata(&bin)
        .unwrap_or_else(|e| panic!("{}: {e} (setup.sh did not install it)", bin.display()));
    all.insert(
        bin.clone(),
        (
            meta.modified().unwrap(),
            mockint::models::sha256_file(&bin).unwrap(),
        ),
    );
    snapshot_dir(&mockint::models::store::models_dir(), &mut all);
    all
}

/// Runs setup.sh; returns its combined output and how long it took.
fn run_setup() -> (String, Duration) {
    let t0 = Instant::now();
    let mut c = Command::new("bash");
    c.arg("scripts/setup.sh")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    // Run it as a user's shell would: without the variables cargo sets for
    // tests (ring's build script watches CARGO_MANIFEST_DIR, OUT_DIR and the
    // like; seeing them change, cargo would rebuild instead of a no-op).
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        let set_by_cargo = k == "CARGO"
            || k == "OUT_DIR"
            || (k.starts_with("CARGO_") && k != "CARGO_HOME" && k != "CARGO_TARGET_DIR");
        if set_by_cargo {
            c.env_remove(&*k);
        }
    }
    let out = c.output().expect("bash");
    let took = t0.elapsed();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "setup.sh failed:\n{text}");
    for line in text.lines() {
        let l = line.to_lowercase();
        assert!(
            !(l.contains("error") || l.contains("warning") || l.contains('✗')),
            "setup.sh printed {line:?}:\n{text}"
        );
    }
    (text, took)
}

#[test]
#[ignore = "runs the real scripts/setup.sh twice; scripts/test.sh runs it"]
fn a_second_setup_run_changes_nothing_and_is_quick() {
    let (_, first) = run_setup();
    let before = snapshot();
    assert!(
        before.keys().any(|p| p.ends_with("ggml-tiny.en.bin")),
        "no Whisper model after set-up: {before:?}"
    );
    let (text, second) = run_setup();
    let after = snapshot();
    eprintln!(
        "setup.sh: first run {:.1} s, second run {:.1} s",
        first.as_secs_f64(),
        second.as_secs_f64()
    );
    for (path, was) in &before {
        let now = after
            .get(path)
            .unwrap_or_else(|| panic!("{} vanished", path.display()));
        assert_eq!(now, was, "{} changed on the re-run", path.display());
    }
    let added: Vec<_> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    assert!(added.is_empty(), "the re-run added {added:?}");
    assert!(
        second <= Duration::from_secs(30),
        "the re-run took {:.1} s (target ≤ 30 s):\n{text}",
        second.as_secs_f64()
    );
    // Every step says it skipped its work.
    for skipped in [
        "all Debian packages present",
        "is up to date",
        "already installed and verified",
    ] {
        assert!(text.contains(skipped), "{skipped:?} not in:\n{text}");
    }
}
