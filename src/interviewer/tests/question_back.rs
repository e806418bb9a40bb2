//! A question back to the interviewer before answering ("Do you mean on
//! EKS?"): answered and not graded; what comes next is the answer. Until
//! 2026-12-07 it was graded as the answer (found reading the machine: no
//! rule told a question to the interviewer from an answer).

use super::*;

#[test]
fn a_question_back_is_answered_and_the_next_turn_is_graded_alone() {
    let mut m = machine(2, Some(20_000));
    m.start(0);
    let a = m.handle(answer("Do you mean on EKS or self-managed?", 4_000), 4_000);
    let s = said(&a);
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0].0, Speech::Prompt);
    assert!(s[0].1.starts_with("Either"), "{s:?}");
    assert_eq!(scored(&a), None);
    let ev = events(&a);
    assert!(
        matches!(&ev[0], EventKind::QuestionBack { index: 0, text, .. } if text.contains("EKS")),
        "{ev:?}"
    );
    assert!(matches!(&ev[1], EventKind::Prompted { index: 0, .. }));
    assert!(matches!(a.last(), Some(Action::Listen { index: 0, .. })));
    // The answer is graded on its own words: all three key points.
    let a = m.handle(answer("alpha, beta and gamma.", 20_000), 20_000);
    assert_eq!(scored(&a), Some(4));
}

#[test]
fn the_silence_check_in_counts_again_after_the_reply() {
    let mut m = machine(1, Some(20_000));
    m.start(0);
    m.listening(0);
    m.handle(answer("Can I assume we're on AWS?", 15_000), 15_000);
    // The reply was said; the check-in counts from then, not from the question.
    m.listening(16_000);
    assert_eq!(m.poll_timeout(), Some(36_000));
}

#[test]
fn a_hedged_answer_in_question_form_is_an_answer() {
    let mut m = machine(1, None);
    m.start(0);
    let a = m.handle(answer("Isn't it alpha, beta and gamma?", 4_000), 4_000);
    assert_eq!(scored(&a), Some(4));
}

#[test]
fn a_third_question_back_is_taken_as_the_answer() {
    let mut m = machine(1, None);
    m.start(0);
    for at in [2_000, 4_000] {
        let a = m.handle(answer("Are we talking about production?", at), at);
        assert_eq!(scored(&a), None);
    }
    let a = m.handle(answer("Are we talking about alpha?", 6_000), 6_000);
    assert!(events(&a)
        .iter()
        .any(|e| matches!(e, EventKind::Answer { .. })));
}

#[test]
fn after_an_answer_a_question_is_part_of_the_answer() {
    let mut m = machine(1, None);
    m.start(0);
    let a = m.handle(answer("alpha only", 4_000), 4_000);
    assert_eq!(said(&a)[0].0, Speech::FollowUp);
    let a = m.handle(answer("Do you mean beta?", 8_000), 8_000);
    assert!(events(&a)
        .iter()
        .any(|e| matches!(e, EventKind::Answer { .. })));
}

/// A candidate stuck asks for a hint: a nudge toward the first follow-up's
/// point, not a grade (it was graded as the answer, a 1).
#[test]
fn a_hint_asked_for_is_given_not_graded() {
    let mut m = machine(1, None);
    m.start(0);
    let a = m.handle(answer("Could you give me a hint?", 3_000), 3_000);
    assert_eq!(
        said(&a),
        vec![(
            Speech::Prompt,
            "Here's a nudge: q0: tell me about beta".to_string()
        )]
    );
    assert_eq!(scored(&a), None);
    let a = m.handle(answer("alpha, beta and gamma.", 20_000), 20_000);
    assert_eq!(scored(&a), Some(4));
}

/// What the end of a spoken turn is told: a whole question back, asked with
/// its question mark, or a hint however it was written, and only while it
/// would be taken as one.
#[test]
fn a_finished_question_back_is_told_from_one_still_going() {
    let mut m = machine(1, None);
    assert!(
        !m.takes_finished_question_back("Any hints?"),
        "nothing asked"
    );
    m.start(0);
    assert!(m.takes_finished_question_back("Can I assume we're on AWS?"));
    assert!(m.takes_finished_question_back("Any hints."));
    assert!(!m.takes_finished_question_back("Are we talking about"));
    m.handle(answer("alpha only", 4_000), 4_000);
    assert!(
        !m.takes_finished_question_back("Any hints?"),
        "answered already"
    );
}
