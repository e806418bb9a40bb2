//! The filler-keeping Whisper pass: a prompt written with fillers makes
//! Whisper transcribe them instead of cleaning them away, and token
//! timestamps give each word its time.
//!
//! Whisper's token times over a whole take drift badly across silences (by
//! hand, 2026-12-07: a STAR take's first sentence was timed 0:00–0:28 for
//! five seconds of speech, and its last word ran to the end of the
//! recording as `[BLANK_AUDIO]`). So the take is cut where the VAD hears
//! pauses ([`utterances`]), each utterance is transcribed on its own, and
//! its words are kept inside the span its voice covers.

use super::Word;
use crate::stt::whisper::{auto_audio_ctx, WhisperTranscriber};
use crate::stt::SttError;
use whisper_rs::{FullParams, SamplingStrategy};

/// Primes Whisper to keep disfluencies.
pub const FILLER_PROMPT: &str =
    "Um, so, uh, I think, like, you know, we had, um, a problem. Uh, basically, I, like, fixed it.";

/// Length of one VAD decision (30 ms at 16 kHz).
const FRAME_MS: usize = 30;
/// Silences shorter than this join two runs of speech into one utterance.
const JOIN_MS: usize = 600;
/// Runs of speech shorter than this in all are noise, not words.
const MIN_VOICE_MS: usize = 120;
/// An utterance longer than this is cut at its longest pause (Whisper's
/// window is 30 s).
const MAX_UTTERANCE_MS: usize = 25_000;
/// Audio kept before and after an utterance's voice (the VAD hears a word
/// a moment after it begins and stops before it fades).
const PAD_BEFORE_MS: usize = 200;
const PAD_AFTER_MS: usize = 300;

/// Utterances in per-frame speech decisions ([`FRAME_MS`] each): frame
/// ranges `[start, end)` from first to last voiced frame, split at
/// silences of [`JOIN_MS`] or more, noise-length blips dropped.
pub fn utterances(speech: &[bool]) -> Vec<(usize, usize)> {
    let join = JOIN_MS / FRAME_MS;
    let mut out: Vec<(usize, usize, usize)> = Vec::new(); // start, end, voiced
    for (i, _) in speech.iter().enumerate().filter(|(_, v)| **v) {
        match out.last_mut() {
            Some((_, end, voiced)) if i - *end < join => {
                *end = i + 1;
                *voiced += 1;
            }
            _ => out.push((i, i + 1, 1)),
        }
    }
    let mut spans = Vec::new();
    for (s, e, voiced) in out {
        if voiced * FRAME_MS >= MIN_VOICE_MS {
            split_long(speech, s, e, &mut spans);
        }
    }
    spans
}

/// Pushes `[s, e)` cut at its longest silences until no piece is over
/// [`MAX_UTTERANCE_MS`].
fn split_long(speech: &[bool], s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    let max = MAX_UTTERANCE_MS / FRAME_MS;
    if e - s <= max {
        out.push((s, e));
        return;
    }
    // The middle of the longest silence inside; none: half the length.
    let (mut best, mut best_len, mut run) = ((s + e) / 2, 0, 0);
    for (i, &voiced) in speech.iter().enumerate().take(e).skip(s) {
        if voiced {
            if run > best_len {
                best_len = run;
                best = i - run / 2;
            }
            run = 0;
        } else {
            run += 1;
        }
    }
    let cut = best.clamp(s + 1, e - 1);
    split_long(speech, s, cut, out);
    split_long(speech, cut, e, out);
}

