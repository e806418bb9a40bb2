//! The texts of one turn's chunks joined into one. Whisper ends each chunk
//! it is given with a full stop, so a sentence the chunker cut at a short
//! pause comes back as two ("…during traffic spikes. and wasted money when
//! it sits idle.", found in a spoken session, 2026-12-07): the scorer read
//! the half after the cut as a sentence of its own, and the transcript
//! showed it. A chunk that begins in lower case goes on the sentence before
//! it, so that full stop is dropped.

/// `parts` (chunk texts, in order) as one text.
pub fn join_chunks<S: AsRef<str>>(parts: impl IntoIterator<Item = S>) -> String {
    let mut out = String::new();
    for part in parts {
        let part = part.as_ref().trim();
        if part.is_empty() {
            continue;
        }
        if !out.is_empty() {
            if goes_on(part) && out.ends_with('.') && !out.ends_with("..") {
                out.pop();
            }
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

/// Whether a chunk's text carries on the sentence before it: it begins with
/// a lower-case word ("and wasted money…"), not the pronoun "I" and not a
/// name or number.
fn goes_on(part: &str) -> bool {
    part.chars().next().is_some_and(|c| c.is_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunk_in_lower_case_goes_on_the_sentence_before_it() {
        assert_eq!(
            join_chunks([
                "risks pending pods during traffic spikes.",
                "and wasted money."
            ]),
            "risks pending pods during traffic spikes and wasted money."
        );
    }

    #[test]
    fn a_chunk_that_starts_a_sentence_keeps_the_full_stop_before_it() {
        for next in [
            "It removes nodes.",
            "I would choose Karpenter.",
            "EKS does it.",
            "3 replicas.",
        ] {
            let joined = join_chunks(["The autoscaler adds nodes.", next]);
            assert_eq!(joined, format!("The autoscaler adds nodes. {next}"));
        }
    }

    #[test]
    fn questions_ellipses_and_empty_chunks_are_kept_as_they_are() {
        assert_eq!(
            join_chunks(["Is it Karpenter?", "", "  and then…", "so...", "and more"]),
            "Is it Karpenter? and then… so... and more"
        );
    }
}
