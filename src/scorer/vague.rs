//! Padding instead of knowledge: "it really depends", "best practices",
//! "the right tool for the job", "I'd have to check the docs", "I think",
//! "maybe". One or two are how people talk; an answer made of them is a
//! candidate filling the air around what they do not know.

use regex::Regex;
use std::sync::OnceLock;

/// Phrases that hedge or stay generic, counted as whole words.
const VAGUE: &[&str] = &[
    "it depends",
    "really depends",
    "best practice",
    "best practices",
    "right tool for the job",
    "the docs",
    "documentation",
    "double-check",
    "double check",
    "i believe",
    "i think",
    "probably",
    "maybe",
    "something like",
    "kind of",
    "in general",
    "generally",
    "really important",
    "a lot of",
    "various",
    "reinventing the wheel",
    "make sure",
];

/// How many hedging or generic phrases the answer holds.
pub fn vague_phrases(text: &str) -> usize {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        let alts: Vec<String> = VAGUE.iter().map(|p| regex::escape(p)).collect();
        // Longest first, so "best practices" is one match, not "best practice" + "s".
        let mut alts = alts;
        alts.sort_by_key(|a| std::cmp::Reverse(a.len()));
        Regex::new(&format!(r"\b(?:{})\b", alts.join("|"))).expect("valid pattern")
    });
    let text = text.to_lowercase().replace('\u{2019}', "'");
    re.find_iter(&text).count()
}

#[cfg(test)]
mod tests {
    use super::vague_phrases;

    #[test]
    fn padding_is_counted_and_substance_is_not() {
        let padded = "Testing Terraform is really important. I'd follow best practices. \
                      I think Terratest is one, and it depends on the modules.";
        assert_eq!(vague_phrases(padded), 4);
        let plain = "Run terraform validate and tflint on every commit, Checkov for \
                     security, and Terratest against a sandbox account before merging.";
        assert_eq!(vague_phrases(plain), 0);
    }

    #[test]
    fn whole_words_only() {
        assert_eq!(vague_phrases("Maybelline generally."), 1);
    }
}
