//! Measuring one answer against one compiled question: key-point coverage,
//! misconceptions asserted, Technology Justification criteria, STAR parts,
//! and the surface signals that expose non-answers.

use super::contrast::misattributed;
use super::index::{CKeyPoint, CQuestion, Cues};
use super::matcher::{any_cue, find_where, Hit};
use super::normalize::{Normalized, Token};
use super::speech::COMMON_VERBS;
use std::collections::HashSet;

/// Share of a key point's weight earned by naming it at all.
const KP_BASE: f64 = 0.6;

/// A key point the answer earned.
#[derive(Debug, Clone)]
pub struct KpHit {
    pub index: usize,
    pub hit: Hit,
    /// Earned only with words the question itself used: half credit.
    pub echo: bool,
}

/// Weighted key-point coverage of `toks` for `q`, in 0..=1.
///
/// A key point hit by one of its phrases earns 60 % of its weight plus 40 %
/// times the share of its own text's content words the answer used anywhere
/// (how much of the point was actually said); one earned only by echoing the
/// prompt's words earns half of that.
///
/// `skip`: key points that earn nothing (mixed up, see `contrast::mixups`).
pub fn coverage(
    q: &CQuestion,
    toks: &[Token],
    stop: &HashSet<String>,
    skip: &[usize],
) -> (f64, Vec<KpHit>) {
    let total: f64 = q.key_points.iter().map(|k| k.weight).sum();
    let said: HashSet<&str> = toks.iter().map(|t| t.stem.as_str()).collect();
    let mut hits = Vec::new();
    let mut earned = 0.0;
    for (index, kp) in q.key_points.iter().enumerate() {
        if skip.contains(&index) {
            continue;
        }
        let said_of_it =
            |h: &Hit| !misattributed(kp.subject.as_deref(), &q.entities, toks, h.start, h.end);
        let Some(hit) = kp_hit(kp, toks, said_of_it) else {
            continue;
        };
        let echo = toks[hit.start..hit.end]
            .iter()
            .filter(|t| !stop.contains(&t.stem) && !stop.contains(&t.word))
            .all(|t| q.prompt.contains(&t.stem));
        let want: HashSet<&str> = kp.text_stems.iter().map(String::as_str).collect();
        let share = if want.is_empty() {
            1.0
        } else {
            want.iter().filter(|w| said.contains(*w)).count() as f64 / want.len() as f64
        };
        let credit = kp.weight * (KP_BASE + (1.0 - KP_BASE) * share);
        earned += if echo { credit * 0.5 } else { credit };
        hits.push(KpHit { index, hit, echo });
    }
    let cov = if total > 0.0 { earned / total } else { 0.0 };
    (cov.clamp(0.0, 1.0), hits)
}

/// The key point's best phrase said (of its subject, by `accept`), else
/// its own words.
fn kp_hit(kp: &CKeyPoint, toks: &[Token], accept: impl Fn(&Hit) -> bool) -> Option<Hit> {
    let mut best: Option<Hit> = None;
    for p in &kp.phrases {
        if let Some(h) = find_where(p, toks, &accept).filter(|h| !h.negated) {
            // Prefer the longest phrase: it quotes better.
            if !matches!(best, Some(b) if h.end - h.start <= b.end - b.start) {
                best = Some(h);
            }
        }
    }
    best.or_else(|| text_hit(kp, toks).filter(accept))
}

/// Fallback: most of the key point's own content words said in one sentence.
fn text_hit(kp: &CKeyPoint, toks: &[Token]) -> Option<Hit> {
    sentence_with(&kp.text_stems, toks, 0.75)
}

