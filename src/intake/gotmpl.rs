//! Go templating (Helm chart templates, ApplicationSet templates) made
//! harmless for the YAML parser, line for line.
//!
//! In: a file's text, an [`Env`] (the chart's values, when known) and which
//! element top-level `range` loops should take. Out: [`Neutral`] text with
//! exactly the same lines, in which control actions (`if`, `else`, `range`,
//! `with`, `define`, `end`, comments, assignments) are blanked, branches a
//! known value turns off (and every `else` after a taken branch, and every
//! `define` body) are blanked, and each output action becomes a token
//! `⟦n⟧` that [`Neutral::restore`] later turns into the value from the
//! values file or back into the action's own text. An output action alone on
//! its line stays only where it is a key's whole value (`labels:` followed by
//! `{{- include … | nindent 4 }}`); elsewhere it is blanked, so included
//! fragments cannot break the structure around them.

use super::gotmpl_eval::{truthy, Env, R};
use serde_json::Value;

const OPEN: char = '⟦';
const CLOSE: char = '⟧';

/// How hard to neutralise: later modes give up more text to get valid YAML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Keep lone output actions where they are a key's value.
    Keep,
    /// Blank every line made only of actions.
    BlankLone,
    /// Blank every line with any action on it.
    BlankAll,
}

/// A top-level `range` over a known list: its body lines and length.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Loop {
    pub first_line: usize,
    pub last_line: usize,
    pub len: usize,
}

pub(crate) struct Neutral {
    pub text: String,
    /// Per token: the rendered value when known, and the action as written.
    tokens: Vec<(R, String)>,
    pub loops: Vec<Loop>,
}

struct Action {
    start: usize,
    end: usize,
}

/// `{{ … }}` spans, skipping `}}` inside strings and comments; an unclosed
/// `{{` ends the search.
fn lex(text: &str) -> Vec<Action> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = text[i..].find("{{") {
        let start = i + off;
        let mut j = start + 2;
        let mut close = None;
        while j + 1 < b.len() {
            match b[j] {
                b'"' | b'`' => {
                    let q = b[j];
                    j += 1;
                    while j < b.len() && b[j] != q {
                        j += if b[j] == b'\\' && q == b'"' { 2 } else { 1 };
                    }
                    j += 1;
                }
                b'/' if b[j + 1] == b'*' => {
                    j = text[j + 2..].find("*/").map_or(b.len(), |k| j + 2 + k + 2);
                }
                b'}' if b[j + 1] == b'}' => {
                    close = Some(j + 2);
                    break;
                }
                _ => j += 1,
            }
        }
        let Some(end) = close else { break };
        out.push(Action { start, end });
        i = end;
    }
    out
}

/// The words of each action in `text`, in order.
pub(crate) fn actions_in(text: &str) -> Vec<&str> {
    lex(text)
        .iter()
        .map(|a| inner(&text[a.start..a.end]))
        .collect()
}

/// The action's words without the delimiters and trim markers.
fn inner(raw: &str) -> &str {
    let s = &raw[2..raw.len() - 2];
    let s = match s.strip_prefix('-') {
        Some(r) if r.starts_with(char::is_whitespace) => r,
        _ => s,
    };
    let s = match s.strip_suffix('-') {
        Some(r) if r.ends_with(char::is_whitespace) => r,
        _ => s,
    };
    s.trim()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Frame {
    If,
    Loop,
    With,
    Define,
}

struct Open {
    frame: Frame,
    drop: bool,
    /// A branch of this block has been kept (so later `else`s are dropped).
    taken: bool,
    pushed_dot: bool,
    loop_at: Option<(usize, usize)>,
}

struct State<'e> {
    env: &'e mut Env,
    stack: Vec<Open>,
    /// Open frames that drop their text, and open `range` frames: counted
    /// so deep nesting stays linear.
    drops: usize,
    loops_open: usize,
    iteration: usize,
    loops: Vec<Loop>,
}

