//! Turning the measurements of `analyze` into a rating: non-answer flags
//! first (each forces 1), then coverage and justification against the
//! rubric thresholds, then misconception caps.

use super::analyze::{self, KpHit};
use super::depth;
use super::feedback;
use super::index::CQuestion;
use super::matcher::Hit;
use super::non_answer::{echoes_prompt, non_answer};
use super::normalize::Normalized;
use super::sem_match::sem_match;
use super::semantic::{self, SemQuestion};
use super::{Covered, Score, Scorer, SCORER_LEXICAL, SCORER_NAME};
use crate::bank::{Kind, Question, Thresholds};

/// Everything measured about one answer; feedback reads it.
pub struct Analysis<'a> {
    pub cq: &'a CQuestion,
    pub norm: Normalized,
    pub coverage: f64,
    pub hits: Vec<KpHit>,
    pub misconceptions: Vec<(usize, Hit)>,
    pub tj_met: Vec<bool>,
    pub star: Option<analyze::StarParts>,
    pub flags: Vec<String>,
    /// Misconceptions of sibling questions: (id, claim).
    pub sibling: Vec<(String, String)>,
    /// Key points said of the other compared thing (see `contrast::mixups`).
    pub mixups: Vec<(usize, Hit)>,
}

pub fn grade(
    s: &Scorer,
    cq: &CQuestion,
    sq: Option<&SemQuestion>,
    q: &Question,
    answer: &str,
) -> Score {
    let norm = s.norm.normalize(answer);
    let toks = &norm.tokens;
    let mut sig = analyze::signals(cq, &norm, &s.stop, &s.cues);
    sig.list_share = super::soup::list_share(answer, toks);
    sig.vague = super::vague::vague_phrases(answer);
    let (mut coverage, mut hits) = analyze::coverage(cq, toks, &s.stop, &[]);
    // A key point whose words are said of the other compared thing, and
    // nowhere of its own (beyond its name), is wrong as a misconception is,
    // and earns nothing — by its words: the sentence model hears "for
    // I/O-bound work" and "for CPU-bound work" alike.
    let earned: Vec<usize> = hits.iter().filter(|h| !h.echo).map(|h| h.index).collect();
    let mixups = super::contrast::mixups(cq, toks, &earned);
    if !mixups.is_empty() {
        let skip: Vec<usize> = mixups.iter().map(|(i, _)| *i).collect();
        (coverage, hits) = analyze::coverage(cq, toks, &s.stop, &skip);
    }
    let mut misconceptions = analyze::misconceptions(cq, toks, &s.cues);
    let p = s.params;
    let mut sem_failed = None;
    let sem = match (sq, &s.sem) {
        (Some(sq), Some(sb)) if semantic::fits(cq, sq) && !toks.is_empty() => {
            match semantic::answer_units(&sb.model, answer, &norm) {
                Ok(units) => Some(sem_match(cq, sq, &units, toks, &s.cues, &p)),
                Err(e) => {
                    tracing::warn!("sentence model: {e}");
                    sem_failed = Some(e);
                    None
                }
            }
        }
        _ => None,
    };
    if let Some(m) = &sem {
        let total: f64 = cq.key_points.iter().map(|k| k.weight).sum();
        let mut earned = coverage * total;
        for (i, hit) in &m.kp_hits {
            // A point said of the wrong thing is not earned by meaning either.
            let mixed_up = mixups.iter().any(|(j, _)| j == i);
            if !mixed_up && !hits.iter().any(|h| h.index == *i) {
                // A sentence that mostly restates the prompt earns half, as a lexical echo does.
                let echo = echoes_prompt(cq, &toks[hit.start..hit.end], &s.stop);
                let credit = cq.key_points[*i].weight * p.kp_credit;
                earned += if echo { credit * 0.5 } else { credit };
                hits.push(KpHit {
                    index: *i,
                    hit: *hit,
                    echo,
                });
            }
        }
        hits.sort_by_key(|h| h.index);
        coverage = if total > 0.0 {
            (earned / total).clamp(0.0, 1.0)
        } else {
            0.0
        };
        for (i, hit) in &m.mc_hits {
            if !misconceptions.iter().any(|(j, _)| j == i) {
                misconceptions.push((*i, *hit));
            }
        }
    }
    let specifics = depth::specifics(toks, &s.depth_cues, &cq.prompt, &s.vocab_stems);
    let ids: Vec<String> = s
        .bank
        .rubrics
        .tech_justification
        .criterion
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let tj_met = analyze::tech_justification(toks, &s.cues, &ids);
    let behavioral = cq.kind == Kind::Behavioral;
    let rub = &s.bank.rubrics;
    let star = behavioral.then(|| {
        analyze::star(
            cq,
            toks,
            &hits,
            &s.cues,
            rub.star.ownership.min_first_person_share,
        )
    });

    // A behavioral answer is judged on its theme: a story (situation and
    // action told) or one close in meaning to the question is not off-topic.
    let story = star.as_ref().is_some_and(|sp| sp.situation && sp.action)
        || sem.as_ref().is_some_and(|m| m.theme >= p.theme_sim);
    let mut flags: Vec<String> = non_answer(s, cq, &sig, &norm, coverage, &hits, story)
        .into_iter()
        .collect();

    let th = &rub.rating.thresholds;
    let tjn = tj_met.iter().filter(|m| **m).count() as f64 / tj_met.len().max(1) as f64;
    let bl = &rub.rating.blend;
    let depth = (sig.topic_terms as f64 / bl.depth_terms.max(1.0)).min(1.0);
    // Specifics (numbers, failure modes, tradeoffs, alternatives) lift a story too.
    let story_depth = SPECIFIC_BONUS * specifics.len().min(2) as f64;
    let quality = match &star {
        Some(sp) => match extra_coverage(cq, &hits) {
            Some(e) => 0.85 * sp.score() + 0.15 * e + story_depth,
            None => sp.score() + story_depth,
        },
        None => bl.coverage * coverage + bl.justification * tjn + bl.depth * depth,
    };
    // Depth: three kinds of specifics, or the breadth of the topic's terms.
    let deep = specifics.len() >= p.deep_specifics || depth >= 1.0;
    // Every key point earned (partial credit keeps a full answer's coverage
    // near 0.75): Expert by the points, not only by the share.
    let all_points = p.expert_all_points
        && !cq.key_points.is_empty()
        && (0..cq.key_points.len()).all(|i| hits.iter().any(|h| h.index == i));
    let mut rating = if !flags.is_empty() {
        1
    } else if star.is_some() {
        level_for(quality, &rub.star.thresholds)
    } else {
        match level_for(quality, th) {
            // Expert: most key points, with the depth that shows.
            r if r >= 3 && deep && (coverage >= th.expert_min_coverage || all_points) => 4,
            r => r.min(3),
        }
    };
    let earned = hits.iter().filter(|h| !h.echo).count();
    // Nothing near a key point, even in other words (sentence model only).
    let nothing_near = sem
        .as_ref()
        .is_some_and(|m| m.kp_sim.iter().all(|x| *x < p.kp_near));
    // On topic, in sentences, nothing wrong, something right: at least the basics.
    if flags.is_empty()
        && misconceptions.is_empty()
        && (earned > 0 || (!nothing_near && !p.floor_needs_key_point))
        && sig.relevance >= FLOOR_RELEVANCE
        && sig.topic_terms >= 3
    {
        rating = rating.max(2);
    }
    // On topic but no key point right, not even close: not yet the basics.
    if star.is_none() && earned == 0 && nothing_near {
        rating = 1;
    }
    // A misconception of this question is a core misunderstanding: at most 2.
    // One belonging to another question of the round is still wrong: one level off.
    let sibling = sibling_misconceptions(s, cq, toks);
    let wrong = misconceptions.len() + mixups.len();
    if flags.is_empty() && wrong > 0 {
        rating = if wrong >= 2 || coverage < p.mc_fatal_below {
            1
        } else {
            rating.min(2)
        };
    } else if flags.is_empty() && !sibling.is_empty() {
        rating = rating.saturating_sub(1).max(1);
    }
    for (i, _) in &misconceptions {
        flags.push(format!("misconception:{}", cq.misconceptions[*i].id));
    }
    for (id, _) in &sibling {
        flags.push(format!("misconception:{id}"));
    }
    for (i, _) in &mixups {
        flags.push(format!("mix-up:{}", cq.key_points[*i].id));
    }

    let met = tj_met.iter().filter(|m| **m).count() as u8;
    let mut tj = met.clamp(1, 4);
    if rating == 1 || coverage < th.competent {
        tj = tj.min(if rating == 1 { 1 } else { 2 });
    }

    let a = Analysis {
        cq,
        norm,
        coverage,
        hits,
        misconceptions,
        tj_met,
        star,
        flags,
        sibling,
        mixups,
    };
    let covered = a
        .hits
        .iter()
        .map(|h| Covered {
            id: cq.key_points[h.index].id.clone(),
            quote: feedback::quote(answer, &a.norm, h.hit),
        })
        .collect();
    let mut missed: Vec<usize> = (0..cq.key_points.len())
        .filter(|i| !a.hits.iter().any(|h| h.index == *i))
        .collect();
    missed.sort_by(|x, y| {
        cq.key_points[*y]
            .weight
            .total_cmp(&cq.key_points[*x].weight)
    });
    Score {
        question_id: q.id.clone(),
        round: cq.round.clone(),
        rating,
        level: rub.level_name(rating).to_string(),
        tech_justification: tj,
        tech_justification_level: rub.tj_level_name(tj).to_string(),
        tech_justification_note: feedback::tj_note(rub, &a.tj_met, behavioral),
        covered,
        missed: missed
            .iter()
            .map(|i| cq.key_points[*i].id.clone())
            .collect(),
        strengths: feedback::strengths(rub, &a, rating),
        gaps: feedback::gaps(rub, &a, answer, &missed, rating),
        key_point: q.key_point_for_interview.clone(),
        model_answer: q.model_answer.clone(),
        flags: a.flags,
        coverage: (a.coverage * 1000.0).round() / 1000.0,
        star: a.star,
        evidence: super::Evidence {
            topic_terms: sig.topic_terms,
            relevance: (sig.relevance * 1000.0).round() / 1000.0,
            tj_criteria: ids
                .iter()
                .zip(&a.tj_met)
                .filter(|(_, m)| **m)
                .map(|(i, _)| i.clone())
                .collect(),
            quality: (quality * 1000.0).round() / 1000.0,
            specifics,
            key_point_similarity: sem.as_ref().map(|m| m.kp_sim.clone()).unwrap_or_default(),
            misconception_similarity: sem.as_ref().map(|m| m.mc_sim.clone()).unwrap_or_default(),
            theme_similarity: sem.as_ref().map(|m| m.theme),
        },
        scorer: match (&s.sem, sem_failed) {
            (Some(_), None) => SCORER_NAME.to_string(),
            (Some(_), Some(e)) => format!("{SCORER_NAME}, lexical only ({e})"),
            (None, _) => SCORER_LEXICAL.to_string(),
        },
        llm: None,
    }
}

