//! Minimal dispatcher for the knowledge commands (merged into the real main later).

use clap::{Parser, Subcommand};
use mockint::cli::knowledge::{self, BankArgs, EvalArgs, KnowledgeError, ScoreArgs};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "mockint",
    version,
    about = "Voice-driven mock interviewer for DevOps/cloud interviews"
)]
struct Cli {
    /// Question bank directory (default: $MOCKINT_BANK_DIR, else the embedded bank).
    #[arg(long, global = true, value_name = "DIR")]
    bank: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate or export the question bank.
    Bank(BankArgs),
    /// List the interview rounds with their question counts.
    Rounds,
    /// Grade one answer offline.
    Score(ScoreArgs),
    /// Evaluate the scorer against graded answers.
    Eval(EvalArgs),
}

fn main() {
    let cli = Cli::parse();
    let bank = cli.bank.as_deref();
    let result: Result<(), KnowledgeError> = match &cli.command {
        Command::Bank(a) => knowledge::run_bank(a, bank),
        Command::Rounds => knowledge::run_rounds(bank),
        Command::Score(a) => knowledge::run_score(a, bank),
        Command::Eval(a) => knowledge::run_eval(a, bank),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(e.exit_code());
    }
}
