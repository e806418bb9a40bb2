//! Terraform (HCL) files: the structure of a configuration.
//!
//! In: one `.tf` or `.tfvars` file. Parsed with `hcl-rs`'s span-keeping
//! parser (`hcl::edit`), so every block and attribute knows its line and its
//! source text. Out: resources, modules, backends, providers and Helm
//! releases in the facts; backend locking, provider pinning and module
//! findings here; per-resource findings in `tf_rules`, `tf_net` and `tf_modules`;
//! syntax-tree helpers in `hclx`. Invalid HCL is
//! reported as skipped with the line and column, never the offending text.

use super::facts::{Acc, TfBackend, TfModule, TfResource};
use super::findings::Finding;
use super::hclx::{attr, block, expr, is_true, labels, lit, literal, to_json, Tf};
use super::walk::{Kind, RepoFile};
use super::{tf_modules, tf_rules};
use hcl::edit::structure::{Block, Body, Structure};
use hcl::Expression;
use serde_json::Value;

/// Parses one Terraform file; returns whether it parsed.
pub(crate) fn parse(file: &RepoFile, text: &str, acc: &mut Acc) -> bool {
    let body = match hcl::edit::parser::parse_body(text) {
        Ok(b) => b,
        Err(e) => {
            let loc = e.location();
            acc.skip(
                &file.rel,
                format!(
                    "invalid HCL at line {}, column {}: {}",
                    loc.line(),
                    loc.column(),
                    e.message()
                ),
            );
            return false;
        }
    };
    if file.kind == Kind::TfVars {
        acc.facts.signal("tfvars", &file.rel, 1, "");
        return true;
    }
    acc.facts.tf_files.push(file.rel.clone());
    let tf = Tf::new(file, text);
    for s in body.iter() {
        let Structure::Block(b) = s else { continue };
        let l = labels(b);
        match (b.ident.as_str(), l.as_slice()) {
            ("terraform", _) => terraform_block(&tf, b, acc),
            ("resource" | "data", [ty, name, ..]) => {
                acc.facts.tf_resources.push(TfResource {
                    ty: ty.clone(),
                    file: file.rel.clone(),
                    dir: file.dir().into(),
                    line: tf.block_line(b),
                    data: b.ident.as_str() == "data",
                    repeat: repeat(&b.body),
                });
                tf_rules::resource(&tf, ty, name, b, b.ident.as_str() == "data", acc);
            }
            ("module", [name, ..]) => module_block(&tf, name, b, acc),
            ("variable", [name, ..]) => {
                let line = tf.block_line(b);
                acc.facts.signal("tf-variable", &file.rel, line, name);
                if let Some(Expression::Array(items)) = expr(&b.body, "default") {
                    acc.facts.signal(
                        "tf-var-len",
                        &file.rel,
                        line,
                        &format!("{name}={}", items.len()),
                    );
                }
            }
            _ => {}
        }
    }
    true
}

/// `count = 2` → "2"; `for_each = toset(var.x)` → "var:x"; unknown → "?".
fn repeat(body: &Body) -> Option<String> {
    fn of(e: &Expression) -> String {
        match e {
            Expression::Number(n) => n.to_string(),
            Expression::Array(a) => a.len().to_string(),
            Expression::Object(o) => o.len().to_string(),
            Expression::FuncCall(f)
                if f.args.len() == 1
                    && matches!(
                        f.name.name.as_str(),
                        "toset" | "length" | "tolist" | "tomap"
                    ) =>
            {
                of(&f.args[0])
            }
            Expression::Traversal(t) => match (&t.expr, t.operators.as_slice()) {
                (Expression::Variable(v), [hcl::expr::TraversalOperator::GetAttr(name)])
                    if v.as_str() == "var" =>
                {
                    format!("var:{name}")
                }
                _ => "?".into(),
            },
            _ => "?".into(),
        }
    }
    expr(body, "count")
        .or_else(|| expr(body, "for_each"))
        .map(|e| of(&e))
}

