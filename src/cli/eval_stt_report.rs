//! The report of `mockint eval stt`: totals per setting and voice group.

use super::{on, StrengthReport};
use crate::vocab::recall::Recall;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The vocabulary layer a row measures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    /// Whisper's text as it is.
    #[default]
    Off,
    /// Listed and spelling-derived forms only (the layer before the phonetic pass).
    Listed,
    /// Listed forms and the phonetic pass, no question in focus.
    Phonetic,
    /// Listed forms and the phonetic pass with the clip's question in focus
    /// (the session's layer).
    Focus,
}

impl Layer {
    pub fn name(self) -> &'static str {
        match self {
            Layer::Off => "off",
            Layer::Listed => "listed forms",
            Layer::Phonetic => "listed + phonetic",
            Layer::Focus => "+ question in focus",
        }
    }
}

/// Totals for one setting (prompt on/off × layer on/off) and voice group.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Row {
    pub prompt: bool,
    pub layer: Layer,
    /// "all", or a voice ("piper-joe", "espeak-us noisy", …).
    pub group: String,
    pub clips: usize,
    pub word_errors: usize,
    pub words: usize,
    pub wer: f64,
    pub recall: Recall,
    pub term_recall: f64,
}

#[derive(Debug, Serialize)]
pub(crate) struct Report {
    pub dir: PathBuf,
    pub clips: usize,
    pub model: String,
    pub decoding: String,
    /// Bias bonuses, when decoding was biased.
    pub bias: Option<StrengthReport>,
    /// Most phrases in one clip's bias context.
    pub bias_phrases: Option<usize>,
    pub rows: Vec<Row>,
    /// The initial prompt given per round ("all" when no round is known).
    pub prompts: BTreeMap<String, String>,
}

pub(crate) fn render(r: &Report) -> String {
    let bias = match (&r.bias, r.bias_phrases) {
        (Some(b), Some(n)) => format!(
            ", biased (start {}, continue {}, up to {n} phrases)",
            b.start, b.cont
        ),
        _ => ", not biased".to_string(),
    };
    let mut s = format!(
        "{}: {} clips, {}, {}{bias}\n\n| group | prompt | vocabulary layer | WER | term recall |\n|---|---|---|---|---|\n",
        r.dir.display(),
        r.clips,
        r.model,
        r.decoding
    );
    for row in &r.rows {
        let recall = if row.recall.total == 0 {
            "– (no terms)".to_string()
        } else {
            format!(
                "{:.1} % ({}/{})",
                row.term_recall * 100.0,
                row.recall.found,
                row.recall.total
            )
        };
        s.push_str(&format!(
            "| {} | {} | {} | {:.1} % ({}/{}) | {recall} |\n",
            row.group,
            on(row.prompt),
            row.layer.name(),
            row.wer * 100.0,
            row.word_errors,
            row.words,
        ));
    }
    s.push_str("\nprompts:\n");
    for (round, p) in &r.prompts {
        s.push_str(&format!("  {round}: {p}\n"));
    }
    s
}
