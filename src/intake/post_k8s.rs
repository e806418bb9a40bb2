//! Whole-repository findings about Kubernetes objects and ArgoCD.
//!
//! In: every Kubernetes object and ArgoCD Application in the facts. Out:
//! the sync-wave order across Applications, the app-of-apps root (and a
//! local Helm chart that holds its children), and workloads no
//! PodDisruptionBudget selects.

use super::facts::{ArgoApp, Facts, Wave};
use super::findings::Finding;
use std::collections::BTreeMap;

/// Sync waves on resources (not Applications), per application directory:
/// the order they impose, and the hooks that run around them.
pub(crate) fn resource_waves(facts: &Facts, out: &mut Vec<Finding>) {
    let mut by_dir: BTreeMap<&str, Vec<&Wave>> = BTreeMap::new();
    for w in &facts.waves {
        let dir = w.file.rsplit_once('/').map_or("", |(d, _)| d);
        by_dir
            .entry(dir.trim_end_matches("/templates"))
            .or_default()
            .push(w);
    }
    for (dir, mut ws) in by_dir {
        ws.sort_by_key(|w| w.wave);
        let mut distinct: Vec<i64> = ws.iter().map(|w| w.wave).collect();
        distinct.dedup();
        if distinct.len() < 2 {
            continue;
        }
        let first = ws[0];
        let order: Vec<String> = ws
            .iter()
            .take(6)
            .map(|w| format!("{} `{}` ({})", w.kind, w.name, w.wave))
            .collect();
        let more = ws.len().saturating_sub(6);
        let order = if more > 0 {
            format!("{} and {more} more", order.join(", "))
        } else {
            order.join(", ")
        };
        let hooks: Vec<String> = facts
            .hooks
            .iter()
            .filter(|h| h.engine == "Argo CD" && h.file.starts_with(dir))
            .map(|h| format!("{} {} `{}`", h.phase, h.kind, h.name))
            .collect();
        let mut f = Finding::new(
            "argocd-resource-waves",
            &first.file,
            first.line,
            format!(
                "{} sync waves order {} resources: {order}",
                distinct.len(),
                ws.len()
            ),
        )
        .param("count", distinct.len().to_string())
        .param("order", order.as_str())
        .param(
            "hooks",
            if hooks.is_empty() {
                "no hooks".to_string()
            } else {
                hooks.join(", ")
            },
        );
        let mut quoted = Vec::new();
        for w in &ws {
            if !quoted.contains(&w.wave) && quoted.len() < 3 {
                quoted.push(w.wave);
                f = f.value(w.quote.clone());
            }
        }
        for w in &ws {
            f = f.phrase(&w.name);
        }
        out.push(f);
    }
}

