//! Argo CD Applications and ApplicationSets, sync hooks and waves on any
//! object, Helm hooks, and Argo Rollouts.
//!
//! In: one Kubernetes object as JSON (from plain YAML, a Helm template or a
//! Terraform `kubernetes_manifest`) with a locator for its lines. Out: the
//! Application's sync policy (automated, selfHeal, prune, syncOptions, its
//! wave and source path), ApplicationSet generators, hooks
//! (`argocd.argoproj.io/hook`, `helm.sh/hook`), resource sync waves and
//! Rollout strategies in the facts, with findings that quote them.

use super::facts::{Acc, AppSet, ArgoApp, Hook, Rollout, Wave};
use super::findings::Finding;
use super::walk::RepoFile;
use super::yaml::{get, scalar, string_map, text_at, truthy, Locator};
use serde_json::Value;

const HOOK: &str = "argocd.argoproj.io/hook";
const HOOK_DELETE: &str = "argocd.argoproj.io/hook-delete-policy";
const WAVE: &str = "argocd.argoproj.io/sync-wave";
const HELM_HOOK: &str = "helm.sh/hook";

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(scalar)
        .collect()
}

/// The first line at or after `first` holding `needle`, as (line, text).
fn quote(loc: &Locator, first: usize, needle: &str) -> (usize, String) {
    let l = loc.find(first, needle).unwrap_or(first);
    (l, loc.text(l))
}

/// The line of key `key` (quoted or not) at or after `first`, as (line, text).
fn key_quote(loc: &Locator, first: usize, key: &str) -> (usize, String) {
    let l = loc.key_from(first, &[key]);
    (l, loc.text(l))
}

pub(crate) fn application(
    file: &RepoFile,
    v: &Value,
    loc: &Locator,
    first: usize,
    name: &str,
    acc: &mut Acc,
) {
    let f = file.rel.as_str();
    let automated = get(v, &["spec", "syncPolicy", "automated"]);
    let self_heal = truthy(automated.and_then(|a| a.get("selfHeal")));
    let prune = truthy(automated.and_then(|a| a.get("prune")));
    let wave = text_at(v, &["metadata", "annotations", WAVE]);
    let sync_options = strings(get(v, &["spec", "syncPolicy", "syncOptions"]));
    let app = ArgoApp {
        name: name.into(),
        file: f.into(),
        line: loc.key_from(first, &["kind"]),
        automated: automated.is_some(),
        self_heal,
        prune,
        wave: wave.as_deref().and_then(|w| w.trim().parse().ok()),
        wave_quote: key_quote(loc, first, WAVE).1,
        source_path: text_at(v, &["spec", "source", "path"]),
        path_quote: loc.text(loc.key_from(first, &["spec", "source", "path"])),
        templated: false,
    };
    if self_heal && prune {
        let l = loc.key_from(first, &["syncPolicy", "automated", "selfHeal"]);
        let p = loc.key_from(first, &["syncPolicy", "automated", "prune"]);
        acc.finding(
            Finding::new(
                "argocd-selfheal-prune",
                f,
                l,
                format!("Application `{name}` syncs automatically with selfHeal and prune"),
            )
            .value(loc.text(l))
            .value(loc.text(p))
            .param("app", name)
            .phrase(name),
        );
    } else if automated.is_none() {
        let l = match loc.find(first, "syncPolicy") {
            Some(l) => l,
            None => loc.key_from(first, &["spec"]),
        };
        acc.finding(
            Finding::new(
                "argocd-manual-sync",
                f,
                l,
                format!("Application `{name}` has no automated sync"),
            )
            .value(loc.text(l))
            .value("no syncPolicy.automated")
            .param("app", name)
            .phrase(name),
        );
    } else {
        let missing = match (self_heal, prune) {
            (false, false) => "selfHeal or prune",
            (false, true) => "selfHeal",
            _ => "prune",
        };
        let l = loc.key_from(first, &["syncPolicy", "automated"]);
        acc.finding(
            Finding::new(
                "argocd-auto-sync-partial",
                f,
                l,
                format!("Application `{name}` syncs automatically without {missing}"),
            )
            .value(loc.text(l))
            .param("app", name)
            .param("missing", missing)
            .phrase(name),
        );
    }
    if !sync_options.is_empty() {
        sync_options_finding(f, loc, first, "Application", name, &sync_options, acc);
    }
    acc.facts.argo_apps.push(app);
}

