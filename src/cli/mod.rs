//! Command-line interface: argument types (clap) and the dispatch from each
//! command to the library. Every error becomes one line and an exit status.

mod bench_bias;
pub mod bench_turn;
mod bench_voice;
mod daemon_cmd;
mod daemon_view;
mod delivery_cmd;
mod eval_stt;
mod eval_voice;
mod history_cmd;
mod intake_cmd;
pub mod knowledge;
mod models_cmd;
mod replay_cmd;
mod star_cmd;
pub(crate) mod start_cmd;
mod term_view;
mod transcribe_cmd;
mod vocab_cmd;

use crate::audio::AudioError;
use crate::daemon::protocol::Control;
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
        #[command(flatten)]
        llm: crate::llm::LlmArgs,
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
    /// Past sessions, per-round trends and a progress chart
    History(history_cmd::HistoryArgs),
    /// Play a past session back (spoken, or printed), or --rescore it with the current bank
    Replay(replay_cmd::ReplayArgs),
    /// Delivery of recorded answers: words/min, fillers/min, long pauses, length
    Delivery(delivery_cmd::DeliveryArgs),
    /// Rehearse a behavioral STAR story against the clock; per-part timing and takes compared
    Star(star_cmd::StarArgs),
    /// The daemon: keeps the model loaded and runs sessions that outlive the terminal
    Daemon(daemon_cmd::DaemonArgs),
    /// The daemon's state and its current session (phase, question, time, model, devices)
    Status {
        /// Print the daemon's JSON reply
        #[arg(long)]
        json: bool,
    },
    /// Follow the daemon's running session in this terminal (typed sessions take answers here too)
    Attach,
    /// Pause the daemon's running session (`mockint resume` continues it)
    Pause,
    /// Skip the current question of the daemon's running session
    Skip,
    /// Ask the daemon's running session to repeat the question
    Repeat,
    /// End the daemon's running session; its transcript and debrief are written
    Stop,
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
    /// Time of the delivery measurements (filler pass, VAD pause scan) per clip
    Delivery {
        #[arg(long)]
        model: Option<PathBuf>,
        /// Recorded answers (WAV)
        files: Vec<PathBuf>,
        /// Timed runs per clip (the median is reported)
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
    /// A waiting daemon's memory and CPU, with the model loaded
    Daemon {
        #[arg(long)]
        model: Option<PathBuf>,
        /// Seconds of idle CPU to measure
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Latency percentiles of the spoken loop on recorded answers of 10 s to 2 min, and idle CPU
    Voice(bench_voice::BenchVoiceArgs),
    /// Per-chunk decoding cost of contextual biasing (with against without)
    Bias(bench_bias::BenchBiasArgs),
    /// Today's silence rules against the end-of-turn stage on long answers
    /// with thinking pauses (offline, full speed)
    Turn(bench_turn::BenchTurnArgs),
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
        Command::Start(a) => match daemon_cmd::daemon_for(&a) {
            Some(client) => daemon_cmd::start_via_daemon(client, &a, bank).map(|_| 0),
            None => start_cmd::run_start(a, bank).map(|_| 0),
        },
        Command::Resume(a) if a.session.is_none() && a.answers_from.is_none() => {
            if daemon_cmd::resume_paused()? {
                return Ok(0);
            }
            start_cmd::run_resume(a, bank).map(|_| 0)
        }
        Command::Resume(a) => start_cmd::run_resume(a, bank).map(|_| 0),
        Command::Daemon(a) => daemon_cmd::run_daemon(a, bank).map(|_| 0),
        Command::Status { json } => daemon_cmd::run_status(json).map(|_| 0),
        Command::Attach => daemon_cmd::run_attach().map(|_| 0),
        Command::Pause => daemon_cmd::run_control(Control::Pause).map(|_| 0),
        Command::Skip => daemon_cmd::run_control(Control::Skip).map(|_| 0),
        Command::Repeat => daemon_cmd::run_control(Control::Repeat).map(|_| 0),
        Command::Stop => daemon_cmd::run_control(Control::Stop).map(|_| 0),
        Command::Bench {
            command: BenchCommand::Daemon { model, seconds },
        } => crate::daemon::bench::idle(model.as_deref(), seconds)
            .map(|f| crate::daemon::bench::print(&f))
            .map(|_| 0)
            .map_err(daemon_cmd::cli_err),
        Command::Devices => {
            let devices = crate::audio::capture::input_devices();
            if devices.is_empty() {
                println!("no audio input devices; `mockint start --text` works without one");
            }
            for (i, d) in devices.iter().enumerate() {
                println!("{}{d}", if i == 0 { "* " } else { "  " });
            }
            let outputs = crate::tts::output::output_devices();
            if !outputs.is_empty() {
                println!("\noutput devices (--output-device):");
            }
            for (i, d) in outputs.iter().enumerate() {
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
        Command::Eval(knowledge::EvalArgs {
            command: knowledge::EvalCommand::Voice(a),
        }) => eval_voice::run(a, bank).map(|_| 0),
        Command::Eval(a) => knowledge::run_eval(&a, bank).map(|_| 0).map_err(Into::into),
        Command::Transcribe(args) => transcribe_cmd::run(args, bank).map(|_| 0),
        Command::Vocab { command } => vocab_cmd::run(command, bank).map(|_| 0),
        Command::Models { command } => models_cmd::run(command).map(|_| 0),
        Command::Intake(args) => intake_cmd::run(args).map(|_| 0),
        Command::Doctor { model, llm } => {
            let status = crate::doctor::run(model.as_deref());
            Ok(status.max(crate::llm::doctor::run(&llm)))
        }
        Command::History(a) => history_cmd::run(a).map(|_| 0),
        Command::Replay(a) => replay_cmd::run(a, bank).map(|_| 0),
        Command::Delivery(a) => delivery_cmd::run(a, bank).map(|_| 0),
        Command::Star(a) => star_cmd::run(a, bank).map(|_| 0),
        Command::Bench {
            command: BenchCommand::Transcribe { model, files, runs },
        } => crate::bench::transcribe(model.as_deref(), &files, runs).map(|_| 0),
        Command::Bench {
            command: BenchCommand::Delivery { model, files, runs },
        } => delivery_cmd::bench(&files, runs, model.as_deref()).map(|_| 0),
        Command::Bench {
            command: BenchCommand::Voice(a),
        } => bench_voice::run(a, bank).map(|_| 0),
        Command::Bench {
            command: BenchCommand::Turn(a),
        } => bench_turn::run(a).map(|_| 0),
        Command::Bench {
            command: BenchCommand::Bias(a),
        } => bench_bias::run(a, bank).map(|_| 0),
    }
}
