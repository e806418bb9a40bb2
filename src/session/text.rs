//! The text driver: the interviewer's actions performed with answers from a
//! [`TextSource`] — typed in the terminal ([`StdinAnswers`], a blank line
//! ending each), a scripted candidate ([`Script`], paced on a script clock),
//! or a daemon client (the daemon's own source). In: a [`Session`], a source
//! and a grader; out: the session folder, kept up to date after every step.

use super::state::{words, ScriptClock, Session};
use super::voice::stop;
use super::{Consultant, SessionError};
use crate::interviewer::{Clock, Grader, Input, Ms, RealClock};
use crate::transcript::{SessionRecord, StepKind};
use std::cell::Cell;
use std::collections::VecDeque;
use std::io::BufRead;
use std::sync::mpsc;
use std::time::Duration;

/// The session's time: real, or a script's (speech at 170 wpm, answers at
/// 150 wpm after a 2-s pause, so demo transcripts are reproducible).
pub enum TextClock {
    Real(RealClock),
    Script(ScriptClock),
}

impl Clock for TextClock {
    fn now(&self) -> Ms {
        match self {
            TextClock::Real(c) => c.now(),
            TextClock::Script(c) => c.now(),
        }
    }
}

impl TextClock {
    fn script(&self) -> Option<&ScriptClock> {
        match self {
            TextClock::Script(c) => Some(c),
            TextClock::Real(_) => None,
        }
    }
}

/// Where a text session's inputs come from.
pub trait TextSource {
    /// Whether answers come from a script (its clock is simulated).
    fn scripted(&self) -> bool;
    /// The next step — an answer, a command, a timeout at `deadline`, or
    /// the end — waiting as long as it takes.
    fn next(&mut self, clock: &TextClock, deadline: Option<Ms>) -> StepKind;
    /// The step was applied and saved; `record` holds its events.
    fn applied(&mut self, _record: &SessionRecord, _done: bool) {}
    /// The debrief is written.
    fn finished(&mut self, _record: &SessionRecord) {}
}

/// A scripted candidate's next answer, timed on the script clock.
pub fn scripted_answer(text: String, clock: &TextClock) -> StepKind {
    let c = clock.script().expect("a script runs on the script clock");
    let started = c.now.get() + 2_000;
    let ended = started + words(&text).max(1) * 60_000 / 150;
    c.now.set(ended);
    StepKind::Input {
        input: Input::Answer {
            text,
            started,
            ended,
        },
    }
}

/// `--answers-from FILE`: one block per answer; the end of the blocks ends
/// the session (resumable).
pub struct Script(pub VecDeque<String>);

impl TextSource for Script {
    fn scripted(&self) -> bool {
        true
    }
    fn next(&mut self, clock: &TextClock, _deadline: Option<Ms>) -> StepKind {
        match self.0.pop_front() {
            Some(text) => scripted_answer(text, clock),
            None => StepKind::Interrupt,
        }
    }
}

impl Session {
    /// Runs the session with `source` to its end (or an interrupt), with the
    /// LLM grader when one is configured and the offline scorer otherwise.
    pub fn run_text(
        self,
        source: &mut dyn TextSource,
        resuming: bool,
        llm: Option<crate::llm::LlmGrader>,
    ) -> Result<(), SessionError> {
        let scorer = crate::scorer::Scorer::new(self.bank.clone());
        self.drive(source, resuming, scorer, Consultant::spawn(llm))
    }

    /// Typed in the terminal, or scripted.
    pub fn run(
        self,
        script: Option<VecDeque<String>>,
        resuming: bool,
        llm: Option<crate::llm::LlmGrader>,
    ) -> Result<(), SessionError> {
        match script {
            Some(blocks) => self.run_text(&mut Script(blocks), resuming, llm),
            None => {
                stop::install();
                self.run_text(&mut StdinAnswers::spawn(), resuming, llm)
            }
        }
    }

