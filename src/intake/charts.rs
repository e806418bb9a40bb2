//! Helm charts known before any file is parsed, and YAML files with Go
//! templating read through [`gotmpl`].
//!
//! In: the listing (only files the walk kept: no symlinks, nothing
//! `.gitignore`d, nothing outside the root) and, per YAML file, its text.
//! Out: a [`ChartIndex`] of each chart directory's `Chart.yaml` and
//! `values.yaml` (read with the same size limits as every other file), and
//! for a templated file its documents with values substituted where simple,
//! tagged with where the templating came from. A `range` over a list in
//! values renders its body once per element (up to [`MAX_LOOP`]), on the
//! same lines.

use super::gotmpl::{actions_in, neutralise, Mode, Neutral};
use super::gotmpl_eval::{text as rendered_text, Env, R};
use super::walk::{self, RepoFile};
use super::yaml::{parse_docs, Doc};
use serde_json::Value;
use std::collections::BTreeMap;

/// Elements of a top-level `range` rendered at most.
pub(crate) const MAX_LOOP: usize = 50;
/// Bytes of template text rendered at most for one file, across elements.
const MAX_RENDER_BYTES: usize = 8 << 20;

pub(crate) struct ChartInfo {
    pub chart: Value,
    pub values: Option<Value>,
}

#[derive(Default)]
pub(crate) struct ChartIndex {
    charts: BTreeMap<String, ChartInfo>,
}

fn first_doc(file: &RepoFile, limit: u64) -> Option<Value> {
    let text = walk::read_text(file, limit).ok()?;
    parse_docs(&text).0.into_iter().next().map(|d| d.value)
}

impl ChartIndex {
    /// Reads every `Chart.yaml` in the listing and its sibling `values.yaml`.
    pub(crate) fn build(files: &[RepoFile], limit: u64) -> Self {
        let mut charts = BTreeMap::new();
        for f in files.iter().filter(|f| f.name() == "Chart.yaml") {
            let Some(chart) = first_doc(f, limit) else {
                continue;
            };
            let dir = f.dir();
            let values_rel = if dir.is_empty() {
                "values.yaml".to_string()
            } else {
                format!("{dir}/values.yaml")
            };
            let values = files
                .binary_search_by(|x| x.rel.as_str().cmp(&values_rel))
                .ok()
                .and_then(|i| first_doc(&files[i], limit));
            charts.insert(dir.to_string(), ChartInfo { chart, values });
        }
        ChartIndex { charts }
    }

    /// The chart whose `templates/` holds `rel` (the nearest one).
    pub(crate) fn template_of(&self, rel: &str) -> Option<&ChartInfo> {
        let mut dir = rel;
        while let Some((d, _)) = dir.rsplit_once('/') {
            let inside = if d.is_empty() {
                rel.starts_with("templates/")
            } else {
                rel.strip_prefix(d)
                    .is_some_and(|r| r.starts_with("/templates/"))
            };
            if inside {
                if let Some(c) = self.charts.get(d) {
                    return Some(c);
                }
            }
            dir = d;
        }
        if rel.starts_with("templates/") {
            return self.charts.get("");
        }
        None
    }
}

/// A YAML file's documents and the errors of those that did not parse.
pub(crate) struct Parsed {
    pub docs: Vec<Doc>,
    pub errors: Vec<String>,
    /// "Helm template" or "Go template" when templating was neutralised.
    pub origin: Option<&'static str>,
}

/// Parses a YAML file, neutralising Go templating when it is a chart
/// template or when it has `{{` and does not parse as it is.
pub(crate) fn parse_yaml(file: &RepoFile, text: &str, charts: &ChartIndex) -> Parsed {
    let templated = text.contains("{{");
    let chart = if templated {
        charts.template_of(&file.rel)
    } else {
        None
    };
    if chart.is_none() {
        let (docs, errors) = parse_docs(text);
        if errors.is_empty() || !templated {
            return Parsed {
                docs,
                errors,
                origin: None,
            };
        }
    }
    let env = || {
        Env::new(
            chart.and_then(|c| c.values.as_ref()),
            chart.map(|c| &c.chart),
        )
    };
    let mut best: Option<(Mode, Neutral, Vec<Doc>, Vec<String>)> = None;
    for mode in [Mode::Keep, Mode::BlankLone, Mode::BlankAll] {
        let n = neutralise(text, &mut env(), 0, mode);
        let (docs, errors) = parse_docs(&n.text);
        let better = match &best {
            None => true,
            Some(b) => errors.len() < b.3.len(),
        };
        let done = errors.is_empty();
        if better {
            best = Some((mode, n, docs, errors));
        }
        if done {
            break;
        }
    }
    let Some((mode, n, mut docs, errors)) = best else {
        return Parsed {
            docs: Vec::new(),
            errors: Vec::new(),
            origin: None,
        };
    };
    for d in &mut docs {
        n.restore(&mut d.value);
    }
    let longest = n.loops.iter().map(|l| l.len).max().unwrap_or(0);
    let budget = MAX_RENDER_BYTES / text.len().max(1);
    for i in 1..longest.min(MAX_LOOP).min(budget) {
        let ni = neutralise(text, &mut env(), i, mode);
        for mut d in parse_docs(&ni.text).0 {
            let in_body = ni
                .loops
                .iter()
                .any(|l| l.len > i && d.first_line > l.first_line && d.first_line < l.last_line);
            if in_body {
                ni.restore(&mut d.value);
                docs.push(d);
            }
        }
    }
    let errors = errors
        .into_iter()
        .map(|e| format!("{e} (after neutralising its Go templating)"))
        .collect();
    Parsed {
        docs,
        errors,
        origin: Some(if chart.is_some() {
            "Helm template"
        } else {
            "Go template"
        }),
    }
}

/// A template line that takes a value from `values.yaml`, preferring
/// `image:` lines: (line, the line as written, what it renders to). Lines
/// whose key sounds secret are never chosen.
pub(crate) fn values_ref(text: &str, chart: &ChartInfo) -> Option<(usize, String, String)> {
    let env = Env::new(chart.values.as_ref(), Some(&chart.chart));
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if !line.contains(".Values.") {
            continue;
        }
        let t = line.trim().trim_start_matches("- ").trim();
        let key = t.split(':').next().unwrap_or("");
        if !t.contains(':') || secret_sounding(key) || key.contains("{{") {
            continue;
        }
        let value = t[key.len() + 1..].trim().trim_matches(['"', '\'']);
        let mut rendered = value.to_string();
        let mut ok = true;
        for a in actions_in(value) {
            match env.pipeline(a) {
                R::Known(v) => match rendered_text(&v) {
                    Some(s) if !s.is_empty() => {
                        if let Some(at) = rendered.find("{{") {
                            let end = rendered[at..]
                                .find("}}")
                                .map_or(rendered.len(), |e| at + e + 2);
                            rendered.replace_range(at..end, &s);
                        }
                    }
                    _ => ok = false,
                },
                R::Unknown => ok = false,
            }
        }
        if ok && !rendered.contains("{{") {
            found.push((key.trim() == "image", (i + 1, t.to_string(), rendered)));
        }
    }
    found
        .iter()
        .find(|(image, _)| *image)
        .or(found.first())
        .map(|(_, r)| r.clone())
}

/// Keys a rendered value must never be quoted from.
fn secret_sounding(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "pass", "secret", "token", "key", "cred", "auth", "cert", "private", "salt", "dsn",
    ]
    .iter()
    .any(|w| k.contains(w))
}
