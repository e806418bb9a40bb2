//! K-fold checks of the scorer's thresholds on tuning data (never the
//! independent frozen set): thresholds are chosen on four folds and tested
//! on the fifth, so a choice that only fits its own examples shows up as a
//! gap between in-fold and out-of-fold agreement.
//!
//! `cargo test --release --lib scorer::calibrate -- --ignored --nocapture`

use super::eval::Case;
use super::grade::Params;
use super::Scorer;
use crate::bank::{Bank, Question, Thresholds};

/// The four older graded files (written by the helpers who tuned the scorer).
const OLDER: [&str; 4] = [
    "scorer_calibration",
    "scorer_tuning",
    "scorer_holdout",
    "scorer_frozen",
];
/// The second expert's set (saw the questions and the rating scale, never
/// the scorer).
const SECOND_EXPERT: [&str; 1] = ["scorer_second_expert"];
const FOLDS: usize = 5;

fn load(files: &[&str]) -> Vec<Case> {
    files
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

/// One setting of the scorer: its parameters and the level lines of
/// `rating.toml` (quality for Competent and Proficient, the Expert coverage).
#[derive(Debug, Clone, PartialEq)]
struct Candidate {
    params: Params,
    levels: Thresholds,
}

impl Candidate {
    fn today(scorer: &Scorer) -> Candidate {
        Candidate {
            params: Params::default(),
            levels: scorer.bank.rubrics.rating.thresholds.clone(),
        }
    }
}

/// The semantic thresholds and the Expert rule (the first calibration).
fn semantic_grid(today: &Candidate) -> Vec<Candidate> {
    let mut out = Vec::new();
    for kp_sim in [0.58, 0.62, 0.66] {
        for kp_near in [0.45, 0.5, 0.55] {
            for mc_sim in [0.8, 0.85, 0.9] {
                for mc_margin in [0.05, 0.1] {
                    for expert_min_coverage in [0.72, 0.8, 0.88] {
                        for deep_specifics in [2, 3, 4] {
                            let params = Params {
                                kp_sim,
                                kp_near,
                                mc_sim,
                                mc_margin,
                                deep_specifics,
                                ..today.params
                            };
                            let levels = Thresholds {
                                expert_min_coverage,
                                ..today.levels.clone()
                            };
                            out.push(Candidate { params, levels });
                        }
                    }
                }
            }
        }
    }
    out
}

/// Where the level lines fall: the quality each level needs, the Expert
/// rule, and whether the Competent floor needs a key point earned.
fn level_grid(today: &Candidate) -> Vec<Candidate> {
    let mut out = Vec::new();
    for competent in [0.2, 0.25, 0.3] {
        for proficient in [0.4, 0.5, 0.55, 0.6, 0.65, 0.7] {
            for expert_min_coverage in [0.72, 0.8, 0.88] {
                for deep_specifics in [3, 4] {
                    for kp_sim in [0.62, 0.66] {
                        for floor_needs_key_point in [false, true] {
                            let params = Params {
                                kp_sim,
                                deep_specifics,
                                floor_needs_key_point,
                                ..today.params
                            };
                            let levels = Thresholds {
                                competent,
                                proficient,
                                expert_min_coverage,
                                ..today.levels.clone()
                            };
                            out.push(Candidate { params, levels });
                        }
                    }
                }
            }
        }
    }
    out
}

/// How much a misconception costs: the coverage below which it makes an
/// answer a 1 (at or above it, at most a 2), the level lines as they are.
fn misconception_grid(today: &Candidate) -> Vec<Candidate> {
    [0.5, 0.6, 0.7, 0.8, 0.9, 1.01]
        .into_iter()
        .map(|mc_fatal_below| Candidate {
            params: Params {
                mc_fatal_below,
                ..today.params
            },
            levels: today.levels.clone(),
        })
        .collect()
}

/// The Expert rule: every key point earned as an alternative to the coverage
/// share, against the share alone at several lines.
fn expert_grid(today: &Candidate) -> Vec<Candidate> {
    let mut out = Vec::new();
    for expert_all_points in [false, true] {
        for expert_min_coverage in [0.8, 0.85, 0.9] {
            out.push(Candidate {
                params: Params {
                    expert_all_points,
                    ..today.params
                },
                levels: Thresholds {
                    expert_min_coverage,
                    ..today.levels.clone()
                },
            });
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

/// Ratings of every case under every candidate (sentences embedded once).
fn table(scorer: &Scorer, grid: &[Candidate], cases: &[Case]) -> Vec<Vec<u8>> {
    let questions: Vec<Question> = cases
        .iter()
        .map(|c| scorer.resolve(&c.round, &c.question).unwrap().clone())
        .collect();
    grid.iter()
        .map(|c| {
            let s = scorer.clone().with_params(c.params).with_levels(&c.levels);
            cases
                .iter()
                .zip(&questions)
                .map(|(c, q)| s.score(q, &c.answer).rating)
                .collect()
        })
        .collect()
}

/// Chooses on four folds, tests on the fifth; returns the candidate best on
/// all cases. Prints in-fold and out-of-fold agreement against today's.
fn k_fold(grid: &[Candidate], table: &[Vec<u8>], cases: &[Case], today: usize) -> usize {
    let folds: Vec<Vec<usize>> = (0..FOLDS)
        .map(|f| (0..cases.len()).filter(|i| i % FOLDS == f).collect())
        .collect();
    let (mut tuned_hits, mut base_hits) = (0.0, 0.0);
    let best_on = |idx: &[usize]| {
        (0..grid.len())
            .max_by(|x, y| {
                exact(&table[*x], cases, idx)
                    .total_cmp(&exact(&table[*y], cases, idx))
                    // Ties go to today's, then to the earlier (milder) setting.
                    .then((*y == today).cmp(&(*x == today)).reverse())
                    .then(y.cmp(x))
            })
            .unwrap()
    };
    for (f, test) in folds.iter().enumerate() {
        let train: Vec<usize> = (0..cases.len()).filter(|i| i % FOLDS != f).collect();
        let pick = best_on(&train);
        let (tt, bt) = (
            exact(&table[pick], cases, test),
            exact(&table[today], cases, test),
        );
        println!(
            "fold {f}: chose {:?}\n  train {:.3} (today {:.3}), test {tt:.3} (today {bt:.3})",
            grid[pick],
            exact(&table[pick], cases, &train),
            exact(&table[today], cases, &train)
        );
        tuned_hits += tt * test.len() as f64;
        base_hits += bt * test.len() as f64;
    }
    let n = cases.len() as f64;
    let all: Vec<usize> = (0..cases.len()).collect();
    let best = best_on(&all);
    println!(
        "out of fold: tuned {:.3}, today's {:.3}; best on all {} cases {:.3} with {:?}",
        tuned_hits / n,
        base_hits / n,
        cases.len(),
        exact(&table[best], cases, &all),
        grid[best]
    );
    assert!((exact(&table[today], cases, &all) - base_hits / n).abs() < 1e-9);
    best
}

fn semantic_scorer() -> Scorer {
    let scorer = Scorer::new(Bank::embedded().unwrap());
    assert!(scorer.is_semantic(), "run scripts/fetch-minilm.sh");
    scorer
}

#[test]
#[ignore = "slow: scores the 182 older answers under every candidate threshold set"]
fn k_fold_of_the_semantic_thresholds() {
    let scorer = semantic_scorer();
    let today = Candidate::today(&scorer);
    let cases = load(&OLDER);
    let grid = semantic_grid(&today);
    let t = table(&scorer, &grid, &cases);
    k_fold(
        &grid,
        &t,
        &cases,
        grid.iter().position(|c| *c == today).unwrap(),
    );
}

/// Chooses among `grid` by k-fold on the second expert's answers, then
/// shows what the choice does on the older sets.
fn choose_on_the_second_expert(grid: fn(&Candidate) -> Vec<Candidate>) {
    let scorer = semantic_scorer();
    let today = Candidate::today(&scorer);
    let cases = load(&SECOND_EXPERT);
    let grid = grid(&today);
    let t = table(&scorer, &grid, &cases);
    let best = k_fold(
        &grid,
        &t,
        &cases,
        grid.iter().position(|c| *c == today).unwrap(),
    );
    let older = load(&OLDER);
    let t_old = table(&scorer, &[today, grid[best].clone()], &older);
    let all: Vec<usize> = (0..older.len()).collect();
    println!(
        "older sets ({} answers): today's {:.3}, the second expert's choice {:.3}",
        older.len(),
        exact(&t_old[0], &older, &all),
        exact(&t_old[1], &older, &all)
    );
}

#[test]
#[ignore = "slow: scores the second expert's 160 answers under every candidate level line"]
fn k_fold_of_the_level_lines_on_the_second_expert() {
    choose_on_the_second_expert(level_grid);
}

#[test]
#[ignore = "slow: scores the second expert's 160 answers under each misconception cost"]
fn k_fold_of_the_misconception_cost_on_the_second_expert() {
    choose_on_the_second_expert(misconception_grid);
}

#[test]
#[ignore = "slow: scores the second expert's 160 answers under each Expert rule"]
fn k_fold_of_the_expert_rule_on_the_second_expert() {
    choose_on_the_second_expert(expert_grid);
}
