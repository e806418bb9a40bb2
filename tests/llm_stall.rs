//! A model that never answers must not stall the interview: its review runs
//! off the interviewer's step, so the candidate can still end the interview
//! by voice or stop it with Ctrl-C while it waits, and nothing said is lost.
//! Spoken scenarios run on the PulseAudio virtual devices in a terminal.
//! The "model" is a real HTTP listener on loopback that accepts requests and
//! never replies (a hung server); the budget is far longer than the tests.

mod common;
use common::audio::VirtualAudio;
use common::pty::Pty;
use common::record::{events, record};
use std::net::TcpListener;
use std::time::{Duration, Instant};

/// Seconds the session would wait for the hung model if it blocked on it.
const BUDGET: &str = "90";

/// An endpoint that accepts connections, reads nothing back, never answers.
fn hung_server() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", l.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in l.incoming().flatten() {
            held.push(conn);
        }
    });
    url
}

fn llm_args(url: &str) -> [&str; 6] {
    ["--llm", url, "--llm-model", "hung", "--llm-budget", BUDGET]
}

#[test]
fn end_the_interview_said_while_the_model_hangs_ends_it_at_once() {
    let url = hung_server();
    let va = VirtualAudio::start();
    let tmp = tempfile::tempdir().unwrap();
    let answer = common::audio::speech(
        tmp.path(),
        "answer",
        "The Cluster Autoscaler adds nodes when pods are pending and removes nodes that stay underused.",
    );
    // US English, as the conversation scenarios say it (tiny.en hears the
    // default espeak-ng voice's "End the interview." as "And, it into new").
    let end_wav = common::espeak(
        &tmp.path().join("end.wav"),
        &["-v", "en-us"],
        "End the interview.",
    );
    let end = mockint::audio::load_wav(&end_wav).unwrap().samples;
    let out = tmp.path().join("s");
    let mut cmd = common::isolated(&tmp.path().join("sessions"));
    cmd.envs(va.env())
        .env("MOCKINT_WHISPER_THREADS", "1")
        .args(common::kubernetes_session("2"))
        .args(llm_args(&url))
        .arg("--model")
        .arg(common::model())
        .arg("--out")
        .arg(&out);
    let mut term = Pty::spawn(cmd);
    term.expect("(listening", Duration::from_secs(120));
    va.play_at(va.mic_clock() + Duration::from_millis(500), &answer);
    // The model is asked (to review the score or phrase a follow-up) and
    // never answers; the candidate ends the interview meanwhile.
    term.expect("reviewing your answer", Duration::from_secs(60));
    va.play_at(va.mic_clock() + Duration::from_millis(500), &end);
    let (status, took) = term.wait(Duration::from_secs(120));
    assert!(status.success(), "{}", term.screen());
    // Hearing the command (its endpoint, Whisper) and writing the debrief
    // take seconds on a loaded machine; waiting for the model takes 90.
    assert!(
        took < Duration::from_secs(45),
        "took {took:?}: the session waited for the hung model\n{}",
        term.screen()
    );
    let r = record(&out);
    assert_eq!(events(&r, "ended")[0]["reason"], "by-candidate", "{r}");
    let answers = events(&r, "answer");
    assert_eq!(
        answers.len(),
        1,
        "the command is not an answer: {answers:?}"
    );
    let scored = events(&r, "scored");
    assert_eq!(scored.len(), 1, "the answer is kept with its offline score");
}

/// A typed two-question session in a terminal, the model hung.
fn typed_session(tmp: &std::path::Path, out: &std::path::Path) -> Pty {
    let url = hung_server();
    let mut cmd = common::isolated(&tmp.join("sessions"));
    cmd.args(common::kubernetes_session("2"))
        .args(llm_args(&url))
        .arg("--text")
        .arg("--out")
        .arg(out);
    Pty::spawn(cmd)
}

#[test]
fn ctrl_c_while_the_model_reviews_a_typed_answer_stops_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    let mut term = typed_session(tmp.path(), &out);
    term.expect("Interviewer", Duration::from_secs(60));
    // An answer that leaves nothing to follow up: straight to the review.
    term.send(b"I don't know.\n\n");
    term.expect("reviewing your answer", Duration::from_secs(30));
    std::thread::sleep(Duration::from_millis(500));
    term.send(b"\x03");
    let (status, took) = term.wait(Duration::from_secs(30));
    assert!(status.success(), "{}", term.screen());
    assert!(took < Duration::from_secs(3), "took {took:?} to stop");
    let r = record(&out);
    assert_eq!(events(&r, "ended")[0]["reason"], "interrupted");
    assert_eq!(events(&r, "scored").len(), 1, "the answer's offline score");
    assert!(out.join("debrief.md").is_file());
}

#[test]
fn skip_typed_while_the_model_reviews_moves_on_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    let mut term = typed_session(tmp.path(), &out);
    term.expect("question 1 of 2", Duration::from_secs(60));
    term.send(b"I don't know.\n\n");
    term.expect("reviewing your answer", Duration::from_secs(30));
    let t0 = Instant::now();
    term.send(b"Skip.\n\n");
    term.expect("question 2 of 2", Duration::from_secs(10));
    assert!(t0.elapsed() < Duration::from_secs(5), "{:?}", t0.elapsed());
    term.send(b"\x03");
    let (status, _) = term.wait(Duration::from_secs(30));
    assert!(status.success(), "{}", term.screen());
    let r = record(&out);
    let scored = events(&r, "scored");
    assert_eq!(scored.len(), 1, "the first answer keeps its offline score");
    assert_eq!(scored[0]["index"], 0);
    assert!(
        events(&r, "asked").iter().any(|e| e["index"] == 1),
        "the second question was asked"
    );
}
