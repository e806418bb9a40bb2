//! Shared helpers for integration tests: the real model and real speech that
//! `scripts/setup.sh` and `scripts/fetch-test-data.sh` install.
#![allow(dead_code)]

pub mod audio;
pub mod llm;

use std::path::PathBuf;

pub fn model() -> PathBuf {
    let p = mockint::models::store::default_model_path();
    assert!(
        p.is_file(),
        "{} missing: run scripts/setup.sh (installs tiny.en) before the tests",
        p.display()
    );
    p
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

pub fn mockint() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("mockint").unwrap()
}
