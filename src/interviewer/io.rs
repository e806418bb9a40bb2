//! What crosses the interviewer's boundary: the [`Config`] it starts with,
//! the [`Input`]s it is given (answers, commands), and the [`Action`]s it
//! returns for the driver to perform (say, listen, record an event, finish).

use super::commands::Command;
use super::events::Event;
use super::Ms;
use crate::scorer::Score;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    /// How long to wait for an answer before prompting once, then moving on.
    /// `None` waits forever (typed answers).
    pub silence_timeout: Option<Ms>,
    /// Follow-ups per question, at most.
    pub max_follow_ups: usize,
    /// A model reviews each final score and phrases follow-ups: the
    /// interviewer asks for it with [`Action::Consult`] and goes on when the
    /// driver hands back [`Input::Consulted`].
    #[serde(default)]
    pub consult: bool,
    /// A whole first answer of a few words is met with "could you say
    /// more?" before it is graded (spoken sessions: a lone command Whisper
    /// misheard, "Skip." written "It's good.", or a start cut short).
    #[serde(default)]
    pub ask_for_more: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            silence_timeout: Some(20_000),
            max_follow_ups: 2,
            consult: false,
            ask_for_more: false,
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
    /// The model's reply to the pending [`Action::Consult`] (or the
    /// driver's fallback when there is no model or it failed).
    Consulted { reply: Reply },
}

/// A slow judgement the interviewer asks the driver for, instead of making
/// it inside a step: the driver runs it off the listening thread and feeds
/// back [`Input::Consulted`]; the reply is recorded as a step, so a resumed
/// session replays it without asking again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "consult", rename_all = "kebab-case")]
pub enum Consult {
    /// Review the offline score of everything said to the question.
    Grade {
        index: usize,
        answer: String,
        offline: Box<Score>,
    },
    /// Phrase the bank's follow-up (`follow_up` indexes the question's
    /// follow-ups) for this answer.
    FollowUp {
        index: usize,
        answer: String,
        follow_up: usize,
    },
}

/// What came back for a [`Consult`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "kebab-case")]
pub enum Reply {
    Score {
        score: Box<Score>,
    },
    FollowUp {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
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
    /// actions ends with `Listen`, `Consult` or `Finished`.
    Listen {
        index: usize,
        expected_seconds: u32,
    },
    Record(Event),
    /// Ask the model (see [`Consult`]); the batch ends here and the
    /// interviewer waits for [`Input::Consulted`] (commands still work).
    Consult(Consult),
    Finished,
}
