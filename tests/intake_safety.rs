//! Repo intake's safety rules, on repositories built at test time: planted
//! secrets never reach text or JSON output (library or CLI); nothing outside
//! PATH is read (symlinks are not followed, loops do not hang); `.gitignore`
//! is respected; binaries, oversized, invalid and unreadable files are
//! skipped with a reason, never a crash; a bad PATH is one line and exit 2.

use assert_cmd::Command;
use mockint::intake::{self, Options, RepoReport};
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn scan(root: &Path) -> RepoReport {
    intake::scan(root, &Options::default()).expect("scan")
}

fn skipped<'a>(r: &'a RepoReport, path: &str) -> Option<&'a str> {
    r.skipped
        .iter()
        .find(|s| s.path == path)
        .map(|s| s.reason.as_str())
}

/// Everything the report can print: text, JSON, questions.
fn every_output(r: &RepoReport) -> String {
    let qs: Vec<_> = r
        .availability
        .iter()
        .map(|a| intake::questions(r, &a.round))
        .collect();
    format!(
        "{}\n{}\n{}",
        intake::render_text(r),
        serde_json::to_string(r).unwrap(),
        serde_json::to_string(&qs).unwrap()
    )
}

const PLANTED: &[&str] = &[
    "Xq9-planted-tfvars-S3cret",
    "planted-env-token-7731ab",
    "AKIAQ7PLANTEDKEY0001",
    "cGxhbnRlZC1rOHMtc2VjcmV0LXZhbHVl",
    "planted-stringdata-pw-99",
    "MIIEplantedPrivateKeyBody0000",
    "ghp_plantedGithubToken0123456789abcdefghij",
    "planted-compose-pw-42",
    "planted-env-literal-5",
    "planted-broken-hcl-pw",
    "planted-docker-pw-1",
    "planted-tf-secret-string",
];

fn plant_secrets(root: &Path) {
    write(
        root,
        "terraform.tfvars",
        "region = \"eu-west-1\"\ndb_password = \"Xq9-planted-tfvars-S3cret\"\n",
    );
    write(
        root,
        ".env",
        "PORT=8000\nAPI_TOKEN=planted-env-token-7731ab\n",
    );
    write(
        root,
        "notes/aws.txt",
        "temporary key AKIAQ7PLANTEDKEY0001 do not commit\n",
    );
    write(
        root,
        "k8s/secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: cGxhbnRlZC1rOHMtc2VjcmV0LXZhbHVl\nstringData:\n  admin-password: planted-stringdata-pw-99\n",
    );
    write(
        root,
        "keys/deploy_key",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nMIIEplantedPrivateKeyBody0000\n-----END OPENSSH PRIVATE KEY-----\n",
    );
    write(
        root,
        "scripts/release.sh",
        "#!/bin/sh\nGH=ghp_plantedGithubToken0123456789abcdefghij\n",
    );
    write(
        root,
        "docker-compose.yaml",
        "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: planted-compose-pw-42\n",
    );
    write(
        root,
        "k8s/app.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: app:1.0\n          env:\n            - name: DB_PASSWORD\n              value: planted-env-literal-5\n",
    );
    write(
        root,
        "broken.tf",
        "resource \"x\" \"y\" {\n  password = \"planted-broken-hcl-pw\" {{{\n",
    );
    write(
        root,
        "Dockerfile",
        "FROM alpine:3.20\nENV DB_PASSWORD=planted-docker-pw-1\nUSER nobody\n",
    );
    write(
        root,
        "secrets.tf",
        "resource \"aws_secretsmanager_secret_version\" \"db\" {\n  secret_id     = \"db\"\n  secret_string = \"planted-tf-secret-string\"\n}\n",
    );
}

