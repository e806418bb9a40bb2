//! Evaluation of simple Go-template pipelines against a chart's values.
//!
//! In: the text inside one `{{ … }}` action (`.Values.image.tag | default
//! "1.0" | quote`) and an [`Env`]: the root object (`.Values` from the
//! chart's `values.yaml`, `.Chart` from its `Chart.yaml`), the current dot
//! (inside `with`/`range`) and variables. Out: [`R::Known`] with the value
//! Helm would render, or [`R::Unknown`] when anything in the pipeline is
//! beyond a few common functions (`include`, `tpl`, `.Release.*`, …). Never
//! guesses: unknown stays unknown.

use serde_json::{Map, Value};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum R {
    Known(Value),
    Unknown,
}

impl R {
    fn field(&self, path: &[&str]) -> R {
        match self {
            R::Known(v) => lookup(v, path),
            R::Unknown => R::Unknown,
        }
    }
}

/// The value at `path` under `v` (missing keys are null, as Go renders them).
fn lookup(v: &Value, path: &[&str]) -> R {
    let mut cur = v;
    for k in path.iter().filter(|k| !k.is_empty()) {
        cur = match cur {
            Value::Object(m) => match m.get(*k) {
                Some(x) => x,
                None => return R::Known(Value::Null),
            },
            Value::Null => return R::Known(Value::Null),
            _ => return R::Unknown,
        };
    }
    R::Known(cur.clone())
}

/// Whether Go templates treat the value as true.
pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

/// A scalar as Go prints it; `None` for lists and maps.
pub(crate) fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some(String::new()),
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(crate) struct Env {
    /// `$`: an object with `Values` and `Chart` when those files are known.
    root: Map<String, Value>,
    /// The dot of each open `with`/`range`, innermost last.
    pub dots: Vec<R>,
    pub vars: HashMap<String, R>,
}

impl Env {
    pub(crate) fn new(values: Option<&Value>, chart: Option<&Value>) -> Self {
        let mut root = Map::new();
        if let Some(v) = values {
            root.insert("Values".into(), v.clone());
        }
        if let Some(c) = chart {
            let mut m = Map::new();
            for (from, to) in [
                ("name", "Name"),
                ("version", "Version"),
                ("appVersion", "AppVersion"),
                ("description", "Description"),
            ] {
                if let Some(x) = c.get(from) {
                    m.insert(to.into(), x.clone());
                }
            }
            root.insert("Chart".into(), Value::Object(m));
        }
        Env {
            root,
            dots: Vec::new(),
            vars: HashMap::new(),
        }
    }

    fn dot(&self) -> R {
        self.dots.last().cloned().unwrap_or(R::Unknown)
    }

    /// `.A.B` at the top level: only the known top-level objects resolve.
    fn at_root(&self, path: &[&str]) -> R {
        match path.first().and_then(|k| self.root.get(*k)) {
            Some(v) => lookup(v, &path[1..]),
            None => R::Unknown,
        }
    }

    /// A whole pipeline: `cmd | fn a | fn b`.
    pub(crate) fn pipeline(&self, s: &str) -> R {
        let mut stages = split_top(s, '|').into_iter();
        let Some(first) = stages.next() else {
            return R::Unknown;
        };
        let mut val = self.command(first, None);
        for st in stages {
            val = self.command(st, Some(val));
        }
        val
    }

    fn command(&self, cmd: &str, piped: Option<R>) -> R {
        let terms = terms(cmd);
        let Some(head) = terms.first() else {
            return piped.unwrap_or(R::Unknown);
        };
        let is_fn = head.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && !matches!(*head, "true" | "false" | "nil");
        if !is_fn {
            return if terms.len() == 1 && piped.is_none() {
                self.term(head)
            } else {
                R::Unknown
            };
        }
        let mut args: Vec<R> = terms[1..].iter().map(|t| self.term(t)).collect();
        args.extend(piped);
        call(head, &args)
    }

    fn term(&self, t: &str) -> R {
        if let Some(inner) = t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
            return self.pipeline(inner);
        }
        if let Some(s) = string_literal(t) {
            return R::Known(Value::String(s));
        }
        match t {
            "true" => return R::Known(Value::Bool(true)),
            "false" => return R::Known(Value::Bool(false)),
            "nil" => return R::Known(Value::Null),
            "." => return self.dot(),
            "$" => return R::Known(Value::Object(self.root.clone())),
            _ => {}
        }
        if let Ok(n) = t.parse::<i64>() {
            return R::Known(Value::from(n));
        }
        if let Some(path) = t.strip_prefix("$.") {
            return self.at_root(&path.split('.').collect::<Vec<_>>());
        }
        if let Some(path) = t.strip_prefix('.') {
            let path: Vec<&str> = path.split('.').collect();
            return if self.dots.is_empty() {
                self.at_root(&path)
            } else {
                self.dot().field(&path)
            };
        }
        if t.starts_with('$') {
            let (name, rest) = t.split_once('.').unwrap_or((t, ""));
            let base = self.vars.get(name).cloned().unwrap_or(R::Unknown);
            return base.field(&rest.split('.').collect::<Vec<_>>());
        }
        R::Unknown
    }
}

