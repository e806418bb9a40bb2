//! YAML files and Kubernetes objects.
//!
//! In: one YAML file (multi-document), or one object already converted to
//! JSON (a Terraform `kubernetes_manifest`). YAML files are routed by name
//! and content to CI, Helm, Kustomize or compose parsers; the rest are read
//! as Kubernetes manifests. Out: every object in the facts, and findings for
//! PDBs, HPAs, NetworkPolicies, RBAC wildcards, ServiceAccounts with IRSA
//! annotations, Secrets (their data only as redacted secrets) and ArgoCD
//! Applications (automated sync, selfHeal, prune, sync waves). Workload pod
//! specs go to `workload`.

use super::charts::{parse_yaml, values_ref, ChartIndex};
use super::facts::{Acc, K8sObj};
use super::findings::Finding;
use super::secrets::is_secret_data_key;
use super::walk::RepoFile;
use super::yaml::{get, string_map, text_at, Doc, Locator};
use super::{argo, ci, docker, helm, workload};
use serde_json::Value;

/// Parses one YAML file; returns whether anything in it was understood.
/// Findings and objects from a file with Go templating are marked as such.
pub(crate) fn parse_yaml_file(
    file: &RepoFile,
    text: &str,
    charts: &ChartIndex,
    acc: &mut Acc,
) -> bool {
    let parsed = parse_yaml(file, text, charts);
    if !parsed.errors.is_empty() {
        acc.skip(&file.rel, parsed.errors.join("; "));
        if parsed.docs.is_empty() {
            return false;
        }
    }
    let before = (
        acc.findings.len(),
        acc.facts.k8s.len(),
        acc.facts.argo_apps.len(),
        acc.facts.app_sets.len(),
    );
    let understood = route(file, text, &parsed.docs, acc);
    if let Some(origin) = parsed.origin {
        let chart = charts.template_of(&file.rel);
        if let Some((chart, (line, quote, rendered))) =
            chart.and_then(|c| Some((c, values_ref(text, c)?)))
        {
            let name = text_at(&chart.chart, &["name"]).unwrap_or_default();
            let detail = [name, quote, rendered].join("\u{1f}");
            acc.facts
                .signal("helm-template-ref", &file.rel, line, &detail);
        }
        acc.findings[before.0..]
            .iter_mut()
            .for_each(|f| f.template = Some(origin));
        acc.facts.k8s[before.1..]
            .iter_mut()
            .for_each(|o| o.templated = true);
        acc.facts.argo_apps[before.2..]
            .iter_mut()
            .for_each(|a| a.templated = true);
        acc.facts.app_sets[before.3..]
            .iter_mut()
            .for_each(|a| a.templated = true);
    }
    understood
}

/// Sends the documents to the parser the file's name and content call for.
fn route(file: &RepoFile, text: &str, docs: &[Doc], acc: &mut Acc) -> bool {
    let name = file.name().to_ascii_lowercase();
    let in_templates = file.rel.contains("templates/");
    let route = |d: &Doc| Locator::new(text, d.first_line, d.last_line);
    if file.rel.starts_with(".github/workflows/") || file.rel.contains("/.github/workflows/") {
        docs.iter()
            .for_each(|d| ci::github(file, &d.value, &route(d), acc));
        return true;
    }
    if name == ".gitlab-ci.yml" || name == ".gitlab-ci.yaml" || file.rel.contains(".gitlab/ci/") {
        docs.iter()
            .for_each(|d| ci::gitlab(file, &d.value, &route(d), acc));
        return true;
    }
    if name == "chart.yaml" {
        docs.iter()
            .for_each(|d| helm::chart(file, &d.value, &route(d), acc));
        return true;
    }
    if name.starts_with("values") && !in_templates {
        docs.iter()
            .for_each(|d| helm::values(file, &d.value, &route(d), acc));
        return true;
    }
    if name == "kustomization.yaml" || name == "kustomization.yml" {
        docs.iter()
            .for_each(|d| helm::kustomization(file, &d.value, &route(d), acc));
        return true;
    }
    if name.contains("compose") {
        docs.iter()
            .for_each(|d| docker::compose(file, &d.value, &route(d), acc));
        return true;
    }
    if name.contains("patch") {
        // Kustomize patches are fragments of objects defined elsewhere.
        acc.facts
            .signal("kustomize-patch", &file.rel, 1, file.name());
        return true;
    }
    if name.starts_with("prometheus") || name.starts_with("alertmanager") || name.contains("alert")
    {
        acc.facts.signal("prometheus", &file.rel, 1, file.name());
        return true;
    }
    let mut any = false;
    for d in docs {
        if d.value.get("kind").is_some() && d.value.get("apiVersion").is_some() {
            object(file, &d.value, &route(d), d.first_line, acc);
            any = true;
        }
    }
    any
}

