//! Which questions a session asks: balanced across question kinds and
//! pillars, reproducible from a seed, without repeats in a session, and
//! avoiding questions asked in recent sessions. A pure function of the bank
//! and the history it is given.

use crate::bank::{Bank, Kind, Pillar, Question};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// One question of a session's plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Planned {
    pub round: String,
    pub round_title: String,
    pub question: Question,
    /// Context spoken before the question (e.g. a finding from the candidate's repo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
}

/// How the session was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "kebab-case")]
pub enum Mode {
    Round { round: String, questions: usize },
    FullLoop { per_round: usize },
    Drill { questions: usize },
}

impl Mode {
    pub fn describe(&self, bank: &Bank) -> String {
        match self {
            Mode::Round { round, .. } => {
                bank.round(round).map_or(round.clone(), |r| r.title.clone())
            }
            Mode::FullLoop { .. } => "Full loop".into(),
            Mode::Drill { .. } => "Targeted drill".into(),
        }
    }

    /// Short name used in session folder names.
    pub fn slug(&self) -> String {
        match self {
            Mode::Round { round, .. } => round.clone(),
            Mode::FullLoop { .. } => "full-loop".into(),
            Mode::Drill { .. } => "drill".into(),
        }
    }
}

/// What earlier sessions tell the planner.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Question ids asked in recent sessions (avoided when possible).
    pub recent: HashSet<String>,
    /// The most recent finished session's ratings by question id.
    pub last_ratings: Vec<(String, u8)>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PlanError {
    #[error("unknown round {0:?}; valid rounds: {1}")]
    UnknownRound(String, String),
    #[error(
        "drill mode needs a finished session with scores; run `mockint start --round ROUND` first"
    )]
    NoHistory,
    #[error("--questions must be at least 1")]
    NoQuestions,
}

/// A small, stable PRNG (SplitMix64): plans must not change when a dependency does.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Picks `n` questions from `pool`, greedily maximising new kinds and pillars,
/// ties broken by a seeded shuffle; questions in `avoid` come last.
fn pick<'a>(
    pool: &[&'a Question],
    n: usize,
    rng: &mut Rng,
    avoid: &HashSet<String>,
) -> Vec<&'a Question> {
    let mut order: Vec<(u64, &Question)> = pool.iter().map(|q| (rng.next(), *q)).collect();
    order.sort_by_key(|(r, _)| *r);
    let mut chosen: Vec<&Question> = Vec::new();
    let mut kinds: HashMap<Kind, usize> = HashMap::new();
    let mut pillars: HashMap<Pillar, usize> = HashMap::new();
    while chosen.len() < n {
        let best = order
            .iter()
            .filter(|(_, q)| !chosen.iter().any(|c| c.id == q.id))
            .max_by_key(|(r, q)| {
                let fresh = !avoid.contains(&q.id);
                let kind_new = kinds.get(&q.kind).copied().unwrap_or(0) == 0;
                let pillar_new = q
                    .pillars
                    .iter()
                    .filter(|p| !pillars.contains_key(p))
                    .count();
                let kind_penalty = kinds.get(&q.kind).copied().unwrap_or(0);
                (
                    fresh,
                    kind_new,
                    pillar_new,
                    usize::MAX - kind_penalty,
                    u64::MAX - r,
                )
            });
        let Some((_, q)) = best else { break };
        *kinds.entry(q.kind).or_default() += 1;
        for p in &q.pillars {
            *pillars.entry(*p).or_default() += 1;
        }
        chosen.push(q);
    }
    chosen
}

fn planned(bank: &Bank, round: &str, q: &Question) -> Planned {
    let title = bank
        .round(round)
        .map_or(round.to_string(), |r| r.title.clone());
    Planned {
        round: round.to_string(),
        round_title: title,
        question: q.clone(),
        intro: None,
    }
}

