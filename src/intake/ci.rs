//! GitHub Actions workflows and GitLab CI pipelines.
//!
//! In: a parsed workflow (`.github/workflows/*.yml`) or `.gitlab-ci.yml`
//! document. Out: a pipeline in the facts (tool, jobs or stages, whether it
//! is a reusable `workflow_call` workflow) and findings that quote it: the
//! pipeline's stages, reusable workflows and their callers, static AWS keys
//! versus OIDC role assumption, actions pinned by tag rather than SHA,
//! manual gates and deployment environments. Jenkinsfiles are in `jenkins`.

use super::facts::{Acc, Pipeline};
use super::findings::Finding;
use super::walk::RepoFile;
use super::yaml::{get, text_at, Locator};
use serde_json::Value;

pub(crate) fn pipeline_finding(
    f: &str,
    line: usize,
    tool: &str,
    stages: &[String],
    quotes: Vec<String>,
) -> Finding {
    let mut fd = Finding::new(
        "ci-pipeline",
        f,
        line,
        format!(
            "{tool} pipeline with {} stages: {}",
            stages.len(),
            stages.join(", ")
        ),
    )
    .values(quotes)
    .param("tool", tool)
    .param("count", stages.len().to_string())
    .param("stages", stages.join(", "))
    .phrase(tool);
    for s in stages {
        fd = fd.phrase(s).phrase(s.replace(['-', '_'], " "));
    }
    fd
}

pub(crate) fn github(file: &RepoFile, v: &Value, loc: &Locator, acc: &mut Acc) {
    let f = file.rel.as_str();
    let on = v.get("on").or_else(|| v.get("true"));
    let reusable = match on {
        Some(Value::String(s)) => s == "workflow_call",
        Some(Value::Array(a)) => a.iter().any(|x| x.as_str() == Some("workflow_call")),
        Some(Value::Object(m)) => m.contains_key("workflow_call"),
        _ => false,
    };
    let jobs = v
        .get("jobs")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    // JSON maps are sorted; the file's order is the pipeline's order.
    let mut names: Vec<String> = jobs.keys().cloned().collect();
    names.sort_by_key(|n| loc.key(&["jobs", n.as_str()]));
    let jobs_line = loc.key(&["jobs"]);
    acc.facts.pipelines.push(Pipeline {
        tool: "GitHub Actions",
        file: f.into(),
        stages: names.clone(),
        reusable,
    });
    if reusable {
        let l = loc.key(&["workflow_call"]);
        let inputs: Vec<String> = get(v, &["on", "workflow_call", "inputs"])
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        acc.finding(
            Finding::new(
                "gha-reusable-workflow",
                f,
                l,
                format!("`{}` is a reusable workflow", file.name()),
            )
            .value("workflow_call:")
            .value(format!("inputs: {}", inputs.join(", ")))
            .param("workflow", file.name())
            .phrase(
                file.name()
                    .trim_end_matches(".yml")
                    .trim_end_matches(".yaml"),
            ),
        );
    } else if !names.is_empty() {
        acc.finding(pipeline_finding(
            f,
            jobs_line,
            "GitHub Actions",
            &names,
            [names.first(), names.last()]
                .into_iter()
                .flatten()
                .map(|n| loc.text(loc.key(&["jobs", n.as_str()])))
                .collect(),
        ));
    }
    if on.is_some() && v.get("permissions").is_some() {
        acc.facts
            .signal("ci-permissions", f, loc.key(&["permissions"]), "");
    }
    let perms =
        |j: &Value| get(j, &["permissions", "id-token"]).and_then(Value::as_str) == Some("write");
    if v.get("jobs").is_some() && (perms(v) || jobs.values().any(perms)) {
        acc.facts.signal(
            "oidc-ci",
            f,
            loc.find(1, "id-token").unwrap_or(1),
            "id-token: write",
        );
    }
    let mut unpinned_done = false;
    for (job, j) in names.iter().filter_map(|n| jobs.get(n).map(|j| (n, j))) {
        let jl = loc.key(&["jobs", job.as_str()]);
        if let Some(uses) = text_at(j, &["uses"]) {
            let l = loc.find(jl, "uses:").unwrap_or(jl);
            acc.finding(
                Finding::new(
                    "gha-calls-reusable",
                    f,
                    l,
                    format!("job `{job}` calls the reusable workflow `{uses}`"),
                )
                .value(format!("uses: {uses}"))
                .param("job", job.as_str())
                .param("callee", uses.as_str())
                .phrase(job),
            );
        }
        if let Some(env) =
            text_at(j, &["environment"]).or_else(|| text_at(j, &["environment", "name"]))
        {
            acc.facts.signal("deploy-env", f, jl, &env);
        }
        for step in j
            .get("steps")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(uses) = text_at(step, &["uses"]) else {
                continue;
            };
            let l = loc.find(jl, &uses).unwrap_or(jl);
            if uses.starts_with("aws-actions/configure-aws-credentials") {
                if get(step, &["with", "aws-access-key-id"]).is_some() {
                    let kl = loc.find(l, "aws-access-key-id").unwrap_or(l);
                    acc.finding(
                        Finding::new(
                            "ci-static-aws-keys",
                            f,
                            kl,
                            format!("job `{job}` authenticates to AWS with stored access keys"),
                        )
                        .value(loc.text(kl))
                        .param("job", job.as_str())
                        .phrase(job),
                    );
                } else if get(step, &["with", "role-to-assume"]).is_some() {
                    acc.facts.signal("oidc-ci", f, l, "role-to-assume");
                }
            }
            let pinned = uses.starts_with("./")
                || uses.split_once('@').is_some_and(|(_, r)| {
                    r.len() == 40 && r.chars().all(|c| c.is_ascii_hexdigit())
                });
            if !pinned && !unpinned_done {
                unpinned_done = true;
                acc.finding(
                    Finding::new(
                        "gha-unpinned-actions",
                        f,
                        l,
                        format!("actions are referenced by tag, e.g. `{uses}`"),
                    )
                    .value(format!("uses: {uses}"))
                    .param("action", uses.as_str())
                    .phrase(uses.split('@').next().unwrap_or("")),
                );
            }
        }
    }
}

