//! What an answer's last words say: more is coming, it is closing, or it
//! sums up (lowercase transcript text in, a [`Cue`] out).

use crate::turn::policy::Cue;

/// Words that say the speaker is mid-thought.
const CONTINUATION: &[&str] = &[
    "and", "so", "because", "but", "or", "then", "which", "that", "um", "uh", "like", "if", "when",
    "with", "the", "a", "to", "of", "first", "second", "also", "think",
];
const CLOSING: &[&str] = &[
    "that's it",
    "that's all",
    "so yeah",
    "i'm done",
    "that's my answer",
    "done",
];
/// Phrases in the last sentence that announce more ("there are two ways.").
const ANNOUNCING: &[&str] = &[
    "there are two",
    "there are three",
    "there are a few",
    "there are several",
    "a couple of ways",
    "a few ways",
    "let me explain",
    "let me walk",
    "here's how",
    "for example",
];

/// How a last sentence that sums up begins.
const SUMMING: &[&str] = &[
    "overall",
    "so overall",
    "in summary",
    "in short",
    "so in short",
    "to sum up",
    "to summarize",
    "all in all",
    "finally",
    "so in the end",
];

/// What the transcript's last words suggest (lowercase text).
pub fn cue(tail: &str) -> Cue {
    let trimmed = tail.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '\'');
    if CLOSING.iter().any(|c| trimmed.ends_with(c)) {
        return Cue::Closing;
    }
    let last = trimmed
        .rsplit(|c: char| !c.is_alphanumeric() && c != '\'')
        .next()
        .unwrap_or("");
    let end = tail.trim_end();
    let last_sentence = trimmed.rsplit(['.', '?', '!']).next().unwrap_or(trimmed);
    if end.ends_with(',')
        || end.ends_with(':')
        || CONTINUATION.contains(&last)
        || ANNOUNCING.iter().any(|a| last_sentence.contains(a))
    {
        Cue::Trailing
    } else if SUMMING.iter().any(|s| {
        last_sentence
            .trim_start()
            .strip_prefix(s)
            .is_some_and(|rest| rest.starts_with([',', ' ']))
    }) {
        Cue::Summing
    } else {
        Cue::Neutral
    }
}
