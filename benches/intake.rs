//! Benchmark: repo intake over a generated tree of 100,000 files.
//!
//! Generates a repository-shaped tree in a temporary directory (Terraform,
//! Kubernetes YAML, Helm values, Dockerfiles, scripts, docs, Python and
//! plain source files, plus a `.gitignore`d cache directory), then times
//! `intake::scan` on it, cold and warm, and prints the figures. The issue's
//! target is 10 s on the project's 2-core machine.
//!
//! Run: `cargo bench --bench intake` (`-- 20000` for a smaller tree).

use mockint::intake::{self, Options};
use std::fs;
use std::path::Path;
use std::time::Instant;

const TF: &str = r#"resource "aws_s3_bucket" "b" {
  bucket = "bench-bucket"
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_instance" "web" {
  count         = 2
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}
"#;

const YAML: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
            limits:
              memory: 128Mi
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
"#;

const DOCKERFILE: &str = "FROM python:3.12-slim AS build\nRUN pip install app\nFROM python:3.12-slim\nUSER app\nCMD [\"app\"]\n";
const SHELL: &str = "#!/usr/bin/env bash\nset -euo pipefail\nterraform plan\n";
const MD: &str = "# Notes\n\nSome planning text about the service.\n";
const PY: &str = "import os\n\n\ndef main():\n    print(os.environ.get('HOME'))\n";
const SRC: &str = "package main\n\nfunc main() {\n\tprintln(\"hello\")\n}\n";

fn generate(root: &Path, files: usize) {
    fs::write(root.join(".gitignore"), "cache/\n").unwrap();
    let per_dir = 100;
    for i in 0..files {
        let dir = root.join(format!(
            "svc{:03}/part{:02}",
            i / (per_dir * 10),
            (i / per_dir) % 10
        ));
        if i % per_dir == 0 {
            fs::create_dir_all(&dir).unwrap();
        }
        let (name, text) = match i % 20 {
            0..=3 => (format!("res{i}.tf"), TF),
            4..=7 => (format!("deploy{i}.yaml"), YAML),
            8 => (format!("Dockerfile.{i}"), DOCKERFILE),
            9 => (format!("run{i}.sh"), SHELL),
            10..=11 => (format!("doc{i}.md"), MD),
            12..=13 => (format!("tool{i}.py"), PY),
            _ => (format!("main{i}.go"), SRC),
        };
        fs::write(dir.join(name), text).unwrap();
    }
    let cache = root.join("cache");
    fs::create_dir_all(&cache).unwrap();
    for i in 0..1000 {
        fs::write(cache.join(format!("blob{i}.tf")), TF).unwrap();
    }
}

fn main() {
    if std::env::var_os("RUST_LOG").is_some() {
        mockint::cli::init_tracing();
    }
    let files: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let t = Instant::now();
    generate(dir.path(), files);
    println!(
        "generated {files} files in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    for run in ["first", "second"] {
        let t = Instant::now();
        let report = intake::scan(dir.path(), &Options::default()).expect("scan");
        let secs = t.elapsed().as_secs_f64();
        println!(
            "intake ({run} run): {} files seen, {} read, {} parsed, {} findings in {secs:.2} s ({:.1} µs/file, {} threads)",
            report.stats.files_seen,
            report.stats.files_read,
            report.stats.files_parsed,
            report.findings.len(),
            secs * 1e6 / report.stats.files_seen.max(1) as f64,
            std::thread::available_parallelism().map_or(1, |n| n.get()),
        );
        assert_eq!(
            report.stats.files_seen,
            files + 1,
            "the .gitignored cache is not walked"
        );
    }
}
