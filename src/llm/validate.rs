//! Checking what the model said before anything is used: the JSON is found
//! and parsed, ratings must be whole numbers 1–4 (anything else falls back),
//! the Technology Justification is clamped into 1–4, lists are trimmed to
//! three short sentences, and replies that are empty, echo the prompt or are
//! cut off at the token limit are refused.

use super::{LlmError, Reply};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A grade as the model gave it, after validation and clamping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelGrade {
    pub rating: u8,
    pub tech_justification: u8,
    pub strengths: Vec<String>,
    pub gaps: Vec<String>,
    pub key_point: String,
    /// What was clamped or trimmed, if anything.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clamped: Vec<String>,
}

const MAX_ITEMS: usize = 3;
const MAX_CHARS: usize = 240;

/// The first JSON object in `text` (bare, in a code fence, or after prose).
pub fn extract_json(text: &str) -> Result<Value, LlmError> {
    let start = text
        .find('{')
        .ok_or_else(|| LlmError::InvalidJson(format!("no JSON object in {}", preview(text))))?;
    let mut stream = serde_json::Deserializer::from_str(&text[start..]).into_iter::<Value>();
    match stream.next() {
        Some(Ok(v @ Value::Object(_))) => Ok(v),
        Some(Ok(_)) => Err(LlmError::InvalidJson("not an object".into())),
        Some(Err(e)) if e.is_eof() => Err(LlmError::InvalidJson(format!(
            "the JSON is cut short: {}",
            preview(&text[start..])
        ))),
        Some(Err(e)) => Err(LlmError::InvalidJson(e.to_string())),
        None => Err(LlmError::InvalidJson("empty reply".into())),
    }
}

fn preview(text: &str) -> String {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        return "an empty reply".into();
    }
    let mut p: String = t.chars().take(60).collect();
    if t.chars().count() > 60 {
        p.push('…');
    }
    format!("\"{p}\"")
}

fn parse_reply(reply: &Reply) -> Result<serde_json::Map<String, Value>, LlmError> {
    match extract_json(&reply.content) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => unreachable!("extract_json returns objects"),
        Err(_) if reply.truncated => Err(LlmError::Truncated),
        Err(e) => Err(e),
    }
}

