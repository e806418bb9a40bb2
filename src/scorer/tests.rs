//! Scorer behaviour on a small inline bank (independent of the real bank files).

use super::*;
use crate::bank::{Bank, BankSource};

const ROUND: &str = r#"round = "aws-networking"
title = "AWS Networking"
vocabulary = ["NACL", "VPC"]

[[question]]
id = "net-sg-vs-nacl"
prompt = "What's the difference between a Security Group and a Network ACL?"
kind = "comparison"
pillars = ["Security"]
difficulty = 2
expected_seconds = 90
source = "cheat-sheet"
key_point_for_interview = "Security groups are stateful; NACLs are stateless."
model_answer = "A security group is a stateful, instance-level firewall with allow rules only; a NACL is a stateless, subnet-level filter with numbered allow and deny rules."

  [[question.key_points]]
  id = "sg-stateful"
  weight = 2.5
  text = "Security groups are stateful: return traffic is allowed automatically"
  phrases = ["security groups are stateful", "sg is stateful", "return traffic is allowed automatically"]

  [[question.key_points]]
  id = "nacl-stateless"
  weight = 2.5
  text = "NACLs are stateless: return traffic must be allowed explicitly"
  phrases = ["nacls are stateless", "nacl is stateless", "ephemeral ports"]

  [[question.key_points]]
  id = "scope"
  weight = 1.5
  text = "Security groups attach to instances, NACLs to subnets"
  phrases = ["instance level", "subnet level", "attached to the subnet", "on the instance"]

  [[question.key_points]]
  id = "allow-deny"
  weight = 1.5
  text = "NACLs support explicit deny rules evaluated in number order"
  phrases = ["deny rules", "explicit deny", "numbered rules", "rule number", "lowest number first"]

  [[question.misconceptions]]
  id = "nacl-stateful"
  text = "NACLs are stateful"
  phrases = ["nacls are stateful", "nacl is stateful"]

[[question]]
id = "net-public-vs-private"
prompt = "What's the difference between a public and a private subnet?"
kind = "definition"
pillars = ["Security"]
difficulty = 1
expected_seconds = 60
source = "cheat-sheet"
key_point_for_interview = "Public subnets route to an internet gateway; private ones go out through NAT."
model_answer = "A public subnet has a route to an internet gateway; a private subnet routes outbound traffic through a NAT gateway and has no public IPs."

  [[question.key_points]]
  id = "igw-route"
  weight = 2.5
  text = "A public subnet has a route to an internet gateway"
  phrases = ["internet gateway", "route to the igw", "igw"]

  [[question.key_points]]
  id = "nat"
  weight = 2.0
  text = "Private subnets reach out through a NAT gateway"
  phrases = ["nat gateway", "through nat", "nat instance"]

  [[question.key_points]]
  id = "public-ip"
  weight = 1.5
  text = "Instances in private subnets have no public IPs"
  phrases = ["no public ip", "public ips", "public ip address"]
"#;

fn scorer() -> Scorer {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("aws-networking.toml"), ROUND).unwrap();
    let bank = Bank::load(&BankSource::Dir(dir.path().to_path_buf())).expect("inline bank loads");
    Scorer::lexical(bank)
}

fn grade(answer: &str) -> Score {
    scorer().score_id("net-sg-vs-nacl", answer).unwrap()
}

const GOOD: &str = "A security group is a stateful firewall at the instance level, so return traffic is allowed \
automatically, and it only has allow rules. A NACL works at the subnet level and it's stateless, so you have to \
open the ephemeral ports for return traffic yourself, and it supports explicit deny rules evaluated by rule number, \
lowest number first. In my last project we used security groups for everything and a NACL only to block a bad IP range.";

#[test]
fn strong_answer_is_rated_high() {
    let s = grade(GOOD);
    assert!(s.rating >= 3, "{s:#?}");
    assert!(s.flags.is_empty(), "{:?}", s.flags);
    // The inline bank is scored by words only (`Scorer::lexical`), and says so.
    assert_eq!(s.scorer, SCORER_LEXICAL);
    assert!(
        s.covered
            .iter()
            .any(|c| c.id == "nacl-stateless" && GOOD.contains(&c.quote)),
        "{:?}",
        s.covered
    );
}

