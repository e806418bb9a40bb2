//! What a session is run with, as plain data: built once from the command
//! line (or sent whole to the daemon, which never re-parses arguments), and
//! kept in the record so a session resumes as it was started.

use crate::llm::LlmArgs;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Which questions: one round, every round, or a drill of past gaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModeKind {
    Round,
    FullLoop,
    Drill,
}

/// Everything `mockint start` decides before a session exists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionSpec {
    pub round: Option<String>,
    pub mode: Option<ModeKind>,
    pub questions: usize,
    pub per_round: usize,
    pub seed: Option<u64>,
    pub input: InputSpec,
    /// Session folder (default: a new one under the sessions folder).
    pub out: Option<PathBuf>,
    /// Seconds of silence before the check-in (0: never; default by input).
    pub silence_timeout: Option<u64>,
    pub repo: Option<PathBuf>,
    pub llm: LlmArgs,
    /// Question bank directory (default: the built-in bank).
    pub bank: Option<PathBuf>,
}

/// Where answers come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum InputSpec {
    /// Typed in the terminal (or sent by a daemon client).
    Typed,
    /// A scripted candidate: one answer per blank-line-separated block.
    Scripted { answers: PathBuf },
    /// Spoken.
    Spoken(VoiceSpec),
}

impl InputSpec {
    pub fn voice(&self) -> Option<&VoiceSpec> {
        match self {
            InputSpec::Spoken(v) => Some(v),
            _ => None,
        }
    }
}

/// The spoken session's devices, model and manners.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoiceSpec {
    /// Recorded answers fed through the pipeline instead of the microphone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub input_wav: Vec<PathBuf>,
    #[serde(default)]
    pub fast: bool,
    pub input_device: Option<String>,
    /// Speak the interviewer's lines (false: print them only).
    pub speak: bool,
    pub tts_rate: f32,
    /// `piper` (or none), `system`, or a speech-dispatcher voice name.
    pub voice: Option<String>,
    /// Loudspeaker to speak through (None: the system's default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_device: Option<String>,
    pub barge_in: bool,
    pub patience: f64,
    /// Whisper model file (default: the installed tiny.en).
    pub model: Option<PathBuf>,
    pub vad: VadChoice,
    /// Let the end-of-turn model end answers (false: silence rules alone).
    #[serde(default = "yes")]
    pub turn_model: bool,
}

fn yes() -> bool {
    true
}

impl Default for VoiceSpec {
    fn default() -> Self {
        VoiceSpec {
            input_wav: Vec::new(),
            fast: false,
            input_device: None,
            speak: true,
            tts_rate: 1.0,
            voice: None,
            output_device: None,
            barge_in: true,
            patience: 1.0,
            model: None,
            vad: VadChoice::Auto,
            turn_model: true,
        }
    }
}

/// Which voice activity detector listens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VadChoice {
    /// Silero when its model is installed, WebRTC otherwise.
    Auto,
    Silero,
    Webrtc,
}

/// `mockint resume`: which session, and how the rest is answered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResumeSpec {
    /// Session folder (default: the most recent unfinished session).
    pub session: Option<PathBuf>,
    /// A scripted candidate for the rest of the session.
    pub answers_from: Option<PathBuf>,
    pub llm: LlmArgs,
    pub bank: Option<PathBuf>,
}

impl SessionSpec {
    /// Relative paths taken from `cwd` (the daemon runs elsewhere).
    pub fn absolute(mut self, cwd: &std::path::Path) -> Self {
        let abs = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = cwd.join(&*p);
            }
        };
        self.out.iter_mut().for_each(abs);
        self.repo.iter_mut().for_each(abs);
        self.bank.iter_mut().for_each(abs);
        match &mut self.input {
            InputSpec::Scripted { answers } => abs(answers),
            InputSpec::Spoken(v) => {
                v.model.iter_mut().for_each(abs);
                v.input_wav.iter_mut().for_each(abs);
            }
            InputSpec::Typed => {}
        }
        self
    }
}
