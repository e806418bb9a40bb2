//! The jargon vocabulary layer between Whisper and everything downstream.
//!
//! Why it exists: Whisper writes what DevOps jargon *sounds* like — "cube
//! control logs", "dynamo DB", "config maps", "one point twenty nine" — so a
//! transcript looks foolish and the scorer misses key points. This layer puts
//! the jargon back the way engineers write it (`kubectl`, `DynamoDB`,
//! `ConfigMaps`, `1.29`) and keeps the raw text beside it.
//!
//! In: the term file (`vocab/terms.toml`, embedded; `$MOCKINT_VOCAB_FILE`
//! replaces it) with each term's canonical spelling and spoken/misheard forms;
//! the question bank, whose rounds' `vocabulary` lists and key points add
//! terms with forms derived from their spelling; extra terms from the caller
//! (later: the repo's own names from intake). Out: [`Vocabulary::rewrite`]
//! gives a [`Rewritten`] — the rewritten text, the raw text and every rewrite
//! (raw span → canonical); [`Vocabulary::prompt`] gives a short initial prompt
//! for Whisper; [`recall`] counts terms written in canonical form.
//!
//! Rewriting is conservative: whole words only, case-insensitive, never across
//! a sentence end or a comma; forms that are also ordinary English ("carpenter",
//! "customize") need a context word in the same sentence; spoken versions
//! ("one point ten" → "1.10") only right after a version cue and never before
//! a unit ("one point ten percent" stays as it is).

pub mod context;
mod derive;
mod focus;
mod joins;
mod numbers;
mod phonetic;
pub mod recall;
mod rewrite;
mod terms;
#[cfg(test)]
mod tests;
mod text;

pub use derive::{derived_forms, is_jargon_word};
pub use focus::Focus;
pub use terms::{Rules, TermFile, TermSpec, VocabError, EMBEDDED_TERMS, TERMS_FILE_ENV};

use crate::bank::{Bank, Round};
use rewrite::{Cond, Entry, Matcher};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// One rewrite: `raw` (bytes `start..end` of the raw text) became `canonical`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rewrite {
    pub raw: String,
    pub canonical: String,
    pub start: usize,
    pub end: usize,
}

/// A transcript after the vocabulary layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rewritten {
    pub text: String,
    pub raw: String,
    pub rewrites: Vec<Rewrite>,
}

/// How many terms the initial prompt names at most, and its length cap.
const PROMPT_TERMS: usize = 10;
const PROMPT_CHARS: usize = 120;

/// The terms in force for one round (or all) and their compiled matcher.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    file: TermFile,
    /// Terms from the bank or the caller (not in the term file).
    extra: Vec<TermSpec>,
    round: Option<String>,
    /// Bank vocabulary of the round(s), in order: prompt candidates.
    bank_vocab: Vec<String>,
    specs: Vec<TermSpec>,
    matcher: Matcher,
    /// Lowercase terms written with an underscore ("for_each"), from the
    /// term file and the whole bank: any other word Whisper joins with one
    /// is split again (see [`joins::split_unknown`]).
    joined: HashSet<String>,
}

impl Vocabulary {
    /// The term file alone, every term.
    pub fn builtin() -> Result<Vocabulary, VocabError> {
        Ok(Vocabulary::build(
            TermFile::load_default()?,
            None,
            Vec::new(),
            Vec::new(),
        ))
    }

    /// Every round's terms: the default when no round is known.
    pub fn all(bank: &Bank) -> Result<Vocabulary, VocabError> {
        let rounds: Vec<&Round> = bank.rounds.iter().collect();
        let (vocab, extra) = bank_terms(&rounds);
        Ok(Vocabulary::build(TermFile::load_default()?, None, vocab, extra).knowing_joins_of(bank))
    }

    /// One round's terms: the term file's (those not limited to other rounds)
    /// plus the round's bank vocabulary and key-point jargon.
    pub fn for_round(bank: &Bank, round: &str) -> Result<Vocabulary, VocabError> {
        let r = bank.round(round).ok_or_else(|| VocabError::UnknownRound {
            round: round.to_string(),
            valid: bank.round_names().join(", "),
        })?;
        let (vocab, extra) = bank_terms(&[r]);
        Ok(
            Vocabulary::build(TermFile::load_default()?, Some(round), vocab, extra)
                .knowing_joins_of(bank),
        )
    }

