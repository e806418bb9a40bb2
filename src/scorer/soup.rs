//! Keyword soup said with a wrap-up: "Secure pipelines, so, gitleaks,
//! trufflehog, SAST, Semgrep, … That's basically the security tooling, you
//! put all of that in the pipeline." The closing clause gives the answer
//! enough sentence glue to pass as prose, yet most of its words are a bare
//! list — short comma-separated items with no verb — and a list of the
//! topic's names explains nothing.

use super::normalize::Token;
use super::speech::COMMON_VERBS;

/// Items of at most this many words are list items.
const ITEM_WORDS: usize = 4;
/// A run of fewer items is an ordinary list inside an explanation.
const MIN_RUN: usize = 5;

/// Share of the answer's words that sit in runs of [`MIN_RUN`] or more
/// short, verbless comma-separated items.
pub fn list_share(text: &str, toks: &[Token]) -> f64 {
    if toks.is_empty() {
        return 0.0;
    }
    // Segments: token ranges between commas, semicolons, colons and
    // sentence ends.
    let mut segments: Vec<&[Token]> = Vec::new();
    let mut from = 0;
    for i in 1..=toks.len() {
        let split = i == toks.len()
            || toks[i].sent != toks[i - 1].sent
            || text
                .get(toks[i - 1].end..toks[i].start)
                .is_some_and(|gap| gap.contains([',', ';', ':']));
        if split {
            segments.push(&toks[from..i]);
            from = i;
        }
    }
    let item = |seg: &[Token]| {
        seg.len() <= ITEM_WORDS
            && !seg
                .iter()
                .any(|t| COMMON_VERBS.contains(&t.word.as_str()) || is_be_or_have(&t.word))
    };
    let (mut listed, mut run, mut run_words) = (0, 0, 0);
    for seg in segments.iter().map(|s| Some(*s)).chain([None]) {
        match seg {
            Some(seg) if item(seg) => {
                run += 1;
                run_words += seg.len();
            }
            _ => {
                if run >= MIN_RUN {
                    listed += run_words;
                }
                (run, run_words) = (0, 0);
            }
        }
    }
    listed as f64 / toks.len() as f64
}

fn is_be_or_have(w: &str) -> bool {
    const AUX: &[&str] = &[
        "is", "are", "was", "were", "be", "been", "has", "have", "had", "does", "do", "did", "can",
        "will", "would", "should", "could",
    ];
    AUX.contains(&w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scorer::normalize::Normalizer;

    fn share(text: &str) -> f64 {
        list_share(text, &Normalizer::default().normalize(text).tokens)
    }

    #[test]
    fn a_list_of_names_with_a_wrap_up_is_mostly_list() {
        let s = share(
            "Secure pipelines, so, gitleaks, trufflehog, SAST, SonarQube, Semgrep, CodeQL, \
             SCA, Snyk, Dependabot, Trivy, SBOM, Cosign, signing. That's basically the \
             security tooling, you put all of that in the pipeline, and then it is secure.",
        );
        assert!(s > 0.5, "{s}");
    }

    #[test]
    fn an_explanation_with_a_short_list_is_not() {
        let s = share(
            "We scan every pull request for secrets with gitleaks, then run Semgrep, \
             Trivy and Snyk in the pipeline and fail the build on critical findings, \
             because a leaked key in history has to be rotated, not just deleted.",
        );
        assert!(s < 0.1, "{s}");
    }
}
