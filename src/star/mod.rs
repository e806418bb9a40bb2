//! STAR-story practice: how long each part of a behavioral answer took.
//!
//! In: the answer as timed words (Whisper's token timestamps, from the
//! delivery pass) or as typed text (timed by word count at 150 wpm), the
//! rubric's STAR cues (`rubrics/star.toml`, the same cues the scorer uses)
//! and the scorer's STAR verdict. Out: a [`StarReport`]: total time against
//! the target, each part present or not with its duration and share, whether
//! the Result is quantified, and the share of "I" versus "we" in the Action.
//! [`takes`] keeps repeated takes of a story and compares them; [`timer`] is
//! the live timer's pure logic.

pub mod takes;
pub mod timer;

use crate::bank::Rubrics;
use crate::delivery::{Delivery, Word};
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum StarError {
    #[error("{path}: {why}")]
    Stories {
        path: std::path::PathBuf,
        why: String,
    },
    #[error(
        "{path}: cannot keep the take ({source}); set MOCKINT_SESSIONS_DIR to a writable folder"
    )]
    Takes {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The four parts, in story order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    Situation,
    Task,
    Action,
    Result,
}

impl Part {
    pub const ALL: [Part; 4] = [Part::Situation, Part::Task, Part::Action, Part::Result];

    pub fn id(self) -> &'static str {
        match self {
            Part::Situation => "situation",
            Part::Task => "task",
            Part::Action => "action",
            Part::Result => "result",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Part::Situation => "Situation",
            Part::Task => "Task",
            Part::Action => "Action",
            Part::Result => "Result",
        }
    }

    /// A common coaching split of a STAR answer's time (share, low–high).
    pub fn band(self) -> (f64, f64) {
        match self {
            Part::Situation => (0.10, 0.25),
            Part::Task => (0.05, 0.15),
            Part::Action => (0.40, 0.65),
            Part::Result => (0.10, 0.25),
        }
    }
}

/// A sentence of the answer with its time and the part it was assigned to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    pub text: String,
    pub start_ms: u64,
    pub end_ms: u64,
    pub part: Part,
}

/// One part's share of the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartTime {
    pub part: Part,
    pub present: bool,
    pub ms: u64,
    pub share: f64,
}

/// What a take of a STAR story measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StarReport {
    pub total_ms: u64,
    pub target_ms: u64,
    pub parts: Vec<PartTime>,
    pub quantified: bool,
    /// "I" among "I" + "we" in the Action sentences (None: neither said).
    pub action_i_share: Option<f64>,
    pub sentences: Vec<Sentence>,
    /// Timed from word counts (typed answers), not from audio.
    pub estimated: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
}

