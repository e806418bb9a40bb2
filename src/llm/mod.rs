//! The optional LLM interviewer: sharper follow-ups and richer grading from
//! any OpenAI-compatible server (Ollama, llama.cpp's `llama-server`, vLLM, a
//! hosted API), with the offline scorer as the safety net.
//!
//! Why it exists: a local or hosted model reacts to what the candidate
//! actually said, but it is slow, fallible and sometimes wrong, so it only
//! ever *adds* to the offline path: every call runs inside a time budget, and
//! on any failure the offline result is used and the reason recorded.
//!
//! In: [`LlmSettings`] (flags, environment, config file; the API key only
//! from the environment), the bank question, the candidate's answer and the
//! offline [`Score`](crate::scorer::Score). Out: a score marked
//! "model" or "offline fallback: <reason>" ([`LlmNote`]), phrased follow-ups,
//! and a log of every outcome ([`LlmEntry`]) kept in `session.json` so a
//! resumed session replays recorded results instead of asking the model again.
//!
//! Parts: [`Llm`] is the seam (a chat completion and the model list);
//! [`HttpLlm`] is the real client over reqwest; `prompt` builds the prompts
//! (rubric, key points and misconceptions as anchors; secrets scrubbed;
//! injection attempts refused); `validate` checks and clamps replies;
//! [`LlmGrader`] is the interviewer's [`Grader`](crate::interviewer::Grader).

mod client;
mod config;
pub mod doctor;
mod grader;
pub mod prompt;
pub mod validate;

pub use client::HttpLlm;
pub use config::{
    check_url, config_path, strip_credentials, LlmArgs, LlmSettings, Secret, API_KEY_ENV,
};
pub use grader::{
    score_lines, LlmEntry, LlmGrader, LlmNote, LlmSession, LlmUse, Outcome, ScoreSource, SharedLog,
};
pub use validate::ModelGrade;

use std::time::Instant;

/// Why the model's result was not used. Every message is one line and never
/// contains the API key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LlmError {
    #[error("cannot reach {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("no reply within the {budget_ms} ms budget")]
    Timeout { budget_ms: u64 },
    #[error("HTTP {status} from {url}: {body}")]
    Http {
        status: u16,
        url: String,
        body: String,
    },
    #[error("model `{model}` is not served by {url} (it serves: {served})")]
    ModelNotServed {
        model: String,
        url: String,
        served: String,
    },
    #[error("malformed reply: {0}")]
    Protocol(String),
    #[error("reply truncated at the token limit")]
    Truncated,
    #[error("invalid JSON in the reply: {0}")]
    InvalidJson(String),
    #[error("{field} {value} out of range 1–4")]
    OutOfRange { field: &'static str, value: i64 },
    #[error("unusable reply: {0}")]
    Invalid(String),
    #[error("prompt-injection attempt in the answer ({0})")]
    Injection(String),
    #[error("{0}")]
    Config(String),
}

impl LlmError {
    /// Worth another try within the budget (the server may come back).
    pub fn retryable(&self) -> bool {
        match self {
            LlmError::Connect { .. } => true,
            LlmError::Http { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }
}

/// One chat completion request.
#[derive(Debug, Clone)]
pub struct ChatRequest {
    pub model: String,
    pub system: String,
    pub user: String,
    pub max_tokens: u32,
    /// A JSON schema the reply must match (`response_format: json_schema`).
    pub schema: Option<serde_json::Value>,
}

/// The assistant's reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub content: String,
    /// The server stopped at the token limit (`finish_reason: length`).
    pub truncated: bool,
}

/// The seam between mockint and a model server: unit tests put a fake here.
pub trait Llm: Send + Sync {
    /// The endpoint, without credentials, for messages and the record.
    fn endpoint(&self) -> &str;
    /// The models the server lists (`GET /models`), giving up at `deadline`.
    fn models(&self, deadline: Instant) -> Result<Vec<String>, LlmError>;
    /// One chat completion, giving up at `deadline`.
    fn chat(&self, req: &ChatRequest, deadline: Instant) -> Result<Reply, LlmError>;
}
