//! `mockint intake PATH [--json] [--questions] [--round R]`: maps a
//! repository and prints the Repo Map and Round Availability (and, on
//! request, the questions grounded in it). A missing PATH or one that is not
//! a directory is one `error:` line and exit status 2.

use super::CliError;
use crate::intake::{self, GroundedQuestion, Options, RepoReport, Status};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct IntakeArgs {
    /// The repository to read (nothing outside it is read)
    pub path: PathBuf,
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
    /// Also print the questions grounded in the repo (every Available or Limited round)
    #[arg(long)]
    pub questions: bool,
    /// Only this round's questions (a question-bank round id, e.g. `terraform`); implies --questions
    #[arg(long)]
    pub round: Option<String>,
    /// Skip files larger than this many bytes
    #[arg(long, default_value_t = 1024 * 1024)]
    pub max_file_size: u64,
}

pub fn run(args: IntakeArgs) -> Result<(), CliError> {
    let opts = Options {
        max_file_bytes: args.max_file_size,
        ..Options::default()
    };
    let report =
        intake::scan(&args.path, &opts).map_err(|e| CliError::Usage(format!("intake: {e}")))?;
    let want_questions = args.questions || args.round.is_some();
    let questions = if want_questions {
        grounded(&report, args.round.as_deref())?
    } else {
        Vec::new()
    };
    if args.json {
        let mut value =
            serde_json::to_value(&report).map_err(|e| CliError::Failed(e.to_string()))?;
        if want_questions {
            let qs: serde_json::Map<String, serde_json::Value> = questions
                .iter()
                .map(|(r, q)| (r.clone(), serde_json::to_value(q).unwrap_or_default()))
                .collect();
            value["questions"] = serde_json::Value::Object(qs);
        }
        let text =
            serde_json::to_string_pretty(&value).map_err(|e| CliError::Failed(e.to_string()))?;
        println!("{text}");
    } else {
        print!("{}", intake::render_text(&report));
        if want_questions {
            print!("{}", intake::render_questions(&report, &questions));
        }
    }
    Ok(())
}

type RoundQuestions = Vec<(String, Vec<GroundedQuestion>)>;

fn grounded(report: &RepoReport, round: Option<&str>) -> Result<RoundQuestions, CliError> {
    if let Some(r) = round {
        if report.round(r).is_none() {
            let ids: Vec<&str> = report
                .availability
                .iter()
                .map(|a| a.round.as_str())
                .collect();
            return Err(CliError::Usage(format!(
                "intake: unknown round `{r}`; rounds: {}",
                ids.join(", ")
            )));
        }
    }
    Ok(report
        .availability
        .iter()
        .filter(|a| round.map_or(a.status != Status::Unavailable, |r| a.round == r))
        .map(|a| (a.round.clone(), intake::questions(report, &a.round)))
        .collect())
}
