//! The model's review as an action: the interviewer asks ([`Action::Consult`])
//! and waits without blocking; the reply ([`Input::Consulted`]) decides, and
//! the candidate can still end or skip while it waits.

use super::tests::{answer, events, machine_with, said, scored};
use super::*;

fn consult_of(actions: &[Action]) -> Option<Consult> {
    match actions.last() {
        Some(Action::Consult(c)) => Some(c.clone()),
        _ => None,
    }
}

fn reviewed(offline: &Score, rating: u8) -> Input {
    let mut score = offline.clone();
    score.rating = rating;
    score.scorer = "llm".into();
    Input::Consulted {
        reply: Reply::Score {
            score: Box::new(score),
        },
    }
}

#[test]
fn a_follow_up_is_phrased_by_the_reply_and_the_final_score_is_reviewed() {
    let mut m = machine_with(2, None, true);
    m.start(0);
    let a = m.handle(answer("alpha only", 5_000), 5_000);
    assert!(
        said(&a).is_empty(),
        "nothing is said before the reply: {a:?}"
    );
    let Some(Consult::FollowUp { follow_up: 0, .. }) = consult_of(&a) else {
        panic!("expected a follow-up consult: {a:?}");
    };
    assert!(m.is_consulting());
    let a = m.handle(
        Input::Consulted {
            reply: Reply::FollowUp {
                text: "How does beta fit in?".into(),
                note: Some("phrased by the model".into()),
            },
        },
        7_000,
    );
    assert_eq!(
        said(&a),
        vec![(Speech::FollowUp, "How does beta fit in?".to_string())]
    );
    assert!(matches!(a.last(), Some(Action::Listen { index: 0, .. })));
    // Everything covered now: the offline score goes to the model.
    let a = m.handle(answer("beta and gamma", 9_000), 9_000);
    let Some(Consult::Grade {
        offline, answer, ..
    }) = consult_of(&a)
    else {
        panic!("expected a grade consult: {a:?}");
    };
    assert_eq!(answer, "alpha only\nbeta and gamma");
    assert_eq!(offline.rating, 4);
    assert_eq!(scored(&a), None, "not scored before the review");
    let a = m.handle(reviewed(&offline, 3), 12_000);
    assert_eq!(scored(&a), Some(3), "the reviewed score is recorded");
    assert_eq!(
        said(&a).last().unwrap(),
        &(Speech::Question, "Question q1?".to_string())
    );
}

#[test]
fn words_while_waiting_are_remarks_and_end_does_not_wait() {
    let mut m = machine_with(2, None, true);
    m.start(0);
    m.handle(answer("alpha beta gamma", 5_000), 5_000);
    assert!(m.is_consulting());
    let a = m.handle(answer("and one more thing", 6_000), 6_000);
    assert!(matches!(
        events(&a).as_slice(),
        [EventKind::Remark { index: 0, .. }]
    ));
    assert!(m.is_consulting(), "still waiting for the model");
    let a = m.handle(answer("End the interview.", 7_000), 7_000);
    assert_eq!(scored(&a), Some(4), "the offline score is kept");
    assert!(matches!(a.last(), Some(Action::Finished)));
    // A late reply changes nothing.
    assert!(m
        .handle(
            Input::Consulted {
                reply: Reply::FollowUp {
                    text: "late".into(),
                    note: None
                }
            },
            9_000
        )
        .is_empty());
}

#[test]
fn skip_while_waiting_moves_on_with_the_offline_score() {
    let mut m = machine_with(2, None, true);
    m.start(0);
    m.handle(answer("alpha beta", 5_000), 5_000); // follow-up consult pending
    let a = m.handle(
        Input::Command {
            command: Command::Skip,
        },
        6_000,
    );
    assert_eq!(scored(&a), Some(3));
    assert!(matches!(a.last(), Some(Action::Listen { index: 1, .. })));
    assert!(!m.is_consulting());
}

#[test]
fn a_stopped_consult_is_asked_again_on_reopen_and_an_interrupt_keeps_the_offline_score() {
    let mut m = machine_with(1, None, true);
    m.start(0);
    let first = consult_of(&m.handle(answer("alpha beta gamma", 5_000), 5_000));
    let a = m.reopen(60_000);
    assert_eq!(consult_of(&a), first, "the same request");
    let a = m.interrupt(61_000);
    assert_eq!(scored(&a), Some(4));
    assert!(said(&a).is_empty());
}

#[test]
fn the_wrong_kind_of_reply_is_ignored() {
    let mut m = machine_with(1, None, true);
    m.start(0);
    m.handle(answer("alpha beta gamma", 5_000), 5_000); // grade consult
    let a = m.handle(
        Input::Consulted {
            reply: Reply::FollowUp {
                text: "?".into(),
                note: None,
            },
        },
        6_000,
    );
    assert!(a.is_empty());
    assert!(m.is_consulting());
}
