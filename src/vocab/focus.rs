//! The terms in focus while the candidate answers: the current question's
//! (its prompt, model answer, key points and misconceptions) and the names
//! from the candidate's repo — the same derived terms that bias Whisper at
//! the highest weights ([`super::context`]). The rewrite layer trusts them
//! more than the round's vocabulary: an ordinary word that sounds exactly
//! like one of them is taken for it ("Carpenter" in an answer about
//! Karpenter), an identifier spelled out word by word is written as the
//! identifier, and a term-file form that needs a context word needs none
//! when its term is in focus.

use super::context::{weighted_terms, Situation, W_INTAKE};
use super::phonetic::Phonetic;
use super::recall::TermCounter;
use std::collections::HashSet;

#[derive(Debug, Clone)]
pub struct Focus {
    pub(super) phonetic: Phonetic,
    /// Lowercase canonical spellings.
    names: HashSet<String>,
}

impl Focus {
    /// The focus of terms given directly (canonical spellings).
    pub fn new<S: AsRef<str>>(terms: &[S]) -> Focus {
        Focus {
            phonetic: Phonetic::new(terms),
            names: terms.iter().map(|t| t.as_ref().to_lowercase()).collect(),
        }
    }

    /// The focus of a situation: its terms weighted as the current
    /// question's or the repo's.
    pub fn of(s: &Situation<'_>, known: &TermCounter) -> Focus {
        let terms: Vec<String> = weighted_terms(s, known)
            .into_iter()
            .filter(|(_, w)| *w >= W_INTAKE)
            .map(|(t, _)| t)
            .collect();
        Focus::new(&terms)
    }

    /// Whether a term (any case) is in focus.
    pub fn holds(&self, canonical: &str) -> bool {
        self.names.contains(&canonical.to_lowercase())
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}