impl State<'_> {
    fn dropping(&self) -> bool {
        self.drops > 0
    }

    fn cond(&self, expr: &str) -> Option<bool> {
        match self.env.pipeline(expr) {
            R::Known(v) => Some(truthy(&v)),
            R::Unknown => None,
        }
    }

    /// Handles a control action; returns false when it is an output action.
    fn control(&mut self, words: &str, line: usize) -> bool {
        let (head, rest) = words
            .split_once(char::is_whitespace)
            .map_or((words, ""), |(h, r)| (h, r.trim()));
        let outer_drop = self.dropping();
        match head {
            _ if words.starts_with("/*") => {}
            "if" => {
                let c = if outer_drop { None } else { self.cond(rest) };
                self.push(Frame::If, c == Some(false), false);
            }
            "with" | "block" => {
                let (var, expr) = match rest.split_once(":=") {
                    Some((v, e)) => (Some(v.trim()), e),
                    None => (None, rest),
                };
                let v = if outer_drop {
                    R::Unknown
                } else {
                    self.env.pipeline(expr)
                };
                if let Some(var) = var {
                    self.env.vars.insert(var.to_string(), v.clone());
                }
                let drop = matches!(&v, R::Known(x) if !truthy(x)) && head == "with";
                self.push(Frame::With, drop, true);
                self.env.dots.push(v);
            }
            "range" => self.range(rest, line, outer_drop),
            "define" => self.push(Frame::Define, true, false),
            "else" => {
                if let Some(top) = self.stack.last() {
                    let taken = top.taken || !top.drop;
                    let (drop, frame) = (taken, top.frame);
                    let drop = if frame == Frame::If && !drop && rest.starts_with("if ") {
                        self.cond(&rest[3..]) == Some(false)
                    } else {
                        drop
                    };
                    if let Some(top) = self.stack.last_mut() {
                        let was = top.drop;
                        top.taken = taken;
                        top.drop = drop || frame == Frame::Define;
                        match (was, top.drop) {
                            (false, true) => self.drops += 1,
                            (true, false) => self.drops -= 1,
                            _ => {}
                        }
                    }
                }
            }
            "end" => {
                if let Some(o) = self.stack.pop() {
                    self.drops -= usize::from(o.drop);
                    self.loops_open -= usize::from(o.frame == Frame::Loop);
                    if o.pushed_dot {
                        self.env.dots.pop();
                    }
                    if let Some((first, len)) = o.loop_at {
                        self.loops.push(Loop {
                            first_line: first,
                            last_line: line,
                            len,
                        });
                    }
                }
            }
            "break" | "continue" => {}
            _ if head.starts_with('$') && (rest.starts_with(":=") || rest.starts_with('=')) => {
                let expr = rest.trim_start_matches(':').trim_start_matches('=');
                let v = if outer_drop {
                    R::Unknown
                } else {
                    self.env.pipeline(expr)
                };
                self.env.vars.insert(head.to_string(), v);
            }
            _ => return false,
        }
        true
    }

    fn push(&mut self, frame: Frame, drop: bool, pushed_dot: bool) {
        self.drops += usize::from(drop);
        self.stack.push(Open {
            frame,
            drop,
            taken: false,
            pushed_dot,
            loop_at: None,
        });
    }

    /// `range [$k, $v :=] EXPR`: the body once, for element `iteration` of a
    /// top-level loop over a known list (element 0 of nested ones).
    fn range(&mut self, rest: &str, line: usize, outer_drop: bool) {
        let (vars, expr) = match rest.split_once(":=") {
            Some((v, e)) => (v.split(',').map(str::trim).collect::<Vec<_>>(), e.trim()),
            None => (Vec::new(), rest),
        };
        let top = self.loops_open == 0;
        let items: Option<Vec<(Value, Value)>> = match self.env.pipeline(expr) {
            _ if outer_drop => None,
            R::Known(Value::Array(a)) => Some(
                a.into_iter()
                    .enumerate()
                    .map(|(i, v)| (Value::from(i), v))
                    .collect(),
            ),
            R::Known(Value::Object(m)) => {
                let mut kv: Vec<_> = m.into_iter().map(|(k, v)| (Value::String(k), v)).collect();
                kv.sort_by(|a, b| a.0.as_str().cmp(&b.0.as_str()));
                Some(kv)
            }
            R::Known(Value::Null) => Some(Vec::new()),
            _ => None,
        };
        let index = if top { self.iteration } else { 0 };
        let (dot, drop, loop_at) = match &items {
            None => (R::Unknown, false, None),
            Some(list) => match list.get(index) {
                Some((k, v)) => {
                    match vars.as_slice() {
                        [v1] => {
                            self.env.vars.insert(v1.to_string(), R::Known(v.clone()));
                        }
                        [k1, v1, ..] => {
                            self.env.vars.insert(k1.to_string(), R::Known(k.clone()));
                            self.env.vars.insert(v1.to_string(), R::Known(v.clone()));
                        }
                        _ => {}
                    }
                    (
                        R::Known(v.clone()),
                        false,
                        top.then_some((line, list.len())),
                    )
                }
                None => (R::Unknown, true, top.then_some((line, list.len()))),
            },
        };
        self.drops += usize::from(drop);
        self.loops_open += 1;
        self.stack.push(Open {
            frame: Frame::Loop,
            drop,
            taken: false,
            pushed_dot: true,
            loop_at,
        });
        self.env.dots.push(dot);
    }
}

