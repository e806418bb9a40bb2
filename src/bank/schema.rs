//! The question bank's data model: one [`Round`] per `question_bank/<round>.toml`.
//!
//! These are the validated, span-free types the rest of mockint uses. The
//! file format itself (with `deny_unknown_fields` and source spans) lives in
//! `raw.rs`; `load.rs` turns one into the other after validation.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a question asks for; decides how it is graded and titled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Definition,
    Comparison,
    Troubleshooting,
    Design,
    FailureMode,
    Pillar,
    Gotcha,
    Behavioral,
}

impl Kind {
    /// Heading used in transcripts, e.g. "Failure Mode".
    pub fn title(self) -> &'static str {
        match self {
            Kind::Definition => "Definition",
            Kind::Comparison => "Technology Comparison",
            Kind::Troubleshooting => "Troubleshooting",
            Kind::Design => "Design",
            Kind::FailureMode => "Failure Mode",
            Kind::Pillar => "Best Practice Pillar",
            Kind::Gotcha => "Gotcha",
            Kind::Behavioral => "Behavioral",
        }
    }
}

/// The five best-practice pillars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Pillar {
    Security,
    Scalability,
    Availability,
    #[serde(rename = "Cost Optimization")]
    CostOptimization,
    #[serde(rename = "Operational Excellence")]
    OperationalExcellence,
}

impl Pillar {
    pub const ALL: [Pillar; 5] = [
        Pillar::Security,
        Pillar::Scalability,
        Pillar::Availability,
        Pillar::CostOptimization,
        Pillar::OperationalExcellence,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Pillar::Security => "Security",
            Pillar::Scalability => "Scalability",
            Pillar::Availability => "Availability",
            Pillar::CostOptimization => "Cost Optimization",
            Pillar::OperationalExcellence => "Operational Excellence",
        }
    }
}

impl fmt::Display for Pillar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a question came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    CheatSheet,
    Added,
}

/// One round: the contents of `question_bank/<round>.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Round {
    pub round: String,
    pub title: String,
    pub vocabulary: Vec<String>,
    pub question: Vec<Question>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub prompt: String,
    pub kind: Kind,
    pub pillars: Vec<Pillar>,
    pub difficulty: u8,
    pub expected_seconds: u32,
    pub source: Source,
    pub key_point_for_interview: String,
    pub model_answer: String,
    pub key_points: Vec<KeyPoint>,
    pub misconceptions: Vec<Misconception>,
    pub follow_ups: Vec<FollowUp>,
}

impl Question {
    pub fn key_point(&self, id: &str) -> Option<&KeyPoint> {
        self.key_points.iter().find(|k| k.id == id)
    }

    pub fn total_weight(&self) -> f64 {
        self.key_points.iter().map(|k| k.weight).sum()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyPoint {
    pub id: String,
    pub weight: f64,
    pub text: String,
    pub phrases: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Misconception {
    pub id: String,
    pub text: String,
    pub phrases: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FollowUp {
    pub prompt: String,
    pub targets: Vec<String>,
}
