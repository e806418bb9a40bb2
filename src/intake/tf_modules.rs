//! Terraform blocks that install packaged components: `helm_release`
//! resources and community registry modules (terraform-aws-modules/eks and
//! /vpc).
//!
//! In: one parsed block. Out: Helm releases in the facts (chart, version,
//! local or remote) with a pinned/unpinned finding, and for registry modules
//! the same EKS and VPC signals and findings the raw resources produce
//! (node group sizes, burstable instance types, a single NAT gateway).

use super::facts::{Acc, HelmRelease};
use super::findings::Finding;
use super::hclx::{attr, expr, is_true, lit, object_key, to_json, Tf};
use super::tf_net;
use super::tf_rules::{burstable, burstable_finding, node_group_findings};
use super::yaml::Locator;
use hcl::edit::structure::Block;
use hcl::Expression;

pub(crate) fn helm_release(tf: &Tf, name: &str, b: &Block, acc: &mut Acc) {
    let body = &b.body;
    let file = tf.file.rel.as_str();
    let line = tf.block_line(b);
    let chart = lit(body, "chart").unwrap_or_default();
    let repo = lit(body, "repository");
    let version = lit(body, "version");
    let local = repo.is_none()
        && (chart.starts_with('.') || chart.starts_with('/') || chart.contains("path.module"));
    let chart_name = chart.rsplit('/').next().unwrap_or(&chart).to_string();
    acc.facts.helm_releases.push(HelmRelease {
        chart: chart_name.clone(),
        version: version.clone(),
        local,
        file: file.into(),
        line,
    });
    acc.facts.signal("component", file, line, &chart_name);
    if local {
        return;
    }
    let f = match attr(body, "version") {
        Some(a) => Finding::new(
            "helm-release-pinned",
            file,
            tf.attr_line(a),
            format!(
                "Helm release `{name}` installs chart `{chart_name}` pinned to {}",
                version.clone().unwrap_or_default()
            ),
        )
        .value(format!("chart = \"{chart}\""))
        .value(tf.quote(a)),
        None => Finding::new(
            "helm-release-unpinned",
            file,
            line,
            format!("Helm release `{name}` installs chart `{chart_name}` without a version"),
        )
        .value(format!("chart = \"{chart}\"")),
    };
    acc.finding(
        f.param("chart", chart_name.as_str())
            .param("version", version.clone().unwrap_or_default())
            .param("release", name)
            .phrase(&chart_name)
            .phrase(chart_name.replace('-', " "))
            .phrase(version.unwrap_or_default()),
    );
}

/// Community modules (terraform-aws-modules/eks, /vpc) carry the same
/// design decisions as the raw resources.
pub(crate) fn registry_module(tf: &Tf, name: &str, source: &str, b: &Block, acc: &mut Acc) {
    let file = tf.file.rel.as_str();
    let body = &b.body;
    if source.contains("terraform-aws-modules/eks") {
        let line = tf.block_line(b);
        let version = lit(body, "cluster_version").or_else(|| lit(body, "kubernetes_version"));
        acc.facts.signal(
            "eks-cluster",
            file,
            line,
            version.as_deref().unwrap_or("default"),
        );
        if let Some(Expression::Object(groups)) = expr(body, "eks_managed_node_groups") {
            for (k, g) in groups {
                let g = to_json(&g);
                let n = |key: &str| g.get(key).and_then(super::yaml::scalar);
                let types: Vec<String> = g
                    .get("instance_types")
                    .and_then(|v| v.as_array())
                    .map(|a| a.iter().filter_map(super::yaml::scalar).collect())
                    .unwrap_or_default();
                let group = object_key(&k);
                let loc = Locator::new(tf.src, line, tf.block_end(b));
                let quotes: Vec<_> = ["desired_size", "min_size", "max_size"]
                    .iter()
                    .filter_map(|key| {
                        n(key).map(|v| (format!("{key} = {v}"), v, loc.key(&[group.as_str(), key])))
                    })
                    .collect();
                let count = n("desired_size").unwrap_or_else(|| "?".into());
                acc.facts.signal(
                    "eks-node-group",
                    file,
                    line,
                    &format!("{count}x {}", types.join(", ")),
                );
                node_group_findings(file, &group, &quotes, &types, &count, acc);
                if let Some(t) = types.iter().find(|t| burstable(t)) {
                    acc.finding(burstable_finding(
                        file,
                        loc.key(&[group.as_str(), "instance_types"]),
                        format!("instance_types = [\"{t}\"]"),
                        t,
                    ));
                }
            }
        }
    }
    if source.contains("terraform-aws-modules/vpc") {
        acc.facts.signal(
            "vpc",
            file,
            tf.block_line(b),
            &lit(body, "cidr").unwrap_or_default(),
        );
        if let Some(a) =
            attr(body, "single_nat_gateway").filter(|_| is_true(body, "single_nat_gateway"))
        {
            acc.facts.signal("nat-gateway", file, tf.attr_line(a), name);
            acc.finding(tf_net::single_nat(file, tf.attr_line(a), tf.quote(a)));
        }
    }
}