/// Neutralises `text`; see the module docs.
pub(crate) fn neutralise(text: &str, env: &mut Env, iteration: usize, mode: Mode) -> Neutral {
    let actions = lex(text);
    let mut st = State {
        env,
        stack: Vec::new(),
        drops: 0,
        loops_open: 0,
        iteration,
        loops: Vec::new(),
    };
    let mut out = String::with_capacity(text.len());
    let mut tokens = Vec::new();
    let mut pending = 0usize;
    let mut pos = 0;
    let mut line = 1;
    // Lines made only of actions, and lines with any action.
    let mut lone = vec![false; text.lines().count() + 2];
    let mut touched = lone.clone();
    mark_lines(text, &actions, &mut lone, &mut touched);
    let emit_text = |out: &mut String, s: &str, drop: bool, pending: &mut usize| {
        let s_owned;
        let s = if drop {
            s_owned = "\n".repeat(s.matches('\n').count());
            s_owned.as_str()
        } else {
            s
        };
        match s.find('\n') {
            Some(i) if *pending > 0 => {
                out.push_str(&s[..i]);
                out.push_str(&"\n".repeat(*pending));
                out.push_str(&s[i..]);
                *pending = 0;
            }
            _ => out.push_str(s),
        }
    };
    for a in &actions {
        let before = &text[pos..a.start];
        emit_text(&mut out, before, st.dropping(), &mut pending);
        line += before.matches('\n').count();
        let raw = &text[a.start..a.end];
        let words = inner(raw);
        let was_dropping = st.dropping();
        if !st.control(words, line) && !was_dropping {
            let value = st.env.pipeline(words);
            out.push(OPEN);
            out.push_str(&tokens.len().to_string());
            out.push(CLOSE);
            tokens.push((value, raw.split_whitespace().collect::<Vec<_>>().join(" ")));
        }
        let nl = raw.matches('\n').count();
        pending += nl;
        line += nl;
        pos = a.end;
    }
    emit_text(&mut out, &text[pos..], st.dropping(), &mut pending);
    out.push_str(&"\n".repeat(pending));
    let text = tidy_lines(&out, &lone, &touched, mode);
    Neutral {
        text,
        tokens,
        loops: st.loops,
    }
}

