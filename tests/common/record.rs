//! Reading a session's record (`session.json`) in scenario tests.

use serde_json::Value;
use std::path::Path;

/// The session folder's `session.json`.
pub fn record(out: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("session.json")).unwrap()).unwrap()
}

/// The record's events of one kind (`"answer"`, `"scored"`, …).
pub fn events<'a>(r: &'a Value, kind: &str) -> Vec<&'a Value> {
    r["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == kind)
        .collect()
}
