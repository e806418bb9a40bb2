//! mockint: a voice-driven mock interviewer for DevOps and cloud engineering
//! interviews.
//!
//! The pipeline reads left to right — `audio → vad → stt → interviewer → tts →
//! transcript` — and each stage is a module here. [`bank`] holds what the
//! interviewer asks and [`scorer`] grades answers offline; [`models`] obtains
//! and checks the Whisper weights the [`stt`] stage loads; [`doctor`] checks
//! the machine; [`onnx`] loads ONNX Runtime for the ONNX models; [`intake`] maps the candidate's own repository; [`bench`]
//! measures; [`cli`] wires commands to the library; [`daemon`] keeps the
//! model warm and runs sessions that outlive the terminal.

pub mod audio;
pub mod bank;
pub mod bench;
pub mod cli;
pub mod daemon;
pub mod delivery;
pub mod doctor;
pub mod history;
pub mod intake;
pub mod interviewer;
pub mod llm;
pub mod models;
pub mod onnx;
pub mod replay;
pub mod scorer;
pub mod session;
pub mod star;
pub mod stt;
pub mod transcript;
pub mod tts;
pub mod vad;
pub mod vocab;