fn sync_options_finding(
    f: &str,
    loc: &Locator,
    first: usize,
    kind: &str,
    name: &str,
    options: &[String],
    acc: &mut Acc,
) {
    let start = loc.key_from(first, &["syncOptions"]);
    let listed = options
        .iter()
        .map(|o| format!("`{o}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut fd = Finding::new(
        "argocd-sync-options",
        f,
        start,
        format!("{kind} `{name}` syncs with {listed}"),
    )
    .param("app", name)
    .param("options", listed.as_str())
    .phrase(name);
    for o in options.iter().take(4) {
        fd = fd.value(quote(loc, start, o).1);
        if let Some((k, _)) = o.split_once('=') {
            fd = fd.phrase(k);
        }
    }
    acc.finding(fd);
}

/// Generator kinds, spelled as a person says them (`git directories`).
fn generators(list: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    for g in list.and_then(Value::as_array).into_iter().flatten() {
        let Some(m) = g.as_object() else { continue };
        for (k, body) in m {
            let name = match k.as_str() {
                "git" if body.get("directories").is_some() => "git directories".to_string(),
                "git" if body.get("files").is_some() => "git files".to_string(),
                "matrix" | "merge" => {
                    let inner = generators(body.get("generators"));
                    format!("{k} ({})", inner.join(" × "))
                }
                "pullRequest" => "pull request".to_string(),
                "scmProvider" => "SCM provider".to_string(),
                other => other.to_string(),
            };
            if k != "selector" {
                out.push(name);
            }
        }
    }
    out
}

pub(crate) fn application_set(
    file: &RepoFile,
    v: &Value,
    loc: &Locator,
    first: usize,
    name: &str,
    acc: &mut Acc,
) {
    let f = file.rel.as_str();
    let line = loc.key_from(first, &["kind"]);
    let gens = generators(get(v, &["spec", "generators"]));
    let template_name = text_at(v, &["spec", "template", "metadata", "name"]).unwrap_or_default();
    let preserve = truthy(get(
        v,
        &["spec", "syncPolicy", "preserveResourcesOnDeletion"],
    ));
    let g_line = loc.key_from(first, &["generators"]);
    let detail = ["path:", "url:", "cluster:", "selector:"]
        .iter()
        .find_map(|n| loc.find(g_line, n))
        .filter(|l| *l <= g_line + 12)
        .unwrap_or(g_line + 1);
    let listed = if gens.is_empty() {
        "no generators".to_string()
    } else {
        gens.join(", ")
    };
    let mut fd = Finding::new(
        "argocd-applicationset",
        f,
        detail,
        format!(
            "ApplicationSet `{name}` generates Applications from {} generator{}",
            listed,
            if gens.len() == 1 { "" } else { "s" }
        ),
    )
    .value(loc.text(detail))
    .param("appset", name)
    .param("generators", listed.as_str())
    .param("template_name", template_name.as_str())
    .param(
        "preserve",
        if preserve {
            "preserveResourcesOnDeletion: true"
        } else {
            "no preserveResourcesOnDeletion"
        },
    )
    .phrase(name);
    if !template_name.is_empty() {
        let l = loc.key_from(loc.key_from(first, &["template"]), &["name"]);
        fd = fd.value(loc.text(l));
    }
    for g in &gens {
        fd = fd.phrase(format!("{g} generator"));
    }
    acc.finding(fd);
    let options = strings(get(
        v,
        &["spec", "template", "spec", "syncPolicy", "syncOptions"],
    ));
    if !options.is_empty() {
        sync_options_finding(f, loc, first, "ApplicationSet", name, &options, acc);
    }
    acc.facts.app_sets.push(AppSet {
        name: name.into(),
        file: f.into(),
        line,
        generators: gens,
        templated: false,
    });
}

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
            let (line, quote) = key_quote(loc, first, WAVE);
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
        let (l, q) = key_quote(loc, first, HOOK);
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
            .values(policy.map(|_| key_quote(loc, first, HOOK_DELETE).1))
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
                key_quote(loc, first, "generateName")
            } else {
                key_quote(loc, first, HOOK_DELETE)
            };
            acc.finding(
                Finding::new(
                    "argocd-hook-lifecycle",
                    f,
                    gl,
                    format!("`{phase}` hook {kind} `{name}` {how}"),
                )
                .value(gq)
                .values(policy.map(|_| key_quote(loc, first, HOOK_DELETE).1))
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
    let (l, q) = key_quote(loc, first, HELM_HOOK);
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
        .values(weight.map(|_| key_quote(loc, first, "helm.sh/hook-weight").1))
        .values(policy.map(|_| key_quote(loc, first, "helm.sh/hook-delete-policy").1))
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

/// One canary step, as a person reads it: `setWeight 20`, `pause 1m`.
fn step(s: &Value) -> Option<String> {
    let (k, v) = s.as_object()?.iter().next()?;
    Some(match k.as_str() {
        "setWeight" => format!("{}%", scalar(v)?),
        "pause" => match text_at(v, &["duration"]) {
            Some(d) => format!("pause {d}"),
            None => "pause until promoted".into(),
        },
        "analysis" => {
            let t = get(v, &["templates"])
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(|t| text_at(t, &["templateName"]))
                .unwrap_or_default();
            format!("analysis {t}").trim_end().to_string()
        }
        other => other.to_string(),
    })
}

pub(crate) fn rollout(
    file: &RepoFile,
    v: &Value,
    loc: &Locator,
    first: usize,
    name: &str,
    acc: &mut Acc,
) {
    let f = file.rel.as_str();
    let line = loc.key_from(first, &["kind"]);
    let strategy = if let Some(bg) = get(v, &["spec", "strategy", "blueGreen"]) {
        let active = text_at(bg, &["activeService"]).unwrap_or_default();
        let preview = text_at(bg, &["previewService"]).unwrap_or_default();
        let auto = bg
            .get("autoPromotionEnabled")
            .map_or(true, |x| truthy(Some(x)));
        let promotion = match (auto, text_at(bg, &["autoPromotionSeconds"])) {
            (false, _) => "manual promotion".to_string(),
            (true, Some(s)) => format!("automatic promotion after {s} s"),
            (true, None) => "automatic promotion".to_string(),
        };
        let analysis = text_at(bg, &["prePromotionAnalysis", "templates"])
            .or_else(|| {
                get(bg, &["prePromotionAnalysis", "templates"])
                    .and_then(Value::as_array)
                    .and_then(|a| a.first())
                    .and_then(|t| text_at(t, &["templateName"]))
            })
            .map_or("no pre-promotion analysis".to_string(), |t| {
                format!("pre-promotion analysis `{t}`")
            });
        let l = loc.key_from(first, &["blueGreen", "activeService"]);
        let mut fd = Finding::new(
            "rollout-bluegreen",
            f,
            l,
            format!("Rollout `{name}` deploys blue-green: active Service `{active}`, preview Service `{preview}`, {promotion}"),
        )
        .value(loc.text(l))
        .value(quote(loc, l, "previewService").1);
        if let Some(al) = loc.find(first, "autoPromotionEnabled") {
            fd = fd.value(loc.text(al));
        }
        acc.finding(
            fd.param("rollout", name)
                .param("active", active.as_str())
                .param("preview", preview.as_str())
                .param("promotion", promotion.as_str())
                .param("analysis", analysis.as_str())
                .phrase(name)
                .phrase(&active)
                .phrase(&preview),
        );
        "blue-green"
    } else if let Some(c) = get(v, &["spec", "strategy", "canary"]) {
        let steps: Vec<String> = c
            .get("steps")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(step)
            .collect();
        let routing = c
            .get("trafficRouting")
            .and_then(Value::as_object)
            .and_then(|m| m.keys().next().cloned())
            .map_or(
                "no traffic router, so weights are approximated by pod counts".to_string(),
                |r| format!("traffic routed by {r}"),
            );
        let analysis = steps
            .iter()
            .find(|s| s.starts_with("analysis"))
            .cloned()
            .unwrap_or_else(|| "no analysis step".into());
        let l = loc.key_from(first, &["canary", "steps"]);
        let (wl, wq) = quote(loc, l, "setWeight");
        let mut fd = Finding::new(
            "rollout-canary",
            f,
            wl,
            format!(
                "Rollout `{name}` shifts traffic in {} canary steps: {}",
                steps.len(),
                steps.join(" → ")
            ),
        )
        .value(wq);
        if let Some(pl) = loc.find(l, "pause") {
            fd = fd.value(loc.text(pl));
        }
        acc.finding(
            fd.param("rollout", name)
                .param("steps", steps.join(" → "))
                .param("count", steps.len().to_string())
                .param("routing", routing.as_str())
                .param("analysis", analysis.as_str())
                .phrase(name),
        );
        "canary"
    } else {
        return;
    };
    acc.facts.rollouts.push(Rollout {
        name: name.into(),
        file: f.into(),
        line,
        strategy,
    });
}
