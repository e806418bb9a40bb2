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
    /// The meter is drawn on the current line, which any other output
    /// clears first (so the scrollback holds no stale meters).
    meter_on: bool,
}

impl TerminalView {
    fn clear_meter(&mut self) {
        if std::mem::take(&mut self.meter_on) {
            print!("\r\x1b[2K");
        }
    }
}

impl View for TerminalView {
    fn folder(&mut self, path: &Path) {
        self.clear_meter();
        println!("Session folder: {}", path.display());
    }

    fn said(&mut self, speech: Speech, text: &str, at: Ms) {
        self.clear_meter();
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
        self.clear_meter();
        println!("\n> {text}\n");
    }

    fn partial(&mut self, text: &str) {
        self.clear_meter();
        println!("    … {text}");
    }

    fn note(&mut self, text: &str) {
        self.clear_meter();
        if text.starts_with('(') {
            println!("    {text}");
        } else {
            println!("\n{text}");
        }
    }

    fn warn(&mut self, text: &str) {
        self.clear_meter();
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
        self.meter_on = true;
    }

    fn progress(&mut self, round: &str, kind: &str, index: usize, of: usize) {
        self.clear_meter();
        if self.shown.replace(index) != Some(index) {
            println!("    ({round} · {kind} · question {} of {of})", index + 1);
        }
    }

    fn done(&mut self, transcript: &Path, debrief: &Path) {
        self.clear_meter();
        println!(
            "\nTranscript: {}\nDebrief:    {}",
            transcript.display(),
            debrief.display()
        );
    }
}
