//! Progress over time: every past session under the sessions folder, read
//! through the one defensive reader (`transcript::reader`, the same one the
//! drill planner uses), summarised as a list (date, mode, rounds, overall
//! score), per-round trends as terminal sparklines, and an SVG chart.
//!
//! In: a sessions folder. Out: [`Entry`]s (a summary, or the one-line reason
//! a session could not be read with what could be), [`RoundTrend`]s, text
//! and SVG renderings. Pure apart from [`load`].

mod render;
mod svg;

pub use render::{render_text, sparkline};
pub use svg::render_svg;

use crate::transcript::reader::{ReadError, Salvage};
use crate::transcript::{scan_sessions, SessionRecord};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One readable session, reduced to what history shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub folder: PathBuf,
    pub id: String,
    /// RFC 3339.
    pub created: String,
    /// `kubernetes`, `full-loop`, `drill`.
    pub mode: String,
    /// Average rating per round, in plan order of first appearance.
    pub rounds: Vec<(String, f64)>,
    pub overall: Option<f64>,
    pub scored: usize,
    pub planned: usize,
    pub finished: bool,
}

/// A session folder as history sees it.
#[derive(Debug)]
pub enum Entry {
    Read(Summary),
    Unreadable {
        folder: PathBuf,
        message: String,
        salvage: Option<Salvage>,
    },
}

/// Every session folder under `dir`, oldest first.
pub fn load(dir: &Path) -> Vec<Entry> {
    scan_sessions(dir)
        .into_iter()
        .map(|(d, r)| match r {
            Ok(r) => Entry::Read(summarize(&d.path, &r)),
            Err(e) => {
                let salvage = match &e {
                    ReadError::Corrupt { salvage, .. } => Some((**salvage).clone()),
                    _ => None,
                };
                Entry::Unreadable {
                    folder: d.path.clone(),
                    message: e.to_string(),
                    salvage,
                }
            }
        })
        .collect()
}

pub fn summarize(folder: &Path, r: &SessionRecord) -> Summary {
    let mut by_round: BTreeMap<&str, (usize, f64, usize)> = BTreeMap::new();
    let scores = r.scores();
    for (order, (i, s)) in scores.iter().enumerate() {
        let round = r
            .plan
            .get(*i)
            .map_or(s.round.as_str(), |p| p.round.as_str());
        let e = by_round.entry(round).or_insert((order, 0.0, 0));
        e.1 += f64::from(s.rating);
        e.2 += 1;
    }
    let mut rounds: Vec<(usize, String, f64)> = by_round
        .into_iter()
        .map(|(k, (order, sum, n))| (order, k.to_string(), sum / n as f64))
        .collect();
    rounds.sort_by_key(|(o, _, _)| *o);
    let overall = (!scores.is_empty()).then(|| {
        scores.iter().map(|(_, s)| f64::from(s.rating)).sum::<f64>() / scores.len() as f64
    });
    Summary {
        folder: folder.to_path_buf(),
        id: r.id.clone(),
        created: r.created.clone(),
        mode: r.mode.slug(),
        rounds: rounds.into_iter().map(|(_, k, v)| (k, v)).collect(),
        overall,
        scored: scores.len(),
        planned: r.plan.len(),
        finished: r.finished,
    }
}

/// One round's average rating across the sessions that practised it.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundTrend {
    pub round: String,
    /// (index among the readable sessions, average rating).
    pub points: Vec<(usize, f64)>,
}

impl RoundTrend {
    pub fn first(&self) -> f64 {
        self.points.first().map_or(0.0, |p| p.1)
    }
    pub fn last(&self) -> f64 {
        self.points.last().map_or(0.0, |p| p.1)
    }
}

/// Per-round trends over the readable sessions, rounds in order of first practice.
pub fn trends(sessions: &[&Summary]) -> Vec<RoundTrend> {
    let mut out: Vec<RoundTrend> = Vec::new();
    for (i, s) in sessions.iter().enumerate() {
        for (round, avg) in &s.rounds {
            match out.iter_mut().find(|t| &t.round == round) {
                Some(t) => t.points.push((i, *avg)),
                None => out.push(RoundTrend {
                    round: round.clone(),
                    points: vec![(i, *avg)],
                }),
            }
        }
    }
    out
}

/// The readable sessions of `entries`.
pub fn readable(entries: &[Entry]) -> Vec<&Summary> {
    entries
        .iter()
        .filter_map(|e| match e {
            Entry::Read(s) => Some(s),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(rounds: &[(&str, f64)]) -> Summary {
        Summary {
            folder: PathBuf::from("x"),
            id: "x".into(),
            created: "2026-01-01T00:00:00Z".into(),
            mode: "full-loop".into(),
            rounds: rounds.iter().map(|(r, v)| (r.to_string(), *v)).collect(),
            overall: None,
            scored: 0,
            planned: 0,
            finished: true,
        }
    }

    #[test]
    fn trends_follow_each_round_across_sessions() {
        let a = summary(&[("linux", 2.0), ("kubernetes", 3.0)]);
        let b = summary(&[("kubernetes", 3.5)]);
        let c = summary(&[("linux", 4.0)]);
        let t = trends(&[&a, &b, &c]);
        assert_eq!(t[0].round, "linux");
        assert_eq!(t[0].points, vec![(0, 2.0), (2, 4.0)]);
        assert_eq!(t[1].points, vec![(0, 3.0), (1, 3.5)]);
    }
}
