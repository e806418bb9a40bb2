//! Terraform rules for AWS networking, edge, data and security resources.
//!
//! In: one parsed `resource` block (VPC, subnets, NAT gateways, security
//! groups, ECR, Route 53, CloudFront, KMS, RDS, IAM policies, Kubernetes
//! secrets…). Out: signals for the Repo Map and findings that quote the
//! block's attributes (public subnets, a single NAT gateway, open ingress,
//! wildcard IAM, ECR scanning and tag mutability, CloudFront OAC, ArgoCD
//! repository credentials). Literal values in Kubernetes secrets are
//! recorded as secrets, never as findings.

use super::facts::Acc;
use super::findings::Finding;
use super::hclx::{attr, block, expr, is_true, lit, literal, object_key, to_json, Tf};
use super::secrets::is_secret_data_key;
use super::yaml::Locator;
use hcl::edit::structure::Block;
use serde_json::Value;

pub(crate) fn resource(tf: &Tf, ty: &str, name: &str, b: &Block, acc: &mut Acc) {
    let file = tf.file.rel.as_str();
    let line = tf.block_line(b);
    let body = &b.body;
    let sig =
        |acc: &mut Acc, tag: &'static str, detail: &str| acc.facts.signal(tag, file, line, detail);
    match ty {
        "aws_vpc" => {
            let cidr = lit(body, "cidr_block").unwrap_or_default();
            sig(acc, "vpc", &cidr);
            if let (true, Some(e)) = (cidr.is_empty(), expr(body, "cidr_block")) {
                // `cidr_block = var.x`: post resolves it from the module call.
                let var = e.to_string().strip_prefix("var.").unwrap_or("").to_string();
                sig(acc, "vpc-var", &format!("{name}={var}"));
            } else if let Some(a) = attr(body, "cidr_block") {
                acc.finding(vpc_design(file, tf.attr_line(a), tf.quote(a), &cidr, name));
            }
        }
        "aws_subnet" => {
            if let Some(a) = attr(body, "map_public_ip_on_launch")
                .filter(|_| is_true(body, "map_public_ip_on_launch"))
            {
                sig(acc, "subnet-public", name);
                acc.finding(
                    Finding::new(
                        "public-subnet-auto-ip",
                        file,
                        tf.attr_line(a),
                        format!("subnet `{name}` gives every instance a public IP"),
                    )
                    .value(tf.quote(a))
                    .param("subnet", name)
                    .phrase(name.replace('_', " ")),
                );
            } else {
                sig(
                    acc,
                    if name.contains("public") {
                        "subnet-public"
                    } else {
                        "subnet-private"
                    },
                    name,
                );
            }
        }
        "aws_nat_gateway" => {
            sig(acc, "nat-gateway", name);
            let repeated = attr(body, "count").is_some() || attr(body, "for_each").is_some();
            if !repeated {
                let quote = attr(body, "subnet_id").map_or_else(
                    || format!("resource \"aws_nat_gateway\" \"{name}\""),
                    |a| tf.quote(a),
                );
                acc.finding(single_nat(file, line, quote).param("nat", name));
            }
        }
        "aws_internet_gateway" => sig(acc, "igw", name),
        "aws_vpc_endpoint" => sig(
            acc,
            "vpc-endpoint",
            &lit(body, "service_name").unwrap_or_default(),
        ),
        "aws_security_group"
        | "aws_security_group_rule"
        | "aws_vpc_security_group_ingress_rule" => security_group(tf, ty, name, b, acc),
        "aws_ecr_repository" => ecr(tf, name, b, acc),
        "aws_route53_zone" => sig(acc, "route53-zone", &lit(body, "name").unwrap_or_default()),
        "aws_acm_certificate" => sig(acc, "acm", &lit(body, "domain_name").unwrap_or_default()),
        "aws_cloudfront_origin_access_control" => sig(acc, "oac", name),
        "aws_cloudfront_distribution" => cloudfront(tf, name, b, acc),
        "aws_kms_key" => sig(acc, "kms", name),
        "aws_cloudwatch_metric_alarm" => sig(
            acc,
            "alarm",
            &lit(body, "alarm_name").unwrap_or_else(|| name.into()),
        ),
        "aws_cloudwatch_log_group" => sig(acc, "log-group", name),
        "aws_lb" | "aws_alb" => sig(
            acc,
            "load-balancer",
            &lit(body, "load_balancer_type").unwrap_or_else(|| "application".into()),
        ),
        "aws_lambda_function" => sig(acc, "lambda", name),
        "aws_autoscaling_group" => sig(acc, "asg", name),
        "aws_wafv2_web_acl" => sig(acc, "waf", name),
        "aws_cloudtrail" | "aws_guardduty_detector" | "aws_config_configuration_recorder" => {
            sig(acc, "audit", ty)
        }
        "aws_iam_openid_connect_provider" => {
            let url = lit(body, "url").unwrap_or_default();
            let tag =
                if url.contains("token.actions.githubusercontent.com") || url.contains("gitlab") {
                    "oidc-ci"
                } else {
                    "oidc-provider"
                };
            sig(acc, tag, &url);
        }
        "aws_db_instance" | "aws_rds_cluster" => {
            sig(acc, "rds", name);
            if let Some(a) = attr(body, "multi_az").filter(|_| !is_true(body, "multi_az")) {
                acc.finding(
                    Finding::new(
                        "rds-single-az",
                        file,
                        tf.attr_line(a),
                        format!("database `{name}` runs in a single AZ"),
                    )
                    .value(tf.quote(a))
                    .phrase(name.replace('_', " ")),
                );
            }
        }
        _ => {}
    }
}

