//! [`LlmGrader`]: the model's review of the offline scorer's grades, when a
//! model is configured. The offline score always comes first (it picks
//! follow-ups and is kept beside the model's); the session's shell then asks
//! the model, within the time budget, off the interviewer's step. Any
//! failure — no connection, timeout, HTTP error, junk or cut-off JSON, a
//! rating out of range, an injection attempt in the answer — keeps the
//! offline result, marked "offline fallback: <reason>".
//!
//! Every outcome is appended to a shared log that the session keeps in
//! `session.json`. The interviewer records each reply as a step, so a resumed
//! session replays without asking; a consult cut short by a stop is asked
//! again, and an outcome already logged for the same use, question and input
//! is reused instead of asking the model twice.

use super::prompt::{self, injection};
use super::validate::{self, backticked, ModelGrade};
use super::{ChatRequest, Llm, LlmError};
use crate::bank::{FollowUp, Question, Rubrics};
use crate::scorer::Score;
use sha2::{Digest, Sha256};
use std::sync::Mutex;
use std::time::{Duration, Instant};

mod record;
pub use record::{
    score_lines, LlmEntry, LlmNote, LlmSession, LlmUse, Outcome, ScoreSource, SharedLog,
};

fn hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    hex::encode(&h.finalize()[..8])
}

/// The model the server will be asked for, once known.
#[derive(Debug, Clone)]
enum Served {
    Unknown,
    Model(String),
    /// Sticky: asking again would not help (wrong model name, ambiguous server).
    Refused(LlmError),
}

pub struct LlmGrader {
    rubrics: Rubrics,
    llm: Option<Box<dyn Llm>>,
    /// Why the model is not asked at all (no client, e.g. `--offline` on resume).
    unavailable: String,
    configured_model: Option<String>,
    budget: Duration,
    max_tokens: u32,
    log: SharedLog,
    /// Entries recorded before this grader started, and which were replayed.
    replayed: Mutex<Vec<bool>>,
    served: Mutex<Served>,
}

impl LlmGrader {
    /// `log` holds the outcomes recorded so far (empty for a new session).
    pub fn new(
        rubrics: Rubrics,
        llm: Option<Box<dyn Llm>>,
        model: Option<String>,
        budget: Duration,
        max_tokens: u32,
        log: SharedLog,
    ) -> LlmGrader {
        let recorded = log.lock().map(|l| l.log.len()).unwrap_or(0);
        LlmGrader {
            rubrics,
            llm,
            unavailable: "offline (--offline, or no LLM endpoint configured)".into(),
            configured_model: model,
            budget,
            max_tokens,
            log,
            replayed: Mutex::new(vec![false; recorded]),
            served: Mutex::new(Served::Unknown),
        }
    }

    /// The model in use, when known.
    pub fn model(&self) -> Option<String> {
        match &*self.served.lock().expect("served lock") {
            Served::Model(m) => Some(m.clone()),
            _ => self.configured_model.clone(),
        }
    }

    /// A recorded outcome for this use and input, not replayed yet.
    fn recorded(&self, use_: LlmUse, qid: &str, input: &str) -> Option<Outcome> {
        let session = self.log.lock().expect("llm log lock");
        let log = &session.log;
        let mut used = self.replayed.lock().expect("replayed lock");
        let i = (0..used.len()).find(|&i| {
            !used[i] && log[i].use_ == use_ && log[i].question_id == qid && log[i].input == input
        })?;
        used[i] = true;
        Some(log[i].outcome.clone())
    }

    fn push(&self, use_: LlmUse, qid: &str, input: String, outcome: Outcome, ms: u64) {
        if let Outcome::Fallback { reason } = &outcome {
            tracing::info!(?use_, question = qid, %reason, "LLM fallback");
        }
        self.log.lock().expect("llm log lock").log.push(LlmEntry {
            use_,
            question_id: qid.to_string(),
            input,
            outcome,
            ms,
        });
    }

    /// The model to ask for, checking the server's list once.
    fn resolve_model(&self, llm: &dyn Llm, deadline: Instant) -> Result<String, LlmError> {
        let mut served = self.served.lock().expect("served lock");
        match &*served {
            Served::Model(m) => return Ok(m.clone()),
            Served::Refused(e) => return Err(e.clone()),
            Served::Unknown => {}
        }
        let list = llm.models(deadline)?;
        let outcome = match &self.configured_model {
            Some(m) => {
                let latest = format!("{m}:latest");
                if list.is_empty() || list.iter().any(|x| x == m || *x == latest) {
                    Ok(m.clone())
                } else {
                    Err(LlmError::ModelNotServed {
                        model: m.clone(),
                        url: llm.endpoint().to_string(),
                        served: list.join(", "),
                    })
                }
            }
            None if list.len() == 1 => Ok(list[0].clone()),
            None => Err(LlmError::Config(format!(
                "{} serves {} models; choose one with --llm-model",
                llm.endpoint(),
                list.len()
            ))),
        };
        *served = match &outcome {
            Ok(m) => {
                self.log.lock().expect("llm log lock").model = Some(m.clone());
                Served::Model(m.clone())
            }
            Err(e) => Served::Refused(e.clone()),
        };
        outcome
    }

