//! The Repo Map: one row per layer of the stack.
//!
//! In: the merged facts. Out: [`Layer`] rows (Layer | Artifacts Found | Key
//! Paths) in the example transcript's order — a row per Terraform root
//! (bootstrap and the root that calls modules are separate), Kubernetes,
//! Helm, ArgoCD, CI/CD, Docker, DNS / CDN, Kustomize, observability,
//! scripts, docs and Python — with only the rows the repository has.

use super::facts::Facts;
use super::post::display;
use super::secrets::Redactor;
use super::summary::{aggregate, bounded, few_paths, MAX_CELL};
use super::{layers_k8s, layers_tf};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Layer {
    pub layer: String,
    pub artifacts: String,
    pub key_paths: Vec<String>,
}

impl Layer {
    pub(crate) fn redact(&mut self, r: &Redactor) {
        self.artifacts = r.clean(&self.artifacts);
        for p in &mut self.key_paths {
            *p = r.clean(p);
        }
    }
}

/// A row: repeated parts counted, the cell cut to a readable line, key
/// paths (most representative first) cut to a few and a count.
pub(crate) fn row(layer: &str, parts: Vec<String>, paths: Vec<String>) -> Option<Layer> {
    let parts = aggregate(parts.into_iter().filter(|p| !p.is_empty()));
    if parts.is_empty() {
        return None;
    }
    let mut seen = std::collections::HashSet::new();
    let key_paths: Vec<String> = paths
        .into_iter()
        .filter(|p| seen.insert(p.clone()))
        .collect();
    Some(Layer {
        layer: layer.into(),
        artifacts: bounded(&parts, MAX_CELL),
        key_paths: few_paths(key_paths),
    })
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub(crate) fn dir_of(file: &str) -> &str {
    file.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `a/b/c.yaml` → `a/`; files at the root stay as they are.
fn top(file: &str) -> String {
    match file.split_once('/') {
        Some((d, _)) => format!("{d}/"),
        None => file.to_string(),
    }
}

pub(crate) fn build(f: &Facts) -> Vec<Layer> {
    let mut rows: Vec<Option<Layer>> = layers_tf::terraform(f).into_iter().map(Some).collect();
    rows.push(layers_k8s::kubernetes(f));
    rows.push(layers_k8s::helm(f));
    rows.push(layers_k8s::argocd(f));
    rows.push(cicd(f));
    rows.push(docker(f));
    rows.push(dns_cdn(f));
    rows.push(row(
        "Kustomize",
        vec![if f.kustomizations.is_empty() {
            String::new()
        } else {
            plural(f.kustomizations.len(), "kustomization", "kustomizations")
                + &format!(
                    " ({} overlays)",
                    f.kustomizations
                        .iter()
                        .filter(|k| k.contains("overlays/"))
                        .count()
                )
        }],
        f.kustomizations
            .iter()
            .map(|k| format!("{}/", dir_of(k)))
            .take(4)
            .collect(),
    ));
    rows.push(observability(f));
    let scripts: Vec<String> = f
        .scripts
        .iter()
        .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
        .collect();
    rows.push(row(
        "Scripts",
        vec![scripts.join(", ")],
        f.scripts.iter().map(|s| top(s)).collect(),
    ));
    rows.push(docs(f));
    if !f.python.is_empty() {
        let mut mods: Vec<String> = f
            .signals("python-import")
            .map(|s| s.detail.clone())
            .filter(|m| {
                matches!(
                    m.as_str(),
                    "boto3"
                        | "requests"
                        | "subprocess"
                        | "flask"
                        | "fastapi"
                        | "kubernetes"
                        | "argparse"
                        | "click"
                )
            })
            .collect();
        mods.sort();
        mods.dedup();
        let detail = if mods.is_empty() {
            String::new()
        } else {
            format!(" ({})", mods.join(", "))
        };
        rows.push(row(
            "Python",
            vec![plural(f.python.len(), "Python file", "Python files") + &detail],
            f.python
                .iter()
                .map(|p| format!("{}/", dir_of(p)))
                .take(3)
                .collect(),
        ));
    }
    rows.into_iter().flatten().collect()
}

fn cicd(f: &Facts) -> Option<Layer> {
    let mut parts = Vec::new();
    let gha: Vec<_> = f
        .pipelines
        .iter()
        .filter(|p| p.tool == "GitHub Actions")
        .collect();
    for p in f.pipelines.iter().filter(|p| p.tool != "GitHub Actions") {
        let name = if p.tool == "Jenkins" {
            "Jenkinsfile"
        } else {
            p.tool
        };
        parts.push(format!(
            "{name} ({}: {})",
            plural(p.stages.len(), "stage", "stages"),
            p.stages.join(", ").to_lowercase()
        ));
    }
    if !gha.is_empty() {
        let reusable = gha.iter().filter(|p| p.reusable).count();
        let extra = if reusable > 0 {
            format!(", {reusable} reusable")
        } else {
            String::new()
        };
        parts.push(format!(
            "GitHub Actions ({}{extra})",
            plural(gha.len(), "workflow", "workflows")
        ));
    }
    row(
        "CI/CD",
        parts,
        f.pipelines.iter().map(|p| p.file.clone()).collect(),
    )
}

fn docker(f: &Facts) -> Option<Layer> {
    let mut parts = Vec::new();
    for d in &f.dockerfiles {
        let component = dir_of(&d.file)
            .rsplit('/')
            .next()
            .filter(|c| !c.is_empty())
            .unwrap_or("app");
        let base = d
            .final_base
            .rsplit('/')
            .next()
            .unwrap_or(&d.final_base)
            .split(':')
            .next()
            .unwrap_or("")
            .to_string();
        parts.push(if d.stages > 1 {
            format!("Multi-stage {component}")
        } else {
            base
        });
    }
    for c in &f.compose {
        for (_, image) in &c.services {
            let Some(img) = image else { continue };
            let short = img
                .rsplit('/')
                .next()
                .unwrap_or(img)
                .split(':')
                .next()
                .unwrap_or("");
            let name = display(short);
            if !parts
                .iter()
                .any(|p| p.eq_ignore_ascii_case(&name) || p.eq_ignore_ascii_case(short))
                && !img.contains("${")
            {
                parts.push(name);
            }
        }
    }
    if !f.compose.is_empty() {
        parts.push(plural(f.compose.len(), "compose file", "compose files"));
    }
    let mut paths: Vec<String> = f.dockerfiles.iter().map(|d| d.file.clone()).collect();
    paths.extend(
        f.compose
            .iter()
            .min_by_key(|c| (c.file.len(), c.file.clone()))
            .map(|c| c.file.clone()),
    );
    row("Docker", parts, paths)
}

fn dns_cdn(f: &Facts) -> Option<Layer> {
    let mut parts = Vec::new();
    let mut paths = Vec::new();
    if let Some(z) = f.signals("route53-zone").next() {
        parts.push("Route 53 zone".to_string());
        paths.push(z.file.clone());
    }
    for c in f.signals("cloudfront") {
        parts.push(if c.detail.is_empty() {
            "CloudFront".into()
        } else {
            format!("CloudFront ({})", c.detail)
        });
        paths.insert(0, c.file.clone());
    }
    if f.has("acm") {
        parts.push("ACM certificate".into());
    }
    let mentions = |needle: &str| {
        f.signals("component").any(|s| s.detail.contains(needle))
            || f.signals("irsa-role").any(|s| s.detail.contains(needle))
            || f.argo_apps.iter().any(|a| a.name.contains(needle))
    };
    if !parts.is_empty() || f.argo_apps.iter().any(|a| a.name.contains("dns")) {
        if mentions("external-dns") {
            parts.push("ExternalDNS".into());
        }
        if mentions("cert-manager") {
            parts.push("cert-manager".into());
        }
    }
    row("DNS / CDN", parts, paths)
}

fn observability(f: &Facts) -> Option<Layer> {
    let mut parts = Vec::new();
    let prom = f.signals("prometheus").count();
    if prom > 0 {
        parts.push(plural(prom, "Prometheus config", "Prometheus configs"));
    }
    let alarms = f.signals("alarm").count();
    if alarms > 0 {
        parts.push(plural(alarms, "CloudWatch alarm", "CloudWatch alarms"));
    }
    let paths = f
        .signals("prometheus")
        .chain(f.signals("alarm"))
        .map(|s| s.file.clone())
        .take(3)
        .collect();
    row("Observability", parts, paths)
}

fn docs(f: &Facts) -> Option<Layer> {
    let mut cats: Vec<String> = Vec::new();
    for s in f.signals("doc") {
        if s.detail != "Other docs" && !cats.contains(&s.detail) {
            cats.push(s.detail.clone());
        }
    }
    cats.sort_by_key(|c| {
        [
            "Planning docs",
            "Validation docs",
            "Architecture docs",
            "Runbooks",
            "Architecture decision records",
            "README",
        ]
        .iter()
        .position(|x| x == c)
    });
    if f.has("diagram") {
        cats.retain(|c| c != "Architecture docs");
        cats.push("architecture diagram".into());
    }
    let readme_only = cats.iter().all(|c| c == "README");
    if !readme_only {
        cats.retain(|c| c != "README");
    }
    if cats.is_empty() && !f.docs.is_empty() {
        cats.push(plural(f.docs.len(), "doc", "docs"));
    }
    let mut paths: Vec<String> = f
        .docs
        .iter()
        .filter(|d| readme_only || d.contains('/'))
        .map(|d| top(d))
        .collect();
    paths.sort_by_key(|p| !p.ends_with('/'));
    paths.dedup();
    row("Docs", cats, paths.into_iter().take(3).collect())
}
