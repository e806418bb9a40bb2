//! Helm charts and Kustomize overlays.
//!
//! In: a parsed `Chart.yaml`, `values*.yaml` or `kustomization.yaml`
//! document. Out: charts (name, version, dependencies) and Kustomize files in
//! the facts, and findings that quote them: chart dependencies, floating
//! image tags and empty resources in values, overlays that patch a base.
//! Templates under `templates/` are read as manifests by `k8s` when they are
//! plain YAML, and listed as skipped when Go templating makes them invalid.

use super::facts::{Acc, Chart};
use super::findings::Finding;
use super::walk::RepoFile;
use super::yaml::{get, text_at, Locator};
use serde_json::Value;

pub(crate) fn chart(file: &RepoFile, v: &Value, loc: &Locator, acc: &mut Acc) {
    let f = file.rel.as_str();
    let name = text_at(v, &["name"]).unwrap_or_default();
    let version = text_at(v, &["version"]).unwrap_or_default();
    let deps: Vec<(String, String)> = v
        .get("dependencies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|d| {
            (
                text_at(d, &["name"]).unwrap_or_default(),
                text_at(d, &["version"]).unwrap_or_default(),
            )
        })
        .collect();
    let line = loc.key(&["name"]);
    acc.facts.charts.push(Chart {
        dir: file.dir().into(),
        name: name.clone(),
        version: version.clone(),
        deps: deps.iter().map(|d| d.0.clone()).collect(),
        file: f.into(),
        line,
    });
    acc.finding(
        Finding::new(
            "helm-chart",
            f,
            line,
            format!("chart `{name}` version {version}"),
        )
        .value(loc.text(line))
        .value(format!("version: {version}"))
        .param("chart", name.as_str())
        .param("version", version.as_str())
        .phrase(&name)
        .phrase(name.replace('-', " ")),
    );
    if let Some((dep, ver)) = deps.first() {
        let l = loc.key(&["dependencies"]);
        let mut f = Finding::new(
            "helm-dependencies",
            f,
            l,
            format!(
                "chart `{name}` depends on {}",
                deps.iter()
                    .map(|d| format!("`{}`", d.0))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .value(format!("- name: {dep}"))
        .value(format!("version: {ver}"))
        .param("chart", name.as_str())
        .param("dependency", dep.as_str());
        for (d, _) in &deps {
            f = f.phrase(d);
        }
        acc.finding(f);
    }
}

pub(crate) fn values(file: &RepoFile, v: &Value, loc: &Locator, acc: &mut Acc) {
    let sibling = file.abs.with_file_name("Chart.yaml");
    if std::fs::symlink_metadata(&sibling).map_or(true, |m| !m.is_file()) {
        return;
    }
    let f = file.rel.as_str();
    acc.facts.signal("helm-values", f, 1, file.dir());
    let chart = file.dir().rsplit('/').next().unwrap_or("").to_string();
    if let Some(tag) = text_at(v, &["image", "tag"]) {
        if tag == "latest" || tag.is_empty() {
            let l = loc.key(&["image", "tag"]);
            acc.finding(
                Finding::new(
                    "helm-values-latest",
                    f,
                    l,
                    format!("chart `{chart}` defaults its image tag to `{tag}`"),
                )
                .value(loc.text(l))
                .param("chart", chart.as_str())
                .phrase(&chart),
            );
        }
    }
    if let Some(Value::Object(r)) = get(v, &["resources"]) {
        if r.is_empty() || !r.contains_key("limits") {
            let l = loc.key(&["resources"]);
            acc.finding(
                Finding::new(
                    "helm-values-no-limits",
                    f,
                    l,
                    format!("chart `{chart}` ships no default resource limits"),
                )
                .value(loc.text(l))
                .param("chart", chart.as_str())
                .phrase(&chart),
            );
        }
    }
}

pub(crate) fn kustomization(file: &RepoFile, v: &Value, loc: &Locator, acc: &mut Acc) {
    let f = file.rel.as_str();
    acc.facts.kustomizations.push(f.into());
    let list = |k: &str| -> Vec<String> {
        v.get(k)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|x| {
                x.as_str()
                    .map(String::from)
                    .or_else(|| text_at(x, &["path"]))
            })
            .collect()
    };
    let resources = [list("resources"), list("bases")].concat();
    let patches = [
        list("patches"),
        list("patchesStrategicMerge"),
        list("patchesJson6902"),
    ]
    .concat();
    let images = v
        .get("images")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let base = resources.iter().find(|r| r.starts_with(".."));
    if let Some(base) = base {
        let l = loc.find(1, base.as_str()).unwrap_or(1);
        let mut fd = Finding::new(
            "kustomize-overlay",
            f,
            l,
            format!("overlay `{}` builds on `{base}`", file.dir()),
        )
        .value(loc.text(l))
        .param("overlay", file.dir())
        .param("base", base.as_str())
        .phrase(file.dir().rsplit('/').next().unwrap_or(""));
        if let Some(p) = patches.first() {
            fd = fd.value(format!("patches: [{p}]"));
        }
        if let Some(tag) = images.first().and_then(|i| text_at(i, &["newTag"])) {
            fd = fd
                .value(format!("newTag: {tag}"))
                .param("tag", tag.as_str());
        }
        acc.finding(fd);
    }
}
