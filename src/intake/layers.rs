//! The Repo Map: one row per layer of the stack.
//!
//! In: the merged facts. Out: [`Layer`] rows (Layer | Artifacts Found | Key
//! Paths) in the example transcript's order — a row per Terraform root
//! (bootstrap and the root that calls modules are separate), Kubernetes,
//! Helm, ArgoCD, CI/CD, Docker, DNS / CDN, Kustomize, observability,
//! scripts, docs and Python — with only the rows the repository has.

use super::facts::{Facts, TfResource};
use super::post::display;
use super::secrets::Redactor;
use serde::Serialize;
use std::collections::BTreeMap;

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

fn row(layer: &str, parts: Vec<String>, paths: Vec<String>) -> Option<Layer> {
    let parts: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return None;
    }
    let mut key_paths = Vec::new();
    for p in paths {
        if !key_paths.contains(&p) {
            key_paths.push(p);
        }
    }
    Some(Layer { layer: layer.into(), artifacts: parts.join(", "), key_paths })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn dir_of(file: &str) -> &str {
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
    let mut rows: Vec<Option<Layer>> = terraform(f).into_iter().map(Some).collect();
    rows.push(kubernetes(f));
    rows.push(helm(f));
    rows.push(argocd(f));
    rows.push(cicd(f));
    rows.push(docker(f));
    rows.push(dns_cdn(f));
    rows.push(row("Kustomize", vec![if f.kustomizations.is_empty() { String::new() } else { plural(f.kustomizations.len(), "kustomization", "kustomizations") + &format!(" ({} overlays)", f.kustomizations.iter().filter(|k| k.contains("overlays/")).count()) }], f.kustomizations.iter().map(|k| format!("{}/", dir_of(k))).take(4).collect()));
    rows.push(observability(f));
    let scripts: Vec<String> = f.scripts.iter().map(|s| s.rsplit('/').next().unwrap_or(s).to_string()).collect();
    rows.push(row("Scripts", vec![scripts.join(", ")], f.scripts.iter().map(|s| top(s)).collect()));
    rows.push(docs(f));
    if !f.python.is_empty() {
        let mut mods: Vec<String> = f.signals("python-import").map(|s| s.detail.clone()).filter(|m| matches!(m.as_str(), "boto3" | "requests" | "subprocess" | "flask" | "fastapi" | "kubernetes" | "argparse" | "click")).collect();
        mods.sort();
        mods.dedup();
        let detail = if mods.is_empty() { String::new() } else { format!(" ({})", mods.join(", ")) };
        rows.push(row("Python", vec![plural(f.python.len(), "Python file", "Python files") + &detail], f.python.iter().map(|p| format!("{}/", dir_of(p))).take(3).collect()));
    }
    rows.into_iter().flatten().collect()
}

/// One row per Terraform root: a directory of `.tf` files that no module
/// call points at.
fn terraform(f: &Facts) -> Vec<Layer> {
    let module_dirs: Vec<String> = f
        .tf_modules
        .iter()
        .filter(|m| m.source.starts_with('.'))
        .map(|m| normalize(&m.dir, &m.source))
        .collect();
    let mut roots: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for file in &f.tf_files {
        let d = dir_of(file).to_string();
        let is_module = module_dirs.contains(&d) || d.starts_with("modules/") || d.contains("/modules/");
        if !is_module {
            roots.entry(d).or_default().push(file);
        }
    }
    let mut out = Vec::new();
    let mut roots: Vec<_> = roots.into_iter().collect();
    roots.sort_by_key(|(d, _)| (!d.contains("bootstrap"), d.clone()));
    for (dir, files) in roots {
        let mods: Vec<_> = f.tf_modules.iter().filter(|m| m.dir == dir).collect();
        let res: Vec<_> = f.tf_resources.iter().filter(|r| r.dir == dir && !r.data).collect();
        if mods.is_empty() && res.is_empty() {
            continue;
        }
        let label = match (dir.as_str(), mods.is_empty()) {
            ("", false) => "Terraform (root modules)".to_string(),
            ("", true) => "Terraform (root)".to_string(),
            (d, _) => format!("Terraform ({d})"),
        };
        let mut parts = Vec::new();
        let mut paths = Vec::new();
        if !mods.is_empty() {
            let names: Vec<String> = mods.iter().map(|m| display(&m.name)).collect();
            parts.push(format!("{} ({})", names.join(", "), plural(mods.len(), "module", "modules")));
            paths.push(files.iter().find(|p| p.ends_with("main.tf")).map_or_else(|| files[0].to_string(), |p| p.to_string()));
            paths.extend(mods.iter().filter(|m| m.source.starts_with('.')).map(|m| format!("{}/", normalize(&m.dir, &m.source))));
        }
        parts.extend(resource_summary(&res, f, &dir));
        if let Some(b) = f.tf_backends.iter().find(|b| b.dir == dir) {
            parts.push(format!("{} backend", b.ty.to_uppercase()));
            paths.push(b.file.clone());
        }
        if mods.is_empty() {
            let mut by_count: Vec<(&String, usize)> = files.iter().map(|p| (*p, res.iter().filter(|r| &r.file == *p).count())).collect();
            by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            paths.extend(by_count.iter().filter(|c| c.1 > 0).take(2).map(|c| c.0.clone()));
            paths.extend(files.iter().filter(|p| p.ends_with("variables.tf")).map(|p| p.to_string()));
        }
        out.extend(row(&label, parts, paths));
    }
    out
}