#[test]
fn negated_misconception_is_correct() {
    let s = grade("NACLs are not stateful, they're stateless, so you open return traffic yourself. Security groups are stateful and sit on the instance.");
    assert!(
        !s.flags.iter().any(|f| f.starts_with("misconception")),
        "{:?}",
        s.flags
    );
    assert!(s.rating >= 2);
}

#[test]
fn fluent_misconception_scores_low() {
    let s = grade("So NACLs are stateful, just like security groups, which means return traffic is always allowed, and they work on the instance level with allow rules.");
    assert!(
        s.flags.contains(&"misconception:nacl-stateful".to_string()),
        "{:?}",
        s.flags
    );
    assert!(s.rating <= 2, "{}", s.rating);
    assert!(
        s.gaps.iter().any(|g| g.contains("misconception")),
        "{:?}",
        s.gaps
    );
}

fn flagged(answer: &str, flag: &str) {
    let s = grade(answer);
    assert_eq!(s.rating, 1, "{answer}: {s:#?}");
    assert!(
        s.flags.iter().any(|f| f == flag),
        "{answer}: expected {flag}, got {:?}",
        s.flags
    );
    assert!(!s.gaps.is_empty());
}

#[test]
fn non_answers_are_rated_one_with_a_reason() {
    flagged(
        "Honestly I don't know, I've never looked at that.",
        "dont-know",
    );
    flagged("um. yeah. so.", "filler-only");
    flagged(
        "security group nacl stateful stateless subnet instance deny ephemeral",
        "keyword-soup",
    );
    flagged("What's the difference between a security group and a network ACL? So the difference between a security group and a network ACL.", "repeats-question");
    flagged(
        "Flarb snorkel quazzing the dribble, wombo zzkt frangle plimb grabble.",
        "gibberish",
    );
    flagged(
        "Last weekend I went fishing with my uncle on the lake, we caught three trout and grilled them for dinner, and then we played cards until midnight while it rained outside.",
        "off-topic",
    );
    flagged(
        "A public subnet has a route to an internet gateway so instances can get public IPs, and a private subnet goes out through a NAT gateway and has no public IP.",
        "answers-different-question",
    );
}

#[test]
fn spoken_forms_match() {
    let s = grade(
        "uh so, so knackles are, um, stateless, you know, and the the security group is stateful.",
    );
    assert!(
        s.covered.iter().any(|c| c.id == "nacl-stateless"),
        "{:?}",
        s.covered
    );
    assert!(
        s.covered.iter().any(|c| c.id == "sg-stateful"),
        "{:?}",
        s.covered
    );
}

#[test]
fn length_alone_does_not_raise_the_grade() {
    let short = grade("Security groups are stateful and NACLs are stateless.");
    let padded = grade(&format!(
        "{} And I think that's really important, it's something that matters a lot in practice, you know, \
         it's one of those things that you really want to get right, and I've seen teams talk about it a lot, \
         and it's good to keep in mind when you're working with it every day.",
        "Security groups are stateful and NACLs are stateless."
    ));
    assert!(
        padded.rating <= short.rating,
        "short {} padded {}",
        short.rating,
        padded.rating
    );
}

#[test]
fn render_has_the_score_block() {
    let s = grade(GOOD);
    let text = render(&s);
    assert!(
        text.starts_with(&format!("Rating: {}/4 — {}", s.rating, s.level)),
        "{text}"
    );
    for part in [
        "Tech Justification: ",
        "Strengths: ",
        "Gap: ",
        "Key point for interview: \"",
        "**Model answer:** ",
    ] {
        assert!(text.contains(part), "missing {part}: {text}");
    }
    let json = serde_json::to_value(&s).unwrap();
    for key in [
        "rating",
        "level",
        "tech_justification",
        "covered",
        "missed",
        "strengths",
        "gaps",
        "key_point",
        "model_answer",
        "flags",
        "scorer",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn resolves_question_text() {
    let sc = scorer();
    assert_eq!(
        sc.resolve("aws-networking", "Security Group vs NACL?")
            .unwrap()
            .id,
        "net-sg-vs-nacl"
    );
    assert_eq!(
        sc.resolve("aws-networking", "public vs private subnet")
            .unwrap()
            .id,
        "net-public-vs-private"
    );
    assert!(sc.resolve("aws-networking", "zebra giraffe").is_none());
}
