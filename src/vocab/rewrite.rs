//! The matcher: every form of every term in one Aho-Corasick automaton, run
//! over a normalised copy of the transcript in which joined words are
//! separated by one space and anything else (a sentence end, a comma) by
//! " | ", so no form can match across it.

use super::focus::Focus;
use super::numbers::{rule_at, RuleWords};
use super::phonetic::Phonetic;
use super::text::{words, Word};
use super::{Rewrite, Rewritten};
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::{HashMap, HashSet};

/// What a matched form turns into.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The replacement text (the canonical, or its plural).
    pub out: String,
    /// Index of the term, for its context lists.
    pub term: usize,
    /// Needs `context` or `before` to fire.
    pub ambiguous: bool,
}

/// A term's context lists, lowercase.
#[derive(Debug, Clone, Default)]
pub struct Cond {
    /// The term's canonical spelling (for the focus).
    pub canonical: String,
    pub context: HashSet<String>,
    pub before: HashSet<String>,
    pub not_before: HashSet<String>,
}

#[derive(Debug, Clone)]
pub struct Matcher {
    ac: Option<AhoCorasick>,
    /// Per pattern: its word count and entries, unambiguous first.
    entries: Vec<(usize, Vec<Entry>)>,
    conds: Vec<Cond>,
    rules: RuleWords,
    /// Derived matches of renderings no form lists.
    phonetic: Phonetic,
    phonetic_on: bool,
}

