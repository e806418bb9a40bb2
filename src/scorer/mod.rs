//! The offline scorer: grades a spoken answer against a bank question with no
//! network and no model — only the bank's key points, phrasings and
//! misconceptions and the rubrics' anchors and cues.
//!
//! Why it exists: a candidate practising alone needs a grade they can trust,
//! in the example transcript's format, without sending their answers anywhere.
//!
//! In: a bank [`Question`] and the answer as Whisper transcribed it (fillers,
//! restarts, lowercase, spoken numbers, misheard jargon — see `normalize`).
//! Out: a [`Score`] — rating 1–4 and level, Technology Justification 1–4, the
//! key points covered (with the words that earned them) and missed, strengths,
//! gaps, the key point for interview, the model answer and flags naming why a
//! non-answer got 1 (`dont-know`, `filler-only`, `keyword-soup`,
//! `repeats-question`, `gibberish`, `off-topic`, `answers-different-question`,
//! `vague`, `misconception:<id>`, `mix-up:<key point id>`). [`render`] prints the example's score block.

mod analyze;
mod answer_cache;
#[cfg(test)]
mod calibrate;
mod claims;
mod contrast;
mod depth;
pub mod embed;
pub mod eval;
mod feedback;
mod grade;
mod index;
mod matcher;
mod non_answer;
mod normalize;
mod numbers;
pub mod prewarm;
mod sem_match;
pub mod semantic;
mod soup;
mod speech;
mod speech_jargon;
mod stem;
#[cfg(test)]
mod tests;
mod vague;

pub use analyze::StarParts;
pub use feedback::render;
pub use normalize::{Normalized, Normalizer, Token};
pub use numbers::numbers_in_words;
pub use prewarm::prewarm;
pub use stem::stem;

use crate::bank::{Bank, Question};
use index::{CQuestion, Cues};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Name of this scorer in [`Score::scorer`]: words and meaning (sentence model).
pub const SCORER_NAME: &str = "offline";
/// [`Score::scorer`] when the sentence model is not installed.
pub const SCORER_LEXICAL: &str =
    "offline, lexical only (sentence model not installed: run scripts/fetch-minilm.sh)";

/// A key point the answer covered, with the words that earned it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Covered {
    pub id: String,
    pub quote: String,
}

/// The grade of one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub question_id: String,
    pub round: String,
    /// 1..=4.
    pub rating: u8,
    pub level: String,
    /// 1..=4 on the Technology Justification scale.
    pub tech_justification: u8,
    pub tech_justification_level: String,
    /// Why that Technology Justification, e.g. "Formal definition, compared alternatives."
    pub tech_justification_note: String,
    pub covered: Vec<Covered>,
    /// Ids of key points not covered, most important first.
    pub missed: Vec<String>,
    pub strengths: Vec<String>,
    pub gaps: Vec<String>,
    pub key_point: String,
    pub model_answer: String,
    pub flags: Vec<String>,
    /// Weighted key-point coverage, 0..=1.
    pub coverage: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub star: Option<StarParts>,
    /// What the rating was computed from.
    pub evidence: Evidence,
    pub scorer: String,
    /// Set when an LLM was configured: whether the model or the offline
    /// fallback produced this score, and why (see `crate::llm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub llm: Option<crate::llm::LlmNote>,
}

/// The measurements behind a rating, for transparency and calibration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Distinct topic words of the question used in the answer.
    pub topic_terms: usize,
    /// Share of the answer's content words that are on the question's topic.
    pub relevance: f64,
    /// Technology Justification criteria met (rubric ids).
    pub tj_criteria: Vec<String>,
    /// The blended 0..1 quality the thresholds were applied to.
    pub quality: f64,
    /// Specifics that mark depth: numbers, failure modes, tradeoffs, named alternatives.
    #[serde(default)]
    pub specifics: Vec<String>,
    /// Best cosine similarity of the answer's sentences to each key point and
    /// misconception (in bank order), and to the question's theme; empty
    /// when the sentence model is not installed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_point_similarity: Vec<f32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub misconception_similarity: Vec<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme_similarity: Option<f32>,
}

