//! Which words are fillers. Unambiguous hesitations (um, uh, er…) always
//! are; "like", "so", "you know", "I mean", "basically" only where they are
//! used as fillers — set off by commas or opening a sentence — so "I'd like
//! to" and "so that" are not counted.

/// Always fillers.
const HESITATIONS: [&str; 9] = ["um", "umm", "uh", "uhh", "er", "erm", "ah", "hmm", "mm"];
/// Fillers wherever they appear.
const ALWAYS: [&str; 2] = ["basically", "literally"];

fn bare(w: &str) -> String {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
        .to_lowercase()
}

fn ends_clause(w: &str) -> bool {
    w.ends_with(',')
        || w.ends_with('.')
        || w.ends_with('?')
        || w.ends_with('!')
        || w.ends_with("...")
}

fn ends_sentence(w: &str) -> bool {
    w.ends_with('.') || w.ends_with('?') || w.ends_with('!')
}

/// The filler (if any) that starts at word `i`, and how many words it spans.
pub fn is_filler_at(words: &[&str], i: usize) -> Option<(&'static str, usize)> {
    let w = bare(words[i]);
    let prev_breaks = i == 0 || ends_clause(words[i - 1]);
    let sentence_start = i == 0 || ends_sentence(words[i - 1]);
    if let Some(h) = HESITATIONS.iter().find(|h| **h == w) {
        return Some((h, 1));
    }
    if let Some(a) = ALWAYS.iter().find(|a| **a == w) {
        return Some((a, 1));
    }
    let next = words.get(i + 1).map(|n| bare(n));
    match w.as_str() {
        // "like," / ", like" — not "I'd like to", "looks like a".
        "like" if words[i].ends_with(',') || (prev_breaks && i > 0) => Some(("like", 1)),
        // "So, …" or a sentence opening "So" — not ", so it was…".
        "so" if words[i].ends_with(',') || sentence_start => Some(("so", 1)),
        "you"
            if next.as_deref() == Some("know")
                && (words[i + 1].ends_with(',') || prev_breaks || ends_clause(words[i + 1])) =>
        {
            Some(("you know", 2))
        }
        "i" if next.as_deref() == Some("mean") && words[i + 1].ends_with(',') => {
            Some(("i mean", 2))
        }
        _ => None,
    }
}

/// Filler → count, most frequent first (ties alphabetical).
pub fn count_fillers(words: &[&str]) -> Vec<(String, usize)> {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut i = 0;
    while i < words.len() {
        match is_filler_at(words, i) {
            Some((f, n)) => {
                *counts.entry(f).or_default() += 1;
                i += n;
            }
            None => i += 1,
        }
    }
    let mut v: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(k, n)| (k.to_string(), n))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}
