//! Pod specs of Kubernetes workloads (Deployments, StatefulSets, DaemonSets,
//! Jobs, CronJobs, Pods).
//!
//! In: one workload object as JSON and a locator for its lines. Out: the
//! object's replicas and pod labels (for PDB matching in `post`), signals for
//! probes, health and metrics endpoints and non-root containers, and
//! findings per container: `latest` or missing image tags, no resource
//! limits, no probes, running as root, privileged mode. Literal env values
//! with secret-sounding names are recorded as secrets.

use super::facts::{Acc, K8sObj};
use super::findings::Finding;
use super::secrets::{is_literal_secret, is_sensitive_key};
use super::walk::RepoFile;
use super::yaml::{get, string_map, text_at, truthy, Locator};
use serde_json::Value;

pub(crate) fn analyze(
    file: &RepoFile,
    v: &Value,
    loc: &Locator,
    first: usize,
    obj: &mut K8sObj,
    acc: &mut Acc,
) {
    let kind = obj.kind.as_str();
    let pod_path: &[&str] = match kind {
        "Pod" => &[],
        "CronJob" => &["spec", "jobTemplate", "spec", "template"],
        _ => &["spec", "template"],
    };
    let template = if pod_path.is_empty() {
        Some(v)
    } else {
        get(v, pod_path)
    };
    let Some(template) = template else { return };
    let spec = if kind == "Pod" {
        v.get("spec")
    } else {
        template.get("spec")
    };
    let Some(spec) = spec else { return };
    obj.selector = string_map(get(template, &["metadata", "labels"]));
    obj.replicas = get(v, &["spec", "replicas"]).and_then(Value::as_i64);
    let f = file.rel.as_str();
    let pod_nonroot = non_root(spec.get("securityContext"));
    let containers = spec
        .get("containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let start = loc.key_from(first, &["containers"]);
    for c in &containers {
        let cname = text_at(c, &["name"]).unwrap_or_default();
        let cline = loc.find(start, &format!("name: {cname}")).unwrap_or(start);
        let image = text_at(c, &["image"]).unwrap_or_default();
        let iline = loc.key_from(cline, &["image"]);
        let ctx = Ctx {
            f,
            workload: &obj.name,
            kind,
            container: &cname,
            image: &image,
        };
        image_tag(&ctx, iline, loc, acc);
        if !matches!(kind, "Job" | "CronJob") {
            // Run-to-completion pods have no traffic to gate.
            probes(&ctx, c, cline, loc, acc);
        }
        limits(&ctx, c, cline, acc);
        root(&ctx, c, pod_nonroot, cline, loc, acc);
        env(f, c, cline, loc, acc);
        for p in c
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if text_at(p, &["name"]).is_some_and(|n| n.contains("metrics")) {
                acc.facts.signal("metrics-endpoint", f, cline, &cname);
            }
        }
    }
    let ann = string_map(get(template, &["metadata", "annotations"]));
    if ann.contains_key("prometheus.io/scrape") {
        acc.facts.signal("metrics-endpoint", f, first, &obj.name);
    }
}

struct Ctx<'a> {
    f: &'a str,
    workload: &'a str,
    kind: &'a str,
    container: &'a str,
    image: &'a str,
}

impl Ctx<'_> {
    fn finding(&self, kind: &str, line: usize, summary: String) -> Finding {
        Finding::new(kind, self.f, line, summary)
            .param("workload", self.workload)
            .param("workload_kind", self.kind)
            .param("container", self.container)
            .param("image", self.image)
            .phrase(self.workload)
            .phrase(self.container)
    }
}

/// `repo:latest`, or no tag at all (which means latest).
pub(crate) fn floating_tag(image: &str) -> bool {
    if image.is_empty() || image.contains('@') || image.contains("{{") || image.contains("${") {
        return false;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, tag)) => tag == "latest",
        None => true,
    }
}

fn image_tag(c: &Ctx, line: usize, loc: &Locator, acc: &mut Acc) {
    if !floating_tag(c.image) {
        return;
    }
    acc.finding(
        c.finding(
            "image-latest-tag",
            line,
            format!(
                "container `{}` runs `{}`, a floating tag",
                c.container, c.image
            ),
        )
        .value(loc.text(line))
        .phrase(c.image),
    );
}