/// The first sentence holding at least `share` of `stems` (3 or more distinct).
fn sentence_with(stems: &[String], toks: &[Token], share: f64) -> Option<Hit> {
    let want: HashSet<&str> = stems.iter().map(String::as_str).collect();
    if want.len() < 3 {
        return None;
    }
    let need = (want.len() as f64 * share).ceil() as usize;
    let mut i = 0;
    while i < toks.len() {
        let sent = toks[i].sent;
        let mut j = i;
        let mut seen: HashSet<&str> = HashSet::new();
        let (mut first, mut last) = (usize::MAX, 0);
        while j < toks.len() && toks[j].sent == sent {
            if want.contains(toks[j].stem.as_str()) && seen.insert(toks[j].stem.as_str()) {
                first = first.min(j);
                last = j;
            }
            j += 1;
        }
        if seen.len() >= need {
            return Some(Hit {
                start: first,
                end: last + 1,
                negated: false,
            });
        }
        i = j;
    }
    None
}

/// Misconceptions asserted (not negated, not reported or warned against: see `claims`).
pub fn misconceptions(q: &CQuestion, toks: &[Token], cues: &Cues) -> Vec<(usize, Hit)> {
    let mut out = Vec::new();
    for (i, m) in q.misconceptions.iter().enumerate() {
        let by_phrase = m
            .phrases
            .iter()
            .filter_map(|p| {
                find_where(p, toks, |h| {
                    !misattributed(m.subject.as_deref(), &q.entities, toks, h.start, h.end)
                })
                .filter(|h| !h.negated)
            })
            .find(|h| !super::claims::disowned(toks, h.start, h.end, &cues.disown));
        if let Some(h) = by_phrase {
            out.push((i, h));
        }
    }
    out
}

/// Which Technology Justification criteria the answer meets (rubric order).
pub fn tech_justification(toks: &[Token], cues: &Cues, criterion_ids: &[String]) -> Vec<bool> {
    cues.tj
        .iter()
        .zip(criterion_ids)
        .map(|(phrases, id)| {
            if id == "definition" {
                // A definition has to come early: first two sentences or first 40%.
                let early = toks
                    .iter()
                    .take_while(|t| t.sent < 2)
                    .count()
                    .max(toks.len() * 2 / 5);
                any_cue(phrases, &toks[..early.min(toks.len())]).is_some()
            } else {
                any_cue(phrases, toks).is_some()
            }
        })
        .collect()
}

/// STAR parts found in a behavioral answer.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StarParts {
    pub situation: bool,
    pub task: bool,
    pub action: bool,
    pub result: bool,
    pub quantified: bool,
    pub ownership: bool,
    /// Share of first-person pronouns among first-person + team pronouns.
    pub first_person_share: f64,
}

impl StarParts {
    pub fn score(&self) -> f64 {
        let b = |x: bool, w: f64| if x { w } else { 0.0 };
        b(self.situation, 0.15)
            + b(self.task, 0.10)
            + b(self.action, 0.25)
            + b(self.result, 0.20)
            + b(self.quantified, 0.15)
            + b(self.ownership, 0.15)
    }
}

pub fn star(
    q: &CQuestion,
    toks: &[Token],
    kp_hits: &[KpHit],
    cues: &Cues,
    min_share: f64,
) -> StarParts {
    let has_kp = |id: &str| kp_hits.iter().any(|h| q.key_points[h.index].id == id);
    let part = |id: &str| {
        has_kp(id)
            || cues
                .star
                .iter()
                .any(|(pid, ph)| pid == id && any_cue(ph, toks).is_some())
    };
    let fp = toks
        .iter()
        .filter(|t| cues.first_person.contains(&t.word))
        .count();
    let team = toks.iter().filter(|t| cues.team.contains(&t.word)).count();
    let share = if fp + team == 0 {
        0.0
    } else {
        fp as f64 / (fp + team) as f64
    };
    let half = toks.len() / 2;
    let is_number = |t: &Token| t.word.chars().next().is_some_and(|c| c.is_ascii_digit());
    let quantified = toks[half..].iter().any(is_number)
        || any_cue(&cues.quantified, &toks[half..]).is_some()
        || has_kp("quantified-result");
    let action = part("action");
    StarParts {
        situation: part("situation"),
        task: part("task"),
        action,
        result: part("result"),
        quantified,
        ownership: action && share >= min_share,
        first_person_share: share,
    }
}

