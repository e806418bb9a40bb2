//! The candidate's commands: repeat, let me think, I don't know, skip and
//! next, pause and resume, end and interrupt.

use super::*;

#[test]
fn repeat_says_the_last_question_again_and_resets_the_deadline() {
    let mut m = machine(1, Some(20_000));
    m.start(0);
    m.listening(0);
    m.handle(answer("alpha", 5_000), 5_000);
    m.listening(5_000);
    let a = m.handle(
        answer("Could you repeat the question, please?", 8_000),
        8_000,
    );
    assert_eq!(
        said(&a),
        vec![(Speech::FollowUp, "q0: tell me about beta".to_string())]
    );
    assert_eq!(m.poll_timeout(), None, "not while it is being said");
    m.listening(11_000);
    assert_eq!(m.poll_timeout(), Some(31_000));
    assert!(events(&a).iter().any(|e| matches!(
        e,
        EventKind::Command {
            command: Command::Repeat,
            ..
        }
    )));
}

#[test]
fn let_me_think_removes_the_timeout_until_the_answer() {
    let mut m = machine(1, Some(20_000));
    m.start(0);
    m.listening(0);
    let a = m.handle(answer("Let me think.", 3_000), 3_000);
    assert_eq!(said(&a)[0].0, Speech::Info);
    assert!(
        matches!(a.last(), Some(Action::Listen { index: 0, .. })),
        "still listening after \"let me think\": {a:?}"
    );
    m.listening(4_000);
    assert_eq!(m.poll_timeout(), None);
    let a = m.handle(answer("alpha", 90_000), 90_000);
    assert_eq!(said(&a)[0].0, Speech::FollowUp);
    m.listening(92_000);
    assert_eq!(
        m.poll_timeout(),
        Some(112_000),
        "patience is back for the follow-up"
    );
}

#[test]
fn dont_know_is_graded_one_with_the_model_answer() {
    let mut m = machine(2, None);
    m.start(0);
    let a = m.handle(answer("I don't know.", 4_000), 4_000);
    assert_eq!(scored(&a), Some(1));
    assert!(said(&a).iter().any(|(s, _)| *s == Speech::ModelAnswer));
    assert_eq!(m.current(), Some(1));
}

#[test]
fn dont_know_on_a_follow_up_grades_the_earlier_answer() {
    let mut m = machine(1, None);
    m.start(0);
    m.handle(answer("alpha gamma", 4_000), 4_000);
    let a = m.handle(answer("No idea.", 9_000), 9_000);
    assert_eq!(scored(&a), Some(3));
}

#[test]
fn skip_on_a_follow_up_grades_the_earlier_answer() {
    let mut m = machine(2, None);
    m.start(0);
    m.handle(answer("alpha gamma", 4_000), 4_000);
    let a = m.handle(answer("Skip.", 9_000), 9_000);
    assert_eq!(scored(&a), Some(3));
    assert!(!events(&a)
        .iter()
        .any(|e| matches!(e, EventKind::Skipped { .. })));
    assert_eq!(m.current(), Some(1));
}

#[test]
fn skip_and_next_without_an_answer_skip_unscored() {
    for cmd in ["Skip.", "Next question, please."] {
        let mut m = machine(2, None);
        m.start(0);
        let a = m.handle(answer(cmd, 2_000), 2_000);
        assert_eq!(scored(&a), None, "{cmd}");
        assert!(
            events(&a)
                .iter()
                .any(|e| matches!(e, EventKind::Skipped { index: 0, .. })),
            "{cmd}"
        );
        assert_eq!(m.current(), Some(1), "{cmd}");
    }
}

#[test]
fn next_after_an_answer_scores_it_without_more_follow_ups() {
    let mut m = machine(2, None);
    m.start(0);
    m.handle(answer("alpha", 2_000), 2_000);
    let a = m.handle(
        Input::Command {
            command: Command::Next,
        },
        3_000,
    );
    assert_eq!(scored(&a), Some(2));
    assert_eq!(m.current(), Some(1));
}

#[test]
fn pause_ignores_answers_until_resume() {
    let mut m = machine(1, Some(20_000));
    m.start(0);
    m.listening(0);
    let a = m.handle(answer("Pause the interview.", 1_000), 1_000);
    assert!(
        matches!(a.last(), Some(Action::Listen { .. })),
        "paused, still listening for \"resume\""
    );
    m.listening(2_000);
    assert_eq!(m.poll_timeout(), None, "no timeout while paused");
    let a = m.handle(answer("alpha beta gamma", 5_000), 5_000);
    assert_eq!(scored(&a), None);
    assert_eq!(said(&a)[0].0, Speech::Info);
    assert!(matches!(a.last(), Some(Action::Listen { .. })));
    let a = m.handle(answer("I'm back.", 60_000), 60_000);
    assert!(events(&a).iter().any(|e| matches!(e, EventKind::Resumed)));
    assert_eq!(said(&a)[1], (Speech::Question, "Question q0?".to_string()));
    m.listening(60_000);
    assert_eq!(m.poll_timeout(), Some(80_000));
    let a = m.handle(answer("alpha beta gamma", 70_000), 70_000);
    assert_eq!(scored(&a), Some(4));
}

