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
use super::gotmpl_text::{mark_lines, tidy_lines};
use serde_json::Value;

pub(crate) const OPEN: char = '⟦';
pub(crate) const CLOSE: char = '⟧';

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
    pub tokens: Vec<(R, String)>,
    pub loops: Vec<Loop>,
}

pub(crate) struct Action {
    pub start: usize,
    pub end: usize,
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
    let mut text = tidy_lines(&out, &lone, &touched, mode);
    // Actions ending the file may leave its last lines empty: keep them.
    for _ in text.lines().count()..text.lines().count().max(lone.len() - 2) {
        text.push('\n');
    }
    Neutral {
        text,
        tokens,
        loops: st.loops,
    }
}

#[cfg(test)]
mod tests;
