//! Round Availability: which interview rounds the repository can ground.
//!
//! In: the merged facts. Out: one [`RoundAvailability`] per question-bank
//! round intake can ground (terraform, kubernetes, helm, argocd,
//! aws-networking, aws-compute, monitoring, reliability, security, cicd,
//! linux, python): Available, Limited or Unavailable, with the reason in the
//! example's words. The two AWS rounds share the "AWS Architecture" line and
//! monitoring/reliability share "Reliability / Observability".

use super::facts::Facts;
use serde::Serialize;

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum Status {
    Available,
    Limited,
    Unavailable,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Status::Available => "Available",
            Status::Limited => "Limited",
            Status::Unavailable => "Unavailable",
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RoundAvailability {
    /// Question-bank round id (`question_bank/<round>.toml`).
    pub round: String,
    /// The bank's title for the round.
    pub title: String,
    /// The line it is reported under ("AWS Architecture" for both AWS rounds).
    pub line: String,
    pub status: Status,
    pub reason: String,
}

fn grade(parts: &[String], available_at: usize) -> Status {
    match parts.len() {
        0 => Status::Unavailable,
        n if n >= available_at => Status::Available,
        _ => Status::Limited,
    }
}

pub(crate) fn assess(f: &Facts) -> Vec<RoundAvailability> {
    let mut out = Vec::new();
    let mut push = |round: &str, title: &str, line: &str, (status, reason): (Status, String)| {
        out.push(RoundAvailability { round: round.into(), title: title.into(), line: line.into(), status, reason });
    };
    push("terraform", "Terraform & IaC", "Terraform & IaC", terraform(f));
    push("kubernetes", "Kubernetes", "Kubernetes", kubernetes(f));
    push("helm", "Helm", "Helm", helm(f));
    push("argocd", "ArgoCD / GitOps", "ArgoCD / GitOps", argocd(f));
    let aws = aws(f);
    push("aws-networking", "AWS Networking", "AWS Architecture", aws.clone());
    push("aws-compute", "AWS Compute", "AWS Architecture", aws);
    let obs = observability(f);
    push("monitoring", "Monitoring & Observability", "Reliability / Observability", obs.clone());
    push("reliability", "Reliability & Incident Management", "Reliability / Observability", obs);
    push("security", "Security", "Security", security(f));
    push("cicd", "CI/CD & Deployments", "CI/CD & Deployments", cicd(f));
    push("linux", "Linux", "Linux", linux(f));
    push("python", "Python for DevOps", "Python for DevOps", python(f));
    out
}

fn terraform(f: &Facts) -> (Status, String) {
    let res = f.tf_resources.iter().filter(|r| !r.data).count();
    let mods = f.tf_modules.len();
    match res + mods {
        0 => (Status::Unavailable, "no Terraform".into()),
        n if n >= 5 => (Status::Available, format!("rich artifacts: {res} resources, {mods} module calls")),
        _ => (Status::Limited, format!("only {res} resources, {mods} module calls")),
    }
}

fn kubernetes(f: &Facts) -> (Status, String) {
    let mut parts = Vec::new();
    if f.has("eks-cluster") {
        parts.push("EKS config".to_string());
    }
    if f.has("irsa-role") || f.has("irsa-sa") {
        parts.push("IRSA".into());
    }
    if f.has("eks-addon") {
        parts.push("addons".into());
    }
    let workloads = f.k8s.iter().filter(|o| matches!(o.kind.as_str(), "Deployment" | "StatefulSet" | "DaemonSet" | "CronJob" | "Job" | "Pod")).count();
    if workloads > 0 {
        parts.push(format!("{workloads} workload manifests"));
    }
    for (tag, label) in [("probe", "probes"), ("hpa", "HPA"), ("pdb", "PDBs"), ("networkpolicy", "NetworkPolicies"), ("rbac", "RBAC")] {
        if f.has(tag) {
            parts.push(label.into());
        }
    }
    let status = grade(&parts, 2);
    let reason = if parts.is_empty() { "no cluster config or manifests".into() } else { parts.join(", ") };
    (status, reason)
}

fn helm(f: &Facts) -> (Status, String) {
    let app_charts: Vec<String> = f.signals("app-of-apps-chart").map(|s| s.detail.clone()).collect();
    let standalone: Vec<_> = f.charts.iter().filter(|c| !app_charts.contains(&c.name)).collect();
    if !standalone.is_empty() {
        let names: Vec<String> = standalone.iter().map(|c| format!("chart {}", c.name)).collect();
        let deps = if standalone.iter().any(|c| !c.deps.is_empty()) { " with dependencies" } else { "" };
        let values = if f.has("helm-values") { ", values" } else { "" };
        return (Status::Available, format!("{}{deps}{values}", names.join(", ")));
    }
    let mut only: Vec<String> = f.helm_releases.iter().filter(|r| !r.local).map(|r| if r.chart == "argo-cd" { "ArgoCD chart".to_string() } else { format!("{} chart", r.chart) }).collect();
    only.dedup();
    if !app_charts.is_empty() {
        only.push("app-of-apps chart".into());
    }
    if only.is_empty() {
        return (Status::Unavailable, "no charts or Helm releases".into());
    }
    (Status::Limited, format!("{} only, no standalone charts", only.join(" and ")))
}

fn argocd(f: &Facts) -> (Status, String) {
    let apps = &f.argo_apps;
    if apps.is_empty() {
        if f.helm_releases.iter().any(|r| r.chart == "argo-cd") {
            return (Status::Limited, "ArgoCD installed, no Application manifests".into());
        }
        return (Status::Unavailable, "no ArgoCD Applications".into());
    }
    let mut parts = Vec::new();
    if f.has("app-of-apps-chart") || apps.len() > 2 && apps.iter().any(|a| a.source_path.is_some()) {
        parts.push("app-of-apps".to_string());
    }
    if apps.iter().any(|a| a.automated) {
        parts.push("sync policies".into());
    }
    if apps.iter().any(|a| a.wave.is_some()) {
        parts.push("sync waves".into());
    }
    if f.has("argocd-repo-creds") {
        parts.push("SSH keys".into());
    }
    if parts.is_empty() {
        parts.push(format!("{} Applications", apps.len()));
    }
    (if parts.len() >= 2 { Status::Available } else { Status::Limited }, parts.join(", "))
}

fn aws(f: &Facts) -> (Status, String) {
    let mut parts = Vec::new();
    for (tags, label) in [
        (&["vpc"][..], "VPC"),
        (&["iam-role", "irsa-role"][..], "IAM"),
        (&["cloudfront"][..], "CDN"),
        (&["route53-zone"][..], "DNS"),
        (&["ecr-repo"][..], "ECR"),
        (&["rds"][..], "RDS"),
        (&["ec2", "asg"][..], "EC2"),
        (&["lambda"][..], "Lambda"),
        (&["load-balancer"][..], "load balancers"),
    ] {
        if tags.iter().any(|t| f.has(t)) {
            parts.push(label.to_string());
        }
    }
    if parts.is_empty() && f.has("eks-cluster") {
        parts.push("EKS".into());
    }
    let status = grade(&parts, 3);
    let reason = if parts.is_empty() { "no AWS resources".into() } else { parts.join(", ") };
    (status, reason)
}

fn observability(f: &Facts) -> (Status, String) {
    let prom = f.has("prometheus") || f.has("alarm");
    let health = f.has("health-endpoint") || f.has("probe");
    let metrics = f.has("metrics-endpoint");
    let endpoints = match (health, metrics) {
        (true, true) => "health/metrics endpoints",
        (true, false) => "health checks",
        (false, true) => "metrics endpoints",
        _ => "",
    };
    match (prom, endpoints.is_empty()) {
        (true, _) => (Status::Available, format!("Prometheus/alerting config{}", if endpoints.is_empty() { String::new() } else { format!(", {endpoints}") })),
        (false, false) => (Status::Limited, format!("{endpoints}, no Prometheus config")),
        (false, true) => (Status::Unavailable, "no health checks, metrics or alerting".into()),
    }
}

fn security(f: &Facts) -> (Status, String) {
    let mut parts = Vec::new();
    for (tags, label) in [
        (&["irsa-role", "irsa-sa"][..], "IRSA"),
        (&["secretsmanager-secret", "secretsmanager-ref", "external-secrets", "secret-ref"][..], "secrets"),
        (&["non-root-container"][..], "non-root containers"),
        (&["ecr-scan"][..], "ECR scanning"),
        (&["rbac"][..], "RBAC"),
        (&["networkpolicy"][..], "NetworkPolicies"),
        (&["kms"][..], "KMS"),
        (&["oidc-ci"][..], "CI OIDC"),
    ] {
        if tags.iter().any(|t| f.has(t)) {
            parts.push(label.to_string());
        }
    }
    let status = grade(&parts, 3);
    let reason = if parts.is_empty() { "no identity, secrets or hardening config".into() } else { parts.join(", ") };
    (status, reason)
}

fn cicd(f: &Facts) -> (Status, String) {
    let Some(best) = f.pipelines.iter().max_by_key(|p| p.stages.len()) else {
        return (Status::Unavailable, "no CI definitions".into());
    };
    let tools: Vec<&str> = {
        let mut t: Vec<&str> = f.pipelines.iter().map(|p| if p.tool == "Jenkins" { "Jenkinsfile" } else { p.tool }).collect();
        t.dedup();
        t
    };
    let reusable = if f.pipelines.iter().any(|p| p.reusable) { ", reusable workflows" } else { "" };
    let reason = format!("{}, {} stages{reusable}", tools.join(", "), best.stages.len());
    let status = if best.stages.len() >= 3 || f.pipelines.len() >= 2 { Status::Available } else { Status::Limited };
    (status, reason)
}

fn linux(f: &Facts) -> (Status, String) {
    match f.scripts.len() {
        0 if f.dockerfiles.is_empty() => (Status::Unavailable, "no shell scripts or images".into()),
        0 => (Status::Limited, "Dockerfiles only, no shell scripts".into()),
        n if n >= 6 => (Status::Available, format!("{n} shell scripts")),
        n => (Status::Limited, format!("{n} shell scripts, no host configuration")),
    }
}

fn python(f: &Facts) -> (Status, String) {
    let automation = f.signals("python-import").filter(|s| matches!(s.detail.as_str(), "boto3" | "subprocess" | "argparse" | "click" | "kubernetes")).map(|s| s.file.clone()).collect::<std::collections::BTreeSet<_>>();
    match (f.python.len(), automation.len()) {
        (0, _) => (Status::Unavailable, "no Python".into()),
        (_, a) if a >= 3 => (Status::Available, format!("{a} automation scripts")),
        (1, 0) => (Status::Limited, "1 Python file, application code only".into()),
        (n, 0) => (Status::Limited, format!("{n} Python files, application code only")),
        (n, a) => (Status::Limited, format!("{n} Python files, {a} automation scripts")),
    }
}