/// The few Sprig/Go functions that matter for structure and names.
fn call(name: &str, args: &[R]) -> R {
    let known: Option<Vec<&Value>> = args
        .iter()
        .map(|a| match a {
            R::Known(v) => Some(v),
            R::Unknown => None,
        })
        .collect();
    let last = args.last().cloned().unwrap_or(R::Unknown);
    let s = |v: &Value| text(v).unwrap_or_default();
    match name {
        "default" if args.len() == 2 => match &args[1] {
            R::Known(v) if truthy(v) => args[1].clone(),
            R::Known(_) => args[0].clone(),
            R::Unknown => R::Unknown,
        },
        "quote" | "squote" | "toString" => match last {
            R::Known(v) => text(&v).map_or(R::Unknown, |t| R::Known(Value::String(t))),
            u => u,
        },
        "toYaml" | "toJson" | "toRawJson" | "toPrettyJson" | "nindent" | "indent" | "required"
        | "trim" | "int" | "int64" | "float64" => last,
        "lower" | "upper" | "trunc" | "trimSuffix" | "trimPrefix" => {
            let Some(k) = known else { return R::Unknown };
            let v = s(k[k.len() - 1]);
            let out = match (name, k.len()) {
                ("lower", 1) => v.to_lowercase(),
                ("upper", 1) => v.to_uppercase(),
                ("trunc", 2) => {
                    let n = k[0].as_i64().unwrap_or(i64::MAX).max(0) as usize;
                    v.chars().take(n).collect()
                }
                ("trimSuffix", 2) => v.strip_suffix(&s(k[0])).unwrap_or(&v).to_string(),
                ("trimPrefix", 2) => v.strip_prefix(&s(k[0])).unwrap_or(&v).to_string(),
                _ => return R::Unknown,
            };
            R::Known(Value::String(out))
        }
        "printf" => {
            let Some(k) = known else { return R::Unknown };
            let Some(fmt) = k.first().and_then(|f| f.as_str()) else {
                return R::Unknown;
            };
            let mut out = String::new();
            let mut rest = k[1..].iter();
            let mut chars = fmt.chars();
            while let Some(c) = chars.next() {
                if c != '%' {
                    out.push(c);
                    continue;
                }
                match chars.next() {
                    Some('%') => out.push('%'),
                    Some('s' | 'v' | 'd' | 'q') => match rest.next().and_then(|v| text(v)) {
                        Some(t) => out.push_str(&t),
                        None => return R::Unknown,
                    },
                    _ => return R::Unknown,
                }
            }
            R::Known(Value::String(out))
        }
        "not" if args.len() == 1 => match &args[0] {
            R::Known(v) => R::Known(Value::Bool(!truthy(v))),
            R::Unknown => R::Unknown,
        },
        "eq" | "ne" if args.len() == 2 => match known {
            Some(k) => R::Known(Value::Bool((k[0] == k[1]) == (name == "eq"))),
            None => R::Unknown,
        },
        "and" | "or" if !args.is_empty() => match known {
            Some(k) => {
                let t: Vec<bool> = k.iter().map(|v| truthy(v)).collect();
                let b = if name == "and" {
                    t.iter().all(|x| *x)
                } else {
                    t.iter().any(|x| *x)
                };
                R::Known(Value::Bool(b))
            }
            None => R::Unknown,
        },
        "empty" if args.len() == 1 => match &args[0] {
            R::Known(v) => R::Known(Value::Bool(!truthy(v))),
            R::Unknown => R::Unknown,
        },
        _ => R::Unknown,
    }
}

/// `"a\"b"` or `` `raw` `` → its text.
fn string_literal(t: &str) -> Option<String> {
    if t.len() >= 2 && t.starts_with('`') && t.ends_with('`') {
        return Some(t[1..t.len() - 1].to_string());
    }
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        let mut out = String::new();
        let mut chars = t[1..t.len() - 1].chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(o) => out.push(o),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        return Some(out);
    }
    None
}

/// Splits at `sep` outside strings and parentheses.
pub(crate) fn split_top(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start, mut quote) = (0i32, 0, None::<char>);
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q == '"' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '`' => quote = Some(c),
            '(' => depth += 1,
            ')' => depth -= 1,
            c if c == sep && depth == 0 => {
                out.push(s[start..i].trim());
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(s[start..].trim());
    out.retain(|x| !x.is_empty());
    out
}

/// Whitespace-separated terms, keeping strings and `( … )` whole.
fn terms(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start, mut quote) = (0i32, None::<usize>, None::<char>);
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q == '"' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        if c.is_whitespace() && depth == 0 {
            if let Some(st) = start.take() {
                out.push(&s[st..i]);
            }
            continue;
        }
        start.get_or_insert(i);
        match c {
            '"' | '`' => quote = Some(c),
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

#[cfg(test)]
mod tests;
