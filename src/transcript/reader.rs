//! Reading `session.json` defensively: the one reader behind `resume`,
//! `history`, `replay` and the drill planner.
//!
//! In: the file's text (any bytes a crash, a full disk or an older mockint
//! may have left). Out: a [`SessionRecord`] brought up to the current schema
//! and checked for consistency (every event's question index is in the plan),
//! or a [`ReadError`] saying in one line what is wrong and what could still be
//! read ([`Salvage`]): a truncated file is cut back to its last complete value
//! and closed, so its id, mode, plan and scores so far are shown.

use super::record::{SessionRecord, SCHEMA_VERSION};
use crate::interviewer::EventKind;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// What could be read from a session that does not load.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Salvage {
    pub id: Option<String>,
    pub created: Option<String>,
    /// `kubernetes`, `full-loop`, `drill`.
    pub mode: Option<String>,
    pub planned: usize,
    pub events: usize,
    /// (plan index, rating) of the scores that were read.
    pub ratings: Vec<(usize, u8)>,
    /// Byte offset where a truncated file was cut back to.
    pub cut_at: Option<usize>,
}

impl Salvage {
    /// "read: id X, created Y, mode Z, 5 planned questions, 12 events, 2 scores".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(id) = &self.id {
            parts.push(format!("id {id}"));
        }
        if let Some(c) = &self.created {
            parts.push(format!("created {c}"));
        }
        if let Some(m) = &self.mode {
            parts.push(format!("mode {m}"));
        }
        parts.push(format!("{} planned questions", self.planned));
        parts.push(format!("{} events", self.events));
        let ratings: Vec<String> = self.ratings.iter().map(|(_, r)| r.to_string()).collect();
        if ratings.is_empty() {
            parts.push("no scores".into());
        } else {
            let noun = if ratings.len() == 1 {
                "score"
            } else {
                "scores"
            };
            parts.push(format!("{} {noun} ({})", ratings.len(), ratings.join(", ")));
        }
        format!("read: {}", parts.join(", "))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(
        "{path}: cannot read session.json ({source}); pass a session folder holding session.json"
    )]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {why} — {}; the session cannot be resumed or replayed, other sessions are unaffected", salvage.describe())]
    Corrupt {
        path: PathBuf,
        why: String,
        salvage: Box<Salvage>,
    },
    #[error("{path}: schema version {version} is newer than this mockint understands ({SCHEMA_VERSION}); upgrade mockint")]
    TooNew { path: PathBuf, version: u64 },
}

impl ReadError {
    pub fn path(&self) -> &Path {
        match self {
            ReadError::Io { path, .. }
            | ReadError::Corrupt { path, .. }
            | ReadError::TooNew { path, .. } => path,
        }
    }
}

/// Why a text is not a session, with what could be read from it.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    TooNew(u64),
    Corrupt(String, Box<Salvage>),
}

/// Reads `path` (a `session.json`).
pub fn read_session_file(path: &Path) -> Result<SessionRecord, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let text = String::from_utf8_lossy(&bytes);
    parse_session(&text).map_err(|p| match p {
        Problem::TooNew(version) => ReadError::TooNew {
            path: path.to_path_buf(),
            version,
        },
        Problem::Corrupt(why, salvage) => ReadError::Corrupt {
            path: path.to_path_buf(),
            why,
            salvage,
        },
    })
}

/// Parses, upgrades and checks a session record. Never panics.
pub fn parse_session(text: &str) -> Result<SessionRecord, Problem> {
    let corrupt = |why: String, value: Option<&Value>, cut_at| {
        let mut s = value.map(salvage).unwrap_or_default();
        s.cut_at = cut_at;
        Problem::Corrupt(why, Box::new(s))
    };
    let mut value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) if e.is_eof() => {
            let (repaired, cut) = repair_truncated(text);
            let v = serde_json::from_str::<Value>(&repaired).ok();
            let why = if text.trim().is_empty() {
                "session.json is empty".to_string()
            } else {
                format!("session.json is truncated (ends at byte {})", text.len())
            };
            return Err(corrupt(why, v.as_ref(), Some(cut)));
        }
        Err(e) => {
            // A complete but damaged file: read what the longest valid prefix holds.
            let at = byte_offset(text, e.line(), e.column());
            let (repaired, cut) = repair_truncated(&text[..at]);
            let v = serde_json::from_str::<Value>(&repaired).ok();
            return Err(corrupt(
                format!("session.json is not valid JSON ({e})"),
                v.as_ref(),
                Some(cut),
            ));
        }
    };
    let version = match value.get("schema_version") {
        Some(Value::Number(n)) => n.as_u64(),
        _ => None,
    };
    let Some(version) = version else {
        return Err(corrupt(
            "session.json has no schema_version; it was not written by mockint".into(),
            Some(&value),
            None,
        ));
    };
    if version > u64::from(SCHEMA_VERSION) {
        return Err(Problem::TooNew(version));
    }
    if let Err(why) = migrate(&mut value, version) {
        return Err(corrupt(why, Some(&value), None));
    }
    let record: SessionRecord = match serde_json::from_value(value.clone()) {
        Ok(r) => r,
        Err(e) => {
            return Err(corrupt(
                format!("session.json does not match schema version {version} ({e})"),
                Some(&value),
                None,
            ))
        }
    };
    if let Err(why) = check(&record) {
        return Err(corrupt(why, Some(&value), None));
    }
    Ok(record)
}