#[test]
fn planted_secrets_never_appear_in_output() {
    let dir = tempfile::tempdir().unwrap();
    plant_secrets(dir.path());
    let r = scan(dir.path());
    let out = every_output(&r);
    for s in PLANTED {
        assert!(!out.contains(s), "secret {s} leaked:\n{out}");
    }
    for (file, line) in [
        ("terraform.tfvars", 2),
        (".env", 2),
        ("notes/aws.txt", 1),
        ("k8s/secret.yaml", 6),
        ("k8s/secret.yaml", 8),
        ("keys/deploy_key", 1),
        ("scripts/release.sh", 2),
        ("docker-compose.yaml", 5),
        ("k8s/app.yaml", 13),
        ("broken.tf", 2),
        ("Dockerfile", 2),
        ("secrets.tf", 3),
    ] {
        assert!(
            r.secrets
                .iter()
                .any(|s| s.file == file && s.line == line && s.value == "[REDACTED]"),
            "no secret reported at {file}:{line}: {:#?}",
            r.secrets
        );
        assert!(
            out.contains(&format!("`{file}:{line}`")),
            "text output lacks {file}:{line}"
        );
    }
    assert!(out.contains("[REDACTED]"));
    assert!(skipped(&r, "broken.tf").is_some_and(|s| s.starts_with("invalid HCL at line 2")));

    let cli = |args: &[&str]| {
        let a = Command::cargo_bin("mockint")
            .unwrap()
            .arg("intake")
            .arg(dir.path())
            .args(args)
            .assert()
            .success();
        String::from_utf8(a.get_output().stdout.clone()).unwrap()
    };
    for out in [
        cli(&[]),
        cli(&["--json", "--questions"]),
        cli(&["--questions"]),
    ] {
        for s in PLANTED {
            assert!(!out.contains(s), "CLI leaked {s}");
        }
        assert!(out.contains("[REDACTED]"));
    }
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_and_loops_do_not_hang() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let outside = dir.path().join("outside");
    write(
        &outside,
        "main.tf",
        "resource \"aws_s3_bucket\" \"outside_marker_bucket\" {}\n",
    );
    write(&outside, "creds.env", "API_TOKEN=planted-outside-token-1\n");
    write(
        &repo,
        "main.tf",
        "resource \"aws_vpc\" \"inside\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n",
    );
    symlink(outside.join("main.tf"), repo.join("linked.tf")).unwrap();
    symlink(outside.join("creds.env"), repo.join(".env")).unwrap();
    symlink(&outside, repo.join("ext")).unwrap();
    symlink(repo.join("loop"), repo.join("loop")).unwrap();
    symlink(repo.join("b"), repo.join("a")).unwrap();
    symlink(repo.join("a"), repo.join("b")).unwrap();
    symlink(&repo, repo.join("self")).unwrap();
    symlink(repo.join("main.tf"), repo.join("alias.tf")).unwrap();

    let start = Instant::now();
    let r = scan(&repo);
    assert!(start.elapsed() < Duration::from_secs(10));
    let out = every_output(&r);
    assert!(
        !out.contains("outside_marker_bucket") && !out.contains("planted-outside-token-1"),
        "{out}"
    );
    for link in ["linked.tf", ".env", "ext"] {
        assert_eq!(
            skipped(&r, link),
            Some("symlink points outside the repository, not followed"),
            "{link}"
        );
    }
    for link in ["loop", "a", "b"] {
        assert_eq!(
            skipped(&r, link),
            Some("symlink loop or dangling symlink, not followed"),
            "{link}"
        );
    }
    assert!(skipped(&r, "self").is_some_and(|s| s.contains("inside the repository")));
    assert!(skipped(&r, "alias.tf").is_some_and(|s| s.contains("inside the repository")));
    assert_eq!(r.stats.files_seen, 1, "only main.tf is a regular file");

    // A symlink as PATH itself is resolved once; its contents are read in place.
    let via = dir.path().join("via");
    symlink(&repo, &via).unwrap();
    assert_eq!(scan(&via).stats.files_seen, 1);
}

#[test]
fn gitignored_files_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".gitignore", "ignored/\n*.secret.tfvars\n");
    write(
        root,
        "ignored/main.tf",
        "resource \"aws_s3_bucket\" \"ignored_marker\" {}\n",
    );
    write(
        root,
        "prod.secret.tfvars",
        "db_password = \"planted-ignored-pw-3\"\n",
    );
    write(
        root,
        "main.tf",
        "resource \"aws_vpc\" \"kept\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n",
    );
    let r = scan(root);
    let out = every_output(&r);
    assert!(
        !out.contains("ignored_marker")
            && !out.contains("planted-ignored-pw-3")
            && !out.contains("prod.secret")
    );
    assert!(r.secrets.is_empty());
    assert_eq!(r.stats.files_seen, 2, ".gitignore and main.tf");
}

