//! Word error rate: the word-level edit distance between a hypothesis and a
//! reference, divided by the reference length, after light normalisation.

/// Spoken forms of abbreviations Whisper writes in short form.
fn expand(word: String) -> String {
    match word.as_str() {
        "mr" => "mister".into(),
        "mrs" => "missus".into(),
        "dr" => "doctor".into(),
        _ => word,
    }
}

/// Lowercases, drops punctuation (keeping apostrophes inside words), expands
/// a few abbreviations, splits on whitespace and writes numbers as digits
/// ("thirty seconds" and "30 seconds", "25%" and "25 percent" are the same
/// words), as Whisper's own evaluation normaliser does.
pub fn normalize(text: &str) -> Vec<String> {
    let words = text
        .to_lowercase()
        .replace(['-', '—', '–'], " ")
        .replace('%', " percent")
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'')
                .collect::<String>()
                .trim_matches('\'')
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .map(expand)
        .collect();
    crate::scorer::numbers_in_words(words)
}

/// (edits, reference words) for one pair.
pub fn edits(hyp: &str, reference: &str) -> (usize, usize) {
    let h = normalize(hyp);
    let r = normalize(reference);
    let mut prev: Vec<usize> = (0..=h.len()).collect();
    for (i, rw) in r.iter().enumerate() {
        let mut cur = vec![i + 1; h.len() + 1];
        for (j, hw) in h.iter().enumerate() {
            let sub = prev[j] + usize::from(rw != hw);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    (prev[h.len()], r.len())
}

/// WER of one pair.
pub fn wer(hyp: &str, reference: &str) -> f64 {
    let (e, n) = edits(hyp, reference);
    e as f64 / n.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_text_ignoring_case_and_punctuation_is_zero() {
        assert_eq!(
            wer(
                "Ask not, what your country can do!",
                "ask not what your country can do"
            ),
            0.0
        );
    }

    #[test]
    fn numbers_in_words_or_digits_are_the_same_words() {
        assert_eq!(
            wer(
                "It blips for 10 seconds at 25% load.",
                "It blips for ten seconds at twenty five percent load."
            ),
            0.0
        );
        assert_eq!(edits("a 30-second job", "a thirty-second job"), (0, 4));
        assert_eq!(edits("11 pods", "seven pods"), (1, 2));
    }

    #[test]
    fn abbreviations_match_their_spoken_form() {
        assert_eq!(
            wer("And Mr. John Dashwood", "and mister john dashwood"),
            0.0
        );
    }

    #[test]
    fn counts_substitutions_insertions_and_deletions() {
        assert_eq!(edits("the cat sat", "the cat sat down"), (1, 4));
        assert_eq!(edits("the big cat sat", "the cat sat"), (1, 3));
        assert_eq!(edits("a dog sat", "the cat sat"), (2, 3));
        assert_eq!(edits("", "alpha beta"), (2, 2));
    }
}