/// Brings an older record up to [`SCHEMA_VERSION`]. Version 1 is the first
/// versioned schema; fields added since carry `#[serde(default)]`, so a v1
/// file reads as it is. Future versions add their steps here.
fn migrate(value: &mut Value, version: u64) -> Result<(), String> {
    match version {
        0 => Err("schema version 0 does not exist; the file was not written by mockint".into()),
        _ => {
            if let Some(o) = value.as_object_mut() {
                o.insert("schema_version".into(), Value::from(SCHEMA_VERSION));
            }
            Ok(())
        }
    }
}

/// Consistency the renderers rely on: indices within the plan, ratings 1–4.
fn check(r: &SessionRecord) -> Result<(), String> {
    let n = r.plan.len();
    for (i, e) in r.events.iter().enumerate() {
        let index = match &e.kind {
            EventKind::Asked { index, .. }
            | EventKind::FollowUp { index, .. }
            | EventKind::Answer { index, .. }
            | EventKind::QuestionBack { index, .. }
            | EventKind::Command { index, .. }
            | EventKind::Prompted { index, .. }
            | EventKind::Skipped { index, .. } => Some(*index),
            EventKind::Scored { index, score } => {
                if !(1..=4).contains(&score.rating) || !(1..=4).contains(&score.tech_justification)
                {
                    return Err(format!(
                        "event {i} has a rating outside 1–4 ({}/{})",
                        score.rating, score.tech_justification
                    ));
                }
                Some(*index)
            }
            _ => None,
        };
        if let Some(index) = index.filter(|x| *x >= n) {
            return Err(format!(
                "event {i} refers to question {} but the plan has {n}",
                index + 1
            ));
        }
    }
    Ok(())
}

fn salvage(v: &Value) -> Salvage {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let mode = v.get("mode").and_then(|m| {
        match m.get("mode").and_then(Value::as_str) {
            Some("round") => m.get("round").and_then(Value::as_str).or(Some("round")),
            other => other,
        }
        .map(str::to_string)
    });
    let len = |k: &str| v.get(k).and_then(Value::as_array).map_or(0, Vec::len);
    let ratings = v
        .get("events")
        .and_then(Value::as_array)
        .map(|events| {
            events
                .iter()
                .filter(|e| e.get("event").and_then(Value::as_str) == Some("scored"))
                .filter_map(|e| {
                    let index = e.get("index")?.as_u64()? as usize;
                    let rating = e.get("score")?.get("rating")?.as_u64()?;
                    (1..=4).contains(&rating).then_some((index, rating as u8))
                })
                .collect()
        })
        .unwrap_or_default();
    Salvage {
        id: s("id"),
        created: s("created"),
        mode,
        planned: len("plan"),
        events: len("events"),
        ratings,
        cut_at: None,
    }
}

/// serde_json's (1-based line, 1-based column) → byte offset in `text`.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let mut at = offset + column.saturating_sub(1).min(l.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            return at;
        }
        offset += l.len();
    }
    text.len()
}

/// Cuts a truncated JSON text back to its last complete member or element
/// and closes what is open. Returns the repaired text and the cut offset.
pub fn repair_truncated(text: &str) -> (String, usize) {
    // Pass 1: the last place where everything before it is complete (just
    // before a `,`, or just after an opening bracket), outside strings.
    let mut in_str = false;
    let mut escaped = false;
    let mut cut = 0;
    for (i, c) in text.char_indices() {
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            ',' => cut = i,
            '{' | '[' => cut = i + 1,
            '}' | ']' => cut = i + 1,
            _ => {}
        }
    }
    // Pass 2: what is open at the cut.
    let mut stack = Vec::new();
    let mut in_str = false;
    let mut escaped = false;
    for c in text[..cut].chars() {
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '{' => stack.push('}'),
            '[' => stack.push(']'),
            '}' | ']' => {
                stack.pop();
            }
            _ => {}
        }
    }
    let mut out = text[..cut].to_string();
    out.extend(stack.iter().rev());
    (out, cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repair_closes_a_cut_object() {
        let (r, _) = repair_truncated(r#"{"a": [1, 2, {"b": "x,y"#);
        let v: Value = serde_json::from_str(&r).unwrap();
        assert_eq!(v["a"], serde_json::json!([1, 2, {}]));
        let (r, _) = repair_truncated(r#"{"id": "s1", "plan": [{"q": 1}, {"q""#);
        let v: Value = serde_json::from_str(&r).unwrap();
        assert_eq!(v["id"], "s1");
        // Cut after the last complete element or just-opened container.
        assert_eq!(v["plan"], serde_json::json!([{"q": 1}, {}]));
    }

    #[test]
    fn truncated_text_reports_what_was_read() {
        let text = r#"{"schema_version": 1, "id": "s1", "created": "2026-01-01T00:00:00Z",
            "mode": {"mode": "round", "round": "linux", "questions": 2},
            "plan": [{}, {}], "events": [{"at": 0, "event": "scored", "index": 0, "score": {"rating": 3}},
            {"at": 5, "event": "ans"#;
        match parse_session(text) {
            Err(Problem::Corrupt(why, s)) => {
                assert!(why.contains("truncated"), "{why}");
                assert_eq!(s.id.as_deref(), Some("s1"));
                assert_eq!(s.mode.as_deref(), Some("linux"));
                assert_eq!(s.planned, 2);
                assert_eq!(s.ratings, vec![(0, 3)]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn newer_schema_is_refused_with_its_version() {
        assert_eq!(
            parse_session(r#"{"schema_version": 9}"#).unwrap_err(),
            Problem::TooNew(9)
        );
    }

    #[test]
    fn garbage_never_panics() {
        for t in [
            "",
            "{",
            "[",
            "\"",
            "{\"a\":\"\\",
            "nul",
            "{]",
            "\u{feff}{}",
            "{\"schema_version\": 1}",
        ] {
            assert!(parse_session(t).is_err(), "{t:?}");
        }
    }
}
