//! Ctrl-C pressed while the interviewer speaks, in a terminal, the answers
//! said into the PulseAudio virtual microphone in real time. Found by hand,
//! 2026-12-08: Ctrl-C during a score's read-out cut the speech, but the next
//! question and "(listening …)" were still shown before "Interview
//! interrupted".

mod common;
use common::audio::VirtualAudio;
use common::pty::Pty;
use common::record::{events, record};
use std::time::Duration;

const ANSWER: &str = "The Cluster Autoscaler watches for pending pods that cannot be scheduled \
and adds nodes to the node group. Karpenter provisions nodes directly.";

#[test]
fn ctrl_c_during_a_score_read_out_says_and_shows_nothing_more() {
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = va.kubernetes_session(tmp.path(), "2");
    cmd.env("RUST_LOG", "mockint::session::voice=debug");
    let mut term = Pty::spawn_logging(cmd, &tmp.path().join("log.txt"));
    term.expect("(listening", Duration::from_secs(120));
    va.say(tmp.path(), "answer", ANSWER);
    term.expect("Follow-up", Duration::from_secs(60));
    term.expect_after("Follow-up", "(listening", Duration::from_secs(30));
    va.say(tmp.path(), "unsure", "I'm not sure.");
    // The score is shown as its read-out begins: Ctrl-C over it.
    term.expect("Rating", Duration::from_secs(60));
    term.send(b"\x03");
    let (status, _) = term.wait(Duration::from_secs(30));
    let shown = term.shown();
    assert!(status.success(), "{shown}");
    let after = shown.rsplit("Rating").next().unwrap();
    assert!(after.contains("Interview interrupted"), "{shown}");
    let before_stop = after.split("Interview interrupted").next().unwrap();
    assert!(
        !before_stop.contains("question 2 of 2") && !before_stop.contains("(listening"),
        "shown after Ctrl-C:\n{before_stop}"
    );
    let r = record(&tmp.path().join("s"));
    assert_eq!(events(&r, "scored").len(), 1, "{shown}");
    assert_eq!(events(&r, "ended").len(), 1, "{shown}");
}
