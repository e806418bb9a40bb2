//! A whole first answer of a few words, spoken: "could you say more?"
//! before grading. Found by hand: a lone spoken "Skip." was written "It's
//! good." and graded as the answer, and the question was lost.

use super::*;

/// Said from `at - ms` to `at`.
fn said_in(text: &str, at: Ms, ms: Ms) -> Input {
    Input::Answer {
        text: text.into(),
        started: at - ms,
        ended: at,
    }
}

fn spoken(n: usize) -> Interviewer<FakeGrader> {
    with_config(
        n,
        Config {
            silence_timeout: Some(20_000),
            max_follow_ups: 2,
            consult: false,
            ask_for_more: true,
        },
    )
}

#[test]
fn a_few_words_are_met_with_say_more_and_what_follows_joins_them() {
    let mut m = spoken(1);
    m.start(0);
    let a = m.handle(answer("It's good.", 3_000), 3_000);
    let s = said(&a);
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0].0, Speech::Prompt);
    assert!(s[0].1.contains("\"It's good.\"") && s[0].1.contains("skip"));
    assert_eq!(scored(&a), None);
    assert!(matches!(a.last(), Some(Action::Listen { index: 0, .. })));
    // What comes next is graded with it: alpha, beta and gamma, all of them.
    let a = m.handle(said_in("alpha beta gamma", 9_000, 3_000), 9_000);
    assert_eq!(scored(&a), Some(4));
}

#[test]
fn more_words_said_in_a_moment_are_met_with_say_more_too() {
    let mut m = spoken(1);
    m.start(0);
    let a = m.handle(said_in("It scored. It scored.", 3_000, 700), 3_000);
    assert_eq!(said(&a)[0].0, Speech::Prompt);
}

#[test]
fn it_is_asked_once_and_skip_still_skips() {
    let mut m = spoken(2);
    m.start(0);
    m.handle(answer("Okay.", 3_000), 3_000);
    let a = m.handle(answer("Skip.", 5_000), 5_000);
    assert!(events(&a)
        .iter()
        .any(|e| matches!(e, EventKind::Skipped { index: 0, .. })));
    // The next question's few words: asked again (once per question)…
    let a = m.handle(answer("Hmm, alpha.", 8_000), 8_000);
    assert_eq!(said(&a)[0].0, Speech::Prompt);
    // …and a second few words are graded.
    let a = m.handle(said_in("alpha beta", 9_000, 800), 9_000);
    assert!(said(&a).iter().all(|(s, _)| *s != Speech::Prompt));
}

#[test]
fn a_full_answer_is_graded_at_once_and_typed_sessions_never_ask() {
    let mut m = spoken(1);
    m.start(0);
    let a = m.handle(said_in("alpha beta gamma delta", 5_000, 2_500), 5_000);
    assert_eq!(scored(&a), Some(4));
    let mut m = machine(1, None);
    m.start(0);
    let a = m.handle(answer("alpha beta gamma", 5_000), 5_000);
    assert_eq!(scored(&a), Some(4));
}
