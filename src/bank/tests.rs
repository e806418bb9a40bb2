use super::load::{load_rounds, RoundSource};
use super::*;

const GOOD: &str = r#"round = "kubernetes"
title = "Kubernetes"
vocabulary = ["kubectl"]

[[question]]
id = "k8s-crashloop"
prompt = "A pod is in CrashLoopBackOff. Walk me through how you debug it."
kind = "troubleshooting"
pillars = ["Availability", "Operational Excellence"]
difficulty = 2
expected_seconds = 90
source = "cheat-sheet"
key_point_for_interview = "Logs from the previous container first."
model_answer = "CrashLoopBackOff means the container keeps exiting."

  [[question.key_points]]
  id = "previous-logs"
  weight = 2.0
  text = "Read the crashed container's logs with kubectl logs --previous"
  phrases = ["logs --previous", "previous logs"]

  [[question.misconceptions]]
  id = "restart-fixes"
  text = "Deleting the pod fixes it"
  phrases = ["delete the pod"]

  [[question.follow_ups]]
  prompt = "How do you get the previous container's logs?"
  targets = ["previous-logs"]
"#;

fn load_one(stem: &str, text: &str) -> Result<Vec<Round>, Vec<BankError>> {
    load_rounds(&[RoundSource {
        label: format!("{stem}.toml"),
        stem: stem.into(),
        text,
    }])
}

fn only_error(text: &str) -> BankError {
    let mut errs = load_one("kubernetes", text).expect_err("should fail");
    assert_eq!(errs.len(), 1, "{errs:?}");
    errs.remove(0)
}

fn loc_of(e: &BankError) -> String {
    e.location().expect("has location").to_string()
}

#[test]
fn good_file_loads() {
    let rounds = load_one("kubernetes", GOOD).unwrap();
    assert_eq!(rounds[0].question[0].key_points[0].weight, 2.0);
    assert_eq!(
        rounds[0].question[0].follow_ups[0].targets,
        vec!["previous-logs"]
    );
}

#[test]
fn unknown_field_names_line_and_col() {
    let text = GOOD.replace("  weight = 2.0\n", "  weight = 2.0\n  wieght = 1\n");
    let e = only_error(&text);
    assert!(matches!(e, BankError::UnknownField { .. }), "{e}");
    assert_eq!(loc_of(&e), "kubernetes.toml:19:3");
    assert!(e.to_string().contains("wieght"), "{e}");
}

#[test]
fn unknown_top_level_field() {
    let e = only_error(&format!("colour = \"red\"\n{GOOD}"));
    assert!(matches!(e, BankError::UnknownField { .. }), "{e}");
    assert_eq!(loc_of(&e), "kubernetes.toml:1:1");
}

#[test]
fn duplicate_question_id_within_file() {
    let q = &GOOD[GOOD.find("[[question]]").unwrap()..];
    let e = only_error(&format!("{GOOD}\n{q}"));
    assert!(matches!(e, BankError::DuplicateQuestionId { .. }), "{e}");
    assert_eq!(loc_of(&e), "kubernetes.toml:32:6");
    assert!(
        e.to_string()
            .contains("first defined at kubernetes.toml:6:6"),
        "{e}"
    );
}

#[test]
fn duplicate_question_id_across_files() {
    let other = GOOD.replace("round = \"kubernetes\"", "round = \"helm\"");
    let errs = load_rounds(&[
        RoundSource {
            label: "kubernetes.toml".into(),
            stem: "kubernetes".into(),
            text: GOOD,
        },
        RoundSource {
            label: "helm.toml".into(),
            stem: "helm".into(),
            text: &other,
        },
    ])
    .unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(loc_of(&errs[0]), "helm.toml:6:6");
    assert!(errs[0].to_string().contains("kubernetes.toml:6:6"));
}

#[test]
fn duplicate_key_point_id() {
    let kp = "  [[question.key_points]]\n  id = \"previous-logs\"\n  weight = 1.0\n  text = \"x\"\n  phrases = [\"x\"]\n";
    let text = GOOD.replace(
        "  [[question.misconceptions]]",
        &format!("{kp}\n  [[question.misconceptions]]"),
    );
    let e = only_error(&text);
    assert!(
        matches!(
            e,
            BankError::DuplicateId {
                what: "key point",
                ..
            }
        ),
        "{e}"
    );
    assert_eq!(loc_of(&e), "kubernetes.toml:23:8");
}

