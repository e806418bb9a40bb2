//! What the model's uses leave in `session.json` (`llm.log`) and on each
//! score (`Score::llm`), and the lines a score block shows about them.

use super::super::validate::ModelGrade;
use crate::scorer::Score;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

/// What the model was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LlmUse {
    Grade,
    FollowUp,
    /// Phrasing a repo-grounded question from intake's finding.
    Rephrase,
}

/// What came of one use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    Grade { grade: ModelGrade },
    Text { text: String },
    Fallback { reason: String },
}

/// One entry of `session.json`'s `llm.log`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LlmEntry {
    #[serde(rename = "use")]
    pub use_: LlmUse,
    pub question_id: String,
    /// Hash of what was sent (the answer, and the targets of a follow-up).
    pub input: String,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// How long the interview waited, in ms.
    pub ms: u64,
}

/// `session.json`'s `llm`: the endpoint (without credentials), the model,
/// the budget, and every outcome in order.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LlmSession {
    pub endpoint: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    pub budget_ms: u64,
    #[serde(default)]
    pub log: Vec<LlmEntry>,
}

/// The record shared between the grader (which appends outcomes and names
/// the model once the server confirms it) and the session that saves it.
pub type SharedLog = Arc<Mutex<LlmSession>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScoreSource {
    Model,
    OfflineFallback,
}

/// Where a score came from, on [`Score::llm`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LlmNote {
    pub source: ScoreSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Why the offline result was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub offline_rating: u8,
    pub offline_tech_justification: u8,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clamped: Vec<String>,
}

/// Lines for a score block: who scored it, and any disagreement of 2 or more.
pub fn score_lines(s: &Score) -> Vec<String> {
    let Some(n) = &s.llm else {
        return Vec::new();
    };
    match n.source {
        ScoreSource::OfflineFallback => vec![format!(
            "Scored by: offline fallback: {}",
            n.reason.as_deref().unwrap_or("the model was not used")
        )],
        ScoreSource::Model => {
            let mut v = vec![format!(
                "Scored by: model `{}` (offline scorer: {}/4, Tech Justification {}/4)",
                n.model.as_deref().unwrap_or("?"),
                n.offline_rating,
                n.offline_tech_justification
            )];
            let diff = s.rating.abs_diff(n.offline_rating);
            if diff >= 2 {
                v.push(format!(
                    "Note: the model and the offline scorer differ by {diff} (model {}/4, offline {}/4)",
                    s.rating, n.offline_rating
                ));
            }
            if !n.clamped.is_empty() {
                v.push(format!("Clamped: {}", n.clamped.join("; ")));
            }
            v
        }
    }
}