/// The words of `samples` (16 kHz mono, with its per-frame speech decisions
/// `speech`) with fillers kept and times in ms. `prompt` (the vocabulary's
/// terms) follows the filler prompt.
pub fn timed_words(
    stt: &mut WhisperTranscriber,
    samples: &[f32],
    speech: &[bool],
    prompt: Option<&str>,
) -> Result<Vec<Word>, SttError> {
    let per_ms = 16;
    let prompt = match prompt.filter(|p| !p.trim().is_empty()) {
        Some(p) => format!("{FILLER_PROMPT} {p}"),
        None => FILLER_PROMPT.to_string(),
    };
    let mut words = Vec::new();
    for (s, e) in utterances(speech) {
        let (voice_from, voice_to) = (s * FRAME_MS, e * FRAME_MS);
        let from = voice_from.saturating_sub(PAD_BEFORE_MS);
        let to = (voice_to + PAD_AFTER_MS).min(samples.len() / per_ms);
        if to <= from {
            continue;
        }
        let clip = &samples[from * per_ms..to * per_ms];
        let mut heard = decode(stt, clip, &prompt, true)?;
        let secs = clip.len() as f64 / 16_000.0;
        if heard.len() as f64 > secs * 5.0 + 3.0 {
            // A shortened encoder window can make Whisper run on.
            heard = decode(stt, clip, &prompt, false)?;
        }
        let heard = drop_tags(heard);
        let text: Vec<&str> = heard.iter().map(|w| w.text.as_str()).collect();
        if crate::stt::hygiene::clean(&text.join(" ")).is_empty() {
            continue; // noise Whisper wrote words for
        }
        words.extend(spread(heard, &speech[s..e], voice_from as u64));
    }
    Ok(words)
}

/// Times `words` (one utterance) by their share of its characters, laid
/// over its voiced frames (`speech`, the utterance's frames, starting at
/// `from` ms): Whisper's own token times squeeze a sentence into a fraction
/// of a second and stretch the next over a pause (by hand, 2026-12-07),
/// while speech keeps a steady pace within an utterance.
fn spread(words: Vec<Word>, speech: &[bool], from: u64) -> Vec<Word> {
    let voiced: Vec<u64> = (0..speech.len())
        .filter(|&i| speech[i])
        .map(|i| from + (i * FRAME_MS) as u64)
        .collect();
    let chars: usize = words.iter().map(|w| w.text.chars().count() + 1).sum();
    if voiced.is_empty() || chars == 0 {
        return words;
    }
    let at = |c: usize| {
        let k = (c * voiced.len() / chars).min(voiced.len() - 1);
        voiced[k]
    };
    let mut c = 0;
    words
        .into_iter()
        .map(|w| {
            let n = w.text.chars().count() + 1;
            let start_ms = at(c);
            c += n;
            let end_ms = (at(c.saturating_sub(1)) + FRAME_MS as u64).max(start_ms);
            Word {
                start_ms,
                end_ms,
                ..w
            }
        })
        .collect()
}

/// One greedy pass over `clip` with token timestamps; times from its start.
fn decode(
    stt: &mut WhisperTranscriber,
    clip: &[f32],
    prompt: &str,
    short_window: bool,
) -> Result<Vec<Word>, SttError> {
    let (state, eot) = stt.raw_state();
    let mut params = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
    params.set_n_threads(crate::stt::default_threads() as i32);
    params.set_print_special(false);
    params.set_print_progress(false);
    params.set_print_realtime(false);
    params.set_print_timestamps(false);
    params.set_suppress_blank(true);
    params.set_language(Some("en"));
    params.set_initial_prompt(prompt);
    params.set_token_timestamps(true);
    params.set_single_segment(false);
    let mut input = clip.to_vec();
    if input.len() < 17_600 {
        input.resize(17_600, 0.0);
    }
    if short_window {
        params.set_audio_ctx(auto_audio_ctx(input.len() as f64 / 16_000.0) as i32);
    }
    state
        .full(params, &input)
        .map_err(|e| SttError::Decode(e.to_string()))?;
    let mut words: Vec<Word> = Vec::new();
    for seg in state.as_iter() {
        for i in 0..seg.n_tokens() {
            let Some(tok) = seg.get_token(i) else {
                continue;
            };
            if tok.token_id() >= eot {
                continue; // timestamps and special tokens
            }
            let text = tok
                .to_str_lossy()
                .map(|t| t.to_string())
                .unwrap_or_default();
            if text.is_empty() {
                continue;
            }
            let d = tok.token_data();
            let (t0, t1) = ((d.t0.max(0) as u64) * 10, (d.t1.max(0) as u64) * 10);
            let starts_word = text.starts_with(' ') || words.is_empty();
            match words.last_mut() {
                Some(w) if !starts_word => {
                    w.text.push_str(&text);
                    w.end_ms = w.end_ms.max(t1);
                }
                _ => words.push(Word {
                    text: text.trim().to_string(),
                    start_ms: t0,
                    end_ms: t1.max(t0),
                }),
            }
        }
    }
    words.retain(|w| !w.text.trim().is_empty());
    Ok(words)
}

