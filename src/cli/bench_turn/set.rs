//! The end-of-turn benchmark's answers: texts with pauses
//! (`tests/fixtures/turn_bench/*.txt`), the speech `scripts/make-turn-bench-set.sh`
//! synthesised for each line, and the assembled audio with its timeline.
//!
//! Format: `== ID EXPECTED_SECONDS` starts an answer; each text line is
//! spoken; a line `<S>` is a pause of S seconds. A pause after text ending in
//! `.`, `?` or `!` is [`PauseKind::Complete`] (a finished sentence with more
//! to come), after "let me think." it is [`PauseKind::Think`], otherwise
//! [`PauseKind::Incomplete`]. `#` lines are comments.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PauseKind {
    Incomplete,
    Complete,
    Think,
}

impl PauseKind {
    pub fn label(self) -> &'static str {
        match self {
            PauseKind::Incomplete => "after an incomplete clause",
            PauseKind::Complete => "after a complete sentence",
            PauseKind::Think => "after \"let me think\"",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Say(String),
    Pause(f64),
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub id: String,
    pub expected_seconds: u32,
    pub parts: Vec<Part>,
}

#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {what}")]
pub struct SetError {
    pub file: String,
    pub line: usize,
    pub what: String,
}

pub fn parse(file: &str, text: &str) -> Result<Vec<Answer>, SetError> {
    let err = |line: usize, what: &str| SetError {
        file: file.to_string(),
        line,
        what: what.to_string(),
    };
    let mut out: Vec<Answer> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(head) = line.strip_prefix("==") {
            let mut w = head.split_whitespace();
            let (Some(id), Some(secs)) = (w.next(), w.next()) else {
                return Err(err(i + 1, "expected `== ID EXPECTED_SECONDS`"));
            };
            let expected_seconds = secs
                .parse()
                .map_err(|_| err(i + 1, "expected seconds must be a whole number"))?;
            out.push(Answer {
                id: id.to_string(),
                expected_seconds,
                parts: Vec::new(),
            });
            continue;
        }
        let Some(a) = out.last_mut() else {
            return Err(err(i + 1, "text before the first `== ID` line"));
        };
        let pause = line
            .strip_prefix('<')
            .and_then(|l| l.strip_suffix('>'))
            .and_then(|l| l.parse::<f64>().ok());
        match pause {
            Some(s) if s > 0.0 => a.parts.push(Part::Pause(s)),
            Some(_) => return Err(err(i + 1, "a pause must be positive")),
            None => a.parts.push(Part::Say(line.to_string())),
        }
    }
    for a in &out {
        if !matches!(a.parts.first(), Some(Part::Say(_)))
            || !matches!(a.parts.last(), Some(Part::Say(_)))
        {
            return Err(err(0, &format!("{}: must start and end with speech", a.id)));
        }
    }
    Ok(out)
}

/// The kind of a pause that follows `text`.
pub fn kind_after(text: &str) -> PauseKind {
    let t = text.trim_end().to_lowercase();
    if t.ends_with("let me think.") {
        PauseKind::Think
    } else if t.ends_with(['.', '?', '!']) {
        PauseKind::Complete
    } else {
        PauseKind::Incomplete
    }
}

/// What the synthesiser is given for a line (markup a voice would spell out
/// removed).
pub fn spoken(text: &str) -> String {
    text.replace(['`', '*'], "")
}

/// The file `scripts/make-turn-bench-set.sh` writes for a line in a voice.
pub fn clip_path(dir: &Path, voice: &str, text: &str) -> PathBuf {
    let h = Sha256::digest(spoken(text).as_bytes());
    dir.join(voice)
        .join(format!("{}.wav", &hex::encode(h)[..16]))
}

/// A pause in the assembled audio (sample positions).
#[derive(Debug, Clone)]
pub struct Gap {
    pub start: u64,
    pub end: u64,
    pub kind: PauseKind,
}

/// One answer as heard: audio, where its pauses are, where speech ends.
#[derive(Debug, Clone)]
pub struct Assembled {
    pub samples: Vec<f32>,
    pub gaps: Vec<Gap>,
    /// Each spoken line: where it is, and its text.
    pub lines: Vec<(u64, u64, String)>,
    pub speech_start: u64,
    pub speech_end: u64,
}

