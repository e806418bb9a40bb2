//! Where a session shows itself: the [`View`] seam. The terminal's view
//! lives in `cli/`; the daemon publishes events instead and keeps the rest in
//! its log ([`LogView`]). The session engine never prints.

use crate::interviewer::{Ms, Speech};
use std::path::Path;

pub trait View: Send {
    /// The session folder, once it exists.
    fn folder(&mut self, _path: &Path) {}
    /// A line of the interviewer's (`spoken`: it is also being spoken).
    fn said(&mut self, speech: Speech, text: &str, at: Ms);
    /// An answer as the interviewer will take it.
    fn heard(&mut self, text: &str);
    /// Words transcribed while the candidate is still talking.
    fn partial(&mut self, _text: &str) {}
    /// A short note on what is happening ("listening", "you cut in").
    fn note(&mut self, text: &str);
    /// Something the candidate should know and may act on.
    fn warn(&mut self, text: &str);
    /// The microphone's level while listening (0..1) and the answer's length.
    fn meter(&mut self, _level: f32, _elapsed: Ms) {}
    /// Which question is being asked, for views that show progress.
    fn progress(&mut self, _round: &str, _kind: &str, _index: usize, _of: usize) {}
    /// The session ended: where its transcript and debrief are.
    fn done(&mut self, _transcript: &Path, _debrief: &Path) {}
}

/// A view for sessions nobody watches in a terminal: lines go to the log.
pub struct LogView;

impl View for LogView {
    fn said(&mut self, speech: Speech, text: &str, at: Ms) {
        tracing::debug!(?speech, at, "{text}");
    }
    fn heard(&mut self, text: &str) {
        tracing::debug!("heard: {text}");
    }
    fn note(&mut self, text: &str) {
        tracing::debug!("{text}");
    }
    fn warn(&mut self, text: &str) {
        tracing::warn!("{text}");
    }
}
