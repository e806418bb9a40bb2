//! What a Terraform resource says about the design.
//!
//! In: one parsed `resource` or `data` block (with its file, for lines
//! and quotes). Out: signals for the Repo Map (EKS version, node groups,
//! addons, IRSA roles, Secrets Manager secrets, ECR, Route 53, CloudFront…)
//! and findings that quote the block's own attributes (fixed-size node
//! groups, burstable instances, public subnets, single NAT gateways,
//! `prevent_destroy`, `count`/`for_each`, wildcard IAM, ECR scanning…).
//! Kubernetes objects written as `kubernetes_manifest` go to the `k8s` rules.

use super::facts::Acc;
use super::findings::Finding;
use super::hclx::{attr, block, expr, is_true, lit, literal, strings, to_json, Tf};
use super::yaml::Locator;
use super::{k8s, tf_modules, tf_net};
use hcl::edit::structure::Block;
use hcl::Expression;

/// Instance families whose CPU is credit-based.
pub(crate) fn burstable(instance: &str) -> bool {
    ["t2.", "t3.", "t3a.", "t4g."]
        .iter()
        .any(|p| instance.starts_with(p))
}

pub(crate) fn resource(tf: &Tf, ty: &str, name: &str, b: &Block, data: bool, acc: &mut Acc) {
    if !data {
        common(tf, ty, name, b, acc);
    }
    let file = tf.file.rel.as_str();
    let line = tf.block_line(b);
    let body = &b.body;
    match (data, ty) {
        (false, "aws_eks_cluster") => {
            let version = lit(body, "version").unwrap_or_else(|| "default".into());
            acc.facts.signal("eks-cluster", file, line, &version);
            if let Some(a) = attr(body, "version") {
                acc.finding(
                    Finding::new(
                        "eks-version",
                        file,
                        tf.attr_line(a),
                        format!("EKS cluster `{name}` runs Kubernetes {version}"),
                    )
                    .value(tf.quote(a))
                    .param("version", version.as_str())
                    .phrase(&version)
                    .phrase(spoken_version(&version)),
                );
            }
            if let Some(vpc) = block(body, "vpc_config") {
                if let Some(a) = attr(&vpc.body, "endpoint_public_access")
                    .filter(|_| is_true(&vpc.body, "endpoint_public_access"))
                {
                    acc.finding(
                        Finding::new(
                            "eks-public-endpoint",
                            file,
                            tf.attr_line(a),
                            "EKS API endpoint is reachable from the internet",
                        )
                        .value(tf.quote(a)),
                    );
                }
            }
        }
        (false, "aws_eks_node_group") => node_group(tf, name, b, acc),
        (false, "aws_eks_addon") => {
            let addon = lit(body, "addon_name").unwrap_or_default();
            let l = attr(body, "addon_name").map_or(line, |a| tf.attr_line(a));
            acc.facts.signal("eks-addon", file, l, &addon);
        }
        (false, "aws_instance" | "aws_launch_template") => {
            for key in ["instance_type"] {
                if let (Some(a), Some(t)) = (attr(body, key), lit(body, key)) {
                    acc.facts.signal("ec2", file, line, &t);
                    if burstable(&t) {
                        acc.finding(burstable_finding(file, tf.attr_line(a), tf.quote(a), &t));
                    }
                }
            }
        }
        (false, "aws_iam_role") => {
            let policy = expr(body, "assume_role_policy")
                .map(|e| to_json(&e))
                .unwrap_or_default();
            let mut s = Vec::new();
            strings(&policy, &mut s);
            let role = role_name(lit(body, "name"), name);
            if s.iter().any(|x| x == "sts:AssumeRoleWithWebIdentity") {
                let sa = s
                    .iter()
                    .find(|x| x.starts_with("system:serviceaccount:"))
                    .cloned();
                acc.facts.signal("irsa-role", file, line, &role);
                let mut f = Finding::new(
                    "irsa-role",
                    file,
                    line,
                    format!("IAM role `{role}` is assumed by a Kubernetes service account (IRSA)"),
                )
                .value(format!("resource \"aws_iam_role\" \"{name}\""))
                .value("sts:AssumeRoleWithWebIdentity")
                .param("role", role.as_str())
                .phrase(&role);
                if let Some(sa) = sa {
                    f = f
                        .value(format!("\"{sa}\""))
                        .param("service_account", sa.rsplit(':').next().unwrap_or(""));
                }
                acc.finding(f);
            } else {
                acc.facts.signal("iam-role", file, line, &role);
            }
        }
        (false, "aws_iam_policy" | "aws_iam_role_policy") | (true, "aws_iam_policy_document") => {
            tf_net::iam_policy(tf, name, b, data, acc)
        }
        (false, "aws_secretsmanager_secret") => {
            let secret = lit(body, "name")
                .or_else(|| lit(body, "name_prefix"))
                .unwrap_or_else(|| name.into());
            acc.facts
                .signal("secretsmanager-secret", file, line, &secret);
        }
        (true, "aws_secretsmanager_secret" | "aws_secretsmanager_secret_version") => {
            if let (Some(a), Some(id)) = (
                attr(body, "secret_id").or(attr(body, "name")),
                lit(body, "secret_id").or(lit(body, "name")),
            ) {
                acc.facts
                    .signal("secretsmanager-ref", file, tf.attr_line(a), &id);
                acc.finding(
                    Finding::new(
                        "secret-from-secrets-manager",
                        file,
                        tf.attr_line(a),
                        format!("secret `{id}` is read from AWS Secrets Manager at apply time"),
                    )
                    .value(tf.quote(a))
                    .param("secret", id.as_str())
                    .phrase(&id),
                );
            }
        }
        (false, "aws_s3_bucket") => {
            let bucket = lit(body, "bucket").unwrap_or_else(|| name.into());
            let tag = if bucket.contains("state") || name.contains("state") {
                "state-bucket"
            } else {
                "s3-bucket"
            };
            acc.facts.signal(tag, file, line, &bucket);
        }
        (false, "helm_release") => tf_modules::helm_release(tf, name, b, acc),
        (false, "kubernetes_manifest") => {
            if let Some(m) = expr(body, "manifest") {
                let loc = Locator::new(tf.src, line, tf.block_end(b));
                k8s::object(tf.file, &to_json(&m), &loc, line, acc);
            }
        }
        (false, "kubernetes_secret" | "kubernetes_secret_v1") => {
            tf_net::k8s_secret(tf, name, b, acc)
        }
        (false, _) => tf_net::resource(tf, ty, name, b, acc),
        _ => {}
    }
}