impl Matcher {
    /// `forms` maps a form key ("kube control") to its entries.
    pub fn new(
        forms: Vec<(String, Vec<Entry>)>,
        conds: Vec<Cond>,
        rules: RuleWords,
        phonetic: Phonetic,
    ) -> Self {
        let mut pats = Vec::with_capacity(forms.len());
        let mut entries = Vec::with_capacity(forms.len());
        for (key, mut e) in forms {
            e.sort_by_key(|x| x.ambiguous);
            entries.push((key.split(' ').count(), e));
            pats.push(format!("{key} "));
        }
        let ac = (!pats.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&pats)
                .expect("term forms compile")
        });
        Matcher {
            ac,
            entries,
            conds,
            rules,
            phonetic,
            phonetic_on: true,
        }
    }

    /// Turns the phonetic pass on or off (for measuring it).
    pub fn set_phonetic(&mut self, on: bool) {
        self.phonetic_on = on;
    }

    pub fn pattern_count(&self) -> usize {
        self.entries.len()
    }

    /// Rewrites `text`: at each word, the longest form whose conditions hold
    /// (a term in `focus` needs no context word), else a number/flag rule,
    /// else a window that sounds like a term in focus, else one that sounds
    /// like a term in force, else the word is kept.
    pub fn rewrite(&self, text: &str, focus: Option<&Focus>) -> Rewritten {
        let ws = words(text);
        let cands = self.candidates(&ws);
        let mut eff: Vec<String> = ws.iter().map(|w| w.norm.clone()).collect();
        let mut hits: Vec<(usize, usize, String)> = Vec::new();
        let mut i = 0;
        while i < ws.len() {
            let found = cands[i].iter().find_map(|&(n, pid)| {
                self.entries[pid]
                    .1
                    .iter()
                    .find(|e| self.allowed(&ws, &eff, i, i + n, e, focus))
                    .map(|e| (i + n, ws[i].start, e.out.clone()))
            });
            let found = found
                .or_else(|| rule_at(&ws, &eff, i, &self.rules).map(|h| (h.last, h.start, h.text)))
                .or_else(|| self.phonetic_at(text, &ws, &cands, i, focus));
            match found {
                Some((j, start, out)) => {
                    for e in &mut eff[i..j] {
                        *e = out.to_lowercase();
                    }
                    hits.push((start, ws[j - 1].end, out));
                    i = j;
                }
                None => i += 1,
            }
        }
        let mut out = String::with_capacity(text.len());
        let mut rewrites = Vec::new();
        let mut pos = 0;
        for (start, end, canonical) in hits {
            let raw = &text[start..end];
            if raw == canonical {
                continue;
            }
            out.push_str(&text[pos..start]);
            out.push_str(&canonical);
            rewrites.push(Rewrite {
                raw: raw.trim_start().to_string(),
                canonical,
                start,
                end,
            });
            pos = end;
        }
        out.push_str(&text[pos..]);
        Rewritten {
            text: out,
            raw: text.to_string(),
            rewrites,
        }
    }

    /// The longest window of joined words from `i` that sounds like a term
    /// in focus (five words at most, see [`Phonetic::focus_term_for`]), else
    /// like a term in force (three at most), unless a listed form starts
    /// inside it or a longer window spells a term the phonetic pass leaves
    /// to the term file.
    fn phonetic_at(
        &self,
        text: &str,
        ws: &[Word],
        cands: &[Vec<(usize, usize)>],
        i: usize,
        focus: Option<&Focus>,
    ) -> Option<(usize, usize, String)> {
        if !self.phonetic_on {
            return None;
        }
        let joined = (i + 1..ws.len()).take_while(|&k| ws[k].joined).count();
        let window = |n: usize| -> Option<Vec<&str>> {
            let listed_inside = (i + 1..i + n).any(|k| !cands[k].is_empty());
            (!listed_inside).then(|| ws[i..i + n].iter().map(|w| &text[w.start..w.end]).collect())
        };
        if let Some(f) = focus {
            for n in (1..=(joined + 1).min(5)).rev() {
                let Some(w) = window(n) else { continue };
                if let Some(t) = f.phonetic.focus_term_for(&w) {
                    return Some((i + n, ws[i].start, t.to_string()));
                }
            }
        }
        for n in (1..=(joined + 1).min(3)).rev() {
            let Some(w) = window(n) else { continue };
            if let Some(t) = self.phonetic.term_for(&w) {
                return Some((i + n, ws[i].start, t.to_string()));
            }
            if self.phonetic.spells_a_term(&w) {
                return None;
            }
        }
        None
    }

    /// Per word: (word count, pattern id) of the forms starting there, longest first.
    fn candidates(&self, ws: &[Word]) -> Vec<Vec<(usize, usize)>> {
        let mut cands = vec![Vec::new(); ws.len()];
        let Some(ac) = &self.ac else {
            return cands;
        };
        let mut hay = String::new();
        let mut at: HashMap<usize, usize> = HashMap::with_capacity(ws.len());
        for (k, w) in ws.iter().enumerate() {
            if k > 0 {
                hay.push_str(if w.joined { " " } else { " | " });
            }
            at.insert(hay.len(), k);
            hay.push_str(&w.norm);
        }
        hay.push(' ');
        for m in ac.find_overlapping_iter(&hay) {
            if let Some(&k) = at.get(&m.start()) {
                let pid = m.pattern().as_usize();
                cands[k].push((self.entries[pid].0, pid));
            }
        }
        for c in &mut cands {
            c.sort_by_key(|&(n, pid)| (std::cmp::Reverse(n), pid));
        }
        cands
    }

    /// `eff` holds each word after earlier rewrites, so "cube cuddle" already
    /// counts as the context word "kubectl".
    fn allowed(
        &self,
        ws: &[Word],
        eff: &[String],
        i: usize,
        j: usize,
        e: &Entry,
        focus: Option<&Focus>,
    ) -> bool {
        let cond = &self.conds[e.term];
        let sent = ws[i].sent;
        let next = ws.get(j).filter(|w| w.sent == sent);
        if next.is_some_and(|w| cond.not_before.contains(&w.norm)) {
            return false;
        }
        if !e.ambiguous || focus.is_some_and(|f| f.holds(&cond.canonical)) {
            return true;
        }
        let context_ok = cond.context.is_empty()
            || ws
                .iter()
                .enumerate()
                .filter(|(k, w)| w.sent == sent && (*k < i || *k >= j))
                .any(|(k, w)| cond.context.contains(&w.norm) || cond.context.contains(&eff[k]));
        let before_ok =
            cond.before.is_empty() || next.is_some_and(|w| cond.before.contains(&w.norm));
        context_ok && before_ok
    }
}
