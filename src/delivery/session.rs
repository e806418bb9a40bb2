//! Delivery in a session: each recorded answer (`answers/qNN-K.wav` in the
//! session folder) measured once and kept in `session.json`
//! (`delivery`), shown under its score block in the transcript and
//! summarised in the debrief's Delivery section.

use super::{analyze, Delivery, DeliveryError, WPM_BAND};
use crate::interviewer::{Event, EventKind, Ms};
use crate::stt::whisper::WhisperModel;
use crate::transcript::SessionRecord;
use serde::{Deserialize, Serialize};
use std::fmt::Write;
use std::path::Path;

/// The delivery of one recorded answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerDelivery {
    /// Plan index of the question.
    pub index: usize,
    /// 1 for the answer, 2.. for the answers after it (to follow-ups,
    /// or the question again).
    pub take: usize,
    /// The recording, relative to the session folder.
    pub audio: String,
    #[serde(flatten)]
    pub delivery: Delivery,
}

/// The session's recorded answers not yet measured: (index, take, path
/// relative to the folder). Clips come from the record's own mapping (each
/// answer as heard, with its audio file); `take` is the answer's place among
/// the answers to its question (1 for the answer, 2.. for follow-ups).
pub fn unmeasured(folder: &Path, r: &SessionRecord) -> Vec<(usize, usize, String)> {
    let done = |rel: &str| r.delivery.iter().any(|d| d.audio == rel);
    if !r.answers.iter().any(|a| a.audio.is_some()) {
        // A record without the mapping (typed or older sessions, clips
        // added by hand): `answers/qNN-K.wav` is the K-th answer to NN.
        // Clips per question (a question back's clip is numbered among the
        // answers' but is not an answer to measure), and answers per question.
        let mut clips = vec![0usize; r.plan.len()];
        let mut answers = vec![0usize; r.plan.len()];
        let mut out = Vec::new();
        for e in &r.events {
            let (index, answer) = match &e.kind {
                EventKind::Answer { index, .. } => (*index, true),
                EventKind::QuestionBack { index, .. } => (*index, false),
                _ => continue,
            };
            let (Some(c), Some(n)) = (clips.get_mut(index), answers.get_mut(index)) else {
                continue;
            };
            *c += 1;
            if !answer {
                continue;
            }
            *n += 1;
            let rel = format!("answers/q{:02}-{}.wav", index + 1, *c);
            if !done(&rel) && folder.join(&rel).is_file() {
                out.push((index, *n, rel));
            }
        }
        return out;
    }
    r.answers
        .iter()
        .filter(|a| !asked_back(r, a.index, a.started))
        .filter_map(|a| {
            let rel = a.audio.clone()?;
            let take = r
                .events
                .iter()
                .filter(|e| {
                    matches!(&e.kind, EventKind::Answer { index, started, .. }
                        if *index == a.index && *started <= a.started)
                })
                .count()
                .max(1);
            (!done(&rel) && folder.join(&rel).is_file()).then_some((a.index, take, rel))
        })
        .collect()
}

/// Whether the turn to question `index` that started at `started` was a
/// question back to the interviewer, not an answer.
fn asked_back(r: &SessionRecord, index: usize, started: Ms) -> bool {
    r.events.iter().any(|e| {
        matches!(&e.kind, EventKind::QuestionBack { index: i, started: s, .. }
            if *i == index && *s == started)
    })
}

/// Measures every recorded answer not yet measured (loading Whisper from
/// `model` only if there is one) and keeps the results in the record.
/// Returns how many.
pub fn measure_session(
    folder: &Path,
    r: &mut SessionRecord,
    model: &Path,
) -> Result<usize, DeliveryError> {
    if unmeasured(folder, r).is_empty() {
        return Ok(0);
    }
    let model = WhisperModel::load(model)?;
    measure_session_with(folder, r, &model)
}

/// As [`measure_session`], with a model already loaded (the session's own).
pub fn measure_session_with(
    folder: &Path,
    r: &mut SessionRecord,
    model: &WhisperModel,
) -> Result<usize, DeliveryError> {
    let todo = unmeasured(folder, r);
    if todo.is_empty() {
        return Ok(0);
    }
    let mut stt = model.transcriber()?;
    for (index, take, rel) in &todo {
        let clip = crate::audio::load_wav(&folder.join(rel))?;
        // The expected length applies to the main answer, not to follow-ups.
        let expected = if *take == 1 {
            Some(u64::from(r.plan[*index].question.expected_seconds) * 1000).filter(|e| *e > 0)
        } else {
            None
        };
        let (delivery, _) = analyze(&clip.samples, &mut stt, expected, None)?;
        r.delivery.push(AnswerDelivery {
            index: *index,
            take: *take,
            audio: rel.clone(),
            delivery,
        });
    }
    r.delivery.sort_by_key(|d| (d.index, d.take));
    Ok(todo.len())
}

