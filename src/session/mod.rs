//! The session engine: one engine for typed, scripted, spoken and daemon
//! sessions. A [`SessionSpec`] (plain data, built once from the flags or sent
//! whole to the daemon) becomes a [`Session`] ([`new_session`]), which a
//! driver runs: [`text`] for typed and scripted answers, [`voice`] for
//! spoken ones. Sessions differ only in their input source and their
//! [`View`]; `cli/` shows, `daemon/` serves, neither holds session logic.

mod consult;
mod error;
mod grounded;
mod llm;
mod lock;
mod new;
pub mod spec;
mod state;
pub mod text;
mod view;
pub mod voice;

pub use consult::Consultant;
pub use error::SessionError;

/// What the view says when a session is stopped from outside.
pub const INTERRUPTED: &str =
    "Interview interrupted — saving a partial debrief. Resume with `mockint resume`.";
pub use new::{describe_output, load_bank, new_session, read_script, resume_session, NewSession};
pub use spec::{InputSpec, ModeKind, ResumeSpec, SessionSpec, VadChoice, VoiceSpec};
pub use state::{words, ScriptClock, Session};
pub use view::{LogView, View};
