//! Words heard after the interview closed: kept as a remark on the last
//! question, the closing said again, nothing graded.

use super::*;
use crate::interviewer::machine::AFTER_CLOSING;

fn remark(text: &str, at: Ms) -> Input {
    Input::Remark {
        text: text.into(),
        started: at - 2_000,
        ended: at,
    }
}

#[test]
fn words_after_the_closing_are_kept_on_the_last_question() {
    let mut m = machine(2, None);
    m.start(0);
    m.handle(answer("alpha beta gamma", 5_000), 5_000);
    let a = m.handle(answer("alpha beta gamma", 9_000), 9_000);
    assert!(m.is_done() && matches!(a.last(), Some(Action::Finished)));
    let a = m.handle(remark("and one more thing about gamma", 12_000), 12_000);
    assert!(
        matches!(
            events(&a).as_slice(),
            [EventKind::Remark { index: 1, text, .. }] if text == "and one more thing about gamma"
        ),
        "{a:?}"
    );
    assert_eq!(scored(&a), None, "a remark is never graded");
    assert_eq!(said(&a), vec![(Speech::Closing, AFTER_CLOSING.to_string())]);
    assert!(matches!(a.last(), Some(Action::Finished)));
    assert!(m.is_done());
}

#[test]
fn after_the_closing_only_words_count() {
    let mut m = machine(1, None);
    m.start(0);
    m.handle(answer("alpha beta gamma", 5_000), 5_000);
    assert!(m.is_done());
    // A command said after the end changes nothing; an empty remark is noise.
    assert!(m.handle(answer("Next question.", 7_000), 7_000).is_empty());
    assert!(m.handle(remark("  ", 8_000), 8_000).is_empty());
    let a = m.handle(remark("End the interview.", 9_000), 9_000);
    assert!(matches!(
        events(&a).as_slice(),
        [EventKind::Remark { index: 0, .. }]
    ));
}

#[test]
fn a_step_taken_back_leaves_no_trace() {
    let mut m = machine(2, None);
    m.start(0);
    let before = m.snapshot();
    let a = m.handle(answer("alpha", 5_000), 5_000);
    assert_eq!(
        said(&a).last().unwrap().0,
        Speech::FollowUp,
        "a follow-up on what the first part missed"
    );
    // The candidate went on: the whole answer is given instead.
    m.restore(before);
    let a = m.handle(answer("alpha beta gamma", 9_000), 9_000);
    assert_eq!(scored(&a), Some(4), "graded on the whole answer");
    assert_eq!(
        said(&a).last().unwrap(),
        &(Speech::Question, "Question q1?".to_string())
    );
}
