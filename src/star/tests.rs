use super::*;

fn rubrics() -> Rubrics {
    crate::bank::Bank::load(&crate::bank::BankSource::resolve(None))
        .unwrap()
        .rubrics
}

/// Words of `sentences`, each sentence lasting the given seconds.
fn timed(sentences: &[(&str, u64)]) -> Vec<Word> {
    let mut out = Vec::new();
    let mut t = 0;
    for (s, secs) in sentences {
        let ws: Vec<&str> = s.split_whitespace().collect();
        let n = ws.len() as u64;
        for (k, w) in ws.into_iter().enumerate() {
            let k = k as u64;
            out.push(Word {
                text: w.to_string(),
                start_ms: t + secs * 1000 * k / n,
                end_ms: t + secs * 1000 * (k + 1) / n,
            });
        }
        t += secs * 1000;
    }
    out
}

#[test]
fn parts_are_timed_from_the_sentences_that_carry_them() {
    let words = timed(&[
        ("Last year we had a payment outage on a Friday.", 40),
        ("The checkout page was failing for everyone.", 48),
        ("I was the on call engineer.", 10),
        (
            "I checked the dashboards and I rolled back the release.",
            30,
        ),
        ("Then I rewrote the migration with our DBA.", 12),
        ("As a result errors dropped to zero within 10 minutes.", 20),
    ]);
    let r = analyze(&rubrics(), &words, 120_000, None, false);
    assert_eq!(r.total_ms, 160_000);
    let ms: Vec<u64> = r.parts.iter().map(|p| p.ms).collect();
    assert_eq!(ms, vec![88_000, 10_000, 42_000, 20_000]);
    assert!((r.part(Part::Situation).share - 0.55).abs() < 1e-9);
    assert!(r.parts.iter().all(|p| p.present));
    assert!(r.quantified);
    // Action: I, I, I vs our → 75 %.
    assert_eq!(r.action_i_share, Some(0.75));
    let text = r.render();
    assert!(
        text.contains("Total: 2:40 — 0:40 over the 2:00 target"),
        "{text}"
    );
    assert!(text.contains("Situation took 55 % of 2:40"), "{text}");
}

#[test]
fn a_story_without_a_result_says_so() {
    let words = timed(&[
        ("We had a flaky pipeline.", 10),
        ("We talked about it and we fixed it.", 10),
    ]);
    let r = analyze(&rubrics(), &words, 120_000, None, false);
    assert!(!r.part(Part::Result).present);
    assert!(!r.quantified);
    assert!(r.render().contains("✗ Result"));
}

#[test]
fn takes_compare_side_by_side() {
    let words = timed(&[("Last year we had an outage.", 30), ("I fixed it.", 30)]);
    let r = analyze(&rubrics(), &words, 60_000, None, false);
    let take = |n: u64| takes::Take {
        story: "s".into(),
        prompt: "p".into(),
        created: format!("2026-01-0{n}T00:00:00Z"),
        report: StarReport {
            total_ms: r.total_ms + n * 1000,
            ..r.clone()
        },
    };
    let tmp = tempfile::tempdir().unwrap();
    for n in 1..=3 {
        takes::save(tmp.path(), &take(n)).unwrap();
    }
    let all = takes::load_all(tmp.path());
    assert_eq!(all.len(), 3);
    let table = takes::compare(&all, 2);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].contains("take 2") && lines[0].contains("take 3") && !lines[0].contains("take 1")
    );
    assert!(
        lines[1].contains("1:02 / 1:00") && lines[1].contains("1:03 / 1:00"),
        "{table}"
    );
}

#[test]
fn a_pause_before_a_capital_ends_a_sentence_whisper_left_open() {
    let word = |t: &str, s: u64, e: u64| Word {
        text: t.into(),
        start_ms: s,
        end_ms: e,
    };
    let ws = [
        word("ran", 0, 300),
        word("on", 300, 500),
        word("Autom", 500, 900),
        // 1.2 s of silence, then a capitalised word: a new sentence.
        word("My", 2_100, 2_300),
        word("task", 2_300, 2_600),
        word("was", 2_600, 2_800),
        // A capital with no pause (a name) and a pause before lower case
        // (thinking mid-sentence) do not split.
        word("Kubernetes", 2_800, 3_300),
        word("and", 4_300, 4_500),
        word("more.", 4_500, 4_800),
    ];
    let s = sentences(&ws);
    assert_eq!(s.len(), 2, "{s:?}");
    assert_eq!(s[1].0, "My task was Kubernetes and more.");
    assert_eq!(s[1].1, 2_100);
}

/// A spoken take, 2026-12-08 (Whisper's words): the Action said "I
/// profiled…, cached…" with none of the rubric's listed cues, and was timed
/// as Task, the report saying the Action was missing.
#[test]
fn an_action_in_the_first_person_past_is_the_action_without_a_listed_cue() {
    let words = timed(&[
        ("Let me think about that for a second.", 6),
        ("So, at my last company, our deploy pipeline took 40 minutes.", 5),
        ("I, on the CI platform, and my task was to get deploys under 10 minutes.", 5),
        (
            "I profiled the pipeline, cashed the Docker layers and split the integration tests into four parallel shards.",
            11,
        ),
        ("The result was eight minute deploys.", 4),
        ("I learned to measure before optimizing.", 2),
    ]);
    let r = analyze(&rubrics(), &words, 120_000, None, false);
    let parts: Vec<Part> = r.sentences.iter().map(|s| s.part).collect();
    assert_eq!(
        parts,
        [
            Part::Situation,
            Part::Task,
            Part::Action,
            Part::Result,
            Part::Result
        ]
    );
    assert_eq!(r.action_i_share, Some(1.0));
    // Timed from the story, not from "let me think".
    assert_eq!(r.total_ms, 27_000);
}

#[test]
fn a_role_or_a_state_in_the_past_is_no_action() {
    for s in [
        "I joined the platform team in 2021.",
        "I worked on the payments service.",
        "I owned the CI platform.",
        "We profiled the pipeline.",
        "I was the on-call engineer.",
    ] {
        assert!(!says_what_i_did(s), "{s}");
    }
    for s in [
        "I profiled the pipeline.",
        "Then I quickly reverted it.",
        "I then cut the batch size.",
    ] {
        assert!(says_what_i_did(s), "{s}");
    }
}
