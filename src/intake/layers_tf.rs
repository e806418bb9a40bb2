//! Repo Map rows for Terraform: one per root configuration.
//!
//! In: Terraform files, resources, module calls and backends from the facts.
//! Out: a row per root (a directory of `.tf` files no module call points
//! at), bootstrap-like roots first: its module calls ("VPC, EKS, IAM, ArgoCD,
//! CDN (5 modules)") or a summary of its own resources ("S3 state bucket,
//! ECR, Route 53, 6 Secrets Manager secrets"), counting `count`/`for_each`
//! instances, with the key paths.

use super::facts::{Facts, TfResource};
use super::hclx::module_dir as normalize;
use super::layers::{dir_of, plural, row, Layer};
use super::post::display;
use std::collections::BTreeMap;

/// One row per Terraform root: a directory of `.tf` files that no module
/// call points at.
pub(crate) fn terraform(f: &Facts) -> Vec<Layer> {
    let module_dirs: Vec<String> = f
        .tf_modules
        .iter()
        .filter(|m| m.source.starts_with('.'))
        .map(|m| normalize(&m.dir, &m.source))
        .collect();
    let mut roots: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for file in &f.tf_files {
        let d = dir_of(file).to_string();
        let is_module =
            module_dirs.contains(&d) || d.starts_with("modules/") || d.contains("/modules/");
        if !is_module {
            roots.entry(d).or_default().push(file);
        }
    }
    let mut res_by_dir: BTreeMap<&str, Vec<&TfResource>> = BTreeMap::new();
    for r in f.tf_resources.iter().filter(|r| !r.data) {
        res_by_dir.entry(r.dir.as_str()).or_default().push(r);
    }
    let mut out = Vec::new();
    let mut roots: Vec<_> = roots
        .into_iter()
        .filter(|(d, _)| {
            res_by_dir.contains_key(d.as_str()) || f.tf_modules.iter().any(|m| &m.dir == d)
        })
        .collect();
    roots.sort_by_key(|(d, _)| (!d.contains("bootstrap"), d.clone()));
    let rows: Vec<RootRow> = roots
        .iter()
        .map(|(dir, files)| root_row(f, &res_by_dir, dir, files))
        .collect();
    if rows.len() <= MAX_ROOT_ROWS {
        out.extend(
            rows.into_iter()
                .filter_map(|r| row(&r.label, r.parts, r.paths)),
        );
        return out;
    }
    // A monorepo: roots with the same artifacts share a row, biggest group
    // first; past the first few rows, the rest share one.
    let mut groups: Vec<(Vec<String>, Vec<RootRow>)> = Vec::new();
    for r in rows {
        match groups.iter_mut().find(|g| g.0 == r.parts) {
            Some(g) => g.1.push(r),
            None => groups.push((r.parts.clone(), vec![r])),
        }
    }
    groups.sort_by_key(|g| {
        (
            !g.1[0].dir.contains("bootstrap"),
            std::cmp::Reverse(g.1.len()),
        )
    });
    let rest = groups.split_off(groups.len().min(MAX_ROOT_ROWS));
    for (parts, members) in groups {
        if let [one] = members.as_slice() {
            out.extend(row(&one.label, parts, one.paths.clone()));
            continue;
        }
        let dirs: Vec<&str> = members.iter().map(|m| m.dir.as_str()).collect();
        let label = format!("Terraform ({} roots: {})", members.len(), pattern(&dirs));
        let paths = dirs.iter().map(|d| format!("{d}/")).collect();
        out.extend(row(&label, parts, paths));
    }
    if !rest.is_empty() {
        let members: Vec<&RootRow> = rest.iter().flat_map(|g| &g.1).collect();
        let n: usize = members
            .iter()
            .map(|m| res_by_dir.get(m.dir.as_str()).map_or(0, Vec::len))
            .sum();
        let parts = vec![format!(
            "{} more roots, {}",
            members.len(),
            plural(n, "resource", "resources")
        )];
        let paths = members.iter().map(|m| format!("{}/", m.dir)).collect();
        out.extend(row("Terraform (other roots)", parts, paths));
    }
    out
}

struct RootRow {
    dir: String,
    label: String,
    parts: Vec<String>,
    paths: Vec<String>,
}

