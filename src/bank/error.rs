//! Errors from loading the question bank and rubrics. Every problem inside a
//! file names `file:line:col` so an editor can jump to it.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

/// A position in a bank or rubric file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub col: usize,
}

impl Location {
    /// Turns a byte offset into `file:line:col` (columns count characters).
    pub fn from_offset(file: &str, src: &str, offset: usize) -> Self {
        let offset = offset.min(src.len());
        let before = &src[..floor_char_boundary(src, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        Location {
            file: file.to_string(),
            line,
            col,
        }
    }

    pub fn from_span(file: &str, src: &str, span: Option<Range<usize>>) -> Self {
        Self::from_offset(file, src, span.map_or(0, |s| s.start))
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// One problem found while loading.
#[derive(Debug, thiserror::Error)]
pub enum BankError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}: no round files (*.toml) found")]
    NoRounds(String),
    #[error("{loc}: TOML syntax error: {message}")]
    Syntax { loc: Location, message: String },
    #[error("{loc}: unknown field: {message}")]
    UnknownField { loc: Location, message: String },
    #[error("{loc}: invalid value: {message}")]
    BadValue { loc: Location, message: String },
    #[error("{loc}: round `{round}` does not match the file name (expected `{stem}`)")]
    RoundMismatch {
        loc: Location,
        round: String,
        stem: String,
    },
    #[error("{loc}: duplicate question id `{id}` (first defined at {first})")]
    DuplicateQuestionId {
        loc: Location,
        id: String,
        first: Location,
    },
    #[error("{loc}: duplicate {what} id `{id}` in question `{question}`")]
    DuplicateId {
        loc: Location,
        what: &'static str,
        id: String,
        question: String,
    },
    #[error("{loc}: follow-up of question `{question}` targets `{target}`, which is not one of its key points")]
    DanglingTarget {
        loc: Location,
        question: String,
        target: String,
    },
    #[error("{loc}: question `{question}` has an empty prompt")]
    EmptyPrompt { loc: Location, question: String },
    #[error("{loc}: key point `{key_point}` has weight {weight}, outside 0.5..=3.0")]
    BadWeight {
        loc: Location,
        key_point: String,
        weight: f64,
    },
    #[error("{loc}: {message}")]
    Invalid { loc: Location, message: String },
}

impl BankError {
    /// The location inside a file, if the error has one.
    pub fn location(&self) -> Option<&Location> {
        match self {
            BankError::Io { .. } | BankError::NoRounds(_) => None,
            BankError::Syntax { loc, .. }
            | BankError::UnknownField { loc, .. }
            | BankError::BadValue { loc, .. }
            | BankError::RoundMismatch { loc, .. }
            | BankError::DuplicateQuestionId { loc, .. }
            | BankError::DuplicateId { loc, .. }
            | BankError::DanglingTarget { loc, .. }
            | BankError::EmptyPrompt { loc, .. }
            | BankError::BadWeight { loc, .. }
            | BankError::Invalid { loc, .. } => Some(loc),
        }
    }

    /// Classifies a TOML/serde error by its message and places it.
    pub(crate) fn from_toml(file: &str, src: &str, err: &toml::de::Error) -> Self {
        let loc = Location::from_span(file, src, err.span());
        let message = err.message().trim().to_string();
        if message.starts_with("unknown field") {
            BankError::UnknownField { loc, message }
        } else if message.starts_with("unknown variant")
            || message.starts_with("invalid type")
            || message.starts_with("missing field")
            || message.starts_with("invalid value")
        {
            BankError::BadValue { loc, message }
        } else {
            BankError::Syntax { loc, message }
        }
    }
}

/// All problems found in one load, in file order.
#[derive(Debug)]
pub struct BankErrors(pub Vec<BankError>);

impl fmt::Display for BankErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for BankErrors {}

impl From<BankError> for BankErrors {
    fn from(e: BankError) -> Self {
        BankErrors(vec![e])
    }
}
