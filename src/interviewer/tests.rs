//! State-machine tests: a fake grader at the `Grader` seam and a clock made
//! of numbers. No sleeps, no I/O; every command, timeouts and follow-ups.

use super::*;
use crate::bank::{FollowUp, KeyPoint, Kind, Pillar, Question, Source};
use crate::scorer::{Covered, Evidence, Score};

mod closing;
mod commands;
mod question_back;
mod say_more;

/// Covers a key point when the answer contains its id; "idk" means don't know.
pub(super) struct FakeGrader;

impl Grader for FakeGrader {
    fn grade(&self, q: &Question, answer: &str) -> Score {
        let covered: Vec<&KeyPoint> = q
            .key_points
            .iter()
            .filter(|k| answer.contains(&k.id))
            .collect();
        let dont_know = answer.contains("don't know");
        let rating = if dont_know {
            1
        } else {
            1 + covered.len().min(3) as u8
        };
        Score {
            question_id: q.id.clone(),
            round: "test".into(),
            rating,
            level: format!("L{rating}"),
            tech_justification: rating,
            tech_justification_level: String::new(),
            tech_justification_note: String::new(),
            covered: covered
                .iter()
                .map(|k| Covered {
                    id: k.id.clone(),
                    quote: k.id.clone(),
                })
                .collect(),
            missed: q
                .key_points
                .iter()
                .filter(|k| !answer.contains(&k.id))
                .map(|k| k.id.clone())
                .collect(),
            strengths: vec![],
            gaps: vec![],
            key_point: q.key_point_for_interview.clone(),
            model_answer: q.model_answer.clone(),
            flags: if dont_know {
                vec!["dont-know".into()]
            } else {
                vec![]
            },
            coverage: 0.0,
            star: None,
            evidence: Evidence::default(),
            scorer: "fake".into(),
            llm: None,
        }
    }
}

fn question(id: &str) -> Question {
    let kp = |id: &str| KeyPoint {
        id: id.into(),
        weight: 1.0,
        text: format!("{id} text"),
        phrases: vec![id.into()],
    };
    Question {
        id: id.into(),
        prompt: format!("Question {id}?"),
        kind: Kind::Definition,
        pillars: vec![Pillar::Security],
        difficulty: 2,
        expected_seconds: 60,
        source: Source::Added,
        key_point_for_interview: format!("key point {id}"),
        model_answer: format!("model answer {id}"),
        key_points: vec![kp("alpha"), kp("beta"), kp("gamma")],
        misconceptions: vec![],
        follow_ups: vec![
            FollowUp {
                prompt: format!("{id}: tell me about beta"),
                targets: vec!["beta".into()],
            },
            FollowUp {
                prompt: format!("{id}: and gamma?"),
                targets: vec!["gamma".into()],
            },
            FollowUp {
                prompt: format!("{id}: alpha again?"),
                targets: vec!["alpha".into()],
            },
        ],
    }
}

fn machine(n: usize, timeout: Option<Ms>) -> Interviewer<FakeGrader> {
    machine_with(n, timeout, false)
}

/// `consult`: a model reviews scores and phrases follow-ups.
pub(super) fn machine_with(
    n: usize,
    timeout: Option<Ms>,
    consult: bool,
) -> Interviewer<FakeGrader> {
    with_config(
        n,
        Config {
            silence_timeout: timeout,
            max_follow_ups: 2,
            consult,
            ask_for_more: false,
        },
    )
}

pub(super) fn with_config(n: usize, config: Config) -> Interviewer<FakeGrader> {
    let plan = (0..n)
        .map(|i| Planned {
            round: "test".into(),
            round_title: "Test".into(),
            question: question(&format!("q{i}")),
            intro: None,
        })
        .collect();
    Interviewer::new(plan, config, FakeGrader)
}

pub(super) fn answer(text: &str, at: Ms) -> Input {
    Input::Answer {
        text: text.into(),
        started: at.saturating_sub(1000),
        ended: at,
    }
}

pub(super) fn said(actions: &[Action]) -> Vec<(Speech, String)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Say { speech, text } => Some((*speech, text.clone())),
            _ => None,
        })
        .collect()
}

pub(super) fn events(actions: &[Action]) -> Vec<EventKind> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Record(e) => Some(e.kind.clone()),
            _ => None,
        })
        .collect()
}

pub(super) fn scored(actions: &[Action]) -> Option<u8> {
    events(actions).into_iter().find_map(|e| match e {
        EventKind::Scored { score, .. } => Some(score.rating),
        _ => None,
    })
}

#[test]
fn asks_the_first_question_on_start() {
    let mut m = machine(2, None);
    let a = m.start(0);
    assert_eq!(
        said(&a),
        vec![(Speech::Question, "Question q0?".to_string())]
    );
    assert!(matches!(events(&a)[1], EventKind::Asked { index: 0, .. }));
    assert!(a.iter().any(|x| matches!(
        x,
        Action::Listen {
            index: 0,
            expected_seconds: 60
        }
    )));
    assert_eq!(m.current(), Some(0));
}

