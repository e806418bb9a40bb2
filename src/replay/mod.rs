//! Playing a past session back: the interviewer's lines spoken again, the
//! candidate's recorded answers played, the transcript scrolling with its
//! timestamps — or printed, paced or at once; and [`rescore`], grading the
//! recorded answers again with the current bank and rubric.
//!
//! In: a [`SessionRecord`] (read by `transcript::reader`) and its folder
//! (answer recordings under `answers/qNN-K.wav`). Out: a [`timeline`] of
//! [`Item`]s, and [`play`] driving a [`Speaker`], a [`Player`] and a writer.

pub mod rescore;

use crate::audio::playback::Player;
use crate::interviewer::{EventKind, Ms};
use crate::transcript::{clock, duration, SessionRecord};
use crate::tts::Speaker;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error(transparent)]
    Audio(#[from] crate::audio::AudioError),
    #[error("speech failed: {0}")]
    Tts(#[from] crate::tts::TtsError),
    #[error("cannot write the transcript: {0}")]
    Io(#[from] std::io::Error),
}

/// Who is talking in an [`Item`].
#[derive(Debug, Clone, PartialEq)]
pub enum Who {
    /// A question, follow-up or nudge: spoken again through TTS.
    Interviewer(&'static str),
    /// An answer; `audio` is its recording when one was kept.
    Candidate {
        take: usize,
        length: Ms,
        audio: Option<PathBuf>,
    },
    /// Scores, commands, pauses: printed only.
    Note,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub at: Ms,
    /// Plan index, when the item belongs to a question.
    pub question: Option<usize>,
    pub who: Who,
    pub text: String,
}

impl Item {
    /// The transcript line: `[01:23] Candidate (0:42): …`.
    pub fn line(&self) -> String {
        let stamp = clock(self.at);
        match &self.who {
            Who::Interviewer(label) => format!("[{stamp}] {label}: {}", self.text),
            Who::Candidate { length, audio, .. } => format!(
                "[{stamp}] Candidate ({}{}): {}",
                duration(*length),
                if audio.is_some() { ", recorded" } else { "" },
                self.text
            ),
            Who::Note => format!("[{stamp}]   · {}", self.text),
        }
    }
}

/// Where the k-th (1-based) answer to question `index` was recorded, if it was.
pub fn answer_audio(folder: &Path, index: usize, take: usize) -> Option<PathBuf> {
    let p = folder.join(format!("answers/q{:02}-{take}.wav", index + 1));
    p.is_file().then_some(p)
}

/// The session as a sequence of things to show, say and play, in time order.
pub fn timeline(r: &SessionRecord, folder: &Path) -> Vec<Item> {
    let mut takes = vec![0usize; r.plan.len()];
    let mut out = Vec::new();
    let unsaid = r.unsaid_ask();
    for (i, e) in r.events.iter().enumerate() {
        let item = |question, who, text: String| Item {
            at: e.at,
            question,
            who,
            text: text.split_whitespace().collect::<Vec<_>>().join(" "),
        };
        match &e.kind {
            EventKind::Asked { index, text, .. } | EventKind::FollowUp { index, text, .. }
                if unsaid == Some(i) =>
            {
                out.push(item(
                    Some(*index),
                    Who::Note,
                    format!("(not asked: interrupted before it was said) {text}"),
                ))
            }
            EventKind::Asked {
                index, intro, text, ..
            } => {
                let spoken = match intro {
                    Some(i) => format!("{i} {text}"),
                    None => text.clone(),
                };
                let label = if r.plan.len() > 1 {
                    "Interviewer"
                } else {
                    "Question"
                };
                out.push(item(
                    Some(*index),
                    Who::Interviewer(label),
                    format!("(Question {} of {}) {spoken}", index + 1, r.plan.len()),
                ));
            }
            EventKind::FollowUp { index, text, .. } => out.push(item(
                Some(*index),
                Who::Interviewer("Follow-up"),
                text.clone(),
            )),
            EventKind::Prompted { index, text } => out.push(item(
                Some(*index),
                Who::Interviewer("Interviewer"),
                text.clone(),
            )),
            EventKind::Remark { index, text, .. } => out.push(item(
                Some(*index),
                Who::Note,
                format!("(the candidate, over the interviewer) {text}"),
            )),
            // A question back is a turn of its own, with its own audio.
            EventKind::Answer {
                index,
                text,
                started,
                ended,
            }
            | EventKind::QuestionBack {
                index,
                text,
                started,
                ended,
            } => {
                takes[*index] += 1;
                let take = takes[*index];
                let text = match &e.kind {
                    EventKind::QuestionBack { .. } => format!("(asks) {text}"),
                    _ => text.clone(),
                };
                let mut it = item(
                    Some(*index),
                    Who::Candidate {
                        take,
                        length: ended.saturating_sub(*started),
                        audio: answer_audio(folder, *index, take),
                    },
                    text,
                );
                it.at = *started;
                out.push(it);
            }
            EventKind::Command { index, command } => out.push(item(
                Some(*index),
                Who::Note,
                format!("Candidate {}", command.describe()),
            )),
            EventKind::Scored { index, score } => out.push(item(
                Some(*index),
                Who::Note,
                format!(
                    "Score: {}/4 — {} · Tech Justification {}/4",
                    score.rating, score.level, score.tech_justification
                ),
            )),
            EventKind::Skipped { index, reason } => {
                out.push(item(Some(*index), Who::Note, format!("Skipped ({reason})")))
            }
            EventKind::Paused => out.push(item(None, Who::Note, "Paused".into())),
            EventKind::Resumed => out.push(item(None, Who::Note, "Resumed".into())),
            EventKind::Ended { reason, .. } => out.push(item(
                None,
                Who::Note,
                format!("Ended ({})", reason.describe()),
            )),
            EventKind::Started { questions } => out.push(item(
                None,
                Who::Note,
                format!("Session {} started · {questions} questions", r.id),
            )),
        }
    }
    out
}

/// How to pace the replay.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// 1.0 = as it happened; 0 = all at once.
    pub speed: f64,
    /// Longest wait between two lines, before `speed` is applied.
    pub max_gap: Ms,
}

/// Replays `items` from question `from` (plan index): prints each line,
/// speaks interviewer lines, plays recorded answers, and waits out the gaps
/// between them (scaled by the speed; time spent speaking counts).
pub fn play(
    items: &[Item],
    from: usize,
    pace: Pace,
    mut speaker: Option<&mut dyn Speaker>,
    mut player: Option<&mut dyn Player>,
    out: &mut dyn Write,
) -> Result<(), ReplayError> {
    let start = items
        .iter()
        .position(|i| i.question.is_some_and(|q| q >= from))
        .unwrap_or(items.len());
    let mut prev: Option<(Ms, Instant)> = None;
    for item in &items[start..] {
        if pace.speed > 0.0 {
            if let Some((at, shown)) = prev {
                let gap = item.at.saturating_sub(at).min(pace.max_gap);
                let due = Duration::from_secs_f64(gap as f64 / 1000.0 / pace.speed);
                if let Some(wait) = due.checked_sub(shown.elapsed()) {
                    std::thread::sleep(wait);
                }
            }
        }
        writeln!(out, "{}", item.line())?;
        out.flush()?;
        prev = Some((item.at, Instant::now()));
        match &item.who {
            Who::Interviewer(_) => {
                if let Some(s) = speaker.as_deref_mut() {
                    s.say(&item.text)?;
                    // Wait for the line to be spoken (with a ceiling for a stuck service).
                    let t0 = Instant::now();
                    while s.is_speaking() && t0.elapsed() < Duration::from_secs(60) {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                }
            }
            Who::Candidate {
                audio: Some(path), ..
            } => {
                if let Some(p) = player.as_deref_mut() {
                    let clip = crate::audio::load_wav(path)?;
                    // Faster replay plays the recording faster (and higher).
                    let speed = if pace.speed > 0.0 {
                        pace.speed.max(0.25)
                    } else {
                        1.0
                    };
                    let rate = (f64::from(crate::audio::WHISPER_RATE) * speed).round() as u32;
                    p.play(&clip.samples, rate)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
