//! A session being run: its folder, record and bank, shared by the typed and
//! voice drivers. Applies the interviewer's record actions, saves after every
//! event, and rebuilds the interviewer from the record to resume.

use super::CliError;
use crate::bank::Bank;
use crate::interviewer::{Action, EndReason, EventKind, Grader, Input, Interviewer, Ms, Speech};
use crate::transcript::{
    render_debrief, render_transcript, AnswerTake, SessionDir, SessionRecord, Step, StepKind,
};
use crate::vocab::Vocabulary;
use std::cell::Cell;

/// Simulated time for scripted sessions: speech at 170 wpm, answers at 150 wpm
/// after a 2-s pause, so demo transcripts have realistic, reproducible times.
pub(crate) struct ScriptClock {
    pub now: Cell<Ms>,
}

impl crate::interviewer::Clock for ScriptClock {
    fn now(&self) -> Ms {
        self.now.get()
    }
}

pub(crate) fn words(text: &str) -> u64 {
    text.split_whitespace().count() as u64
}

pub(crate) struct Session {
    pub(crate) dir: SessionDir,
    pub(crate) record: SessionRecord,
    pub(crate) bank: Bank,
    pub(crate) title: String,
    /// The LLM grader's record, copied into `record.llm` before each save.
    pub(crate) llm_log: Option<crate::llm::SharedLog>,
    /// The jargon layer every answer passes through before the interviewer
    /// (and so the scorer) sees it.
    vocab: Option<Vocabulary>,
}

impl Session {
    pub(crate) fn new(dir: SessionDir, record: SessionRecord, bank: Bank, title: String) -> Self {
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
            llm_log: None,
            vocab,
        }
    }

    /// Whisper's initial prompt for this session: the vocabulary's short
    /// list of the round's jargon (`None` without a vocabulary).
    pub(crate) fn whisper_prompt(&self) -> Option<String> {
        self.vocab
            .as_ref()
            .map(Vocabulary::prompt)
            .filter(|p| !p.is_empty())
    }

    /// An answer as heard (`raw`) becomes the answer the interviewer gets:
    /// the vocabulary layer writes its jargon canonically, and the record
    /// keeps the raw text, the rewrites and the audio file beside it.
    pub(crate) fn heard(
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

    /// A typed or scripted answer step passes through [`Session::heard`].
    pub(crate) fn hear_step(&mut self, step: StepKind, index: usize) -> StepKind {
        match step {
            StepKind::Input {
                input:
                    Input::Answer {
                        text,
                        started,
                        ended,
                    },
            } => StepKind::Input {
                input: Input::Answer {
                    text: self.heard(index, &text, started, ended, None),
                    started,
                    ended,
                },
            },
            other => other,
        }
    }

    /// Writes session.json (with the LLM grader's outcomes so far) and
    /// transcript.md.
    pub(crate) fn save(&mut self) -> Result<(), CliError> {
        if let Some(log) = &self.llm_log {
            self.record.llm = Some(log.lock().expect("llm log lock").clone());
        }
        self.dir.save(&self.record)?;
        self.dir.write_atomic(
            "transcript.md",
            render_transcript(&self.record, &self.title).as_bytes(),
        )?;
        Ok(())
    }

    pub(crate) fn write_debrief(&mut self) -> Result<(), CliError> {
        // Recorded answers get their delivery measured (once) before the debrief.
        let model = crate::models::store::default_model_path();
        match crate::delivery::session::measure_session(&self.dir.path, &mut self.record, &model) {
            Ok(0) => {}
            Ok(_) => self.save()?,
            Err(e) => eprintln!("warning: delivery metrics were not measured: {e}"),
        }
        self.dir.write_atomic(
            "debrief.md",
            render_debrief(&self.record, &self.bank.rubrics).as_bytes(),
        )?;
        Ok(())
    }

    /// Performs actions; returns true when the session finished.
    pub(crate) fn perform(
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

    /// A fresh interviewer with `grader`, brought to where the record left
    /// off by replaying the recorded steps (the interviewer is deterministic;
    /// the LLM grader reads its recorded outcomes instead of asking the
    /// model). An interrupt is not replayed, so an interrupted session
    /// continues where it stopped.
    pub(crate) fn replay_with<G: Grader>(&mut self, grader: G) -> Interviewer<G> {
        let mut machine =
            Interviewer::new(self.record.plan.clone(), self.record.config.clone(), grader);
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
    pub(crate) fn record_event(&mut self, e: crate::interviewer::Event) {
        if let EventKind::Ended { reason } = e.kind {
            self.record.finished = reason != EndReason::Interrupted;
        }
        self.record.events.push(e);
    }
}

pub(crate) fn print_say(speech: Speech, text: &str, at: Ms) {
    let stamp = crate::transcript::clock(at);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match speech {
        Speech::Question => println!("\nInterviewer [{stamp}]: {text}"),
        Speech::FollowUp => println!("\nFollow-up [{stamp}]: {text}"),
        Speech::ModelAnswer | Speech::Feedback => println!("  {text}"),
        _ => println!("Interviewer [{stamp}]: {text}"),
    }
}