/// One Kubernetes object (from YAML or Terraform); `first` is its first line.
pub(crate) fn object(file: &RepoFile, v: &Value, loc: &Locator, first: usize, acc: &mut Acc) {
    if let Some(Value::Array(items)) = v.get("items") {
        items.iter().for_each(|i| object(file, i, loc, first, acc));
        return;
    }
    let kind = text_at(v, &["kind"]).unwrap_or_default();
    let name = object_name(v);
    let line = loc.key_from(first, &["kind"]);
    let f = file.rel.as_str();
    let mut obj = K8sObj {
        kind: kind.clone(),
        name: name.clone(),
        file: f.into(),
        line,
        ..Default::default()
    };
    match kind.as_str() {
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" | "CronJob" | "Pod" => {
            workload::analyze(file, v, loc, first, &mut obj, acc)
        }
        "Rollout" if api_group(v) == "argoproj.io" => {
            workload::analyze(file, v, loc, first, &mut obj, acc);
            argo::rollout(file, v, loc, first, &name, acc);
        }
        "PodDisruptionBudget" => {
            obj.selector = string_map(get(v, &["spec", "selector", "matchLabels"]));
            acc.facts.signal("pdb", f, line, &name);
        }
        "HorizontalPodAutoscaler" => hpa(file, v, loc, first, &name, acc),
        "NetworkPolicy" => {
            acc.facts.signal("networkpolicy", f, line, &name);
            let l = loc.key_from(first, &["policyTypes"]);
            acc.finding(
                Finding::new(
                    "k8s-networkpolicy",
                    f,
                    l,
                    format!("NetworkPolicy `{name}` restricts pod traffic"),
                )
                .value("kind: NetworkPolicy")
                .value(loc.text(l))
                .param("policy", name.as_str())
                .phrase(&name),
            );
        }
        "Role" | "ClusterRole" => rbac(file, v, loc, first, &kind, &name, acc),
        "RoleBinding" | "ClusterRoleBinding" => {
            acc.facts.signal("rbac", f, line, &name);
            if text_at(v, &["roleRef", "name"]).as_deref() == Some("cluster-admin") {
                let l = loc.key_from(first, &["roleRef", "name"]);
                acc.finding(
                    Finding::new(
                        "rbac-cluster-admin",
                        f,
                        l,
                        format!("`{name}` binds cluster-admin"),
                    )
                    .value(loc.text(l))
                    .param("binding", name.as_str())
                    .phrase(&name),
                );
            }
        }
        "ServiceAccount" => service_account(file, v, loc, first, &name, acc),
        "Secret" => secret(file, v, loc, first, &name, acc),
        "Application" if api_group(v) == "argoproj.io" => {
            argo::application(file, v, loc, first, &name, acc)
        }
        "ApplicationSet" if api_group(v) == "argoproj.io" => {
            argo::application_set(file, v, loc, first, &name, acc)
        }
        "AnalysisTemplate" | "ClusterAnalysisTemplate" => {
            acc.facts.signal("analysis-template", f, line, &name)
        }
        "ServiceMonitor" | "PodMonitor" | "PrometheusRule" => {
            acc.facts.signal("prometheus", f, line, &kind)
        }
        "ExternalSecret" | "SecretStore" | "ClusterSecretStore" | "SealedSecret" => {
            acc.facts.signal("external-secrets", f, line, &kind)
        }
        "Certificate" | "ClusterIssuer" | "Issuer" => {
            acc.facts.signal("component", f, line, "cert-manager")
        }
        "Ingress" => acc.facts.signal("ingress", f, line, &name),
        _ => {}
    }
    argo::annotations(file, v, loc, first, &kind, &name, acc);
    acc.facts.k8s.push(obj);
}

/// `metadata.name`, or `metadata.generateName` for objects the API server
/// names (hook Jobs, mostly).
pub(crate) fn object_name(v: &Value) -> String {
    text_at(v, &["metadata", "name"])
        .filter(|n| !n.is_empty())
        .or_else(|| text_at(v, &["metadata", "generateName"]))
        .unwrap_or_default()
}

