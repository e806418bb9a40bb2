//! Forms derived from a term's spelling, for question-bank terms that the term
//! file does not list: "CoreDNS" → "core dns", "core d n s"; "EC2" → "e c 2",
//! "e c two"; "values.yaml" → "values dot yaml". Only jargon-shaped words get
//! forms, and only forms holding a spelled-out or acronym part: "EndpointSlice"
//! would give "endpoint slice", which is ordinary English and left to the term
//! file to allow.

const DIGIT_WORDS: [&str; 10] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];

/// A word engineers write in a way speech cannot: camel case, two or more
/// capitals, letters mixed with digits, or inner dots/underscores.
pub fn is_jargon_word(w: &str) -> bool {
    let chars: Vec<char> = w.chars().collect();
    if chars.len() < 2 || !chars.iter().any(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let camel = chars
        .windows(2)
        .any(|p| p[0].is_ascii_lowercase() && p[1].is_ascii_uppercase());
    let caps = chars.iter().filter(|c| c.is_ascii_uppercase()).count() >= 2;
    let digits = chars.iter().any(|c| c.is_ascii_digit());
    let inner = chars
        .windows(3)
        .any(|p| p[0].is_alphanumeric() && matches!(p[1], '.' | '_') && p[2].is_alphanumeric());
    camel || caps || digits || inner
}

/// One piece of a jargon word and how it may be spoken.
#[derive(Debug, PartialEq)]
enum Part {
    Word(String),
    Acronym(String),
    Digits(String),
    Sep(char),
}

fn split(word: &str) -> Vec<Part> {
    let chars: Vec<char> = word.chars().collect();
    let mut parts = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, parts: &mut Vec<Part>| {
        if cur.is_empty() {
            return;
        }
        let s = std::mem::take(cur);
        if s.chars().all(|c| c.is_ascii_digit()) {
            parts.push(Part::Digits(s));
        } else if s.len() >= 2 && s.chars().all(|c| c.is_ascii_uppercase()) {
            parts.push(Part::Acronym(s.to_lowercase()));
        } else {
            parts.push(Part::Word(s.to_lowercase()));
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            flush(&mut cur, &mut parts);
            parts.push(Part::Sep(c));
            continue;
        }
        if let Some(&p) = cur.chars().last().as_ref() {
            let next = chars.get(i + 1).copied();
            let boundary = (p.is_ascii_lowercase() && c.is_ascii_uppercase())
                || (p.is_ascii_digit() != c.is_ascii_digit())
                || (p.is_ascii_uppercase()
                    && c.is_ascii_uppercase()
                    && next.is_some_and(|n| n.is_ascii_lowercase()));
            if boundary {
                flush(&mut cur, &mut parts);
            }
        }
        cur.push(c);
    }
    flush(&mut cur, &mut parts);
    parts
}

/// Spoken variants of each part; `true` marks a variant speech gives away
/// (spelled letters, digits, "dot").
fn variants(p: &Part) -> Vec<(String, bool)> {
    match p {
        Part::Word(w) => vec![(w.clone(), false)],
        Part::Acronym(a) => {
            let spelled: Vec<String> = a.chars().map(|c| c.to_string()).collect();
            vec![(a.clone(), true), (spelled.join(" "), true)]
        }
        Part::Digits(d) => {
            let mut v = vec![(d.clone(), true)];
            if let Ok(n) = d.parse::<usize>() {
                if d.len() == 1 {
                    v.push((DIGIT_WORDS[n].to_string(), true));
                }
            }
            v
        }
        Part::Sep('.') => vec![("dot".into(), true), (String::new(), false)],
        Part::Sep('_') => vec![("underscore".into(), true), (String::new(), false)],
        Part::Sep(_) => vec![(String::new(), false)],
    }
}

/// Spoken forms of a jargon word, excluding its own spelling; empty for a
/// plain word.
pub fn derived_forms(word: &str) -> Vec<String> {
    if !is_jargon_word(word) {
        return Vec::new();
    }
    let parts = split(word);
    let mut forms: Vec<(Vec<String>, bool)> = vec![(Vec::new(), false)];
    for p in &parts {
        let mut next = Vec::new();
        for (acc, marked) in &forms {
            for (v, m) in variants(p) {
                let mut a = acc.clone();
                if !v.is_empty() {
                    a.push(v);
                }
                next.push((a, *marked || m));
            }
        }
        next.truncate(32);
        forms = next;
    }
    let own = super::text::form_key(word);
    let mut out: Vec<String> = forms
        .into_iter()
        .filter(|(words, marked)| *marked && words.len() >= 2)
        .map(|(words, _)| words.join(" "))
        .filter(|f| Some(f) != own.as_ref())
        .collect();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jargon_words_are_recognised() {
        for w in [
            "ConfigMap",
            "EKS",
            "EC2",
            "p99",
            "values.yaml",
            "workflow_call",
            "selfHeal",
        ] {
            assert!(is_jargon_word(w), "{w}");
        }
        for w in ["Terraform", "kubectl", "kube-proxy", "Pod", "a", "42"] {
            assert!(!is_jargon_word(w), "{w}");
        }
    }

    #[test]
    fn acronym_and_digit_parts_are_spelled() {
        let f = derived_forms("CoreDNS");
        assert!(f.contains(&"core dns".to_string()), "{f:?}");
        assert!(f.contains(&"core d n s".to_string()), "{f:?}");
        let f = derived_forms("EC2");
        for want in ["ec 2", "e c 2", "e c two", "ec two"] {
            assert!(f.contains(&want.to_string()), "{f:?}");
        }
        let f = derived_forms("OOMKilled");
        assert!(f.contains(&"o o m killed".to_string()), "{f:?}");
        assert!(derived_forms("values.yaml").contains(&"values dot yaml".to_string()));
    }

    #[test]
    fn plain_word_splits_are_not_derived() {
        assert!(derived_forms("EndpointSlice").is_empty());
        assert!(derived_forms("OutOfSync").is_empty());
        assert!(derived_forms("Terraform").is_empty());
        // "values yaml" (no "dot") is all plain words: only the dotted form.
        assert_eq!(derived_forms("values.yaml"), vec!["values dot yaml"]);
    }
}