fn mark_lines(text: &str, actions: &[Action], lone: &mut [bool], touched: &mut [bool]) {
    let mut masked: Vec<u8> = text.as_bytes().to_vec();
    let mut line_of = Vec::with_capacity(text.len());
    let mut l = 1;
    for b in text.bytes() {
        line_of.push(l);
        if b == b'\n' {
            l += 1;
        }
    }
    for a in actions {
        for m in &mut masked[a.start..a.end] {
            if *m != b'\n' {
                *m = b' ';
            }
        }
        for t in touched
            .iter_mut()
            .take(line_of[a.end - 1] + 1)
            .skip(line_of[a.start])
        {
            *t = true;
        }
    }
    let masked = String::from_utf8_lossy(&masked);
    for (i, m) in masked.lines().enumerate() {
        if touched.get(i + 1).copied().unwrap_or(false) && m.trim().is_empty() {
            lone[i + 1] = true;
        }
    }
}

fn indent(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// Applies the lone-action rules line by line (see the module docs), in
/// one pass each way so long files stay linear.
fn tidy_lines(out: &str, lone: &[bool], touched: &[bool], mode: Mode) -> String {
    let mut lines: Vec<String> = out.lines().map(String::from).collect();
    let n = lines.len();
    let is_lone = |i: usize| lone.get(i + 1).copied().unwrap_or(false);
    // The next line that is neither blank nor made only of actions.
    let mut next_solid = vec![None; n];
    let mut next = None;
    for i in (0..n).rev() {
        next_solid[i] = next;
        if !lines[i].trim().is_empty() && !is_lone(i) {
            next = Some(i);
        }
    }
    let mut prev: Option<usize> = None;
    for i in 0..n {
        let blank_it = match mode {
            Mode::BlankAll => touched.get(i + 1).copied().unwrap_or(false),
            Mode::BlankLone => is_lone(i),
            Mode::Keep => {
                is_lone(i)
                    && !key_value(
                        &lines[i],
                        prev.map(|p| lines[p].as_str()),
                        next_solid[i].map(|j| lines[j].as_str()),
                    )
            }
        };
        if blank_it {
            lines[i].clear();
        }
        if !lines[i].trim().is_empty() {
            prev = Some(i);
        }
    }
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

/// Whether `line`, one token, is the whole value of the key above it
/// (`prev`), with nothing more deeply indented after it (`next`).
fn key_value(line: &str, prev: Option<&str>, next: Option<&str>) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return true;
    }
    let one_token = t.starts_with(OPEN) && t.ends_with(CLOSE) && t.matches(OPEN).count() == 1;
    let Some(prev) = prev.filter(|_| one_token) else {
        return false;
    };
    let me = indent(line);
    let p = prev.trim_end();
    if p.ends_with('|') || p.ends_with("|-") || p.ends_with('>') {
        return indent(prev) < me;
    }
    if !p.ends_with(':') || indent(prev) >= me {
        return false;
    }
    match next {
        None => true,
        Some(l) => indent(l) < me || l.starts_with("---"),
    }
}

impl Neutral {
    /// Tokens in a parsed value become the rendered value (a whole-string
    /// token takes the value's own type) or the action as written.
    pub(crate) fn restore(&self, v: &mut Value) {
        match v {
            Value::String(s) if s.contains(OPEN) => *v = self.restore_str(s),
            Value::Array(a) => a.iter_mut().for_each(|x| self.restore(x)),
            Value::Object(m) => {
                let keys: Vec<String> = m.keys().filter(|k| k.contains(OPEN)).cloned().collect();
                for k in keys {
                    if let Some(x) = m.remove(&k) {
                        let nk = match self.restore_str(&k) {
                            Value::String(s) => s,
                            other => super::gotmpl_eval::text(&other).unwrap_or(k),
                        };
                        m.insert(nk, x);
                    }
                }
                m.values_mut().for_each(|x| self.restore(x));
            }
            _ => {}
        }
    }

    fn token_at(&self, s: &str) -> Option<(usize, usize)> {
        let rest = s.strip_prefix(OPEN)?;
        let end = rest.find(CLOSE)?;
        let n = rest[..end].parse().ok()?;
        Some((n, OPEN.len_utf8() + end + CLOSE.len_utf8()))
    }

