//! The offline scorer through the CLI, on the crate's own (embedded) bank:
//! adversarial answers, the example transcript's answers, meaning and
//! negation, and bad input (agreement with graded sets: `scorer_agreement.rs`).

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn mockint() -> Command {
    common::mockint()
}

fn score(round: &str, question: &str, answer: &str) -> Value {
    let key = if question.contains(' ') {
        "--question"
    } else {
        "--question-id"
    };
    let out = mockint()
        .args([
            "score", "--round", round, key, question, "--answer", answer, "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn fixture(name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(format!("tests/fixtures/{name}")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn assert_flagged(round: &str, question: &str, answer: &str, flag: &str) {
    let s = score(round, question, answer);
    assert_eq!(s["rating"], 1, "{answer}: {s:#}");
    let flags: Vec<&str> = s["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(
        flags.iter().any(|f| f.starts_with(flag)),
        "{answer}: expected {flag}, got {flags:?}"
    );
}

#[test]
fn dont_know() {
    assert_flagged(
        "kubernetes",
        "A pod is stuck in Pending. How do you debug it?",
        "Honestly, I don't know, I've never had to debug that.",
        "dont-know",
    );
}

#[test]
fn filler_only() {
    assert_flagged(
        "aws-compute",
        "Fargate versus the EC2 launch type — how do you choose?",
        "um. yeah. so.",
        "filler-only",
    );
}

#[test]
fn keyword_soup() {
    assert_flagged(
        "terraform",
        "How do you handle secrets in Terraform?",
        "terraform state secrets manager vault ssm parameter store sensitive encryption",
        "keyword-soup",
    );
}

#[test]
fn repeats_question() {
    assert_flagged(
        "terraform",
        "What's the difference between a data source and a resource in Terraform?",
        "What's the difference between a data source and a resource in Terraform? Yeah so a data source and a resource in Terraform, the difference.",
        "repeats-question",
    );
}

#[test]
fn gibberish() {
    assert_flagged(
        "reliability",
        "What are RTO and RPO?",
        "Flarb snorkel quazzing the dribble, wombo zzkt frangle plimb oof grabble.",
        "gibberish",
    );
}

#[test]
fn off_topic_story() {
    assert_flagged(
        "system-design",
        "Design the AWS architecture for a typical web application",
        "So last summer I went hiking in Colorado with my brother, and we got caught in a thunderstorm halfway up the mountain. \
         We had to wait under a rock ledge for about an hour, and then the sun came out and the view was amazing. We ate \
         sandwiches at the top and took a lot of pictures before heading back down to the car.",
        "off-topic",
    );
}

#[test]
fn answers_a_different_question() {
    assert_flagged(
        "terraform",
        "How do you handle secrets in Terraform?",
        "Count uses an index, so if you remove an item from the middle of the list everything after it shifts and Terraform \
         wants to destroy and recreate those resources. For each uses keys from a map or a set, so the addresses are stable. \
         That's why I always prefer for each for resources that might change.",
        "answers-different-question",
    );
}

#[test]
fn fluent_misconception_scores_low() {
    let s = score(
        "aws-networking",
        "What's the difference between a Security Group and a Network ACL?",
        "Security groups and NACLs are both firewalls. NACLs are stateful, so the return traffic is automatically allowed, \
         and security groups work at the subnet level. So you use both of them together.",
    );
    assert!(s["rating"].as_u64().unwrap() <= 2, "{s:#}");
    assert!(
        s["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f.as_str().unwrap().starts_with("misconception:")),
        "{s:#}"
    );
}

#[test]
fn every_adversarial_calibration_answer_is_rated_one() {
    for case in fixture("scorer_calibration.jsonl")
        .iter()
        .chain(&fixture("scorer_holdout.jsonl"))
    {
        if !case["kind"]
            .as_str()
            .is_some_and(|k| k.starts_with("adversarial"))
        {
            continue;
        }
        let s = score(
            case["round"].as_str().unwrap(),
            case["question"].as_str().unwrap(),
            case["answer"].as_str().unwrap(),
        );
        assert_eq!(s["rating"], 1, "{case}: {s:#}");
        let want = case["kind"]
            .as_str()
            .unwrap()
            .trim_start_matches("adversarial:");
        assert!(
            !s["flags"].as_array().unwrap().is_empty(),
            "{case}: no flag for {want}"
        );
    }
}

#[test]
fn example_transcript_answers_are_rated_three() {
    let examples: Vec<Value> = fixture("scorer_calibration.jsonl")
        .into_iter()
        .filter(|c| c["kind"] == "example")
        .collect();
    assert_eq!(examples.len(), 3);
    for case in examples {
        let s = score(
            case["round"].as_str().unwrap(),
            case["question"].as_str().unwrap(),
            case["answer"].as_str().unwrap(),
        );
        assert_eq!(s["rating"], 3, "{}: {s:#}", case["question"]);
        assert_eq!(s["scorer"], "offline");
    }
}

#[test]
fn key_point_said_in_other_words_is_covered_with_its_words() {
    let s = score(
        "kubernetes",
        "k8s-pod-deployment-service",
        "A pod is basically a wrapper around your containers, they live together and talk over localhost. \
         A deployment keeps however many copies you asked for alive and swaps them out gradually when you \
         ship a new version. And the service gives them one address that doesn't change.",
    );
    assert_eq!(
        s["scorer"], "offline",
        "the sentence model is installed by scripts/setup.sh"
    );
    let deployment = s["covered"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "deployment")
        .unwrap_or_else(|| panic!("deployment not covered: {s:#}"));
    assert!(
        deployment["quote"]
            .as_str()
            .unwrap()
            .contains("copies you asked for"),
        "{deployment}"
    );
    assert_eq!(
        s["evidence"]["key_point_similarity"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

/// A claim about one compared thing said of another is a mix-up: the
/// sentence-model layer had credited "readiness ... restarts the container"
/// with the point that liveness restarts it (second expert, adversarial).
fn covered_ids(s: &Value) -> Vec<&str> {
    s["covered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect()
}

#[test]
fn swapped_probes_earn_neither_point() {
    let s = score(
        "kubernetes",
        "k8s-liveness-vs-readiness",
        "When a readiness probe fails the kubelet kills and restarts the container. \
         Liveness is the check that decides whether the Service sends the pod any traffic, \
         so a failing liveness probe pulls the pod out of the endpoints. \
         Startup probes only run once when the pod starts.",
    );
    let covered = covered_ids(&s);
    assert!(
        !covered.contains(&"liveness-restarts") && !covered.contains(&"readiness-endpoints"),
        "{s:#}"
    );
    assert!(s["rating"].as_u64().unwrap() <= 2, "{s:#}");
}

/// The other thing named as a foil ("Unlike ALB, …") leaves the claim with
/// its subject.
#[test]
fn a_compared_thing_named_as_a_foil_does_not_take_the_claim() {
    let s = score(
        "aws-networking",
        "net-alb-nlb-clb",
        "ALB is layer 7, it routes HTTP and HTTPS by path or host header and works with WAF. \
         Unlike ALB, the NLB works at layer 4, TCP and UDP, with very low latency and huge throughput, \
         for anything that isn't HTTP. Unlike ALB, it gives you a static IP per AZ and keeps the client's source IP. \
         CLB is the legacy one, I would avoid it.",
    );
    let covered = covered_ids(&s);
    assert!(covered.contains(&"nlb-static-ip"), "{s:#}");
    assert!(s["rating"].as_u64().unwrap() >= 3, "{s:#}");
}

/// A list of the topic's tools said with a closing sentence that gives it
/// glue (a new adversarial tuning set, 2026-12-07: rated 3–4).
#[test]
fn keyword_soup_said_with_a_wrap_up_is_rated_one() {
    let s = score(
        "cicd",
        "cicd-secure-pipelines",
        "Pipeline security, so, gitleaks, Semgrep, CodeQL, Snyk, Trivy, Grype, SBOM, Syft, \
         cosign, signing, OIDC, least privilege, shift left, DevSecOps, SLSA, zero trust. \
         So basically you put all of those in the pipeline and then it is secure.",
    );
    assert_eq!(s["rating"], 1, "{s:#}");
    assert!(flags(&s).contains(&"keyword-soup"), "{s:#}");
}

/// Hedges and generalities around one tool's name (rated 2 before).
#[test]
fn an_answer_padded_with_hedges_is_rated_one() {
    let s = score(
        "terraform",
        "tf-testing",
        "Testing is really important for infrastructure, I'd follow best practices there. \
         I think Terratest is one option, and maybe there's something in the docs. \
         It depends on the modules, but generally you'd want to make sure it all works.",
    );
    assert_eq!(s["rating"], 1, "{s:#}");
    assert!(flags(&s).contains(&"vague"), "{s:#}");
}

/// The two things of a choice swapped: each one's use said of the other.
#[test]
fn threading_and_multiprocessing_swapped_is_a_mix_up() {
    let s = score(
        "python",
        "py-threading-vs-multiprocessing",
        "Threading is what you use for CPU-bound number crunching, since threads share memory. \
         Multiprocessing is for I/O-bound work like lots of HTTP calls. \
         ThreadPoolExecutor and ProcessPoolExecutor make either easy.",
    );
    assert_eq!(s["rating"], 1, "{s:#}");
    assert!(flags(&s).iter().any(|f| f.starts_with("mix-up:")), "{s:#}");
    let right = score(
        "python",
        "py-threading-vs-multiprocessing",
        "Threading is for I/O-bound work like HTTP calls: the GIL is released while a thread \
         waits. Multiprocessing is for CPU-bound work, each process has its own interpreter and \
         GIL so it uses all cores. ThreadPoolExecutor and ProcessPoolExecutor wrap both.",
    );
    assert!(right["rating"].as_u64().unwrap() >= 3, "{right:#}");
    assert!(
        !flags(&right).iter().any(|f| f.starts_with("mix-up:")),
        "{right:#}"
    );
}

/// "Ordered deployment, scaling and updates" is a StatefulSet's point that
/// happens to say "deployment": said of a StatefulSet, it is no mix-up (a
/// first version of the rule rated such an answer 1).
#[test]
fn a_point_that_only_mentions_the_other_thing_is_no_mix_up() {
    let s = score(
        "kubernetes",
        "k8s-statefulset-vs-deployment",
        "Deployments run stateless, interchangeable pods with random names. A StatefulSet gives \
         each pod a stable name like web-0 and web-1, creates and updates them in order, and \
         gives every replica its own PersistentVolumeClaim from volumeClaimTemplates, so you \
         use it for databases and Kafka.",
    );
    assert!(!flags(&s).iter().any(|f| f.starts_with("mix-up:")), "{s:#}");
    // 2, not the 3 it deserves: the point's "deployment" still makes it the
    // Deployment's for attribution, so "in order" said of the StatefulSet
    // does not earn it (seen, not fixed: "Don't check dependencies in
    // liveness" needs the same rule to stay liveness's).
    assert!(s["rating"].as_u64().unwrap() >= 2, "{s:#}");
}

fn flags(s: &serde_json::Value) -> Vec<&str> {
    s["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect()
}

#[test]
fn without_the_model_the_score_says_lexical() {
    let out = mockint()
        .env("MOCKINT_SCORER_LEXICAL", "1")
        .args([
            "score",
            "--round",
            "kubernetes",
            "--question-id",
            "k8s-namespaces",
            "--answer",
            "Namespaces separate teams and environments, with quotas and RBAC per namespace.",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        s["scorer"]
            .as_str()
            .unwrap()
            .starts_with("offline, lexical only"),
        "{s:#}"
    );
    assert!(s["evidence"].get("key_point_similarity").is_none());
}

#[test]
fn rejecting_a_misconception_is_not_holding_it() {
    let s = score(
        "aws-networking",
        "net-sg-vs-nacl",
        "People often think NACLs are stateful, but it's the other way round: security groups are stateful, \
         so return traffic is allowed automatically, and NACLs are stateless, so you have to open the \
         ephemeral ports, 1024 to 65535, for responses. Security groups sit on the instance's network \
         interface and only allow; NACLs sit on the subnet, allow and deny, and are evaluated by rule \
         number, lowest first.",
    );
    assert!(s["flags"].as_array().unwrap().is_empty(), "{s:#}");
    assert_eq!(s["rating"], 4, "{s:#}");
    let s = score(
        "terraform",
        "tf-state-corrupted",
        "You should never just run terraform apply again to recreate the state: it would try to create \
         duplicates of everything. Restore the previous state version from the versioned S3 bucket, or \
         import each resource back, then run plan until it shows no changes.",
    );
    assert!(
        !s["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f.as_str().unwrap().starts_with("misconception:")),
        "{s:#}"
    );
    assert!(s["rating"].as_u64().unwrap() >= 3, "{s:#}");
}

#[test]
fn human_readable_score_block() {
    mockint()
        .args(["score", "--round", "terraform", "--question-id", "tf-count-vs-foreach", "--answer", "count is index based so removing an item shifts everything, for each is keyed by the map key so it's stable"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Rating: ")
                .and(predicate::str::contains("Tech Justification: "))
                .and(predicate::str::contains("Strengths: "))
                .and(predicate::str::contains("Gap: "))
                .and(predicate::str::contains("Key point for interview: \""))
                .and(predicate::str::contains("**Model answer:** ")),
        );
}

#[test]
fn unknown_round_lists_valid_ones() {
    mockint()
        .args([
            "score",
            "--round",
            "cooking",
            "--question",
            "x",
            "--answer",
            "y",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown round `cooking`")
                .and(predicate::str::contains("terraform")),
        );
}

#[test]
fn missing_answer_file() {
    mockint()
        .args([
            "score",
            "--round",
            "terraform",
            "--question-id",
            "tf-secrets",
            "--answer-file",
            "/no/such/answer.txt",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/no/such/answer.txt"));
}

#[test]
fn bad_jsonl_line_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("cases.jsonl");
    std::fs::write(&f, "{\"round\":\"terraform\",\"question\":\"tf-secrets\",\"answer\":\"vault\",\"expected_rating\":2}\n{not json}\n").unwrap();
    mockint()
        .args(["eval", "scorer"])
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("{}:2:", f.display())));
}

#[test]
fn rounds_and_export() {
    mockint()
        .arg("rounds")
        .assert()
        .success()
        .stdout(predicate::str::contains("terraform").and(predicate::str::contains("QUESTIONS")));
    let out = mockint()
        .args(["bank", "export", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["rounds"].as_array().unwrap().len() >= 14);
    assert!(v["rubrics"]["rating"]["level"].as_array().unwrap().len() == 4);
}
