//! Sessions in a real daemon, driven through the `mockint` CLI: a session
//! outlives the terminal that started it and is controlled from another; a
//! second start is refused; SIGTERM saves the turn and a partial debrief;
//! `kill -9` mid-session keeps the files up to the last answer and `mockint
//! resume` finishes it; a scripted session gives the same transcript as
//! in-process; a spoken session runs on the daemon's warm model.

mod common;
mod daemon_common;
use common::wait_for;
use daemon_common::*;
use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Duration;

fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sessions")
        .join(name)
}

#[test]
fn a_session_outlives_its_terminal_and_is_controlled_from_another() {
    let d = TestDaemon::start();
    let out = d.dir.path().join("s");
    // Terminal 1 starts a typed session and answers the first question.
    let mut first = d
        .cmd()
        .args([
            "start",
            "--round",
            "kubernetes",
            "--seed",
            "7",
            "--text",
            "--out",
        ])
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = first.stdin.take().unwrap();
    writeln!(stdin, "{FIRST}\n").unwrap();
    wait_for(&out.join("session.json"), "Karpenter launches right sized");
    // The terminal closes.
    first.kill().unwrap();
    first.wait().unwrap();
    drop(stdin);
    std::thread::sleep(Duration::from_millis(300));

    let status = ok(&d.cmd().arg("status").output().unwrap());
    assert!(status.contains("typed"), "{status}");
    assert!(status.contains("question 1 of 5"), "{status}");
    assert!(status.contains(&out.display().to_string()), "{status}");

    // A second start is refused while this one runs.
    let second = d
        .cmd()
        .args(["start", "--round", "linux", "--text"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{err}");
    assert!(err.contains("session in progress"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    // Terminal 2 follows the session and answers; others control it.
    let mut attach = d
        .cmd()
        .arg("attach")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `skip` at the follow-up grades the answer given; at the next question,
    // with nothing said, it skips it.
    ok(&d.cmd().arg("skip").output().unwrap());
    wait_for(&out.join("session.json"), "\"event\": \"scored\"");
    ok(&d.cmd().arg("skip").output().unwrap());
    wait_for(&out.join("session.json"), "skipped by the candidate");
    let mut answers = attach.stdin.take().unwrap();
    writeln!(
        answers,
        "Namespaces split one cluster logically, with resource quotas and namespaced RBAC roles.\n"
    )
    .unwrap();
    wait_for(&out.join("session.json"), "namespaced RBAC roles");
    ok(&d.cmd().arg("pause").output().unwrap());
    wait_for(&out.join("session.json"), "\"event\": \"paused\"");
    assert!(ok(&d.cmd().arg("status").output().unwrap()).contains("paused"));
    // `mockint resume` with no folder resumes the daemon's paused session.
    ok(&d.cmd().arg("resume").output().unwrap());
    wait_for(&out.join("session.json"), "\"event\": \"resumed\"");
    ok(&d.cmd().arg("repeat").output().unwrap());
    ok(&d.cmd().arg("stop").output().unwrap());

    let followed = ok(&attach.wait_with_output().unwrap());
    assert!(
        followed.contains("Karpenter launches right sized"),
        "backlog shown: {followed}"
    );
    assert!(
        followed.contains("> Namespaces split one cluster"),
        "{followed}"
    );
    assert!(followed.contains("(paused"), "{followed}");
    assert!(
        followed.contains("End of interview (ended by the candidate)"),
        "{followed}"
    );
    assert!(followed.contains("Debrief:"), "{followed}");

    let transcript = read(&out.join("transcript.md"));
    assert!(transcript.contains("Karpenter launches right sized"));
    assert!(transcript.contains("namespaced RBAC roles"));
    assert!(transcript.contains("End of interview (ended by the candidate)"));
    assert!(out.join("debrief.md").is_file());
    assert_eq!(record(&out)["finished"], true);
    let kinds = event_kinds(&out);
    for k in ["scored", "skipped", "paused", "resumed", "command", "ended"] {
        assert!(kinds.iter().any(|e| e == k), "no {k} in {kinds:?}");
    }
    let status = ok(&d.cmd().arg("status").output().unwrap());
    assert!(status.contains("session: none running"), "{status}");
}

#[test]
fn kill_dash_nine_of_the_daemon_mid_session_keeps_the_files_and_resume_finishes() {
    let mut d = TestDaemon::start();
    let out = d.start_typed("s");
    let v = d.request(&serde_json::json!({"v": 1, "cmd": "answer", "text": FIRST}).to_string());
    assert_eq!(v["type"], "ok", "{v}");
    wait_for(&out.join("session.json"), "Karpenter launches right sized");
    d.signal("KILL");
    d.wait();

    let rec = record(&out);
    assert_eq!(rec["finished"], false);
    assert!(read(&out.join("transcript.md")).contains("Karpenter launches right sized"));
    // The folder is a valid session up to the last turn: resume finishes it.
    let rest = d.dir.path().join("rest.txt");
    std::fs::write(
        &rest,
        "Consolidation bin packs pods onto fewer nodes, and spot instances save up to ninety percent.\n\nend the interview\n",
    )
    .unwrap();
    ok(&d
        .cmd()
        .arg("resume")
        .arg(&out)
        .arg("--answers-from")
        .arg(&rest)
        .output()
        .unwrap());
    let transcript = read(&out.join("transcript.md"));
    assert!(transcript.contains("Karpenter launches right sized"));
    assert!(transcript.contains("Consolidation bin packs"));
    assert!(transcript.contains("End of interview (ended by the candidate)"));
    assert_eq!(record(&out)["finished"], true);
    // The crashed daemon's socket is replaced by the next one.
    d.spawn();
    assert_eq!(d.status()["session"], serde_json::Value::Null);
}

#[test]
fn sigterm_finishes_the_turn_saves_and_writes_a_partial_debrief() {
    let mut d = TestDaemon::start();
    let out = d.dir.path().join("s");
    let mut client = d
        .cmd()
        .args([
            "start",
            "--round",
            "kubernetes",
            "--seed",
            "7",
            "--text",
            "--out",
        ])
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = client.stdin.take().unwrap();
    writeln!(stdin, "{FIRST}\n").unwrap();
    wait_for(&out.join("session.json"), "Karpenter launches right sized");
    d.signal("TERM");
    assert!(d.wait().success(), "SIGTERM is a clean exit");
    assert!(!d.socket.exists(), "the socket is removed");
    let followed = ok(&client.wait_with_output().unwrap());
    assert!(followed.contains("interrupted"), "{followed}");
    drop(stdin);
    let debrief = read(&out.join("debrief.md"));
    assert!(debrief.contains("session not finished"), "{debrief}");
    assert!(
        debrief.contains("### Score Summary"),
        "the answer was scored: {debrief}"
    );
    let rec = record(&out);
    assert_eq!(rec["finished"], false);
    assert!(event_kinds(&out).iter().any(|k| k == "ended"));
}

#[test]
fn daemon_stop_saves_the_session_first() {
    let mut d = TestDaemon::start();
    let out = d.start_typed("s");
    let v = d.request(&serde_json::json!({"v": 1, "cmd": "answer", "text": FIRST}).to_string());
    assert_eq!(v["type"], "ok");
    wait_for(&out.join("session.json"), "Karpenter launches right sized");
    let stop = ok(&d.cmd().args(["daemon", "stop"]).output().unwrap());
    assert!(stop.contains("stopped"), "{stop}");
    assert!(d.wait().success());
    assert!(read(&out.join("debrief.md")).contains("session not finished"));
}

fn redact(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("Session `"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_scripted_session_in_the_daemon_writes_what_in_process_writes() {
    let d = TestDaemon::start();
    let run = |out: &Path, extra: &[&str]| {
        d.cmd()
            .args(["start", "--round", "kubernetes", "--seed", "7"])
            .args(extra)
            .arg("--answers-from")
            .arg(fixture("kubernetes-answers.txt"))
            .arg("--out")
            .arg(out)
            .output()
            .unwrap()
    };
    let via = d.dir.path().join("via-daemon");
    let shown = ok(&run(&via, &[]));
    assert!(shown.contains("runs in the daemon"), "{shown}");
    assert!(shown.contains("Question 1 ["), "{shown}");
    assert!(shown.contains("Rating "), "{shown}");
    let local = d.dir.path().join("in-process");
    let here = ok(&run(&local, &["--no-daemon"]));
    assert!(!here.contains("runs in the daemon"), "{here}");
    for f in ["transcript.md", "debrief.md"] {
        assert_eq!(
            redact(&read(&via.join(f))),
            redact(&read(&local.join(f))),
            "{f} differs"
        );
    }
}

#[test]
fn protocol_controls_pause_and_stop_a_session_then_answers_find_none() {
    let d = TestDaemon::start();
    let out = d.start_typed("s");
    let v = d.request(r#"{"v":1,"cmd":"control","action":"pause"}"#);
    assert_eq!(v["type"], "ok", "{v}");
    wait_for(&out.join("session.json"), "\"event\": \"paused\"");
    let v = d.request(r#"{"v":1,"cmd":"control","action":"stop"}"#);
    assert_eq!(v["type"], "ok", "{v}");
    wait_for(&out.join("session.json"), "\"finished\": true");
    let v = d.request(r#"{"v":1,"cmd":"answer","text":"hello"}"#);
    assert_eq!(v["code"], "no-session", "{v}");
}

#[test]
fn a_spoken_session_runs_on_the_daemons_warm_model() {
    let model = mockint::models::store::default_model_path();
    assert!(model.is_file(), "run scripts/setup.sh (installs tiny.en)");
    let d = TestDaemon::start_with(&[]);
    assert_eq!(d.status()["daemon"]["model"], "tiny.en");
    let wav = common::espeak(
        &d.dir.path().join("a.wav"),
        &["-s", "150"],
        "Cluster Autoscaler watches for pending pods and scales up the node group.",
    );
    let out = d.dir.path().join("s");
    let shown = ok(&d
        .cmd()
        .args(common::kubernetes_session("1"))
        .args(["--no-tts", "--fast", "--input-wav"])
        .arg(&wav)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap());
    assert!(shown.contains("runs in the daemon"), "{shown}");
    assert!(
        shown.to_lowercase().contains("pending"),
        "the answer was shown: {shown}"
    );
    let transcript = read(&out.join("transcript.md")).to_lowercase();
    assert!(transcript.contains("pending"), "{transcript}");
    assert!(out.join("debrief.md").is_file());
}

#[test]
fn a_spoken_session_in_the_daemon_is_paused_and_stopped_from_another_terminal() {
    let d = TestDaemon::start_with(&[]);
    let wav = common::espeak(
        &d.dir.path().join("a.wav"),
        &["-s", "150"],
        "Namespaces split one cluster into teams, with quotas and their own access rules.",
    );
    let out = d.dir.path().join("s");
    // Real time: the recorded answer plays for seconds, time enough to steer.
    let client = d
        .cmd()
        .args(common::kubernetes_session("2"))
        .args(["--no-tts", "--input-wav"])
        .arg(&wav)
        .arg("--out")
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(&out.join("session.json"), "\"event\": \"asked\"");
    let status = ok(&d.cmd().arg("status").output().unwrap());
    assert!(status.contains("voice"), "{status}");
    assert!(status.contains("model: tiny.en"), "{status}");
    assert!(status.contains("1 recorded answer(s)"), "{status}");
    assert_eq!(ok(&d.cmd().arg("pause").output().unwrap()).trim(), "paused");
    assert!(ok(&d.cmd().arg("status").output().unwrap()).contains("paused"));
    ok(&d.cmd().arg("stop").output().unwrap());
    let shown = ok(&client.wait_with_output().unwrap());
    assert!(
        shown.contains("End of interview (ended by the candidate)"),
        "{shown}"
    );
    let kinds = event_kinds(&out);
    assert!(kinds.iter().any(|k| k == "paused"), "{kinds:?}");
    assert_eq!(record(&out)["finished"], true);
    assert!(out.join("debrief.md").is_file());
}

#[test]
fn the_daemon_listens_through_the_microphone() {
    let va = common::audio::VirtualAudio::start();
    // The daemon, not the client, opens the (virtual) microphone.
    let d = TestDaemon::start_env(&[], va.env());
    let clip = common::audio::speech(
        d.dir.path(),
        "a",
        "Cluster Autoscaler watches for pending pods and scales up the node group.",
    );
    let out = d.dir.path().join("s");
    let client = d
        .cmd()
        .args(common::kubernetes_session("1"))
        .args(["--no-tts", "--out"])
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(&out.join("session.json"), "\"event\": \"asked\"");
    va.play_at(Duration::from_secs(1), &clip);
    let status = ok(&d.cmd().arg("status").output().unwrap());
    assert!(status.contains("microphone"), "{status}");
    let t0 = std::time::Instant::now();
    while !read(&out.join("session.json")).contains("\"event\": \"answer\"") {
        assert!(
            t0.elapsed() < Duration::from_secs(90),
            "no answer heard in 90 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    ok(&d.cmd().arg("stop").output().unwrap());
    let shown = ok(&client.wait_with_output().unwrap());
    assert!(shown.to_lowercase().contains("pending"), "{shown}");
    let transcript = read(&out.join("transcript.md")).to_lowercase();
    assert!(transcript.contains("pending"), "{transcript}");
    assert!(transcript.contains("end of interview (ended by the candidate)"));
}
