//! Findings that need the whole repository, not one file.
//!
//! In: the merged facts of every file. Out: findings that join files or
//! count across them — custom Terraform modules, EKS add-ons (and the VPC
//! CNI), Secrets Manager secrets, ArgoCD sync waves and app-of-apps, a local
//! app-of-apps Helm chart, workloads without a PodDisruptionBudget, a NAT
//! gateway without VPC endpoints, health checks without Prometheus, and one
//! finding per file that holds a plaintext secret (value shown redacted).

use super::facts::{Acc, Facts};
use super::findings::Finding;
use super::hclx::module_dir;
use super::secrets::REDACTED;
use super::{post_k8s, tf_net};

pub(crate) fn derive(acc: &mut Acc) {
    let mut out = Vec::new();
    custom_modules(&acc.facts, &mut out);
    module_inputs(&mut acc.facts, &mut acc.findings, &mut out);
    addons(&acc.facts, &mut out);
    secrets_manager(&acc.facts, &mut out);
    if let Some((file, app)) = post_k8s::argo(&mut acc.facts, &mut out) {
        // The root Application is the one to ask about.
        for f in acc.findings.iter_mut().filter(|f| {
            f.kind == "argocd-selfheal-prune" && f.file == file && f.params.get("app") == Some(&app)
        }) {
            f.params.insert("primary".into(), "true".into());
        }
    }
    post_k8s::resource_waves(&acc.facts, &mut out);
    post_k8s::helm_template_values(&acc.facts, &mut out);
    post_k8s::pdb(&acc.facts, &mut out);
    endpoints(&acc.facts, &mut out);
    prometheus(&acc.facts, &mut out);
    let mut seen = Vec::new();
    for s in &acc.secrets {
        if seen.contains(&s.file) {
            continue;
        }
        seen.push(s.file.clone());
        let name = if s.name.is_empty() {
            s.kind.clone()
        } else {
            s.name.clone()
        };
        out.push(
            Finding::new(
                "plaintext-secret",
                &s.file,
                s.line,
                format!("a {} is stored in plain text in `{}`", s.kind, s.file),
            )
            .value(format!("{name} = {REDACTED}"))
            .param("secret_kind", s.kind.as_str())
            .param("name", name.as_str())
            .phrase(&s.file),
        );
    }
    acc.findings.extend(out);
    acc.sort();
}

/// Known module names in the Repo Map's spelling.
pub(crate) fn display(name: &str) -> String {
    match name.to_ascii_lowercase().as_str() {
        "vpc" => "VPC".into(),
        "eks" => "EKS".into(),
        "iam" => "IAM".into(),
        "argocd" | "argo-cd" | "argo_cd" => "ArgoCD".into(),
        "cdn" => "CDN".into(),
        "rds" => "RDS".into(),
        "dns" => "DNS".into(),
        "ecr" => "ECR".into(),
        "mongo" | "mongodb" => "MongoDB".into(),
        "postgres" | "postgresql" => "PostgreSQL".into(),
        "redis" => "Redis".into(),
        "mysql" => "MySQL".into(),
        other => {
            let mut c = other.chars();
            c.next()
                .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
        }
    }
}

/// Findings that need a module call's arguments: a VPC whose CIDR is a
/// variable, and provider pins that only matter in root modules.
fn module_inputs(facts: &mut Facts, findings: &mut Vec<Finding>, out: &mut Vec<Finding>) {
    let module_dirs: Vec<String> = facts
        .tf_modules
        .iter()
        .filter(|m| m.source.starts_with('.'))
        .map(|m| module_dir(&m.dir, &m.source))
        .collect();
    findings.retain(|f| {
        f.kind != "tf-provider-unpinned"
            || !module_dirs
                .iter()
                .any(|d| f.file.rsplit_once('/').is_some_and(|(fd, _)| fd == d))
    });
    let vars: Vec<_> = facts.signals("vpc-var").cloned().collect();
    for s in vars {
        let dir = s.file.rsplit_once('/').map_or("", |(d, _)| d);
        let (name, var) = s.detail.split_once('=').unwrap_or(("", ""));
        let call = facts
            .tf_modules
            .iter()
            .find(|m| m.source.starts_with('.') && module_dir(&m.dir, &m.source) == dir);
        let Some(arg) = call.and_then(|m| {
            m.args
                .iter()
                .find(|a| a.0 == var)
                .map(|a| (m.file.clone(), a.clone()))
        }) else {
            continue;
        };
        let (file, (_, cidr, line, quote)) = arg;
        out.push(tf_net::vpc_design(&file, line, quote, &cidr, name));
        facts.signal("vpc", &file, line, &cidr);
    }
}

