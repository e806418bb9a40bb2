//! Repo intake on GitOps repositories and monorepos: an app-of-apps whose
//! Applications live in Helm templates, Argo CD hooks and sync waves with a
//! Helm-hooked chart, Argo Rollouts (blue-green and canary), and a
//! generated monorepo of 100 similar Terraform roots whose map stays
//! readable. Golden files (insta) for each; the Go templating keeps file
//! and line numbers and every question quotes real text.

#[path = "intake_shared.rs"]
mod shared;

use mockint::intake::{self, Options, RepoReport, Status};
use shared::{all_questions, assert_quotes_are_real, fixture, scan};
use std::fs;
use std::path::Path;

fn golden(name: &str) -> RepoReport {
    let r = scan(name);
    let qs = all_questions(&r);
    insta::assert_snapshot!(format!("{name}-map"), intake::render_text(&r));
    insta::assert_yaml_snapshot!(format!("{name}-questions"), qs);
    assert_quotes_are_real(&fixture(name), &qs);
    r
}

fn finding<'a>(r: &'a RepoReport, kind: &str) -> &'a intake::Finding {
    r.findings
        .iter()
        .find(|f| f.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} finding in {:#?}", r.findings))
}

fn question_ids(r: &RepoReport, round: &str) -> Vec<String> {
    intake::questions(r, round)
        .into_iter()
        .map(|q| q.id)
        .collect()
}

