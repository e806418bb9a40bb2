//! What happened in a session, in order, with timestamps: the record the
//! transcript, debrief and replay are rendered from.

use super::{Command, Ms};
use crate::scorer::Score;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EndReason {
    /// Every planned question was asked.
    Completed,
    /// The candidate said or typed "end the interview".
    ByCandidate,
    /// Ctrl-C, end of input, or a lost device.
    Interrupted,
}

impl EndReason {
    /// How the transcript, the daemon's view and replay say it.
    pub fn describe(self) -> &'static str {
        match self {
            EndReason::Completed => "all planned questions asked",
            EndReason::ByCandidate => "ended by the candidate",
            EndReason::Interrupted => "interrupted",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Event {
    /// Milliseconds since the session started.
    pub at: Ms,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// One entry of `session.json`'s `events` (tagged by `event`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum EventKind {
    Started {
        questions: usize,
    },
    /// A planned question was asked (index into the plan).
    Asked {
        index: usize,
        question_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        intro: Option<String>,
        text: String,
    },
    FollowUp {
        index: usize,
        text: String,
        targets: Vec<String>,
        /// Where the words came from, when an LLM is configured.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The candidate's answer, with when it started and ended.
    Answer {
        index: usize,
        text: String,
        started: Ms,
        ended: Ms,
    },
    Command {
        index: usize,
        command: Command,
    },
    /// A question back to the interviewer before answering ("Do you mean on
    /// EKS?"): answered by a [`EventKind::Prompted`] line, not graded.
    QuestionBack {
        index: usize,
        text: String,
        started: Ms,
        ended: Ms,
    },
    /// Words said over the interviewer before the question was heard.
    Remark {
        index: usize,
        text: String,
        started: Ms,
        ended: Ms,
    },
    /// The interviewer nudged after a silence.
    Prompted {
        index: usize,
        text: String,
    },
    Scored {
        index: usize,
        score: Box<Score>,
    },
    Skipped {
        index: usize,
        reason: String,
    },
    Paused,
    Resumed,
    Ended {
        reason: EndReason,
        /// Stopped after the last question or follow-up above was recorded
        /// but before it was said (`mockint resume` asks it).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        unasked: bool,
    },
}