fn terraform_block(tf: &Tf, b: &Block, acc: &mut Acc) {
    let file = &tf.file.rel;
    let mut pins = Finding::new(
        "tf-version-pins",
        file,
        tf.block_line(b),
        "Terraform and provider versions are pinned",
    );
    let mut unpinned = Vec::new();
    if let Some(a) = attr(&b.body, "required_version") {
        pins = pins.value(tf.quote(a)).param(
            "required_version",
            lit(&b.body, "required_version").unwrap_or_default(),
        );
    }
    if let Some(rp) = block(&b.body, "required_providers") {
        for a in rp.body.attributes() {
            let v = to_json(&a.value.clone().into());
            let name = a.key.as_str();
            match v.get("version").and_then(Value::as_str) {
                Some(ver) => {
                    pins = pins.value(format!("{name} = \"{ver}\"")).phrase(name);
                    acc.facts.signal(
                        "tf-provider",
                        file,
                        tf.attr_line(a),
                        &format!("{name} {ver}"),
                    );
                }
                None => unpinned.push((name.to_string(), tf.attr_line(a))),
            }
        }
    }
    if !pins.values.is_empty() {
        acc.finding(pins);
    }
    for (name, line) in unpinned {
        acc.finding(
            Finding::new(
                "tf-provider-unpinned",
                file,
                line,
                format!("provider `{name}` has no version constraint"),
            )
            .value(format!("{name} = {{ source = … }}"))
            .param("provider", name.as_str())
            .phrase(&name),
        );
    }
    for backend in b.body.get_blocks("backend") {
        let ty = labels(backend).first().cloned().unwrap_or_default();
        let line = tf.block_line(backend);
        acc.facts.tf_backends.push(TfBackend {
            ty: ty.clone(),
            file: file.clone(),
            dir: tf.file.dir().into(),
            line,
        });
        backend_finding(tf, &ty, backend, acc);
    }
}

fn backend_finding(tf: &Tf, ty: &str, b: &Block, acc: &mut Acc) {
    if ty != "s3" {
        return;
    }
    let body = &b.body;
    let file = &tf.file.rel;
    let line = tf.block_line(b);
    let bucket = lit(body, "bucket").unwrap_or_default();
    let mut head = vec!["backend \"s3\"".to_string()];
    head.extend(attr(body, "bucket").map(|a| tf.quote(a)));
    let f = if let Some(a) = attr(body, "use_lockfile").filter(|_| is_true(body, "use_lockfile")) {
        Finding::new(
            "tf-backend-s3-native-lock",
            file,
            tf.attr_line(a),
            "S3 backend with S3 native state locking",
        )
        .values(head)
        .value(tf.quote(a))
    } else if let Some(a) = attr(body, "dynamodb_table") {
        let table = lit(body, "dynamodb_table").unwrap_or_default();
        Finding::new(
            "tf-backend-s3-dynamodb",
            file,
            tf.attr_line(a),
            "S3 backend locked with a DynamoDB table",
        )
        .values(head)
        .value(tf.quote(a))
        .param("table", table.as_str())
        .phrase(&table)
    } else {
        Finding::new(
            "tf-backend-s3-no-lock",
            file,
            line,
            "S3 backend without state locking",
        )
        .values(head)
    };
    let f = f
        .param("bucket", bucket.as_str())
        .phrase(&bucket)
        .phrase(tf.file.name());
    acc.finding(f);
}

fn module_block(tf: &Tf, name: &str, b: &Block, acc: &mut Acc) {
    let body = &b.body;
    let source = lit(body, "source").unwrap_or_default();
    let version = lit(body, "version");
    let line = tf.block_line(b);
    let args = body
        .attributes()
        .filter_map(|a| {
            let v = literal(&a.value.clone().into())?;
            Some((a.key.as_str().to_string(), v, tf.attr_line(a), tf.quote(a)))
        })
        .collect();
    acc.facts.tf_modules.push(TfModule {
        name: name.into(),
        source: source.clone(),
        file: tf.file.rel.clone(),
        dir: tf.file.dir().into(),
        line,
        args,
    });
    let local = source.starts_with("./") || source.starts_with("../");
    if !local && version.is_none() && !source.contains("?ref=") && !source.is_empty() {
        acc.finding(
            Finding::new(
                "tf-module-unpinned",
                &tf.file.rel,
                line,
                format!("module `{name}` from `{source}` has no version"),
            )
            .value(format!("source = \"{source}\""))
            .param("module", name)
            .phrase(name),
        );
    }
    tf_modules::registry_module(tf, name, &source, b, acc);
}
