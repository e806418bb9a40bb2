//! Strict parsing and validation of round files. All problems are collected
//! (not just the first) so `mockint bank check` can list them at once.

use super::error::{BankError, Location};
use super::raw::RawRound;
use super::schema::{Kind, Round};
use std::collections::{HashMap, HashSet};

/// One round file's text and how to name it in messages.
pub(crate) struct RoundSource<'a> {
    /// Shown in errors: the path, or `question_bank/<file>` for the embedded bank.
    pub label: String,
    /// File name without `.toml`; must equal the `round` field.
    pub stem: String,
    pub text: &'a str,
}

const STAR_PARTS: [&str; 4] = ["situation", "task", "action", "result"];

/// Parses and validates every file; ids must be unique across all of them.
pub(crate) fn load_rounds(sources: &[RoundSource<'_>]) -> Result<Vec<Round>, Vec<BankError>> {
    let mut errors = Vec::new();
    let mut seen: HashMap<String, Location> = HashMap::new();
    let mut rounds = Vec::new();
    for src in sources {
        match toml::from_str::<RawRound>(src.text) {
            Err(e) => errors.push(BankError::from_toml(&src.label, src.text, &e)),
            Ok(raw) => {
                let before = errors.len();
                validate(src, &raw, &mut seen, &mut errors);
                if errors.len() == before {
                    rounds.push(raw.into_round());
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(rounds)
    } else {
        Err(errors)
    }
}

fn validate(
    src: &RoundSource<'_>,
    raw: &RawRound,
    seen: &mut HashMap<String, Location>,
    errors: &mut Vec<BankError>,
) {
    let at = |span: std::ops::Range<usize>| Location::from_offset(&src.label, src.text, span.start);
    if raw.round.get_ref() != &src.stem {
        errors.push(BankError::RoundMismatch {
            loc: at(raw.round.span()),
            round: raw.round.get_ref().clone(),
            stem: src.stem.clone(),
        });
    }
    if raw.question.is_empty() {
        errors.push(BankError::Invalid {
            loc: Location::from_offset(&src.label, src.text, 0),
            message: "round has no [[question]] entries".into(),
        });
    }
    for q in &raw.question {
        let qid = q.id.get_ref();
        let loc = at(q.id.span());
        if !is_kebab(qid) {
            errors.push(BankError::Invalid {
                loc: loc.clone(),
                message: format!("question id `{qid}` is not kebab-case"),
            });
        }
        if let Some(first) = seen.get(qid) {
            errors.push(BankError::DuplicateQuestionId {
                loc: loc.clone(),
                id: qid.clone(),
                first: first.clone(),
            });
        } else {
            seen.insert(qid.clone(), loc.clone());
        }
        if q.prompt.get_ref().trim().is_empty() {
            errors.push(BankError::EmptyPrompt {
                loc: at(q.prompt.span()),
                question: qid.clone(),
            });
        }
        if !(1..=3).contains(q.difficulty.get_ref()) {
            errors.push(BankError::Invalid {
                loc: at(q.difficulty.span()),
                message: format!("difficulty {} is outside 1..=3", q.difficulty.get_ref()),
            });
        }
        if q.key_points.is_empty() {
            errors.push(BankError::Invalid {
                loc: loc.clone(),
                message: format!("question `{qid}` has no key points"),
            });
        }
        let mut kp_ids = HashSet::new();
        for kp in &q.key_points {
            if !kp_ids.insert(kp.id.get_ref().as_str()) {
                errors.push(BankError::DuplicateId {
                    loc: at(kp.id.span()),
                    what: "key point",
                    id: kp.id.get_ref().clone(),
                    question: qid.clone(),
                });
            }
            let w = *kp.weight.get_ref();
            if !(0.5..=3.0).contains(&w) {
                errors.push(BankError::BadWeight {
                    loc: at(kp.weight.span()),
                    key_point: kp.id.get_ref().clone(),
                    weight: w,
                });
            }
        }
        let mut mis_ids = HashSet::new();
        for m in &q.misconceptions {
            if !mis_ids.insert(m.id.get_ref().as_str()) {
                errors.push(BankError::DuplicateId {
                    loc: at(m.id.span()),
                    what: "misconception",
                    id: m.id.get_ref().clone(),
                    question: qid.clone(),
                });
            }
        }
        for f in &q.follow_ups {
            if f.prompt.get_ref().trim().is_empty() {
                errors.push(BankError::Invalid {
                    loc: at(f.prompt.span()),
                    message: format!("follow-up of question `{qid}` has an empty prompt"),
                });
            }
            for t in &f.targets {
                if !kp_ids.contains(t.get_ref().as_str()) {
                    errors.push(BankError::DanglingTarget {
                        loc: at(t.span()),
                        question: qid.clone(),
                        target: t.get_ref().clone(),
                    });
                }
            }
        }
        if q.kind == Kind::Behavioral {
            let missing: Vec<&str> = STAR_PARTS
                .iter()
                .copied()
                .filter(|p| !kp_ids.contains(p))
                .collect();
            if !missing.is_empty() {
                errors.push(BankError::Invalid {
                    loc: loc.clone(),
                    message: format!(
                        "behavioral question `{qid}` lacks STAR key points: {}",
                        missing.join(", ")
                    ),
                });
            }
        }
    }
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
