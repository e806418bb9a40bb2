//! K-fold check of the semantic thresholds on the tuning sets (the four older
//! graded files; never the independent frozen set): thresholds are chosen on
//! four folds and tested on the fifth, so a choice that only fits its own
//! examples shows up as a gap between in-fold and out-of-fold agreement.
//!
//! `cargo test --release --lib scorer::calibrate -- --ignored --nocapture`

use super::eval::Case;
use super::grade::Params;
use super::Scorer;
use crate::bank::{Bank, Question};

const TUNING: [&str; 4] = [
    "scorer_calibration",
    "scorer_tuning",
    "scorer_holdout",
    "scorer_frozen",
];
const FOLDS: usize = 5;

fn cases() -> Vec<Case> {
    TUNING
        .iter()
        .flat_map(|f| {
            let p = format!("{}/tests/fixtures/{f}.jsonl", env!("CARGO_MANIFEST_DIR"));
            std::fs::read_to_string(&p)
                .unwrap()
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str::<Case>(l).unwrap())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn grid() -> Vec<Params> {
    let base = Params::default();
    let mut out = Vec::new();
    for kp_sim in [0.58, 0.62, 0.66] {
        for kp_near in [0.45, 0.5, 0.55] {
            for mc_sim in [0.8, 0.85, 0.9] {
                for mc_margin in [0.05, 0.1] {
                    for expert_coverage in [0.68, 0.72, 0.76] {
                        for deep_specifics in [2, 3, 4] {
                            out.push(Params {
                                kp_sim,
                                kp_near,
                                mc_sim,
                                mc_margin,
                                expert_coverage,
                                deep_specifics,
                                ..base
                            });
                        }
                    }
                }
            }
        }
    }
    out
}

fn exact(ratings: &[u8], cases: &[Case], idx: &[usize]) -> f64 {
    let hit = idx
        .iter()
        .filter(|i| ratings[**i] == cases[**i].expected_rating)
        .count();
    hit as f64 / idx.len().max(1) as f64
}

#[test]
#[ignore = "slow: scores the 182 tuning answers under every candidate threshold set"]
fn k_fold_of_the_semantic_thresholds() {
    let scorer = Scorer::new(Bank::embedded().unwrap());
    assert!(scorer.is_semantic(), "run scripts/fetch-minilm.sh");
    let cases = cases();
    let questions: Vec<Question> = cases
        .iter()
        .map(|c| scorer.resolve(&c.round, &c.question).unwrap().clone())
        .collect();
    let grid = grid();
    let base = Params::default();
    assert!(grid.contains(&base));
    // Ratings of every case under every candidate (sentences embedded once).
    let table: Vec<Vec<u8>> = grid
        .iter()
        .map(|p| {
            let s = scorer.clone().with_params(*p);
            cases
                .iter()
                .zip(&questions)
                .map(|(c, q)| s.score(q, &c.answer).rating)
                .collect()
        })
        .collect();
    let b = grid.iter().position(|p| *p == base).unwrap();
    // Folds: every fifth case (the files mix rounds and levels).
    let folds: Vec<Vec<usize>> = (0..FOLDS)
        .map(|f| (0..cases.len()).filter(|i| i % FOLDS == f).collect())
        .collect();
    let (mut tuned_hits, mut base_hits) = (0.0, 0.0);
    for (f, test) in folds.iter().enumerate() {
        let train: Vec<usize> = (0..cases.len()).filter(|i| i % FOLDS != f).collect();
        // Best on the training folds; ties go to the one nearest today's.
        let pick = (0..grid.len())
            .max_by(|x, y| {
                exact(&table[*x], &cases, &train)
                    .total_cmp(&exact(&table[*y], &cases, &train))
                    .then((*y == b).cmp(&(*x == b)).reverse())
            })
            .unwrap();
        let (tt, bt) = (
            exact(&table[pick], &cases, test),
            exact(&table[b], &cases, test),
        );
        println!(
            "fold {f}: chose {:?}\n  train {:.3} (today {:.3}), test {tt:.3} (today {bt:.3})",
            grid[pick],
            exact(&table[pick], &cases, &train),
            exact(&table[b], &cases, &train)
        );
        tuned_hits += tt * test.len() as f64;
        base_hits += bt * test.len() as f64;
    }
    let n = cases.len() as f64;
    let all: Vec<usize> = (0..cases.len()).collect();
    let best = (0..grid.len())
        .max_by(|x, y| exact(&table[*x], &cases, &all).total_cmp(&exact(&table[*y], &cases, &all)))
        .unwrap();
    println!(
        "out of fold: tuned {:.3}, today's thresholds {:.3}; best on all {} cases {:.3} with {:?}",
        tuned_hits / n,
        base_hits / n,
        cases.len(),
        exact(&table[best], &cases, &all),
        grid[best]
    );
    assert!((exact(&table[b], &cases, &all) - base_hits / n).abs() < 1e-9);
}
