//! Repo intake on the fixture repositories under `tests/fixtures/repos/`:
//! golden files (insta) of the Repo Map, Round Availability and grounded
//! questions for each, the example transcript's calls on the example-shaped
//! repo, and the rule that every question quotes a real file and value.

#[path = "intake_shared.rs"]
mod shared;

use mockint::intake::{self, Options, Status};
use shared::{all_questions, assert_quotes_are_real, fixture, scan};
use std::path::Path;

fn golden(name: &str) {
    let r = scan(name);
    let qs = all_questions(&r);
    insta::assert_snapshot!(format!("{name}-map"), intake::render_text(&r));
    insta::assert_yaml_snapshot!(format!("{name}-questions"), qs);
    assert_quotes_are_real(&fixture(name), &qs);
}

#[test]
fn golden_example_shaped_repo() {
    golden("cowsay3d-infra");
}

#[test]
fn golden_github_actions_helm_manifests() {
    golden("gha-helm");
}

#[test]
fn golden_gitlab_kustomize() {
    golden("gitlab-kustomize");
}

#[test]
fn golden_nothing_relevant() {
    golden("plain-lib");
    let r = scan("plain-lib");
    assert!(r
        .availability
        .iter()
        .all(|a| a.status == Status::Unavailable));
    assert!(all_questions(&r).is_empty());
}

/// The example transcript's Repo Map and Round Availability, in substance.
#[test]
fn example_map_and_availability_match_the_transcript() {
    let r = scan("cowsay3d-infra");
    let layer = |name: &str| {
        r.layers
            .iter()
            .find(|l| l.layer == name)
            .unwrap_or_else(|| panic!("no {name} layer in {:#?}", r.layers))
    };
    let has = |name: &str, parts: &[&str]| {
        let l = layer(name);
        for p in parts {
            assert!(
                l.artifacts.contains(p),
                "{name}: `{p}` not in `{}`",
                l.artifacts
            );
        }
        l.key_paths.clone()
    };
    let paths = has(
        "Terraform (bootstrap)",
        &["S3", "ECR", "Route 53", "6 Secrets Manager secrets"],
    );
    assert!(
        paths.contains(&"bootstrap/main.tf".into())
            && paths.contains(&"bootstrap/variables.tf".into())
    );
    let paths = has(
        "Terraform (root modules)",
        &["VPC, EKS, IAM, ArgoCD, CDN (5 modules)"],
    );
    assert!(paths.contains(&"main.tf".into()) && paths.contains(&"modules/eks/".into()));
    has(
        "Kubernetes",
        &["EKS 1.31", "3x t3a.medium", "4 addons", "4 IRSA roles"],
    );
    has("Helm", &["ArgoCD chart v7.8.0", "local app-of-apps chart"]);
    has(
        "ArgoCD",
        &[
            "App-of-apps pattern",
            "auto-sync + prune + self-heal",
            "5 sync waves",
        ],
    );
    has(
        "CI/CD",
        &["Jenkinsfile (7 stages: build, unit, integration, e2e, tag, publish, deploy)"],
    );
    has(
        "Docker",
        &["Multi-stage backend", "nginx", "MongoDB", "2 compose files"],
    );
    has(
        "DNS / CDN",
        &[
            "Route 53 zone",
            "CloudFront (S3 OAC + custom origin)",
            "ExternalDNS",
            "cert-manager",
        ],
    );
    has(
        "Scripts",
        &["bootstrap.sh", "apply.sh", "destroy.sh", "kubeconfig.sh"],
    );
    let docs = has(
        "Docs",
        &["Planning docs", "Validation docs", "architecture diagram"],
    );
    assert_eq!(docs, vec!["docs/".to_string()]);

    let call = |round: &str| r.round(round).unwrap_or_else(|| panic!("no round {round}"));
    for (round, status, reason) in [
        ("terraform", Status::Available, "rich artifacts"),
        ("kubernetes", Status::Available, "EKS config, IRSA, addons"),
        ("helm", Status::Limited, "no standalone charts"),
        ("argocd", Status::Available, "app-of-apps, sync policies"),
        (
            "aws-networking",
            Status::Available,
            "VPC, IAM, CDN, DNS, ECR",
        ),
        ("aws-compute", Status::Available, "VPC, IAM, CDN, DNS, ECR"),
        (
            "monitoring",
            Status::Limited,
            "health/metrics endpoints, no Prometheus config",
        ),
        (
            "reliability",
            Status::Limited,
            "health/metrics endpoints, no Prometheus config",
        ),
        (
            "security",
            Status::Available,
            "IRSA, secrets, non-root containers, ECR scanning",
        ),
    ] {
        let a = call(round);
        assert_eq!(a.status, status, "{round}: {}", a.reason);
        assert!(
            a.reason.contains(reason),
            "{round}: `{}` lacks `{reason}`",
            a.reason
        );
    }
    assert!(call("argocd").reason.contains("SSH keys"));
    let text = intake::render_text(&r);
    assert!(
        text.contains("- AWS Architecture: **Available** (VPC, IAM, CDN, DNS, ECR)"),
        "{text}"
    );
    assert!(text.contains("- Reliability / Observability: **Limited** (health/metrics endpoints, no Prometheus config)"));
}

