//! Findings → interview questions grounded in the candidate's own repo.
//!
//! In: a [`RepoReport`] and a round id. Templates (`templates/*.toml`,
//! compiled in) name the finding kinds they apply to; each template becomes
//! at most one question, filled from the first matching finding: an intro
//! that names the file and quotes the value, the question (formal definition
//! first, then a comparison or failure mode), follow-ups, kind, pillars and
//! key points the offline scorer can grade, plus a `ties-to-repo` key point
//! whose phrases are the finding's own names and values. Out:
//! [`GroundedQuestion`]s, shaped like question-bank questions.

use super::findings::Finding;
use super::RepoReport;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct KeyPoint {
    pub id: String,
    pub weight: f64,
    pub text: String,
    pub phrases: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    pub prompt: String,
    pub targets: Vec<String>,
}

/// Where the question comes from in the repo.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Evidence {
    pub file: String,
    pub line: usize,
    pub values: Vec<String>,
    pub finding: String,
    /// "Helm template" when the file has Go templating.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GroundedQuestion {
    /// `repo-<template id>`; unique within one report.
    pub id: String,
    /// Question-bank round id.
    pub round: String,
    /// definition | comparison | troubleshooting | design | failure-mode | pillar | gotcha
    pub kind: String,
    pub pillars: Vec<String>,
    pub difficulty: u8,
    pub expected_seconds: u32,
    /// The line naming the file and the value.
    pub intro: String,
    /// The question itself.
    pub prompt: String,
    pub key_point_for_interview: String,
    pub key_points: Vec<KeyPoint>,
    pub follow_ups: Vec<FollowUp>,
    /// A bank question on the same topic, for its model answer.
    pub related_bank_question: Option<String>,
    pub evidence: Evidence,
}

