//! A session being run: its folder (locked while it runs), record and bank,
//! shared by the typed and voice drivers. Applies the interviewer's record
//! actions, saves after every event, and rebuilds the interviewer from the
//! record to resume.

use super::view::{LogView, View};
use super::SessionError;
use crate::bank::Bank;
use crate::interviewer::{Action, EndReason, EventKind, Grader, Input, Interviewer, Ms};
use crate::transcript::{
    render_debrief, render_transcript, AnswerTake, SessionDir, SessionRecord, Step, StepKind,
};
use crate::vocab::Vocabulary;
use std::cell::Cell;

/// Simulated time for scripted sessions: speech at 170 wpm, answers at 150 wpm
/// after a 2-s pause, so demo transcripts have realistic, reproducible times.
pub struct ScriptClock {
    pub now: Cell<Ms>,
}

impl crate::interviewer::Clock for ScriptClock {
    fn now(&self) -> Ms {
        self.now.get()
    }
}

/// What the view says while the model reviews an answer.
pub const CONSULTING: &str = "The model is reviewing your answer…";

pub fn words(text: &str) -> u64 {
    text.split_whitespace().count() as u64
}

pub struct Session {
    pub dir: SessionDir,
    pub record: SessionRecord,
    pub bank: Bank,
    pub title: String,
    /// The LLM grader's record, copied into `record.llm` before each save.
    pub llm_log: Option<crate::llm::SharedLog>,
    /// Where the session shows itself (the log, unless a view is given).
    pub view: Box<dyn View>,
    /// The Whisper model that measures delivery for the debrief (the
    /// session's own; the default model when it has none).
    pub delivery_model: Option<crate::stt::whisper::WhisperModel>,
    /// Held while the session runs: a second process is refused the folder.
    _lock: super::lock::FolderLock,
    /// The jargon layer every answer passes through before the interviewer
    /// (and so the scorer) sees it.
    vocab: Option<Vocabulary>,
    /// The terms in focus for the question at an index (built once per
    /// question).
    focus: Option<(usize, Option<crate::vocab::Focus>)>,
}

impl Session {
    pub fn new(
        dir: SessionDir,
        record: SessionRecord,
        bank: Bank,
        title: String,
    ) -> Result<Self, SessionError> {
        let lock = super::lock::FolderLock::take(&dir.path)?;
        let mut view: Box<dyn View> = Box::new(LogView);
        let vocab = match Vocabulary::for_session(&bank, &record.mode) {
            Ok(v) => Some(v),
            Err(e) => {
                view.warn(&format!("{e}; answers are kept as transcribed"));
                None
            }
        };
        Ok(Session {
            dir,
            record,
            bank,
            title,
            llm_log: None,
            view,
            delivery_model: None,
            _lock: lock,
            vocab,
            focus: None,
        })
    }

    /// Whisper's initial prompt for this session: the vocabulary's short
    /// list of the round's jargon (`None` without a vocabulary).
    pub fn whisper_prompt(&self) -> Option<String> {
        self.vocab
            .as_ref()
            .map(Vocabulary::prompt)
            .filter(|p| !p.is_empty())
    }

    /// Whisper's initial prompt while the candidate answers `planned`: its
    /// round's, also in a full loop or a drill (`None` without a
    /// vocabulary or when the prompt would be empty).
    pub fn whisper_prompt_for(&self, planned: &crate::interviewer::Planned) -> Option<String> {
        let v = self.vocab.as_ref()?;
        let p = match self.bank.round(&planned.round) {
            Some(r) => v.prompt_for(r),
            None => v.prompt(),
        };
        (!p.is_empty()).then_some(p)
    }

    /// What Whisper is biased toward while the candidate answers `planned`:
    /// its question's terms first, then its round's (`None` without a
    /// vocabulary).
    pub fn bias_context(
        &self,
        planned: &crate::interviewer::Planned,
    ) -> Option<std::sync::Arc<crate::stt::bias::BiasContext>> {
        let v = self.vocab.as_ref()?;
        let s = crate::vocab::context::Situation {
            round: self.bank.round(&planned.round),
            question: Some(&planned.question),
            intake: &[],
        };
        let c = v.bias_context(&s, Default::default());
        (!c.is_empty()).then(|| std::sync::Arc::new(c))
    }

    /// `raw` through the vocabulary layer, with the terms of the question
    /// at `index` in focus (`None` without a vocabulary).
    fn rewrite(&mut self, index: usize, raw: &str) -> Option<crate::vocab::Rewritten> {
        let vocab = self.vocab.as_ref()?;
        if self.focus.as_ref().map_or(true, |(i, _)| *i != index) {
            let focus = self.record.plan.get(index).map(|p| {
                vocab.focus(&crate::vocab::context::Situation {
                    round: self.bank.round(&p.round),
                    question: Some(&p.question),
                    intake: &[],
                })
            });
            self.focus = Some((index, focus));
        }
        Some(match self.focus.as_ref().and_then(|(_, f)| f.as_ref()) {
            Some(f) => vocab.rewrite_in(raw, f),
            None => vocab.rewrite(raw),
        })
    }

