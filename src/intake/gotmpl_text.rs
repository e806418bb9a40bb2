//! The line rules and token restoring of [`gotmpl`](super::gotmpl).
//!
//! In: the neutralised text, which lines held only actions, and (after
//! parsing) the YAML values with their tokens. Out: lone output actions
//! kept only where they are a key's whole value, and tokens turned back into
//! rendered values or the actions as written.

use super::gotmpl::{Action, Mode, Neutral, CLOSE, OPEN};
use super::gotmpl_eval::R;
use serde_json::Value;

pub(crate) fn mark_lines(text: &str, actions: &[Action], lone: &mut [bool], touched: &mut [bool]) {
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
        for b in &mut masked[a.start..a.end] {
            if *b != b'\n' {
                *b = b' ';
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
pub(crate) fn tidy_lines(out: &str, lone: &[bool], touched: &[bool], mode: Mode) -> String {
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
