//! Turning the measurements of `analyze` into a rating: non-answer flags
//! first (each forces 1), then coverage and justification against the
//! rubric thresholds, then misconception caps.

use super::analyze::{self, KpHit, Signals};
use super::feedback;
use super::index::CQuestion;
use super::matcher::Hit;
use super::normalize::Normalized;
use super::{Covered, Score, Scorer, SCORER_NAME};
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
}

pub fn grade(s: &Scorer, cq: &CQuestion, q: &Question, answer: &str) -> Score {
    let norm = s.norm.normalize(answer);
    let toks = &norm.tokens;
    let sig = analyze::signals(cq, &norm, &s.stop, &s.cues);
    let (coverage, hits) = analyze::coverage(cq, toks, &s.stop);
    let misconceptions = analyze::misconceptions(cq, toks, &s.cues);
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

    let mut flags: Vec<String> = non_answer(s, cq, &sig, &norm, coverage, &hits)
        .into_iter()
        .collect();

    let th = &rub.rating.thresholds;
    let tjn = tj_met.iter().filter(|m| **m).count() as f64 / tj_met.len().max(1) as f64;
    let bl = &rub.rating.blend;
    let depth = (sig.topic_terms as f64 / bl.depth_terms.max(1.0)).min(1.0);
    let quality = match &star {
        Some(sp) => match extra_coverage(cq, &hits) {
            Some(e) => 0.85 * sp.score() + 0.15 * e,
            None => sp.score(),
        },
        None => bl.coverage * coverage + bl.justification * tjn + bl.depth * depth,
    };
    let mut rating = if !flags.is_empty() {
        1
    } else if star.is_some() {
        level_for(quality, &rub.star.thresholds)
    } else {
        let r = level_for(quality, th);
        if r == 4 && coverage < th.expert_min_coverage {
            3
        } else {
            r
        }
    };
    // On topic, in sentences, nothing wrong: that is at least the basics.
    if flags.is_empty()
        && misconceptions.is_empty()
        && sig.relevance >= FLOOR_RELEVANCE
        && sig.topic_terms >= 3
    {
        rating = rating.max(2);
    }
    // A misconception of this question is a core misunderstanding: at most 2.
    // One belonging to another question of the round is still wrong: one level off.
    let sibling = sibling_misconceptions(s, cq, toks);
    if flags.is_empty() && !misconceptions.is_empty() {
        rating = if misconceptions.len() >= 2 || coverage < th.proficient {
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
        },
        scorer: SCORER_NAME.to_string(),
        llm: None,
    }
}

/// Relevance above which an on-topic answer is at least Competent.
const FLOOR_RELEVANCE: f64 = 0.3;

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

/// The flag that makes this answer a non-answer, if any.
fn non_answer(
    s: &Scorer,
    cq: &CQuestion,
    sig: &Signals,
    norm: &Normalized,
    coverage: f64,
    hits: &[KpHit],
) -> Option<String> {
    let novel: f64 = {
        let total: f64 = cq.key_points.iter().map(|k| k.weight).sum();
        hits.iter()
            .filter(|h| !h.echo)
            .map(|h| cq.key_points[h.index].weight)
            .sum::<f64>()
            / total.max(1e-9)
    };
    if sig.dont_know && coverage < 0.25 {
        return Some("dont-know".into());
    }
    if sig.content == 0 || (sig.content < 3 && norm.dropped >= sig.tokens) {
        return Some("filler-only".into());
    }
    if sig.nonword_ratio >= 0.3
        || (sig.structure_ratio < 0.15 && sig.relevance < 0.2 && coverage < 0.1)
    {
        return Some("gibberish".into());
    }
    let echoes = sig.prompt_overlap >= 0.6 || (sig.prompt_overlap >= 0.4 && sig.novel_terms <= 2);
    if echoes && novel < 0.2 {
        return Some("repeats-question".into());
    }
    let per_sentence = sig.tokens as f64 / f64::from(sig.sentences.max(1));
    let listy = sig.structure_ratio < 0.15
        || (sig.tokens >= 6 && sig.structure_distinct <= 1)
        || (sig.sentences >= 3 && per_sentence < 2.5);
    if sig.tokens >= 4 && listy && (coverage > 0.0 || sig.relevance >= 0.3) {
        return Some("keyword-soup".into());
    }
    if different_question(s, cq, norm, coverage, sig.relevance) {
        return Some("answers-different-question".into());
    }
    let min_relevance = if cq.kind == Kind::Behavioral {
        0.1
    } else {
        0.2
    };
    if sig.relevance < min_relevance && coverage < 0.15 {
        return Some("off-topic".into());
    }
    None
}

/// A clearly better fit elsewhere: another question of the round, or, for an
/// answer off this question's topic, any question of the bank.
fn different_question(
    s: &Scorer,
    cq: &CQuestion,
    norm: &Normalized,
    coverage: f64,
    relevance: f64,
) -> bool {
    if coverage >= 0.35 {
        return false;
    }
    s.questions
        .iter()
        .filter(|o| o.id != cq.id && o.kind != Kind::Behavioral)
        .filter(|o| o.round == cq.round || relevance < 0.35)
        .any(|o| {
            let (c, _) = analyze::coverage(o, &norm.tokens, &s.stop);
            c >= 0.4 && c - coverage >= 0.3
        })
}