/// Found trying a spoken session (2026-12-07): "Pause, please." said after
/// an answer joined the answer's text and the interview never paused.
#[test]
fn pause_at_the_end_of_an_answer_keeps_it_and_replies_on_resume() {
    let mut m = machine(1, Some(20_000));
    m.start(0);
    m.listening(0);
    let a = m.handle(answer("We use alpha. Pause, please.", 9_000), 9_000);
    let kinds = events(&a);
    assert!(
        matches!(&kinds[0], EventKind::Answer { text, .. } if text == "We use alpha."),
        "the answer without the command: {kinds:?}"
    );
    assert!(kinds.iter().any(|e| matches!(e, EventKind::Paused)));
    assert_eq!(said(&a).len(), 1, "only the pause is said: {a:?}");
    assert!(m.is_paused());
    m.listening(10_000);
    assert_eq!(m.poll_timeout(), None, "no timeout while paused");
    let a = m.handle(answer("Okay, I'm back.", 60_000), 60_000);
    assert_eq!(
        said(&a),
        vec![
            (Speech::Info, "Welcome back.".to_string()),
            (Speech::FollowUp, "q0: tell me about beta".to_string()),
        ],
        "the reply to the answer, not the question again"
    );
    let a = m.handle(answer("beta and gamma", 70_000), 70_000);
    assert_eq!(scored(&a), Some(4), "both answers graded together");
}

#[test]
fn end_at_the_end_of_an_answer_grades_it_and_finishes() {
    let mut m = machine(3, None);
    m.start(0);
    let a = m.handle(
        answer("alpha and beta. Okay, end the interview.", 5_000),
        5_000,
    );
    assert_eq!(scored(&a), Some(3));
    assert!(m.is_done());
}

#[test]
fn repeat_at_the_end_of_an_answer_keeps_it() {
    let mut m = machine(1, None);
    m.start(0);
    let a = m.handle(
        answer("alpha, I think. Can you repeat the question?", 5_000),
        5_000,
    );
    assert_eq!(
        said(&a),
        vec![(Speech::Question, "Question q0?".to_string())]
    );
    let a = m.handle(answer("beta and gamma", 20_000), 20_000);
    assert_eq!(scored(&a), Some(4), "the first part was kept");
}

#[test]
fn end_keeps_the_answer_in_progress_and_finishes() {
    let mut m = machine(3, None);
    m.start(0);
    m.handle(answer("alpha", 2_000), 2_000);
    let a = m.handle(answer("End the interview.", 3_000), 3_000);
    assert_eq!(scored(&a), Some(2));
    assert!(events(&a).iter().any(|e| matches!(
        e,
        EventKind::Ended {
            reason: EndReason::ByCandidate,
            ..
        }
    )));
    assert!(m.is_done());
    assert!(
        m.handle(answer("alpha", 4_000), 4_000).is_empty(),
        "nothing after the end"
    );
}

/// Ctrl-C after an answer whose follow-up was recorded but not yet said:
/// the end says so, so the transcript does not show it as asked (found
/// trying a spoken session, 2026-12-07). Once listening started it was said.
#[test]
fn interrupt_before_the_follow_up_is_said_marks_it_unasked() {
    let unasked = |listened: bool| {
        let mut m = machine(2, None);
        m.start(0);
        m.listening(500);
        let a = m.handle(answer("alpha", 2_000), 2_000);
        assert_eq!(said(&a)[0].0, Speech::FollowUp);
        if listened {
            m.listening(2_500);
        }
        let a = m.interrupt(3_000);
        assert_eq!(scored(&a), Some(2), "the answer is graded either way");
        events(&a)
            .iter()
            .find_map(|e| match e {
                EventKind::Ended { unasked, .. } => Some(*unasked),
                _ => None,
            })
            .expect("ended")
    };
    assert!(unasked(false));
    assert!(!unasked(true));
    // The first question, stopped before it was said.
    let mut m = machine(1, None);
    m.start(0);
    let a = m.interrupt(100);
    assert!(events(&a)
        .iter()
        .any(|e| matches!(e, EventKind::Ended { unasked: true, .. })));
}

#[test]
fn interrupt_saves_partial_answers() {
    let mut m = machine(2, None);
    m.start(0);
    m.handle(answer("beta", 2_000), 2_000);
    let a = m.interrupt(3_000);
    assert_eq!(scored(&a), Some(2));
    assert!(events(&a).iter().any(|e| matches!(
        e,
        EventKind::Ended {
            reason: EndReason::Interrupted,
            ..
        }
    )));
}
