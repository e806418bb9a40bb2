//! What an answer's last words say: more is coming, it is closing, or it
//! sums up (lowercase transcript text in, a [`Cue`] out).

use crate::turn::policy::Cue;

/// Words that say the speaker is mid-thought, whatever punctuation
/// Whisper put after them ("…and." is a clause cut off).
const CONTINUATION: &[&str] = &[
    "and", "because", "but", "or", "which", "um", "uh", "if", "when", "with", "the", "a", "to",
    "of",
];
/// Words that say the speaker is mid-thought unless a sentence ends with
/// them: "…and then" goes on, "…shows that." is done. Until 2026-12-07 a
/// full stop did not count, so every answer ending "…does that." or "…do
/// that first." waited out the thinking pause (found trying a spoken session).
const CONTINUATION_UNLESS_ENDED: &[&str] = &[
    "so", "then", "that", "like", "first", "second", "also", "think",
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
    let ended = end.ends_with(['.', '?', '!']);
    let last_sentence = trimmed.rsplit(['.', '?', '!']).next().unwrap_or(trimmed);
    if end.ends_with(',')
        || end.ends_with(':')
        || CONTINUATION.contains(&last)
        || (!ended && CONTINUATION_UNLESS_ENDED.contains(&last))
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