    /// The vocabulary of a session: its round's, or every round's for a full
    /// loop or a drill.
    pub fn for_session(
        bank: &Bank,
        mode: &crate::interviewer::Mode,
    ) -> Result<Vocabulary, VocabError> {
        match mode {
            crate::interviewer::Mode::Round { round, .. } if bank.round(round).is_some() => {
                Vocabulary::for_round(bank, round)
            }
            _ => Vocabulary::all(bank),
        }
    }

    /// `for_round` when a round is given, else `all`.
    pub fn for_round_or_all(bank: &Bank, round: Option<&str>) -> Result<Vocabulary, VocabError> {
        match round {
            Some(r) => Vocabulary::for_round(bank, r),
            None => Vocabulary::all(bank),
        }
    }

    /// A vocabulary from an explicit term file (tests, other callers).
    pub fn from_file(file: TermFile, round: Option<&str>) -> Vocabulary {
        Vocabulary::build(file, round, Vec::new(), Vec::new())
    }

    /// Adds terms (e.g. a repo's own names); forms are derived from each
    /// spelling as for bank terms.
    pub fn with_terms(self, terms: Vec<TermSpec>) -> Vocabulary {
        let mut extra = self.extra;
        extra.extend(terms);
        Vocabulary::build(self.file, self.round.as_deref(), self.bank_vocab, extra)
    }

    fn build(
        file: TermFile,
        round: Option<&str>,
        bank_vocab: Vec<String>,
        extra: Vec<TermSpec>,
    ) -> Vocabulary {
        let known: HashSet<String> = file
            .terms
            .iter()
            .map(|t| t.canonical.to_lowercase())
            .collect();
        let specs: Vec<TermSpec> = file
            .terms
            .iter()
            .filter(|t| t.applies_to(round))
            .cloned()
            .chain(
                extra
                    .iter()
                    .filter(|t| !known.contains(&t.canonical.to_lowercase()))
                    .cloned(),
            )
            .collect();
        let phonetic_terms: Vec<&str> = specs
            .iter()
            .map(|t| t.canonical.as_str())
            .chain(bank_vocab.iter().map(String::as_str))
            .collect();
        let matcher = compile(
            &specs,
            &file.rules,
            phonetic::Phonetic::new(&phonetic_terms),
        );
        let joined = phonetic_terms
            .iter()
            .filter(|t| t.contains('_'))
            .map(|t| t.to_lowercase())
            .collect();
        Vocabulary {
            joined,
            round: round.map(str::to_string),
            file,
            extra,
            bank_vocab,
            specs,
            matcher,
        }
    }

    /// Without the phonetic pass: only listed and spelling-derived forms (for
    /// measuring what the phonetic pass adds).
    pub fn without_phonetic(mut self) -> Vocabulary {
        self.matcher.set_phonetic(false);
        self
    }

    /// Rewrites a transcript (see the module doc for the rules).
    pub fn rewrite(&self, text: &str) -> Rewritten {
        self.rewrite_with(text, None)
    }

    /// Rewrites an answer to a question, trusting the terms in `focus` (see
    /// [`Focus`]).
    pub fn rewrite_in(&self, text: &str, focus: &Focus) -> Rewritten {
        self.rewrite_with(text, Some(focus))
    }

    fn rewrite_with(&self, text: &str, focus: Option<&Focus>) -> Rewritten {
        let known =
            |t: &str| self.joined.contains(&t.to_lowercase()) || focus.is_some_and(|f| f.holds(t));
        let (spaced, splits) = joins::split_unknown(text, known);
        // Same length: the matcher's offsets hold for `text` too.
        let mut r = self.matcher.rewrite(&spaced, focus);
        r.raw = text.to_string();
        for (start, end) in splits {
            if !r.rewrites.iter().any(|w| w.start < end && start < w.end) {
                r.rewrites.push(Rewrite {
                    raw: text[start..end].to_string(),
                    canonical: spaced[start..end].to_string(),
                    start,
                    end,
                });
            }
        }
        r.rewrites.sort_by_key(|w| w.start);
        r
    }