/// A bank compiled for scoring. Build once, score many answers.
#[derive(Debug, Clone)]
pub struct Scorer {
    bank: Bank,
    norm: std::sync::Arc<Normalizer>,
    stop: HashSet<String>,
    cues: Cues,
    questions: Vec<CQuestion>,
    by_id: HashMap<String, usize>,
    /// The bank's statements embedded, when the sentence model is installed.
    sem: Option<SemBank>,
    depth_cues: depth::DepthCues,
    /// Stems of the bank's jargon (named tools and alternatives).
    vocab_stems: HashSet<String>,
    params: grade::Params,
}

/// The sentence model and the bank's statements embedded with it.
#[derive(Debug, Clone)]
struct SemBank {
    model: std::sync::Arc<semantic::Model>,
    /// Parallel to `Scorer::questions`.
    questions: Vec<semantic::SemQuestion>,
}

impl Scorer {
    /// Compiles `bank`, matching by meaning too when the sentence model is
    /// installed (see [`semantic::shared`]; it loads in the background).
    /// This scorer's sentences are the ones [`prewarm`] embeds.
    pub fn new(bank: Bank) -> Scorer {
        let s = Self::with_model(bank, semantic::shared());
        if let Some(sb) = &s.sem {
            prewarm::register(sb.model.clone(), s.norm.clone());
        }
        s
    }

    /// Compiles `bank` for word matching only.
    pub fn lexical(bank: Bank) -> Scorer {
        Self::with_model(bank, None)
    }

    /// Whether this scorer matches by meaning (the sentence model is loaded).
    pub fn is_semantic(&self) -> bool {
        self.sem.is_some()
    }