use super::terraform::module_dir as normalize;

/// "S3 backend, ECR, Route 53, 6 Secrets Manager secrets" for a root's own
/// resources, in a fixed order.
fn resource_summary(res: &[&TfResource], f: &Facts, dir: &str) -> Vec<String> {
    let count = |ty: &str| res.iter().filter(|r| r.ty == ty).map(|r| f.instances(r)).sum::<usize>();
    let state = f.signals("state-bucket").any(|s| dir_of(&s.file) == dir);
    let mut out = Vec::new();
    if state {
        out.push("S3 state bucket".to_string());
    }
    for (ty, label) in [
        ("aws_vpc", "VPC"),
        ("aws_eks_cluster", "EKS"),
        ("aws_ecr_repository", "ECR"),
        ("aws_route53_zone", "Route 53"),
        ("aws_cloudfront_distribution", "CloudFront"),
        ("aws_db_instance", "RDS"),
        ("aws_lambda_function", "Lambda"),
        ("aws_instance", "EC2"),
        ("aws_lb", "load balancer"),
        ("aws_kms_key", "KMS"),
        ("aws_dynamodb_table", "DynamoDB"),
    ] {
        if count(ty) > 0 {
            out.push(label.to_string());
        }
    }
    let secrets = count("aws_secretsmanager_secret");
    if secrets > 0 {
        out.push(plural(secrets, "Secrets Manager secret", "Secrets Manager secrets"));
    }
    if count("helm_release") > 0 {
        out.push(plural(count("helm_release"), "Helm release", "Helm releases"));
    }
    if out.is_empty() && !res.is_empty() {
        out.push(plural(res.len(), "resource", "resources"));
    }
    out
}

fn kubernetes(f: &Facts) -> Option<Layer> {
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
    let manifests: Vec<_> = f.k8s.iter().filter(|o| o.file.ends_with(".yaml") || o.file.ends_with(".yml")).filter(|o| o.kind != "Application").collect();
    if !manifests.is_empty() {
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for o in &manifests {
            *kinds.entry(o.kind.as_str()).or_default() += 1;
        }
        let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
        parts.push(format!("{} ({})", plural(manifests.len(), "manifest", "manifests"), list.join(", ")));
        for o in manifests {
            let d = format!("{}/", dir_of(&o.file));
            if paths.len() < 5 && !paths.contains(&d) {
                paths.push(d);
            }
        }
    }
    row("Kubernetes", parts, paths)
}

fn helm(f: &Facts) -> Option<Layer> {
    let mut parts = Vec::new();
    let mut paths = Vec::new();
    for r in f.helm_releases.iter().filter(|r| !r.local) {
        let name = if r.chart == "argo-cd" { "ArgoCD".to_string() } else { r.chart.clone() };
        parts.push(format!("{name} chart{}", r.version.as_ref().map(|v| format!(" v{v}")).unwrap_or_default()));
        paths.push(r.file.clone());
    }
    let app_charts: Vec<String> = f.signals("app-of-apps-chart").map(|s| s.detail.clone()).collect();
    for c in &f.charts {
        if app_charts.contains(&c.name) {
            parts.push("local app-of-apps chart".into());
        } else {
            let deps = if c.deps.is_empty() { String::new() } else { format!(" (depends on {})", c.deps.join(", ")) };
            parts.push(format!("chart {} v{}{deps}", c.name, c.version));
        }
        paths.push(format!("{}/", c.dir));
    }
    row("Helm", parts, paths)
}

