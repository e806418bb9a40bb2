//! Argo Rollouts: blue-green and canary strategies.
//!
//! In: one `Rollout` as JSON and a locator (its pod template goes to
//! `workload` like a Deployment's). Out: the Rollout in the facts and a
//! finding quoting its strategy: active and preview Services with the
//! promotion and analysis for blue-green, the steps and the traffic routing
//! for canary.

use super::facts::{Acc, Rollout};
use super::findings::Finding;
use super::walk::RepoFile;
use super::yaml::{get, scalar, text_at, truthy, Locator};
use serde_json::Value;

/// One canary step, as a person reads it: `setWeight 20`, `pause 1m`.
fn step(s: &Value) -> Option<String> {
    let (k, v) = s.as_object()?.iter().next()?;
    Some(match k.as_str() {
        "setWeight" => format!("{}%", scalar(v)?),
        "pause" => match text_at(v, &["duration"]) {
            Some(d) => format!("pause {d}"),
            None => "pause until promoted".into(),
        },
        "analysis" => {
            let t = get(v, &["templates"])
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(|t| text_at(t, &["templateName"]))
                .unwrap_or_default();
            format!("analysis {t}").trim_end().to_string()
        }
        other => other.to_string(),
    })
}

pub(crate) fn rollout(
    file: &RepoFile,
    v: &Value,
    loc: &Locator,
    first: usize,
    name: &str,
    acc: &mut Acc,
) {
    let f = file.rel.as_str();
    let line = loc.key_from(first, &["kind"]);
    let strategy = if let Some(bg) = get(v, &["spec", "strategy", "blueGreen"]) {
        let active = text_at(bg, &["activeService"]).unwrap_or_default();
        let preview = text_at(bg, &["previewService"]).unwrap_or_default();
        let auto = bg
            .get("autoPromotionEnabled")
            .map_or(true, |x| truthy(Some(x)));
        let promotion = match (auto, text_at(bg, &["autoPromotionSeconds"])) {
            (false, _) => "manual promotion".to_string(),
            (true, Some(s)) => format!("automatic promotion after {s} s"),
            (true, None) => "automatic promotion".to_string(),
        };
        let analysis = text_at(bg, &["prePromotionAnalysis", "templates"])
            .or_else(|| {
                get(bg, &["prePromotionAnalysis", "templates"])
                    .and_then(Value::as_array)
                    .and_then(|a| a.first())
                    .and_then(|t| text_at(t, &["templateName"]))
            })
            .map_or("no pre-promotion analysis".to_string(), |t| {
                format!("pre-promotion analysis `{t}`")
            });
        let l = loc.key_from(first, &["blueGreen", "activeService"]);
        let mut fd = Finding::new(
            "rollout-bluegreen",
            f,
            l,
            format!("Rollout `{name}` deploys blue-green: active Service `{active}`, preview Service `{preview}`, {promotion}"),
        )
        .value(loc.text(l))
        .value(loc.quote(l, "previewService").1);
        if let Some(al) = loc.find(first, "autoPromotionEnabled") {
            fd = fd.value(loc.text(al));
        }
        acc.finding(
            fd.param("rollout", name)
                .param("active", active.as_str())
                .param("preview", preview.as_str())
                .param("promotion", promotion.as_str())
                .param("analysis", analysis.as_str())
                .phrase(name)
                .phrase(&active)
                .phrase(&preview),
        );
        "blue-green"
    } else if let Some(c) = get(v, &["spec", "strategy", "canary"]) {
        let steps: Vec<String> = c
            .get("steps")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(step)
            .collect();
        let routing = c
            .get("trafficRouting")
            .and_then(Value::as_object)
            .and_then(|m| m.keys().next().cloned())
            .map_or(
                "no traffic router, so weights are approximated by pod counts".to_string(),
                |r| format!("traffic routed by {r}"),
            );
        let analysis = steps
            .iter()
            .find(|s| s.starts_with("analysis"))
            .cloned()
            .unwrap_or_else(|| "no analysis step".into());
        let l = loc.key_from(first, &["canary", "steps"]);
        let (wl, wq) = loc.quote(l, "setWeight");
        let mut fd = Finding::new(
            "rollout-canary",
            f,
            wl,
            format!(
                "Rollout `{name}` shifts traffic in {} canary steps: {}",
                steps.len(),
                steps.join(" → ")
            ),
        )
        .value(wq);
        if let Some(pl) = loc.find(l, "pause") {
            fd = fd.value(loc.text(pl));
        }
        acc.finding(
            fd.param("rollout", name)
                .param("steps", steps.join(" → "))
                .param("count", steps.len().to_string())
                .param("routing", routing.as_str())
                .param("analysis", analysis.as_str())
                .phrase(name),
        );
        "canary"
    } else {
        return;
    };
    acc.facts.rollouts.push(Rollout {
        name: name.into(),
        file: f.into(),
        line,
        strategy,
    });
}
