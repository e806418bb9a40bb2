//! The terminal's view of a session: the interviewer's lines with their
//! times, what was heard, a level meter while listening, warnings on stderr.

use crate::interviewer::{Ms, Speech};
use crate::session::View;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

#[derive(Default)]
pub struct TerminalView {
    last_meter: Option<Instant>,
    /// The question whose progress line was shown last (shown once each).
    shown: Option<usize>,
}

impl View for TerminalView {
    fn folder(&mut self, path: &Path) {
        println!("Session folder: {}", path.display());
    }

    fn said(&mut self, speech: Speech, text: &str, at: Ms) {
        let stamp = crate::transcript::clock(at);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        match speech {
            Speech::Question => println!("\nInterviewer [{stamp}]: {text}"),
            Speech::FollowUp => println!("\nFollow-up [{stamp}]: {text}"),
            Speech::ModelAnswer | Speech::Feedback => println!("  {text}"),
            _ => println!("Interviewer [{stamp}]: {text}"),
        }
    }

    fn heard(&mut self, text: &str) {
        println!("\n> {text}\n");
    }

    fn partial(&mut self, text: &str) {
        println!("    … {text}");
    }

    fn note(&mut self, text: &str) {
        if text.starts_with('(') {
            println!("    {text}");
        } else {
            println!("\n{text}");
        }
    }

    fn warn(&mut self, text: &str) {
        eprintln!("warning: {text}");
    }

    fn meter(&mut self, level: f32, elapsed: Ms) {
        if self
            .last_meter
            .is_some_and(|t| t.elapsed().as_millis() < 250)
            || !std::io::stdout().is_terminal()
        {
            return;
        }
        let bars = ((level * 200.0) as usize).min(20);
        print!(
            "\r    [{:<20}] {}  ",
            "▮".repeat(bars),
            crate::transcript::clock(elapsed)
        );
        let _ = std::io::stdout().flush();
        self.last_meter = Some(Instant::now());
    }

    fn progress(&mut self, round: &str, kind: &str, index: usize, of: usize) {
        if self.shown.replace(index) != Some(index) {
            println!("    ({round} · {kind} · question {} of {of})", index + 1);
        }
    }

    fn done(&mut self, transcript: &Path, debrief: &Path) {
        println!(
            "\nTranscript: {}\nDebrief:    {}",
            transcript.display(),
            debrief.display()
        );
    }
}