/// `a/x/c`, `a/y/c` → `a/*/c`; paths of different depths → their common
/// prefix and `…`.
fn pattern(dirs: &[&str]) -> String {
    let split: Vec<Vec<&str>> = dirs.iter().map(|d| d.split('/').collect()).collect();
    let depth = split[0].len();
    if split.iter().all(|s| s.len() == depth) {
        return (0..depth)
            .map(|i| {
                let first = split[0][i];
                if split.iter().all(|s| s[i] == first) {
                    return first.to_string();
                }
                // The shared start of the differing names: `week-*`.
                let mut n = first.len();
                for s in &split {
                    n = n.min(
                        first
                            .bytes()
                            .zip(s[i].bytes())
                            .take_while(|(a, b)| a == b)
                            .count(),
                    );
                }
                while !first.is_char_boundary(n) {
                    n -= 1;
                }
                format!("{}*", &first[..n])
            })
            .collect::<Vec<_>>()
            .join("/");
    }
    let common: Vec<&str> = (0..depth)
        .take_while(|i| split.iter().all(|s| s.get(*i) == Some(&split[0][*i])))
        .map(|i| split[0][i])
        .collect();
    if common.is_empty() {
        "…".into()
    } else {
        format!("{}/…", common.join("/"))
    }
}

/// The row of one root: its module calls or its own resources, its backend.
fn root_row(
    f: &Facts,
    res_by_dir: &BTreeMap<&str, Vec<&TfResource>>,
    dir: &str,
    files: &[&String],
) -> RootRow {
    let mods: Vec<_> = f.tf_modules.iter().filter(|m| m.dir == dir).collect();
    let res = res_by_dir.get(dir).cloned().unwrap_or_default();
    let label = match (dir, mods.is_empty()) {
        ("", false) => "Terraform (root modules)".to_string(),
        ("", true) => "Terraform (root)".to_string(),
        (d, _) => format!("Terraform ({d})"),
    };
    let mut parts = Vec::new();
    let mut paths = Vec::new();
    if !mods.is_empty() {
        let names: Vec<String> = mods.iter().map(|m| display(&m.name)).collect();
        parts.push(format!(
            "{} ({})",
            names.join(", "),
            plural(mods.len(), "module", "modules")
        ));
        paths.push(
            files
                .iter()
                .find(|p| p.ends_with("main.tf"))
                .map_or_else(|| files[0].to_string(), |p| p.to_string()),
        );
        paths.extend(
            mods.iter()
                .filter(|m| m.source.starts_with('.'))
                .map(|m| format!("{}/", normalize(&m.dir, &m.source))),
        );
    }
    parts.extend(resource_summary(&res, f, dir));
    if let Some(b) = f.tf_backends.iter().find(|b| b.dir == dir) {
        parts.push(format!("{} backend", b.ty.to_uppercase()));
        paths.push(b.file.clone());
    }
    if mods.is_empty() {
        let mut by_count: Vec<(&String, usize)> = files
            .iter()
            .map(|p| (*p, res.iter().filter(|r| &r.file == *p).count()))
            .collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        paths.extend(
            by_count
                .iter()
                .filter(|c| c.1 > 0)
                .take(2)
                .map(|c| c.0.clone()),
        );
        paths.extend(
            files
                .iter()
                .filter(|p| p.ends_with("variables.tf"))
                .map(|p| p.to_string()),
        );
    }
    RootRow {
        dir: dir.to_string(),
        label,
        parts,
        paths,
    }
}

/// Terraform roots shown one per row; the rest share a row.
const MAX_ROOT_ROWS: usize = 6;

/// "S3 backend, ECR, Route 53, 6 Secrets Manager secrets" for a root's own
/// resources, in a fixed order.
fn resource_summary(res: &[&TfResource], f: &Facts, dir: &str) -> Vec<String> {
    let count = |ty: &str| {
        res.iter()
            .filter(|r| r.ty == ty)
            .map(|r| f.instances(r))
            .sum::<usize>()
    };
    let state = f.signals("state-bucket").any(|s| dir_of(&s.file) == dir);
    let mut out = Vec::new();
    if state {
        out.push("S3 state bucket".to_string());
    } else if count("aws_s3_bucket") > 0 {
        out.push(plural(count("aws_s3_bucket"), "S3 bucket", "S3 buckets"));
    }
    for (ty, label) in [
        ("aws_vpc", "VPC"),
        ("aws_eks_cluster", "EKS"),
        ("aws_ecr_repository", "ECR"),
        ("aws_route53_zone", "Route 53"),
        ("aws_cloudfront_distribution", "CloudFront"),
        ("aws_db_instance", "RDS"),
        ("aws_lambda_function", "Lambda"),
        ("aws_instance", "EC2"),
        ("aws_lb", "load balancer"),
        ("aws_kms_key", "KMS"),
        ("aws_dynamodb_table", "DynamoDB"),
    ] {
        if count(ty) > 0 {
            out.push(label.to_string());
        }
    }
    let secrets = count("aws_secretsmanager_secret");
    if secrets > 0 {
        out.push(plural(
            secrets,
            "Secrets Manager secret",
            "Secrets Manager secrets",
        ));
    }
    if count("helm_release") > 0 {
        out.push(plural(
            count("helm_release"),
            "Helm release",
            "Helm releases",
        ));
    }
    if out.is_empty() && !res.is_empty() {
        out.push(plural(res.len(), "resource", "resources"));
    }
    out
}