pub(crate) fn api_group(v: &Value) -> String {
    text_at(v, &["apiVersion"])
        .and_then(|a| a.split_once('/').map(|(g, _)| g.to_string()))
        .unwrap_or_default()
}

fn hpa(file: &RepoFile, v: &Value, loc: &Locator, first: usize, name: &str, acc: &mut Acc) {
    let f = file.rel.as_str();
    let min = text_at(v, &["spec", "minReplicas"]).unwrap_or_else(|| "1".into());
    let max = text_at(v, &["spec", "maxReplicas"]).unwrap_or_default();
    let target = text_at(v, &["spec", "scaleTargetRef", "name"]).unwrap_or_default();
    let l = loc.key_from(first, &["maxReplicas"]);
    acc.facts.signal("hpa", f, l, name);
    acc.finding(
        Finding::new(
            "k8s-hpa",
            f,
            l,
            format!("HPA `{name}` scales `{target}` between {min} and {max} replicas"),
        )
        .value(format!("minReplicas: {min}"))
        .value(format!("maxReplicas: {max}"))
        .param("target", target.as_str())
        .param("min", min.as_str())
        .param("max", max.as_str())
        .phrase(&target)
        .phrase(format!("{max} replicas")),
    );
}

fn rbac(
    file: &RepoFile,
    v: &Value,
    loc: &Locator,
    first: usize,
    kind: &str,
    name: &str,
    acc: &mut Acc,
) {
    let f = file.rel.as_str();
    acc.facts
        .signal("rbac", f, loc.key_from(first, &["kind"]), name);
    let rules = get(v, &["rules"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let star = |k: &str, r: &Value| {
        r.get(k)
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|x| x.as_str() == Some("*")))
    };
    if rules
        .iter()
        .any(|r| star("verbs", r) || star("resources", r))
    {
        let l = loc
            .find(first, "\"*\"")
            .or_else(|| loc.find(first, "'*'"))
            .unwrap_or(first);
        acc.finding(
            Finding::new("rbac-wildcard", f, l, format!("{kind} `{name}` grants `*`"))
                .value(loc.text(l))
                .param("role", name)
                .param("role_kind", kind)
                .phrase(name),
        );
    }
}

fn service_account(
    file: &RepoFile,
    v: &Value,
    loc: &Locator,
    first: usize,
    name: &str,
    acc: &mut Acc,
) {
    let f = file.rel.as_str();
    let Some(arn) = text_at(
        v,
        &["metadata", "annotations", "eks.amazonaws.com/role-arn"],
    ) else {
        return;
    };
    let l = loc
        .find(first, "eks.amazonaws.com/role-arn")
        .unwrap_or(first);
    let role = arn.rsplit('/').next().unwrap_or(&arn).to_string();
    acc.facts.signal("irsa-sa", f, l, name);
    acc.finding(
        Finding::new(
            "irsa-service-account",
            f,
            l,
            format!("ServiceAccount `{name}` assumes IAM role `{role}` (IRSA)"),
        )
        .value(loc.text(l))
        .param("service_account", name)
        .param("role", role.as_str())
        .phrase(name)
        .phrase(&role),
    );
}

/// Secret data is recorded as secrets (values redacted), never as findings.
fn secret(file: &RepoFile, v: &Value, loc: &Locator, first: usize, name: &str, acc: &mut Acc) {
    let f = file.rel.as_str();
    let mut keys = Vec::new();
    for section in ["data", "stringData"] {
        let Some(Value::Object(m)) = v.get(section) else {
            continue;
        };
        let start = loc.key_from(first, &[section]);
        for (k, val) in m {
            if let Some(s) = val
                .as_str()
                .filter(|s| !s.is_empty() && is_secret_data_key(k))
            {
                acc.secret(
                    f,
                    loc.key_from(start, &[k.as_str()]),
                    "kubernetes-secret-data",
                    k,
                    s,
                );
                keys.push(k.clone());
            }
        }
    }
    if keys.is_empty() {
        return;
    }
    let l = loc.key_from(first, &["kind"]);
    acc.facts.signal("k8s-secret", f, l, name);
    acc.finding(
        Finding::new(
            "k8s-secret-manifest",
            f,
            l,
            format!(
                "Secret `{name}` keeps {} in Git",
                if keys.len() == 1 {
                    "1 value".to_string()
                } else {
                    format!("{} values", keys.len())
                }
            ),
        )
        .value("kind: Secret")
        .value(format!("data keys: {}", keys.join(", ")))
        .param("secret", name)
        .param("keys", keys.join(", "))
        .phrase(name),
    );
}
