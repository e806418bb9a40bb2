//! Splitting a transcript into words with byte spans, sentence numbers, and
//! whether each word is *joined* to the one before it: only spaces, hyphens,
//! slashes or abbreviation dots ("E.K.S.", "values.yaml") in between. A form
//! matches only a run of joined words, so a rewrite never crosses a sentence
//! end, a comma or a colon.

/// One word of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
    /// Lowercase text of the word.
    pub norm: String,
    /// Sentence number, from 0.
    pub sent: u32,
    /// Joined to the previous word (same sentence, no comma between).
    pub joined: bool,
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Splits `text` into words. A word is a run of letters and digits, keeping
/// inner apostrophes ("pod's") and dots between digits ("1.29", "10.0.0.0");
/// "%" is a word of its own.
pub fn words(text: &str) -> Vec<Word> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if c == '%' {
            spans.push((pos, pos + 1));
            i += 1;
            continue;
        }
        if !c.is_alphanumeric() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let cj = chars[j].1;
            let prev = chars[j - 1].1;
            let next = chars.get(j + 1).map(|x| x.1);
            let inner_apos =
                is_apostrophe(cj) && prev.is_alphabetic() && next.is_some_and(char::is_alphabetic);
            let inner_dot =
                cj == '.' && prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit());
            if cj.is_alphanumeric() || inner_apos || inner_dot {
                j += 1;
            } else {
                break;
            }
        }
        let end = chars.get(j).map_or(text.len(), |x| x.0);
        spans.push((pos, end));
        i = j;
    }
    let mut out: Vec<Word> = Vec::with_capacity(spans.len());
    let mut sent = 0u32;
    let mut prev_abbrev = false;
    for (k, &(start, end)) in spans.iter().enumerate() {
        let mut joined = false;
        if k > 0 {
            let prev = &out[k - 1];
            let gap = &text[prev.end..start];
            let single_letter =
                prev.norm.chars().count() == 1 && prev.norm.chars().all(|c| c.is_alphabetic());
            let next_single = text[start..end].chars().count() == 1;
            let abbrev = gap == "."
                || (single_letter && (prev_abbrev || next_single) && gap.trim_end() == ".");
            prev_abbrev = abbrev;
            if abbrev {
                joined = true;
            } else if gap.contains(['.', '?', '!', ';', '\n']) {
                sent += 1;
            } else {
                joined = gap
                    .chars()
                    .all(|c| c == ' ' || c == '\t' || c == '-' || c == '–' || c == '/');
            }
        }
        out.push(Word {
            start,
            end,
            norm: text[start..end].to_lowercase().replace('’', "'"),
            sent,
            joined,
        });
    }
    out
}

/// The words of a term form ("kube-control" → ["kube", "control"]), or `None`
/// when it is empty or is not one joined run of words.
pub fn form_words(form: &str) -> Option<Vec<String>> {
    let w = words(form);
    if w.is_empty() || w.iter().skip(1).any(|x| !x.joined) {
        return None;
    }
    Some(w.into_iter().map(|x| x.norm).collect())
}

/// `form_words` joined by single spaces: the key a form is matched by.
pub fn form_key(form: &str) -> Option<String> {
    form_words(form).map(|w| w.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(t: &str) -> Vec<(String, u32, bool)> {
        words(t)
            .into_iter()
            .map(|w| (w.norm, w.sent, w.joined))
            .collect()
    }

    #[test]
    fn keeps_versions_ips_and_apostrophes_inside_words() {
        let w: Vec<String> = words("Kubernetes 1.29, pod's IP 10.0.0.0/16 at 5%.")
            .into_iter()
            .map(|w| w.norm)
            .collect();
        assert_eq!(
            w,
            [
                "kubernetes",
                "1.29",
                "pod's",
                "ip",
                "10.0.0.0",
                "16",
                "at",
                "5",
                "%"
            ]
        );
    }

    #[test]
    fn sentences_commas_and_joins() {
        let n = norms("Run kube-control. Then E.K.S. works, fine");
        assert_eq!(
            n,
            [
                ("run".into(), 0, false),
                ("kube".into(), 0, true),
                ("control".into(), 0, true),
                ("then".into(), 1, false),
                ("e".into(), 1, true),
                ("k".into(), 1, true),
                ("s".into(), 1, true),
                ("works".into(), 1, true),
                ("fine".into(), 1, false),
            ]
        );
    }

    #[test]
    fn a_sentence_ending_in_a_single_letter_still_ends() {
        let n = norms("We had plan B. Then it failed");
        assert_eq!(n[4], ("then".into(), 1, false));
    }

    #[test]
    fn forms_must_be_one_joined_run() {
        assert_eq!(form_key("Kube-Control"), Some("kube control".into()));
        assert_eq!(form_key("e.k.s"), Some("e k s".into()));
        assert_eq!(form_key("I. A. M."), Some("i a m".into()));
        assert_eq!(form_key("kube, control"), None);
        assert_eq!(form_key("etc. d"), None);
        assert_eq!(form_key("  "), None);
    }
}
