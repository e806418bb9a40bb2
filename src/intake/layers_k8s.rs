//! Repo Map rows for Kubernetes, Helm and ArgoCD.
//!
//! In: EKS signals, Kubernetes objects, charts, Helm releases and ArgoCD
//! Applications from the facts. Out: the Kubernetes row ("EKS 1.31, 3x
//! t3a.medium, 4 addons, 4 IRSA roles" and manifest counts), the Helm row
//! (third-party chart releases, local and app-of-apps charts) and the ArgoCD
//! row (app-of-apps, sync policy, sync waves).

use super::facts::Facts;
use super::layers::{dir_of, plural, row, Layer};
use super::summary::{bounded, counted};
use std::collections::BTreeMap;

pub(crate) fn kubernetes(f: &Facts) -> Option<Layer> {
    let mut parts = Vec::new();
    let mut paths = Vec::new();
    let clusters: Vec<_> = f.signals("eks-cluster").collect();
    if let [one] = clusters.as_slice() {
        parts.push(format!("EKS {}", one.detail));
        paths.push(one.file.clone());
    } else if !clusters.is_empty() {
        // One path per version first: the most representative few.
        let versions = counted(clusters.iter().map(|s| s.detail.clone()));
        for (v, _) in &versions {
            if let Some(s) = clusters.iter().find(|s| &s.detail == v) {
                paths.push(s.file.clone());
            }
        }
        paths.extend(clusters.iter().map(|s| s.file.clone()));
        let listed: Vec<String> = versions
            .iter()
            .map(|(v, n)| {
                if *n > 1 && versions.len() > 1 {
                    format!("{v} ×{n}")
                } else {
                    v.clone()
                }
            })
            .collect();
        parts.push(format!(
            "EKS cluster ×{} ({})",
            clusters.len(),
            bounded(&listed, 40)
        ));
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
        let mut kinds: Vec<(&str, usize)> = kinds.into_iter().collect();
        kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
        let templated = manifests.iter().filter(|o| o.templated).count();
        let from = if templated > 0 {
            format!(", {templated} from Helm templates")
        } else {
            String::new()
        };
        parts.push(format!(
            "{} ({}{from})",
            plural(manifests.len(), "manifest", "manifests"),
            bounded(&list, 110)
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
    let releases: Vec<_> = f.helm_releases.iter().filter(|r| !r.local).collect();
    for (chart, n) in counted(releases.iter().map(|r| r.chart.clone())) {
        let of: Vec<_> = releases.iter().filter(|r| r.chart == chart).collect();
        let name = if chart == "argo-cd" {
            "ArgoCD".to_string()
        } else {
            chart.clone()
        };
        let versions = counted(of.iter().filter_map(|r| r.version.clone()));
        let (version, versions) = match versions.as_slice() {
            [(v, _)] => (format!(" v{v}"), String::new()),
            [] => (String::new(), String::new()),
            many => (String::new(), format!(" ({} versions)", many.len())),
        };
        if n == 1 {
            parts.push(format!("{name} chart{version}"));
        } else {
            let roots = counted(of.iter().map(|r| dir_of(&r.file).to_string())).len();
            parts.push(format!(
                "{name} chart{version} ×{n} across {}{versions}",
                plural(roots, "root", "roots")
            ));
        }
        paths.push(of[0].file.clone());
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
    let hooks = f.hooks.iter().filter(|h| h.engine == "Helm").count();
    if hooks > 0 {
        parts.push(plural(hooks, "Helm hook", "Helm hooks"));
    }
    paths.extend(releases.iter().map(|r| r.file.clone()));
    row("Helm", parts, paths)
}

pub(crate) fn argocd(f: &Facts) -> Option<Layer> {
    let apps = &f.argo_apps;
    let argo_hooks: Vec<_> = f.hooks.iter().filter(|h| h.engine == "Argo CD").collect();
    if apps.is_empty() && f.app_sets.is_empty() && argo_hooks.is_empty() && f.rollouts.is_empty() {
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
    if !apps.is_empty() {
        let templated = apps.iter().filter(|a| a.templated).count();
        let from = match templated {
            0 => String::new(),
            n if n == apps.len() => " (in Helm templates)".into(),
            n => format!(" ({n} in Helm templates)"),
        };
        parts.push(plural(apps.len(), "Application", "Applications") + &from);
        let (heal, prune) = (
            apps.iter().any(|a| a.self_heal),
            apps.iter().any(|a| a.prune),
        );
        match (apps.iter().any(|a| a.automated), prune, heal) {
            (true, true, true) => parts.push("auto-sync + prune + self-heal".into()),
            (true, _, _) => parts.push("auto-sync".into()),
            _ => parts.push("manual sync".into()),
        }
    }
    if !f.app_sets.is_empty() {
        let gens: Vec<String> = counted(f.app_sets.iter().flat_map(|a| a.generators.clone()))
            .into_iter()
            .map(|(g, _)| g)
            .collect();
        let gens = if gens.is_empty() {
            String::new()
        } else {
            format!(" ({})", bounded(&gens, 50))
        };
        parts.push(plural(f.app_sets.len(), "ApplicationSet", "ApplicationSets") + &gens);
    }
    let mut waves: Vec<i64> = apps.iter().filter_map(|a| a.wave).collect();
    waves.sort();
    waves.dedup();
    if !waves.is_empty() {
        parts.push(plural(waves.len(), "sync wave", "sync waves"));
    }
    let mut rwaves: Vec<i64> = f.waves.iter().map(|w| w.wave).collect();
    rwaves.sort();
    rwaves.dedup();
    if !rwaves.is_empty() {
        parts.push(plural(
            rwaves.len(),
            "resource sync wave",
            "resource sync waves",
        ));
    }
    if !argo_hooks.is_empty() {
        let phases = counted(argo_hooks.iter().map(|h| h.phase.clone()));
        let names: Vec<String> = phases.into_iter().map(|(p, _)| p).collect();
        parts.push(format!(
            "{} ({})",
            plural(argo_hooks.len(), "resource hook", "resource hooks"),
            names.join(", ")
        ));
    }
    if !f.rollouts.is_empty() {
        let kinds: Vec<String> = counted(f.rollouts.iter().map(|r| r.strategy.to_string()))
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        parts.push(format!(
            "{} ({})",
            plural(f.rollouts.len(), "Rollout", "Rollouts"),
            kinds.join(", ")
        ));
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
    paths.extend(f.app_sets.iter().map(|a| a.file.clone()));
    paths.extend(argo_hooks.iter().map(|h| format!("{}/", dir_of(&h.file))));
    paths.extend(f.rollouts.iter().map(|r| r.file.clone()));
    row("ArgoCD", parts, paths)
}
