//! The terminal's text session: the interviewer's actions performed with
//! typed answers (`--text`, read from stdin a blank line at a time) or a
//! scripted candidate (`--answers-from FILE`, paced on a script clock). In:
//! a [`Session`] and an optional LLM grader; out: the session folder, kept
//! up to date after every step.

use super::session::{print_say, words, ScriptClock, Session};
use super::CliError;
use crate::interviewer::{Clock, Input, Ms, RealClock, Speech};
use crate::transcript::{Step, StepKind};
use std::cell::Cell;
use std::collections::VecDeque;
use std::io::BufRead;
use std::sync::mpsc;

enum Line {
    Text(String),
    Eof,
    Interrupt,
}

impl Session {
    /// Runs the session to its end (or an interrupt), with the LLM grader
    /// when one is configured and the offline scorer otherwise.
    pub(super) fn run(
        self,
        script: Option<VecDeque<String>>,
        resuming: bool,
        llm: Option<crate::llm::LlmGrader>,
    ) -> Result<(), CliError> {
        match llm {
            Some(grader) => self.drive(script, resuming, grader),
            None => {
                let scorer = crate::scorer::Scorer::new(self.bank.clone());
                self.drive(script, resuming, scorer)
            }
        }
    }

    fn drive<G: crate::interviewer::Grader>(
        mut self,
        mut script: Option<VecDeque<String>>,
        resuming: bool,
        grader: G,
    ) -> Result<(), CliError> {
        let mut machine = self.replay_with(grader);
        let offset = self.record.last_at();
        let script_clock = script.as_ref().map(|_| ScriptClock {
            now: Cell::new(offset),
        });
        let real = RealClock::starting_at(offset + u64::from(resuming) * 1000);
        let clock: &dyn Clock = match &script_clock {
            Some(c) => c,
            None => &real,
        };
        println!("Session folder: {}", self.dir.path.display());
        let mut done = if self.record.steps.is_empty() {
            let now = clock.now();
            self.record.steps.push(Step {
                at: now,
                kind: StepKind::Start,
            });
            let actions = machine.start(now);
            self.perform(actions, script_clock.as_ref(), true)?
        } else {
            println!(
                "Resuming {} at question {}.",
                self.record.id,
                machine.current().map_or(0, |i| i + 1)
            );
            if let Some(i) = machine.current() {
                print_say(
                    Speech::Question,
                    &self.record.plan[i].question.prompt,
                    offset,
                );
            }
            self.save()?;
            machine.is_done()
        };
        let rx = if script.is_none() {
            Some(spawn_stdin())
        } else {
            None
        };
        while !done {
            let step = match (&mut script, &rx) {
                (Some(blocks), _) => match blocks.pop_front() {
                    Some(text) => {
                        let c = script_clock.as_ref().expect("script clock");
                        let started = c.now.get() + 2_000;
                        let ended = started + words(&text).max(1) * 60_000 / 150;
                        c.now.set(ended);
                        println!("\n> {text}\n");
                        StepKind::Input {
                            input: Input::Answer {
                                text,
                                started,
                                ended,
                            },
                        }
                    }
                    None => StepKind::Interrupt,
                },
                (None, Some(rx)) => read_answer(rx, clock, machine.poll_timeout()),
                (None, None) => StepKind::Interrupt,
            };
            let step = self.hear_step(step, machine.current().unwrap_or(0));
            let now = clock.now();
            self.record.steps.push(Step {
                at: now,
                kind: step.clone(),
            });
            let actions = match step {
                StepKind::Input { input } => machine.handle(input, now),
                StepKind::Timeout => machine.handle_timeout(now),
                StepKind::Interrupt => {
                    println!("\nInterview interrupted — saving a partial debrief. Resume with `mockint resume`.");
                    machine.interrupt(now)
                }
                StepKind::Start => Vec::new(),
            };
            done = self.perform(actions, script_clock.as_ref(), true)?;
        }
        self.write_debrief()?;
        println!(
            "\nTranscript: {}\nDebrief:    {}",
            self.dir.file("transcript.md").display(),
            self.dir.file("debrief.md").display()
        );
        Ok(())
    }
}

/// Stdin lines (and Ctrl-C) on a channel, read by a thread.
fn spawn_stdin() -> mpsc::Receiver<Line> {
    let (tx, rx) = mpsc::channel();
    let ctrl = tx.clone();
    let _ = ctrlc::set_handler(move || {
        let _ = ctrl.send(Line::Interrupt);
    });
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        for line in stdin.lock().lines() {
            match line {
                Ok(l) => {
                    if tx.send(Line::Text(l)).is_err() {
                        return;
                    }
                }
                Err(_) => break,
            }
        }
        let _ = tx.send(Line::Eof);
    });
    rx
}

/// Reads one typed answer (lines until a blank line), or a timeout/interrupt.
fn read_answer(rx: &mpsc::Receiver<Line>, clock: &dyn Clock, deadline: Option<Ms>) -> StepKind {
    let mut lines: Vec<String> = Vec::new();
    let mut started = None;
    loop {
        let line = match deadline.filter(|_| lines.is_empty()) {
            Some(d) => {
                let wait = d.saturating_sub(clock.now());
                match rx.recv_timeout(std::time::Duration::from_millis(wait)) {
                    Ok(l) => l,
                    Err(mpsc::RecvTimeoutError::Timeout) => return StepKind::Timeout,
                    Err(mpsc::RecvTimeoutError::Disconnected) => Line::Eof,
                }
            }
            None => rx.recv().unwrap_or(Line::Eof),
        };
        match line {
            Line::Interrupt => return StepKind::Interrupt,
            Line::Eof if lines.is_empty() => return StepKind::Interrupt,
            Line::Eof => break,
            Line::Text(t) if t.trim().is_empty() => {
                if !lines.is_empty() {
                    break;
                }
            }
            Line::Text(t) => {
                started.get_or_insert_with(|| clock.now());
                lines.push(t.trim().to_string());
            }
        }
    }
    StepKind::Input {
        input: Input::Answer {
            text: lines.join(" "),
            started: started.unwrap_or_else(|| clock.now()),
            ended: clock.now(),
        },
    }
}
