//! The filler-keeping Whisper pass: a prompt written with fillers makes
//! Whisper transcribe them instead of cleaning them away, and token
//! timestamps give each word its time.

use super::Word;
use crate::stt::whisper::WhisperTranscriber;
use crate::stt::SttError;
use whisper_rs::{FullParams, SamplingStrategy};

/// Primes Whisper to keep disfluencies.
pub const FILLER_PROMPT: &str =
    "Um, so, uh, I think, like, you know, we had, um, a problem. Uh, basically, I, like, fixed it.";

/// The words of `samples` (16 kHz mono) with fillers kept and times in ms.
pub fn timed_words(stt: &mut WhisperTranscriber, samples: &[f32]) -> Result<Vec<Word>, SttError> {
    let (state, eot) = stt.raw_state();
    let mut params = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
    params.set_n_threads(
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2) as i32,
    );
    params.set_print_special(false);
    params.set_print_progress(false);
    params.set_print_realtime(false);
    params.set_print_timestamps(false);
    params.set_suppress_blank(true);
    params.set_language(Some("en"));
    params.set_initial_prompt(FILLER_PROMPT);
    params.set_token_timestamps(true);
    let mut input = samples.to_vec();
    if input.len() < 17_600 {
        input.resize(17_600, 0.0);
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
            let glue = !starts_word;
            match words.last_mut() {
                Some(w) if glue => {
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
