//! mockint: a voice-driven mock interviewer for DevOps and cloud interviews.

pub mod bank;
pub mod cli;
pub mod scorer;
