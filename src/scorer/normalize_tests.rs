//! Unit tests of speech normalisation.

use super::*;

fn words(text: &str) -> Vec<String> {
    Normalizer::new(&["CrashLoopBackOff".into(), "EKS".into()])
        .normalize(text)
        .tokens
        .into_iter()
        .map(|t| t.word)
        .collect()
}

#[test]
fn fillers_and_restarts_are_dropped() {
    assert_eq!(
        words("Um, so, uh, the the state is, you know, locked."),
        ["so", "the", "state", "is", "locked"]
    );
    assert_eq!(words("we- we use S3"), ["we", "use", "s3"]);
    assert_eq!(words("we use we use dynamo db"), ["we", "use", "dynamodb"]);
}

#[test]
fn spoken_numbers() {
    assert_eq!(words("terraform one point six"), ["terraform", "1.6"]);
    assert_eq!(words("ninety percent"), ["90", "percent"]);
    assert_eq!(words("twenty five minutes"), ["25", "minutes"]);
    assert_eq!(
        words("three hundred and two thousand"),
        ["300", "and", "2000"]
    );
    assert_eq!(
        words("about 20% cheaper"),
        ["about", "20", "percent", "cheaper"]
    );
    assert_eq!(
        words("version 1.6 and 1,000 pods"),
        ["version", "1.6", "and", "1000", "pods"]
    );
    assert_eq!(words("chmod seven five five"), ["chmod", "755"]);
    assert_eq!(words("chmod seven seven seven"), ["chmod", "777"]);
    assert_eq!(words("exit code one thirty seven"), ["exit", "code", "137"]);
    assert_eq!(words("a five oh three error"), ["a", "503", "error"]);
    assert_eq!(words("two thousand and twenty"), ["2000", "and", "20"]);
    assert_eq!(words("one hundred twenty"), ["120"]);
}

#[test]
fn misheard_jargon() {
    assert_eq!(words("kube control logs"), ["kubectl", "logs"]);
    assert_eq!(words("Kube cuddle apply"), ["kubectl", "apply"]);
    assert_eq!(words("cube control get pods"), ["kubectl", "get", "pods"]);
    assert_eq!(
        words("terra form and dynamo DB"),
        ["terraform", "and", "dynamodb"]
    );
    assert_eq!(
        words("Argo CD and a config map on E K S"),
        ["argocd", "and", "a", "configmap", "on", "eks"]
    );
    assert_eq!(words("crash loop back off"), ["crashloopbackoff"]);
    assert_eq!(words("an S three bucket"), ["an", "s3", "bucket"]);
}

#[test]
fn stems_meet() {
    assert_eq!(stem("locks"), stem("locking"));
    assert_eq!(stem("locked"), "lock");
    assert_eq!(stem("scaling"), stem("scale"));
    assert_eq!(stem("policies"), "policy");
    assert_eq!(stem("running"), "run");
    assert_eq!(stem("container's"), "container");
}

#[test]
fn spans_point_into_original() {
    let text = "So, uh, kube control logs";
    let n = Normalizer::default().normalize(text);
    let t = &n.tokens[1];
    assert_eq!(&text[t.start..t.end], "kube control");
}

#[test]
fn a_dot_inside_a_file_name_ends_no_sentence() {
    let n =
        Normalizer::default().normalize("No secrets in the .tf files or in values.yaml. Use SSM.");
    let sents: Vec<u32> = n.tokens.iter().map(|t| t.sent).collect();
    assert_eq!(n.sentences, 2, "{sents:?}");
    assert!(
        sents[..sents.len() - 2].iter().all(|s| *s == 0),
        "{sents:?}"
    );
}
