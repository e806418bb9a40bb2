//! Resource hooks and sync waves on any object: Argo CD's
//! `argocd.argoproj.io/hook` (with its delete policy and `generateName`),
//! `argocd.argoproj.io/sync-wave`, and Helm's `helm.sh/hook`.
//!
//! In: one Kubernetes object as JSON, its kind and name (the
//! `generateName` when it has no name), and a locator. Out: hooks and
//! resource waves in the facts, and findings that quote the annotations.

use super::argo::WAVE;
use super::facts::{Acc, Hook, Wave};
use super::findings::Finding;
use super::walk::RepoFile;
use super::yaml::{get, string_map, text_at, Locator};
use serde_json::Value;

const HOOK: &str = "argocd.argoproj.io/hook";
const HOOK_DELETE: &str = "argocd.argoproj.io/hook-delete-policy";
const HELM_HOOK: &str = "helm.sh/hook";

/// Hooks and sync waves, from any object's annotations.
pub(crate) fn annotations(
    file: &RepoFile,
    v: &Value,
    loc: &Locator,
    first: usize,
    kind: &str,
    name: &str,
    acc: &mut Acc,
) {
    let ann = string_map(get(v, &["metadata", "annotations"]));
    if ann.is_empty() {
        return;
    }
    let f = file.rel.as_str();
    let generated = text_at(v, &["metadata", "name"])
        .unwrap_or_default()
        .is_empty()
        && text_at(v, &["metadata", "generateName"]).is_some();
    let shown = if generated {
        format!("{kind} `{name}` (generateName)")
    } else {
        format!("{kind} `{name}`")
    };
    if let (Some(w), false) = (ann.get(WAVE), kind == "Application") {
        if let Ok(wave) = w.trim().parse() {
            let (line, quote) = loc.key_quote(first, WAVE);
            acc.facts.waves.push(Wave {
                wave,
                kind: kind.into(),
                name: name.into(),
                file: f.into(),
                line,
                quote,
            });
        }
    }
    if let Some(phase) = ann.get(HOOK) {
        let (l, q) = loc.key_quote(first, HOOK);
        let policy = ann.get(HOOK_DELETE);
        let kind_id = if phase.contains("PreSync") {
            "argocd-presync-hook"
        } else {
            "argocd-hook"
        };
        let on = policy.map_or(String::new(), |p| format!(", deleted on `{p}`"));
        acc.finding(
            Finding::new(
                kind_id,
                f,
                l,
                format!("{shown} runs as an Argo CD `{phase}` hook{on}"),
            )
            .value(q)
            .values(policy.map(|_| loc.key_quote(first, HOOK_DELETE).1))
            .param("hook_kind", kind)
            .param("hook_name", name)
            .param("phase", phase.as_str())
            .param("delete_policy", policy.map_or("no delete policy", |p| p))
            .phrase(name)
            .phrase(phase),
        );
        if generated || policy.is_some() {
            let how = match (generated, policy) {
                (true, Some(p)) => format!("is named by generateName and deleted on `{p}`"),
                (true, None) => "is named by generateName, with no delete policy".into(),
                (false, Some(p)) => format!("has a fixed name and is deleted on `{p}`"),
                (false, None) => String::new(),
            };
            let (gl, gq) = if generated {
                loc.key_quote(first, "generateName")
            } else {
                loc.key_quote(first, HOOK_DELETE)
            };
            acc.finding(
                Finding::new(
                    "argocd-hook-lifecycle",
                    f,
                    gl,
                    format!("`{phase}` hook {kind} `{name}` {how}"),
                )
                .value(gq)
                .values(policy.map(|_| loc.key_quote(first, HOOK_DELETE).1))
                .param("hook_kind", kind)
                .param("hook_name", name)
                .param("phase", phase.as_str())
                .param("how", how.as_str())
                .phrase(name),
            );
        }
        acc.facts.hooks.push(Hook {
            engine: "Argo CD",
            phase: phase.clone(),
            kind: kind.into(),
            name: name.into(),
            file: f.into(),
            line: l,
        });
    }
    if let Some(phase) = ann.get(HELM_HOOK) {
        helm_hook(f, loc, first, kind, name, &shown, phase, &ann, acc);
    }
}

/// What Argo CD does with a Helm hook when it renders the chart itself.
fn argo_phase(helm: &str) -> &'static str {
    let has = |p: &str| helm.split(',').any(|x| x.trim() == p);
    if has("pre-install") || has("pre-upgrade") {
        "PreSync"
    } else if has("post-install") || has("post-upgrade") {
        "PostSync"
    } else {
        "nothing (Argo CD ignores this hook)"
    }
}

#[allow(clippy::too_many_arguments)]
fn helm_hook(
    f: &str,
    loc: &Locator,
    first: usize,
    kind: &str,
    name: &str,
    shown: &str,
    phase: &str,
    ann: &std::collections::BTreeMap<String, String>,
    acc: &mut Acc,
) {
    let (l, q) = loc.key_quote(first, HELM_HOOK);
    let weight = ann.get("helm.sh/hook-weight");
    let policy = ann.get("helm.sh/hook-delete-policy");
    let mut extra = Vec::new();
    if let Some(w) = weight {
        extra.push(format!("weight {w}"));
    }
    if let Some(p) = policy {
        extra.push(format!("deleted on `{p}`"));
    }
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(" ({})", extra.join(", "))
    };
    acc.finding(
        Finding::new(
            "helm-hook",
            f,
            l,
            format!("{shown} is a Helm `{phase}` hook{extra}"),
        )
        .value(q)
        .values(weight.map(|_| loc.key_quote(first, "helm.sh/hook-weight").1))
        .values(policy.map(|_| loc.key_quote(first, "helm.sh/hook-delete-policy").1))
        .param("hook_kind", kind)
        .param("hook_name", name)
        .param("phase", phase)
        .param("argo_phase", argo_phase(phase))
        .phrase(name)
        .phrase(phase),
    );
    acc.facts.hooks.push(Hook {
        engine: "Helm",
        phase: phase.into(),
        kind: kind.into(),
        name: name.into(),
        file: f.into(),
        line: l,
    });
}
