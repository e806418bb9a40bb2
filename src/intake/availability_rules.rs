//! The rules behind each round's availability call.
//!
//! In: the merged facts. Out: per round, a status and the reason in the
//! example transcript's words ("rich artifacts", "EKS config, IRSA, addons",
//! "ArgoCD chart only, no standalone charts", "health/metrics endpoints, no
//! Prometheus config"). Called by `availability::assess`.

use super::availability::{grade, present, Status};
use super::facts::Facts;
use super::summary::{aggregate, bounded, counted};

pub(crate) fn terraform(f: &Facts) -> (Status, String) {
    let res = f.tf_resources.iter().filter(|r| !r.data).count();
    let mods = f.tf_modules.len();
    match res + mods {
        0 => (Status::Unavailable, "no Terraform".into()),
        n if n >= 5 => (
            Status::Available,
            format!("rich artifacts: {res} resources, {mods} module calls"),
        ),
        _ => (
            Status::Limited,
            format!("only {res} resources, {mods} module calls"),
        ),
    }
}

pub(crate) fn kubernetes(f: &Facts) -> (Status, String) {
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
    let workloads = f
        .k8s
        .iter()
        .filter(|o| {
            matches!(
                o.kind.as_str(),
                "Deployment" | "StatefulSet" | "DaemonSet" | "CronJob" | "Job" | "Pod" | "Rollout"
            )
        })
        .count();
    if workloads > 0 {
        parts.push(format!(
            "{workloads} workload manifest{}",
            if workloads == 1 { "" } else { "s" }
        ));
    }
    for (tag, label) in [
        ("probe", "probes"),
        ("hpa", "HPA"),
        ("pdb", "PDBs"),
        ("networkpolicy", "NetworkPolicies"),
        ("rbac", "RBAC"),
    ] {
        if f.has(tag) {
            parts.push(label.into());
        }
    }
    let status = grade(&parts, 2);
    let reason = if parts.is_empty() {
        "no cluster config or manifests".into()
    } else {
        parts.join(", ")
    };
    (status, reason)
}

pub(crate) fn helm(f: &Facts) -> (Status, String) {
    let app_charts: Vec<String> = f
        .signals("app-of-apps-chart")
        .map(|s| s.detail.clone())
        .collect();
    let standalone: Vec<_> = f
        .charts
        .iter()
        .filter(|c| !app_charts.contains(&c.name))
        .collect();
    if !standalone.is_empty() {
        let names = aggregate(standalone.iter().map(|c| format!("chart {}", c.name)));
        let names = [bounded(&names, 60)];
        let deps = if standalone.iter().any(|c| !c.deps.is_empty()) {
            " with dependencies"
        } else {
            ""
        };
        let values = if f.has("helm-values") { ", values" } else { "" };
        let templates = if f.k8s.iter().any(|o| o.templated) {
            ", templates"
        } else {
            ""
        };
        let hooks = if f.hooks.iter().any(|h| h.engine == "Helm") {
            ", hooks"
        } else {
            ""
        };
        return (
            Status::Available,
            format!("{}{deps}{values}{templates}{hooks}", names.join(", ")),
        );
    }
    let mut only = aggregate(f.helm_releases.iter().filter(|r| !r.local).map(|r| {
        if r.chart == "argo-cd" {
            "ArgoCD chart".to_string()
        } else {
            format!("{} chart", r.chart)
        }
    }));
    if only.len() > 3 {
        only = vec![bounded(&only, 70)];
    }
    if !app_charts.is_empty() {
        only.push("app-of-apps chart".into());
    }
    if only.is_empty() {
        return (Status::Unavailable, "no charts or Helm releases".into());
    }
    (
        Status::Limited,
        format!("{} only, no standalone charts", only.join(" and ")),
    )
}

pub(crate) fn argocd(f: &Facts) -> (Status, String) {
    let apps = &f.argo_apps;
    let hooks = f.hooks.iter().any(|h| h.engine == "Argo CD");
    if apps.is_empty() && f.app_sets.is_empty() {
        if hooks || !f.waves.is_empty() {
            return (
                Status::Limited,
                "resource hooks or sync waves, no Applications".into(),
            );
        }
        if f.helm_releases.iter().any(|r| r.chart == "argo-cd") {
            return (
                Status::Limited,
                "ArgoCD installed, no Application manifests".into(),
            );
        }
        return (Status::Unavailable, "no ArgoCD Applications".into());
    }
    let mut parts = Vec::new();
    if f.has("app-of-apps-chart") || apps.len() > 2 && apps.iter().any(|a| a.source_path.is_some())
    {
        parts.push("app-of-apps".to_string());
    }
    if apps.iter().any(|a| a.automated) {
        parts.push("sync policies".into());
    }
    if !f.app_sets.is_empty() {
        parts.push("ApplicationSets".into());
    }
    if apps.iter().any(|a| a.wave.is_some()) || !f.waves.is_empty() {
        parts.push("sync waves".into());
    }
    if hooks {
        parts.push("resource hooks".into());
    }
    if apps.iter().any(|a| a.templated) {
        parts.push("Applications in Helm templates".into());
    }
    if !f.rollouts.is_empty() {
        parts.push("Rollouts".into());
    }
    if f.has("argocd-repo-creds") {
        parts.push("SSH keys".into());
    }
    if parts.is_empty() {
        parts.push(format!("{} Applications", apps.len() + f.app_sets.len()));
    }
    (
        if parts.len() >= 2 {
            Status::Available
        } else {
            Status::Limited
        },
        parts.join(", "),
    )
}

