//! `mockint bank check|export`, `mockint rounds`, `mockint score` and
//! `mockint eval scorer`: the commands over the question bank and the offline
//! scorer. Each `run_*` returns a [`KnowledgeError`] whose message is one
//! clear line; [`KnowledgeError::exit_code`] is 2 for bad input.

use crate::bank::{Bank, BankErrors, BankSource, Question};
use crate::scorer::eval::{Case, Outcome, Report};
use crate::scorer::{render, Scorer};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum KnowledgeError {
    #[error("{0}")]
    Bank(#[from] BankErrors),
    #[error("unknown round `{round}`; valid rounds: {valid}")]
    UnknownRound { round: String, valid: String },
    #[error("no question in round `{round}` matches \"{question}\"; question ids: {ids}")]
    UnknownQuestion {
        round: String,
        question: String,
        ids: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{file}:{line}: {message}")]
    BadLine {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{0}")]
    Usage(String),
    #[error("JSON output failed: {0}")]
    Json(#[from] serde_json::Error),
}

impl KnowledgeError {
    /// Process exit status: every error here is bad input or a broken bank.
    pub fn exit_code(&self) -> i32 {
        2
    }
}

#[derive(Debug, Args)]
pub struct BankArgs {
    #[command(subcommand)]
    pub command: BankCommand,
}

#[derive(Debug, Subcommand)]
pub enum BankCommand {
    /// Validate a question bank directory (default: --bank, $MOCKINT_BANK_DIR, or the embedded bank).
    Check {
        /// A question_bank directory.
        dir: Option<PathBuf>,
    },
    /// Print the whole bank and rubrics.
    Export {
        /// Print JSON (the only format).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Round the question belongs to (see `mockint rounds`).
    #[arg(long)]
    pub round: String,
    /// The question as asked; resolves to the closest bank question of the round.
    #[arg(
        long,
        conflicts_with = "question_id",
        required_unless_present = "question_id"
    )]
    pub question: Option<String>,
    /// A bank question id.
    #[arg(long)]
    pub question_id: Option<String>,
    /// The answer transcript.
    #[arg(
        long,
        conflicts_with = "answer_file",
        required_unless_present = "answer_file"
    )]
    pub answer: Option<String>,
    /// A file holding the answer transcript.
    #[arg(long)]
    pub answer_file: Option<PathBuf>,
    /// Print the score as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(subcommand)]
    pub command: EvalCommand,
}

#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Compare the offline scorer with expert ratings in a JSONL file.
    Scorer {
        /// Lines of {"round", "question", "answer", "expected_rating", "kind"?}.
        file: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Word error rate and jargon term recall of transcription, with and without the vocabulary layer and prompt.
    Stt(super::eval_stt::SttEvalArgs),
    /// How well Whisper hears the interviewer's voice: every bank question spoken and transcribed back (minutes).
    Voice(super::eval_voice::VoiceEvalArgs),
}

fn load(bank_dir: Option<&Path>) -> Result<Bank, KnowledgeError> {
    Ok(Bank::load(&BankSource::resolve(bank_dir))?)
}

pub fn run_bank(args: &BankArgs, bank_dir: Option<&Path>) -> Result<(), KnowledgeError> {
    match &args.command {
        BankCommand::Check { dir } => {
            let source = BankSource::resolve(dir.as_deref().or(bank_dir));
            let bank = Bank::load(&source)?;
            println!(
                "{}: OK — {} rounds, {} questions, {} key points",
                source.describe(),
                bank.rounds.len(),
                bank.question_count(),
                bank.rounds
                    .iter()
                    .flat_map(|r| &r.question)
                    .map(|q| q.key_points.len())
                    .sum::<usize>()
            );
            Ok(())
        }
        BankCommand::Export { json } => {
            if !json {
                return Err(KnowledgeError::Usage(
                    "bank export supports only --json".into(),
                ));
            }
            let bank = load(bank_dir)?;
            let out = serde_json::json!({ "rounds": bank.rounds, "rubrics": bank.rubrics });
            println!("{}", serde_json::to_string_pretty(&out)?);
            Ok(())
        }
    }
}

pub fn run_rounds(bank_dir: Option<&Path>) -> Result<(), KnowledgeError> {
    let bank = load(bank_dir)?;
    let w = bank.rounds.iter().map(|r| r.round.len()).max().unwrap_or(5);
    println!("{:<w$}  {:>9}  TITLE", "ROUND", "QUESTIONS");
    for r in &bank.rounds {
        println!("{:<w$}  {:>9}  {}", r.round, r.question.len(), r.title);
    }
    Ok(())
}

fn round_or_err<'a>(bank: &'a Bank, round: &str) -> Result<&'a crate::bank::Round, KnowledgeError> {
    bank.round(round)
        .ok_or_else(|| KnowledgeError::UnknownRound {
            round: round.to_string(),
            valid: bank.round_names().join(", "),
        })
}