fn custom_modules(facts: &Facts, out: &mut Vec<Finding>) {
    let local: Vec<_> = facts
        .tf_modules
        .iter()
        .filter(|m| m.source.starts_with("./") || m.source.starts_with("../"))
        .collect();
    let Some(first) = local.first() else { return };
    let names: Vec<String> = local.iter().map(|m| m.name.clone()).collect();
    let mut f = Finding::new(
        "tf-custom-modules",
        &first.file,
        first.line,
        format!(
            "{} custom Terraform modules: {}",
            local.len(),
            names.join(", ")
        ),
    )
    .param("count", local.len().to_string())
    .param(
        "modules",
        names
            .iter()
            .map(|n| display(n))
            .collect::<Vec<_>>()
            .join(", "),
    )
    .param(
        "dir",
        first
            .source
            .trim_start_matches("./")
            .split('/')
            .next()
            .unwrap_or("modules"),
    );
    for m in local.iter().take(3) {
        f = f.value(format!("source = \"{}\"", m.source));
    }
    for n in &names {
        f = f.phrase(n);
    }
    out.push(f);
}

fn addons(facts: &Facts, out: &mut Vec<Finding>) {
    let addons: Vec<_> = facts.signals("eks-addon").collect();
    let Some(first) = addons.first() else { return };
    let names: Vec<String> = addons.iter().map(|s| s.detail.clone()).collect();
    let mut f = Finding::new(
        "eks-addons",
        &first.file,
        first.line,
        format!("{} EKS managed add-ons: {}", names.len(), names.join(", ")),
    )
    .param("count", names.len().to_string())
    .param("addons", names.join(", "));
    for n in &names {
        f = f
            .value(format!("addon_name = \"{n}\""))
            .phrase(n)
            .phrase(n.replace('-', " "));
    }
    out.push(f);
    if let Some(cni) = addons.iter().find(|s| s.detail == "vpc-cni") {
        let nodes = facts
            .signals("eks-node-group")
            .next()
            .map(|s| s.detail.clone())
            .unwrap_or_default();
        out.push(
            Finding::new(
                "eks-vpc-cni",
                &cni.file,
                cni.line,
                "pods get VPC IP addresses from the Amazon VPC CNI",
            )
            .value("addon_name = \"vpc-cni\"")
            .param("nodes", nodes.as_str())
            .phrase(nodes.split(' ').next_back().unwrap_or("")),
        );
    }
}

fn secrets_manager(facts: &Facts, out: &mut Vec<Finding>) {
    let secrets: Vec<_> = facts.signals("secretsmanager-secret").collect();
    let Some(first) = secrets.first() else { return };
    let names: Vec<String> = secrets.iter().map(|s| s.detail.clone()).collect();
    let count: usize = facts
        .tf_resources
        .iter()
        .filter(|r| r.ty == "aws_secretsmanager_secret" && !r.data)
        .map(|r| facts.instances(r))
        .sum();
    let mut f = Finding::new(
        "secrets-manager-secrets",
        &first.file,
        first.line,
        format!("{count} Secrets Manager secrets"),
    )
    .param("count", count.to_string())
    .param("names", names.join(", "));
    for n in names.iter().take(3) {
        f = f.value(format!("name = \"{n}\""));
    }
    for n in &names {
        f = f.phrase(n);
    }
    out.push(f);
}

fn endpoints(facts: &Facts, out: &mut Vec<Finding>) {
    if facts.has("vpc-endpoint") {
        return;
    }
    let Some(nat) = facts.signals("nat-gateway").next() else {
        return;
    };
    out.push(
        Finding::new("no-vpc-endpoints", &nat.file, nat.line, "private subnets reach S3, ECR and STS through the NAT gateway; there are no VPC endpoints")
            .value(format!("resource \"aws_nat_gateway\" \"{}\"", nat.detail))
            .value("no aws_vpc_endpoint"),
    );
}

fn prometheus(facts: &Facts, out: &mut Vec<Finding>) {
    if facts.has("prometheus") || facts.has("alarm") {
        return;
    }
    let hit = facts
        .signals("health-endpoint")
        .chain(facts.signals("metrics-endpoint"))
        .next();
    let Some(h) = hit else { return };
    let endpoint = endpoint_path(&h.detail);
    out.push(
        Finding::new(
            "no-prometheus",
            &h.file,
            h.line,
            "health checks exist, but no Prometheus, alerting or CloudWatch alarm configuration",
        )
        .value(h.detail.clone())
        .param("endpoint", endpoint.as_str())
        .phrase(&endpoint),
    );
}

/// `/health` out of a health check command or probe line.
fn endpoint_path(detail: &str) -> String {
    let start = ["/health", "/metrics", "/ready", "/live"]
        .iter()
        .find_map(|m| detail.find(m))
        .or_else(|| detail.find(" /").map(|i| i + 1));
    let Some(start) = start else {
        return detail.to_string();
    };
    detail[start..]
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '/' | '-' | '_' | '.'))
        .collect()
}
