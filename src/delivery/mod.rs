//! How an answer was delivered, as opposed to what it said: words per minute,
//! filler words per minute, pauses longer than 2.5 s, and the answer's length
//! against the question's expected length.
//!
//! In: the answer's 16 kHz audio. Whisper drops fillers from clean
//! transcripts, so [`words::timed_words`] runs a pass primed with a
//! filler-laden prompt and token timestamps; pauses are measured on the audio
//! itself with the WebRTC VAD (Whisper's timestamps smear silences).
//! Out: [`Delivery`], pure from [`Word`]s and per-frame speech decisions.

mod fillers;
pub mod session;
pub mod words;

pub use fillers::{count_fillers, is_filler_at};

use serde::{Deserialize, Serialize};

/// A coaching band for speaking rate.
pub const WPM_BAND: (f64, f64) = (130.0, 160.0);
/// Silences longer than this inside an answer are reported.
pub const LONG_PAUSE_MS: u64 = 2_500;

/// One transcribed word with when it was said (ms from the clip start).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    /// As Whisper wrote it, punctuation included.
    pub text: String,
    pub start_ms: u64,
    pub end_ms: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error(transparent)]
    Stt(#[from] crate::stt::SttError),
    #[error(transparent)]
    Audio(#[from] crate::audio::AudioError),
}

/// The delivery measurements of one spoken answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    /// First to last voiced frame.
    pub duration_ms: u64,
    /// Words that are not fillers.
    pub words: usize,
    pub wpm: f64,
    pub fillers: usize,
    pub fillers_per_min: f64,
    /// Filler → count, most frequent first.
    pub filler_counts: Vec<(String, usize)>,
    /// (start ms from the first word, length ms) of each silence longer
    /// than [`LONG_PAUSE_MS`] (from the first word, as `duration_ms` is: a
    /// STAR take begun after 57 s of thought listed "4.2 s at 0:59" in a
    /// 0:38 answer, 2026-12-08).
    pub long_pauses: Vec<(u64, u64)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_ms: Option<u64>,
}

impl Delivery {
    /// `142 wpm (in the 130–160 band) · 3.1 fillers/min (um ×2, like ×1) · 1 pause > 2.5 s (3.4 s at 0:21) · 1:40 of ~2:00 expected`.
    pub fn summary(&self) -> String {
        let band = if self.wpm < WPM_BAND.0 {
            "slower than the 130–160 band"
        } else if self.wpm > WPM_BAND.1 {
            "faster than the 130–160 band"
        } else {
            "in the 130–160 band"
        };
        let fillers = if self.filler_counts.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = self
                .filler_counts
                .iter()
                .map(|(f, n)| format!("{f} ×{n}"))
                .collect();
            format!(" ({})", list.join(", "))
        };
        let pauses = match self.long_pauses.len() {
            0 => "no pauses > 2.5 s".to_string(),
            n => {
                let at: Vec<String> = self
                    .long_pauses
                    .iter()
                    .map(|(s, l)| {
                        format!(
                            "{:.1} s at {}",
                            *l as f64 / 1000.0,
                            crate::transcript::duration(*s)
                        )
                    })
                    .collect();
                format!(
                    "{n} pause{} > 2.5 s ({})",
                    if n == 1 { "" } else { "s" },
                    at.join(", ")
                )
            }
        };
        let length = match self.expected_ms {
            Some(e) => format!(
                "{} of ~{} expected",
                crate::transcript::duration(self.duration_ms),
                crate::transcript::duration(e)
            ),
            None => crate::transcript::duration(self.duration_ms),
        };
        format!(
            "{:.0} wpm ({band}) · {:.1} fillers/min{fillers} · {pauses} · {length}",
            self.wpm, self.fillers_per_min
        )
    }
}

/// Silences longer than `min_ms` between the first and last speech (start
/// from the first speech, length), from
/// per-frame speech decisions (`frame_ms` each). Speech bursts shorter than
/// 90 ms (a click, a breath) do not end a silence.
pub fn pauses(speech: &[bool], frame_ms: u64, min_ms: u64) -> Vec<(u64, u64)> {
    // Smooth: a voiced run shorter than 3 frames counts as silence.
    let mut s = speech.to_vec();
    let mut i = 0;
    while i < s.len() {
        if s[i] {
            let j = (i..s.len()).find(|&k| !s[k]).unwrap_or(s.len());
            if j - i < 3 {
                s[i..j].iter_mut().for_each(|x| *x = false);
            }
            i = j;
        } else {
            i += 1;
        }
    }
    let (Some(first), Some(last)) = (s.iter().position(|x| *x), s.iter().rposition(|x| *x)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut run_start = None;
    for (k, voiced) in s.iter().enumerate().take(last + 1).skip(first) {
        match (voiced, run_start) {
            (false, None) => run_start = Some(k),
            (true, Some(a)) => {
                let len = (k - a) as u64 * frame_ms;
                if len > min_ms {
                    out.push(((a - first) as u64 * frame_ms, len));
                }
                run_start = None;
            }
            _ => {}
        }
    }
    out
}

/// Speech decisions for every 30-ms frame of `samples` (16 kHz).
pub fn speech_frames(samples: &[f32]) -> Vec<bool> {
    use crate::vad::{VoiceDetector, WebRtcVad, FRAME};
    let mut vad = WebRtcVad::default();
    samples
        .chunks_exact(FRAME)
        .map(|f| vad.is_speech(f))
        .collect()
}

/// Delivery of one answer from its words and speech frames (30 ms each).
pub fn measure(words: &[Word], speech: &[bool], expected_ms: Option<u64>) -> Delivery {
    let frame_ms = 30;
    let voiced: Vec<usize> = speech
        .iter()
        .enumerate()
        .filter(|(_, v)| **v)
        .map(|(i, _)| i)
        .collect();
    let duration_ms = match (voiced.first(), voiced.last()) {
        (Some(a), Some(b)) => (b + 1 - a) as u64 * frame_ms,
        // No VAD decisions (text only): the words' own span.
        _ => match (words.first(), words.last()) {
            (Some(a), Some(b)) => b.end_ms.saturating_sub(a.start_ms),
            _ => 0,
        },
    };
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let filler_counts = count_fillers(&texts);
    let fillers: usize = filler_counts.iter().map(|(_, n)| n).sum();
    let filler_words: usize = filler_counts
        .iter()
        .map(|(f, n)| f.split_whitespace().count() * n)
        .sum();
    let content = texts
        .iter()
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .count()
        .saturating_sub(filler_words);
    let minutes = duration_ms as f64 / 60_000.0;
    let per_min = |n: usize| {
        if minutes > 0.0 {
            n as f64 / minutes
        } else {
            0.0
        }
    };
    Delivery {
        duration_ms,
        words: content,
        wpm: per_min(content),
        fillers,
        fillers_per_min: per_min(fillers),
        filler_counts,
        long_pauses: pauses(speech, frame_ms, LONG_PAUSE_MS),
        expected_ms,
    }
}

/// Measures a recorded answer: the VAD, then the filler-keeping Whisper
/// pass over each utterance it finds (`prompt`: vocabulary terms).
pub fn analyze(
    samples: &[f32],
    stt: &mut crate::stt::whisper::WhisperTranscriber,
    expected_ms: Option<u64>,
    prompt: Option<&str>,
) -> Result<(Delivery, Vec<Word>), DeliveryError> {
    let speech = speech_frames(samples);
    let words = words::timed_words(stt, samples, &speech, prompt)?;
    let d = measure(&words, &speech, expected_ms);
    Ok((d, words))
}

#[cfg(test)]
mod tests;