pub(crate) fn vpc_design(
    file: &str,
    line: usize,
    quote: String,
    cidr: &str,
    name: &str,
) -> Finding {
    Finding::new(
        "vpc-design",
        file,
        line,
        format!("VPC `{name}` with CIDR {cidr}"),
    )
    .value(quote)
    .param("cidr", cidr)
    .phrase(cidr)
    .phrase(
        cidr.split('/')
            .nth(1)
            .map(|m| format!("slash {m}"))
            .unwrap_or_default(),
    )
}

pub(crate) fn single_nat(file: &str, line: usize, quote: String) -> Finding {
    Finding::new(
        "single-nat-gateway",
        file,
        line,
        "one NAT gateway serves every private subnet",
    )
    .value(quote)
}

fn security_group(tf: &Tf, ty: &str, name: &str, b: &Block, acc: &mut Acc) {
    let file = tf.file.rel.as_str();
    let mut rules: Vec<&Block> = b.body.get_blocks("ingress").collect();
    let is_rule = ty != "aws_security_group";
    if is_rule && lit(&b.body, "type").as_deref().unwrap_or("ingress") == "ingress" {
        rules.push(b);
    }
    for r in rules {
        let cidr_attr = attr(&r.body, "cidr_blocks").or(attr(&r.body, "cidr_ipv4"));
        let Some(a) = cidr_attr else { continue };
        if !tf.quote(a).contains("0.0.0.0/0") {
            continue;
        }
        let port = lit(&r.body, "from_port").unwrap_or_default();
        if matches!(port.as_str(), "80" | "443") {
            continue;
        }
        acc.finding(
            Finding::new(
                "sg-open-ingress",
                file,
                tf.attr_line(a),
                format!("security group `{name}` allows port {port} from anywhere"),
            )
            .value(tf.quote(a))
            .value(format!("from_port = {port}"))
            .param("port", port.as_str())
            .param("group", name)
            .phrase(format!("port {port}")),
        );
    }
}

fn ecr(tf: &Tf, name: &str, b: &Block, acc: &mut Acc) {
    let file = tf.file.rel.as_str();
    let repo = lit(&b.body, "name").unwrap_or_else(|| name.into());
    acc.facts.signal("ecr-repo", file, tf.block_line(b), &repo);
    if let Some(scan) = block(&b.body, "image_scanning_configuration") {
        if let Some(a) =
            attr(&scan.body, "scan_on_push").filter(|_| is_true(&scan.body, "scan_on_push"))
        {
            acc.facts.signal("ecr-scan", file, tf.attr_line(a), &repo);
            acc.finding(
                Finding::new(
                    "ecr-scan-on-push",
                    file,
                    tf.attr_line(a),
                    format!("ECR repository `{repo}` scans images on push"),
                )
                .value(tf.quote(a))
                .param("repo", repo.as_str())
                .phrase(&repo),
            );
        }
    }
    if let Some(a) = attr(&b.body, "image_tag_mutability") {
        let m = lit(&b.body, "image_tag_mutability").unwrap_or_default();
        if m == "MUTABLE" {
            acc.finding(
                Finding::new(
                    "ecr-mutable-tags",
                    file,
                    tf.attr_line(a),
                    format!("ECR repository `{repo}` allows tags to be overwritten"),
                )
                .value(tf.quote(a))
                .param("repo", repo.as_str())
                .phrase(&repo),
            );
        }
    }
}