    fn restore_str(&self, s: &str) -> Value {
        if let Some((n, len)) = self.token_at(s.trim()) {
            if len == s.trim().len() {
                if let Some((R::Known(v), _)) = self.tokens.get(n) {
                    return v.clone();
                }
            }
        }
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find(OPEN) {
            out.push_str(&rest[..i]);
            match self.token_at(&rest[i..]) {
                Some((n, len)) => {
                    out.push_str(&self.token_text(n));
                    rest = &rest[i + len..];
                }
                None => {
                    out.push(OPEN);
                    rest = &rest[i + OPEN.len_utf8()..];
                }
            }
        }
        out.push_str(rest);
        Value::String(out)
    }

    fn token_text(&self, n: usize) -> String {
        match self.tokens.get(n) {
            Some((R::Known(v), raw)) => super::gotmpl_eval::text(v).unwrap_or_else(|| raw.clone()),
            Some((R::Unknown, raw)) => raw.clone(),
            None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(text: &str, values: Option<Value>, iteration: usize) -> (String, Neutral) {
        let mut env = Env::new(values.as_ref(), Some(&json!({"name": "shop"})));
        let n = neutralise(text, &mut env, iteration, Mode::Keep);
        (n.text.clone(), n)
    }

    #[test]
    fn keeps_lines_and_structure() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include \"shop.fullname\" . }}\n  labels:\n    {{- include \"shop.labels\" . | nindent 4 }}\n    extra: x\n  annotations:\n    {{- toYaml .Values.ann | nindent 4 }}\nspec:\n  replicas: {{ .Values.replicas }}\n  {{- if .Values.on }}\n  paused: true\n  {{- else }}\n  paused: false\n  {{- end }}\n";
        let (out, n) = run(
            text,
            Some(json!({"replicas": 2, "on": true, "ann": {"a": "b"}})),
            0,
        );
        assert_eq!(out.lines().count(), text.lines().count());
        let mut v: Value = serde_norway::from_str::<serde_norway::Value>(&out)
            .map(super::super::yaml::to_json)
            .unwrap();
        n.restore(&mut v);
        assert_eq!(
            v["metadata"]["name"],
            json!("{{ include \"shop.fullname\" . }}")
        );
        assert_eq!(v["metadata"]["labels"], json!({"extra": "x"}));
        assert_eq!(v["metadata"]["annotations"], json!({"a": "b"}));
        assert_eq!(v["spec"], json!({"replicas": 2, "paused": true}));
    }

    #[test]
    fn ranges_take_one_element_per_iteration_and_defines_vanish() {
        let text = "{{- define \"x\" }}\nbad: [\n{{- end }}\n{{- range $name, $app := .Values.apps }}\n---\nkind: Application\nmetadata:\n  name: {{ $name }}\nspec:\n  path: {{ $app.path | quote }}\n{{- end }}\n";
        let vals = json!({"apps": {"web": {"path": "apps/web"}, "api": {"path": "apps/api"}}});
        let (out, n) = run(text, Some(vals.clone()), 1);
        assert!(out.contains("name: ⟦"), "{out}");
        assert!(!out.contains("bad"));
        assert_eq!(
            n.loops,
            vec![Loop {
                first_line: 4,
                last_line: 11,
                len: 2
            }]
        );
        let (out2, _) = run(text, Some(vals), 2);
        assert!(!out2.contains("Application"), "past the end: {out2}");
        let body: String = out.lines().skip(5).collect::<Vec<_>>().join("\n");
        let mut v: Value = serde_norway::from_str::<serde_norway::Value>(&body)
            .map(super::super::yaml::to_json)
            .unwrap();
        n.restore(&mut v);
        assert_eq!(v["metadata"]["name"], json!("web"));
        assert_eq!(v["spec"]["path"], json!("apps/web"));
    }

    #[test]
    fn unclosed_and_odd_actions_do_not_panic() {
        for t in [
            "a: {{",
            "a: {{ \"}}\" }}",
            "{{/* c */}}\na: 1",
            "{{- end }}\n{{ else }}",
            "a: {{ \"é\" }}é\n",
        ] {
            let (out, _) = run(t, None, 0);
            assert_eq!(out.lines().count(), t.lines().count().max(1), "{t}");
        }
    }
}
