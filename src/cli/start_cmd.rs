//! `mockint start` and `mockint resume`: runs an interview session in the
//! terminal — typed answers (`--text`) or a scripted candidate
//! (`--answers-from FILE`) — performing the interviewer's actions and keeping
//! the session folder up to date after every event.

use super::knowledge::KnowledgeError;
use super::CliError;
use crate::bank::{Bank, BankSource};
use crate::interviewer::{
    plan, Action, Clock, Config, Input, Interviewer, Mode, Ms, Planned, RealClock, Speech,
};
use crate::scorer::Scorer;
use crate::transcript::{
    default_sessions_dir, history, latest_session, render_debrief, render_transcript, SessionDir,
    SessionRecord, Step, StepKind, StoreError, SCHEMA_VERSION,
};
use clap::{Args, ValueEnum};
use std::cell::Cell;
use std::collections::VecDeque;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    Round,
    FullLoop,
    Drill,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// The round to practise (see `mockint rounds`)
    #[arg(long)]
    pub round: Option<String>,
    /// round (needs --round), full-loop (every round), or drill (the gaps of your last session)
    #[arg(long, value_enum)]
    pub mode: Option<ModeArg>,
    /// Questions in a round or drill session
    #[arg(long, default_value_t = 5)]
    pub questions: usize,
    /// Questions per round in full-loop mode
    #[arg(long, default_value_t = 2)]
    pub per_round: usize,
    /// Seed for question selection (default: from the clock)
    #[arg(long)]
    pub seed: Option<u64>,
    /// Type answers in the terminal; a blank line ends an answer
    #[arg(long)]
    pub text: bool,
    /// Play a scripted candidate: one answer (or command) per blank-line-separated block
    #[arg(long, value_name = "FILE")]
    pub answers_from: Option<PathBuf>,
    /// Session folder (default: a new folder under ~/.local/share/mockint/sessions)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seconds of silence before the interviewer checks in (0: never; typed answers never time out)
    #[arg(long)]
    pub silence_timeout: Option<u64>,
}

#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// Session folder (default: the most recent unfinished session)
    pub session: Option<PathBuf>,
    /// Play a scripted candidate for the rest of the session
    #[arg(long, value_name = "FILE")]
    pub answers_from: Option<PathBuf>,
}

fn bank(path: Option<&Path>) -> Result<Bank, CliError> {
    Bank::load(&BankSource::resolve(path)).map_err(|e| CliError::Knowledge(KnowledgeError::Bank(e)))
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Io { .. } => CliError::Failed(e.to_string()),
            _ => CliError::Usage(e.to_string()),
        }
    }
}

/// Reads a scripted candidate: blocks separated by blank lines; `#` lines are comments.
pub fn read_script(path: &Path) -> Result<VecDeque<String>, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        CliError::Usage(format!(
            "{}: cannot read the answers file ({e}); pass a readable text file",
            path.display()
        ))
    })?;
    let mut blocks = VecDeque::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        let t = line.trim();
        if t.starts_with('#') {
            continue;
        }
        if t.is_empty() {
            if !cur.is_empty() {
                blocks.push_back(cur.join(" "));
                cur.clear();
            }
        } else {
            cur.push(t);
        }
    }
    if blocks.is_empty() {
        return Err(CliError::Usage(format!(
            "{}: no answers in the file; write one answer per paragraph",
            path.display()
        )));
    }
    Ok(blocks)
}

fn resolve_mode(args: &StartArgs, bank: &Bank) -> Result<Mode, CliError> {
    let valid = || bank.round_names().join(", ");
    match (args.mode, &args.round) {
        (Some(ModeArg::FullLoop), _) => Ok(Mode::FullLoop {
            per_round: args.per_round,
        }),
        (Some(ModeArg::Drill), _) => Ok(Mode::Drill {
            questions: args.questions,
        }),
        (_, Some(round)) => Ok(Mode::Round {
            round: round.clone(),
            questions: args.questions,
        }),
        (Some(ModeArg::Round), None) => Err(CliError::Usage(format!(
            "--mode round needs --round ROUND; rounds: {}",
            valid()
        ))),
        (None, None) => Err(CliError::Usage(format!(
            "choose what to practise: --round ROUND ({}), --mode full-loop, or --mode drill",
            valid()
        ))),
    }
}

fn now_stamp() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

pub fn run_start(args: StartArgs, bank_dir: Option<&Path>) -> Result<(), CliError> {
    let bank = bank(bank_dir)?;
    let mode = resolve_mode(&args, &bank)?;
    // Everything that can be wrong with the input is checked before the session starts.
    let script = args.answers_from.as_deref().map(read_script).transpose()?;
    let sessions = default_sessions_dir();
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(7)
    });
    let planned: Vec<Planned> = plan(&bank, &mode, seed, &history(&sessions))
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let created = now_stamp();
    let out = args.out.clone().unwrap_or_else(|| {
        sessions.join(format!(
            "{}-{}",
            created.replace(':', "-").trim_end_matches('Z'),
            mode.slug()
        ))
    });
    let dir = SessionDir::create(&out)?;
    if script.is_none() && !args.text {
        eprintln!("note: the voice loop is not built yet; answers are typed (--text). A blank line ends an answer.");
    }
    let config = Config {
        silence_timeout: args.silence_timeout.filter(|&s| s > 0).map(|s| s * 1000),
        max_follow_ups: 2,
    };
    let record = SessionRecord {
        schema_version: SCHEMA_VERSION,
        id: out
            .file_name()
            .map_or("session".into(), |n| n.to_string_lossy().to_string()),
        created,
        mode: mode.clone(),
        seed,
        config: config.clone(),
        bank: BankSource::resolve(bank_dir).describe(),
        plan: planned,
        steps: Vec::new(),
        events: Vec::new(),
        finished: false,
    };
    let title = mode.describe(&bank);
    let session = Session::new(dir, record, bank, title);
    session.run(script, false)
}