/// At least three grounded questions per available round, each quoting a
/// real file and value; and the example's own three questions.
#[test]
fn example_available_rounds_get_three_grounded_questions() {
    let r = scan("cowsay3d-infra");
    for a in r
        .availability
        .iter()
        .filter(|a| a.status == Status::Available)
    {
        let qs = intake::questions(&r, &a.round);
        assert!(qs.len() >= 3, "{}: only {} questions", a.round, qs.len());
    }
    let ask = |round: &str, id: &str| {
        intake::questions(&r, round)
            .into_iter()
            .find(|q| q.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
    };
    let k8s = ask("kubernetes", "repo-k8s-fixed-node-group");
    assert_eq!(
        k8s.intro,
        "Your EKS node group in `modules/eks/main.tf` is configured with `desired_size = 3`, `min_size = 3`, `max_size = 3` — a fixed-size cluster."
    );
    assert!(k8s
        .follow_ups
        .iter()
        .any(|f| f.prompt.contains("`t3a.medium`")));
    let tie = k8s
        .key_points
        .iter()
        .find(|k| k.id == "ties-to-repo")
        .unwrap();
    assert!(
        tie.phrases.contains(&"t3a medium".to_string())
            && tie.phrases.contains(&"three nodes".to_string()),
        "{:?}",
        tie.phrases
    );
    let argo = ask("argocd", "repo-argo-selfheal-hotfix");
    assert!(argo.intro.starts_with("ArgoCD is configured in `modules/argocd/main.tf` with `selfHeal = true`, `prune = true` on the `root` Application"), "{}", argo.intro);
    assert_eq!(argo.kind, "failure-mode");
    let tf = ask("terraform", "repo-tf-state-native-lock");
    assert!(tf.intro.contains("`backend.tf`") && tf.intro.contains("`use_lockfile = true`"));
    assert_eq!(
        tf.related_bank_question.as_deref(),
        Some("tf-state-locking")
    );
}

/// Every related bank question a template names exists in the bank.
#[test]
fn related_bank_questions_exist() {
    let bank = Path::new(env!("CARGO_MANIFEST_DIR")).join("question_bank");
    let mut ids = Vec::new();
    for entry in std::fs::read_dir(bank).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "toml") {
            let v: toml::Value = toml::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            for q in v
                .get("question")
                .and_then(|q| q.as_array())
                .into_iter()
                .flatten()
            {
                ids.push(q["id"].as_str().unwrap().to_string());
            }
        }
    }
    for name in ["cowsay3d-infra", "gha-helm", "gitlab-kustomize"] {
        for q in all_questions(&scan(name)).into_iter().flat_map(|(_, q)| q) {
            if let Some(b) = &q.related_bank_question {
                assert!(ids.contains(b), "{}: unknown bank question {b}", q.id);
            }
        }
    }
}

/// The report does not depend on how many threads parsed the files.
#[test]
fn report_is_deterministic_across_thread_counts() {
    let json = |threads| {
        let r = intake::scan(
            &fixture("cowsay3d-infra"),
            &Options {
                threads,
                ..Options::default()
            },
        )
        .unwrap();
        serde_json::to_string(&r).unwrap()
    };
    assert_eq!(json(1), json(8));
}

/// A grounded question goes through the offline scorer unchanged, and an
/// answer that names the repo's own values covers `ties-to-repo`.
#[test]
fn grounded_questions_are_gradable_by_the_scorer() {
    let r = scan("cowsay3d-infra");
    let bank = mockint::bank::Bank::embedded().unwrap();
    let q = intake::questions(&r, "kubernetes")
        .into_iter()
        .find(|q| q.id == "repo-k8s-fixed-node-group")
        .unwrap()
        .to_bank_question(Some(&bank));
    assert!(
        q.model_answer.contains("Karpenter"),
        "model answer comes from the related bank question"
    );
    assert!(!q.misconceptions.is_empty());
    let answer = "Cluster Autoscaler is a Kubernetes component that watches for pending pods that \
        can't be scheduled and scales up the node group's auto scaling group. Karpenter provisions \
        right-sized nodes directly through the EC2 fleet API and consolidates them. We run three \
        t3a medium nodes with no autoscaling because the load is predictable; the risk is no \
        headroom if a node fails and paying for idle capacity at night.";
    let generic = "Cluster Autoscaler watches pending pods and scales the auto scaling group; \
        Karpenter launches right-sized instances through EC2 fleet. Fixed nodes give no headroom.";
    let tied = mockint::scorer::score(&q, answer);
    let untied = mockint::scorer::score(&q, generic);
    let covers = |s: &mockint::scorer::Score| s.covered.iter().any(|c| c.id == "ties-to-repo");
    assert!(covers(&tied), "{:?}", tied.covered);
    assert!(!covers(&untied));
    assert!(tied.rating >= 3, "rating {} for a full answer", tied.rating);
}
