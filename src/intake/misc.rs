//! Shell scripts, docs, env files, Python and other small inputs.
//!
//! In: one file's text (or, for diagrams, just the file list). These formats
//! are line-based, so each is read line by line. Out: scripts, docs and
//! Python files in the facts; signals for doc categories, diagrams, health
//! and metrics routes; findings for shell strict mode (or its absence),
//! `-auto-approve` in scripts, boto3 use and `shell=True`.

use super::facts::{Acc, Facts};
use super::findings::Finding;
use super::walk::{Kind, RepoFile};

pub(crate) fn shell(file: &RepoFile, text: &str, acc: &mut Acc) -> bool {
    let f = file.rel.as_str();
    acc.facts.scripts.push(f.into());
    let mut strict = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('#') {
            continue;
        }
        if strict.is_none() && t.starts_with("set -") && t.contains('e') {
            strict = Some((i + 1, t.to_string()));
        }
        for tool in ["terraform", "kubectl", "helm", "aws", "argocd"] {
            if t.split_whitespace().next() == Some(tool) {
                acc.facts.signal("script-tool", f, i + 1, tool);
            }
        }
        if t.contains("-auto-approve") {
            acc.finding(
                Finding::new(
                    "script-auto-approve",
                    f,
                    i + 1,
                    format!(
                        "`{}` applies or destroys without a review step",
                        file.name()
                    ),
                )
                .value(t.to_string())
                .param("script", file.name())
                .phrase(file.name().trim_end_matches(".sh")),
            );
        }
    }
    let name = file.name();
    let f2 = match strict {
        Some((l, t)) => Finding::new(
            "shell-strict-mode",
            f,
            l,
            format!("`{name}` runs in strict mode"),
        )
        .value(t),
        None => Finding::new(
            "shell-no-strict-mode",
            f,
            1,
            format!("`{name}` does not stop on errors (no set -e)"),
        )
        .value(text.lines().next().unwrap_or("").trim().to_string()),
    };
    acc.finding(
        f2.param("script", name)
            .phrase(name.trim_end_matches(".sh"))
            .phrase(name),
    );
    true
}

/// Planning, validation, architecture… from the path; diagrams from fences.
pub(crate) fn markdown(file: &RepoFile, text: &str, acc: &mut Acc) -> bool {
    let f = file.rel.as_str();
    acc.facts.docs.push(f.into());
    let p = f.to_ascii_lowercase();
    let category = if p.contains("plan") {
        "Planning docs"
    } else if p.contains("valid") || p.contains("verif") || p.contains("test") {
        "Validation docs"
    } else if p.contains("runbook") || p.contains("playbook") {
        "Runbooks"
    } else if p.contains("adr") || p.contains("decision") {
        "Architecture decision records"
    } else if p.contains("architect") || p.contains("design") {
        "Architecture docs"
    } else if file.name().eq_ignore_ascii_case("readme.md") {
        "README"
    } else {
        "Other docs"
    };
    acc.facts.signal("doc", f, 1, category);
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("```mermaid") || t.starts_with("```plantuml") || t.starts_with("@startuml")
        {
            acc.facts
                .signal("diagram", f, i + 1, "architecture diagram");
            break;
        }
    }
    true
}

pub(crate) fn env_file(file: &RepoFile, _text: &str, acc: &mut Acc) -> bool {
    acc.facts.signal("env-file", &file.rel, 1, file.name());
    true
}

pub(crate) fn python(file: &RepoFile, text: &str, acc: &mut Acc) -> bool {
    let f = file.rel.as_str();
    acc.facts.python.push(f.into());
    let mut boto = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        let module = t
            .strip_prefix("import ")
            .or_else(|| t.strip_prefix("from "))
            .and_then(|r| r.split([' ', '.', ',']).next());
        if let Some(m) = module {
            acc.facts.signal("python-import", f, i + 1, m);
            match m {
                "boto3" => boto = boto.or(Some((i + 1, t.to_string()))),
                "prometheus_client" => {
                    acc.facts
                        .signal("metrics-endpoint", f, i + 1, "prometheus_client")
                }
                _ => {}
            }
        }
        let route = t.starts_with('@') && (t.contains(".get(") || t.contains(".route("));
        if route && t.contains("/health") {
            acc.facts.signal("health-endpoint", f, i + 1, t);
        }
        if route && t.contains("/metrics") {
            acc.facts.signal("metrics-endpoint", f, i + 1, t);
        }
        if t.contains("shell=True") {
            acc.finding(
                Finding::new(
                    "python-shell-true",
                    f,
                    i + 1,
                    format!("`{}` runs a command through the shell", file.name()),
                )
                .value(t.to_string())
                .param("script", file.name())
                .phrase(file.name().trim_end_matches(".py")),
            );
        }
    }
    if let Some((l, t)) = boto {
        let paginated = text.contains("get_paginator");
        acc.finding(
            Finding::new(
                "python-boto3",
                f,
                l,
                format!("`{}` calls AWS with boto3", file.name()),
            )
            .value(t)
            .value(if paginated {
                "get_paginator(…)"
            } else {
                "no get_paginator"
            })
            .param("script", file.name())
            .param("paginated", paginated.to_string())
            .phrase(file.name().trim_end_matches(".py")),
        );
    }
    true
}

pub(crate) fn other_config(file: &RepoFile, _text: &str, acc: &mut Acc) -> bool {
    match file.kind {
        Kind::Monitoring => acc.facts.signal("prometheus", &file.rel, 1, file.name()),
        _ => acc.facts.signal("python-meta", &file.rel, 1, file.name()),
    }
    true
}

/// Diagram files are binary; their names are enough.
pub(crate) fn note_assets(files: &[super::walk::RepoFile], facts: &mut Facts) {
    for f in files {
        let lower = f.rel.to_ascii_lowercase();
        let diagram_ext = [".png", ".svg", ".drawio", ".excalidraw", ".jpg"]
            .iter()
            .any(|e| lower.ends_with(e));
        let docsy = lower.starts_with("docs/")
            || lower.contains("/docs/")
            || lower.contains("diagram")
            || lower.contains("architecture");
        if diagram_ext && docsy {
            facts.signal("diagram", &f.rel, 1, "architecture diagram");
        }
    }
}