fn probes(c: &Ctx, v: &Value, line: usize, loc: &Locator, acc: &mut Acc) {
    let mut any = false;
    for probe in ["readinessProbe", "livenessProbe", "startupProbe"] {
        let Some(p) = v.get(probe) else { continue };
        any = true;
        if text_at(p, &["httpGet", "path"]).is_some() {
            let l = loc.key_from(line, &[probe, "path"]);
            acc.facts.signal("health-endpoint", c.f, l, &loc.text(l));
        }
    }
    if any {
        acc.facts.signal("probe", c.f, line, c.container);
        return;
    }
    acc.finding(
        c.finding(
            "missing-probes",
            line,
            format!(
                "container `{}` in {} `{}` has no readiness or liveness probe",
                c.container, c.kind, c.workload
            ),
        )
        .value(loc.text(line))
        .value("no readinessProbe / livenessProbe"),
    );
}

fn limits(c: &Ctx, v: &Value, line: usize, acc: &mut Acc) {
    let has = get(v, &["resources", "limits"])
        .and_then(Value::as_object)
        .is_some_and(|m| !m.is_empty());
    if has {
        return;
    }
    let requests = get(v, &["resources", "requests"]).is_some();
    acc.finding(
        c.finding(
            "no-resource-limits",
            line,
            format!(
                "container `{}` in {} `{}` has no resource limits",
                c.container, c.kind, c.workload
            ),
        )
        .value(format!("name: {}", c.container))
        .value(if requests {
            "resources.requests only, no resources.limits"
        } else {
            "no resources block"
        }),
    );
}

/// `runAsNonRoot: true` or a non-zero `runAsUser`.
fn non_root(sc: Option<&Value>) -> Option<bool> {
    let sc = sc?;
    if truthy(sc.get("runAsNonRoot")) {
        return Some(true);
    }
    match sc.get("runAsUser").and_then(Value::as_i64) {
        Some(0) => Some(false),
        Some(_) => Some(true),
        None => None,
    }
}

fn root(c: &Ctx, v: &Value, pod: Option<bool>, line: usize, loc: &Locator, acc: &mut Acc) {
    let sc = v.get("securityContext");
    if truthy(sc.and_then(|s| s.get("privileged"))) {
        let l = loc.key_from(line, &["privileged"]);
        acc.finding(
            c.finding(
                "privileged-container",
                l,
                format!("container `{}` runs privileged", c.container),
            )
            .value(loc.text(l)),
        );
    }
    match non_root(sc).or(pod) {
        Some(true) => acc.facts.signal("non-root-container", c.f, line, c.container),
        Some(false) => {
            let l = loc.key_from(line, &["runAsUser"]);
            acc.finding(
                c.finding("container-root", l, format!("container `{}` runs as root (UID 0)", c.container))
                    .value(loc.text(l)),
            );
        }
        None => acc.finding(
            c.finding("container-root", line, format!("container `{}` sets no runAsNonRoot or runAsUser, so it runs as the image's user (root by default)", c.container))
                .value(format!("name: {}", c.container))
                .value("no securityContext.runAsNonRoot"),
        ),
    }
}

fn env(f: &str, c: &Value, line: usize, loc: &Locator, acc: &mut Acc) {
    for e in c.get("env").and_then(Value::as_array).into_iter().flatten() {
        let name = text_at(e, &["name"]).unwrap_or_default();
        if get(e, &["valueFrom", "secretKeyRef"]).is_some() {
            acc.facts.signal("secret-ref", f, line, &name);
        }
        if let Some(val) = text_at(e, &["value"]) {
            if is_sensitive_key(&name) && is_literal_secret(&val, true) {
                let at = loc.find(line, &format!("name: {name}")).unwrap_or(line);
                let l = loc.find(at, "value:").unwrap_or(at);
                acc.secret(f, l, "env-value", &name, &val);
            }
        }
    }
}
