//! Round Availability: which interview rounds the repository can ground.
//!
//! In: the merged facts. Out: one [`RoundAvailability`] per question-bank
//! round intake can ground (terraform, kubernetes, helm, argocd,
//! aws-networking, aws-compute, monitoring, reliability, security, cicd,
//! linux, python): Available, Limited or Unavailable, with the reason in the
//! example's words. The two AWS rounds share the "AWS Architecture" line and
//! monitoring/reliability share "Reliability / Observability".

use super::availability_rules::*;
use super::facts::Facts;
use super::summary::bounded_reason;
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

/// The labels of the signal groups the facts have.
pub(crate) fn present(f: &Facts, groups: &[(&[&str], &str)]) -> Vec<String> {
    groups
        .iter()
        .filter(|(tags, _)| tags.iter().any(|t| f.has(t)))
        .map(|(_, label)| label.to_string())
        .collect()
}

pub(crate) fn grade(parts: &[String], available_at: usize) -> Status {
    match parts.len() {
        0 => Status::Unavailable,
        n if n >= available_at => Status::Available,
        _ => Status::Limited,
    }
}

pub(crate) fn assess(f: &Facts) -> Vec<RoundAvailability> {
    let mut out = Vec::new();
    let mut push = |round: &str, title: &str, line: &str, (status, reason): (Status, String)| {
        out.push(RoundAvailability {
            round: round.into(),
            title: title.into(),
            line: line.into(),
            status,
            reason: bounded_reason(&reason),
        });
    };
    push(
        "terraform",
        "Terraform & IaC",
        "Terraform & IaC",
        terraform(f),
    );
    push("kubernetes", "Kubernetes", "Kubernetes", kubernetes(f));
    push("helm", "Helm", "Helm", helm(f));
    push("argocd", "ArgoCD / GitOps", "ArgoCD / GitOps", argocd(f));
    let aws = aws(f);
    push(
        "aws-networking",
        "AWS Networking",
        "AWS Architecture",
        aws.clone(),
    );
    push("aws-compute", "AWS Compute", "AWS Architecture", aws);
    let obs = observability(f);
    push(
        "monitoring",
        "Monitoring & Observability",
        "Reliability / Observability",
        obs.clone(),
    );
    push(
        "reliability",
        "Reliability & Incident Management",
        "Reliability / Observability",
        obs,
    );
    push("security", "Security", "Security", security(f));
    push(
        "cicd",
        "CI/CD & Deployments",
        "CI/CD & Deployments",
        cicd(f),
    );
    push("linux", "Linux", "Linux", linux(f));
    push(
        "python",
        "Python for DevOps",
        "Python for DevOps",
        python(f),
    );
    out
}
