//! `transcript.md`: the session as the example transcript shows one — a
//! heading per question with round and kind, **Interviewer:** lines, the
//! candidate's answers as quotes, **Follow-up:** lines, the score block and
//! the model answer — with every utterance's `[mm:ss]` offset from the start
//! and each answer's duration.

use super::record::SessionRecord;
use super::{clock, duration};
use crate::interviewer::EventKind;
use crate::scorer::render;
use std::fmt::Write;

/// A short topic for a score heading: the question's first clause.
pub fn topic(prompt: &str) -> String {
    // The first sentence, skipping a repo finding that quotes files and values.
    let first = prompt
        .split(['?', ';'])
        .flat_map(|s| s.split(". "))
        .map(str::trim)
        .find(|s| !s.is_empty() && !s.contains('`'))
        .unwrap_or(prompt)
        .trim()
        .trim_end_matches(',');
    let words: Vec<&str> = first.split_whitespace().collect();
    if words.len() <= 10 {
        words.join(" ")
    } else {
        format!("{}…", words[..10].join(" "))
    }
}

fn quote(text: &str) -> String {
    text.lines()
        .map(|l| format!("> {l}"))
        .collect::<Vec<_>>()
        .join("\n>\n")
}

/// A line recorded as about to be said when the session stopped.
const NOT_ASKED: &str =
    "not asked — the interview was interrupted before it was said (`mockint resume` asks it)";

pub fn render_transcript(r: &SessionRecord, title: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Mock Interview — {title}\n");
    let scorer = match &r.llm {
        None => "offline".to_string(),
        Some(l) => format!(
            "model `{}` at {} (budget {} s), offline fallback",
            l.model.as_deref().unwrap_or("?"),
            l.endpoint,
            l.budget_ms as f64 / 1000.0
        ),
    };
    let _ = writeln!(
        out,
        "Session `{}` · started {} · {} question{} planned · seed {} · scorer: {scorer}\n",
        r.id,
        r.created,
        r.plan.len(),
        if r.plan.len() == 1 { "" } else { "s" },
        r.seed
    );
    let unsaid = r.unsaid_ask();
    for (i, e) in r.events.iter().enumerate() {
        let at = clock(e.at);
        match &e.kind {
            EventKind::Started { .. } => {}
            EventKind::FollowUp { text, .. } if unsaid == Some(i) => {
                let _ = writeln!(out, "*`[{at}]` Follow-up {NOT_ASKED}:* {text}\n");
            }
            EventKind::Asked {
                index, intro, text, ..
            } => {
                let p = &r.plan[*index];
                let _ = writeln!(
                    out,
                    "---\n\n### {} Question — {}\n",
                    p.round_title,
                    p.question.kind.title()
                );
                if unsaid == Some(i) {
                    let _ = writeln!(out, "*`[{at}]` {NOT_ASKED}:* {text}\n");
                    continue;
                }
                let _ = writeln!(out, "**Interviewer:** `[{at}]`");
                if let Some(intro) = intro {
                    let _ = writeln!(out, "{intro}\n");
                }
                let _ = writeln!(out, "**{text}**\n");
            }
            EventKind::FollowUp { text, note, .. } => match note {
                None => {
                    let _ = writeln!(out, "**Follow-up:** `[{at}]` {text}\n");
                }
                Some(n) => {
                    let _ = writeln!(out, "**Follow-up:** `[{at}]` {text} *({n})*\n");
                }
            },
            EventKind::Answer {
                text,
                started,
                ended,
                ..
            }
            | EventKind::QuestionBack {
                text,
                started,
                ended,
                ..
            } => {
                let who = match &e.kind {
                    EventKind::QuestionBack { .. } => {
                        "**User** (a question to the interviewer — not graded):"
                    }
                    _ => "**User:**",
                };
                let _ = writeln!(
                    out,
                    "> {who} `[{} · {}]`\n{}\n",
                    clock(*started),
                    duration(ended.saturating_sub(*started)),
                    quote(text)
                );
            }
            EventKind::Command { command, .. } => {
                let _ = writeln!(out, "*`[{at}]` The candidate {}.*\n", command.describe());
            }
            EventKind::Remark { text, started, .. } => {
                let _ = writeln!(
                    out,
                    "> **User** (over the interviewer, before the question was heard — not graded): `[{}]`\n{}\n",
                    clock(*started),
                    quote(text)
                );
            }
            EventKind::Prompted { text, .. } => {
                let _ = writeln!(out, "**Interviewer:** `[{at}]` {text}\n");
            }
            EventKind::Scored { index, score } => {
                let p = &r.plan[*index];
                let block = render(score);
                let (scores, model) = block
                    .split_once("\n\n**Model answer:**")
                    .unwrap_or((&block, ""));
                let mut scores = scores.trim_end().to_string();
                for line in crate::llm::score_lines(score) {
                    scores.push('\n');
                    scores.push_str(&line);
                }
                let _ = writeln!(
                    out,
                    "### Score: {} — {}\n`[{at}]`\n```\n{}{}\n```\n",
                    p.round_title,
                    topic(&p.question.prompt),
                    scores,
                    crate::delivery::session::score_lines(r, *index)
                );
                if !model.trim().is_empty() {
                    let _ = writeln!(out, "**Model answer:** {}\n", model.trim());
                }
            }
            EventKind::Skipped { index, reason } => {
                let q = &r.plan[*index].question;
                let _ = writeln!(out, "*`[{at}]` Not scored: {reason}.*\n");
                let _ = writeln!(
                    out,
                    "**Model answer:** {}\n\n**Key point for interview:** \"{}\"\n",
                    q.model_answer
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                    q.key_point_for_interview
                );
            }
            EventKind::Paused => {
                let _ = writeln!(out, "*`[{at}]` Interview paused.*\n");
            }
            EventKind::Resumed => {
                let _ = writeln!(out, "*`[{at}]` Interview resumed.*\n");
            }
            EventKind::Ended { reason, .. } => {
                let why = reason.describe();
                let _ = writeln!(
                    out,
                    "---\n\n*`[{at}]` End of interview ({why}). See `debrief.md`.*"
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn topic_takes_the_first_clause_and_caps_length() {
        assert_eq!(super::topic("What is a PDB? Why use one?"), "What is a PDB");
        assert_eq!(
            super::topic("A pod is in ImagePullBackOff. How do you debug it?"),
            "A pod is in ImagePullBackOff"
        );
        assert_eq!(
            super::topic(
                "Your node group in `modules/eks/main.tf` has `max_size = 3`. What is Karpenter?"
            ),
            "What is Karpenter"
        );
        assert_eq!(
            super::topic("Walk me through every single step you would take to debug a failing rollout in production"),
            "Walk me through every single step you would take to…"
        );
    }
}
