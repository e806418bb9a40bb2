//! What Whisper writes that nobody said: non-speech tags (`[BLANK_AUDIO]`,
//! `(music)`, `[inaudible]`, `*laughs*`), the phrases it invents over
//! silence ("Thanks for watching"), and phrase loops ("the pod, the pod, the
//! pod, …"), and quotation marks (speech has none; steered by a prompt,
//! Whisper wraps whole sentences in them). [`clean`] removes them before
//! the transcript, the scorer or the delivery metrics see a word.

/// Whole outputs Whisper produces from silence or noise (compared without
/// punctuation or case).
const INVENTED: &[&str] = &[
    "thanks for watching",
    "thank you for watching",
    "thanks for watching and see you next time",
    "please subscribe",
    "like and subscribe",
    "subtitles by the amaraorg community",
    "you",
    "thank you",
    "bye",
];

/// `text` without non-speech tags, invented phrases or loops.
pub fn clean(text: &str) -> String {
    let untagged = strip_tags(text);
    let words: Vec<&str> = untagged.split_whitespace().collect();
    let looped = collapse_loops(&words);
    let out = drop_near_echoes(&looped.join(" "));
    let key = normalise(&out);
    if INVENTED.contains(&key.as_str()) {
        return String::new();
    }
    out
}

fn normalise(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Removes `[…]`, `(…)` and `*…*` spans: Whisper's way of writing sounds.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut close: Option<char> = None;
    for c in text.chars() {
        match close {
            Some(end) if c == end => close = None,
            Some(_) => {}
            None => match c {
                '[' => close = Some(']'),
                '(' => close = Some(')'),
                '*' => close = Some('*'),
                '"' | '“' | '”' => {}
                _ => out.push(c),
            },
        }
    }
    // Punctuation left alone by a removed tag ("so , and") is tidied.
    out.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words at least this many long, said twice in a row, are the decoder
/// looping over a short chunk (a whole sentence echoed), not speech.
const ECHO_MIN_WORDS: usize = 7;

/// A shorter sentence is an echo only when repeated word for word (by hand,
/// 2026-12-06: "Each environment has its own state." written twice from
/// one saying of it).
const ECHO_EXACT_MIN_WORDS: usize = 4;

/// A phrase of 1–6 words repeated three or more times in a row, or one of
/// seven words or more repeated at all, is said once.
fn collapse_loops<'a>(words: &[&'a str]) -> Vec<&'a str> {
    let key = |w: &str| normalise(w);
    let mut out: Vec<&'a str> = Vec::with_capacity(words.len());
    let mut i = 0;
    'outer: while i < words.len() {
        for n in (1..=(words.len() - i) / 2).rev() {
            let reps = count_repeats(words, i, n, key);
            if reps >= 3 || (reps >= 2 && n >= ECHO_MIN_WORDS) {
                out.extend_from_slice(&words[i..i + n]);
                i += n * reps;
                continue 'outer;
            }
        }
        out.push(words[i]);
        i += 1;
    }
    out
}

/// A sentence of seven words or more followed by itself with at most one
/// word in five changed ("…scaler when the load goes up. …scaler is when
/// the load goes up."), or of four or more followed by itself word for
/// word, is the decoder echoing it: kept once.
fn drop_near_echoes(text: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for sentence in text.split_inclusive(['.', '?', '!']) {
        let echo = kept.last().is_some_and(|prev| {
            let (edits, n) = super::wer::edits(sentence, prev);
            (n >= ECHO_MIN_WORDS && edits * 5 <= n) || (n >= ECHO_EXACT_MIN_WORDS && edits == 0)
        });
        if !echo {
            kept.push(sentence);
        }
    }
    kept.concat().trim().to_string()
}

fn count_repeats(words: &[&str], at: usize, n: usize, key: impl Fn(&str) -> String) -> usize {
    if at + n > words.len() {
        return 0;
    }
    let first: Vec<String> = words[at..at + n].iter().map(|w| key(w)).collect();
    let mut reps = 1;
    while at + (reps + 1) * n <= words.len()
        && words[at + reps * n..at + (reps + 1) * n]
            .iter()
            .map(|w| key(w))
            .eq(first.iter().cloned())
    {
        reps += 1;
    }
    reps
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn non_speech_tags_never_reach_the_transcript() {
        assert_eq!(clean("[BLANK_AUDIO]"), "");
        assert_eq!(clean(" (music) "), "");
        assert_eq!(
            clean("The scheduler [inaudible] places pods."),
            "The scheduler places pods."
        );
        assert_eq!(clean("*laughs* Well, it depends."), "Well, it depends.");
        assert_eq!(clean("(clow-nab-ar-stick)"), "");
        assert_eq!(
            clean("\"Pod is the smallest unit.\" It wraps “containers”."),
            "Pod is the smallest unit. It wraps containers."
        );
        assert_eq!(clean("\"Pause\""), "Pause");
    }

    #[test]
    fn invented_phrases_over_silence_are_dropped() {
        assert_eq!(clean("Thanks for watching!"), "");
        assert_eq!(clean(" Thank you."), "");
        // …but not when they are part of an answer.
        assert_eq!(
            clean("Thank you. So the readiness probe gates traffic."),
            "Thank you. So the readiness probe gates traffic."
        );
    }

    #[test]
    fn phrase_loops_are_said_once() {
        assert_eq!(
            clean("and then the pod, the pod, the pod, the pod, restarts"),
            "and then the pod, restarts"
        );
        assert_eq!(clean("I think I think I think so"), "I think so");
        // Two in a row is speech, not a loop.
        assert_eq!(clean("very very fast"), "very very fast");
        assert_eq!(
            clean("I check it. I check it. Then I fix it."),
            "I check it. I check it. Then I fix it."
        );
    }

    #[test]
    fn a_sentence_echoed_by_the_decoder_is_said_once() {
        // Seen live: tiny.en wrote each sentence of a short chunk twice.
        assert_eq!(
            clean(
                "First, I check the pod status and the recent events with Kubectl describe. \
                 First, I check the pod status and the recent events with Kubectl describe."
            ),
            "First, I check the pod status and the recent events with Kubectl describe."
        );
        assert_eq!(
            clean("So the scheduler places the pod on a node. So the scheduler places the pod on a node. Then it runs."),
            "So the scheduler places the pod on a node. Then it runs."
        );
    }

    /// Live round, 2026-12-05: a chunk came back with its one sentence
    /// twice, one word different the second time.
    #[test]
    fn a_sentence_echoed_with_a_word_changed_is_said_once() {
        assert_eq!(
            clean(
                "The horizontal product of scalar and replica when the average utilization goes up. \
                 The horizontal product of scalar and replica is when the average utilization goes up."
            ),
            "The horizontal product of scalar and replica when the average utilization goes up."
        );
        assert_eq!(
            clean("Each environment has its own state. Each environment has its own state. And nobody edits it."),
            "Each environment has its own state. And nobody edits it."
        );
        // A short sentence said twice may be said twice; so are two
        // different sentences that share most words both speech.
        let t = "Check the logs. Check the logs.";
        assert_eq!(clean(t), t);
        let t = "The readiness probe gates traffic to the pod. The liveness probe restarts the pod when it hangs.";
        assert_eq!(clean(t), t);
    }
}
