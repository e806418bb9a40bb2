//! Repo Map rows for Kubernetes, Helm and ArgoCD.
//!
//! In: EKS signals, Kubernetes objects, charts, Helm releases and ArgoCD
//! Applications from the facts. Out: the Kubernetes row ("EKS 1.31, 3x
//! t3a.medium, 4 addons, 4 IRSA roles" and manifest counts), the Helm row
//! (third-party chart releases, local and app-of-apps charts) and the ArgoCD
//! row (app-of-apps, sync policy, sync waves).

use super::facts::Facts;
use super::layers::{dir_of, plural, row, Layer};
use std::collections::BTreeMap;

pub(crate) fn kubernetes(f: &Facts) -> Option<Layer> {
    let mut parts = Vec::new();
    let mut paths = Vec::new();
    for s in f.signals("eks-cluster") {
        parts.push(format!("EKS {}", s.detail));
        paths.push(s.file.clone());
    }
    parts.extend(f.signals("eks-node-group").map(|s| s.detail.clone()));
    let addons = f.signals("eks-addon").count();
    if addons > 0 {
        parts.push(plural(addons, "addon", "addons"));
    }
    let irsa = f.signals("irsa-role").count();
    if irsa > 0 {
        parts.push(plural(irsa, "IRSA role", "IRSA roles"));
    }
    let manifests: Vec<_> = f
        .k8s
        .iter()
        .filter(|o| o.file.ends_with(".yaml") || o.file.ends_with(".yml"))
        .filter(|o| o.kind != "Application")
        .collect();
    if !manifests.is_empty() {
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for o in &manifests {
            *kinds.entry(o.kind.as_str()).or_default() += 1;
        }
        let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
        parts.push(format!(
            "{} ({})",
            plural(manifests.len(), "manifest", "manifests"),
            list.join(", ")
        ));
        for o in manifests {
            let d = format!("{}/", dir_of(&o.file));
            if paths.len() < 5 && !paths.contains(&d) {
                paths.push(d);
            }
        }
    }
    row("Kubernetes", parts, paths)
}

pub(crate) fn helm(f: &Facts) -> Option<Layer> {
    let mut parts = Vec::new();
    let mut paths = Vec::new();
    for r in f.helm_releases.iter().filter(|r| !r.local) {
        let name = if r.chart == "argo-cd" {
            "ArgoCD".to_string()
        } else {
            r.chart.clone()
        };
        parts.push(format!(
            "{name} chart{}",
            r.version
                .as_ref()
                .map(|v| format!(" v{v}"))
                .unwrap_or_default()
        ));
        paths.push(r.file.clone());
    }
    let app_charts: Vec<String> = f
        .signals("app-of-apps-chart")
        .map(|s| s.detail.clone())
        .collect();
    for c in &f.charts {
        if app_charts.contains(&c.name) {
            parts.push("local app-of-apps chart".into());
        } else {
            let deps = if c.deps.is_empty() {
                String::new()
            } else {
                format!(" (depends on {})", c.deps.join(", "))
            };
            parts.push(format!("chart {} v{}{deps}", c.name, c.version));
        }
        paths.push(format!("{}/", c.dir));
    }
    row("Helm", parts, paths)
}

pub(crate) fn argocd(f: &Facts) -> Option<Layer> {
    let apps = &f.argo_apps;
    if apps.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    if f.signals("app-of-apps-chart").next().is_some()
        || apps
            .iter()
            .any(|a| a.source_path.as_deref().is_some_and(|p| p.contains("app")))
            && apps.len() > 1
    {
        parts.push("App-of-apps pattern".to_string());
    }
    parts.push(plural(apps.len(), "Application", "Applications"));
    let (heal, prune) = (
        apps.iter().any(|a| a.self_heal),
        apps.iter().any(|a| a.prune),
    );
    match (apps.iter().any(|a| a.automated), prune, heal) {
        (true, true, true) => parts.push("auto-sync + prune + self-heal".into()),
        (true, _, _) => parts.push("auto-sync".into()),
        _ => parts.push("manual sync".into()),
    }
    let mut waves: Vec<i64> = apps.iter().filter_map(|a| a.wave).collect();
    waves.sort();
    waves.dedup();
    if !waves.is_empty() {
        parts.push(plural(waves.len(), "sync wave", "sync waves"));
    }
    let mut paths: Vec<String> = apps
        .iter()
        .filter(|a| a.file.ends_with(".tf"))
        .map(|a| a.file.clone())
        .collect();
    paths.extend(
        apps.iter()
            .filter(|a| !a.file.ends_with(".tf"))
            .map(|a| format!("{}/", dir_of(&a.file))),
    );
    row("ArgoCD", parts, paths)
}