impl GroundedQuestion {
    /// Intro, then the question in bold, as the interviewer says it.
    pub fn text(&self) -> String {
        format!("{}\n\n**{}**", self.intro, self.prompt)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Template {
    pub id: String,
    pub findings: Vec<String>,
    pub round: String,
    pub kind: String,
    pub pillars: Vec<String>,
    pub difficulty: u8,
    pub expected_seconds: u32,
    pub related: Option<String>,
    pub intro: String,
    pub prompt: String,
    pub key_point_for_interview: String,
    #[serde(default)]
    pub follow_ups: Vec<FollowUp>,
    pub key_points: Vec<KeyPoint>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateFile {
    template: Vec<Template>,
}

const SOURCES: &[(&str, &str)] = &[
    ("terraform.toml", include_str!("templates/terraform.toml")),
    ("kubernetes.toml", include_str!("templates/kubernetes.toml")),
    ("helm.toml", include_str!("templates/helm.toml")),
    ("argocd.toml", include_str!("templates/argocd.toml")),
    ("delivery.toml", include_str!("templates/delivery.toml")),
    ("aws.toml", include_str!("templates/aws.toml")),
    ("security.toml", include_str!("templates/security.toml")),
    ("cicd.toml", include_str!("templates/cicd.toml")),
    (
        "observability.toml",
        include_str!("templates/observability.toml"),
    ),
    (
        "linux-python.toml",
        include_str!("templates/linux-python.toml"),
    ),
];

/// Every template, parsed once. Panics only if a compiled-in file is invalid,
/// which the tests rule out.
pub(crate) fn templates() -> &'static [Template] {
    static T: OnceLock<Vec<Template>> = OnceLock::new();
    T.get_or_init(|| {
        SOURCES
            .iter()
            .flat_map(|(name, src)| {
                toml::from_str::<TemplateFile>(src)
                    .unwrap_or_else(|e| panic!("intake template {name}: {e}"))
                    .template
            })
            .collect()
    })
}

/// Questions for one round, grounded in the report's findings, in template
/// order; a template naming several finding kinds prefers them in the order
/// it lists them, and a finding marked `primary` (the root Application of an
/// app-of-apps, say) over the others of its kind. Empty when nothing in the repo fits the round.
pub fn questions(report: &RepoReport, round: &str) -> Vec<GroundedQuestion> {
    templates()
        .iter()
        .filter(|t| t.round == round)
        .filter_map(|t| {
            let f = t.findings.iter().find_map(|k| {
                let mut of_kind = report.findings.iter().filter(|f| &f.kind == k);
                let first = of_kind.clone().next();
                of_kind.find(|f| f.params.contains_key("primary")).or(first)
            })?;
            Some(render(t, f))
        })
        .collect()
}

fn fill(s: &str, f: &Finding) -> String {
    let mut out = s
        .replace("{file}", &f.file)
        .replace("{line}", &f.line.to_string())
        .replace("{value}", &f.quoted())
        .replace("{summary}", &f.summary);
    for (k, v) in &f.params {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// `t3a.medium` → also `t3a medium`; `prevent_destroy` → `prevent destroy`.
fn spoken(p: &str) -> Vec<String> {
    let p = p.trim().to_lowercase();
    let loose: String = p
        .chars()
        .map(|c| {
            if matches!(c, '.' | '_' | '-' | '/' | ':') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let loose = loose.split_whitespace().collect::<Vec<_>>().join(" ");
    if loose != p && loose.len() >= 2 {
        vec![p, loose]
    } else {
        vec![p]
    }
}

/// The value side of a quoted `key = value` / `key: value`, when it is a
/// distinctive name or number (not `true`, not a reference like `var.x`).
fn value_of(quote: &str) -> Option<String> {
    let (k, v) = quote.split_once(" = ").or_else(|| quote.split_once(": "))?;
    if matches!(k.trim(), "kind" | "apiVersion" | "when" | "policyTypes") {
        return None;
    }
    let v = v
        .trim()
        .trim_matches(|c| matches!(c, '"' | '\'' | '[' | ']' | ' '));
    let plain = !v.is_empty() && !v.contains(['$', '{', '(', ' ', ',']) && v.len() >= 3;
    let reference = v.split('.').count() > 2
        || ["var.", "local.", "data.", "module."]
            .iter()
            .any(|p| v.starts_with(p));
    const COMMON: &[&str] = &[
        "redacted",
        "true",
        "false",
        "null",
        "latest",
        "mutable",
        "immutable",
        "manual",
        "always",
        "never",
    ];
    let common = COMMON.contains(&v.to_ascii_lowercase().as_str());
    (plain && !reference && !common).then(|| v.to_string())
}

pub(crate) fn render(t: &Template, f: &Finding) -> GroundedQuestion {
    let mut key_points: Vec<KeyPoint> = t
        .key_points
        .iter()
        .map(|k| KeyPoint {
            id: k.id.clone(),
            weight: k.weight,
            text: fill(&k.text, f),
            phrases: k
                .phrases
                .iter()
                .map(|p| fill(p, f).to_lowercase())
                .collect(),
        })
        .collect();
    let mut phrases: Vec<String> = Vec::new();
    let module = f
        .file
        .split_once("modules/")
        .and_then(|(_, rest)| rest.split('/').next())
        .filter(|m| !m.is_empty() && !m.contains('.'));
    let own = f
        .phrases
        .iter()
        .cloned()
        .chain(f.values.iter().filter_map(|v| value_of(v)))
        .chain(module.map(|m| format!("{m} module")))
        .filter(|p| !p.contains("${") && !p.contains(super::secrets::REDACTED));
    for p in own.flat_map(|p| spoken(&p)) {
        if p.len() >= 2 && !phrases.contains(&p) {
            phrases.push(p);
        }
    }
    key_points.push(KeyPoint {
        id: "ties-to-repo".into(),
        weight: 1.5,
        text: format!("Ties the answer to this repo: {}", f.summary),
        phrases,
    });
    GroundedQuestion {
        id: format!("repo-{}", t.id),
        round: t.round.clone(),
        kind: t.kind.clone(),
        pillars: t.pillars.clone(),
        difficulty: t.difficulty,
        expected_seconds: t.expected_seconds,
        intro: fill(&t.intro, f),
        prompt: fill(&t.prompt, f),
        key_point_for_interview: fill(&t.key_point_for_interview, f),
        key_points,
        follow_ups: t
            .follow_ups
            .iter()
            .map(|u| FollowUp {
                prompt: fill(&u.prompt, f),
                targets: u.targets.clone(),
            })
            .collect(),
        related_bank_question: t.related.clone(),
        evidence: Evidence {
            file: f.file.clone(),
            line: f.line,
            values: f.values.clone(),
            finding: f.kind.clone(),
            template: f.template,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: &[&str] = &[
        "definition",
        "comparison",
        "troubleshooting",
        "design",
        "failure-mode",
        "pillar",
        "gotcha",
    ];
    const PILLARS: &[&str] = &[
        "Security",
        "Scalability",
        "Availability",
        "Cost Optimization",
        "Operational Excellence",
    ];

    #[test]
    fn templates_are_well_formed() {
        let all = templates();
        assert!(all.len() >= 40, "{} templates", all.len());
        let mut ids = Vec::new();
        for t in all {
            assert!(!ids.contains(&t.id), "duplicate template {}", t.id);
            ids.push(t.id.clone());
            assert!(
                KINDS.contains(&t.kind.as_str()),
                "{}: kind {}",
                t.id,
                t.kind
            );
            assert!(
                t.pillars.iter().all(|p| PILLARS.contains(&p.as_str())),
                "{}",
                t.id
            );
            assert!((1..=3).contains(&t.difficulty), "{}", t.id);
            assert!(t.key_points.len() >= 3, "{}: too few key points", t.id);
            assert!(!t.findings.is_empty(), "{}", t.id);
            for k in &t.key_points {
                assert!((0.5..=3.0).contains(&k.weight), "{}/{}", t.id, k.id);
                assert!(!k.phrases.is_empty(), "{}/{}", t.id, k.id);
                assert!(
                    k.phrases.iter().all(|p| p == &p.to_lowercase()),
                    "{}/{}: phrases are lower-case",
                    t.id,
                    k.id
                );
            }
            for u in &t.follow_ups {
                for target in &u.targets {
                    assert!(
                        t.key_points.iter().any(|k| &k.id == target),
                        "{}: follow-up targets {target}",
                        t.id
                    );
                }
            }
        }
    }

    #[test]
    fn rendering_fills_every_placeholder_and_adds_the_repo_tie() {
        let f = Finding::new("eks-fixed-node-group", "modules/eks/main.tf", 65, "fixed")
            .value("desired_size = 3")
            .param("count", "3")
            .param("instance_type", "t3a.medium")
            .phrase("t3a.medium");
        for t in templates().iter().filter(|t| t.findings.contains(&f.kind)) {
            let q = render(t, &f);
            for s in [&q.intro, &q.prompt, &q.key_point_for_interview] {
                assert!(!s.contains('{'), "{}: unfilled placeholder in {s}", t.id);
            }
            let tie = q.key_points.last().unwrap();
            assert_eq!(tie.id, "ties-to-repo");
            assert_eq!(
                tie.phrases,
                ["t3a.medium", "t3a medium", "eks module"],
                "{}",
                t.id
            );
        }
    }
}