/// Line (1-based) of the first line of `file` containing `needle`.
fn line_of(repo: &str, file: &str, needle: &str) -> usize {
    let text = fs::read_to_string(fixture(repo).join(file)).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn app_of_apps_in_helm_templates() {
    let r = golden("gitops-app-of-apps");
    let text = intake::render_text(&r);
    let argo = r.round("argocd").unwrap();
    assert_eq!(argo.status, Status::Available, "{}", argo.reason);
    assert!(argo.reason.contains("Applications in Helm templates"));
    assert!(argo.reason.contains("ApplicationSets"));
    // The root Application deploys the three rendered from values.
    let aoa = finding(&r, "argocd-app-of-apps");
    assert!(
        aoa.summary.contains("`root` deploys 3 child Applications"),
        "{}",
        aoa.summary
    );
    // Disabled in values.yaml: not rendered.
    assert!(!text.contains("previews"), "{text}");
    // Findings from templates keep their file and line, and say so.
    let heal = finding(&r, "argocd-selfheal-prune");
    let file = "apps/templates/applications.yaml";
    let from_tpl: Vec<_> = r.findings.iter().filter(|f| f.file == file).collect();
    assert!(from_tpl.iter().all(|f| f.template == Some("Helm template")));
    assert!(r.findings.iter().any(|f| f.file == file
        && f.kind == "argocd-selfheal-prune"
        && f.line == line_of("gitops-app-of-apps", file, "selfHeal: true")));
    assert_eq!(heal.file, "bootstrap/root.yaml");
    let opts = r
        .findings
        .iter()
        .find(|f| f.kind == "argocd-sync-options" && f.file == file)
        .unwrap();
    assert_eq!(
        opts.line,
        line_of("gitops-app-of-apps", file, "syncOptions:")
    );
    // Values feed the templates: the image tag defaults to appVersion.
    let vals = finding(&r, "helm-template-values");
    assert_eq!(
        vals.params["rendered"],
        "registry.example.org/storefront/web:2.8.1"
    );
    let appset = finding(&r, "argocd-applicationset");
    assert!(
        appset.summary.contains("git directories"),
        "{}",
        appset.summary
    );
    assert_eq!(
        appset.params["template_name"],
        "platform-{{ .path.basename }}"
    );
    assert!(
        r.skipped.iter().all(|s| !s.path.contains("templates/")),
        "{:?}",
        r.skipped
    );
    assert!(text.contains("(from a Helm template)"), "{text}");
    for id in ["repo-argo-applicationset", "repo-argo-sync-options"] {
        assert!(question_ids(&r, "argocd").contains(&id.to_string()), "{id}");
    }
    assert!(question_ids(&r, "helm").contains(&"repo-helm-template-render".to_string()));
}

#[test]
fn hooks_waves_and_helm_hooks() {
    let r = golden("argo-hooks-waves");
    let text = intake::render_text(&r);
    assert!(!text.contains("Job ``"), "{text}");
    let pre = finding(&r, "argocd-presync-hook");
    assert!(
        pre.summary
            .contains("Job `orders-migrate-` (generateName) runs as an Argo CD `PreSync` hook"),
        "{}",
        pre.summary
    );
    let waves = finding(&r, "argocd-resource-waves");
    assert!(
        waves.summary.starts_with("3 sync waves order 3 resources: ConfigMap `orders-config` (-1), Deployment `orders` (0), Ingress `orders` (1)"),
        "{}",
        waves.summary
    );
    assert!(waves.params["hooks"].contains("PreSync Job `orders-migrate-`"));
    let helm = finding(&r, "helm-hook");
    assert_eq!(helm.params["argo_phase"], "PreSync");
    assert_eq!(helm.template, Some("Helm template"));
    assert_eq!(
        helm.line,
        line_of(
            "argo-hooks-waves",
            "charts/ledger/templates/db-init.yaml",
            "\"helm.sh/hook\":"
        )
    );
    let partial = finding(&r, "argocd-auto-sync-partial");
    assert_eq!(partial.params["missing"], "selfHeal");
    let ids = question_ids(&r, "argocd");
    for id in [
        "repo-argo-hook-failure",
        "repo-argo-hook-lifecycle",
        "repo-argo-resource-waves",
        "repo-argo-sync-options",
        "repo-argo-auto-partial",
    ] {
        assert!(ids.contains(&id.to_string()), "{id} not in {ids:?}");
    }
    let hook_q = intake::questions(&r, "helm")
        .into_iter()
        .find(|q| q.id == "repo-helm-hook")
        .unwrap();
    assert!(hook_q.follow_ups[0].prompt.contains("PreSync"));
    assert_eq!(r.round("argocd").unwrap().status, Status::Available);
}

#[test]
fn rollouts_blue_green_and_canary() {
    let r = golden("argo-rollouts");
    let bg = finding(&r, "rollout-bluegreen");
    assert_eq!(bg.params["promotion"], "manual promotion");
    assert_eq!(
        bg.params["analysis"],
        "pre-promotion analysis `checkout-smoke`"
    );
    let canary = finding(&r, "rollout-canary");
    assert_eq!(
        canary.params["steps"],
        "20% → pause 10m → 50% → analysis search-error-rate → pause until promoted → 100%"
    );
    assert!(canary.params["routing"].contains("pod counts"));
    let cicd = r.round("cicd").unwrap();
    assert_eq!(cicd.status, Status::Limited);
    assert!(cicd.reason.contains("Argo Rollouts (blue-green, canary)"));
    let ids = question_ids(&r, "cicd");
    assert!(ids.contains(&"repo-rollout-bluegreen".to_string()));
    assert!(ids.contains(&"repo-rollout-canary".to_string()));
    let argo = r.layers.iter().find(|l| l.layer == "ArgoCD").unwrap();
    assert!(argo.artifacts.contains("2 Rollouts (blue-green, canary)"));
}

/// 100 similar roots: 58 EKS (20 pinned to 1.31), 26 of them installing the
/// load balancer controller (one on an older version), 32 EC2, 10 S3.
fn generate_monorepo(root: &Path) {
    for i in 0..100 {
        let dir = root.join(format!("course/week-{:02}/lab-{}", i / 5 + 1, i % 5 + 1));
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("backend.tf"),
            format!("terraform {{\n  backend \"s3\" {{\n    bucket = \"course-state\"\n    key    = \"lab-{i}.tfstate\"\n    region = \"eu-west-1\"\n  }}\n}}\n"),
        )
        .unwrap();
        let main = if i < 58 {
            let version = if i % 3 == 0 {
                "  version  = \"1.31\"\n"
            } else {
                ""
            };
            let mut s = format!(
                "module \"vpc\" {{\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"5.8.1\"\n  cidr    = \"10.{i}.0.0/16\"\n}}\n\nresource \"aws_eks_cluster\" \"lab\" {{\n  name     = \"lab-{i}\"\n  role_arn = aws_iam_role.cluster.arn\n{version}  vpc_config {{\n    subnet_ids = module.vpc.private_subnets\n  }}\n}}\n\nresource \"aws_eks_node_group\" \"lab\" {{\n  cluster_name   = aws_eks_cluster.lab.name\n  instance_types = [\"t3.medium\"]\n  scaling_config {{\n    desired_size = 1\n    min_size     = 1\n    max_size     = 2\n  }}\n}}\n"
            );
            if i < 26 {
                let v = if i == 3 { "1.7.2" } else { "1.8.1" };
                s.push_str(&format!("\nresource \"helm_release\" \"lbc\" {{\n  name       = \"aws-load-balancer-controller\"\n  repository = \"https://aws.github.io/eks-charts\"\n  chart      = \"aws-load-balancer-controller\"\n  version    = \"{v}\"\n  namespace  = \"kube-system\"\n}}\n"));
            }
            s
        } else if i < 90 {
            format!("resource \"aws_instance\" \"web\" {{\n  ami           = \"ami-0123456789abcdef0\"\n  instance_type = \"t3.micro\"\n  tags = {{\n    Name = \"lab-{i}\"\n  }}\n}}\n\nresource \"aws_security_group\" \"web\" {{\n  name = \"lab-{i}-web\"\n}}\n")
        } else {
            format!(
                "resource \"aws_s3_bucket\" \"data\" {{\n  bucket = \"course-lab-{i}-data\"\n}}\n"
            )
        };
        fs::write(dir.join("main.tf"), main).unwrap();
    }
}