/// Relevance above which an on-topic answer is at least Competent.
const FLOOR_RELEVANCE: f64 = 0.3;
/// Added to a STAR answer's quality per kind of specifics (at most two).
const SPECIFIC_BONUS: f64 = 0.05;

fn level_for(v: f64, th: &Thresholds) -> u8 {
    if v >= th.expert {
        4
    } else if v >= th.proficient {
        3
    } else if v >= th.competent {
        2
    } else {
        1
    }
}

/// Misconceptions of the round's other questions asserted in this answer,
/// as (id, text, quote span).
fn sibling_misconceptions(
    s: &Scorer,
    cq: &CQuestion,
    toks: &[super::normalize::Token],
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for o in s
        .questions
        .iter()
        .filter(|o| o.round == cq.round && o.id != cq.id)
    {
        for (i, _) in analyze::misconceptions(o, toks, &s.cues) {
            let m = &o.misconceptions[i];
            if !out.iter().any(|(id, _)| id == &m.id)
                && !cq.misconceptions.iter().any(|c| c.id == m.id)
            {
                out.push((m.id.clone(), m.text.clone()));
            }
        }
    }
    out
}

/// Coverage of a behavioral question's extra (non-STAR) key points, if any.
fn extra_coverage(cq: &CQuestion, hits: &[KpHit]) -> Option<f64> {
    const STAR: [&str; 4] = ["situation", "task", "action", "result"];
    let extra = |id: &str| !STAR.contains(&id);
    let total: f64 = cq
        .key_points
        .iter()
        .filter(|k| extra(&k.id))
        .map(|k| k.weight)
        .sum();
    if total <= 0.0 {
        return None;
    }
    let got: f64 = hits
        .iter()
        .map(|h| &cq.key_points[h.index])
        .filter(|k| extra(&k.id))
        .map(|k| k.weight)
        .sum();
    Some(got / total)
}

