//! Helpers shared by the intake test files (`#[path]`-included by each):
//! fixture paths, scanning, every round's questions, and the rule that a
//! question's first quoted value is text of the file it names.
#![allow(dead_code)]

use mockint::intake::{self, GroundedQuestion, Options, RepoReport};
use std::path::{Path, PathBuf};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/repos")
        .join(name)
}

pub fn scan(name: &str) -> RepoReport {
    intake::scan(&fixture(name), &Options::default()).expect("fixture scans")
}

/// Every round's questions, for rounds that have any.
pub fn all_questions(r: &RepoReport) -> Vec<(String, Vec<GroundedQuestion>)> {
    r.availability
        .iter()
        .map(|a| (a.round.clone(), intake::questions(r, &a.round)))
        .filter(|(_, q)| !q.is_empty())
        .collect()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first quoted value of each question is text of its file (under
/// `root`), at a non-empty line, and every question ties to the repo.
pub fn assert_quotes_are_real(root: &Path, qs: &[(String, Vec<GroundedQuestion>)]) {
    for q in qs.iter().flat_map(|(_, q)| q) {
        let e = &q.evidence;
        assert!(
            q.intro.contains(&format!("`{}`", e.file)),
            "{}: intro names no file: {}",
            q.id,
            q.intro
        );
        if e.finding == "plaintext-secret" {
            continue; // its value is redacted on purpose
        }
        let text = std::fs::read_to_string(root.join(&e.file)).unwrap();
        let first = e
            .values
            .first()
            .unwrap_or_else(|| panic!("{} has no value", q.id));
        assert!(
            collapse(&text).contains(&collapse(first)),
            "{}: `{first}` is not in {}",
            q.id,
            e.file
        );
        let line = text.lines().nth(e.line - 1).unwrap_or("");
        assert!(
            !line.trim().is_empty() || e.line == 1,
            "{}: line {} of {} is empty",
            q.id,
            e.line,
            e.file
        );
        assert!(
            q.key_points
                .iter()
                .any(|k| k.id == "ties-to-repo" && !k.phrases.is_empty()),
            "{}",
            q.id
        );
    }
}