/// Lead-in silence before each answer and the silence after it (longer than
/// any silence rule, so every turn ends).
pub const LEAD_S: f64 = 1.0;
pub const TAIL_S: f64 = 12.0;

/// Leading and trailing near-silence of a synthesised clip removed (10-ms
/// windows under −48 dBFS), so pauses are exactly as written.
pub fn trim(clip: &[f32]) -> &[f32] {
    let loud = |w: &[f32]| crate::vad::rms(w) > 0.004;
    let windows: Vec<bool> = clip.chunks(160).map(loud).collect();
    let first = windows.iter().position(|&l| l).unwrap_or(0);
    let last = windows.iter().rposition(|&l| l).map_or(0, |i| i + 1);
    &clip[first * 160..(last * 160).min(clip.len()).max(first * 160)]
}

/// Builds an answer from its clips (one per `Say` part, in order).
pub fn assemble(answer: &Answer, clips: &[Vec<f32>]) -> Assembled {
    let secs = |s: f64| (s * 16_000.0) as usize;
    let mut samples = vec![0.0f32; secs(LEAD_S)];
    let mut gaps = Vec::new();
    let mut lines = Vec::new();
    let mut clips = clips.iter();
    let mut last_text = "";
    for part in &answer.parts {
        match part {
            Part::Say(t) => {
                let start = samples.len() as u64;
                samples.extend_from_slice(trim(clips.next().expect("a clip per line")));
                lines.push((start, samples.len() as u64, t.clone()));
                last_text = t;
            }
            Part::Pause(s) => {
                let start = samples.len() as u64;
                samples.extend(std::iter::repeat(0.0).take(secs(*s)));
                gaps.push(Gap {
                    start,
                    end: samples.len() as u64,
                    kind: kind_after(last_text),
                });
            }
        }
    }
    let speech_end = samples.len() as u64;
    samples.extend(std::iter::repeat(0.0).take(secs(TAIL_S)));
    Assembled {
        samples,
        gaps,
        lines,
        speech_start: secs(LEAD_S) as u64,
        speech_end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SET: &str = "# comment\n== a1 90\nFirst sentence.\n<2.5>\nand then, because\n<1.5>\nthe end.\n\n== a2 60\nLet me think.\n<3>\nDone.\n";

    #[test]
    fn parses_answers_pauses_and_kinds() {
        let a = parse("set.txt", SET).unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].expected_seconds, 90);
        assert_eq!(a[0].parts[1], Part::Pause(2.5));
        assert_eq!(kind_after("First sentence."), PauseKind::Complete);
        assert_eq!(kind_after("and then, because"), PauseKind::Incomplete);
        assert_eq!(kind_after("Let me think."), PauseKind::Think);
    }

    #[test]
    fn bad_sets_name_the_line() {
        let e = parse("s.txt", "== a1 ninety\nx\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.to_string().starts_with("s.txt:1:"), "{e}");
        assert!(parse("s.txt", "hello\n").is_err());
        assert!(parse("s.txt", "== a 9\n<2>\nx\n").is_err());
    }

    #[test]
    fn assembles_exact_pauses_between_trimmed_clips() {
        let a = &parse("set.txt", SET).unwrap()[0];
        let clip = |n: usize| {
            let mut c = vec![0.0f32; 1_600];
            c.extend(std::iter::repeat(0.3).take(n));
            c.extend(vec![0.0f32; 800]);
            c
        };
        let clips = vec![clip(16_000), clip(8_000), clip(4_800)];
        let s = assemble(a, &clips);
        assert_eq!(s.speech_start, 16_000);
        assert_eq!(s.gaps.len(), 2);
        assert_eq!(s.gaps[0].start, 32_000);
        assert_eq!(s.gaps[0].end - s.gaps[0].start, 40_000);
        assert_eq!(s.gaps[0].kind, PauseKind::Complete);
        assert_eq!(s.gaps[1].kind, PauseKind::Incomplete);
        assert_eq!(s.speech_end, s.gaps[1].end + 4_800);
        assert_eq!(s.samples.len() as u64, s.speech_end + 12 * 16_000);
    }

    #[test]
    fn clip_names_follow_the_spoken_text() {
        let d = Path::new("/x");
        assert_eq!(clip_path(d, "v", "`a`"), clip_path(d, "v", "a"));
        assert_ne!(clip_path(d, "v", "a"), clip_path(d, "w", "a"));
    }
}
