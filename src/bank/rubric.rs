//! Rubrics: the rating scale, the Technology Justification scale, the STAR
//! rubric and the pillars, read from `rubrics/*.toml` (schema in
//! `rubrics/README.md`). The scorer takes its level names, anchors, cue
//! phrases and gap wording from here.

use super::error::{BankError, Location};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One level of a 1–4 scale.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub rating: u8,
    pub name: String,
    pub anchor: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub competent: f64,
    pub proficient: f64,
    pub expert: f64,
    /// Key-point coverage an Expert answer needs besides the quality (rating scale only).
    #[serde(default)]
    pub expert_min_coverage: f64,
}

/// How the quality score is blended (see `rubrics/rating.toml`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blend {
    pub coverage: f64,
    pub justification: f64,
    pub depth: f64,
    pub depth_terms: f64,
}

/// `rubrics/rating.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingScale {
    pub plus_from: f64,
    pub level: Vec<Level>,
    pub thresholds: Thresholds,
    pub blend: Blend,
    /// Flag name → the gap sentence shown when that flag forces rating 1.
    pub flags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub id: String,
    pub name: String,
    pub description: String,
    pub cues: Vec<String>,
    pub strength: String,
    pub gap: String,
}

/// `rubrics/tech_justification.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TechJustification {
    pub criterion: Vec<Criterion>,
    pub level: Vec<Level>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StarPart {
    pub id: String,
    pub name: String,
    pub description: String,
    pub cues: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cues {
    pub cues: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ownership {
    pub first_person: Vec<String>,
    pub team: Vec<String>,
    pub min_first_person_share: f64,
}

/// `rubrics/star.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Star {
    pub part: Vec<StarPart>,
    pub quantified: Cues,
    pub ownership: Ownership,
    pub gaps: BTreeMap<String, String>,
    pub thresholds: Thresholds,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PillarRubric {
    pub name: String,
    pub description: String,
    pub signals: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pillars {
    pub pillar: Vec<PillarRubric>,
}

/// All rubrics together.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rubrics {
    pub rating: RatingScale,
    pub tech_justification: TechJustification,
    pub star: Star,
    pub pillars: Pillars,
}

/// The files that make up the rubrics, by name.
pub const RUBRIC_FILES: [&str; 4] = [
    "rating.toml",
    "tech_justification.toml",
    "star.toml",
    "pillars.toml",
];

impl Rubrics {
    /// Parses the four rubric files; `read(name)` returns `(label, text)`.
    pub(crate) fn parse<F>(mut read: F) -> Result<Rubrics, Vec<BankError>>
    where
        F: FnMut(&str) -> Result<(String, String), BankError>,
    {
        let mut errors = Vec::new();
        let rating = parse_one::<RatingScale, _>(&mut read, "rating.toml", &mut errors);
        let tj =
            parse_one::<TechJustification, _>(&mut read, "tech_justification.toml", &mut errors);
        let star = parse_one::<Star, _>(&mut read, "star.toml", &mut errors);
        let pillars = parse_one::<Pillars, _>(&mut read, "pillars.toml", &mut errors);
        match (rating, tj, star, pillars) {
            (Some(rating), Some(tech_justification), Some(star), Some(pillars))
                if errors.is_empty() =>
            {
                Ok(Rubrics {
                    rating,
                    tech_justification,
                    star,
                    pillars,
                })
            }
            _ => Err(errors),
        }
    }

    /// The level name for an integer rating (1..=4).
    pub fn level_name(&self, rating: u8) -> &str {
        level_name(&self.rating.level, rating)
    }

    pub fn tj_level_name(&self, rating: u8) -> &str {
        level_name(&self.tech_justification.level, rating)
    }

    /// The level for an average, with "+" between levels: 2.8 → "Competent+".
    pub fn level_for_average(&self, avg: f64) -> String {
        let avg = avg.clamp(1.0, 4.0);
        let base = avg.floor();
        let name = self.level_name(base as u8);
        if avg - base >= self.rating.plus_from - 1e-9 && base < 4.0 {
            format!("{name}+")
        } else {
            name.to_string()
        }
    }
}

fn level_name(levels: &[Level], rating: u8) -> &str {
    levels
        .iter()
        .find(|l| l.rating == rating)
        .map_or("", |l| l.name.as_str())
}

fn parse_one<T, F>(read: &mut F, name: &str, errors: &mut Vec<BankError>) -> Option<T>
where
    T: for<'de> Deserialize<'de> + HasLevels,
    F: FnMut(&str) -> Result<(String, String), BankError>,
{
    let (label, text) = match read(name) {
        Ok(x) => x,
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    match toml::from_str::<T>(&text) {
        Err(e) => {
            errors.push(BankError::from_toml(&label, &text, &e));
            None
        }
        Ok(v) => {
            if let Some(levels) = v.levels() {
                let mut got: Vec<u8> = levels.iter().map(|l| l.rating).collect();
                got.sort_unstable();
                if got != [1, 2, 3, 4] {
                    errors.push(BankError::Invalid {
                        loc: Location::from_offset(&label, &text, 0),
                        message: format!("levels must be exactly 1, 2, 3, 4 (found {got:?})"),
                    });
                    return None;
                }
            }
            Some(v)
        }
    }
}

trait HasLevels {
    fn levels(&self) -> Option<&[Level]> {
        None
    }
}
impl HasLevels for RatingScale {
    fn levels(&self) -> Option<&[Level]> {
        Some(&self.level)
    }
}
impl HasLevels for TechJustification {
    fn levels(&self) -> Option<&[Level]> {
        Some(&self.level)
    }
}
impl HasLevels for Star {}
impl HasLevels for Pillars {}