/// Surface measurements used to catch non-answers.
#[derive(Debug, Clone, Default)]
pub struct Signals {
    pub tokens: usize,
    /// Tokens that are neither stopwords nor numbers.
    pub content: usize,
    /// Share of content tokens that do not look like words at all.
    pub nonword_ratio: f64,
    /// Share of content tokens that belong to the question's topic.
    pub relevance: f64,
    /// Share of content tokens that were already in the prompt.
    pub prompt_overlap: f64,
    /// Distinct content words the prompt did not already contain.
    pub novel_terms: usize,
    pub sentences: u32,
    /// Share of tokens that are function words or common verbs (sentence glue).
    pub structure_ratio: f64,
    /// Distinct such words.
    pub structure_distinct: usize,
    /// Share of the words in long runs of bare list items ([`super::soup`]).
    pub list_share: f64,
    /// Hedging and generic phrases ([`super::vague`]).
    pub vague: usize,
    pub dont_know: bool,
    /// Distinct topic words of the question the answer used (substance, not length).
    pub topic_terms: usize,
}

pub fn signals(q: &CQuestion, n: &Normalized, stop: &HashSet<String>, cues: &Cues) -> Signals {
    let toks = &n.tokens;
    let is_stop = |t: &Token| stop.contains(&t.word) || stop.contains(&t.stem);
    let content: Vec<&Token> = toks
        .iter()
        .filter(|t| !is_stop(t) && !t.word.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .collect();
    let c = content.len().max(1) as f64;
    let glue: Vec<&Token> = toks
        .iter()
        .filter(|t| is_stop(t) || COMMON_VERBS.contains(&t.word.as_str()))
        .collect();
    Signals {
        list_share: 0.0,
        vague: 0,
        structure_ratio: glue.len() as f64 / toks.len().max(1) as f64,
        structure_distinct: glue
            .iter()
            .map(|t| t.stem.as_str())
            .collect::<HashSet<_>>()
            .len(),
        tokens: toks.len(),
        content: content.len(),
        nonword_ratio: content.iter().filter(|t| !wordlike(&t.word)).count() as f64 / c,
        relevance: content.iter().filter(|t| q.topic.contains(&t.stem)).count() as f64 / c,
        prompt_overlap: content
            .iter()
            .filter(|t| q.prompt.contains(&t.stem))
            .count() as f64
            / c,
        novel_terms: content
            .iter()
            .filter(|t| !q.prompt.contains(&t.stem))
            .map(|t| t.stem.as_str())
            .collect::<HashSet<_>>()
            .len(),
        sentences: n.sentences,
        dont_know: any_cue(&cues.dont_know, toks).is_some(),
        topic_terms: content
            .iter()
            .filter(|t| q.topic.contains(&t.stem))
            .map(|t| t.stem.as_str())
            .collect::<HashSet<_>>()
            .len(),
    }
}

/// Does this look like an English (or jargon) word? Catches "asdfgh", "zzzkx".
fn wordlike(w: &str) -> bool {
    if w.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    if matches!(
        w,
        "blah" | "bla" | "gibberish" | "lorem" | "ipsum" | "foo" | "bar" | "baz"
    ) {
        return false;
    }
    let vowels = |c: char| "aeiouy".contains(c);
    if !w.chars().any(vowels) {
        return w.len() <= 4; // acronyms: "tls", "dns", "ssh"
    }
    let mut run = 0;
    let mut same = 0;
    let mut prev = ' ';
    for c in w.chars() {
        run = if vowels(c) { 0 } else { run + 1 };
        same = if c == prev { same + 1 } else { 0 };
        if run >= 5 || same >= 2 {
            return false;
        }
        prev = c;
    }
    true
}