fn normalize(s: &str) -> String {
    let t: String = s
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '\'' {
                c
            } else {
                ' '
            }
        })
        .collect();
    format!(" {} ", t.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The parts whose cues a sentence contains.
fn cue_parts(rubrics: &Rubrics, sentence: &str) -> Vec<Part> {
    let n = normalize(sentence);
    Part::ALL
        .into_iter()
        .filter(|p| {
            rubrics.star.part.iter().any(|sp| {
                sp.id == p.id()
                    && sp
                        .cues
                        .iter()
                        .any(|c| n.contains(&format!(" {} ", normalize(c).trim())))
            })
        })
        .collect()
}

/// A pause at least this long before a capitalised word ends a sentence
/// Whisper left without a full stop (the end of an utterance it cut short).
const UNPUNCTUATED_BREAK_MS: u64 = 600;

/// Splits timed words into sentences (at `.`, `?`, `!`, and at a pause
/// before a word Whisper capitalised: on the live STAR test it once wrote
/// "…our services were matched on the TranFi Autom My task was…", and the
/// Task was timed from the Situation's second sentence).
pub fn sentences(words: &[Word]) -> Vec<(String, u64, u64)> {
    let mut out = Vec::new();
    let mut cur: Vec<&Word> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        cur.push(w);
        let t = w.text.trim_end_matches(['"', '\'', ')']);
        let next_opens = words.get(i + 1).is_some_and(|n| {
            n.start_ms >= w.end_ms + UNPUNCTUATED_BREAK_MS
                && n.text.chars().next().is_some_and(char::is_uppercase)
        });
        if t.ends_with('.') || t.ends_with('?') || t.ends_with('!') || next_opens {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.into_iter()
        .map(|ws| {
            let text = ws
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            (text, ws[0].start_ms, ws[ws.len() - 1].end_ms)
        })
        .collect()
}

/// Words of a typed answer, timed at 150 words per minute.
pub fn words_from_text(text: &str) -> Vec<Word> {
    text.split_whitespace()
        .enumerate()
        .map(|(i, t)| Word {
            text: t.to_string(),
            start_ms: i as u64 * 400,
            end_ms: i as u64 * 400 + 400,
        })
        .collect()
}

/// Assigns each sentence a part: the furthest part whose cues it holds (a
/// result sentence often also says "I"), otherwise the part of the sentence
/// before it (the story opens with its Situation) — except that a sentence
/// saying what "I" did ([`says_what_i_did`]) after the Task moves the story
/// on to its Action. (Not in the Situation: "I disagreed, because…" sets
/// the scene in `tests/star_voice.rs`.)
pub fn classify(rubrics: &Rubrics, sents: &[(String, u64, u64)]) -> Vec<Sentence> {
    let mut current = Part::Situation;
    sents
        .iter()
        .map(|(text, start, end)| {
            match cue_parts(rubrics, text).into_iter().max() {
                Some(p) => current = p,
                None if current == Part::Task && says_what_i_did(text) => current = Part::Action,
                None => {}
            }
            Sentence {
                text: text.clone(),
                start_ms: *start,
                end_ms: *end,
                part: current,
            }
        })
        .collect()
}

/// Verbs in the past tense that tell a role or a state, not a step taken.
const STATE_VERBS: &[&str] = &[
    "used",
    "needed",
    "wanted",
    "liked",
    "owned",
    "joined",
    "worked",
    "lived",
    "seemed",
    "inherited",
    "supposed",
    "based",
    "tasked",
    "asked",
    "expected",
    "called",
    "named",
];

/// Irregular verbs in the past tense that say a step taken.
const IRREGULAR_DONE: &[&str] = &[
    "built", "rebuilt", "wrote", "rewrote", "ran", "led", "made", "took", "found", "put", "set",
    "sent", "kept", "brought", "drove", "chose", "cut", "split", "began", "spent", "dug", "shut",
    "threw", "sought", "taught", "caught", "met", "spoke", "told", "got", "gave", "tore",
    "swapped",
];

/// Whether `sentence` says what "I" did: "I" then a verb in the past tense
/// ("I profiled the pipeline", "I then cached the layers"), beyond the
/// rubric's listed cues (a spoken STAR take, 2026-12-08: "I profiled the
/// pipeline, cached the Docker layers…" was timed as Task and the Action
/// reported missing).
pub fn says_what_i_did(sentence: &str) -> bool {
    let n = normalize(sentence);
    let ws: Vec<&str> = n.split_whitespace().collect();
    let done = |w: &str| {
        IRREGULAR_DONE.contains(&w)
            || (w.len() > 4 && w.ends_with("ed") && !STATE_VERBS.contains(&w))
    };
    let adverb = |w: &str| w.ends_with("ly") || ["then", "also", "first", "finally"].contains(&w);
    ws.iter().enumerate().any(|(k, w)| {
        *w == "i"
            && match ws.get(k + 1) {
                Some(v) if done(v) => true,
                Some(a) if adverb(a) => ws.get(k + 2).is_some_and(|v| done(v)),
                _ => false,
            }
    })
}

/// Times the parts: a sentence runs until the next one starts (its pause
/// included), the last one until its last word.
pub fn analyze(
    rubrics: &Rubrics,
    words: &[Word],
    target_ms: u64,
    scorer_star: Option<&crate::scorer::StarParts>,
    estimated: bool,
) -> StarReport {
    // "Let me think about that." before the story is not its Situation.
    // (A take that is nothing else keeps its last sentence.)
    let all = sentences(words);
    let preamble = all
        .iter()
        .take_while(|(t, ..)| {
            crate::interviewer::commands::parse(t) == Some(crate::interviewer::Command::Think)
        })
        .count();
    let sents = classify(rubrics, &all[preamble.min(all.len().saturating_sub(1))..]);
    let first = sents.first().map_or(0, |s| s.start_ms);
    let last = sents.last().map_or(0, |s| s.end_ms);
    let total_ms = last.saturating_sub(first);
    let mut ms = [0u64; 4];
    for (i, s) in sents.iter().enumerate() {
        let end = sents.get(i + 1).map_or(s.end_ms, |n| n.start_ms);
        ms[s.part as usize] += end.saturating_sub(s.start_ms);
    }
    let parts = Part::ALL
        .into_iter()
        .map(|p| {
            let by_sentence = sents.iter().any(|s| s.part == p);
            let by_scorer = scorer_star.is_some_and(|sp| match p {
                Part::Situation => sp.situation,
                Part::Task => sp.task,
                Part::Action => sp.action,
                Part::Result => sp.result,
            });
            PartTime {
                part: p,
                present: by_sentence || by_scorer,
                ms: ms[p as usize],
                share: if total_ms > 0 {
                    ms[p as usize] as f64 / total_ms as f64
                } else {
                    0.0
                },
            }
        })
        .collect();
    let own = &rubrics.star.ownership;
    let (mut i, mut we) = (0usize, 0usize);
    for s in sents.iter().filter(|s| s.part == Part::Action) {
        for w in normalize(&s.text).split_whitespace() {
            if own.first_person.iter().any(|x| x == w) {
                i += 1;
            } else if own.team.iter().any(|x| x == w) {
                we += 1;
            }
        }
    }
    let quant_cues: Vec<String> = rubrics
        .star
        .quantified
        .cues
        .iter()
        .map(|c| format!(" {} ", normalize(c).trim()))
        .collect();
    let number_in_result = sents.iter().filter(|s| s.part == Part::Result).any(|s| {
        let n = normalize(&s.text);
        s.text.chars().any(|c| c.is_ascii_digit()) || quant_cues.iter().any(|c| n.contains(c))
    });
    StarReport {
        total_ms,
        target_ms,
        parts,
        quantified: scorer_star.is_some_and(|sp| sp.quantified) || number_in_result,
        action_i_share: (i + we > 0).then(|| i as f64 / (i + we) as f64),
        sentences: sents,
        estimated,
        delivery: None,
    }
}

impl StarReport {
    pub fn part(&self, p: Part) -> &PartTime {
        &self.parts[p as usize]
    }

    /// The report shown after a take.
    pub fn render(&self) -> String {
        use crate::transcript::duration;
        use std::fmt::Write;
        let mut out = String::new();
        let total = duration(self.total_ms);
        let target = duration(self.target_ms);
        let verdict = match self.total_ms.cmp(&self.target_ms) {
            std::cmp::Ordering::Greater => {
                format!(
                    "{} over the {target} target",
                    duration(self.total_ms - self.target_ms)
                )
            }
            _ => format!(
                "{} under the {target} target",
                duration(self.target_ms - self.total_ms)
            ),
        };
        let _ = writeln!(
            out,
            "Total: {total} — {verdict}{}",
            if self.estimated {
                " (estimated from word count at 150 wpm)"
            } else {
                ""
            }
        );
        for pt in &self.parts {
            let (lo, hi) = pt.part.band();
            let note = if !pt.present {
                "missing".to_string()
            } else if pt.share > hi {
                format!("long (aim for {:.0}–{:.0} %)", lo * 100.0, hi * 100.0)
            } else if pt.share < lo {
                format!("short (aim for {:.0}–{:.0} %)", lo * 100.0, hi * 100.0)
            } else {
                "ok".to_string()
            };
            let _ = writeln!(
                out,
                "  {} {:<9} {:>5}  {:>3.0} %  {note}",
                if pt.present { "✓" } else { "✗" },
                pt.part.name(),
                duration(pt.ms),
                pt.share * 100.0
            );
        }
        if let Some(p) = self
            .parts
            .iter()
            .filter(|p| p.present && p.share > p.part.band().1)
            .max_by(|a, b| a.share.total_cmp(&b.share))
        {
            let _ = writeln!(
                out,
                "{} took {:.0} % of {total}{}",
                p.part.name(),
                p.share * 100.0,
                match p.part {
                    Part::Situation | Part::Task => "; get to your Action sooner.",
                    Part::Action => "; trim the steps to the decisive ones.",
                    Part::Result => "; state the outcome and its numbers, then stop.",
                }
            );
        }
        let _ = writeln!(
            out,
            "Result quantified: {}",
            if self.quantified {
                "yes".to_string()
            } else {
                "no — add a number: minutes of downtime, percent saved, hours cut".to_string()
            }
        );
        match self.action_i_share {
            Some(s) => {
                let _ = writeln!(
                    out,
                    "Action: \"I\" {:.0} % vs \"we\" {:.0} %{}",
                    s * 100.0,
                    (1.0 - s) * 100.0,
                    if s < 0.5 { " — say what YOU did" } else { "" }
                );
            }
            None => {
                let _ = writeln!(out, "Action: neither \"I\" nor \"we\" — say what YOU did");
            }
        }
        if let Some(d) = &self.delivery {
            let _ = writeln!(out, "Delivery: {}", d.summary());
        }
        out
    }
}

#[cfg(test)]
mod tests;