    /// Adds the underscore terms of a bank's text (every round's questions
    /// and vocabulary) to those kept as written.
    fn knowing_joins_of(mut self, bank: &Bank) -> Vocabulary {
        for r in &bank.rounds {
            let texts = r
                .vocabulary
                .iter()
                .cloned()
                .chain(r.question.iter().map(context::question_text));
            for t in texts {
                self.joined
                    .extend(joins::joined_words(&t).map(str::to_lowercase));
            }
        }
        self
    }

    /// The terms in focus in a situation (the current question, repo names),
    /// with this vocabulary's terms as known terms.
    pub fn focus(&self, s: &context::Situation<'_>) -> Focus {
        Focus::of(s, &recall::TermCounter::new(&self.terms()))
    }

    /// The round this vocabulary is for; `None` for all rounds.
    pub fn round(&self) -> Option<&str> {
        self.round.as_deref()
    }

    /// Canonical spellings of every term in force.
    pub fn terms(&self) -> Vec<&str> {
        self.specs.iter().map(|t| t.canonical.as_str()).collect()
    }

    /// The bias context for Whisper in a situation (the current question,
    /// its round, repo names), with this vocabulary's terms as known terms.
    pub fn bias_context(
        &self,
        s: &context::Situation<'_>,
        strength: crate::stt::bias::BiasStrength,
    ) -> crate::stt::bias::BiasContext {
        let known = recall::TermCounter::new(&self.terms());
        context::bias_context(s, &known, strength)
    }

    /// Number of distinct forms compiled (for diagnostics).
    pub fn form_count(&self) -> usize {
        self.matcher.pattern_count()
    }

    /// A short initial prompt for Whisper: the round's vocabulary terms that
    /// speech cannot spell (jargon words or term-file terms), then the term
    /// file's `prompt` terms, at most 10 and 120 characters ("kubectl,
    /// ConfigMap, CrashLoopBackOff."). Long prompts make Whisper hallucinate.
    /// Without a round (a full loop), the term file's `prompt` terms alone:
    /// see [`Vocabulary::prompt_for`].
    pub fn prompt(&self) -> String {
        let round_vocab: &[String] = match self.round {
            Some(_) => &self.bank_vocab,
            None => &[],
        };
        self.prompt_from(round_vocab)
    }

    /// The prompt while the candidate answers a question of `round`: the
    /// prompt of that round's vocabulary, also in a session of every round
    /// (a full loop, a drill). On the tuning set, a full loop's general
    /// prompt left 17 % more words wrong than the question's round's.
    pub fn prompt_for(&self, round: &Round) -> String {
        match &self.round {
            Some(r) if *r != round.round => self.prompt(),
            _ => self.prompt_from(&round.vocabulary),
        }
    }

    fn prompt_from(&self, round_vocab: &[String]) -> String {
        let in_file: HashSet<&str> = self.specs.iter().map(|t| t.canonical.as_str()).collect();
        let from_round = round_vocab
            .iter()
            .filter(|v| in_file.contains(v.as_str()) || v.split(' ').any(is_jargon_word))
            .map(String::as_str);
        let flagged = self
            .specs
            .iter()
            .filter(|t| t.prompt)
            .map(|t| t.canonical.as_str());
        let mut out: Vec<&str> = Vec::new();
        let mut len = 0;
        for t in from_round.chain(flagged) {
            if out.contains(&t) || out.len() >= PROMPT_TERMS {
                continue;
            }
            if len + t.len() + 2 > PROMPT_CHARS {
                break;
            }
            len += t.len() + 2;
            out.push(t);
        }
        if out.is_empty() {
            String::new()
        } else {
            format!("{}.", out.join(", "))
        }
    }
}

