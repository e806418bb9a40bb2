//! Command-line interface: argument types (clap) and the dispatch from each
//! command to the library. Every error becomes one line and an exit status.

mod bench_voice;
mod eval_stt;
mod keys;
mod intake_cmd;
pub mod knowledge;
mod models_cmd;
mod session;
mod start_cmd;
mod transcribe_cmd;
mod vocab_cmd;
mod voice_loop;

use crate::audio::AudioError;
use crate::models::ModelError;
use crate::stt::SttError;
use crate::vocab::VocabError;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "mockint",
    version,
    about = "A voice-driven mock interviewer for DevOps and cloud engineering interviews"
)]
pub struct Cli {
    /// Question bank directory (default: $MOCKINT_BANK_DIR, else the bank built into mockint)
    #[arg(long, global = true, value_name = "DIR")]
    pub bank: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a mock interview: spoken (microphone → Whisper → speech) or typed with --text
    Start(start_cmd::StartArgs),
    /// List audio input devices
    Devices,
    /// Continue an interrupted session
    Resume(start_cmd::ResumeArgs),
    /// Transcribe WAV files with the local Whisper model
    Transcribe(transcribe_cmd::TranscribeArgs),
    /// The jargon vocabulary layer: rewrite a text, show the prompt or the terms
    Vocab {
        #[command(subcommand)]
        command: vocab_cmd::VocabCommand,
    },
    /// Install, download, convert and list Whisper models
    Models {
        #[command(subcommand)]
        command: models_cmd::ModelsCommand,
    },
    /// Check the model, audio devices and speech output; prints the fix for each problem
    Doctor {
        /// Model file to check (default: the installed default model)
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// Map a repository: Repo Map, Round Availability, grounded questions
    Intake(intake_cmd::IntakeArgs),
    /// Validate or export the question bank
    Bank(knowledge::BankArgs),
    /// List the interview rounds with their question counts
    Rounds,
    /// Grade one answer offline
    Score(knowledge::ScoreArgs),
    /// Evaluate the scorer against graded answers
    Eval(knowledge::EvalArgs),
    /// Measure performance
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Real-time factor of transcription, per sample and for 3-s and 10-s clips
    Transcribe {
        #[arg(long)]
        model: Option<PathBuf>,
        /// WAV files with optional `.txt` references beside them (default: the test-data cache)
        files: Vec<PathBuf>,
        /// Timed runs per clip (the median is reported)
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
    /// Latency percentiles of the spoken loop on recorded answers of 10 s to 2 min, and idle CPU
    Voice(bench_voice::BenchVoiceArgs),
}

/// Errors that reach the user, each with its exit status.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Audio(#[from] AudioError),
    #[error(transparent)]
    Stt(#[from] SttError),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Knowledge(#[from] knowledge::KnowledgeError),
    #[error(transparent)]
    Vocab(#[from] VocabError),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    /// 2 for bad input the user can fix (a file, a value), 1 for failures.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Audio(AudioError::Resample(_)) => 1,
            CliError::Audio(_) | CliError::Usage(_) => 2,
            CliError::Stt(SttError::Decode(_)) => 1,
            CliError::Stt(_) => 2,
            CliError::Model(
                ModelError::Pip { .. } | ModelError::Download { .. } | ModelError::Checksum { .. },
            ) => 1,
            CliError::Model(_) => 2,
            CliError::Knowledge(e) => e.exit_code(),
            CliError::Vocab(_) => 2,
            CliError::Failed(_) => 1,
        }
    }
}

/// `RUST_LOG` controls verbosity; default: warnings only, on stderr.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,whisper_rs=off"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Runs a command; `Ok` carries the exit status (doctor reports failures that way).
pub fn run(cli: Cli) -> Result<i32, CliError> {
    let bank = cli.bank.as_deref();
    match cli.command {
        Command::Start(a) => start_cmd::run_start(a, bank).map(|_| 0),
        Command::Resume(a) => start_cmd::run_resume(a, bank).map(|_| 0),
        Command::Devices => {
            let devices = crate::audio::capture::input_devices();
            if devices.is_empty() {
                println!("no audio input devices; `mockint start --text` works without one");
            }
            for (i, d) in devices.iter().enumerate() {
                println!("{}{d}", if i == 0 { "* " } else { "  " });
            }
            Ok(0)
        }
        Command::Bank(a) => knowledge::run_bank(&a, bank).map(|_| 0).map_err(Into::into),
        Command::Rounds => knowledge::run_rounds(bank).map(|_| 0).map_err(Into::into),
        Command::Score(a) => knowledge::run_score(&a, bank)
            .map(|_| 0)
            .map_err(Into::into),
        Command::Eval(knowledge::EvalArgs {
            command: knowledge::EvalCommand::Stt(a),
        }) => eval_stt::run(a, bank).map(|_| 0),
        Command::Eval(a) => knowledge::run_eval(&a, bank).map(|_| 0).map_err(Into::into),
        Command::Transcribe(args) => transcribe_cmd::run(args, bank).map(|_| 0),
        Command::Vocab { command } => vocab_cmd::run(command, bank).map(|_| 0),
        Command::Models { command } => models_cmd::run(command).map(|_| 0),
        Command::Intake(args) => intake_cmd::run(args).map(|_| 0),
        Command::Doctor { model } => Ok(crate::doctor::run(model.as_deref())),
        Command::Bench {
            command: BenchCommand::Transcribe { model, files, runs },
        } => crate::bench::transcribe(model.as_deref(), &files, runs).map(|_| 0),
        Command::Bench {
            command: BenchCommand::Voice(a),
        } => bench_voice::run(a, bank).map(|_| 0),
    }
}