/// `lifecycle { prevent_destroy }` and `count`/`for_each`, on any resource.
fn common(tf: &Tf, ty: &str, name: &str, b: &Block, acc: &mut Acc) {
    let file = tf.file.rel.as_str();
    if let Some(lc) = block(&b.body, "lifecycle") {
        if let Some(a) =
            attr(&lc.body, "prevent_destroy").filter(|_| is_true(&lc.body, "prevent_destroy"))
        {
            acc.facts.signal(
                "prevent-destroy",
                file,
                tf.attr_line(a),
                &format!("{ty}.{name}"),
            );
            acc.finding(
                Finding::new(
                    "tf-prevent-destroy",
                    file,
                    tf.attr_line(a),
                    format!("`{ty}.{name}` is protected by prevent_destroy"),
                )
                .value(format!("resource \"{ty}\" \"{name}\""))
                .value(tf.quote(a))
                .param("resource", format!("{ty}.{name}"))
                .phrase(name.replace('_', " ")),
            );
        }
    }
    for key in ["count", "for_each"] {
        if let Some(a) = attr(&b.body, key) {
            acc.finding(
                Finding::new(
                    "tf-count-for-each",
                    file,
                    tf.attr_line(a),
                    format!("`{ty}.{name}` is repeated with {key}"),
                )
                .value(tf.quote(a))
                .param("meta", key)
                .param("resource", format!("{ty}.{name}"))
                .phrase(name.replace('_', " ")),
            );
        }
    }
}

