//! The on-disk schema of `question_bank/<round>.toml`, exactly as documented in
//! `question_bank/README.md`. Every table denies unknown fields, and the values
//! that semantic checks look at keep their source span so that an error can
//! name `file:line:col`.

use super::schema::{FollowUp, KeyPoint, Kind, Misconception, Pillar, Question, Round, Source};
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRound {
    pub round: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub vocabulary: Vec<String>,
    #[serde(default)]
    pub question: Vec<RawQuestion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawQuestion {
    pub id: Spanned<String>,
    pub prompt: Spanned<String>,
    pub kind: Kind,
    pub pillars: Vec<Pillar>,
    pub difficulty: Spanned<u8>,
    pub expected_seconds: u32,
    pub source: Source,
    pub key_point_for_interview: String,
    pub model_answer: String,
    #[serde(default)]
    pub key_points: Vec<RawKeyPoint>,
    #[serde(default)]
    pub misconceptions: Vec<RawMisconception>,
    #[serde(default)]
    pub follow_ups: Vec<RawFollowUp>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawKeyPoint {
    pub id: Spanned<String>,
    pub weight: Spanned<f64>,
    pub text: String,
    #[serde(default)]
    pub phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMisconception {
    pub id: Spanned<String>,
    pub text: String,
    #[serde(default)]
    pub phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFollowUp {
    pub prompt: Spanned<String>,
    pub targets: Vec<Spanned<String>>,
}

impl RawRound {
    /// Drops the spans; call after validation.
    pub fn into_round(self) -> Round {
        Round {
            round: self.round.into_inner(),
            title: self.title,
            vocabulary: self.vocabulary,
            question: self
                .question
                .into_iter()
                .map(RawQuestion::into_question)
                .collect(),
        }
    }
}

impl RawQuestion {
    fn into_question(self) -> Question {
        Question {
            id: self.id.into_inner(),
            prompt: self.prompt.into_inner().trim().to_string(),
            kind: self.kind,
            pillars: self.pillars,
            difficulty: self.difficulty.into_inner(),
            expected_seconds: self.expected_seconds,
            source: self.source,
            key_point_for_interview: self.key_point_for_interview.trim().to_string(),
            model_answer: self.model_answer.trim().to_string(),
            key_points: self
                .key_points
                .into_iter()
                .map(|k| KeyPoint {
                    id: k.id.into_inner(),
                    weight: k.weight.into_inner(),
                    text: k.text,
                    phrases: k.phrases,
                })
                .collect(),
            misconceptions: self
                .misconceptions
                .into_iter()
                .map(|m| Misconception {
                    id: m.id.into_inner(),
                    text: m.text,
                    phrases: m.phrases,
                })
                .collect(),
            follow_ups: self
                .follow_ups
                .into_iter()
                .map(|f| FollowUp {
                    prompt: f.prompt.into_inner().trim().to_string(),
                    targets: f.targets.into_iter().map(Spanned::into_inner).collect(),
                })
                .collect(),
        }
    }
}