#[test]
fn broken_inputs_are_skipped_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "ok.tf",
        "resource \"aws_vpc\" \"ok\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n",
    );
    write(
        root,
        "bad.tf",
        "resource \"aws_vpc\" \"bad\" {\n  cidr_block = \n",
    );
    write(
        root,
        "tabs.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tabbed\n",
    );
    fs::write(
        root.join("binary.tf"),
        [0x7f, b'E', b'L', b'F', 0, 0, 1, 2, 0, 0xff],
    )
    .unwrap();
    fs::write(root.join("huge.tf"), "# padding\n".repeat(120_000)).unwrap();
    fs::write(root.join("latin1.yaml"), b"name: caf\xe9\n").unwrap();
    write(root, "Jenkinsfile", "node { echo 'no stages here' }\n");
    write(root, "Dockerfile", "FROM\n");
    write(root, "locked.tf", "resource \"aws_vpc\" \"locked\" {}\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(root.join("locked.tf"), fs::Permissions::from_mode(0o000)).unwrap();
        let _ = std::process::Command::new("mkfifo")
            .arg(root.join("pipe.tf"))
            .status();
    }
    let start = Instant::now();
    let r = intake::scan(
        root,
        &Options {
            max_file_bytes: 1024 * 1024,
            threads: 2,
        },
    )
    .unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "a FIFO must not block the scan"
    );
    let reason =
        |p: &str| skipped(&r, p).unwrap_or_else(|| panic!("{p} not skipped: {:#?}", r.skipped));
    assert!(
        reason("bad.tf").starts_with("invalid HCL at line 2"),
        "{}",
        reason("bad.tf")
    );
    assert!(
        reason("tabs.yaml").starts_with("invalid YAML at line 4"),
        "{}",
        reason("tabs.yaml")
    );
    assert_eq!(reason("binary.tf"), "binary content (NUL bytes)");
    assert!(reason("huge.tf").contains("over the 1048576-byte size limit"));
    assert_eq!(reason("latin1.yaml"), "not valid UTF-8 text");
    assert!(reason("Jenkinsfile").contains("without stage"));
    assert!(reason("Dockerfile").starts_with("invalid Dockerfile syntax"));
    #[cfg(unix)]
    {
        if root.join("pipe.tf").exists() {
            assert_eq!(
                reason("pipe.tf"),
                "not a regular file (device, socket or pipe)"
            );
        }
        // Root reads anything; otherwise the file is unreadable.
        if fs::read(root.join("locked.tf")).is_err() {
            assert_eq!(reason("locked.tf"), "unreadable: permission denied");
        }
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(root.join("locked.tf"), fs::Permissions::from_mode(0o644)).unwrap();
    }
    assert!(
        r.layers.iter().any(|l| l.layer.starts_with("Terraform")),
        "ok.tf is still mapped"
    );
}

#[test]
fn bad_path_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-repo");
    let a = Command::cargo_bin("mockint")
        .unwrap()
        .arg("intake")
        .arg(&missing)
        .assert()
        .code(2);
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: intake: repository path")
            && err.contains("no-such-repo")
            && err.contains("does not exist"),
        "{err}"
    );

    let file = dir.path().join("main.tf");
    fs::write(&file, "").unwrap();
    let a = Command::cargo_bin("mockint")
        .unwrap()
        .arg("intake")
        .arg(&file)
        .assert()
        .code(2);
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("main.tf") && err.contains("is not a directory"),
        "{err}"
    );

    let a = Command::cargo_bin("mockint")
        .unwrap()
        .args(["intake", "--round", "nope"])
        .arg(dir.path())
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("unknown round `nope`"));
}