/// Sync waves and app-of-apps; returns the root Application (file, name).
pub(crate) fn argo(facts: &mut Facts, out: &mut Vec<Finding>) -> Option<(String, String)> {
    let apps = facts.argo_apps.clone();
    let mut waves: Vec<i64> = apps.iter().filter_map(|a| a.wave).collect();
    waves.sort();
    waves.dedup();
    if waves.len() >= 2 {
        let first = apps
            .iter()
            .filter(|a| a.wave.is_some())
            .min_by_key(|a| a.wave)
            .expect("a wave");
        let order: Vec<String> = {
            let mut w: Vec<_> = apps.iter().filter(|a| a.wave.is_some()).collect();
            w.sort_by_key(|a| a.wave);
            w.iter()
                .map(|a| format!("{} ({})", a.name, a.wave.unwrap_or(0)))
                .collect()
        };
        let mut f = Finding::new(
            "argocd-sync-waves",
            &first.file,
            first.line,
            format!(
                "{} sync waves order {} Applications",
                waves.len(),
                order.len()
            ),
        )
        .param("count", waves.len().to_string())
        .param("order", order.join(", "));
        for w in waves.iter().take(3) {
            if let Some(a) = apps.iter().find(|a| a.wave == Some(*w)) {
                f = f.value(a.wave_quote.clone());
            }
        }
        for a in apps.iter().filter(|a| a.wave.is_some()) {
            f = f.phrase(&a.name);
        }
        out.push(f);
    }
    let dirs: Vec<String> = apps
        .iter()
        .map(|a| a.file.rsplit_once('/').map_or("", |(d, _)| d).to_string())
        .collect();
    // The root is the Application whose source path holds the most others.
    let children_of = |root: &ArgoApp| -> usize {
        let Some(path) = root.source_path.as_deref().map(|p| p.trim_end_matches('/')) else {
            return 0;
        };
        let inside = |d: &str| {
            let d = d.trim_end_matches("/templates");
            !path.is_empty() && (d == path || d.ends_with(&format!("/{path}")))
        };
        apps.iter()
            .zip(&dirs)
            .filter(|(a, d)| a.name != root.name && inside(d))
            .count()
    };
    let best = apps
        .iter()
        .map(|a| (children_of(a), a))
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, _)| *n);
    if let Some((children, root)) = best {
        let path = root
            .source_path
            .as_deref()
            .unwrap_or("")
            .trim_end_matches('/');
        out.push(
            Finding::new(
                "argocd-app-of-apps",
                &root.file,
                root.line,
                format!(
                    "root Application `{}` deploys {children} child Applications from `{path}`",
                    root.name
                ),
            )
            .value(root.path_quote.clone())
            .param("root", root.name.as_str())
            .param("children", children.to_string())
            .param("path", path)
            .phrase(&root.name),
        );
        for chart in facts.charts.clone() {
            let tpl = format!("{}/templates/", chart.dir);
            let kinds: Vec<String> = facts
                .k8s
                .iter()
                .filter(|o| o.file.starts_with(&tpl))
                .map(|o| o.kind.clone())
                .collect();
            if !kinds.is_empty()
                && kinds
                    .iter()
                    .all(|k| k == "Application" || k == "ApplicationSet")
                && (path.ends_with(&chart.dir) || chart.dir.ends_with(path))
            {
                facts.signal("app-of-apps-chart", &chart.file, chart.line, &chart.name);
                out.push(
                    Finding::new(
                        "helm-app-of-apps-chart",
                        &chart.file,
                        chart.line,
                        format!("the app-of-apps is a local Helm chart `{}`", chart.name),
                    )
                    .value(format!("name: {}", chart.name))
                    .value(root.path_quote.clone())
                    .param("chart", chart.name.as_str())
                    .param("count", kinds.len().to_string())
                    .phrase(&chart.name),
                );
            }
        }
        return Some((root.file.clone(), root.name.clone()));
    }
    None
}

pub(crate) fn pdb(facts: &Facts, out: &mut Vec<Finding>) {
    let pdbs: Vec<_> = facts.k8s_kind("PodDisruptionBudget").collect();
    for w in facts
        .k8s
        .iter()
        .filter(|o| matches!(o.kind.as_str(), "Deployment" | "StatefulSet"))
    {
        let covered = pdbs.iter().any(|p| {
            !p.selector.is_empty() && p.selector.iter().all(|(k, v)| w.selector.get(k) == Some(v))
        });
        if covered {
            continue;
        }
        let replicas = w.replicas.unwrap_or(1);
        out.push(
            Finding::new(
                "no-pdb",
                &w.file,
                w.line,
                format!(
                    "{} `{}` ({replicas} replicas) has no PodDisruptionBudget",
                    w.kind, w.name
                ),
            )
            .value(format!("kind: {}", w.kind))
            .value(format!("replicas: {replicas}"))
            .param("workload", w.name.as_str())
            .param("replicas", replicas.to_string())
            .phrase(&w.name),
        );
    }
}

/// One finding per chart whose templates take a value from `values.yaml`.
pub(crate) fn helm_template_values(facts: &Facts, out: &mut Vec<Finding>) {
    let mut seen = Vec::new();
    for s in facts.signals("helm-template-ref") {
        let mut parts = s.detail.split('\u{1f}');
        let (Some(chart), Some(quote), Some(rendered)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if seen.contains(&chart) {
            continue;
        }
        seen.push(chart);
        let mut f = Finding::new(
            "helm-template-values",
            &s.file,
            s.line,
            format!(
                "template `{}` renders `{rendered}` from the chart's values",
                s.file
            ),
        )
        .value(quote)
        .param("chart", chart)
        .param("rendered", rendered)
        .phrase(chart)
        .phrase(rendered);
        f.template = Some("Helm template");
        out.push(f);
    }
}