    pub fn with_model(bank: Bank, model: Option<std::sync::Arc<semantic::Model>>) -> Scorer {
        let norm = std::sync::Arc::new(Normalizer::new(&index::bank_vocabulary(&bank)));
        let stop = index::stopwords();
        let cues = index::compile_cues(&norm, &bank.rubrics);
        let mut questions = Vec::new();
        for r in &bank.rounds {
            for q in &r.question {
                questions.push(index::compile_question(&norm, &stop, r, q));
            }
        }
        let by_id = questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.clone(), i))
            .collect();
        let sem = model.and_then(|model| {
            let qs: Vec<&Question> = bank.rounds.iter().flat_map(|r| &r.question).collect();
            match semantic::compile(&model, &qs) {
                Ok(questions) => Some(SemBank { model, questions }),
                Err(e) => {
                    tracing::warn!("scorer falls back to lexical matching: {e}");
                    None
                }
            }
        });
        let depth_cues = depth::DepthCues::new(&norm);
        let vocab_stems = index::bank_vocabulary(&bank)
            .iter()
            .flat_map(|v| norm.normalize(v).tokens)
            .filter(|t| !stop.contains(&t.word) && !stop.contains(&t.stem))
            .map(|t| t.stem)
            .collect();
        Scorer {
            bank,
            norm,
            stop,
            cues,
            questions,
            by_id,
            sem,
            depth_cues,
            vocab_stems,
            params: grade::Params::default(),
        }
    }

    /// The embedded statements of a question, compiled now if it is not in the bank.
    fn sem_question(&self, index: Option<usize>, q: &Question) -> Option<semantic::SemQuestion> {
        let sb = self.sem.as_ref()?;
        match index {
            Some(i) => sb.questions.get(i).cloned(),
            None => semantic::compile(&sb.model, &[q])
                .map_err(|e| tracing::warn!("sentence model: {e}"))
                .ok()?
                .pop(),
        }
    }

    /// The same scorer with other thresholds (calibration).
    #[cfg(test)]
    pub(crate) fn with_params(mut self, params: grade::Params) -> Scorer {
        self.params = params;
        self
    }

    /// The same scorer with other level lines (calibration; a session reads
    /// them from `rating.toml`).
    #[cfg(test)]
    pub(crate) fn with_levels(mut self, levels: &crate::bank::Thresholds) -> Scorer {
        self.bank.rubrics.rating.thresholds = levels.clone();
        self
    }

    /// The sentence model, when this scorer matches by meaning.
    pub fn sentence_model(&self) -> Option<&std::sync::Arc<semantic::Model>> {
        self.sem.as_ref().map(|s| &s.model)
    }

    pub fn bank(&self) -> &Bank {
        &self.bank
    }

    pub fn normalizer(&self) -> &Normalizer {
        &self.norm
    }

    /// Grades `answer` to `question`. A question from this bank is also checked
    /// against the other questions of its round (`answers-different-question`).
    pub fn score(&self, question: &Question, answer: &str) -> Score {
        match self.by_id.get(&question.id) {
            Some(&i) => grade::grade(
                self,
                &self.questions[i],
                self.sem_question(Some(i), question).as_ref(),
                question,
                answer,
            ),
            None => {
                let round = crate::bank::Round {
                    round: String::new(),
                    title: String::new(),
                    vocabulary: Vec::new(),
                    question: Vec::new(),
                };
                let cq = index::compile_question(&self.norm, &self.stop, &round, question);
                let sq = self.sem_question(None, question);
                grade::grade(self, &cq, sq.as_ref(), question, answer)
            }
        }
    }

    /// Grades an answer to the bank question with this id.
    pub fn score_id(&self, id: &str, answer: &str) -> Option<Score> {
        let (_, q) = self.bank.question(id)?;
        Some(self.score(q, answer))
    }

    /// The question of `round` whose prompt is closest to `text` (or whose id it is).
    ///
    /// Prompt words are weighted by rarity among the round's prompts, and words
    /// found in a question's key points count for a third as much.
    pub fn resolve(&self, round: &str, text: &str) -> Option<&Question> {
        let r = self.bank.round(round)?;
        if let Some(q) = r.question.iter().find(|q| q.id == text.trim()) {
            return Some(q);
        }
        let want: HashSet<String> = self.content_stems(text);
        let qs: Vec<&CQuestion> = self.questions.iter().filter(|q| q.round == round).collect();
        if want.is_empty() || qs.is_empty() {
            return None;
        }
        let n = qs.len() as f64;
        let idf = |w: &str| {
            let df = qs.iter().filter(|q| q.prompt.contains(w)).count() as f64;
            (1.0 + n / (1.0 + df)).ln()
        };
        let total: f64 = want.iter().map(|w| idf(w)).sum();
        let mut best: Option<(f64, &str)> = None;
        for q in &qs {
            let sim: f64 = want
                .iter()
                .map(|w| {
                    if q.prompt.contains(w) {
                        idf(w)
                    } else if q.topic.contains(w) {
                        idf(w) / 3.0
                    } else {
                        0.0
                    }
                })
                .sum::<f64>()
                / total;
            if !matches!(best, Some((b, _)) if sim <= b) {
                best = Some((sim, q.id.as_str()));
            }
        }
        let (sim, id) = best?;
        (sim >= 0.3)
            .then(|| r.question.iter().find(|q| q.id == id))
            .flatten()
    }

    fn content_stems(&self, text: &str) -> HashSet<String> {
        self.norm
            .normalize(text)
            .tokens
            .into_iter()
            .filter(|t| !self.stop.contains(&t.word) && !self.stop.contains(&t.stem))
            .map(|t| t.stem)
            .collect()
    }
}

/// Grades `answer` against `question` with the embedded bank and rubrics.
///
/// # Panics
/// If the binary was built with an invalid embedded bank (`mockint bank check`
/// guards against that).
pub fn score(question: &Question, answer: &str) -> Score {
    static EMBEDDED: OnceLock<Scorer> = OnceLock::new();
    EMBEDDED
        .get_or_init(|| Scorer::new(Bank::embedded().expect("embedded question bank is valid")))
        .score(question, answer)
}