fn node_group(tf: &Tf, name: &str, b: &Block, acc: &mut Acc) {
    let file = tf.file.rel.as_str();
    let line = tf.block_line(b);
    let types: Vec<String> = match expr(&b.body, "instance_types") {
        Some(Expression::Array(a)) => a.iter().filter_map(literal).collect(),
        _ => vec!["t3.medium".into()],
    };
    let Some(sc) = block(&b.body, "scaling_config") else {
        return;
    };
    let get = |k: &str| {
        attr(&sc.body, k).map(|a| {
            (
                tf.quote(a),
                lit(&sc.body, k).unwrap_or_default(),
                tf.attr_line(a),
            )
        })
    };
    let (desired, min, max) = (get("desired_size"), get("min_size"), get("max_size"));
    let count = desired.as_ref().map_or("?".into(), |d| d.1.clone());
    let it = types.join(", ");
    acc.facts
        .signal("eks-node-group", file, line, &format!("{count}x {it}"));
    let quotes: Vec<_> = [&desired, &min, &max]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    node_group_findings(file, name, &quotes, &types, &count, acc);
    if let Some(a) = attr(&b.body, "instance_types") {
        if let Some(t) = types.iter().find(|t| burstable(t)) {
            acc.finding(burstable_finding(file, tf.attr_line(a), tf.quote(a), t));
        }
    }
}

/// The fixed-size finding, shared with the EKS registry module.
pub(crate) fn node_group_findings(
    file: &str,
    group: &str,
    quotes: &[(String, String, usize)],
    types: &[String],
    count: &str,
    acc: &mut Acc,
) {
    let fixed = quotes.len() == 3 && quotes.iter().all(|q| q.1 == quotes[0].1);
    if !fixed {
        return;
    }
    let line = quotes[0].2;
    let mut f = Finding::new(
        "eks-fixed-node-group",
        file,
        line,
        format!("node group `{group}` is fixed at {count} nodes (desired = min = max)"),
    )
    .param("count", count)
    .param("instance_type", types.join(", "))
    .param("group", group)
    .phrase(format!("{count} nodes"))
    .phrase(format!("{} nodes", spoken_number(count)));
    for q in quotes {
        f = f.value(q.0.clone());
    }
    for t in types {
        f = f.phrase(t).phrase(t.replace('.', " "));
    }
    acc.finding(f);
}

pub(crate) fn burstable_finding(file: &str, line: usize, quote: String, t: &str) -> Finding {
    let family = t.split('.').next().unwrap_or(t);
    Finding::new(
        "burstable-instance",
        file,
        line,
        format!("`{t}` is a burstable, CPU-credit instance type"),
    )
    .value(quote)
    .param("instance_type", t)
    .param("family", family)
    .phrase(t)
    .phrase(t.replace('.', " "))
    .phrase(family)
}

/// `"${var.cluster_name}-external-dns"` → `external-dns`; the label when
/// nothing literal is left.
fn role_name(name: Option<String>, label: &str) -> String {
    let n = name.unwrap_or_default();
    let tail = n.rsplit('}').next().unwrap_or(&n).trim_matches(['-', '_']);
    if tail.is_empty() || tail.contains("${") {
        label.to_string()
    } else {
        tail.to_string()
    }
}

pub(crate) fn spoken_number(n: &str) -> String {
    const W: &[&str] = &[
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    n.parse::<usize>()
        .ok()
        .and_then(|i| W.get(i))
        .map_or(n.to_string(), |w| w.to_string())
}

fn spoken_version(v: &str) -> String {
    v.replace('.', " point ")
}