fn find_question<'a>(
    scorer: &'a Scorer,
    round: &str,
    question: &str,
) -> Result<&'a Question, KnowledgeError> {
    let r = round_or_err(scorer.bank(), round)?;
    scorer
        .resolve(round, question)
        .ok_or_else(|| KnowledgeError::UnknownQuestion {
            round: round.to_string(),
            question: question.to_string(),
            ids: r
                .question
                .iter()
                .map(|q| q.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

pub fn run_score(args: &ScoreArgs, bank_dir: Option<&Path>) -> Result<(), KnowledgeError> {
    let scorer = Scorer::new(load(bank_dir)?);
    let question = match (&args.question_id, &args.question) {
        (Some(id), _) => {
            let r = round_or_err(scorer.bank(), &args.round)?;
            r.question.iter().find(|q| &q.id == id).ok_or_else(|| {
                KnowledgeError::UnknownQuestion {
                    round: args.round.clone(),
                    question: id.clone(),
                    ids: r
                        .question
                        .iter()
                        .map(|q| q.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                }
            })?
        }
        (None, Some(text)) => find_question(&scorer, &args.round, text)?,
        (None, None) => {
            return Err(KnowledgeError::Usage(
                "give --question or --question-id".into(),
            ))
        }
    };
    let answer = match (&args.answer, &args.answer_file) {
        (Some(a), _) => a.clone(),
        (None, Some(f)) => std::fs::read_to_string(f).map_err(|e| KnowledgeError::Io {
            path: f.display().to_string(),
            source: e,
        })?,
        (None, None) => {
            return Err(KnowledgeError::Usage(
                "give --answer or --answer-file".into(),
            ))
        }
    };
    let score = scorer.score(question, &answer);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&score)?);
    } else {
        println!("Question ({}): {}\n", question.id, question.prompt);
        print!("{}", render(&score));
    }
    Ok(())
}

/// Reads and scores every case of a JSONL file.
pub fn evaluate(scorer: &Scorer, file: &Path) -> Result<Vec<Outcome>, KnowledgeError> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| KnowledgeError::Io {
        path: name.clone(),
        source: e,
    })?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| KnowledgeError::BadLine {
            file: name.clone(),
            line: line_no,
            message,
        };
        let case: Case = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        if !(1..=4).contains(&case.expected_rating) {
            return Err(bad(format!(
                "expected_rating {} is outside 1..=4",
                case.expected_rating
            )));
        }
        let q =
            find_question(scorer, &case.round, &case.question).map_err(|e| bad(e.to_string()))?;
        let s = scorer.score(q, &case.answer);
        out.push(Outcome {
            line: line_no,
            question_id: q.id.clone(),
            expected: case.expected_rating,
            got: s.rating,
            kind: case.kind.clone(),
            flags: s.flags,
            answer: case.answer,
        });
    }
    if out.is_empty() {
        return Err(KnowledgeError::Usage(format!("{name}: no cases")));
    }
    Ok(out)
}

pub fn run_eval(args: &EvalArgs, bank_dir: Option<&Path>) -> Result<(), KnowledgeError> {
    let EvalCommand::Scorer { file, json } = &args.command else {
        return Err(KnowledgeError::Usage(
            "`eval stt` runs through cli::run".into(),
        ));
    };
    let scorer = Scorer::new(load(bank_dir)?);
    let report = Report::from_outcomes(&evaluate(&scorer, file)?);
    if *json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.render(&file.display().to_string()));
    }
    Ok(())
}