pub fn run_resume(args: ResumeArgs, bank_dir: Option<&Path>) -> Result<(), CliError> {
    let bank = bank(bank_dir)?;
    let script = args.answers_from.as_deref().map(read_script).transpose()?;
    let (dir, record) = match &args.session {
        Some(p) => {
            let d = SessionDir::open(p);
            let r = d.load()?;
            (d, r)
        }
        None => latest_session(&default_sessions_dir(), true)?,
    };
    if record.finished {
        return Err(CliError::Usage(format!(
            "{}: this session already finished; start a new one with `mockint start`",
            dir.path.display()
        )));
    }
    let title = record.mode.describe(&bank);
    let session = Session::new(dir, record, bank, title);
    session.run(script, true)
}

/// Simulated time for scripted sessions: speech at 170 wpm, answers at 150 wpm
/// after a 2-s pause, so demo transcripts have realistic, reproducible times.
struct ScriptClock {
    now: Cell<Ms>,
}

impl Clock for ScriptClock {
    fn now(&self) -> Ms {
        self.now.get()
    }
}

fn words(text: &str) -> u64 {
    text.split_whitespace().count() as u64
}

enum Line {
    Text(String),
    Eof,
    Interrupt,
}

struct Session {
    dir: SessionDir,
    record: SessionRecord,
    bank: Bank,
    title: String,
}

impl Session {
    fn new(dir: SessionDir, record: SessionRecord, bank: Bank, title: String) -> Self {
        Session {
            dir,
            record,
            bank,
            title,
        }
    }

    fn save(&self) -> Result<(), CliError> {
        self.dir.save(&self.record)?;
        self.dir.write_atomic(
            "transcript.md",
            render_transcript(&self.record, &self.title).as_bytes(),
        )?;
        Ok(())
    }

    fn write_debrief(&self) -> Result<(), CliError> {
        self.dir.write_atomic(
            "debrief.md",
            render_debrief(&self.record, &self.bank.rubrics).as_bytes(),
        )?;
        Ok(())
    }

    /// Performs actions; returns true when the session finished.
    fn perform(
        &mut self,
        actions: Vec<Action>,
        clock: Option<&ScriptClock>,
        show: bool,
    ) -> Result<bool, CliError> {
        let mut finished = false;
        for a in actions {
            match a {
                Action::Say { speech, text } => {
                    let at = self.record.last_at();
                    if show {
                        print_say(speech, &text, at);
                    }
                    if let Some(c) = clock {
                        c.now.set(c.now.get() + words(&text) * 60_000 / 170);
                    }
                }
                Action::Listen { index, .. } => {
                    if show {
                        let p = &self.record.plan[index];
                        println!(
                            "    ({} · {} · question {} of {})",
                            p.round_title,
                            p.question.kind.title(),
                            index + 1,
                            self.record.plan.len()
                        );
                    }
                }
                Action::Record(e) => {
                    if let crate::interviewer::EventKind::Ended { reason } = e.kind {
                        self.record.finished = reason != crate::interviewer::EndReason::Interrupted;
                    }
                    self.record.events.push(e);
                }
                Action::Finished => finished = true,
            }
        }
        self.save()?;
        Ok(finished)
    }

    fn run(mut self, mut script: Option<VecDeque<String>>, resuming: bool) -> Result<(), CliError> {
        let scorer = Scorer::new(self.bank.clone());
        let mut machine =
            Interviewer::new(self.record.plan.clone(), self.record.config.clone(), scorer);
        // Replay what was already recorded (resume): the machine is deterministic.
        let old_steps: Vec<Step> = std::mem::take(&mut self.record.steps)
            .into_iter()
            .filter(|s| !matches!(s.kind, StepKind::Interrupt))
            .collect();
        self.record.events.clear();
        self.record.finished = false;
        for step in &old_steps {
            let actions = match &step.kind {
                StepKind::Start => machine.start(step.at),
                StepKind::Input { input } => machine.handle(input.clone(), step.at),
                StepKind::Timeout => machine.handle_timeout(step.at),
                StepKind::Interrupt => Vec::new(),
            };
            self.record.steps.push(step.clone());
            for a in actions {
                if let Action::Record(e) = a {
                    self.record.events.push(e);
                }
            }
        }
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

fn print_say(speech: Speech, text: &str, at: Ms) {
    let stamp = crate::transcript::clock(at);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match speech {
        Speech::Question => println!("\nInterviewer [{stamp}]: {text}"),
        Speech::FollowUp => println!("\nFollow-up [{stamp}]: {text}"),
        Speech::ModelAnswer | Speech::Feedback => println!("  {text}"),
        _ => println!("Interviewer [{stamp}]: {text}"),
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