const GITLAB_RESERVED: &[&str] = &[
    "stages",
    "variables",
    "include",
    "default",
    "workflow",
    "image",
    "services",
    "before_script",
    "after_script",
    "cache",
    "types",
];

pub(crate) fn gitlab(file: &RepoFile, v: &Value, loc: &Locator, acc: &mut Acc) {
    let f = file.rel.as_str();
    let Some(map) = v.as_object() else { return };
    let mut stages: Vec<String> = map
        .get("stages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(String::from))
        .collect();
    let mut jobs: Vec<(&String, &Value)> = map
        .iter()
        .filter(|(k, j)| {
            !GITLAB_RESERVED.contains(&k.as_str()) && !k.starts_with('.') && j.is_object()
        })
        .collect();
    jobs.sort_by_key(|(k, _)| loc.key(&[k.as_str()]));
    if stages.is_empty() {
        for (_, j) in &jobs {
            let s = text_at(j, &["stage"]).unwrap_or_else(|| "test".into());
            if !stages.contains(&s) {
                stages.push(s);
            }
        }
    }
    let line = loc.key(&["stages"]);
    acc.facts.pipelines.push(Pipeline {
        tool: "GitLab CI",
        file: f.into(),
        stages: stages.clone(),
        reusable: false,
    });
    if map.contains_key("include") {
        acc.facts.signal("ci-include", f, loc.key(&["include"]), "");
    }
    if !stages.is_empty() {
        acc.finding(pipeline_finding(
            f,
            line,
            "GitLab CI",
            &stages,
            [jobs.first(), jobs.last()]
                .into_iter()
                .flatten()
                .map(|(k, _)| loc.text(loc.key(&[k.as_str()])))
                .collect(),
        ));
    }
    for (name, j) in jobs {
        let jl = loc.key(&[name.as_str()]);
        let env = text_at(j, &["environment"]).or_else(|| text_at(j, &["environment", "name"]));
        if let Some(env) = &env {
            acc.facts.signal("deploy-env", f, jl, env);
        }
        let manual = text_at(j, &["when"]).as_deref() == Some("manual")
            || j.get("rules").and_then(Value::as_array).is_some_and(|r| {
                r.iter()
                    .any(|x| text_at(x, &["when"]).as_deref() == Some("manual"))
            });
        if manual {
            let l = loc.find(jl, "when: manual").unwrap_or(jl);
            acc.finding(
                Finding::new(
                    "ci-manual-gate",
                    f,
                    l,
                    format!("job `{name}` waits for a manual approval"),
                )
                .value(loc.text(jl))
                .value(loc.text(l))
                .param("environment", env.unwrap_or_default())
                .param("job", name.as_str())
                .phrase(name),
            );
        }
    }
}
