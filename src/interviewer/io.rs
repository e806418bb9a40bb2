//! What crosses the interviewer's boundary: the [`Config`] it starts with,
//! the [`Input`]s it is given (answers, commands), and the [`Action`]s it
//! returns for the driver to perform (say, listen, record an event, finish).

use super::commands::Command;
use super::events::Event;
use super::Ms;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    /// How long to wait for an answer before prompting once, then moving on.
    /// `None` waits forever (typed answers).
    pub silence_timeout: Option<Ms>,
    /// Follow-ups per question, at most.
    pub max_follow_ups: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            silence_timeout: Some(20_000),
            max_follow_ups: 2,
        }
    }
}

/// Something the candidate did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "input", rename_all = "kebab-case")]
pub enum Input {
    /// A finished answer (typed, or transcribed speech) and when it was given.
    Answer {
        text: String,
        started: Ms,
        ended: Ms,
    },
    /// A command from a key, a button or another client.
    Command { command: Command },
    /// Words said over the interviewer before the pending question was
    /// heard (a barge-in during feedback): kept in the record, never graded
    /// as an answer to a question the candidate did not hear.
    Remark {
        text: String,
        started: Ms,
        ended: Ms,
    },
}

/// What the interviewer says, by purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Speech {
    Intro,
    Question,
    FollowUp,
    Prompt,
    Feedback,
    ModelAnswer,
    Info,
    Closing,
}

/// What the driver must do.
#[derive(Debug, Clone)]
pub enum Action {
    Say {
        speech: Speech,
        text: String,
    },
    /// The floor passes to the candidate: listen for an answer to the
    /// question at `index` (or, while paused, for "resume"). Every batch of
    /// actions ends with `Listen` or `Finished`.
    Listen {
        index: usize,
        expected_seconds: u32,
    },
    Record(Event),
    Finished,
}
