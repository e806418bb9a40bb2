//! The interviewer: asks, listens, probes what an answer missed, scores, and
//! teaches — as an I/O-free state machine.
//!
//! In: the session's plan (from [`plan`]), candidate inputs (an answer's text
//! and timing, or a [`Command`]) and `now`. Out: [`Action`]s — say this,
//! listen with this patience, record this event — plus the next deadline
//! ([`Interviewer::poll_timeout`]), in the style of quinn-proto's
//! `handle_timeout(now)`. It reads no clock and does no I/O, so tests drive it
//! with a clock made of numbers; the CLI (and later the voice loop and the
//! daemon) perform its actions.

pub mod commands;
mod events;
mod io;
mod machine;
pub mod plan;

pub use commands::Command;
pub use events::{EndReason, Event, EventKind};
pub use io::{Action, Config, Consult, Input, Reply, Speech};
pub use machine::{Interviewer, Snapshot, FOLLOW_UP_EXPECTED_S};
pub use plan::{plan, History, Mode, PlanError, Planned};

use crate::bank::Question;
use crate::scorer::Score;

/// Milliseconds since the session started: the interviewer's only notion of time.
pub type Ms = u64;

/// Grades an answer: the seam between the interviewer and the offline
/// scorer. A model's review is not a grader call but an [`Action::Consult`].
pub trait Grader {
    fn grade(&self, question: &Question, answer: &str) -> Score;
}

impl Grader for crate::scorer::Scorer {
    fn grade(&self, question: &Question, answer: &str) -> Score {
        self.score(question, answer)
    }
}

/// Where `now` comes from for whoever drives the interviewer.
pub trait Clock {
    fn now(&self) -> Ms;
}

/// Wall-clock time since a start instant.
pub struct RealClock {
    start: std::time::Instant,
    offset: Ms,
}

impl RealClock {
    /// Starts at `offset` ms (non-zero when resuming a session).
    pub fn starting_at(offset: Ms) -> Self {
        RealClock {
            start: std::time::Instant::now(),
            offset,
        }
    }
}

impl Clock for RealClock {
    fn now(&self) -> Ms {
        self.offset + self.start.elapsed().as_millis() as Ms
    }
}

#[cfg(test)]
mod consult_tests;
#[cfg(test)]
mod tests;
