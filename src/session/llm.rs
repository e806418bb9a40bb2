//! Wiring the optional LLM interviewer into `start` and `resume`: settings
//! from flags, environment and config file; the grader and the record it
//! shares with the session; repo-grounded questions phrased by the model.

use super::SessionError;
use crate::bank::Bank;
use crate::interviewer::Planned;
use crate::llm::{HttpLlm, Llm, LlmArgs, LlmGrader, LlmSession, LlmSettings, SharedLog};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The grader and its shared record, when an endpoint is configured.
pub(super) struct LlmParts {
    pub grader: LlmGrader,
    pub log: SharedLog,
}

fn build(
    bank: &Bank,
    settings: Option<&LlmSettings>,
    session: LlmSession,
    model: Option<String>,
    budget: Duration,
    max_tokens: u32,
) -> Result<LlmParts, SessionError> {
    let client: Option<Box<dyn Llm>> = match settings {
        Some(s) => Some(Box::new(HttpLlm::new(s)?)),
        None => None,
    };
    let log: SharedLog = Arc::new(Mutex::new(session));
    let grader = LlmGrader::new(
        bank.rubrics.clone(),
        client,
        model,
        budget,
        max_tokens,
        log.clone(),
    );
    Ok(LlmParts { grader, log })
}

/// For `start`: `None` unless an endpoint is configured (and not `--offline`).
pub(super) fn for_start(args: &LlmArgs, bank: &Bank) -> Result<Option<LlmParts>, SessionError> {
    let Some(s) = LlmSettings::resolve(args)? else {
        return Ok(None);
    };
    let session = LlmSession {
        endpoint: crate::llm::strip_credentials(&s.url),
        model: s.model.clone(),
        budget_ms: s.budget.as_millis() as u64,
        log: Vec::new(),
    };
    build(
        bank,
        Some(&s),
        session,
        s.model.clone(),
        s.budget,
        s.max_tokens,
    )
    .map(Some)
}

/// For `resume`: a session that used a model keeps its recorded outcomes
/// and asks the configured endpoint (else the recorded one) for the rest;
/// with `--offline` the rest falls back. A session without one stays offline.
pub(super) fn for_resume(
    args: &LlmArgs,
    bank: &Bank,
    recorded: Option<&LlmSession>,
) -> Result<Option<LlmParts>, SessionError> {
    let Some(rec) = recorded else {
        return Ok(None);
    };
    let budget = Duration::from_millis(rec.budget_ms.max(1));
    if args.offline {
        return build(bank, None, rec.clone(), rec.model.clone(), budget, 256).map(Some);
    }
    let settings = match LlmSettings::resolve(args)? {
        Some(s) => s,
        None => LlmSettings::resolve(&LlmArgs {
            llm: Some(rec.endpoint.clone()),
            llm_model: rec.model.clone(),
            llm_budget: Some(budget.as_secs_f64()),
            offline: false,
        })?
        .ok_or_else(|| SessionError::Failed("cannot rebuild the LLM settings".into()))?,
    };
    let model = settings.model.clone().or_else(|| rec.model.clone());
    build(
        bank,
        Some(&settings),
        rec.clone(),
        model,
        settings.budget,
        settings.max_tokens,
    )
    .map(Some)
}

/// Phrases each repo-grounded question (`repo-…`) from intake's finding,
/// keeping the original words where the model fails. Returns a line per
/// question saying which it was, for the view.
pub(super) fn rephrase_grounded(grader: &LlmGrader, plan: &mut [Planned]) -> String {
    let mut shown = String::new();
    for p in plan
        .iter_mut()
        .filter(|p| p.question.id.starts_with("repo-"))
    {
        let intro = p.intro.clone().unwrap_or_default();
        let (text, note) = grader.rephrase(&p.question.id, &intro, &p.question.prompt);
        shown.push_str(&format!("Question {} ({note})\n", p.question.id));
        if note == "phrased by the model" {
            p.question.prompt = text;
            p.intro = None;
        }
    }
    shown
}
