//! Argo CD Applications and ApplicationSets.
//!
//! In: one `Application` or `ApplicationSet` as JSON (from plain YAML, a
//! Helm template or a Terraform `kubernetes_manifest`) with a locator for
//! its lines. Out: the Application's sync policy (automated, selfHeal,
//! prune, syncOptions, its wave and source path) and the ApplicationSet's
//! generators in the facts, with findings that quote them.

use super::facts::{Acc, AppSet, ArgoApp};
use super::findings::Finding;
use super::walk::RepoFile;
use super::yaml::{get, scalar, text_at, truthy, Locator};
use serde_json::Value;

pub(crate) const WAVE: &str = "argocd.argoproj.io/sync-wave";

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(scalar)
        .collect()
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
        wave_quote: loc.key_quote(first, WAVE).1,
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
        fd = fd.value(loc.quote(start, o).1);
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
