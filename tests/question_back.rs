//! A question back to the interviewer said the way a candidate says it: into
//! the PulseAudio virtual microphone in real time, in a terminal, the
//! interviewer speaking on the virtual speaker. Until 2026-12-07 "Can I
//! assume we're on AWS?" was graded as the answer (a 1, then a follow-up),
//! after the 5 s of silence a young answer waits.

mod common;
use common::audio::VirtualAudio;
use common::pty::Pty;
use common::record::{events, record};
use std::time::Duration;

const ANSWER: &str = "The Cluster Autoscaler watches for pending pods that cannot be scheduled \
and adds nodes to the node group. It also removes nodes that stay underused.";

/// A one-question Kubernetes session in a terminal, listening for the answer.
fn listening() -> (VirtualAudio, tempfile::TempDir, Pty) {
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = va.kubernetes_session(tmp.path(), "1");
    cmd.env(
        "RUST_LOG",
        "mockint::session::voice=debug,mockint::stt=debug",
    );
    let term = Pty::spawn_logging(cmd, &tmp.path().join("log.txt"));
    term.expect("(listening", Duration::from_secs(120));
    (va, tmp, term)
}

/// The session's only graded answer (lowercase): [`ANSWER`] as heard.
fn the_one_answer(r: &serde_json::Value, shown: &str) -> String {
    let answers: Vec<String> = events(r, "answer")
        .iter()
        .map(|e| e["text"].as_str().unwrap().to_lowercase())
        .collect();
    assert_eq!(answers.len(), 1, "{answers:?}\n{shown}");
    assert!(answers[0].contains("node"), "{answers:?}");
    answers[0].clone()
}

#[test]
fn a_question_back_said_aloud_is_answered_at_once_and_not_graded() {
    let (va, tmp, mut term) = listening();
    let asked = va.say(tmp.path(), "ask", "Can I assume we're on AWS?");
    term.expect("Yes, that's fair", Duration::from_secs(30));
    let late = va.mic_clock().saturating_sub(asked);
    eprintln!("answered {late:?} after the question ended");
    // Once the reply has been said, the answer.
    term.expect_after("Yes, that's fair", "(listening", Duration::from_secs(20));
    va.say(tmp.path(), "answer", ANSWER);
    term.expect_after("Yes, that's fair", "\n> ", Duration::from_secs(60));
    term.send(b"\x03");
    term.wait(Duration::from_secs(20));
    let r = record(&tmp.path().join("s"));
    let shown = term.shown();
    assert_eq!(events(&r, "question-back").len(), 1, "{shown}");
    let answer = the_one_answer(&r, &shown);
    assert!(!answer.contains("assume"), "{answer}");
    // Answered as soon as a command would be: the young answer's 5 s of
    // silence is not waited out (an overrunning decode takes up to 4 s).
    assert!(
        late < Duration::from_millis(4_500),
        "answered {late:?} after the question\n{shown}"
    );
}

/// Found by hand, 2026-12-07: "Let me think about that." said as the reply
/// to "Can I assume we're on AWS?" began was taken as the answer going on;
/// the reply was taken back and both were graded as one answer.
#[test]
fn words_over_the_reply_to_a_question_back_are_a_turn_of_their_own() {
    let (va, tmp, mut term) = listening();
    va.say(tmp.path(), "ask", "Can I assume we're on AWS?");
    term.expect("Yes, that's fair", Duration::from_secs(30));
    // Straight over the start of the reply.
    va.say(tmp.path(), "think", "Let me think about that.");
    term.expect_after(
        "Yes, that's fair",
        "take your time",
        Duration::from_secs(30),
    );
    term.expect_after("take your time", "(listening", Duration::from_secs(20));
    va.say(tmp.path(), "answer", ANSWER);
    term.expect_after("take your time", "\n> ", Duration::from_secs(60));
    term.send(b"\x03");
    term.wait(Duration::from_secs(20));
    let r = record(&tmp.path().join("s"));
    let shown = term.shown();
    assert_eq!(events(&r, "question-back").len(), 1, "{shown}");
    let commands: Vec<&str> = events(&r, "command")
        .iter()
        .map(|e| e["command"].as_str().unwrap())
        .collect();
    assert_eq!(commands, ["think"], "{shown}");
    let answer = the_one_answer(&r, &shown);
    assert!(
        !answer.contains("assume") && !answer.contains("think"),
        "{answer}"
    );
}
