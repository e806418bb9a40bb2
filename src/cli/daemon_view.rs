//! What a terminal shows of a daemon session: the session's status, and its
//! events as they come (typed answers sent back for `--text` sessions).

use super::daemon_cmd::cli_err;
use super::CliError;
use crate::daemon::client::Client;
use crate::daemon::protocol::{Request, Response, SessionStatus};
use crate::daemon::DaemonError;
use crate::interviewer::{Event, EventKind};
use std::io::BufRead;
use std::time::Instant;

pub(super) fn print_session(s: &SessionStatus) {
    println!(
        "session: {} · {} · {} · {} · question {} of {} · {} elapsed",
        s.id,
        s.title,
        s.kind,
        s.phase,
        s.question.map_or(0, |i| i + 1),
        s.questions,
        crate::transcript::duration(s.elapsed_s * 1000)
    );
    if let Some(q) = &s.question_text {
        println!("  question: {}", squash(q));
    }
    println!("  folder: {}", s.dir.display());
    println!(
        "  model: {} · input: {} · output: {}",
        s.model.as_deref().unwrap_or("none"),
        s.input,
        s.output
    );
}

/// Prints the session's events until it ends; with `typed`, a thread sends
/// each typed answer (lines up to a blank line) to the daemon.
pub(super) fn follow(mut c: Client, typed: bool) -> Result<(), CliError> {
    if typed {
        let mut tx = c.sender().map_err(cli_err)?;
        std::thread::spawn(move || {
            let mut lines: Vec<String> = Vec::new();
            let mut began = Instant::now();
            let mut send = |lines: &mut Vec<String>, began: Instant| {
                let text = lines.join(" ");
                lines.clear();
                tx.send(&Request::Answer {
                    text,
                    typing_ms: began.elapsed().as_millis() as u64,
                })
            };
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                let t = line.trim();
                if t.is_empty() {
                    if !lines.is_empty() && send(&mut lines, began).is_err() {
                        return;
                    }
                } else {
                    if lines.is_empty() {
                        began = Instant::now();
                    }
                    lines.push(t.to_string());
                }
            }
            if !lines.is_empty() {
                let _ = send(&mut lines, began);
            }
        });
    }
    loop {
        match c.recv() {
            Ok(Response::Event { event, .. }) => render(&event),
            Ok(Response::Ended { dir, finished }) => {
                if !finished {
                    println!("\nThe session was interrupted; continue it with `mockint resume {}`.", dir.display());
                }
                println!(
                    "\nTranscript: {}\nDebrief:    {}",
                    dir.join("transcript.md").display(),
                    dir.join("debrief.md").display()
                );
                return Ok(());
            }
            Ok(Response::Error { message, .. }) => eprintln!("mockint: {message}"),
            Ok(_) => {}
            Err(DaemonError::Closed) => {
                return Err(CliError::Failed(
                    "the daemon went away during the session; its folder keeps every finished answer — continue it with `mockint resume`".into(),
                ))
            }
            Err(e) => return Err(cli_err(e)),
        }
    }
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One event as the terminal shows it.
pub fn render(e: &Event) {
    let at = crate::transcript::clock(e.at);
    match &e.kind {
        EventKind::Started { questions } => println!("Interview started: {questions} questions."),
        EventKind::Asked {
            index, intro, text, ..
        } => {
            if let Some(i) = intro {
                println!("\nInterviewer [{at}]: {}", squash(i));
            }
            println!("\nQuestion {} [{at}]: {}", index + 1, squash(text));
        }
        EventKind::FollowUp { text, .. } => println!("\nFollow-up [{at}]: {}", squash(text)),
        EventKind::Answer { text, .. } => println!("\n> {text}"),
        EventKind::Remark { text, .. } => println!("\n> (over the interviewer) {text}"),
        EventKind::QuestionBack { text, .. } => println!("\n> (asks) {text}"),
        EventKind::Command { command, .. } => {
            println!("    (the candidate {})", command.describe())
        }
        EventKind::Prompted { text, .. } => println!("\nInterviewer [{at}]: {text}"),
        EventKind::Scored { score, .. } => {
            println!("  Rating {} of 4 — {}.", score.rating, score.level);
            println!("  Key point: {}", squash(&score.key_point));
        }
        EventKind::Skipped { reason, .. } => println!("  (skipped — {reason})"),
        EventKind::Paused => {
            println!("    (paused — `mockint resume` from any terminal, or type \"resume\")")
        }
        EventKind::Resumed => println!("    (resumed)"),
        EventKind::Ended { reason, .. } => {
            println!("\nEnd of interview ({}).", reason.describe())
        }
    }
}