/// The questions of a session.
pub fn plan(
    bank: &Bank,
    mode: &Mode,
    seed: u64,
    history: &History,
) -> Result<Vec<Planned>, PlanError> {
    let mut rng = Rng(seed);
    match mode {
        Mode::Round { round, questions } => {
            if *questions == 0 {
                return Err(PlanError::NoQuestions);
            }
            let r = bank.round(round).ok_or_else(|| {
                PlanError::UnknownRound(round.clone(), bank.round_names().join(", "))
            })?;
            let pool: Vec<&Question> = r.question.iter().collect();
            Ok(pick(&pool, *questions, &mut rng, &history.recent)
                .into_iter()
                .map(|q| planned(bank, round, q))
                .collect())
        }
        Mode::FullLoop { per_round } => {
            if *per_round == 0 {
                return Err(PlanError::NoQuestions);
            }
            Ok(bank
                .rounds
                .iter()
                .flat_map(|r| {
                    let pool: Vec<&Question> = r.question.iter().collect();
                    pick(&pool, *per_round, &mut rng, &history.recent)
                        .into_iter()
                        .map(|q| planned(bank, &r.round, q))
                        .collect::<Vec<_>>()
                })
                .collect())
        }
        Mode::Drill { questions } => {
            if *questions == 0 {
                return Err(PlanError::NoQuestions);
            }
            if history.last_ratings.is_empty() {
                return Err(PlanError::NoHistory);
            }
            // Re-ask what went worst, then fill with unasked questions from the
            // weak rounds that share the weak questions' pillars.
            let mut weak: Vec<&(String, u8)> = history
                .last_ratings
                .iter()
                .filter(|(_, r)| *r <= 2)
                .collect();
            weak.sort_by_key(|(_, r)| *r);
            let mut out: Vec<Planned> = Vec::new();
            for (id, _) in &weak {
                if out.len() == *questions {
                    break;
                }
                if let Some((round, q)) = bank.question(id) {
                    out.push(planned(bank, &round.round, q));
                }
            }
            let asked: HashSet<&str> = history
                .last_ratings
                .iter()
                .map(|(id, _)| id.as_str())
                .collect();
            let weak_ids: Vec<&str> = if weak.is_empty() {
                // Nothing below 3: drill the lowest-rated rounds instead.
                let min = history
                    .last_ratings
                    .iter()
                    .map(|(_, r)| *r)
                    .min()
                    .unwrap_or(4);
                history
                    .last_ratings
                    .iter()
                    .filter(|(_, r)| *r == min)
                    .map(|(id, _)| id.as_str())
                    .collect()
            } else {
                weak.iter().map(|(id, _)| id.as_str()).collect()
            };
            let mut weak_pillars: HashSet<Pillar> = HashSet::new();
            let mut weak_rounds: Vec<String> = Vec::new();
            for id in &weak_ids {
                if let Some((round, q)) = bank.question(id) {
                    weak_pillars.extend(q.pillars.iter().copied());
                    if !weak_rounds.contains(&round.round) {
                        weak_rounds.push(round.round.clone());
                    }
                }
            }
            for round in &weak_rounds {
                if out.len() >= *questions {
                    break;
                }
                let r = bank.round(round).expect("round of a bank question");
                let pool: Vec<&Question> = r
                    .question
                    .iter()
                    .filter(|q| {
                        !asked.contains(q.id.as_str())
                            && q.pillars.iter().any(|p| weak_pillars.contains(p))
                    })
                    .collect();
                let want = (*questions - out.len()).div_ceil(weak_rounds.len()).max(1);
                for q in pick(&pool, want, &mut rng, &history.recent) {
                    if out.len() < *questions {
                        out.push(planned(bank, round, q));
                    }
                }
            }
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank() -> Bank {
        Bank::embedded().expect("embedded bank")
    }

    fn ids(p: &[Planned]) -> Vec<String> {
        p.iter().map(|q| q.question.id.clone()).collect()
    }

    fn round(n: usize) -> Mode {
        Mode::Round {
            round: "kubernetes".into(),
            questions: n,
        }
    }

    #[test]
    fn same_seed_same_plan_different_seed_different_plan() {
        let b = bank();
        let h = History::default();
        let a = ids(&plan(&b, &round(5), 42, &h).unwrap());
        assert_eq!(a, ids(&plan(&b, &round(5), 42, &h).unwrap()));
        assert_ne!(a, ids(&plan(&b, &round(5), 43, &h).unwrap()));
    }

    #[test]
    fn no_repeats_and_balanced_kinds() {
        let b = bank();
        for seed in 0..20 {
            let p = plan(&b, &round(5), seed, &History::default()).unwrap();
            let mut seen = ids(&p);
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), 5);
            let mut kinds: Vec<Kind> = p.iter().map(|q| q.question.kind).collect();
            kinds.sort_by_key(|k| format!("{k:?}"));
            kinds.dedup();
            assert!(kinds.len() >= 4, "seed {seed}: kinds {kinds:?}");
        }
    }

    #[test]
    fn recent_questions_are_avoided_while_others_remain() {
        let b = bank();
        let first = plan(&b, &round(5), 1, &History::default()).unwrap();
        let h = History {
            recent: ids(&first).into_iter().collect(),
            ..Default::default()
        };
        let second = plan(&b, &round(5), 1, &h).unwrap();
        assert!(ids(&second).iter().all(|id| !h.recent.contains(id)));
    }

    #[test]
    fn full_loop_covers_every_round() {
        let b = bank();
        let p = plan(&b, &Mode::FullLoop { per_round: 2 }, 3, &History::default()).unwrap();
        assert_eq!(p.len(), b.rounds.len() * 2);
        for r in &b.rounds {
            assert_eq!(
                p.iter().filter(|q| q.round == r.round).count(),
                2,
                "{}",
                r.round
            );
        }
    }

    #[test]
    fn drill_reasks_weak_questions_then_fills_from_their_rounds() {
        let b = bank();
        let h = History {
            recent: Default::default(),
            last_ratings: vec![
                ("k8s-crashloop".into(), 1),
                ("k8s-namespaces".into(), 4),
                ("tf-count-vs-foreach".into(), 2),
            ],
        };
        let p = plan(&b, &Mode::Drill { questions: 5 }, 9, &h).unwrap();
        let got = ids(&p);
        assert_eq!(&got[..2], ["k8s-crashloop", "tf-count-vs-foreach"]);
        assert_eq!(got.len(), 5);
        assert!(p
            .iter()
            .all(|q| q.round == "kubernetes" || q.round == "terraform"));
        assert!(!got.contains(&"k8s-namespaces".to_string()));
    }

    #[test]
    fn bad_requests_are_errors() {
        let b = bank();
        let e = plan(
            &b,
            &Mode::Round {
                round: "cobol".into(),
                questions: 3,
            },
            1,
            &History::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("kubernetes"));
        assert_eq!(
            plan(&b, &Mode::Drill { questions: 3 }, 1, &History::default()).unwrap_err(),
            PlanError::NoHistory
        );
    }
}
