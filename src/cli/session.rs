//! A session being run: its folder, record and bank, shared by the typed and
//! voice drivers. Applies the interviewer's record actions, saves after every
//! event, and rebuilds the interviewer from the record to resume.

use super::CliError;
use crate::bank::Bank;
use crate::interviewer::{Action, EndReason, EventKind, Interviewer, Ms, Speech};
use crate::scorer::Scorer;
use crate::transcript::{
    render_debrief, render_transcript, AnswerTake, SessionDir, SessionRecord, Step, StepKind,
};
use crate::vocab::Vocabulary;
use std::cell::Cell;

/// Simulated time for scripted sessions: speech at 170 wpm, answers at 150 wpm
/// after a 2-s pause, so demo transcripts have realistic, reproducible times.
pub(super) struct ScriptClock {
    pub now: Cell<Ms>,
}

impl crate::interviewer::Clock for ScriptClock {
    fn now(&self) -> Ms {
        self.now.get()
    }
}

pub(super) fn words(text: &str) -> u64 {
    text.split_whitespace().count() as u64
}

pub(super) struct Session {
    pub(super) dir: SessionDir,
    pub(super) record: SessionRecord,
    pub(super) bank: Bank,
    pub(super) title: String,
    /// The jargon layer every answer passes through before the interviewer
    /// (and so the scorer) sees it.
    vocab: Option<Vocabulary>,
}

impl Session {
    pub(super) fn new(dir: SessionDir, record: SessionRecord, bank: Bank, title: String) -> Self {
        let vocab = match Vocabulary::for_session(&bank, &record.mode) {
            Ok(v) => Some(v),
            Err(e) => {
                eprintln!("warning: {e}; answers are kept as transcribed");
                None
            }
        };
        Session {
            dir,
            record,
            bank,
            title,
            vocab,
        }
    }

    /// An answer as heard (`raw`) becomes the answer the interviewer gets:
    /// the vocabulary layer writes its jargon canonically, and the record
    /// keeps the raw text, the rewrites and the audio file beside it.
    pub(super) fn heard(
        &mut self,
        index: usize,
        raw: &str,
        started: Ms,
        ended: Ms,
        audio: Option<String>,
    ) -> String {
        let rw = self.vocab.as_ref().map(|v| v.rewrite(raw));
        let changed = rw.as_ref().filter(|r| !r.rewrites.is_empty());
        if changed.is_some() || audio.is_some() {
            self.record.answers.push(AnswerTake {
                index,
                started,
                ended,
                raw: changed.map(|r| r.raw.clone()),
                rewrites: changed.map_or_else(Vec::new, |r| {
                    r.rewrites
                        .iter()
                        .map(|w| (w.raw.clone(), w.canonical.clone()))
                        .collect()
                }),
                audio,
            });
        }
        rw.map_or_else(|| raw.to_string(), |r| r.text)
    }

    pub(super) fn save(&self) -> Result<(), CliError> {
        self.dir.save(&self.record)?;
        self.dir.write_atomic(
            "transcript.md",
            render_transcript(&self.record, &self.title).as_bytes(),
        )?;
        Ok(())
    }

    pub(super) fn write_debrief(&self) -> Result<(), CliError> {
        self.dir.write_atomic(
            "debrief.md",
            render_debrief(&self.record, &self.bank.rubrics).as_bytes(),
        )?;
        Ok(())
    }

    /// Performs actions; returns true when the session finished.
    pub(super) fn perform(
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
                Action::Record(e) => self.record_event(e),
                Action::Finished => finished = true,
            }
        }
        self.save()?;
        Ok(finished)
    }

    /// A fresh interviewer brought to where the record left off, by replaying
    /// the recorded steps (the interviewer is deterministic). An interrupt is
    /// not replayed, so an interrupted session continues where it stopped.
    pub(super) fn replay(&mut self) -> Interviewer<Scorer> {
        let scorer = Scorer::new(self.bank.clone());
        let mut machine =
            Interviewer::new(self.record.plan.clone(), self.record.config.clone(), scorer);
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
        machine
    }

    /// Keeps an event in the record.
    pub(super) fn record_event(&mut self, e: crate::interviewer::Event) {
        if let EventKind::Ended { reason } = e.kind {
            self.record.finished = reason != EndReason::Interrupted;
        }
        self.record.events.push(e);
    }
}

pub(super) fn print_say(speech: Speech, text: &str, at: Ms) {
    let stamp = crate::transcript::clock(at);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match speech {
        Speech::Question => println!("\nInterviewer [{stamp}]: {text}"),
        Speech::FollowUp => println!("\nFollow-up [{stamp}]: {text}"),
        Speech::ModelAnswer | Speech::Feedback => println!("  {text}"),
        _ => println!("Interviewer [{stamp}]: {text}"),
    }
}