/// What the `take`-th answer to question `index` answered: "answer" (the
/// question), "follow-up N" (the latest follow-up asked before it), or
/// "answer N" when no follow-up was asked yet — said again after "could you
/// repeat the question?", a check-in or "could you say more?" (all were
/// called follow-ups until 2026-12-07, found reading a transcript).
fn take_label(events: &[Event], index: usize, take: usize) -> String {
    let (mut answers, mut follow_ups) = (0, 0);
    for e in events {
        match &e.kind {
            EventKind::FollowUp { index: i, .. } if *i == index => follow_ups += 1,
            EventKind::Answer { index: i, .. } if *i == index => {
                answers += 1;
                if answers == take {
                    break;
                }
            }
            _ => {}
        }
    }
    match (take, follow_ups) {
        (1, _) => "answer".to_string(),
        (_, 0) => format!("answer {take}"),
        (_, n) => format!("follow-up {n}"),
    }
}

/// Lines for the score block of question `index` (empty when not recorded).
pub fn score_lines(r: &SessionRecord, index: usize) -> String {
    r.delivery
        .iter()
        .filter(|d| d.index == index)
        .map(|d| {
            let which = match d.take {
                1 => String::new(),
                _ => format!(" ({})", take_label(&r.events, d.index, d.take)),
            };
            format!("\nDelivery{which}: {}", d.delivery.summary())
        })
        .collect()
}

/// The debrief's Delivery section (empty when no answer was recorded).
pub fn render_section(r: &SessionRecord) -> String {
    if r.delivery.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\n### Delivery\n| Question | Answer | Length | Words/min | Fillers/min | Pauses > 2.5 s |\n|----------|--------|--------|-----------|-------------|----------------|\n",
    );
    for d in &r.delivery {
        let x = &d.delivery;
        let length = match x.expected_ms {
            Some(e) => format!(
                "{} of ~{}",
                crate::transcript::duration(x.duration_ms),
                crate::transcript::duration(e)
            ),
            None => crate::transcript::duration(x.duration_ms),
        };
        let fillers = x.filler_list();
        let _ = writeln!(
            out,
            "| Q{} | {} | {length} | {:.0} | {:.1}{} | {} |",
            d.index + 1,
            take_label(&r.events, d.index, d.take),
            x.wpm,
            x.fillers_per_min,
            if fillers.is_empty() {
                String::new()
            } else {
                format!(" ({})", fillers.join(", "))
            },
            x.long_pauses.len()
        );
    }
    let total_ms: u64 = r.delivery.iter().map(|d| d.delivery.duration_ms).sum();
    let minutes = total_ms as f64 / 60_000.0;
    if minutes > 0.0 {
        let words: usize = r.delivery.iter().map(|d| d.delivery.words).sum();
        let fillers: usize = r.delivery.iter().map(|d| d.delivery.fillers).sum();
        let pauses: usize = r
            .delivery
            .iter()
            .map(|d| d.delivery.long_pauses.len())
            .sum();
        let wpm = words as f64 / minutes;
        let pace = if wpm < WPM_BAND.0 {
            "slower than the 130–160 coaching band"
        } else if wpm > WPM_BAND.1 {
            "faster than the 130–160 coaching band"
        } else {
            "within the 130–160 coaching band"
        };
        let _ = writeln!(
            out,
            "\nOverall: {wpm:.0} words/min ({pace}), {:.1} fillers/min, {pauses} pause{} longer than 2.5 s across {} recorded answers.",
            fillers as f64 / minutes,
            if pauses == 1 { "" } else { "s" },
            r.delivery.len()
        );
    }
    out
}

impl Delivery {
    fn filler_list(&self) -> Vec<String> {
        self.filler_counts
            .iter()
            .map(|(f, n)| format!("{f} ×{n}"))
            .collect()
    }
}

#[cfg(test)]
mod take_tests {
    use super::*;
    use crate::interviewer::commands::Command;

    #[test]
    fn an_answer_after_a_repeat_is_not_called_a_follow_up() {
        let answer = || EventKind::Answer {
            index: 0,
            text: "x".into(),
            started: 0,
            ended: 0,
        };
        let events: Vec<Event> = [
            answer(),
            EventKind::Command {
                index: 0,
                command: Command::Repeat,
            },
            answer(),
            EventKind::FollowUp {
                index: 0,
                text: "f".into(),
                targets: vec![],
                note: None,
            },
            answer(),
            answer(),
        ]
        .into_iter()
        .map(|kind| Event { at: 0, kind })
        .collect();
        let labels: Vec<String> = (1..=4).map(|t| take_label(&events, 0, t)).collect();
        assert_eq!(labels, ["answer", "answer 2", "follow-up 1", "follow-up 1"]);
    }
}
