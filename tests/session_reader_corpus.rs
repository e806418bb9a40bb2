//! The session reader over every file of the fuzz corpus
//! (`tests/fuzz_corpus/session_reader/`, seeds plus what `scripts/fuzz.sh`
//! found): no panic, downstream renderers safe on whatever it accepts, and
//! the seeds read as expected.

use mockint::bank::{Bank, BankSource};
use mockint::transcript::reader::{parse_session, Problem};
use std::path::Path;

#[test]
fn every_corpus_file_reads_or_is_refused_without_panicking() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus/session_reader");
    let bank = Bank::load(&BankSource::resolve(None)).unwrap();
    let (mut ok, mut refused) = (Vec::new(), Vec::new());
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        match parse_session(&text) {
            Ok(r) => {
                let _ = mockint::history::summarize(Path::new("s"), &r);
                let _ = mockint::replay::timeline(&r, Path::new("/nonexistent"));
                let _ = mockint::transcript::render_transcript(&r, "t");
                let _ = mockint::transcript::render_debrief(&r, &bank.rubrics);
                ok.push(name);
            }
            Err(Problem::Corrupt(why, s)) => {
                assert!(!why.contains('\n'), "{name}: {why}");
                assert!(!s.describe().contains('\n'), "{name}");
                refused.push(name);
            }
            Err(Problem::TooNew(_)) => refused.push(name),
        }
    }
    for seed in [
        "2026-11-20T18-02-11-kubernetes.json",
        "2026-11-21T19-30-05-behavioral.json",
        "2026-11-23T08-00-40-kubernetes.json",
        "older-scorer.json",
    ] {
        assert!(
            ok.iter().any(|n| n == seed),
            "{seed} should read; read: {ok:?}"
        );
    }
    for seed in [
        "2026-11-22T07-15-00-behavioral.json",
        "empty.json",
        "newer.json",
        "cut-header.json",
        "index-out-of-plan.json",
        "garbage-in-middle.json",
    ] {
        assert!(
            refused.iter().any(|n| n == seed),
            "{seed} should be refused"
        );
    }
}
