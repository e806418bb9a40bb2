//! Fuzzes the session reader: any bytes in `session.json` must give a record
//! or a one-line error — never a panic — and whatever the reader accepts must
//! be safe for everything downstream of it (history, the replay timeline,
//! the transcript and debrief renderers).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mockint::bank::{Bank, BankSource};
use std::path::Path;
use std::sync::OnceLock;

fn bank() -> &'static Bank {
    static BANK: OnceLock<Bank> = OnceLock::new();
    BANK.get_or_init(|| Bank::load(&BankSource::resolve(None)).expect("built-in bank"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match mockint::transcript::reader::parse_session(&text) {
        Ok(r) => {
            let _ = mockint::history::summarize(Path::new("s"), &r);
            let _ = mockint::replay::timeline(&r, Path::new("/nonexistent"));
            let _ = mockint::transcript::render_transcript(&r, "t");
            let _ = mockint::transcript::render_debrief(&r, &bank().rubrics);
            // Rescoring builds a scorer per call (too slow to fuzz); it
            // indexes only through the plan, which the reader has checked.
        }
        Err(p) => {
            if let mockint::transcript::reader::Problem::Corrupt(_, s) = p {
                let _ = s.describe();
            }
        }
    }
});
