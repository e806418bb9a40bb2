//! `session.json`: everything about one session.
//!
//! Schema (version 1): `schema_version`, `id`, `created` (RFC 3339, UTC),
//! `mode` (tagged by `mode`: `round` {round, questions} | `full-loop`
//! {per_round} | `drill` {questions}), `seed`, `config` {silence_timeout,
//! max_follow_ups}, `bank` (where the questions came from), `plan` (the
//! questions, in order, each with round, round_title, question, intro),
//! `steps` (the inputs the interviewer received, each with `at` ms — replayed
//! to resume a session), `latency` (voice turns: end of speech → endpoint → transcript → reply
//! issued and its first audio, ms), `overruns` (voice: samples dropped), `answers` (per answer: raw Whisper text where the vocabulary layer
//! changed it, the rewrites, and the answer's WAV under `answers/`), `events` (what happened, each with `at` ms and an
//! `event` tag: started, asked, follow-up, answer, command, prompted, scored,
//! skipped, paused, resumed, ended) and `finished`. Optional, additive: `llm`
//! (endpoint, model, budget_ms, and `log`: each use of the model — grade,
//! follow-up, rephrase — with its outcome or fallback reason).

use crate::interviewer::{Config, Event, EventKind, Input, Mode, Ms, Planned};
use serde::{Deserialize, Serialize};

pub const SCHEMA_VERSION: u32 = 1;

/// One input the interviewer received, for replay.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub at: Ms,
    #[serde(flatten)]
    pub kind: StepKind,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "kebab-case")]
pub enum StepKind {
    Start,
    Input {
        input: Input,
    },
    Timeout,
    Interrupt,
    /// The driver started listening (the interviewer's lines were spoken):
    /// the silence check-in counts from here.
    Listening,
    /// The session was reopened (`mockint resume`): the pending question or
    /// follow-up is asked again.
    Reopen,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionRecord {
    pub schema_version: u32,
    pub id: String,
    pub created: String,
    pub mode: Mode,
    pub seed: u64,
    pub config: Config,
    pub bank: String,
    pub plan: Vec<Planned>,
    pub steps: Vec<Step>,
    pub events: Vec<Event>,
    pub finished: bool,
    /// Per spoken answer: where the time went (voice sessions only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub latency: Vec<TurnLatency>,
    /// Voice sessions: input samples dropped because the reader fell behind
    /// the microphone (the capture ring buffer overran).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overruns: Option<u64>,
    /// Delivery of each recorded answer (words/min, fillers, long pauses).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delivery: Vec<crate::delivery::session::AnswerDelivery>,
    /// The LLM interviewer's endpoint, model, budget and every outcome
    /// (model or offline fallback, with the reason), replayed on resume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub llm: Option<crate::llm::LlmSession>,
    /// Answers as heard: Whisper's raw text where the vocabulary layer changed
    /// it, and where each spoken answer's audio is kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<AnswerTake>,
    /// Spoken sessions: the devices, model and voice they run with, so
    /// `mockint resume` continues them spoken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<crate::session::VoiceSpec>,
}

/// One answer as heard, matched to its `answer` event by `index` and `started`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerTake {
    pub index: usize,
    pub started: Ms,
    pub ended: Ms,
    /// The text before the vocabulary layer, when the layer changed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    /// What the layer rewrote: (as heard, canonical).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rewrites: Vec<(String, String)>,
    /// The answer's audio (16 kHz mono WAV), relative to the session folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<String>,
}

/// Latency of one spoken turn, in milliseconds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TurnLatency {
    pub index: usize,
    /// Answer length (speech start to end).
    pub answer_ms: Ms,
    /// End of speech → the endpointer deciding the answer is over.
    pub endpoint_ms: Ms,
    /// Endpoint decision → final transcript ready.
    pub transcript_ms: Ms,
    /// Final transcript → the reply handed to the speaker.
    pub reply_ms: Ms,
    /// Final transcript → the reply's first audio, as speech-dispatcher
    /// reports it (absent when replies are printed, or not reported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_ms: Option<Ms>,
    /// End of speech → the reply's first audio, the wait the candidate
    /// hears (absent when not reported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech_to_audio_ms: Option<Ms>,
    /// When the candidate cut the interviewer off to give this answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub barged_in_at: Option<Ms>,
}

impl SessionRecord {
    /// Where in `events` the question or follow-up the session stopped
    /// before saying is (recorded as about to be said, never said).
    pub fn unsaid_ask(&self) -> Option<usize> {
        let end = self
            .events
            .iter()
            .rposition(|e| matches!(e.kind, EventKind::Ended { unasked: true, .. }))?;
        self.events[..end]
            .iter()
            .rposition(|e| matches!(e.kind, EventKind::Asked { .. } | EventKind::FollowUp { .. }))
    }

    /// A session about to start: its plan and settings, nothing happened yet.
    pub fn new(
        id: String,
        created: String,
        mode: Mode,
        seed: u64,
        config: Config,
        bank: String,
        plan: Vec<Planned>,
    ) -> Self {
        SessionRecord {
            schema_version: SCHEMA_VERSION,
            id,
            created,
            mode,
            seed,
            config,
            bank,
            plan,
            steps: Vec::new(),
            events: Vec::new(),
            finished: false,
            latency: Vec::new(),
            overruns: None,
            delivery: Vec::new(),
            llm: None,
            answers: Vec::new(),
            voice: None,
        }
    }

    /// What is known of the answer given to question `index` at `started`.
    pub fn take(&self, index: usize, started: Ms) -> Option<&AnswerTake> {
        self.answers
            .iter()
            .find(|a| a.index == index && a.started == started)
    }

    /// Offset of the last thing that happened.
    pub fn last_at(&self) -> Ms {
        self.events.iter().map(|e| e.at).max().unwrap_or(0)
    }

    /// Scores by plan index, in plan order.
    pub fn scores(&self) -> Vec<(usize, &crate::scorer::Score)> {
        self.events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Scored { index, score } => Some((*index, score.as_ref())),
                _ => None,
            })
            .collect()
    }

    /// Ids of the questions that were asked.
    pub fn asked_ids(&self) -> Vec<String> {
        self.events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Asked { question_id, .. } => Some(question_id.clone()),
                _ => None,
            })
            .collect()
    }
}