fn argocd(f: &Facts) -> Option<Layer> {
    let apps = &f.argo_apps;
    if apps.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    if f.signals("app-of-apps-chart").next().is_some() || apps.iter().any(|a| a.source_path.as_deref().is_some_and(|p| p.contains("app"))) && apps.len() > 1 {
        parts.push("App-of-apps pattern".to_string());
    }
    parts.push(plural(apps.len(), "Application", "Applications"));
    let (heal, prune) = (apps.iter().any(|a| a.self_heal), apps.iter().any(|a| a.prune));
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
    let mut paths: Vec<String> = apps.iter().filter(|a| a.file.ends_with(".tf")).map(|a| a.file.clone()).collect();
    paths.extend(apps.iter().filter(|a| !a.file.ends_with(".tf")).map(|a| format!("{}/", dir_of(&a.file))));
    row("ArgoCD", parts, paths)
}

fn cicd(f: &Facts) -> Option<Layer> {
    let mut parts = Vec::new();
    let gha: Vec<_> = f.pipelines.iter().filter(|p| p.tool == "GitHub Actions").collect();
    for p in f.pipelines.iter().filter(|p| p.tool != "GitHub Actions") {
        let name = if p.tool == "Jenkins" { "Jenkinsfile" } else { p.tool };
        parts.push(format!("{name} ({}: {})", plural(p.stages.len(), "stage", "stages"), p.stages.join(", ").to_lowercase()));
    }
    if !gha.is_empty() {
        let reusable = gha.iter().filter(|p| p.reusable).count();
        let extra = if reusable > 0 { format!(", {reusable} reusable") } else { String::new() };
        parts.push(format!("GitHub Actions ({}{extra})", plural(gha.len(), "workflow", "workflows")));
    }
    row("CI/CD", parts, f.pipelines.iter().map(|p| p.file.clone()).collect())
}

fn docker(f: &Facts) -> Option<Layer> {
    let mut parts = Vec::new();
    for d in &f.dockerfiles {
        let component = dir_of(&d.file).rsplit('/').next().filter(|c| !c.is_empty()).unwrap_or("app");
        let base = d.final_base.rsplit('/').next().unwrap_or(&d.final_base).split(':').next().unwrap_or("").to_string();
        parts.push(if d.stages > 1 { format!("Multi-stage {component}") } else { base });
    }
    for c in &f.compose {
        for (_, image) in &c.services {
            let Some(img) = image else { continue };
            let short = img.rsplit('/').next().unwrap_or(img).split(':').next().unwrap_or("");
            let name = display(short);
            if !parts.iter().any(|p| p.eq_ignore_ascii_case(&name) || p.eq_ignore_ascii_case(short)) && !img.contains("${") {
                parts.push(name);
            }
        }
    }
    if !f.compose.is_empty() {
        parts.push(plural(f.compose.len(), "compose file", "compose files"));
    }
    let mut paths: Vec<String> = f.dockerfiles.iter().map(|d| d.file.clone()).collect();
    paths.extend(f.compose.iter().min_by_key(|c| (c.file.len(), c.file.clone())).map(|c| c.file.clone()));
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
        parts.push(if c.detail.is_empty() { "CloudFront".into() } else { format!("CloudFront ({})", c.detail) });
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
    let paths = f.signals("prometheus").chain(f.signals("alarm")).map(|s| s.file.clone()).take(3).collect();
    row("Observability", parts, paths)
}

fn docs(f: &Facts) -> Option<Layer> {
    let mut cats: Vec<String> = Vec::new();
    for s in f.signals("doc") {
        if s.detail != "Other docs" && !cats.contains(&s.detail) {
            cats.push(s.detail.clone());
        }
    }
    cats.sort_by_key(|c| ["Planning docs", "Validation docs", "Architecture docs", "Runbooks", "Architecture decision records", "README"].iter().position(|x| x == c));
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
    let mut paths: Vec<String> = f.docs.iter().filter(|d| readme_only || d.contains('/')).map(|d| top(d)).collect();
    paths.sort_by_key(|p| !p.ends_with('/'));
    paths.dedup();
    row("Docs", cats, paths.into_iter().take(3).collect())
}