#[test]
fn follow_up_targets_the_first_missed_key_point_then_scores() {
    let mut m = machine(2, None);
    m.start(0);
    let a = m.handle(answer("alpha only", 10_000), 10_000);
    assert_eq!(
        said(&a),
        vec![(Speech::FollowUp, "q0: tell me about beta".to_string())]
    );
    assert_eq!(scored(&a), None);
    let a = m.handle(answer("now beta", 20_000), 20_000);
    assert_eq!(
        said(&a)[0],
        (Speech::FollowUp, "q0: and gamma?".to_string())
    );
    // Two follow-ups at most: the third answer is scored on everything said.
    let a = m.handle(answer("still nothing", 30_000), 30_000);
    assert_eq!(scored(&a), Some(3), "alpha + beta covered across answers");
    assert_eq!(said(&a)[0].0, Speech::Feedback);
    assert!(said(&a)
        .iter()
        .any(|(s, t)| *s == Speech::ModelAnswer && t.contains("model answer q0")));
    assert_eq!(
        said(&a).last().unwrap(),
        &(Speech::Question, "Question q1?".to_string())
    );
}

/// Found trying a spoken session (2026-12-07): a two-sentence answer to a
/// follow-up was held to the question's 90-s length, so the end-of-turn
/// rules took it for an answer barely begun and sat out 6.5 s of silence.
#[test]
fn a_follow_up_is_listened_to_as_a_short_answer() {
    let expected = |a: &[Action]| {
        a.iter()
            .find_map(|a| match a {
                Action::Listen {
                    expected_seconds, ..
                } => Some(*expected_seconds),
                _ => None,
            })
            .expect("listens")
    };
    let mut m = machine(2, None);
    assert_eq!(expected(&m.start(0)), 60, "the question's own length");
    let a = m.handle(answer("alpha only", 10_000), 10_000);
    assert_eq!(said(&a)[0].0, Speech::FollowUp);
    assert_eq!(expected(&a), FOLLOW_UP_EXPECTED_S);
    // Asked again on request, it is still a follow-up.
    let a = m.handle(answer("Could you repeat that?", 12_000), 12_000);
    assert_eq!(expected(&a), FOLLOW_UP_EXPECTED_S);
}

#[test]
fn follow_ups_are_skipped_when_the_answer_covered_everything() {
    let mut m = machine(1, None);
    m.start(0);
    let a = m.handle(answer("alpha beta gamma", 5_000), 5_000);
    assert_eq!(scored(&a), Some(4));
    assert!(!said(&a).iter().any(|(s, _)| *s == Speech::FollowUp));
    assert!(a.iter().any(|x| matches!(x, Action::Finished)));
    assert!(m.is_done());
}

#[test]
fn only_follow_ups_aimed_at_missed_points_are_asked() {
    let mut m = machine(1, None);
    m.start(0);
    // beta covered: the beta follow-up is skipped, gamma's is asked.
    let a = m.handle(answer("alpha beta", 5_000), 5_000);
    assert_eq!(
        said(&a),
        vec![(Speech::FollowUp, "q0: and gamma?".to_string())]
    );
}

#[test]
fn silence_prompts_once_then_moves_on() {
    let mut m = machine(2, Some(20_000));
    m.start(0);
    assert_eq!(m.poll_timeout(), None, "counts from when listening starts");
    m.listening(4_000); // the question took 4 s to say
    assert_eq!(m.poll_timeout(), Some(24_000));
    assert!(m.handle_timeout(23_999).is_empty(), "not yet");
    let a = m.handle_timeout(24_000);
    assert_eq!(
        said(&a),
        vec![(Speech::Prompt, machine::SILENCE_PROMPT.to_string())]
    );
    assert!(matches!(a.last(), Some(Action::Listen { .. })));
    m.listening(27_000);
    assert_eq!(m.poll_timeout(), Some(47_000));
    let a = m.handle_timeout(47_000);
    assert!(events(&a)
        .iter()
        .any(|e| matches!(e, EventKind::Skipped { index: 0, .. })));
    assert_eq!(m.current(), Some(1));
    assert_eq!(m.poll_timeout(), None);
    m.listening(60_000);
    assert_eq!(m.poll_timeout(), Some(80_000));
}

#[test]
fn a_timeout_after_an_answer_scores_what_was_said() {
    let mut m = machine(1, Some(10_000));
    m.start(0);
    m.listening(0);
    m.handle(answer("alpha", 5_000), 5_000); // follow-up asked
    m.listening(5_000); // deadline 15 s
    m.handle_timeout(15_000); // prompt
    m.listening(15_000);
    let a = m.handle_timeout(25_000);
    assert_eq!(scored(&a), Some(2));
}