    /// An answer as heard (`raw`) becomes the answer the interviewer gets:
    /// the vocabulary layer writes its jargon canonically (the question's
    /// own terms in focus), and the record keeps the raw text, the rewrites
    /// and the audio file beside it.
    pub fn heard(
        &mut self,
        index: usize,
        raw: &str,
        started: Ms,
        ended: Ms,
        audio: Option<String>,
    ) -> String {
        let rw = self.rewrite(index, raw);
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

    /// `raw` as [`Session::heard`] would pass it on for the question at
    /// `index` (jargon written canonically), recording nothing.
    pub fn as_heard(&mut self, index: usize, raw: &str) -> String {
        self.rewrite(index, raw)
            .map_or_else(|| raw.to_string(), |r| r.text)
    }

    /// A typed or scripted answer step passes through [`Session::heard`].
    pub fn hear_step(&mut self, step: StepKind, index: usize) -> StepKind {
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
    pub fn save(&mut self) -> Result<(), SessionError> {
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

    /// The debrief without measuring delivery (a stopping session: Whisper's
    /// pass over every answer would keep the candidate waiting).
    pub fn write_debrief_now(&mut self) -> Result<(), SessionError> {
        self.save()?;
        self.dir.write_atomic(
            "debrief.md",
            render_debrief(&self.record, &self.bank.rubrics).as_bytes(),
        )?;
        Ok(())
    }

    pub fn write_debrief(&mut self) -> Result<(), SessionError> {
        // Recorded answers get their delivery measured (once) before the
        // debrief, with the session's own model when it has one loaded.
        let measured = match &self.delivery_model {
            Some(m) => {
                crate::delivery::session::measure_session_with(&self.dir.path, &mut self.record, m)
            }
            None => {
                let model = crate::models::store::default_model_path();
                crate::delivery::session::measure_session(&self.dir.path, &mut self.record, &model)
            }
        };
        match measured {
            Ok(0) => {}
            Ok(_) => self.save()?,
            Err(e) => self
                .view
                .warn(&format!("delivery metrics were not measured: {e}")),
        }
        self.dir.write_atomic(
            "debrief.md",
            render_debrief(&self.record, &self.bank.rubrics).as_bytes(),
        )?;
        Ok(())
    }

    /// Performs actions; returns true when the session finished.
    pub fn perform(
        &mut self,
        actions: Vec<Action>,
        clock: Option<&ScriptClock>,
    ) -> Result<bool, SessionError> {
        let mut finished = false;
        for a in actions {
            match a {
                Action::Say { speech, text } => {
                    let at = self.record.last_at();
                    self.view.said(speech, &text, at);
                    if let Some(c) = clock {
                        c.now.set(c.now.get() + words(&text) * 60_000 / 170);
                    }
                }
                Action::Listen { index, .. } => {
                    let p = &self.record.plan[index];
                    self.view.progress(
                        &p.round_title,
                        p.question.kind.title(),
                        index,
                        self.record.plan.len(),
                    );
                }
                Action::Record(e) => self.record_event(e),
                // The driver asks its consultant (see `Interviewer::pending_consult`).
                Action::Consult(_) => self.view.note(CONSULTING),
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
    pub fn replay_with<G: Grader>(&mut self, grader: G) -> Interviewer<G> {
        let mut machine =
            Interviewer::new(self.record.plan.clone(), self.record.config.clone(), grader);
        let old_steps: Vec<Step> = std::mem::take(&mut self.record.steps)
            .into_iter()
            .filter(|s| !matches!(s.kind, StepKind::Interrupt))
            .collect();
        self.record.events.clear();
        self.record.finished = false;
        for step in &old_steps {
            let actions = dispatch(&mut machine, step.kind.clone(), step.at);
            self.record.steps.push(step.clone());
            for a in actions {
                if let Action::Record(e) = a {
                    self.record.events.push(e);
                }
            }
        }
        machine
    }

    /// Takes one step: recorded (so a resume replays it), then applied to
    /// the interviewer. Every input of every driver goes through here.
    pub fn apply<G: Grader>(
        &mut self,
        machine: &mut Interviewer<G>,
        kind: StepKind,
        now: Ms,
    ) -> Vec<Action> {
        self.record.steps.push(Step {
            at: now,
            kind: kind.clone(),
        });
        dispatch(machine, kind, now)
    }

    /// Keeps an event in the record.
    pub fn record_event(&mut self, e: crate::interviewer::Event) {
        if let EventKind::Ended { reason, .. } = e.kind {
            self.record.finished = reason != EndReason::Interrupted;
        }
        self.record.events.push(e);
    }
}

/// A step's effect on the interviewer.
fn dispatch<G: Grader>(machine: &mut Interviewer<G>, kind: StepKind, now: Ms) -> Vec<Action> {
    match kind {
        StepKind::Start => machine.start(now),
        StepKind::Input { input } => machine.handle(input, now),
        StepKind::Timeout => machine.handle_timeout(now),
        StepKind::Interrupt => machine.interrupt(now),
        StepKind::Listening => {
            machine.listening(now);
            Vec::new()
        }
        StepKind::Reopen => machine.reopen(now),
    }
}
