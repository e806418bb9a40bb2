//! Text output of a [`RepoReport`] in the example transcript's format.
//!
//! In: a report (already redacted) and, for questions, the rounds to show.
//! Out: Markdown — the Repo Map table, the "### Round Availability" list
//! (rounds that share a line, like the two AWS rounds, are shown once when
//! they agree), then findings, secret locations with `[REDACTED]` values,
//! skipped files and a count line; and grounded questions per round.

use super::availability::RoundAvailability;
use super::questions::GroundedQuestion;
use super::RepoReport;
use std::fmt::Write;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn render_text(r: &RepoReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Repo Map\n");
    let _ = writeln!(out, "| Layer | Artifacts Found | Key Paths |");
    let _ = writeln!(out, "|-------|----------------|-----------|");
    for l in &r.layers {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            cell(&l.layer),
            cell(&l.artifacts),
            cell(&l.key_paths.join(", "))
        );
    }
    if r.layers.is_empty() {
        let _ = writeln!(out, "| (none) | nothing intake recognises | |");
    }
    let _ = writeln!(out, "\n### Round Availability\n");
    for line in availability_lines(&r.availability) {
        let _ = writeln!(out, "{line}");
    }
    if !r.findings.is_empty() {
        let _ = writeln!(out, "\n### Findings ({})\n", r.findings.len());
        for f in &r.findings {
            let from = f
                .template
                .map_or(String::new(), |t| format!(" (from a {t})"));
            let _ = writeln!(
                out,
                "- `{}:{}` {}{from} — {}",
                f.file,
                f.line,
                f.summary,
                f.quoted()
            );
        }
    }
    if !r.secrets.is_empty() {
        let _ = writeln!(
            out,
            "\n### Secrets ({}, values redacted)\n",
            r.secrets.len()
        );
        for s in &r.secrets {
            let name = if s.name.is_empty() {
                String::new()
            } else {
                format!(" `{}`", s.name)
            };
            let _ = writeln!(
                out,
                "- `{}:{}` {}{name} = {}",
                s.file, s.line, s.kind, s.value
            );
        }
    }
    if !r.skipped.is_empty() {
        let _ = writeln!(out, "\n### Skipped ({})\n", r.skipped.len());
        for s in &r.skipped {
            let _ = writeln!(out, "- `{}`: {}", s.path, s.reason);
        }
    }
    let _ = writeln!(
        out,
        "\n{} files scanned, {} read, {} parsed.",
        r.stats.files_seen, r.stats.files_read, r.stats.files_parsed
    );
    out
}

/// "- Terraform & IaC: **Available** (rich artifacts)", one per line label.
pub(crate) fn availability_lines(rounds: &[RoundAvailability]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < rounds.len() {
        let r = &rounds[i];
        let same: Vec<&RoundAvailability> = rounds[i..]
            .iter()
            .take_while(|x| x.line == r.line)
            .collect();
        let agree = same
            .iter()
            .all(|x| x.status == r.status && x.reason == r.reason);
        if agree {
            out.push(format!("- {}: **{}** ({})", r.line, r.status, r.reason));
        } else {
            for x in &same {
                out.push(format!("- {}: **{}** ({})", x.title, x.status, x.reason));
            }
        }
        i += same.len();
    }
    out
}

/// Questions under a heading per round.
pub fn render_questions(r: &RepoReport, rounds: &[(String, Vec<GroundedQuestion>)]) -> String {
    let mut out = String::new();
    for (round, qs) in rounds {
        let title = r.round(round).map_or(round.as_str(), |a| a.title.as_str());
        let _ = writeln!(out, "\n## {title} — {} grounded question(s)\n", qs.len());
        for q in qs {
            let from = q
                .evidence
                .template
                .map_or(String::new(), |t| format!(", {t}"));
            let _ = writeln!(
                out,
                "### {} ({}, {}:{}{from})\n",
                q.id, q.kind, q.evidence.file, q.evidence.line
            );
            let _ = writeln!(out, "{}\n", q.text());
            for u in &q.follow_ups {
                let _ = writeln!(out, "- Follow-up: {}", u.prompt);
            }
            if let Some(b) = &q.related_bank_question {
                let _ = writeln!(out, "- Related bank question: `{b}`");
            }
            let _ = writeln!(out);
        }
    }
    out
}