#[test]
fn typed_sessions_never_time_out() {
    let mut m = machine(1, None);
    m.start(0);
    assert_eq!(m.poll_timeout(), None);
    assert!(m.handle_timeout(10_000_000).is_empty());
}

#[test]
fn replaying_the_same_inputs_gives_the_same_events() {
    let inputs = [
        (1_000, answer("alpha", 1_000)),
        (2_000, answer("repeat", 2_000)),
        (9_000, answer("beta gamma", 9_000)),
        (12_000, answer("skip", 12_000)),
    ];
    let run = || {
        let mut m = machine(3, Some(5_000));
        let mut all = m.start(0);
        for (at, i) in inputs.clone() {
            all.extend(m.handle(i, at));
        }
        all.extend(m.handle_timeout(17_000));
        serde_json::to_string(&events(&all)).unwrap()
    };
    assert_eq!(run(), run());
}

/// The floor contract: whatever the candidate says or does, the batch of
/// actions ends with the floor handed back (`Listen`) or the end.
#[test]
fn every_input_in_every_phase_hands_the_floor_back() {
    let commands = [
        "Repeat the question.",
        "Skip.",
        "Next.",
        "Let me think about that.",
        "I don't know.",
        "Pause, please.",
        "Resume.",
        "End the interview.",
        "alpha",
        "Yes, please.",
    ];
    // Phases reached by a prefix of inputs: fresh, after an answer (a
    // follow-up pending), paused, after the check-in.
    let prefixes: [&[&str]; 4] = [&[], &["alpha"], &["Pause."], &["__timeout"]];
    for prefix in prefixes {
        for c in commands {
            let mut m = machine(2, Some(20_000));
            m.start(0);
            m.listening(0);
            let mut t = 1_000;
            for p in prefix {
                if *p == "__timeout" {
                    m.handle_timeout(20_000);
                    t = 21_000;
                } else {
                    m.handle(answer(p, t), t);
                }
                m.listening(t);
                t += 1_000;
            }
            let a = m.handle(answer(c, t), t);
            assert!(
                matches!(a.last(), Some(Action::Listen { .. } | Action::Finished)),
                "after {prefix:?} then {c:?}: {a:?}"
            );
        }
    }
}

#[test]
fn yes_please_to_the_check_in_repeats_the_question_and_is_not_graded() {
    let mut m = machine(1, Some(20_000));
    m.start(0);
    m.listening(0);
    m.handle_timeout(20_000);
    let a = m.handle(answer("Yes, please.", 23_000), 23_000);
    assert_eq!(scored(&a), None);
    assert_eq!(
        said(&a),
        vec![(Speech::Question, "Question q0?".to_string())]
    );
    assert!(!events(&a)
        .iter()
        .any(|e| matches!(e, EventKind::Answer { .. })));
    // …but only as a reply to the offer: later it is just words.
    let a = m.handle(answer("alpha beta gamma", 40_000), 40_000);
    assert_eq!(scored(&a), Some(4));
}

#[test]
fn a_remark_before_the_question_was_heard_is_kept_not_graded() {
    let mut m = machine(2, None);
    m.start(0);
    m.handle(answer("alpha beta gamma", 5_000), 5_000); // scored; q1 asked
    let a = m.handle(
        Input::Remark {
            text: "Great.".into(),
            started: 6_000,
            ended: 6_800,
        },
        7_000,
    );
    assert_eq!(scored(&a), None);
    assert!(events(&a)
        .iter()
        .any(|e| matches!(e, EventKind::Remark { index: 1, .. })));
    assert_eq!(
        said(&a),
        vec![(Speech::Question, "Question q1?".to_string())]
    );
    assert!(matches!(a.last(), Some(Action::Listen { index: 1, .. })));
}

#[test]
fn an_interrupt_says_nothing() {
    let mut m = machine(2, None);
    m.start(0);
    m.handle(answer("alpha", 2_000), 2_000);
    let a = m.interrupt(3_000);
    assert!(said(&a).is_empty(), "{a:?}");
    assert_eq!(scored(&a), Some(2), "the answer in progress is kept");
}

#[test]
fn reopening_asks_the_pending_follow_up_not_the_question() {
    let mut m = machine(1, Some(20_000));
    m.start(0);
    m.handle(answer("alpha", 2_000), 2_000); // follow-up on beta pending
    let a = m.reopen(100_000);
    assert_eq!(
        said(&a),
        vec![(Speech::FollowUp, "q0: tell me about beta".to_string())]
    );
    assert_eq!(m.poll_timeout(), None, "no check-in before listening");
    m.listening(103_000);
    assert_eq!(m.poll_timeout(), Some(123_000));
}