/// An integer 1–4 from a number or a numeric string.
fn scale(v: Option<&Value>, field: &'static str) -> Result<i64, LlmError> {
    let n = match v {
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    n.ok_or_else(|| LlmError::Invalid(format!("{field} is missing or not a whole number")))
}

fn echoes_prompt(s: &str) -> bool {
    let l = s.to_lowercase();
    l.contains("<answer>")
        || l.contains("json")
        || l.contains("rating scale")
        // the examples in the grading prompt, copied instead of judged
        || l.contains("how the scheduler places pods")
        || l.contains("what happens when a node fails")
}

fn sentence(s: &str) -> Option<String> {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.split(' ').count() < 2 {
        return None;
    }
    if t.chars().count() <= MAX_CHARS {
        return Some(t);
    }
    let mut cut: String = t.chars().take(MAX_CHARS).collect();
    if let Some(i) = cut.rfind(' ') {
        cut.truncate(i);
    }
    cut.push('…');
    Some(cut)
}

fn list(
    v: Option<&Value>,
    field: &str,
    clamped: &mut Vec<String>,
) -> Result<Vec<String>, LlmError> {
    let raw: Vec<String> = match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        None | Some(Value::Null) => Vec::new(),
        Some(_) => return Err(LlmError::Invalid(format!("{field} is not a list"))),
    };
    let mut out: Vec<String> = Vec::new();
    for s in &raw {
        if echoes_prompt(s) {
            return Err(LlmError::Invalid(format!("{field} echoes the prompt")));
        }
        if let Some(t) = sentence(s) {
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    if out.len() > MAX_ITEMS {
        clamped.push(format!("{field}: kept {MAX_ITEMS} of {}", out.len()));
        out.truncate(MAX_ITEMS);
    }
    Ok(out)
}

/// Validates and clamps a grading reply; an unusable one is named with a
/// preview of what the model said.
pub fn grade(reply: &Reply) -> Result<ModelGrade, LlmError> {
    grade_inner(reply).map_err(|e| match e {
        LlmError::Invalid(why) => {
            LlmError::Invalid(format!("{why} in {}", preview(&reply.content)))
        }
        e => e,
    })
}

fn grade_inner(reply: &Reply) -> Result<ModelGrade, LlmError> {
    let m = parse_reply(reply)?;
    let mut clamped = Vec::new();
    let rating = scale(m.get("rating"), "rating")?;
    if !(1..=4).contains(&rating) {
        return Err(LlmError::OutOfRange {
            field: "rating",
            value: rating,
        });
    }
    let tj_raw = scale(m.get("tech_justification"), "tech_justification")?;
    let tj = tj_raw.clamp(1, 4);
    if tj != tj_raw {
        clamped.push(format!("tech_justification {tj_raw} → {tj}"));
    }
    let strengths = list(m.get("strengths"), "strengths", &mut clamped)?;
    let gaps = list(m.get("gaps"), "gaps", &mut clamped)?;
    if strengths.is_empty() && gaps.is_empty() {
        return Err(LlmError::Invalid("no strengths and no gaps".into()));
    }
    if let Some(both) = strengths.iter().find(|s| gaps.contains(s)) {
        return Err(LlmError::Invalid(format!(
            "the same sentence is a strength and a gap ({})",
            preview(both)
        )));
    }
    let key_point = m
        .get("key_point")
        .and_then(Value::as_str)
        .and_then(sentence)
        .filter(|k| k.split(' ').count() >= 3)
        .ok_or_else(|| LlmError::Invalid("no usable key point".into()))?;
    if echoes_prompt(&key_point) {
        return Err(LlmError::Invalid("key point echoes the prompt".into()));
    }
    Ok(ModelGrade {
        rating: rating as u8,
        tech_justification: tj as u8,
        strengths,
        gaps,
        key_point,
        clamped,
    })
}

/// Validates a question reply (`{"question": "…?"}`); `must_quote` lists
/// backticked names the question has to keep.
pub fn question(reply: &Reply, must_quote: &[String]) -> Result<String, LlmError> {
    let m = parse_reply(reply)?;
    let q = m
        .get("question")
        .and_then(Value::as_str)
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .ok_or_else(|| LlmError::Invalid("no question in the reply".into()))?;
    let words = q.split(' ').filter(|w| !w.is_empty()).count();
    if !(4..=60).contains(&words) {
        return Err(LlmError::Invalid(format!(
            "a question of {words} words (4–60 expected)"
        )));
    }
    if !q.ends_with('?') {
        return Err(LlmError::Invalid(format!(
            "not a question: {}",
            preview(&q)
        )));
    }
    if echoes_prompt(&q) {
        return Err(LlmError::Invalid("the question echoes the prompt".into()));
    }
    if let Some(missing) = must_quote.iter().find(|n| !q.contains(n.as_str())) {
        return Err(LlmError::Invalid(format!(
            "the question drops the reference {missing}"
        )));
    }
    Ok(q)
}

/// The backticked names in `text` (`` `main.tf` ``), with their backticks.
pub fn backticked(text: &str) -> Vec<String> {
    text.split('`')
        .enumerate()
        .filter(|(i, s)| i % 2 == 1 && !s.is_empty())
        .map(|(_, s)| format!("`{s}`"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(s: &str) -> Reply {
        Reply {
            content: s.into(),
            truncated: false,
        }
    }

    const GOOD: &str = r#"{"rating": 3, "tech_justification": 2, "strengths": ["Explained the scale-up trigger."], "gaps": ["Did not mention consolidation."], "key_point": "Karpenter provisions nodes directly and consolidates them."}"#;

    #[test]
    fn extracts_json_from_fences_and_prose() {
        let g = grade(&reply(&format!("Sure! ```json\n{GOOD}\n```"))).unwrap();
        assert_eq!((g.rating, g.tech_justification), (3, 2));
        assert_eq!(g.strengths, vec!["Explained the scale-up trigger."]);
        assert!(g.clamped.is_empty());
    }

    #[test]
    fn rating_out_of_range_is_refused_and_tech_justification_clamped() {
        let e = grade(&reply(&GOOD.replace("\"rating\": 3", "\"rating\": 7"))).unwrap_err();
        assert_eq!(e.to_string(), "rating 7 out of range 1–4");
        let e = grade(&reply(&GOOD.replace("\"rating\": 3", "\"rating\": 0"))).unwrap_err();
        assert!(matches!(e, LlmError::OutOfRange { value: 0, .. }));
        let g = grade(&reply(
            &GOOD.replace("\"tech_justification\": 2", "\"tech_justification\": 9"),
        ))
        .unwrap();
        assert_eq!(g.tech_justification, 4);
        assert_eq!(g.clamped, vec!["tech_justification 9 → 4"]);
        let g = grade(&reply(&GOOD.replace("\"rating\": 3", "\"rating\": \"2\""))).unwrap();
        assert_eq!(g.rating, 2);
        assert!(grade(&reply(&GOOD.replace("\"rating\": 3", "\"rating\": 2.5"))).is_err());
    }

    #[test]
    fn lists_are_trimmed_deduplicated_and_capped() {
        let long = "word ".repeat(100);
        let r = format!(
            r#"{{"rating":2,"tech_justification":2,"strengths":["a b","a b","c d","e f","g h"],"gaps":["{long}"],"key_point":"say the key thing"}}"#
        );
        let g = grade(&reply(&r)).unwrap();
        assert_eq!(g.strengths, vec!["a b", "c d", "e f"]);
        assert!(g.gaps[0].chars().count() <= MAX_CHARS + 1 && g.gaps[0].ends_with('…'));
        assert_eq!(g.clamped, vec!["strengths: kept 3 of 4"]);
    }

    #[test]
    fn junk_is_refused_with_a_reason() {
        let cases = [
            (
                "",
                "invalid JSON in the reply: no JSON object in an empty reply",
            ),
            ("I think the answer is good", "no JSON object"),
            (r#"{"rating": 3, "tech_"#, "cut short"),
            (r#"{"rating": 3}"#, "tech_justification is missing"),
            (
                r#"{"rating":3,"tech_justification":3,"strengths":[],"gaps":[],"key_point":"x y z"}"#,
                "no strengths and no gaps",
            ),
            (
                r#"{"rating":3,"tech_justification":3,"strengths":["Reply with JSON only"],"gaps":[],"key_point":"x y z"}"#,
                "echoes the prompt",
            ),
            (
                r#"{"rating":3,"tech_justification":3,"strengths":["good point"],"gaps":[],"key_point":""}"#,
                "no usable key point",
            ),
            (
                r#"{"rating":1,"tech_justification":1,"strengths":["1. Unjustified: name it"],"gaps":["1. Unjustified: name it"],"key_point":"x y z"}"#,
                "the same sentence is a strength and a gap",
            ),
        ];
        for (text, want) in cases {
            let e = grade(&reply(text)).unwrap_err().to_string();
            assert!(e.contains(want), "{text:?} → {e}");
        }
        let cut = Reply {
            content: r#"{"rating": 3, "tech_justification": 2, "stren"#.into(),
            truncated: true,
        };
        assert_eq!(grade(&cut).unwrap_err(), LlmError::Truncated);
    }

    #[test]
    fn questions_must_be_questions_that_keep_their_references() {
        let q = question(
            &reply(r#"{"question": "How would Karpenter consolidate   nodes here?"}"#),
            &[],
        );
        assert_eq!(q.unwrap(), "How would Karpenter consolidate nodes here?");
        assert!(question(&reply(r#"{"question": "Tell me more."}"#), &[]).is_err());
        assert!(question(&reply(r#"{"question": "Why?"}"#), &[]).is_err());
        let refs = backticked("Your `main.tf` sets `max_size = 3`. Why?");
        assert_eq!(refs, vec!["`main.tf`", "`max_size = 3`"]);
        let e = question(
            &reply(r#"{"question": "Why does `main.tf` cap the node group size?"}"#),
            &refs,
        )
        .unwrap_err();
        assert!(e.to_string().contains("`max_size = 3`"), "{e}");
    }
}
