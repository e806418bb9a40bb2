//! `mockint start` and `mockint resume`: clap's arguments become a
//! [`SessionSpec`] (or [`ResumeSpec`]), the session engine prepares and runs
//! the session, and the terminal view shows it.

use super::term_view::TerminalView;
use super::CliError;
use crate::session::{
    new_session, resume_session, InputSpec, ModeKind, NewSession, ResumeSpec, SessionError,
    SessionSpec, VadChoice, VoiceSpec,
};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    Round,
    FullLoop,
    Drill,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// The round to practise (see `mockint rounds`)
    #[arg(long)]
    pub round: Option<String>,
    /// round (needs --round), full-loop (every round), or drill (the gaps of your last session)
    #[arg(long, value_enum)]
    pub mode: Option<ModeArg>,
    /// Questions in a round or drill session
    #[arg(long, default_value_t = 5)]
    pub questions: usize,
    /// Questions per round in full-loop mode
    #[arg(long, default_value_t = 2)]
    pub per_round: usize,
    /// Seed for question selection (default: from the clock)
    #[arg(long)]
    pub seed: Option<u64>,
    /// Type answers in the terminal; a blank line ends an answer
    #[arg(long)]
    pub text: bool,
    /// Play a scripted candidate: one answer (or command) per blank-line-separated block
    #[arg(long, value_name = "FILE")]
    pub answers_from: Option<PathBuf>,
    /// Session folder (default: a new folder under ~/.local/share/mockint/sessions)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seconds of silence before the interviewer checks in (0: never; default 20 when speaking, never when typing)
    #[arg(long)]
    pub silence_timeout: Option<u64>,
    /// Ground the interview in your own infrastructure repo: intake runs first
    /// and questions quote your files and values
    #[arg(long, value_name = "PATH")]
    pub repo: Option<PathBuf>,
    /// Run in this terminal even when a daemon is running (see `mockint daemon`)
    #[arg(long)]
    pub no_daemon: bool,
    #[command(flatten)]
    pub voice: VoiceArgs,
    #[command(flatten)]
    pub llm: Box<crate::llm::LlmArgs>,
}

/// How the interviewer speaks (`start` and `star`).
#[derive(Debug, Args)]
pub struct SpeakArgs {
    /// Print the interviewer's lines instead of speaking them
    #[arg(long)]
    pub no_tts: bool,
    /// Speech rate relative to normal (e.g. 1.2)
    #[arg(long, default_value_t = 1.0)]
    pub tts_rate: f32,
    /// Interviewer voice: piper (the default, neural), system
    /// (speech-dispatcher), or a speech-dispatcher voice name
    #[arg(long)]
    pub voice: Option<String>,
    /// Loudspeaker to speak through (see `mockint devices`; default: the system's)
    #[arg(long, value_name = "NAME")]
    pub output_device: Option<String>,
}

