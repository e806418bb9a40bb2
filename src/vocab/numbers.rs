//! Rules for spoken numbers and flags that no term list can hold:
//! "one point twenty nine" → "1.29" (only in a version context), "ten dot zero
//! dot zero dot zero" → "10.0.0.0", "slash twenty four" → "/24" (attached to an
//! address before it), "dash dash previous" → "--previous", "dash n" → "-n"
//! after a command.

use super::text::Word;
use std::collections::HashSet;

/// The word lists the rules consult (lowercase).
#[derive(Debug, Clone, Default)]
pub struct RuleWords {
    pub version_cues: HashSet<String>,
    pub units: HashSet<String>,
    pub commands: HashSet<String>,
}

/// A rule's rewrite: words `[first, last)` become `text`, starting at byte
/// `start` (which may reach back over the space before the first word).
#[derive(Debug, PartialEq)]
pub struct RuleHit {
    pub last: usize,
    pub start: usize,
    pub text: String,
}

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// A number up to `max` at word `i`: digits ("24") or words ("twenty four");
/// returns the value and the next word's index.
pub fn number(words: &[Word], i: usize, max: u32) -> Option<(u32, usize)> {
    let w = words.get(i)?;
    if !w.norm.is_empty() && w.norm.len() <= 3 && w.norm.chars().all(|c| c.is_ascii_digit()) {
        let v: u32 = w.norm.parse().ok()?;
        return (v <= max).then_some((v, i + 1));
    }
    if let Some(u) = UNITS.iter().position(|u| *u == w.norm) {
        return (u as u32 <= max).then_some((u as u32, i + 1));
    }
    let t = TENS.iter().position(|t| *t == w.norm)?;
    let mut v = 20 + 10 * t as u32;
    let mut next = i + 1;
    if let Some(n) = words.get(i + 1).filter(|n| n.joined) {
        if let Some(u) = UNITS[1..10].iter().position(|u| *u == n.norm) {
            v += u as u32 + 1;
            next = i + 2;
        }
    }
    (v <= max).then_some((v, next))
}

fn is_word(words: &[Word], i: usize, any: &[&str]) -> bool {
    words
        .get(i)
        .is_some_and(|w| w.joined && any.contains(&w.norm.as_str()))
}

fn is_ipv4(s: &str) -> bool {
    let p: Vec<&str> = s.split('.').collect();
    p.len() == 4 && p.iter().all(|x| x.parse::<u8>().is_ok())
}

fn is_version(s: &str) -> bool {
    let p: Vec<&str> = s.split('.').collect();
    p.len() >= 2
        && p.iter()
            .all(|x| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit()))
}

/// Tries every rule at word `i`. `eff[k]` is word k's text after earlier
/// rewrites (lowercase), so "terra form" counts as the cue "terraform".
pub fn rule_at(words: &[Word], eff: &[String], i: usize, rw: &RuleWords) -> Option<RuleHit> {
    ip_address(words, i)
        .or_else(|| version(words, eff, i, rw))
        .or_else(|| slash(words, eff, i))
        .or_else(|| dashes(words, eff, i, rw))
}

fn ip_address(words: &[Word], i: usize) -> Option<RuleHit> {
    let mut parts = Vec::new();
    let mut j = i;
    for k in 0..4 {
        if k > 0 {
            if !is_word(words, j, &["dot", "point"]) {
                return None;
            }
            j += 1;
        }
        let (v, n) = number(words, j, 255)?;
        if k > 0 && !words[j].joined {
            return None;
        }
        parts.push(v.to_string());
        j = n;
    }
    Some(RuleHit {
        last: j,
        start: words[i].start,
        text: parts.join("."),
    })
}

fn version(words: &[Word], eff: &[String], i: usize, rw: &RuleWords) -> Option<RuleHit> {
    let (major, mut j) = number(words, i, 99)?;
    let mut text = major.to_string();
    let mut parts = 1;
    while parts < 3 && is_word(words, j, &["point", "dot"]) {
        let Some((v, n)) = words
            .get(j + 1)
            .filter(|w| w.joined)
            .and(number(words, j + 1, 99))
        else {
            break;
        };
        text.push_str(&format!(".{v}"));
        j = n;
        parts += 1;
    }
    if parts < 2 {
        return None;
    }
    let sent = words[i].sent;
    if words
        .get(j)
        .is_some_and(|w| w.sent == sent && rw.units.contains(&w.norm))
    {
        return None;
    }
    let cue = (i.saturating_sub(3)..i)
        .filter(|&k| words[k].sent == sent)
        .any(|k| rw.version_cues.contains(&eff[k]) || is_version(&eff[k]));
    cue.then(|| RuleHit {
        last: j,
        start: words[i].start,
        text,
    })
}

fn slash(words: &[Word], eff: &[String], i: usize) -> Option<RuleHit> {
    if words[i].norm != "slash" || !words.get(i + 1).is_some_and(|w| w.joined) {
        return None;
    }
    let (v, j) = number(words, i + 1, 128)?;
    let attach = i > 0 && words[i].joined && is_ipv4(&eff[i - 1]);
    let start = if attach {
        words[i - 1].end
    } else {
        words[i].start
    };
    Some(RuleHit {
        last: j,
        start,
        text: format!("/{v}"),
    })
}

fn dashes(words: &[Word], eff: &[String], i: usize, rw: &RuleWords) -> Option<RuleHit> {
    if words[i].norm != "dash" {
        return None;
    }
    let flag = |k: usize| {
        words
            .get(k)
            .filter(|w| w.joined && w.norm.chars().all(|c| c.is_ascii_alphabetic()))
            .map(|w| w.norm.clone())
    };
    if is_word(words, i + 1, &["dash"]) {
        let f = flag(i + 2)?;
        return Some(RuleHit {
            last: i + 3,
            start: words[i].start,
            text: format!("--{f}"),
        });
    }
    // One "dash" after a command: "-n" for a letter or two, "--previous" for
    // a word (Whisper often drops the second "dash").
    let f = flag(i + 1)?;
    let sent = words[i].sent;
    let after_command = (0..i)
        .rev()
        .take_while(|&k| words[k].sent == sent)
        .any(|k| rw.commands.contains(&eff[k]));
    let dashes = if f.len() <= 2 { "-" } else { "--" };
    after_command.then(|| RuleHit {
        last: i + 2,
        start: words[i].start,
        text: format!("{dashes}{f}"),
    })
}
