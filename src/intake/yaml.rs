//! YAML documents as JSON values, and line numbers for what was found in them.
//!
//! In: a YAML file's text. Out: one [`Doc`] per document (parsed by
//! `serde_norway`, converted to `serde_json::Value` so Kubernetes, Helm and CI
//! analysis share one value type with manifests embedded in Terraform) and
//! the errors of documents that did not parse. The parser keeps no
//! positions, so [`Locator`] finds the line of a key path in the document's
//! own lines (YAML `key:` or HCL `key =`) after the fact.

use serde_json::{Map, Value};

pub(crate) struct Doc {
    pub value: Value,
    /// 1-based first line of the document in its file.
    pub first_line: usize,
    /// 1-based last line (inclusive).
    pub last_line: usize,
}

/// Splits at `---` document markers and parses each document on its own, so
/// every document knows its line range and one bad document does not hide
/// the others.
pub(crate) fn parse_docs(text: &str) -> (Vec<Doc>, Vec<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut bounds = Vec::new();
    let mut start = 0;
    for (i, l) in lines.iter().enumerate() {
        let is_marker = l.starts_with("---") && l[3..].trim().is_empty() || l.trim_end() == "...";
        if is_marker {
            bounds.push((start, i));
            start = i + 1;
        }
    }
    bounds.push((start, lines.len()));
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for (s, e) in bounds {
        if s >= e {
            continue;
        }
        let chunk = lines[s..e].join("\n");
        match serde_norway::from_str::<serde_norway::Value>(&chunk) {
            Ok(v) => {
                let value = to_json(v);
                if !value.is_null() {
                    docs.push(Doc {
                        value,
                        first_line: s + 1,
                        last_line: e,
                    });
                }
            }
            Err(err) => {
                let at = err
                    .location()
                    .map(|l| format!(" at line {}", s + l.line()))
                    .unwrap_or_default();
                let msg = err.to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                errors.push(format!("invalid YAML{at}: {msg}"));
            }
        }
    }
    (docs, errors)
}

/// YAML value → JSON value; non-string keys become their text, tags are dropped.
pub(crate) fn to_json(v: serde_norway::Value) -> Value {
    use serde_norway::Value as Y;
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64().map_or(Value::Null, Value::from)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(seq) => Value::Array(seq.into_iter().map(to_json).collect()),
        Y::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let key = match to_json(k) {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                out.insert(key, to_json(v));
            }
            Value::Object(out)
        }
        Y::Tagged(t) => to_json(t.value),
    }
}

/// The value at a key path (`["spec", "template", "spec"]`).
pub(crate) fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |cur, k| cur.get(*k))
}

/// A scalar at a key path, as text (strings, numbers, booleans).
pub(crate) fn text_at(v: &Value, path: &[&str]) -> Option<String> {
    get(v, path).and_then(scalar)
}

pub(crate) fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `true`, `"true"` → true.
pub(crate) fn truthy(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// A string → string map (labels, selectors, annotations).
pub(crate) fn string_map(v: Option<&Value>) -> std::collections::BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| scalar(v).map(|s| (k.clone(), s)))
                .collect()
        })
        .unwrap_or_default()
}

/// `key   = value` → `key = value` (alignment padding dropped); other lines
/// unchanged.
pub(crate) fn tidy(line: &str) -> String {
    match line.split_once('=') {
        Some((k, v)) if k.ends_with(' ') && !k.trim().contains(' ') && !k.trim().is_empty() => {
            format!("{} = {}", k.trim(), v.trim())
        }
        _ => line.to_string(),
    }
}

/// Finds lines in one document (or one HCL block) of a file.
pub(crate) struct Locator<'a> {
    lines: Vec<&'a str>,
    /// 1-based file line of `lines[0]`.
    first: usize,
}

impl<'a> Locator<'a> {
    /// Lines `first..=last` (1-based) of `text`.
    pub(crate) fn new(text: &'a str, first: usize, last: usize) -> Self {
        let lines = text
            .lines()
            .skip(first.saturating_sub(1))
            .take(last + 1 - first.max(1))
            .collect();
        Locator {
            lines,
            first: first.max(1),
        }
    }

    /// The line of the last key of `path` found in order, each key searched
    /// after the previous one; the document's first line if none is found.
    pub(crate) fn key(&self, path: &[&str]) -> usize {
        self.key_from(self.first, path)
    }

    /// Like [`Locator::key`], starting at file line `from`.
    pub(crate) fn key_from(&self, from: usize, path: &[&str]) -> usize {
        let mut at = from.max(self.first);
        for key in path {
            if let Some(l) = self.scan(at, |line| line_has_key(line, key)) {
                at = l;
            }
        }
        at
    }

    /// The text of file line `line`, trimmed (empty when out of range).
    pub(crate) fn text(&self, line: usize) -> String {
        line.checked_sub(self.first)
            .and_then(|i| self.lines.get(i))
            .map_or(String::new(), |l| tidy(l.trim().trim_start_matches("- ")))
    }

    /// The first line at or after `first` holding `needle`, as (line, text);
    /// `first` itself when there is none.
    pub(crate) fn quote(&self, first: usize, needle: &str) -> (usize, String) {
        let l = self.find(first, needle).unwrap_or(first);
        (l, self.text(l))
    }

    /// The line of key `key` (quoted or not) at or after `first`, as
    /// (line, text).
    pub(crate) fn key_quote(&self, first: usize, key: &str) -> (usize, String) {
        let l = self.key_from(first, &[key]);
        (l, self.text(l))
    }

    /// The first line at or after `from` containing `needle`.
    pub(crate) fn find(&self, from: usize, needle: &str) -> Option<usize> {
        self.scan(from, |l| l.contains(needle))
    }

    fn scan(&self, from: usize, pred: impl Fn(&str) -> bool) -> Option<usize> {
        let skip = from.saturating_sub(self.first);
        self.lines
            .iter()
            .enumerate()
            .skip(skip)
            .find(|(_, l)| pred(l))
            .map(|(i, _)| self.first + i)
    }
}

/// `key:` / `- key:` / `"key":` (YAML) or `key =` / `"key" =` (HCL).
fn line_has_key(line: &str, key: &str) -> bool {
    let t = line.trim_start();
    let t = t.strip_prefix("- ").unwrap_or(t).trim_start();
    let t = t.trim_start_matches(['"', '\'']);
    let Some(rest) = t.strip_prefix(key) else {
        return false;
    };
    let rest = rest.trim_start_matches(['"', '\'']).trim_start();
    rest.starts_with(':') || rest.starts_with('=') || rest.starts_with('{')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_document_with_lines_and_errors() {
        let text = "a: 1\n---\nkind: Pod\nmetadata:\n  name: x\n---\nbad:\n\t- tab\n";
        let (docs, errors) = parse_docs(text);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].first_line, 3);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("invalid YAML at line 8"),
            "{errors:?}"
        );
        let loc = Locator::new(text, docs[1].first_line, docs[1].last_line);
        assert_eq!(loc.key(&["metadata", "name"]), 5);
    }
}
