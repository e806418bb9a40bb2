//! Spoken numbers to digits: "one point six" → "1.6", "twenty five" → "25",
//! "seven five five" → "755", "one thirty seven" → "137".

use super::normalize::RawWord;
use super::speech::{SCALES, TENS, UNITS};

fn lookup(table: &[(&str, u64)], w: &str) -> Option<u64> {
    table.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
}

fn is_number_word(w: &str) -> bool {
    (w != "oh" && lookup(UNITS, w).is_some())
        || lookup(TENS, w).is_some()
        || lookup(SCALES, w).is_some()
}

/// "one point six" → "1.6", "twenty five" → "25", "three hundred" → "300";
/// digit-by-digit groups join: "seven five five" → "755", "one thirty seven" → "137".
pub(super) fn convert_numbers(words: Vec<RawWord>) -> Vec<RawWord> {
    let mut out: Vec<RawWord> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        if !is_number_word(&words[i].text) {
            out.push(words[i].clone());
            i += 1;
            continue;
        }
        let start = i;
        let (mut text, next) = number_group(&words, i);
        i = next;
        // Following groups in the same breath concatenate ("five oh three" → "503").
        while i < words.len()
            && words[i].sent == words[start].sent
            && (is_number_word(&words[i].text) || (words[i].text == "oh" && i > start))
            && !text.contains('.')
        {
            if lookup(SCALES, &words[i].text).is_some() {
                break;
            }
            let (more, n) = if words[i].text == "oh" {
                ("0".to_string(), i + 1)
            } else {
                number_group(&words, i)
            };
            if more.parse::<u64>().map_or(true, |v| v >= 100) {
                break;
            }
            text.push_str(&more);
            i = n;
        }
        let mut end = words[i - 1].end;
        // Decimal part: "point six", "point oh five".
        if i + 1 < words.len() && words[i].text == "point" {
            let mut digits = String::new();
            let mut j = i + 1;
            while j < words.len() {
                match lookup(UNITS, &words[j].text).filter(|v| *v < 10) {
                    Some(d) => digits.push_str(&d.to_string()),
                    None => break,
                }
                j += 1;
            }
            if !digits.is_empty() {
                text = format!("{text}.{digits}");
                end = words[j - 1].end;
                i = j;
            }
        }
        out.push(RawWord {
            text,
            start: words[start].start,
            end,
            sent: words[start].sent,
            cut: false,
        });
    }
    out
}

/// One conventional number starting at `i`; returns its digits and the next index.
fn number_group(words: &[RawWord], mut i: usize) -> (String, usize) {
    let start = i;
    let (mut total, mut current) = (0u64, 0u64);
    let mut last_tens = false;
    while i < words.len() && words[i].sent == words[start].sent && is_number_word(&words[i].text) {
        let w = &words[i].text;
        if let Some(s) = lookup(SCALES, w) {
            current = current.max(1) * s;
            if s >= 1000 {
                total += current;
                current = 0;
            }
            last_tens = false;
        } else if let Some(t) = lookup(TENS, w) {
            if current % 100 != 0 || (i > start && !last_scale(words, i)) {
                break;
            }
            current += t;
            last_tens = true;
        } else if let Some(u) = lookup(UNITS, w) {
            let fresh = i == start || last_scale(words, i);
            if !(fresh || (last_tens && u < 10)) {
                break;
            }
            current += u;
            last_tens = false;
        }
        i += 1;
    }
    ((total + current).to_string(), i)
}

fn last_scale(words: &[RawWord], i: usize) -> bool {
    i > 0 && lookup(SCALES, &words[i - 1].text).is_some()
}

/// Spoken numbers among lowercase words written as digits ("thirty
/// seconds" → "30 seconds").
pub fn numbers_in_words(words: Vec<String>) -> Vec<String> {
    let raw = words
        .into_iter()
        .map(|text| RawWord {
            text,
            start: 0,
            end: 0,
            sent: 0,
            cut: false,
        })
        .collect();
    convert_numbers(raw).into_iter().map(|w| w.text).collect()
}
