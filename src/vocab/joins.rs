//! Words joined by an underscore that nobody wrote: biasing toward a term
//! like `for_each` or `workflow_call` can make Whisper follow an ordinary
//! word with "_" and go on with another ("for_state_locking",
//! "workflow_authenticate", "Terraform_state"). Speech has no underscores,
//! so a joined word that is no known term is split back into its words.

/// Words of `text` that hold an underscore between letters or digits, with
/// surrounding punctuation trimmed.
pub fn joined_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || c == '`')
        .map(|w| w.trim_matches(|c: char| !(c.is_alphanumeric() || c == '_')))
        .filter(|w| {
            let b = w.as_bytes();
            b.windows(3).any(|x| {
                x[0].is_ascii_alphanumeric() && x[1] == b'_' && x[2].is_ascii_alphanumeric()
            })
        })
}

/// `text` with the underscores of unknown joined words made spaces (the
/// same length, so offsets hold), and the byte ranges of those words.
pub fn split_unknown(text: &str, known: impl Fn(&str) -> bool) -> (String, Vec<(usize, usize)>) {
    let mut out = text.to_string();
    let mut splits = Vec::new();
    for w in joined_words(text) {
        if known(w) {
            continue;
        }
        let start = w.as_ptr() as usize - text.as_ptr() as usize;
        let end = start + w.len();
        out.replace_range(start..end, &w.replace('_', " "));
        splits.push((start, end));
    }
    (out, splits)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tried by hand, 2026-12-06: "we use terraform state mv" was written
    /// "We use Terraform_state and B"; the tuning set has "for_state_locking"
    /// and "workflow_authenticate".
    #[test]
    fn an_unknown_joined_word_is_split_and_a_known_one_kept() {
        let known = |w: &str| ["for_each", "use_lockfile"].contains(&w.to_lowercase().as_str());
        let (t, s) = split_unknown(
            "We use Terraform_state and B, for_each and use_lockfile, for_state_locking.",
            known,
        );
        assert_eq!(
            t,
            "We use Terraform state and B, for_each and use_lockfile, for state locking."
        );
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn only_underscores_inside_words_count() {
        let w: Vec<&str> = joined_words("a _private_ x_y `oom_score_adj` __ end_").collect();
        assert_eq!(w, ["x_y", "oom_score_adj"]);
    }
}
