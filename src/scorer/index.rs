//! Questions and rubric cues compiled once into stem form, so scoring one
//! answer is a handful of scans over its tokens.

use super::contrast;
use super::matcher::Phrase;
use super::normalize::Normalizer;
use super::speech::{DISOWN_CUES, DONT_KNOW_CUES, STOPWORDS};
use super::stem::stem;
use crate::bank::{Bank, Kind, Question, Round, Rubrics};
use std::collections::HashSet;

#[derive(Debug, Clone)]
pub struct CKeyPoint {
    pub id: String,
    pub weight: f64,
    pub text: String,
    pub phrases: Vec<Phrase>,
    /// Content stems of the key point's own text (a fallback match).
    pub text_stems: Vec<String>,
    /// The one compared thing it is about (see `contrast`).
    pub subject: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CMisconception {
    pub id: String,
    pub text: String,
    pub phrases: Vec<Phrase>,
    /// The one compared thing it is about (see `contrast`).
    pub subject: Option<String>,
}

/// One bank question, compiled.
#[derive(Debug, Clone)]
pub struct CQuestion {
    pub id: String,
    pub round: String,
    pub kind: Kind,
    pub key_points: Vec<CKeyPoint>,
    pub misconceptions: Vec<CMisconception>,
    /// Content stems of the prompt.
    pub prompt: HashSet<String>,
    /// Content stems of everything the question is about.
    pub topic: HashSet<String>,
    /// The things the question compares (stems; see `contrast`).
    pub entities: Vec<String>,
}

/// Rubric cues compiled to phrases.
#[derive(Debug, Clone)]
pub struct Cues {
    /// (criterion index, phrases) for the Technology Justification scale.
    pub tj: Vec<Vec<Phrase>>,
    /// STAR part id → phrases.
    pub star: Vec<(String, Vec<Phrase>)>,
    pub quantified: Vec<Phrase>,
    pub first_person: HashSet<String>,
    pub team: HashSet<String>,
    pub dont_know: Vec<Phrase>,
    pub disown: Vec<Phrase>,
}

pub fn stopwords() -> HashSet<String> {
    STOPWORDS
        .iter()
        .flat_map(|w| [w.to_string(), stem(w)])
        .collect()
}

fn phrases(norm: &Normalizer, list: &[String], loose: bool) -> Vec<Phrase> {
    list.iter()
        .filter_map(|p| Phrase::compile(norm, p, loose))
        .collect()
}

fn content_stems(norm: &Normalizer, text: &str, stop: &HashSet<String>) -> Vec<String> {
    norm.normalize(text)
        .tokens
        .into_iter()
        .filter(|t| !stop.contains(&t.word) && !stop.contains(&t.stem))
        .map(|t| t.stem)
        .collect()
}

pub fn compile_question(
    norm: &Normalizer,
    stop: &HashSet<String>,
    round: &Round,
    q: &Question,
) -> CQuestion {
    let mut topic: HashSet<String> = HashSet::new();
    let add = |text: &str, topic: &mut HashSet<String>| {
        topic.extend(content_stems(norm, text, stop));
    };
    add(&q.prompt, &mut topic);
    add(&q.model_answer, &mut topic);
    add(&q.key_point_for_interview, &mut topic);
    for v in &round.vocabulary {
        add(v, &mut topic);
    }
    let statements: Vec<&str> = q
        .key_points
        .iter()
        .map(|k| k.text.as_str())
        .chain(q.misconceptions.iter().map(|m| m.text.as_str()))
        .collect();
    let entities = contrast::entities(norm, &q.prompt, &statements, stop);
    let key_points = q
        .key_points
        .iter()
        .map(|k| {
            add(&k.text, &mut topic);
            for p in &k.phrases {
                add(p, &mut topic);
            }
            CKeyPoint {
                id: k.id.clone(),
                weight: k.weight,
                text: k.text.clone(),
                phrases: phrases(norm, &k.phrases, true),
                text_stems: content_stems(norm, &k.text, stop),
                subject: contrast::subject(norm, &k.text, &entities),
            }
        })
        .collect();
    let misconceptions = q
        .misconceptions
        .iter()
        .map(|m| CMisconception {
            id: m.id.clone(),
            text: m.text.clone(),
            phrases: m
                .phrases
                .iter()
                .filter_map(|p| Phrase::compile_with(norm, p, true, true))
                .collect(),
            subject: contrast::subject(norm, &m.text, &entities),
        })
        .collect();
    CQuestion {
        id: q.id.clone(),
        round: round.round.clone(),
        kind: q.kind,
        key_points,
        misconceptions,
        prompt: content_stems(norm, &q.prompt, stop).into_iter().collect(),
        topic,
        entities,
    }
}

pub fn compile_cues(norm: &Normalizer, r: &Rubrics) -> Cues {
    let list = |xs: &[&str]| -> Vec<String> { xs.iter().map(|s| s.to_string()).collect() };
    Cues {
        tj: r
            .tech_justification
            .criterion
            .iter()
            .map(|c| phrases(norm, &c.cues, false))
            .collect(),
        star: r
            .star
            .part
            .iter()
            .map(|p| (p.id.clone(), phrases(norm, &p.cues, false)))
            .collect(),
        quantified: phrases(norm, &r.star.quantified.cues, false),
        first_person: r.star.ownership.first_person.iter().cloned().collect(),
        team: r.star.ownership.team.iter().cloned().collect(),
        dont_know: phrases(norm, &list(DONT_KNOW_CUES), false),
        disown: phrases(norm, &list(DISOWN_CUES), false),
    }
}

/// All vocabulary of the bank, for the jargon table.
pub fn bank_vocabulary(bank: &Bank) -> Vec<String> {
    bank.rounds
        .iter()
        .flat_map(|r| r.vocabulary.iter().cloned())
        .collect()
}
