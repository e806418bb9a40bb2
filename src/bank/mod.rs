//! The interviewer's knowledge: the question bank and the rubrics.
//!
//! Why it exists: everything mockint asks, probes and grades comes from files a
//! person can read and edit — `question_bank/<round>.toml` (questions, key
//! points with spoken phrasings, misconceptions, follow-ups, model answers) and
//! `rubrics/*.toml` (rating scale, Technology Justification scale, STAR rubric,
//! pillars). This module finds those files, parses them strictly and validates
//! them.
//!
//! In: a [`BankSource`] — `--bank DIR`, else env `MOCKINT_BANK_DIR`, else the
//! copy of the crate's `question_bank/` and `rubrics/` compiled into the binary.
//! Out: a [`Bank`] of [`Round`]s plus [`Rubrics`], or [`BankErrors`] whose every
//! entry names `file:line:col` (unknown fields, duplicate ids within and across
//! files, follow-ups aimed at missing key points, empty prompts, weights outside
//! 0.5..=3.0, bad kind/pillar values, a `round` that differs from the file stem).

mod error;
mod load;
mod raw;
mod rubric;
mod schema;
#[cfg(test)]
mod tests;

pub use error::{BankError, BankErrors, Location};
pub use rubric::{
    Blend, Criterion, Level, Ownership, PillarRubric, Pillars, RatingScale, Rubrics, Star,
    StarPart, TechJustification, Thresholds, RUBRIC_FILES,
};
pub use schema::{FollowUp, KeyPoint, Kind, Misconception, Pillar, Question, Round, Source};

use include_dir::{include_dir, Dir};
use load::RoundSource;
use std::path::{Path, PathBuf};

static EMBEDDED_BANK: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/question_bank");
static EMBEDDED_RUBRICS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rubrics");

/// Environment variable naming a question bank directory.
pub const BANK_DIR_ENV: &str = "MOCKINT_BANK_DIR";

/// The order rounds are listed in (the cheat sheet's); unknown rounds follow, sorted.
pub const ROUND_ORDER: [&str; 16] = [
    "terraform",
    "aws-networking",
    "aws-compute",
    "cicd",
    "ai-cicd",
    "kubernetes",
    "helm",
    "argocd",
    "multi-cluster-pipeline",
    "linux",
    "monitoring",
    "reliability",
    "security",
    "system-design",
    "python",
    "behavioral",
];

/// Where the bank is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BankSource {
    /// A `question_bank` directory. Rubrics come from `DIR/rubrics`, else
    /// `DIR/../rubrics`, else the embedded copy.
    Dir(PathBuf),
    /// The copy compiled into the binary.
    Embedded,
}

impl BankSource {
    /// `--bank DIR` if given, else `$MOCKINT_BANK_DIR` if set and non-empty, else embedded.
    pub fn resolve(cli: Option<&Path>) -> Self {
        if let Some(dir) = cli {
            return BankSource::Dir(dir.to_path_buf());
        }
        match std::env::var_os(BANK_DIR_ENV) {
            Some(v) if !v.is_empty() => BankSource::Dir(PathBuf::from(v)),
            _ => BankSource::Embedded,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            BankSource::Dir(d) => d.display().to_string(),
            BankSource::Embedded => "embedded question bank".to_string(),
        }
    }
}

/// The validated question bank and rubrics.
#[derive(Debug, Clone)]
pub struct Bank {
    pub rounds: Vec<Round>,
    pub rubrics: Rubrics,
}

impl Bank {
    /// Loads and validates everything from `source`.
    pub fn load(source: &BankSource) -> Result<Bank, BankErrors> {
        let files = match source {
            BankSource::Dir(dir) => read_dir_files(dir)?,
            BankSource::Embedded => embedded_files(),
        };
        if files.is_empty() {
            return Err(BankError::NoRounds(source.describe()).into());
        }
        let sources: Vec<RoundSource<'_>> = files
            .iter()
            .map(|(label, stem, text)| RoundSource {
                label: label.clone(),
                stem: stem.clone(),
                text,
            })
            .collect();
        let rounds = load::load_rounds(&sources);
        let rubrics = match source {
            BankSource::Dir(dir) => load_rubrics(dir),
            BankSource::Embedded => embedded_rubrics(),
        };
        match (rounds, rubrics) {
            (Ok(mut rounds), Ok(rubrics)) => {
                rounds.sort_by_key(|r| round_sort_key(&r.round));
                Ok(Bank { rounds, rubrics })
            }
            (r, b) => {
                let mut errs = r.err().unwrap_or_default();
                errs.extend(b.err().unwrap_or_default());
                Err(BankErrors(errs))
            }
        }
    }

    /// The embedded bank; panics only if the crate was built with a broken bank.
    pub fn embedded() -> Result<Bank, BankErrors> {
        Bank::load(&BankSource::Embedded)
    }

    pub fn round(&self, name: &str) -> Option<&Round> {
        self.rounds.iter().find(|r| r.round == name)
    }

    pub fn round_names(&self) -> Vec<&str> {
        self.rounds.iter().map(|r| r.round.as_str()).collect()
    }

    /// Finds a question by id anywhere in the bank.
    pub fn question(&self, id: &str) -> Option<(&Round, &Question)> {
        self.rounds
            .iter()
            .find_map(|r| r.question.iter().find(|q| q.id == id).map(|q| (r, q)))
    }

    pub fn question_count(&self) -> usize {
        self.rounds.iter().map(|r| r.question.len()).sum()
    }
}

fn round_sort_key(name: &str) -> (usize, String) {
    let pos = ROUND_ORDER
        .iter()
        .position(|r| *r == name)
        .unwrap_or(ROUND_ORDER.len());
    (pos, name.to_string())
}

type FileText = (String, String, String);

fn read_dir_files(dir: &Path) -> Result<Vec<FileText>, BankErrors> {
    let io = |e| BankError::Io {
        path: dir.to_path_buf(),
        source: e,
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).map_err(|e| BankError::Io {
            path: p.clone(),
            source: e,
        })?;
        let stem = p
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        out.push((p.display().to_string(), stem, text));
    }
    Ok(out)
}

fn embedded_files() -> Vec<FileText> {
    let mut out: Vec<FileText> = EMBEDDED_BANK
        .files()
        .filter(|f| f.path().extension().is_some_and(|x| x == "toml"))
        .filter_map(|f| {
            let stem = f.path().file_stem()?.to_string_lossy().into_owned();
            let text = f.contents_utf8()?.to_string();
            Some((format!("question_bank/{}", f.path().display()), stem, text))
        })
        .collect();
    out.sort();
    out
}

fn embedded_rubrics() -> Result<Rubrics, Vec<BankError>> {
    Rubrics::parse(|name| {
        let text = EMBEDDED_RUBRICS
            .get_file(name)
            .and_then(|f| f.contents_utf8())
            .ok_or_else(|| BankError::NoRounds(format!("embedded rubrics/{name}")))?;
        Ok((format!("rubrics/{name}"), text.to_string()))
    })
}

/// Rubrics beside a bank directory, falling back to the embedded copy.
fn load_rubrics(bank_dir: &Path) -> Result<Rubrics, Vec<BankError>> {
    let candidates = [
        bank_dir.join("rubrics"),
        bank_dir.join("..").join("rubrics"),
    ];
    let Some(dir) = candidates
        .into_iter()
        .find(|d| d.join("rating.toml").is_file())
    else {
        return embedded_rubrics();
    };
    Rubrics::parse(|name| {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).map_err(|e| BankError::Io {
            path: path.clone(),
            source: e,
        })?;
        Ok((path.display().to_string(), text))
    })
}
