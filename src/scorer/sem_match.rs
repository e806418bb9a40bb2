//! The sentence model's half of grading: key points and misconceptions
//! said in other words, found by the similarity of the answer's sentences to
//! their statements.

use super::claims;
use super::contrast::misattributed;
use super::grade::Params;
use super::index::CQuestion;
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
    cq: &CQuestion,
    sq: &SemQuestion,
    units: &[Unit],
    toks: &[super::normalize::Token],
    cues: &super::index::Cues,
    p: &Params,
) -> SemMatch {
    // Whether unit `u` may hold a statement about `subject`: a claim about
    // one compared thing said of another is a mix-up (see `contrast`).
    let said_of = |subject: &Option<String>, u: &Unit| {
        !misattributed(subject.as_deref(), &cq.entities, toks, u.start, u.end)
    };
    let mut kp_hits = Vec::new();
    let mut kp_sim = Vec::new();
    for (i, st) in sq.key_points.iter().enumerate() {
        let subject = &cq.key_points[i].subject;
        let (sim, u) = units
            .iter()
            .enumerate()
            .filter(|(_, u)| said_of(subject, u))
            .map(|(j, u)| (semantic::unit_best(u, st), j))
            // A sentence closer to a misconception than to the point says
            // the misconception ("Readiness is the one that restarts it").
            .filter(|&(c, j)| {
                let u = &units[j];
                !sq.misconceptions
                    .iter()
                    .zip(&cq.misconceptions)
                    .any(|(m, cm)| {
                        said_of(&cm.subject, u) && semantic::unit_best(u, m) > c + p.mc_closer_by
                    })
            })
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map_or((0.0, None), |(c, j)| (c, Some(j)));
        kp_sim.push((sim * 1000.0).round() / 1000.0);
        if let Some(u) = u.filter(|_| sim >= p.kp_sim) {
            kp_hits.push((i, unit_hit(&units[u])));
        }
    }
    let mut mc_hits = Vec::new();
    let mut mc_sim = Vec::new();
    for (i, st) in sq.misconceptions.iter().enumerate() {
        let subject = &cq.misconceptions[i].subject;
        let mut top = 0.0f32;
        let mut held = None;
        for u in units.iter().filter(|u| said_of(subject, u)) {
            let c = semantic::unit_best(u, st);
            top = top.max(c);
            // The closest key point this unit can hold.
            let right = sq
                .key_points
                .iter()
                .zip(&cq.key_points)
                .filter(|(_, k)| said_of(&k.subject, u))
                .map(|(k, _)| semantic::unit_best(u, k))
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
