//! A decode that writes more words than the audio could hold: Whisper
//! sometimes keeps going after the speech ends, repeating and varying what
//! it heard ("What is the difference … what is the difference that we mean
//! and I am role …": 108 words from 5 s of a question, measured with `eval
//! voice`). Nobody speaks faster than [`MAX_WORDS_PER_SEC`], so a transcript
//! longer than that is the decoder running on; [`WhisperTranscriber`]
//! decodes such a clip once more with the full encoder window and, if it
//! still overruns, keeps only what fits ([`trim`]).
//!
//! [`WhisperTranscriber`]: super::whisper::WhisperTranscriber

use super::{Segment, Transcript};

/// 300 words a minute: faster than fast conversational speech (160–200)
/// and than the quickest speakers recorded in broadcast (about 250).
pub const MAX_WORDS_PER_SEC: f64 = 5.0;

/// Words any clip may hold beyond the rate: a one-second chunk can be
/// "so, um, yeah, I think" written in full.
const SLACK_WORDS: usize = 4;

/// The most words `secs` of audio can hold.
pub fn words_possible(secs: f64) -> usize {
    (secs.max(0.0) * MAX_WORDS_PER_SEC).ceil() as usize + SLACK_WORDS
}

/// Tokens one segment of a decode of `secs` of audio may take: three for
/// each word the audio can hold (jargon splits into several, punctuation
/// adds some) and a segment's timestamps. A decoder caught repeating itself
/// otherwise runs on to whisper.cpp's 220-token limit in each of its beams,
/// fails, and does it again at each higher temperature: a 1.4-s clip took
/// 4.0 s to decode where its neighbours took 0.6 (measured with `mockint
/// transcribe`), and a spoken "Let's continue." took 4–6.7 s to be heard in
/// a paused session (`saying_what_the_paused_screen_asks_for_resumes`).
pub fn tokens_possible(secs: f64) -> i32 {
    (3 * words_possible(secs) + 8).min(i32::MAX as usize) as i32
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// True when the transcript holds more words than `secs` of audio can.
pub fn overruns(t: &Transcript, secs: f64) -> bool {
    t.segments.iter().map(|s| words(&s.text)).sum::<usize>() > words_possible(secs)
}

/// What of an overrunning transcript can have been said: segments that start
/// within the audio, in order, until the clip's word budget is spent (the
/// segment that spends it is cut at the budget).
pub fn trim(t: &Transcript, secs: f64) -> Transcript {
    let end_ms = (secs * 1000.0) as i64;
    let mut budget = words_possible(secs);
    let mut segments: Vec<Segment> = Vec::new();
    for seg in &t.segments {
        if budget == 0 || (seg.start_ms >= end_ms && !segments.is_empty()) {
            break;
        }
        let n = words(&seg.text);
        let mut kept = seg.clone();
        if n > budget {
            kept.text = seg
                .text
                .split_whitespace()
                .take(budget)
                .collect::<Vec<_>>()
                .join(" ");
        }
        budget -= n.min(budget);
        segments.push(kept);
    }
    Transcript { segments }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(start_ms: i64, end_ms: i64, text: &str) -> Segment {
        Segment {
            start_ms,
            end_ms,
            text: text.into(),
            mean_token_prob: 0.9,
            no_speech_prob: 0.0,
        }
    }

    #[test]
    fn a_question_read_at_speaking_pace_fits() {
        // 18 words in 5.2 s (the IAM question as Piper says it).
        let t = Transcript {
            segments: vec![seg(
                0,
                5200,
                "What is the difference between an IAM role and an IAM user, and when do you use each?",
            )],
        };
        assert!(!overruns(&t, 5.2));
        // A short chunk with a burst of fillers still fits.
        let t = Transcript {
            segments: vec![seg(0, 900, "So, um, yeah, I think")],
        };
        assert!(!overruns(&t, 0.9));
    }

    #[test]
    fn a_decoder_running_on_after_the_speech_overruns_and_is_trimmed() {
        let said = "What is the difference between an I am role and an I am user and when do you use each?";
        let on = "What is the difference what is the difference that we mean and I am role and then I am wrong and I am user";
        let t = Transcript {
            segments: vec![
                seg(0, 5200, said),
                seg(5200, 12_000, on),
                seg(12_000, 20_000, on),
                seg(20_000, 28_000, on),
            ],
        };
        assert!(overruns(&t, 5.2));
        let kept = trim(&t, 5.2);
        assert_eq!(
            kept.text(),
            said,
            "segments starting after the audio are dropped"
        );
        assert!(!overruns(&kept, 5.2));
    }

    #[test]
    fn a_single_overrunning_segment_is_cut_at_the_budget() {
        let text = vec!["pod"; 60].join(" ");
        let t = Transcript {
            segments: vec![seg(0, 3000, &text)],
        };
        let kept = trim(&t, 3.0);
        assert_eq!(words(&kept.text()), words_possible(3.0));
    }

    #[test]
    fn a_decode_may_take_three_tokens_a_word_the_audio_can_hold() {
        // A 1.4-s command: room for "Let's continue." many times over, not
        // for whisper.cpp's 220 tokens of a decoder repeating itself.
        assert_eq!(tokens_possible(1.4), 3 * (7 + 4) + 8);
        assert!(tokens_possible(1.4) < 220 / 4);
        // A jargon-heavy answer at a fast 4 words a second, two tokens a
        // word, fits with room.
        let fast = 4.0 * 10.0 * 2.0 + 4.0;
        assert!(f64::from(tokens_possible(10.0)) > 1.5 * fast);
        assert!(tokens_possible(25.0) > tokens_possible(10.0));
    }
}
