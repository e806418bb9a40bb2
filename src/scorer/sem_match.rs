//! The sentence model's half of grading: key points and misconceptions
//! said in other words, found by the similarity of the answer's sentences to
//! their statements.

use super::claims;
use super::grade::Params;
use super::matcher::Hit;
use super::semantic::{self, SemQuestion, Unit};

/// What the sentence model found: key points and misconceptions said in
/// other words, with the similarities behind them.
pub(super) struct SemMatch {
    pub kp_hits: Vec<(usize, Hit)>,
    pub mc_hits: Vec<(usize, Hit)>,
    pub kp_sim: Vec<f32>,
    pub mc_sim: Vec<f32>,
    pub theme: f32,
}

fn unit_hit(u: &Unit) -> Hit {
    Hit {
        start: u.start,
        end: u.end,
        negated: false,
    }
}

pub(super) fn sem_match(
    sq: &SemQuestion,
    units: &[Unit],
    toks: &[super::normalize::Token],
    cues: &super::index::Cues,
    p: &Params,
) -> SemMatch {
    let mut kp_hits = Vec::new();
    let mut kp_sim = Vec::new();
    for (i, st) in sq.key_points.iter().enumerate() {
        let (sim, u) = semantic::best(units, st).unwrap_or((0.0, 0));
        kp_sim.push((sim * 1000.0).round() / 1000.0);
        if sim >= p.kp_sim {
            kp_hits.push((i, unit_hit(&units[u])));
        }
    }
    let mut mc_hits = Vec::new();
    let mut mc_sim = Vec::new();
    for (i, st) in sq.misconceptions.iter().enumerate() {
        let mut top = 0.0f32;
        let mut held = None;
        for u in units {
            let c = semantic::unit_best(u, st);
            top = top.max(c);
            let right = sq
                .key_points
                .iter()
                .map(|k| semantic::unit_best(u, k))
                .fold(f32::MIN, f32::max);
            if c >= p.mc_sim
                && c >= right + p.mc_margin
                && !claims::disowned(toks, u.start, u.end, &cues.disown)
                && held.is_none()
            {
                held = Some(unit_hit(u));
            }
        }
        mc_sim.push((top * 1000.0).round() / 1000.0);
        if let Some(h) = held {
            mc_hits.push((i, h));
        }
    }
    let theme = semantic::best(units, &sq.theme).map_or(0.0, |(c, _)| c);
    SemMatch {
        kp_hits,
        mc_hits,
        kp_sim,
        mc_sim,
        theme: (theme * 1000.0).round() / 1000.0,
    }
}
