//! Questions grounded in the candidate's own repo: intake runs first, and
//! its questions (quoting the candidate's files and values) come first.

use super::SessionError;
use crate::bank::Bank;
use crate::interviewer::{Mode, Planned};
use std::path::Path;

/// Runs intake on `repo` and puts questions about the candidate's own files
/// first: for a round, grounded questions then bank questions up to the count;
/// for a full loop, the rounds the repo supports, a few grounded questions each.
pub(super) fn ground_in_repo(
    repo: &Path,
    bank: &Bank,
    mode: &Mode,
    bank_plan: Vec<Planned>,
) -> Result<(Vec<Planned>, String), SessionError> {
    use crate::intake::{questions, scan, Options, Status};
    let report = scan(repo, &Options::default()).map_err(|e| SessionError::Usage(e.to_string()))?;
    let shown = crate::intake::render_text(&report);
    let grounded = |round: &str, n: usize| -> Vec<Planned> {
        let title = bank
            .round(round)
            .map_or(round.to_string(), |r| r.title.clone());
        questions(&report, round)
            .into_iter()
            .take(n)
            .map(|g| {
                let question = g.to_bank_question(Some(bank));
                // The bank form's prompt may already open with the intro.
                let intro = (!question.prompt.starts_with(g.intro.trim())).then(|| g.intro.clone());
                Planned {
                    round: round.to_string(),
                    round_title: title.clone(),
                    question,
                    intro,
                }
            })
            .collect()
    };
    let planned = match mode {
        Mode::Round {
            round,
            questions: n,
        } => {
            let mut out = grounded(round, *n);
            let have: Vec<String> = out.iter().map(|p| p.question.id.clone()).collect();
            out.extend(
                bank_plan
                    .into_iter()
                    .filter(|p| !have.contains(&p.question.id)),
            );
            out.truncate(*n);
            out
        }
        Mode::FullLoop { per_round } => {
            let out: Vec<Planned> = report
                .availability
                .iter()
                .filter(|a| a.status != Status::Unavailable)
                .flat_map(|a| grounded(&a.round, *per_round))
                .collect();
            if out.is_empty() {
                return Err(SessionError::Usage(format!(
                    "{}: intake found nothing to ask about; run `mockint start --mode full-loop` without --repo",
                    repo.display()
                )));
            }
            out
        }
        Mode::Drill { .. } => bank_plan,
    };
    Ok((planned, shown))
}
