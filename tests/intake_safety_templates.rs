//! Repo intake's safety rules hold for Helm templates: values are read
//! only from files the walk kept, secrets a template renders are redacted,
//! size limits hold, and hostile templating neither panics nor runs away.

#[path = "intake_shared.rs"]
mod shared;

use mockint::intake::{self, Options, RepoReport};
use shared::{every_output, skipped, write};
use std::path::Path;
use std::time::{Duration, Instant};

fn scan(root: &Path) -> RepoReport {
    intake::scan(root, &Options::default()).expect("scan")
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
