//! `mockint star`: a recorded STAR answer gets per-part timing, the timer's
//! warnings, the Result's numbers and "I" vs "we"; takes are kept and
//! compared side by side; stories come from the stories file; bad input is
//! one line.

mod common;
use std::path::Path;
use std::process::Command;

fn mockint(sessions: &Path) -> Command {
    let mut c = common::isolated(sessions);
    c.env("MOCKINT_STORIES", sessions.join("no-stories.toml"));
    c
}

const STORY: &str = "<speak>Last year our payment service went down during a Friday release. Checkout errors climbed for every customer. I was the on call engineer, so it was my job to restore service. I checked the dashboards and found a migration locking the orders table. I rolled back the release and I rewrote the migration to run in batches. As a result, errors dropped to zero within ten minutes, and deploy incidents fell by half.</speak>";

const TYPED: &str = "We had an outage at my last company when a release broke checkout. \
I was responsible for the fix. We rolled back and we talked about it as a team. \
In the end it was fine.";

#[test]
fn recorded_star_answer_gets_part_timing_and_takes_are_compared() {
    common::model();
    let tmp = tempfile::tempdir().unwrap();
    let wav = common::espeak(&tmp.path().join("story.wav"), &["-m", "-s", "160"], STORY);
    let out = mockint(tmp.path())
        .args([
            "star",
            "--question-id",
            "beh-incident-under-pressure",
            "--target",
            "0:20",
            "--input-wav",
        ])
        .arg(&wav)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("Tell me about an incident you resolved under pressure."),
        "{text}"
    );
    // The clip is about 25 s against a 20-s target: amber, not red (30 s).
    assert!(text.contains("[0:20] amber"), "{text}");
    assert!(!text.contains("red:"), "{text}");
    let total = text.lines().find(|l| l.starts_with("Total: ")).unwrap();
    assert!(total.contains("over the 0:20 target"), "{total}");
    for part in ["Situation", "Task", "Action", "Result"] {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("✓ {part}")))
            .unwrap_or_else(|| panic!("{part} missing: {text}"));
        // Each part took some of the time.
        assert!(!line.contains(" 0:00 "), "{line}");
    }
    assert!(text.contains("Result quantified: yes"), "{text}");
    assert!(text.contains("Action: \"I\" 100 % vs \"we\" 0 %"), "{text}");
    assert!(
        text.contains("Delivery: ") && text.contains("wpm"),
        "{text}"
    );
    assert!(text.contains("Take kept: "), "{text}");
    // A second, typed take of the same question: weaker, and compared side by side.
    let answer = tmp.path().join("typed.txt");
    std::fs::write(&answer, TYPED).unwrap();
    let out = mockint(tmp.path())
        .args([
            "star",
            "--question-id",
            "beh-incident-under-pressure",
            "--target",
            "0:20",
            "--answer-file",
        ])
        .arg(&answer)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("(estimated from word count at 150 wpm)"),
        "{text}"
    );
    assert!(text.contains("Result quantified: no"), "{text}");
    assert!(text.contains("— say what YOU did"), "{text}");
    let table = text.split("side by side").nth(1).expect("takes compared");
    let lines: Vec<&str> = table.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(
        lines[0].contains("take 1") && lines[0].contains("take 2"),
        "{table}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("quantified") && l.contains("yes") && l.contains("no")),
        "{table}"
    );
    let takes = tmp.path().join("star/beh-incident-under-pressure");
    assert!(takes.join("take-001.json").is_file() && takes.join("take-002.json").is_file());
}

#[test]
fn stories_file_gives_the_prompt_target_and_notes() {
    let tmp = tempfile::tempdir().unwrap();
    let stories = tmp.path().join("stories.toml");
    std::fs::write(
        &stories,
        "[[story]]\nname = \"payment-outage\"\nprompt = \"Tell me about the payment outage.\"\ntarget = \"1:30\"\nnotes = \"Lead with the 12 % error rate.\"\n",
    )
    .unwrap();
    let answer = tmp.path().join("a.txt");
    std::fs::write(&answer, TYPED).unwrap();
    let out = mockint(tmp.path())
        .args(["star", "--story", "payment-outage", "--stories"])
        .arg(&stories)
        .arg("--answer-file")
        .arg(&answer)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("Tell me about the payment outage."));
    assert!(text.contains("Notes: Lead with the 12 % error rate."));
    assert!(
        text.contains("Target 1:30 · amber at 1:30 · red at 2:15"),
        "{text}"
    );
    assert!(tmp
        .path()
        .join("star/payment-outage/take-001.json")
        .is_file());
}

#[test]
fn star_bad_input_is_one_line_and_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let stories = tmp.path().join("stories.toml");
    std::fs::write(&stories, "[[story]]\nname = \"a\"\nprompt = \"p\"\n").unwrap();
    let broken = tmp.path().join("broken.toml");
    std::fs::write(&broken, "[[story]]\nname = 3\n").unwrap();
    let s = stories.display().to_string();
    let cases: Vec<Vec<String>> = vec![
        vec![
            "--story".into(),
            "nope".into(),
            "--stories".into(),
            s.clone(),
            "--text".into(),
        ],
        vec![
            "--story".into(),
            "a".into(),
            "--stories".into(),
            broken.display().to_string(),
        ],
        vec![
            "--story".into(),
            "a".into(),
            "--stories".into(),
            "/nonexistent/stories.toml".into(),
        ],
        vec!["--target".into(), "2:75".into(), "--text".into()],
        vec!["--question-id".into(), "k8s-vpa".into(), "--text".into()],
        vec!["--input-wav".into(), "/nonexistent/a.wav".into()],
        vec![
            "--amber".into(),
            "2".into(),
            "--red".into(),
            "1".into(),
            "--text".into(),
        ],
    ];
    for args in cases {
        let out = mockint(tmp.path())
            .arg("star")
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{err}");
    }
    let out = mockint(tmp.path())
        .args(["star", "--story", "nope", "--stories"])
        .arg(&stories)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("stories.toml") && err.contains("stories: a"),
        "{err}"
    );
}
