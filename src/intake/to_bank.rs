//! Grounded questions as question-bank questions, so the offline scorer and
//! the interviewer can use them unchanged.
//!
//! In: a [`GroundedQuestion`] and the bank. Out: a `bank::Question` whose
//! prompt is the intro plus the question, with the grounded key points
//! (including `ties-to-repo`) and follow-ups, and — from the related bank
//! question, when there is one — its model answer and misconceptions.

use super::questions::GroundedQuestion;
use crate::bank::{self, Bank};

/// A bank enum (`Kind`, `Pillar`) from its serialised name.
fn parse<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
}

impl GroundedQuestion {
    /// This question in the bank's schema. `bank` supplies the related bank
    /// question's model answer and misconceptions; without it (or without a
    /// related question) the model answer is the key point for interview.
    pub fn to_bank_question(&self, bank: Option<&Bank>) -> bank::Question {
        let related = self
            .related_bank_question
            .as_deref()
            .and_then(|id| bank?.question(id))
            .map(|(_, q)| q);
        bank::Question {
            id: self.id.clone(),
            prompt: format!("{} {}", self.intro, self.prompt),
            kind: parse(&self.kind).unwrap_or(bank::Kind::Design),
            pillars: self.pillars.iter().filter_map(|p| parse(p)).collect(),
            difficulty: self.difficulty,
            expected_seconds: self.expected_seconds,
            source: bank::Source::Added,
            key_point_for_interview: self.key_point_for_interview.clone(),
            model_answer: related.map_or_else(
                || self.key_point_for_interview.clone(),
                |q| q.model_answer.clone(),
            ),
            key_points: self
                .key_points
                .iter()
                .map(|k| bank::KeyPoint {
                    id: k.id.clone(),
                    weight: k.weight,
                    text: k.text.clone(),
                    phrases: k.phrases.clone(),
                })
                .collect(),
            misconceptions: related
                .map(|q| q.misconceptions.clone())
                .unwrap_or_default(),
            follow_ups: self
                .follow_ups
                .iter()
                .map(|u| bank::FollowUp {
                    prompt: u.prompt.clone(),
                    targets: u.targets.clone(),
                })
                .collect(),
        }
    }
}