#[test]
fn monorepo_of_100_roots_has_a_readable_map() {
    let dir = tempfile::tempdir().unwrap();
    generate_monorepo(dir.path());
    let r = intake::scan(dir.path(), &Options::default()).unwrap();
    let text = intake::render_text(&r);
    let map = text.split("\n### Findings").next().unwrap();
    insta::assert_snapshot!("monorepo-100-roots-map", map);
    for l in &r.layers {
        assert!(
            l.artifacts.chars().count() <= 160,
            "{}: {}",
            l.layer,
            l.artifacts
        );
        assert!(l.key_paths.len() <= 8, "{}: {:?}", l.layer, l.key_paths);
    }
    for a in &r.availability {
        assert!(a.reason.chars().count() <= 112, "{}: {}", a.round, a.reason);
    }
    let row = |name: &str| {
        r.layers
            .iter()
            .find(|l| l.layer.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} row in {map}"))
    };
    let k8s = row("Kubernetes");
    assert!(
        k8s.artifacts.contains("EKS cluster ×58"),
        "{}",
        k8s.artifacts
    );
    assert!(
        k8s.artifacts.contains("1x t3.medium ×58"),
        "{}",
        k8s.artifacts
    );
    let helm = row("Helm");
    assert!(
        helm.artifacts
            .contains("aws-load-balancer-controller chart ×26 across 26 roots (2 versions)"),
        "{}",
        helm.artifacts
    );
    assert!(helm.key_paths.last().unwrap().ends_with("more"));
    let tf = row("Terraform (26 roots: course/week-*/lab-*)");
    assert!(
        tf.key_paths.contains(&"+21 more".to_string()),
        "{:?}",
        tf.key_paths
    );
    let rows = r
        .layers
        .iter()
        .filter(|l| l.layer.starts_with("Terraform"))
        .count();
    assert!(rows <= 7, "{rows} Terraform rows");
    assert_quotes_are_real(dir.path(), &all_questions(&r));
}
