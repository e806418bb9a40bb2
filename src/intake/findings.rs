//! A finding: one notable thing in one file at one line, quoted.
//!
//! In: parsers build findings with [`Finding::new`] and the builder methods.
//! Out: the report's `findings`, and the raw material of question templates,
//! which read `kind` to pick a template, `values` to quote the repo, `params`
//! to fill named placeholders and `phrases` to credit an answer that names
//! this repo's own things.

use super::secrets::Redactor;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Finding {
    /// Stable kebab-case id of what was found (`eks-fixed-node-group`).
    pub kind: String,
    /// Path relative to the repository root.
    pub file: String,
    /// 1-based line of the quoted value.
    pub line: usize,
    /// The values as written in the file (`desired_size = 3`).
    pub values: Vec<String>,
    /// One sentence saying what was found.
    pub summary: String,
    /// Named facts for question templates (`{cluster}`, `{count}`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
    /// This repo's own names and values, as a speaker might say them.
    pub phrases: Vec<String>,
    /// Read from a file with Go templating ("Helm template"), whose values
    /// are the values file's or the template's own text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<&'static str>,
}

impl Finding {
    pub(crate) fn new(kind: &str, file: &str, line: usize, summary: impl Into<String>) -> Self {
        Finding {
            kind: kind.into(),
            file: file.into(),
            line: line.max(1),
            values: Vec::new(),
            summary: summary.into(),
            params: BTreeMap::new(),
            phrases: Vec::new(),
            template: None,
        }
    }

    /// Adds a quoted value (shown in backticks).
    pub(crate) fn value(mut self, v: impl Into<String>) -> Self {
        let v = v.into();
        if !v.is_empty() && !self.values.contains(&v) {
            self.values.push(v);
        }
        self
    }

    pub(crate) fn values(self, vs: impl IntoIterator<Item = String>) -> Self {
        vs.into_iter().fold(self, |f, v| f.value(v))
    }

    pub(crate) fn param(mut self, k: &str, v: impl Into<String>) -> Self {
        self.params.insert(k.into(), v.into());
        self
    }

    /// Adds a phrase that ties an answer to this repo (lower-cased).
    pub(crate) fn phrase(mut self, p: impl AsRef<str>) -> Self {
        let p = p.as_ref().trim().to_lowercase();
        if p.len() >= 2 && !self.phrases.contains(&p) {
            self.phrases.push(p);
        }
        self
    }

    /// The values in backticks, joined: "`a = 1`, `b = 2`".
    pub fn quoted(&self) -> String {
        self.values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub(crate) fn redact(&mut self, r: &Redactor) {
        self.summary = r.clean(&self.summary);
        for v in &mut self.values {
            *v = r.clean(v);
        }
        for v in self.params.values_mut() {
            *v = r.clean(v);
        }
        for p in &mut self.phrases {
            *p = r.clean(p);
        }
    }
}