/// The semantic layer's thresholds (cosine similarities of MiniLM embeddings).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// A sentence this close to a key point's statement covers it.
    pub kp_sim: f32,
    /// Share of a key point's weight earned by meaning alone.
    pub kp_credit: f64,
    /// A sentence this close to a misconception, and closer to it than to
    /// any key point by `mc_margin`, holds it (unless disowned).
    pub mc_sim: f32,
    pub mc_margin: f32,
    /// A sentence closer than this to a misconception than to a key point
    /// says the misconception, and does not earn the point by meaning
    /// ("Readiness is the one that restarts it" is nearer "a readiness
    /// failure restarts the container" than "readiness removes the pod from
    /// endpoints"). 0.05, from the tuning sets: the swaps were 0.053 and
    /// more apart, the right sentences it would have cost 0.007 and 0.029
    /// (negated: "you shouldn't send secrets").
    pub mc_closer_by: f32,
    /// A behavioral answer this close to the question's theme is on topic.
    pub theme_sim: f32,
    /// Kinds of specifics (numbers, failure modes, tradeoffs, alternatives)
    /// that show depth (or the topic's terms, `blend.depth_terms` of them).
    pub deep_specifics: usize,
    /// Below this similarity to every key point, an answer that earned none
    /// has nothing right: rating 1.
    pub kp_near: f32,
    /// Whether an on-topic answer needs a key point earned (not only a
    /// sentence near one) to be at least Competent.
    pub floor_needs_key_point: bool,
    /// Below this key-point coverage, an answer asserting one of the
    /// question's misconceptions is rated 1 (at or above it, at most 2).
    pub mc_fatal_below: f64,
    /// Whether an answer that earned every key point, with depth, is Expert
    /// whatever its coverage share.
    pub expert_all_points: bool,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            kp_sim: 0.62,
            kp_near: 0.5,
            kp_credit: 0.8,
            mc_sim: 0.85,
            mc_margin: 0.1,
            mc_closer_by: 0.05,
            theme_sim: 0.45,
            deep_specifics: 3,
            floor_needs_key_point: true,
            mc_fatal_below: 0.7,
            expert_all_points: true,
        }
    }
}
