//! `mockint doctor`'s LLM check, when an endpoint is configured: the server
//! answers `GET /models`, lists the model, and completes a one-token chat.

use super::{ChatRequest, HttpLlm, Llm, LlmArgs, LlmError, LlmSettings};
use crate::doctor::Check;
use std::time::{Duration, Instant};

/// The check for `s`, within `limit`.
pub fn check(s: &LlmSettings, limit: Duration) -> Check {
    let name = "LLM interviewer";
    let fail = |e: LlmError| Check {
        name,
        ok: false,
        detail: format!(
            "{e}; sessions will use the offline scorer (fix the endpoint, or --offline)"
        ),
        required: true,
    };
    let client = match HttpLlm::new(s) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let deadline = Instant::now() + limit;
    let served = match client.models(deadline) {
        Ok(m) => m,
        Err(e) => return fail(e),
    };
    let model = match &s.model {
        Some(m)
            if served.is_empty()
                || served.iter().any(|x| x == m || *x == format!("{m}:latest")) =>
        {
            m.clone()
        }
        Some(m) => {
            return fail(LlmError::ModelNotServed {
                model: m.clone(),
                url: client.endpoint().to_string(),
                served: served.join(", "),
            })
        }
        None if served.len() == 1 => served[0].clone(),
        None => {
            return fail(LlmError::Config(format!(
                "{} serves {} models; choose one with --llm-model",
                client.endpoint(),
                served.len()
            )))
        }
    };
    let start = Instant::now();
    let req = ChatRequest {
        model: model.clone(),
        system: "Reply with one word.".into(),
        user: "Say ok.".into(),
        max_tokens: 1,
        schema: None,
    };
    match client.chat(&req, deadline) {
        Ok(_) => Check {
            name,
            ok: true,
            detail: format!(
                "{} serves `{model}` (a one-token reply took {} ms; budget {} s per answer)",
                client.endpoint(),
                start.elapsed().as_millis(),
                s.budget.as_secs_f64()
            ),
            required: true,
        },
        Err(e) => fail(e),
    }
}

/// Prints the LLM line of `doctor` when one is configured; returns 1 when it fails.
pub fn run(args: &LlmArgs) -> i32 {
    match LlmSettings::resolve(args) {
        Ok(None) => {
            println!("✓ LLM interviewer: not configured (offline scorer only; see --llm)");
            0
        }
        Ok(Some(s)) => {
            let c = check(&s, s.budget.max(Duration::from_secs(5)));
            println!("{} {}: {}", if c.ok { "✓" } else { "✗" }, c.name, c.detail);
            i32::from(!c.ok)
        }
        Err(e) => {
            println!("✗ LLM interviewer: {e}");
            1
        }
    }
}
