//! Helpers over `hcl-rs`'s span-keeping syntax tree (`hcl::edit`).
//!
//! In: a parsed Terraform file and its source text. Out: line numbers and
//! source quotes of blocks and attributes ([`Tf`]), attribute lookups,
//! literal values, HCL expressions as JSON (so manifests and policies written
//! in HCL can be read like YAML), and module source paths resolved to
//! directories.

use super::walk::RepoFile;
use super::yaml::tidy;
use hcl::edit::structure::{Attribute, Block, Body};
use hcl::edit::Span;
use hcl::Expression;
use serde_json::Value;
use std::ops::Range;

/// One parsed file and its source, for line numbers and quotes.
pub(crate) struct Tf<'a> {
    pub file: &'a RepoFile,
    pub src: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> Tf<'a> {
    pub(crate) fn new(file: &'a RepoFile, src: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        Tf {
            file,
            src,
            line_starts,
        }
    }

    /// 1-based line where a span starts.
    pub(crate) fn line(&self, span: Option<Range<usize>>) -> usize {
        span.map_or(1, |r| self.line_starts.partition_point(|&s| s <= r.start))
    }

    pub(crate) fn block_line(&self, b: &Block) -> usize {
        self.line(b.span())
    }

    pub(crate) fn attr_line(&self, a: &Attribute) -> usize {
        self.line(a.span())
    }

    /// The attribute as written (`desired_size = 3`), first line only.
    pub(crate) fn quote(&self, a: &Attribute) -> String {
        let text = a
            .span()
            .and_then(|r| self.src.get(r))
            .unwrap_or_default()
            .trim();
        match text.split_once('\n') {
            Some((first, _)) => format!("{} …", tidy(first.trim_end())),
            None => tidy(text),
        }
    }

    /// 1-based last line of a block.
    pub(crate) fn block_end(&self, b: &Block) -> usize {
        b.span().map_or(1, |r| {
            self.line_starts
                .partition_point(|&s| s < r.end.saturating_sub(1).max(r.start))
        })
    }
}

pub(crate) fn attr<'b>(body: &'b Body, key: &str) -> Option<&'b Attribute> {
    body.get_attribute(key)
}

/// An attribute's value as an owned `hcl::Expression`.
pub(crate) fn expr(body: &Body, key: &str) -> Option<Expression> {
    attr(body, key).map(|a| a.value.clone().into())
}

pub(crate) fn block<'b>(body: &'b Body, ident: &'b str) -> Option<&'b Block> {
    body.get_blocks(ident).next()
}

pub(crate) fn labels(b: &Block) -> Vec<String> {
    b.labels.iter().map(|l| l.as_str().to_string()).collect()
}

/// A literal string, number or boolean as text.
pub(crate) fn literal(e: &Expression) -> Option<String> {
    match e {
        Expression::String(s) => Some(s.clone()),
        Expression::Number(n) => Some(n.to_string()),
        Expression::Bool(b) => Some(b.to_string()),
        Expression::TemplateExpr(t) => match t.as_ref() {
            hcl::TemplateExpr::QuotedString(s) => Some(s.clone()),
            hcl::TemplateExpr::Heredoc(h) => Some(h.template.clone()),
        },
        Expression::Parenthesis(inner) => literal(inner),
        _ => None,
    }
}

pub(crate) fn lit(body: &Body, key: &str) -> Option<String> {
    expr(body, key).as_ref().and_then(literal)
}

pub(crate) fn is_true(body: &Body, key: &str) -> bool {
    matches!(expr(body, key), Some(Expression::Bool(true)))
}

/// HCL expression → JSON: literals and objects as themselves, `jsonencode`
/// and `yamlencode` calls as their argument, anything else as its text.
pub(crate) fn to_json(e: &Expression) -> Value {
    match e {
        Expression::Null => Value::Null,
        Expression::Bool(b) => Value::Bool(*b),
        Expression::Number(n) => serde_json::to_value(n).unwrap_or(Value::Null),
        Expression::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Expression::Object(obj) => {
            let mut m = serde_json::Map::new();
            for (k, v) in obj {
                m.insert(object_key(k), to_json(v));
            }
            Value::Object(m)
        }
        Expression::FuncCall(f)
            if matches!(f.name.name.as_str(), "jsonencode" | "yamlencode" | "tolist")
                && f.args.len() == 1 =>
        {
            to_json(&f.args[0])
        }
        Expression::Parenthesis(inner) => to_json(inner),
        other => Value::String(literal(other).unwrap_or_else(|| other.to_string())),
    }
}

/// The directory a local module `source` points at, relative to the root.
pub(crate) fn module_dir(dir: &str, source: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in source.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// An object key as text (`name` or `"name"`).
pub(crate) fn object_key(k: &hcl::ObjectKey) -> String {
    match k {
        hcl::ObjectKey::Identifier(i) => i.as_str().to_string(),
        hcl::ObjectKey::Expression(e) => literal(e).unwrap_or_else(|| e.to_string()),
        _ => String::new(),
    }
}

/// Every string literal inside an expression (policies, conditions).
pub(crate) fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => m.iter().for_each(|(k, x)| {
            out.push(k.clone());
            strings(x, out)
        }),
        _ => {}
    }
}
