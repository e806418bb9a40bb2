//! Term recall: of the terms a reference text uses, how many a transcript
//! writes in canonical form. "Dynamo DB", "Dynamodb" and "dynamo" do not count
//! for `DynamoDB`; the case of plain words is free ("terraform" counts for
//! `Terraform`, "Secrets manager" for `Secrets Manager`), a plural or
//! possessive ending is allowed ("ConfigMaps").

use super::is_jargon_word;
use aho_corasick::{AhoCorasick, MatchKind};
use serde::Serialize;

/// Finds canonical terms in text.
#[derive(Debug, Clone)]
pub struct TermCounter {
    ac: AhoCorasick,
    terms: Vec<String>,
}

/// Recall over one or more texts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Recall {
    pub found: usize,
    pub total: usize,
    /// Terms of the reference the transcript missed (once per miss).
    pub missed: Vec<String>,
}

impl Recall {
    pub fn rate(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.found as f64 / self.total as f64
        }
    }

    pub fn add(&mut self, other: &Recall) {
        self.found += other.found;
        self.total += other.total;
        self.missed.extend(other.missed.iter().cloned());
    }
}

/// Start or end of text, or a character that is not part of a word.
fn boundary(c: Option<char>) -> bool {
    !c.is_some_and(char::is_alphanumeric)
}

/// `found` (same length as `canonical`, ASCII case-insensitively equal) is in
/// canonical form: exact in jargon words and separators, any case elsewhere.
fn canonical_form(found: &str, canonical: &str) -> bool {
    found
        .split(' ')
        .zip(canonical.split(' '))
        .all(|(f, c)| f == c || (!is_jargon_word(c) && f.eq_ignore_ascii_case(c)))
}

impl TermCounter {
    pub fn new<S: AsRef<str>>(terms: &[S]) -> TermCounter {
        // One spelling per term, case aside: the first given wins.
        let mut seen = std::collections::HashSet::new();
        let terms: Vec<String> = terms
            .iter()
            .map(|t| t.as_ref().to_string())
            .filter(|t| seen.insert(t.to_lowercase()))
            .collect();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&terms)
            .expect("terms compile");
        TermCounter { ac, terms }
    }

    /// Each term occurrence in `text`: (term, written in canonical form).
    pub fn occurrences(&self, text: &str) -> Vec<(&str, bool)> {
        let mut out = Vec::new();
        for m in self.ac.find_iter(text) {
            let before_ok = boundary(text[..m.start()].chars().next_back());
            let rest = &text[m.end()..];
            let rest = rest
                .strip_prefix("'s")
                .or_else(|| rest.strip_prefix('s'))
                .filter(|r| boundary(r.chars().next()))
                .unwrap_or(rest);
            let after_ok = boundary(rest.chars().next());
            if before_ok && after_ok {
                let term = &self.terms[m.pattern().as_usize()];
                out.push((term.as_str(), canonical_form(&text[m.range()], term)));
            }
        }
        out
    }

    /// Recall of `hypothesis` against the terms used in `reference`.
    pub fn recall(&self, reference: &str, hypothesis: &str) -> Recall {
        // A reference is canonical by definition: "use" there is not "USE".
        let mut want: Vec<&str> = self
            .occurrences(reference)
            .into_iter()
            .filter(|o| o.1)
            .map(|o| o.0)
            .collect();
        let mut got: Vec<&str> = self
            .occurrences(hypothesis)
            .into_iter()
            .filter(|o| o.1)
            .map(|o| o.0)
            .collect();
        want.sort();
        got.sort();
        let mut r = Recall {
            total: want.len(),
            ..Default::default()
        };
        for t in want {
            if let Some(p) = got.iter().position(|g| *g == t) {
                got.remove(p);
                r.found += 1;
            } else {
                r.missed.push(t.to_string());
            }
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counter() -> TermCounter {
        TermCounter::new(&[
            "DynamoDB",
            "ConfigMap",
            "Terraform",
            "kubectl",
            "GitHub",
            "GitHub Actions",
            "EKS",
        ])
    }

    #[test]
    fn only_canonical_spellings_count() {
        let c = counter();
        let r = c.recall(
            "DynamoDB and a ConfigMap via kubectl on EKS.",
            "Dynamodb and a ConfigMap via kube control on eks.",
        );
        assert_eq!((r.found, r.total), (1, 4));
        assert_eq!(r.missed, ["DynamoDB", "EKS", "kubectl"]);
    }

    #[test]
    fn plain_words_ignore_case_and_plurals_count() {
        let c = counter();
        let r = c.recall("Terraform with ConfigMaps.", "terraform with ConfigMaps.");
        assert_eq!((r.found, r.total), (2, 2));
    }

    #[test]
    fn whole_words_and_longest_terms() {
        let c = counter();
        assert!(c
            .occurrences("weeks of kubectls")
            .iter()
            .all(|o| o.0 != "EKS"));
        let o = c.occurrences("our GitHub Actions workflow");
        assert_eq!(o, [("GitHub Actions", true)]);
    }
}