/// The bank vocabulary of `rounds` (in order) and, as extra terms, every
/// jargon word in it and in the key points' text.
fn bank_terms(rounds: &[&Round]) -> (Vec<String>, Vec<TermSpec>) {
    let mut vocab = Vec::new();
    let mut seen = HashSet::new();
    let mut extra = Vec::new();
    let mut add = |w: &str, extra: &mut Vec<TermSpec>| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let w = w.strip_suffix("'s").unwrap_or(w);
        // "ALBs" → "ALB": the plural is derived again from the term.
        let caps = w.chars().filter(char::is_ascii_uppercase).count();
        let w = match w.strip_suffix('s') {
            Some(stem) if caps >= 2 && stem.chars().all(|c| c.is_ascii_uppercase()) => stem,
            _ => w,
        };
        if is_jargon_word(w) && seen.insert(w.to_lowercase()) {
            extra.push(TermSpec::new(w, &[]));
        }
    };
    for r in rounds {
        for v in &r.vocabulary {
            vocab.push(v.clone());
            v.split_whitespace().for_each(|w| add(w, &mut extra));
        }
        for q in &r.question {
            for k in &q.key_points {
                k.text.split_whitespace().for_each(|w| add(w, &mut extra));
            }
        }
    }
    (vocab, extra)
}

/// A self-form is worth adding when the canonical's own words, spaced and
/// lowercased, differ from how it must be written: a mixed-case or digit word
/// inside ("Configmap" → "ConfigMap"), or a separator ("kube-proxy", "CI/CD").
/// Not for bare acronyms: "use", "red" and "has" are English, so lowercase
/// acronym forms come only from the term file.
fn needs_self_form(canonical: &str) -> bool {
    let acronym = |w: &str| w.chars().all(|c| c.is_ascii_uppercase());
    canonical
        .split(' ')
        .any(|w| is_jargon_word(w) && !acronym(w))
        || canonical.contains(['-', '/', '.', '_'])
}

fn compile(specs: &[TermSpec], rules: &Rules, phonetic: phonetic::Phonetic) -> Matcher {
    let lower = |v: &[String]| -> HashSet<String> { v.iter().map(|s| s.to_lowercase()).collect() };
    let never: HashSet<String> = rules
        .never
        .iter()
        .filter_map(|n| text::form_key(n))
        .collect();
    let mut forms: HashMap<String, Vec<Entry>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut conds = Vec::with_capacity(specs.len());
    for (idx, t) in specs.iter().enumerate() {
        conds.push(Cond {
            canonical: t.canonical.clone(),
            context: lower(&t.context),
            before: lower(&t.before),
            not_before: lower(&t.not_before),
        });
        let mut add = |form: &str, out: &str, ambiguous: bool| {
            let Some(key) = text::form_key(form) else {
                return;
            };
            if never.contains(&key) || key.len() <= 2 {
                return;
            }
            let entry = Entry {
                out: out.to_string(),
                term: idx,
                ambiguous,
            };
            let list = forms.entry(key.clone()).or_insert_with(|| {
                order.push(key.clone());
                Vec::new()
            });
            if !list.iter().any(|e| e.out == entry.out) {
                list.push(entry);
            }
        };
        let mut own: Vec<(String, bool)> = Vec::new();
        own.extend(t.forms.iter().map(|f| (f.clone(), false)));
        own.extend(t.ambiguous.iter().map(|f| (f.clone(), true)));
        if needs_self_form(&t.canonical) {
            own.push((t.canonical.clone(), false));
        }
        let words: Vec<&str> = t.canonical.split(' ').collect();
        for (wi, w) in words.iter().enumerate() {
            for d in derived_forms(w) {
                let mut v: Vec<String> = words.iter().map(|x| x.to_string()).collect();
                v[wi] = d;
                own.push((v.join(" "), false));
            }
        }
        let plural = t.plural();
        for (f, amb) in &own {
            add(f, &t.canonical, *amb);
            let last_long = f
                .split([' ', '-'])
                .next_back()
                .is_some_and(|w| w.len() >= 2);
            if plural && last_long && !f.ends_with('s') {
                add(&format!("{f}s"), &format!("{}s", t.canonical), *amb);
                add(&format!("{f}'s"), &format!("{}'s", t.canonical), *amb);
            }
        }
    }
    let rule_words = numbers::RuleWords {
        version_cues: lower(&rules.version_cues),
        units: lower(&rules.units),
        commands: lower(&rules.commands),
    };
    let list = order
        .into_iter()
        .map(|k| {
            let e = forms.remove(&k).unwrap_or_default();
            (k, e)
        })
        .collect();
    Matcher::new(list, conds, rule_words, phonetic)
}