/// Words without Whisper's non-speech tags (`[BLANK_AUDIO]`, `(music)`,
/// `*laughs*`, also when split over several words) or quotation marks.
fn drop_tags(words: Vec<Word>) -> Vec<Word> {
    let mut out = Vec::with_capacity(words.len());
    let mut close: Option<char> = None;
    for mut w in words {
        if let Some(c) = close {
            if w.text.contains(c) {
                close = None;
            }
            continue;
        }
        let open = match w.text.chars().next() {
            Some('[') => Some(']'),
            Some('(') => Some(')'),
            Some('*') => Some('*'),
            _ => None,
        };
        if let Some(c) = open {
            if !w.text[1..].contains(c) {
                close = Some(c);
            }
            continue;
        }
        w.text = w.text.replace(['"', '“', '”'], "");
        if w.text.chars().any(char::is_alphanumeric) {
            out.push(w);
        }
    }
    out
}

/// Jargon Whisper misheard, spelled as the vocabulary spells it, utterance
/// by utterance (a pause ends one), so the words keep their times.
pub fn respell(vocab: &crate::vocab::Vocabulary, words: &mut Vec<Word>) {
    let mut out = Vec::with_capacity(words.len());
    let mut start = 0;
    for i in 0..words.len() {
        let last = i + 1 == words.len() || words[i + 1].start_ms > words[i].end_ms + 500;
        if !last {
            continue;
        }
        let part = &words[start..=i];
        let text: Vec<&str> = part.iter().map(|w| w.text.as_str()).collect();
        let rewritten = vocab.rewrite(&text.join(" ")).text;
        let new: Vec<&str> = rewritten.split_whitespace().collect();
        if new.len() == part.len() {
            out.extend(part.iter().zip(&new).map(|(w, t)| Word {
                text: t.to_string(),
                ..w.clone()
            }));
        } else {
            // Words joined or split: spread the new words over the span.
            let (a, b) = (part[0].start_ms, part[part.len() - 1].end_ms);
            let n = new.len().max(1) as u64;
            out.extend(new.iter().enumerate().map(|(k, t)| Word {
                text: t.to_string(),
                start_ms: a + (b - a) * k as u64 / n,
                end_ms: a + (b - a) * (k as u64 + 1) / n,
            }));
        }
        start = i + 1;
    }
    *words = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(pattern: &[(bool, usize)]) -> Vec<bool> {
        pattern
            .iter()
            .flat_map(|&(v, ms)| std::iter::repeat(v).take(ms / FRAME_MS))
            .collect()
    }

    fn word(text: &str) -> Word {
        Word {
            text: text.into(),
            start_ms: 0,
            end_ms: 0,
        }
    }

    #[test]
    fn utterances_split_at_pauses_and_join_across_short_gaps() {
        let speech = frames(&[
            (false, 8_010),
            (true, 3_000),
            (false, 300), // a breath: same utterance
            (true, 1_980),
            (false, 2_010), // a pause: a new one
            (true, 4_020),
            (false, 9_990),
        ]);
        let u = utterances(&speech);
        assert_eq!(u.len(), 2, "{u:?}");
        assert_eq!(u[0].0 * FRAME_MS, 8_010);
        assert_eq!(u[0].1 * FRAME_MS, 8_010 + 5_280);
        assert_eq!(u[1].1 * FRAME_MS, 8_010 + 5_280 + 2_010 + 4_020);
    }

    #[test]
    fn a_blip_of_noise_is_no_utterance() {
        let speech = frames(&[(false, 3_000), (true, 60), (false, 3_000)]);
        assert!(utterances(&speech).is_empty());
    }

    #[test]
    fn a_long_utterance_is_cut_at_its_longest_pause() {
        // 40 s of speech with 300-ms breaths every 5 s, one 540-ms pause at 21 s.
        let mut p = Vec::new();
        for i in 0..8 {
            p.push((true, 4_980));
            p.push((false, if i == 3 { 540 } else { 300 }));
        }
        let speech = frames(&p);
        let u = utterances(&speech);
        assert_eq!(u.len(), 2, "{u:?}");
        let cut = u[0].1 * FRAME_MS;
        assert!(
            (4 * 4_980 + 900..4 * 4_980 + 900 + 540).contains(&cut),
            "{cut}"
        );
        assert!(u
            .iter()
            .all(|(s, e)| (e - s) * FRAME_MS <= MAX_UTTERANCE_MS));
    }

    #[test]
    fn words_are_spread_over_the_voice_not_its_pauses() {
        // 1 s of voice, a 450-ms breath, 1 s of voice, from 5 s in.
        let speech = frames(&[(true, 990), (false, 450), (true, 990)]);
        let ws = ["aaaa", "bbbb", "cccc", "dddd"].map(word).to_vec();
        let t = spread(ws, &speech, 5_000);
        assert_eq!(t[0].start_ms, 5_000);
        assert_eq!(t[2].start_ms, 5_000 + 990 + 450, "{t:?}");
        assert!(t[1].end_ms <= 5_000 + 990, "{t:?}");
        assert!(t[3].end_ms <= 5_000 + 990 + 450 + 990, "{t:?}");
        assert!(t.windows(2).all(|p| p[0].end_ms <= p[1].start_ms), "{t:?}");
    }

    #[test]
    fn respelling_keeps_each_utterances_span() {
        let v = crate::vocab::Vocabulary::builtin().unwrap();
        let timed = |t: &str, s: u64, e: u64| Word {
            text: t.into(),
            start_ms: s,
            end_ms: e,
        };
        let mut ws = vec![
            timed("we", 1_000, 1_200),
            timed("ran", 1_200, 1_500),
            timed("cube", 1_500, 1_800),
            timed("control", 1_800, 2_300),
            timed("apply.", 2_300, 2_800),
            timed("Then", 4_000, 4_300),
            timed("it", 4_300, 4_500),
            timed("worked.", 4_500, 5_000),
        ];
        respell(&v, &mut ws);
        let text: Vec<&str> = ws.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            text,
            ["we", "ran", "kubectl", "apply.", "Then", "it", "worked."]
        );
        assert_eq!(ws[0].start_ms, 1_000);
        assert_eq!(ws[3].end_ms, 2_800);
        assert_eq!(
            ws[4].start_ms, 4_000,
            "the second utterance keeps its times"
        );
    }

    #[test]
    fn tags_are_dropped_whole_also_over_several_words() {
        let ws = [
            "So",
            "[BLANK_AUDIO]",
            "we",
            "(upbeat",
            "music)",
            "\"shipped\"",
            "it.",
        ]
        .map(word)
        .to_vec();
        let kept: Vec<String> = drop_tags(ws).into_iter().map(|w| w.text).collect();
        assert_eq!(kept, ["So", "we", "shipped", "it."]);
    }
}