const AWS: &[(&[&str], &str)] = &[
    (&["vpc"], "VPC"),
    (&["iam-role", "irsa-role"], "IAM"),
    (&["cloudfront"], "CDN"),
    (&["route53-zone"], "DNS"),
    (&["ecr-repo"], "ECR"),
    (&["rds"], "RDS"),
    (&["ec2", "asg"], "EC2"),
    (&["lambda"], "Lambda"),
    (&["load-balancer"], "load balancers"),
];

pub(crate) fn aws(f: &Facts) -> (Status, String) {
    let mut parts = present(f, AWS);
    if parts.is_empty() && f.has("eks-cluster") {
        parts.push("EKS".into());
    }
    match parts.is_empty() {
        true => (Status::Unavailable, "no AWS resources".into()),
        false => (grade(&parts, 3), parts.join(", ")),
    }
}

pub(crate) fn observability(f: &Facts) -> (Status, String) {
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
        (true, _) => (
            Status::Available,
            format!(
                "Prometheus/alerting config{}",
                if endpoints.is_empty() {
                    String::new()
                } else {
                    format!(", {endpoints}")
                }
            ),
        ),
        (false, false) => (
            Status::Limited,
            format!("{endpoints}, no Prometheus config"),
        ),
        (false, true) => (
            Status::Unavailable,
            "no health checks, metrics or alerting".into(),
        ),
    }
}

const SECURITY: &[(&[&str], &str)] = &[
    (&["irsa-role", "irsa-sa"], "IRSA"),
    (
        &[
            "secretsmanager-secret",
            "secretsmanager-ref",
            "external-secrets",
            "secret-ref",
        ],
        "secrets",
    ),
    (&["non-root-container"], "non-root containers"),
    (&["ecr-scan"], "ECR scanning"),
    (&["rbac"], "RBAC"),
    (&["networkpolicy"], "NetworkPolicies"),
    (&["kms"], "KMS"),
    (&["oidc-ci"], "CI OIDC"),
];

pub(crate) fn security(f: &Facts) -> (Status, String) {
    let parts = present(f, SECURITY);
    match parts.is_empty() {
        true => (
            Status::Unavailable,
            "no identity, secrets or hardening config".into(),
        ),
        false => (grade(&parts, 3), parts.join(", ")),
    }
}

pub(crate) fn cicd(f: &Facts) -> (Status, String) {
    let strategies: Vec<String> = counted(f.rollouts.iter().map(|r| r.strategy.to_string()))
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    let rollouts = if strategies.is_empty() {
        String::new()
    } else {
        format!("Argo Rollouts ({})", strategies.join(", "))
    };
    let Some(best) = f.pipelines.iter().max_by_key(|p| p.stages.len()) else {
        if !rollouts.is_empty() {
            return (Status::Limited, format!("{rollouts}, no CI definitions"));
        }
        return (Status::Unavailable, "no CI definitions".into());
    };
    let tools: Vec<&str> = {
        let mut t: Vec<&str> = f
            .pipelines
            .iter()
            .map(|p| {
                if p.tool == "Jenkins" {
                    "Jenkinsfile"
                } else {
                    p.tool
                }
            })
            .collect();
        let mut seen = std::collections::HashSet::new();
        t.retain(|x| seen.insert(*x));
        t
    };
    let reusable = if f.pipelines.iter().any(|p| p.reusable) {
        ", reusable workflows"
    } else {
        ""
    };
    let mut reason = format!(
        "{}, {} stages{reusable}",
        tools.join(", "),
        best.stages.len()
    );
    if !rollouts.is_empty() {
        reason = format!("{reason}, {rollouts}");
    }
    let status = if best.stages.len() >= 3 || f.pipelines.len() >= 2 {
        Status::Available
    } else {
        Status::Limited
    };
    (status, reason)
}

pub(crate) fn linux(f: &Facts) -> (Status, String) {
    match f.scripts.len() {
        0 if f.dockerfiles.is_empty() => (Status::Unavailable, "no shell scripts or images".into()),
        0 => (Status::Limited, "Dockerfiles only, no shell scripts".into()),
        n if n >= 6 => (Status::Available, format!("{n} shell scripts")),
        n => (
            Status::Limited,
            format!("{n} shell scripts, no host configuration"),
        ),
    }
}

pub(crate) fn python(f: &Facts) -> (Status, String) {
    let automation = f
        .signals("python-import")
        .filter(|s| {
            matches!(
                s.detail.as_str(),
                "boto3" | "subprocess" | "argparse" | "click" | "kubernetes"
            )
        })
        .map(|s| s.file.clone())
        .collect::<std::collections::BTreeSet<_>>();
    match (f.python.len(), automation.len()) {
        (0, _) => (Status::Unavailable, "no Python".into()),
        (_, a) if a >= 3 => (Status::Available, format!("{a} automation scripts")),
        (1, 0) => (
            Status::Limited,
            "1 Python file, application code only".into(),
        ),
        (n, 0) => (
            Status::Limited,
            format!("{n} Python files, application code only"),
        ),
        (n, a) => (
            Status::Limited,
            format!(
                "{n} Python file{}, {a} automation script{}",
                if n == 1 { "" } else { "s" },
                if a == 1 { "" } else { "s" }
            ),
        ),
    }
}