    fn drive<G: Grader>(
        mut self,
        source: &mut dyn TextSource,
        resuming: bool,
        grader: G,
        mut consultant: Consultant,
    ) -> Result<(), SessionError> {
        let mut machine = self.replay_with(grader);
        let offset = self.record.last_at();
        let clock = if source.scripted() {
            TextClock::Script(ScriptClock {
                now: Cell::new(offset),
            })
        } else {
            TextClock::Real(RealClock::starting_at(offset + u64::from(resuming) * 1000))
        };
        self.view.folder(&self.dir.path);
        let first = if self.record.steps.is_empty() {
            StepKind::Start
        } else {
            StepKind::Reopen
        };
        let actions = self.apply(&mut machine, first, clock.now());
        let mut done = self.perform(actions, clock.script())?;
        source.applied(&self.record, done);
        while !done {
            // Typed answers: the candidate has the floor once the lines show.
            if machine.awaits_listening() {
                self.apply(&mut machine, StepKind::Listening, clock.now());
            }
            let step = match machine.pending_consult() {
                Some(request) => {
                    if !consultant.is_waiting() {
                        let q = &self.record.plan[machine.current().unwrap_or(0)].question;
                        consultant.ask(request, q);
                    }
                    wait_for_reply(&mut consultant, source, &clock)
                }
                None => {
                    // Moved on without the reply (skip, end): not wanted.
                    consultant.cancel();
                    source.next(&clock, machine.poll_timeout())
                }
            };
            let step = self.hear_step(step, machine.current().unwrap_or(0));
            match &step {
                StepKind::Interrupt => self.view.note(super::INTERRUPTED),
                StepKind::Input {
                    input: Input::Answer { text, .. },
                } if source.scripted() => self.view.heard(text),
                _ => {}
            }
            let actions = self.apply(&mut machine, step, clock.now());
            done = self.perform(actions, clock.script())?;
            source.applied(&self.record, done);
        }
        self.write_debrief()?;
        source.finished(&self.record);
        self.view.done(
            &self.dir.file("transcript.md"),
            &self.dir.file("debrief.md"),
        );
        Ok(())
    }
}

/// The next step while the model reviews: its reply, or (from a live
/// source: typed lines, a daemon client) what the candidate does meanwhile —
/// a remark, "skip", "end the interview" — which the interviewer takes
/// without waiting. Ctrl-C stops waiting.
fn wait_for_reply(
    consultant: &mut Consultant,
    source: &mut dyn TextSource,
    clock: &TextClock,
) -> StepKind {
    let mut input_open = !source.scripted();
    loop {
        if stop::requested() {
            consultant.cancel();
            return StepKind::Interrupt;
        }
        if let Some(reply) = consultant.reply(Duration::from_millis(50)) {
            return StepKind::Input {
                input: Input::Consulted { reply },
            };
        }
        if input_open {
            match source.next(clock, Some(clock.now() + 100)) {
                StepKind::Timeout => {}
                // The input ended (piped answers ran out, Ctrl-D): the review
                // of the last answer is waited for, and the end of input
                // comes after it. Ctrl-C does not wait.
                StepKind::Interrupt if !stop::requested() => input_open = false,
                step => return step,
            }
        }
    }
}

enum Line {
    Text(String),
    Eof,
}

/// Answers typed in the terminal: lines until a blank line.
pub struct StdinAnswers {
    rx: mpsc::Receiver<Line>,
}

impl StdinAnswers {
    /// Reads standard input on a thread.
    pub fn spawn() -> StdinAnswers {
        let (tx, rx) = mpsc::channel();
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
        StdinAnswers { rx }
    }
}

impl TextSource for StdinAnswers {
    fn scripted(&self) -> bool {
        false
    }

    /// One typed answer, a timeout, or the end (Ctrl-C, end of input).
    fn next(&mut self, clock: &TextClock, deadline: Option<Ms>) -> StepKind {
        let mut lines: Vec<String> = Vec::new();
        let mut started = None;
        loop {
            if stop::requested() {
                return StepKind::Interrupt;
            }
            let wait = match deadline.filter(|_| lines.is_empty()) {
                Some(d) if d <= clock.now() => return StepKind::Timeout,
                Some(d) => (d - clock.now()).min(100),
                None => 100,
            };
            let line = match self.rx.recv_timeout(Duration::from_millis(wait)) {
                Ok(l) => l,
                Err(mpsc::RecvTimeoutError::Timeout) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => Line::Eof,
            };
            match line {
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
}