/// Options of the spoken session.
#[derive(Debug, Args)]
pub struct VoiceArgs {
    /// Feed recorded answers (WAV, one per question) through the voice pipeline instead of the microphone
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub input_wav: Vec<PathBuf>,
    /// With --input-wav: as fast as the machine can, not in real time
    #[arg(long)]
    pub fast: bool,
    /// Microphone to use (see `mockint devices`)
    #[arg(long, value_name = "NAME")]
    pub input_device: Option<String>,
    #[command(flatten)]
    pub speak: SpeakArgs,
    /// Keep speaking when you talk over the interviewer (Enter or space still stops it);
    /// for loud loudspeakers without headphones
    #[arg(long)]
    pub no_barge_in: bool,
    /// How long to wait through silences before deciding an answer is over (1.0 = default, 2.0 = twice as long)
    #[arg(long, default_value_t = 1.0)]
    pub patience: f64,
    /// End answers on silence alone (4.5 s or more), without the end-of-turn
    /// model that replies about half a second after a finished answer
    #[arg(long)]
    pub no_turn_model: bool,
    /// ggml Whisper model (default: the installed tiny.en)
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Voice activity detector: silero (better in noise; its model comes
    /// with scripts/setup.sh), webrtc, or auto (silero when installed)
    #[arg(long, value_enum, default_value_t = VadArg::Auto)]
    pub vad: VadArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VadArg {
    Auto,
    Silero,
    Webrtc,
}

impl From<VadArg> for VadChoice {
    fn from(v: VadArg) -> Self {
        match v {
            VadArg::Auto => VadChoice::Auto,
            VadArg::Silero => VadChoice::Silero,
            VadArg::Webrtc => VadChoice::Webrtc,
        }
    }
}

#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// Session folder (default: the most recent unfinished session)
    pub session: Option<PathBuf>,
    /// Play a scripted candidate for the rest of the session
    #[arg(long, value_name = "FILE")]
    pub answers_from: Option<PathBuf>,
    #[command(flatten)]
    pub llm: Box<crate::llm::LlmArgs>,
}

impl From<SessionError> for CliError {
    fn from(e: SessionError) -> Self {
        match e {
            SessionError::Audio(e) => CliError::Audio(e),
            SessionError::Stt(e) => CliError::Stt(e),
            SessionError::Bank(e) => CliError::Knowledge(super::knowledge::KnowledgeError::Bank(e)),
            SessionError::Usage(m) => CliError::Usage(m),
            SessionError::Failed(m) => CliError::Failed(m),
        }
    }
}

impl From<crate::transcript::StoreError> for CliError {
    fn from(e: crate::transcript::StoreError) -> Self {
        SessionError::from(e).into()
    }
}

impl VoiceArgs {
    pub fn spec(&self) -> VoiceSpec {
        VoiceSpec {
            input_wav: self.input_wav.clone(),
            fast: self.fast,
            input_device: self.input_device.clone(),
            speak: !self.speak.no_tts,
            tts_rate: self.speak.tts_rate,
            voice: self.speak.voice.clone(),
            output_device: self.speak.output_device.clone(),
            barge_in: !self.no_barge_in,
            patience: self.patience,
            model: self.model.clone(),
            vad: self.vad.into(),
            turn_model: !self.no_turn_model,
        }
    }
}

impl StartArgs {
    /// The session this command line asks for, as plain data (relative
    /// paths taken from the current directory).
    pub fn spec(&self, bank: Option<&Path>) -> SessionSpec {
        let input = match (&self.answers_from, self.text) {
            (Some(f), _) => InputSpec::Scripted { answers: f.clone() },
            (None, true) => InputSpec::Typed,
            (None, false) => InputSpec::Spoken(self.voice.spec()),
        };
        let spec = SessionSpec {
            round: self.round.clone(),
            mode: self.mode.map(|m| match m {
                ModeArg::Round => ModeKind::Round,
                ModeArg::FullLoop => ModeKind::FullLoop,
                ModeArg::Drill => ModeKind::Drill,
            }),
            questions: self.questions,
            per_round: self.per_round,
            seed: self.seed,
            input,
            out: self.out.clone(),
            silence_timeout: self.silence_timeout,
            repo: self.repo.clone(),
            llm: (*self.llm).clone(),
            bank: bank.map(Path::to_path_buf),
        };
        match std::env::current_dir() {
            Ok(cwd) => spec.absolute(&cwd),
            Err(_) => spec,
        }
    }
}

pub fn run_start(args: StartArgs, bank_dir: Option<&Path>) -> Result<(), CliError> {
    let n = new_session(&args.spec(bank_dir), None)?;
    run(n, false)
}

/// Runs a prepared session in this terminal.
fn run(mut n: NewSession, resuming: bool) -> Result<(), CliError> {
    if let Some(report) = n.intake_report.take() {
        print!("{report}");
    }
    n.session.view = Box::new(TerminalView::default());
    if resuming {
        let r = &n.session.record;
        let spoken = if n.voice.is_some() { "spoken" } else { "typed" };
        println!("Resuming {} ({spoken}).", r.id);
    }
    match n.voice {
        None => n.session.run(n.script, resuming, n.llm)?,
        Some((source, speaker, worker, vad)) => {
            let v = n.session.record.voice.clone().unwrap_or_default();
            let prompt = n.session.whisper_prompt();
            crate::session::voice::run_voice(
                n.session,
                source,
                speaker,
                worker,
                crate::session::voice::VoiceOptions {
                    patience: v.patience,
                    prompt,
                    barge_in: v.barge_in,
                    hook: None,
                    llm: n.llm,
                    vad,
                    keys: true,
                    turn_model: v.turn_model,
                },
            )?
        }
    }
    Ok(())
}

pub fn run_resume(args: ResumeArgs, bank_dir: Option<&Path>) -> Result<(), CliError> {
    let mut spec = ResumeSpec {
        session: args.session.clone(),
        answers_from: args.answers_from.clone(),
        llm: (*args.llm).clone(),
        bank: bank_dir.map(Path::to_path_buf),
    };
    if let Ok(cwd) = std::env::current_dir() {
        for p in spec.session.iter_mut().chain(spec.answers_from.iter_mut()) {
            if p.is_relative() {
                *p = cwd.join(&*p);
            }
        }
    }
    let n = resume_session(&spec, None)?;
    run(n, true)
}