fn cloudfront(tf: &Tf, name: &str, b: &Block, acc: &mut Acc) {
    let file = tf.file.rel.as_str();
    let mut kinds = Vec::new();
    let mut oac_line = None;
    for o in b.body.get_blocks("origin") {
        if let Some(a) = attr(&o.body, "origin_access_control_id") {
            kinds.push("S3 OAC");
            oac_line.get_or_insert((tf.attr_line(a), tf.quote(a)));
        } else if block(&o.body, "s3_origin_config").is_some() {
            kinds.push("S3 OAI");
        } else if block(&o.body, "custom_origin_config").is_some() {
            kinds.push("custom origin");
        }
    }
    kinds.dedup();
    acc.facts
        .signal("cloudfront", file, tf.block_line(b), &kinds.join(" + "));
    if let Some((line, quote)) = oac_line {
        acc.finding(
            Finding::new("cloudfront-oac", file, line, format!("CloudFront distribution `{name}` reads its S3 origin through Origin Access Control"))
                .value(quote)
                .param("origins", kinds.join(" + "))
                .phrase(name),
        );
    }
}

/// Wildcard actions on wildcard resources, in `jsonencode` policies and in
/// `aws_iam_policy_document` statements.
pub(crate) fn iam_policy(tf: &Tf, name: &str, b: &Block, data: bool, acc: &mut Acc) {
    let file = tf.file.rel.as_str();
    let mut statements: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    let list = |v: Option<&Value>| -> Vec<String> {
        match v {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect(),
            _ => vec![],
        }
    };
    if data {
        for st in b.body.get_blocks("statement") {
            let get = |k| expr(&st.body, k).map(|e| to_json(&e));
            statements.push((
                list(get("actions").as_ref()),
                list(get("resources").as_ref()),
            ));
        }
    } else if let Some(p) = expr(&b.body, "policy") {
        let v = to_json(&p);
        let sts = match v.get("Statement") {
            Some(Value::Array(a)) => a.clone(),
            Some(o @ Value::Object(_)) => vec![o.clone()],
            _ => vec![],
        };
        for st in sts {
            statements.push((list(st.get("Action")), list(st.get("Resource"))));
        }
    }
    for (actions, resources) in statements {
        let wild = actions.iter().find(|a| *a == "*" || a.ends_with(":*"));
        if let (Some(action), true) = (wild, resources.iter().any(|r| r == "*")) {
            let loc = Locator::new(tf.src, tf.block_line(b), tf.block_end(b));
            let line = loc
                .find(tf.block_line(b), &format!("\"{action}\""))
                .unwrap_or(tf.block_line(b));
            acc.finding(
                Finding::new(
                    "iam-wildcard",
                    file,
                    line,
                    format!("IAM policy `{name}` allows `{action}` on every resource"),
                )
                .value(format!("Action = \"{action}\""))
                .value("Resource = \"*\"")
                .param("action", action.as_str())
                .param("policy", name)
                .phrase(action),
            );
            return;
        }
    }
}

/// `kubernetes_secret`: ArgoCD repository credentials, and literal data.
pub(crate) fn k8s_secret(tf: &Tf, name: &str, b: &Block, acc: &mut Acc) {
    let file = tf.file.rel.as_str();
    let labels = block(&b.body, "metadata")
        .and_then(|m| expr(&m.body, "labels"))
        .map(|e| to_json(&e))
        .unwrap_or_default();
    let repo = labels
        .get("argocd.argoproj.io/secret-type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.starts_with("repo"));
    let Some(a) = attr(&b.body, "data") else {
        return;
    };
    let Some(hcl::Expression::Object(data)) = expr(&b.body, "data") else {
        return;
    };
    let loc = Locator::new(tf.src, tf.attr_line(a), tf.block_end(b));
    for (k, v) in data {
        let key = object_key(&k);
        let line = loc.key(&[key.as_str()]);
        if let Some(s) = literal(&v).filter(|s| !s.contains("${") && is_secret_data_key(&key)) {
            acc.secret(file, line, "kubernetes-secret-data", &key, &s);
            continue;
        }
        if repo && key == "sshPrivateKey" {
            acc.facts.signal("argocd-repo-creds", file, line, name);
            acc.finding(
                Finding::new(
                    "argocd-ssh-key",
                    file,
                    line,
                    "ArgoCD's Git repository SSH key is injected from Terraform state",
                )
                .value(format!("sshPrivateKey = {v}"))
                .param("secret", name)
                .phrase(name)
                .phrase(v.to_string().split('.').nth(2).unwrap_or("")),
            );
        }
    }
}