/// Helm templates keep every rule: values are read only from files the walk
/// kept (a symlinked values.yaml is not followed), secrets a template pulls
/// from values are redacted, size limits hold for values and templates, and
/// hostile templating neither panics nor runs away.
#[cfg(unix)]
#[test]
fn helm_templates_keep_the_safety_rules() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let outside = dir.path().join("outside");
    write(
        &outside,
        "values.yaml",
        "image:\n  tag: planted-outside-tag-31\n",
    );
    write(
        &outside,
        "tpl.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside-marker-cm\n",
    );
    // A chart whose values pull a password into a Secret and an env var.
    write(
        &repo,
        "charts/app/Chart.yaml",
        "name: app\nversion: 0.1.0\n",
    );
    write(
        &repo,
        "charts/app/values.yaml",
        "db:\n  password: planted-helm-values-pw-77\nimage:\n  tag: \"1.0\"\n",
    );
    write(
        &repo,
        "charts/app/templates/secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Chart.Name }}-db\nstringData:\n  password: {{ .Values.db.password | quote }}\n",
    );
    write(
        &repo,
        "charts/app/templates/deploy.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: \"app:{{ .Values.image.tag }}\"\n          env:\n            - name: DB_PASSWORD\n              value: {{ .Values.db.password }}\n",
    );
    // A chart whose values.yaml is a link out of the repository.
    write(
        &repo,
        "charts/linked/Chart.yaml",
        "name: linked\nversion: 0.1.0\n",
    );
    symlink(
        outside.join("values.yaml"),
        repo.join("charts/linked/values.yaml"),
    )
    .unwrap();
    write(
        &repo,
        "charts/linked/templates/deploy.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: linked\nspec:\n  template:\n    spec:\n      containers:\n        - name: linked\n          image: \"linked:{{ .Values.image.tag }}\"\n",
    );
    symlink(
        outside.join("tpl.yaml"),
        repo.join("charts/linked/templates/outside.yaml"),
    )
    .unwrap();
    // Hostile templating: unclosed actions, unbalanced ends, deep nesting
    // and a range over a long list.
    write(
        &repo,
        "charts/wild/Chart.yaml",
        "name: wild\nversion: 0.1.0\n",
    );
    let items: String = (0..5000).map(|i| format!("  - n{i}\n")).collect();
    write(
        &repo,
        "charts/wild/values.yaml",
        &format!("items:\n{items}"),
    );
    let deep = "{{ if .Values.x }}\n".repeat(20_000);
    write(
        &repo,
        "charts/wild/templates/deep.yaml",
        &format!("{deep}kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: deep\n"),
    );
    write(
        &repo,
        "charts/wild/templates/broken.yaml",
        "{{- end }}\n{{ else }}\nkind: ConfigMap\napiVersion: v1\nmetadata:\n  name: {{ \"unclosed\n",
    );
    write(
        &repo,
        "charts/wild/templates/many.yaml",
        "{{- range .Values.items }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ . }}\n{{- end }}\n",
    );

    let start = Instant::now();
    let r = scan(&repo);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    let out = every_output(&r);
    for planted in [
        "planted-helm-values-pw-77",
        "planted-outside-tag-31",
        "outside-marker-cm",
    ] {
        assert!(!out.contains(planted), "{planted} leaked:\n{out}");
    }
    assert!(
        r.secrets.iter().any(|s| s.file == "charts/app/values.yaml"),
        "{:?}",
        r.secrets
    );
    assert_eq!(
        skipped(&r, "charts/linked/values.yaml"),
        Some("symlink points outside the repository, not followed")
    );
    assert!(skipped(&r, "charts/linked/templates/outside.yaml").is_some());
    // Values that are known render; the linked chart's stay as written.
    assert!(out.contains("app:1.0"), "{out}");
    assert!(out.contains("linked:{{ .Values.image.tag }}"), "{out}");
    // A range over 5,000 values renders at most 50 of them.
    let k8s = r.layers.iter().find(|l| l.layer == "Kubernetes").unwrap();
    let maps: usize = k8s
        .artifacts
        .split(" ConfigMap")
        .next()
        .and_then(|s| s.rsplit(['(', ' ']).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!((50..=52).contains(&maps), "{}", k8s.artifacts);

    // Size limits hold for templates and for the values they read.
    let small = intake::scan(
        &repo,
        &Options {
            max_file_bytes: 300,
            ..Options::default()
        },
    )
    .unwrap();
    assert!(skipped(&small, "charts/wild/templates/deep.yaml")
        .is_some_and(|s| s.contains("size limit")));
    let small_out = every_output(&small);
    assert!(!small_out.contains("planted-helm-values-pw-77"));
}
