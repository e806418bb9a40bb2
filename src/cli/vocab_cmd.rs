//! `mockint vocab rewrite|prompt|terms`: the jargon vocabulary layer on its own,
//! for checking what it does to a text and what Whisper is prompted with.

use super::knowledge::KnowledgeError;
use super::CliError;
use crate::bank::{Bank, BankSource};
use crate::vocab::Vocabulary;
use clap::Subcommand;
use std::io::Read;
use std::path::Path;

#[derive(Debug, Subcommand)]
pub enum VocabCommand {
    /// Rewrite a transcript (the argument, or standard input line by line)
    Rewrite {
        /// Text to rewrite (default: read standard input, one transcript per line)
        text: Option<String>,
        /// Round whose vocabulary to use (default: every round)
        #[arg(long)]
        round: Option<String>,
        /// Print the rewritten text, the raw text and each rewrite as JSON
        #[arg(long)]
        json: bool,
    },
    /// Print the initial prompt Whisper gets for a round
    Prompt {
        #[arg(long)]
        round: Option<String>,
    },
    /// List the canonical spellings in force for a round
    Terms {
        #[arg(long)]
        round: Option<String>,
    },
}

pub fn run(cmd: VocabCommand, bank_dir: Option<&Path>) -> Result<(), CliError> {
    let bank = Bank::load(&BankSource::resolve(bank_dir)).map_err(KnowledgeError::from)?;
    let vocab = |round: &Option<String>| Vocabulary::for_round_or_all(&bank, round.as_deref());
    match cmd {
        VocabCommand::Rewrite { text, round, json } => {
            let v = vocab(&round)?;
            let input = match text {
                Some(t) => t,
                None => {
                    let mut s = String::new();
                    std::io::stdin()
                        .read_to_string(&mut s)
                        .map_err(|e| CliError::Failed(format!("standard input: {e}")))?;
                    s
                }
            };
            for line in input.lines() {
                let r = v.rewrite(line);
                if json {
                    let out =
                        serde_json::to_string(&r).map_err(|e| CliError::Failed(e.to_string()))?;
                    println!("{out}");
                } else {
                    println!("{}", r.text);
                }
            }
        }
        VocabCommand::Prompt { round } => println!("{}", vocab(&round)?.prompt()),
        VocabCommand::Terms { round } => {
            for t in vocab(&round)?.terms() {
                println!("{t}");
            }
        }
    }
    Ok(())
}
