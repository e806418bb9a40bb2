//! The session record and what is rendered from it.
//!
//! In: the interviewer's events (and the inputs that caused them). Out, in the
//! session folder: `session.json` (versioned; the source of truth, rewritten
//! atomically after every event so `kill -9` loses at most the answer in
//! progress), `transcript.md` and `debrief.md` in the example's format.

mod debrief;
mod markdown;
pub mod reader;
mod record;
mod store;

pub use debrief::render_debrief;
pub use markdown::{render_transcript, topic};
pub use record::{AnswerTake, SessionRecord, Step, StepKind, TurnLatency, SCHEMA_VERSION};
pub use store::{
    default_sessions_dir, history, latest_session, list_sessions, scan_sessions, SessionDir,
    StoreError,
};

/// `mm:ss` (or `h:mm:ss`) for a millisecond offset.
pub fn clock(ms: u64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// `m:ss` for a duration.
pub fn duration(ms: u64) -> String {
    let s = (ms + 500) / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn clock_formats() {
        assert_eq!(super::clock(0), "00:00");
        assert_eq!(super::clock(83_400), "01:23");
        assert_eq!(super::clock(3_723_000), "1:02:03");
        assert_eq!(super::duration(42_400), "0:42");
        assert_eq!(super::duration(125_600), "2:06");
    }
}
