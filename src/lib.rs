//! mockint: a voice-driven mock interviewer for DevOps and cloud engineering
//! interviews.
//!
//! The pipeline reads left to right — `audio → vad → stt → interviewer → tts →
//! transcript` — and each stage is a module here. [`models`] obtains and
//! checks the Whisper weights the [`stt`] stage loads; [`doctor`] checks the
//! machine; [`intake`] maps the candidate's own repository; [`bench`] measures; [`cli`] wires commands to the library.

pub mod audio;
pub mod bench;
pub mod cli;
pub mod doctor;
pub mod intake;
pub mod models;
pub mod stt;
