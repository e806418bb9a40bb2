//! The term file (`vocab/terms.toml`): its schema, loading and validation.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The term file compiled into the binary.
pub const EMBEDDED_TERMS: &str = include_str!("../../vocab/terms.toml");

/// Environment variable naming a term file that replaces the embedded one.
pub const TERMS_FILE_ENV: &str = "MOCKINT_VOCAB_FILE";

/// The whole term file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermFile {
    pub rules: Rules,
    #[serde(default, rename = "term")]
    pub terms: Vec<TermSpec>,
}

/// Word lists for the built-in rules (versions, flags) and the never-list.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Words after which "one point ten" is a version ("1.10").
    pub version_cues: Vec<String>,
    /// Words after a number that make it a quantity, never a version.
    pub units: Vec<String>,
    /// Tools after which "dash n" is the flag "-n".
    pub commands: Vec<String>,
    /// Phrases never rewritten, whatever a term says.
    pub never: Vec<String>,
}

/// One `[[term]]`: a canonical spelling and how speech renders it.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TermSpec {
    pub canonical: String,
    #[serde(default)]
    pub forms: Vec<String>,
    /// Forms that are also ordinary English: need `context` or `before`.
    #[serde(default)]
    pub ambiguous: Vec<String>,
    /// Any of these in the same sentence licenses an ambiguous form.
    #[serde(default)]
    pub context: Vec<String>,
    /// One of these right after licenses an ambiguous form.
    #[serde(default)]
    pub before: Vec<String>,
    /// One of these right after a form vetoes it.
    #[serde(default)]
    pub not_before: Vec<String>,
    /// Also rewrite plurals (default: when the canonical has a capital).
    #[serde(default)]
    pub plural: Option<bool>,
    /// Limit the term to these rounds (default: every round).
    #[serde(default)]
    pub rounds: Vec<String>,
    /// Offer this term in Whisper's initial prompt.
    #[serde(default)]
    pub prompt: bool,
}

impl TermSpec {
    /// A term with just a canonical spelling and forms (e.g. a repo's own names).
    pub fn new(canonical: &str, forms: &[&str]) -> Self {
        TermSpec {
            canonical: canonical.to_string(),
            forms: forms.iter().map(|f| f.to_string()).collect(),
            ..Default::default()
        }
    }

    pub fn plural(&self) -> bool {
        self.plural
            .unwrap_or_else(|| self.canonical.chars().any(|c| c.is_ascii_uppercase()))
            && self
                .canonical
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphabetic())
    }

    pub fn applies_to(&self, round: Option<&str>) -> bool {
        match round {
            None => true,
            Some(r) => self.rounds.is_empty() || self.rounds.iter().any(|x| x == r),
        }
    }
}

/// Errors reading or checking a term file.
#[derive(Debug, thiserror::Error)]
pub enum VocabError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{origin}: {message}")]
    Parse { origin: String, message: String },
    #[error("{origin}: term `{canonical}`: {message}")]
    Invalid {
        origin: String,
        canonical: String,
        message: String,
    },
    #[error("unknown round `{round}`; valid rounds: {valid}")]
    UnknownRound { round: String, valid: String },
}

impl TermFile {
    /// The embedded file, or the one `$MOCKINT_VOCAB_FILE` names.
    pub fn load_default() -> Result<TermFile, VocabError> {
        match std::env::var_os(TERMS_FILE_ENV) {
            Some(p) if !p.is_empty() => TermFile::load(Path::new(&p)),
            _ => TermFile::parse(EMBEDDED_TERMS, "vocab/terms.toml"),
        }
    }

    pub fn load(path: &Path) -> Result<TermFile, VocabError> {
        let text = std::fs::read_to_string(path).map_err(|source| VocabError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        TermFile::parse(&text, &path.display().to_string())
    }

    /// Parses and validates: every form must be words within one sentence,
    /// ambiguous forms need a `context` or `before` list and may not also be
    /// plain forms, context words are single words.
    pub fn parse(text: &str, origin: &str) -> Result<TermFile, VocabError> {
        let file: TermFile = toml::from_str(text).map_err(|e| VocabError::Parse {
            origin: origin.to_string(),
            message: e.to_string(),
        })?;
        for t in &file.terms {
            let bad = |message: String| VocabError::Invalid {
                origin: origin.to_string(),
                canonical: t.canonical.clone(),
                message,
            };
            if t.canonical.trim().is_empty() {
                return Err(bad("empty canonical spelling".into()));
            }
            for f in t.forms.iter().chain(&t.ambiguous) {
                if super::text::form_words(f).is_none() {
                    return Err(bad(format!(
                        "form {f:?} is not a run of words in one sentence"
                    )));
                }
            }
            if let Some(f) = t.ambiguous.iter().find(|a| {
                t.forms
                    .iter()
                    .any(|f| super::text::form_words(f) == super::text::form_words(a))
            }) {
                return Err(bad(format!(
                    "{f:?} is listed in both `forms` and `ambiguous`; keep it in `ambiguous` only, or it is rewritten without context"
                )));
            }
            if !t.ambiguous.is_empty() && t.context.is_empty() && t.before.is_empty() {
                return Err(bad("ambiguous forms need `context` or `before`".into()));
            }
            for w in t.context.iter().chain(&t.before).chain(&t.not_before) {
                if !matches!(super::text::form_words(w), Some(v) if v.len() == 1) {
                    return Err(bad(format!("{w:?} must be a single word")));
                }
            }
        }
        Ok(file)
    }
}