    /// Asks the model (within the budget) unless recorded; logs the outcome.
    fn consult(
        &self,
        use_: LlmUse,
        qid: &str,
        input: String,
        screen: Option<&str>,
        ask: impl FnOnce(&dyn Llm, String, Instant) -> Result<Outcome, LlmError>,
    ) -> Outcome {
        if let Some(o) = self.recorded(use_, qid, &input) {
            return o;
        }
        let start = Instant::now();
        let result = match (&self.llm, screen.and_then(injection)) {
            (_, Some(why)) => Err(LlmError::Injection(why.to_string())),
            (None, None) => Err(LlmError::Config(self.unavailable.clone())),
            (Some(llm), None) => {
                let deadline = start + self.budget;
                self.resolve_model(llm.as_ref(), deadline)
                    .and_then(|model| ask(llm.as_ref(), model, deadline))
            }
        };
        let outcome = result.unwrap_or_else(|e| {
            let e = match e {
                // One budget covers the model check, the request and retries.
                LlmError::Timeout { .. } => LlmError::Timeout {
                    budget_ms: self.budget.as_millis() as u64,
                },
                e => e,
            };
            Outcome::Fallback {
                reason: e.to_string(),
            }
        });
        let ms = start.elapsed().as_millis() as u64;
        self.push(use_, qid, input, outcome.clone(), ms);
        outcome
    }

    fn request(
        &self,
        model: String,
        (system, user): (String, String),
        schema: serde_json::Value,
    ) -> ChatRequest {
        ChatRequest {
            model,
            system,
            user,
            max_tokens: self.max_tokens,
            schema: Some(schema),
        }
    }

    /// Phrases a repo-grounded question from intake's finding; the original
    /// wording when the model fails. The note says which.
    pub fn rephrase(&self, qid: &str, intro: &str, prompt: &str) -> (String, String) {
        let original = format!("{intro} {prompt}");
        let must = backticked(&original);
        let outcome = self.consult(
            LlmUse::Rephrase,
            qid,
            hash(&[intro, prompt]),
            None,
            |llm, model, deadline| {
                let req = self.request(
                    model,
                    prompt::rephrase_prompt(intro, prompt),
                    prompt::question_schema(),
                );
                let reply = llm.chat(&req, deadline)?;
                validate::question(&reply, &must).map(|text| Outcome::Text { text })
            },
        );
        match outcome {
            Outcome::Text { text } => (text, "phrased by the model".into()),
            Outcome::Fallback { reason } => (original, format!("offline fallback: {reason}")),
            Outcome::Grade { .. } => (original, "offline fallback: unexpected record".into()),
        }
    }

    fn merge(&self, offline: Score, g: ModelGrade) -> Score {
        let note = LlmNote {
            source: ScoreSource::Model,
            model: self.model(),
            reason: None,
            offline_rating: offline.rating,
            offline_tech_justification: offline.tech_justification,
            clamped: g.clamped,
        };
        Score {
            rating: g.rating,
            level: self.rubrics.level_name(g.rating).to_string(),
            tech_justification: g.tech_justification,
            tech_justification_level: self.rubrics.tj_level_name(g.tech_justification).to_string(),
            tech_justification_note: if g.tech_justification == offline.tech_justification {
                offline.tech_justification_note.clone()
            } else {
                format!(
                    "The model's judgement (offline scorer: {}/4 — {})",
                    offline.tech_justification, offline.tech_justification_note
                )
            },
            strengths: g.strengths,
            gaps: g.gaps,
            key_point: g.key_point,
            scorer: "llm".into(),
            llm: Some(note),
            ..offline
        }
    }
}

/// The interviewer's [`crate::interviewer::Consult`]s, performed by the
/// session's shell off the interviewer's step.
impl LlmGrader {
    /// The recorded score: the model's review of the offline one (kept
    /// beside it), or the offline one marked with why the model was not used.
    pub fn review(&self, question: &Question, answer: &str, offline: Score) -> Score {
        let outcome = self.consult(
            LlmUse::Grade,
            &question.id,
            hash(&[answer]),
            Some(answer),
            |llm, model, deadline| {
                let req = self.request(
                    model,
                    prompt::grade_prompt(question, &self.rubrics, answer),
                    prompt::grade_schema(),
                );
                let reply = llm.chat(&req, deadline)?;
                validate::grade(&reply).map(|grade| Outcome::Grade { grade })
            },
        );
        match outcome {
            Outcome::Grade { grade } => self.merge(offline, grade),
            other => {
                let reason = match other {
                    Outcome::Fallback { reason } => reason,
                    _ => "unexpected record".into(),
                };
                let note = LlmNote {
                    source: ScoreSource::OfflineFallback,
                    model: self.model(),
                    reason: Some(reason),
                    offline_rating: offline.rating,
                    offline_tech_justification: offline.tech_justification,
                    clamped: Vec::new(),
                };
                Score {
                    llm: Some(note),
                    ..offline
                }
            }
        }
    }

    /// The follow-up's words (the model's, or the bank's on any failure)
    /// and a note for the transcript saying which.
    pub fn phrase_follow_up(
        &self,
        question: &Question,
        answer: &str,
        f: &FollowUp,
    ) -> (String, Option<String>) {
        let targets = f.targets.join(",");
        let outcome = self.consult(
            LlmUse::FollowUp,
            &question.id,
            hash(&[answer, &targets]),
            Some(answer),
            |llm, model, deadline| {
                let req = self.request(
                    model,
                    prompt::follow_up_prompt(question, answer, f),
                    prompt::question_schema(),
                );
                let reply = llm.chat(&req, deadline)?;
                validate::question(&reply, &[]).map(|text| Outcome::Text { text })
            },
        );
        match outcome {
            Outcome::Text { text } => (text, Some("phrased by the model".into())),
            Outcome::Fallback { reason } => (
                f.prompt.clone(),
                Some(format!("from the bank — offline fallback: {reason}")),
            ),
            Outcome::Grade { .. } => (f.prompt.clone(), None),
        }
    }
}

#[cfg(test)]
mod tests;
