//! Grading a past session's recorded answers again with the current bank and
//! rubric, and what changed: per question, rating and Technology
//! Justification old → new, key points now covered or no longer covered,
//! flags gained or dropped; and the overall average old → new.

use crate::bank::Bank;
use crate::interviewer::EventKind;
use crate::scorer::{Score, Scorer};
use crate::transcript::SessionRecord;
use std::fmt::Write;

/// One regraded question.
#[derive(Debug, Clone)]
pub struct Regrade {
    pub index: usize,
    pub question_id: String,
    pub topic: String,
    pub old: Option<Score>,
    pub new: Score,
    /// The question is no longer in the bank: graded against the recorded one.
    pub from_record: bool,
}

impl Regrade {
    pub fn changed(&self) -> bool {
        match &self.old {
            None => true,
            Some(o) => {
                o.rating != self.new.rating
                    || o.tech_justification != self.new.tech_justification
                    || !self.gained().is_empty()
                    || !self.lost().is_empty()
                    || o.flags != self.new.flags
            }
        }
    }

    fn covered(s: &Score) -> Vec<&str> {
        s.covered.iter().map(|c| c.id.as_str()).collect()
    }

    /// Key points covered now and not before.
    pub fn gained(&self) -> Vec<&str> {
        let old = self.old.as_ref().map(Self::covered).unwrap_or_default();
        Self::covered(&self.new)
            .into_iter()
            .filter(|k| !old.contains(k))
            .collect()
    }

    /// Key points covered before and not now.
    pub fn lost(&self) -> Vec<&str> {
        let new = Self::covered(&self.new);
        self.old
            .as_ref()
            .map(Self::covered)
            .unwrap_or_default()
            .into_iter()
            .filter(|k| !new.contains(k))
            .collect()
    }
}

/// Regrades every question that was answered, in plan order.
pub fn rescore(r: &SessionRecord, bank: &Bank) -> Vec<Regrade> {
    let scorer = Scorer::new(bank.clone());
    let mut out = Vec::new();
    for (index, planned) in r.plan.iter().enumerate() {
        let answers: Vec<&str> = r
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Answer { index: i, text, .. } if *i == index => Some(text.as_str()),
                _ => None,
            })
            .collect();
        if answers.is_empty() {
            continue;
        }
        let old = r
            .scores()
            .into_iter()
            .find(|(i, _)| *i == index)
            .map(|(_, s)| s.clone());
        let (question, from_record) = match bank.question(&planned.question.id) {
            Some((_, q)) => (q.clone(), false),
            None => (planned.question.clone(), true),
        };
        let new = scorer.score(&question, &answers.join("\n"));
        out.push(Regrade {
            index,
            question_id: planned.question.id.clone(),
            topic: crate::transcript::topic(&planned.question.prompt),
            old,
            new,
            from_record,
        });
    }
    out
}

fn avg<'a>(scores: impl Iterator<Item = &'a Score>) -> Option<f64> {
    let v: Vec<f64> = scores.map(|s| f64::from(s.rating)).collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// The differences, one block per question and the overall line.
pub fn render_diff(r: &SessionRecord, regrades: &[Regrade]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Rescoring {} ({} answered questions) with the current bank and rubric\n",
        r.id,
        regrades.len()
    );
    let arrow = |o: Option<u8>, n: u8| match o {
        Some(o) if o == n => format!("{n} = {n}"),
        Some(o) => format!("{o} → {n}"),
        None => format!("– → {n}"),
    };
    for g in regrades {
        let mark = match g.old.as_ref().map(|o| o.rating) {
            Some(o) if g.new.rating > o => "↑",
            Some(o) if g.new.rating < o => "↓",
            Some(_) if g.changed() => "~",
            Some(_) => "=",
            None => "+",
        };
        let _ = writeln!(
            out,
            "{mark} Q{} {} — rating {} · Tech Justification {}{}",
            g.index + 1,
            g.topic,
            arrow(g.old.as_ref().map(|o| o.rating), g.new.rating),
            arrow(
                g.old.as_ref().map(|o| o.tech_justification),
                g.new.tech_justification
            ),
            if g.from_record {
                " (not in the current bank: graded against the recorded question)"
            } else {
                ""
            }
        );
        let (gained, lost) = (g.gained(), g.lost());
        if !gained.is_empty() {
            let _ = writeln!(out, "    now covers: {}", gained.join(", "));
        }
        if !lost.is_empty() {
            let _ = writeln!(out, "    no longer covers: {}", lost.join(", "));
        }
        if let Some(o) = &g.old {
            let added: Vec<&str> = g
                .new
                .flags
                .iter()
                .filter(|f| !o.flags.contains(f))
                .map(String::as_str)
                .collect();
            let dropped: Vec<&str> = o
                .flags
                .iter()
                .filter(|f| !g.new.flags.contains(f))
                .map(String::as_str)
                .collect();
            if !added.is_empty() || !dropped.is_empty() {
                let mut parts = Vec::new();
                parts.extend(added.iter().map(|f| format!("+{f}")));
                parts.extend(dropped.iter().map(|f| format!("-{f}")));
                let _ = writeln!(out, "    flags: {}", parts.join(" "));
            }
        }
    }
    let changed = regrades.iter().filter(|g| g.changed()).count();
    let old = avg(regrades.iter().filter_map(|g| g.old.as_ref()));
    let new = avg(regrades.iter().map(|g| &g.new));
    let _ = writeln!(out);
    match (old, new) {
        (Some(o), Some(n)) => {
            let _ = writeln!(out, "Overall: {o:.1} → {n:.1} ({:+.1})", n - o);
        }
        (None, Some(n)) => {
            let _ = writeln!(out, "Overall: – → {n:.1}");
        }
        _ => {}
    }
    let _ = writeln!(out, "{changed} of {} questions changed.", regrades.len());
    out
}