#[test]
fn follow_up_target_must_exist() {
    let e = only_error(&GOOD.replace(
        "targets = [\"previous-logs\"]",
        "targets = [\"describe-pod\"]",
    ));
    assert!(matches!(e, BankError::DanglingTarget { .. }), "{e}");
    assert_eq!(loc_of(&e), "kubernetes.toml:29:14");
    assert!(e.to_string().contains("describe-pod"));
}

#[test]
fn empty_prompt() {
    let e = only_error(&GOOD.replace(
        "prompt = \"A pod is in CrashLoopBackOff. Walk me through how you debug it.\"",
        "prompt = \"  \"",
    ));
    assert!(matches!(e, BankError::EmptyPrompt { .. }), "{e}");
    assert_eq!(loc_of(&e), "kubernetes.toml:7:10");
}

#[test]
fn weight_out_of_range() {
    for bad in ["0.2", "3.5", "-1.0"] {
        let e = only_error(&GOOD.replace("weight = 2.0", &format!("weight = {bad}")));
        assert!(matches!(e, BankError::BadWeight { .. }), "{e}");
        assert_eq!(loc_of(&e), "kubernetes.toml:18:12");
    }
    assert!(load_one("kubernetes", &GOOD.replace("weight = 2.0", "weight = 3.0")).is_ok());
    assert!(load_one("kubernetes", &GOOD.replace("weight = 2.0", "weight = 0.5")).is_ok());
}

#[test]
fn bad_kind() {
    let e = only_error(&GOOD.replace("kind = \"troubleshooting\"", "kind = \"trivia\""));
    assert!(matches!(e, BankError::BadValue { .. }), "{e}");
    assert_eq!(loc_of(&e), "kubernetes.toml:8:8");
    assert!(e.to_string().contains("trivia"));
}

#[test]
fn bad_pillar() {
    let e = only_error(&GOOD.replace("\"Operational Excellence\"]", "\"Speed\"]"));
    assert!(matches!(e, BankError::BadValue { .. }), "{e}");
    assert_eq!(loc_of(&e), "kubernetes.toml:9:28");
}

#[test]
fn round_must_match_stem() {
    let e = load_one("k8s", GOOD).unwrap_err().remove(0);
    assert!(matches!(e, BankError::RoundMismatch { .. }), "{e}");
    assert_eq!(loc_of(&e), "k8s.toml:1:9");
}

#[test]
fn syntax_error_is_located() {
    let e = only_error(&GOOD.replace("difficulty = 2", "difficulty = = 2"));
    assert!(matches!(e, BankError::Syntax { .. }), "{e}");
    assert_eq!(e.location().unwrap().line, 10);
}

#[test]
fn behavioral_needs_star_points() {
    let e = only_error(&GOOD.replace("kind = \"troubleshooting\"", "kind = \"behavioral\""));
    assert!(e.to_string().contains("lacks STAR key points"), "{e}");
}

#[test]
fn location_counts_chars_not_bytes() {
    let loc = Location::from_offset("f.toml", "a = \"é\"\nb = 1", "a = \"é\"\nb".len());
    assert_eq!(loc.to_string(), "f.toml:2:2");
}

#[test]
fn embedded_rubrics_parse() {
    let r = super::embedded_rubrics().expect("embedded rubrics are valid");
    assert_eq!(r.level_name(3), "Proficient");
    assert_eq!(r.level_for_average(2.8), "Competent+");
    assert_eq!(r.level_for_average(3.5), "Proficient+");
    assert_eq!(r.level_for_average(3.2), "Proficient");
    assert_eq!(r.level_for_average(2.3), "Competent");
    assert_eq!(r.level_for_average(4.0), "Expert");
}

#[test]
fn source_resolution_prefers_cli() {
    let p = std::path::Path::new("/tmp/x");
    assert_eq!(BankSource::resolve(Some(p)), BankSource::Dir(p.into()));
}
