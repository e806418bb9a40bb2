//! Feedback in the example transcript's voice ("Correctly identified…",
//! "Did not mention…") and the human-readable score block.

use super::grade::Analysis;
use super::matcher::Hit;
use super::normalize::Normalized;
use super::Score;
use crate::bank::Rubrics;

/// The answer's own words for a hit, widened by a few words for context.
pub fn quote(answer: &str, norm: &Normalized, hit: Hit) -> String {
    let toks = &norm.tokens;
    let sent = toks[hit.start].sent;
    let mut a = hit.start;
    let mut b = hit.end;
    for _ in 0..3 {
        if a > 0 && toks[a - 1].sent == sent {
            a -= 1;
        }
        if b < toks.len() && toks[b].sent == sent {
            b += 1;
        }
    }
    answer[toks[a].start..toks[b - 1].end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

const IMPERATIVES: &[&str] = &[
    "read",
    "check",
    "use",
    "run",
    "increase",
    "add",
    "set",
    "look",
    "describe",
    "inspect",
    "verify",
    "compare",
    "restore",
    "import",
    "pin",
    "tag",
    "enable",
    "scan",
    "keep",
    "avoid",
    "store",
    "rotate",
    "define",
    "write",
    "separate",
    "start",
    "measure",
    "monitor",
    "test",
    "deploy",
    "build",
    "fix",
    "review",
    "roll",
    "drain",
    "scale",
    "move",
    "apply",
    "grant",
    "encrypt",
    "rebuild",
    "commit",
    "trigger",
    "mention",
    "name",
    "explain",
    "state",
    "give",
    "identify",
    "find",
    "clear",
    "delete",
    "remove",
    "limit",
    "require",
    "put",
    "place",
    "reference",
    "inject",
    "fail",
    "sign",
    "validate",
    "plan",
    "make",
    "treat",
    "prefer",
    "choose",
    "say",
    "quantify",
    "own",
    "follow",
    "document",
    "automate",
    "alert",
    "page",
    "escalate",
    "communicate",
    "mitigate",
    "tie",
    "wrap",
    "catch",
    "retry",
    "log",
    "exit",
    "parse",
    "call",
    "handle",
    "open",
];

const FINITE: &[&str] = &[
    "is", "are", "was", "were", "can", "will", "should", "must", "may", "means", "uses", "has",
    "have", "does", "do", "prevents", "gives", "lets", "keeps", "runs", "makes", "needs",
    "requires", "removes", "returns", "stores", "tracks", "detects", "replaces", "adds", "allows",
    "provides", "supports", "creates", "manages", "ensures", "happens", "works", "becomes",
    "reverts", "deletes", "routes", "selects", "scales", "watches", "triggers", "causes", "breaks",
    "fails", "stops", "starts", "reads", "writes", "shows", "holds", "matters",
];

enum Form {
    Imperative,
    Statement,
    Noun,
}

fn form(text: &str) -> Form {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    match words.first() {
        Some(w) if IMPERATIVES.contains(&w.as_str()) => Form::Imperative,
        _ if words.iter().skip(1).any(|w| FINITE.contains(&w.as_str())) => Form::Statement,
        _ => Form::Noun,
    }
}

fn lower_first(text: &str) -> String {
    let t = text.trim().trim_end_matches('.');
    let first = t.split_whitespace().next().unwrap_or("");
    let common = IMPERATIVES.contains(&first.to_lowercase().as_str())
        || matches!(
            first,
            "The"
                | "A"
                | "An"
                | "Each"
                | "Every"
                | "No"
                | "It"
                | "Its"
                | "One"
                | "Only"
                | "Use"
                | "Using"
        );
    if common {
        let mut c = t.chars();
        c.next()
            .map_or(String::new(), |f| f.to_lowercase().chain(c).collect())
    } else {
        t.to_string()
    }
}

fn strength_sentence(text: &str) -> String {
    let t = lower_first(text);
    match form(text) {
        Form::Imperative => format!("Correctly said to {t}."),
        Form::Statement => format!("Correctly explained that {t}."),
        Form::Noun => format!("Covered {t}."),
    }
}

fn gap_sentence(text: &str) -> String {
    let t = lower_first(text);
    match form(text) {
        Form::Imperative => format!("Did not say to {t}."),
        Form::Statement => format!("Did not mention that {t}."),
        Form::Noun => format!("Did not mention {t}."),
    }
}

pub fn tj_note(r: &Rubrics, met: &[bool], behavioral: bool) -> String {
    let crit = &r.tech_justification.criterion;
    let yes: Vec<&str> = crit
        .iter()
        .zip(met)
        .filter(|(_, m)| **m)
        .map(|(c, _)| c.name.as_str())
        .collect();
    let no: Vec<String> = crit
        .iter()
        .zip(met)
        .filter(|(_, m)| !**m)
        .map(|(c, _)| c.name.to_lowercase())
        .collect();
    let mut s = if yes.is_empty() {
        "No definition, comparison, tradeoff or context given.".to_string()
    } else {
        format!("{}.", sentence_list(&yes))
    };
    if !no.is_empty() && !yes.is_empty() {
        s.push_str(&format!(" Missing: {}.", no.join(", ")));
    }
    if behavioral {
        s.push_str(" (Behavioral: justification of the decisions in the story.)");
    }
    s
}

fn sentence_list(items: &[&str]) -> String {
    let mut out = String::new();
    for (i, it) in items.iter().enumerate() {
        if i == 0 {
            out.push_str(it);
        } else {
            out.push_str(", ");
            out.push_str(&it.to_lowercase());
        }
    }
    out
}

pub fn strengths(r: &Rubrics, a: &Analysis<'_>, rating: u8) -> Vec<String> {
    if rating == 1 && a.misconceptions.is_empty() && a.mixups.is_empty() && !a.flags.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<_> = a.hits.iter().filter(|h| !h.echo).collect();
    hits.sort_by(|x, y| {
        a.cq.key_points[y.index]
            .weight
            .total_cmp(&a.cq.key_points[x.index].weight)
    });
    let mut out: Vec<String> = hits
        .iter()
        .take(3)
        .map(|h| strength_sentence(&a.cq.key_points[h.index].text))
        .collect();
    if let Some(sp) = &a.star {
        let parts = [sp.situation, sp.task, sp.action, sp.result];
        if parts.iter().all(|p| *p) {
            out.push("Clear STAR structure: situation, task, action and result.".into());
        }
        if sp.quantified && sp.result {
            out.push("Quantified the result.".into());
        }
        if sp.ownership {
            out.push("Spoke to your own actions in the first person.".into());
        }
    } else {
        for (c, m) in r.tech_justification.criterion.iter().zip(&a.tj_met) {
            if *m && out.len() < 5 {
                out.push(c.strength.clone());
            }
        }
    }
    out
}

pub fn gaps(
    r: &Rubrics,
    a: &Analysis<'_>,
    answer: &str,
    missed: &[usize],
    rating: u8,
) -> Vec<String> {
    let mut out = Vec::new();
    for f in &a.flags {
        if let Some(text) = r.rating.flags.get(f.as_str()) {
            out.push(text.clone());
        }
    }
    for (i, hit) in &a.misconceptions {
        let m = &a.cq.misconceptions[*i];
        out.push(format!(
            "Asserted a misconception (\"{}\"): the claim that {} is wrong.",
            quote(answer, &a.norm, *hit),
            lower_first(&m.text)
        ));
    }
    for (i, hit) in &a.mixups {
        out.push(format!(
            "Mixed up the things compared (\"{}\"): {} — said of the wrong one.",
            quote(answer, &a.norm, *hit),
            a.cq.key_points[*i].text
        ));
    }
    for (_, text) in &a.sibling {
        out.push(format!(
            "Asserted a misconception: the claim that {} is wrong.",
            lower_first(text)
        ));
    }
    if let Some(sp) = &a.star {
        let parts = [
            ("situation", sp.situation),
            ("task", sp.task),
            ("action", sp.action),
            ("result", sp.result),
            ("quantified", sp.quantified),
            ("ownership", sp.ownership),
        ];
        for (id, ok) in parts {
            if !ok {
                if let Some(g) = r.star.gaps.get(id) {
                    out.push(g.clone());
                }
            }
        }
    }
    for i in missed.iter().take(3) {
        let kp = &a.cq.key_points[*i];
        if a.star.is_some() && ["situation", "task", "action", "result"].contains(&kp.id.as_str()) {
            continue;
        }
        out.push(gap_sentence(&kp.text));
    }
    if a.star.is_none() && rating < 4 {
        if let Some((c, _)) = r
            .tech_justification
            .criterion
            .iter()
            .zip(&a.tj_met)
            .find(|(_, m)| !**m)
        {
            out.push(c.gap.clone());
        }
    }
    out
}

fn wrap(label: &str, text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = format!("{label} ");
    let mut first = true;
    for word in text.split_whitespace() {
        if line.len() + word.len() + 1 > width && line.trim().len() > label.len() {
            out.push_str(line.trim_end());
            out.push('\n');
            line = "  ".to_string();
            first = false;
        }
        if !line.ends_with(' ') {
            line.push(' ');
        }
        line.push_str(word);
    }
    let _ = first;
    out.push_str(line.trim_end());
    out
}

/// The example transcript's score block, then the model answer.
pub fn render(s: &Score) -> String {
    const W: usize = 90;
    let mut lines = vec![
        format!("Rating: {}/4 — {}", s.rating, s.level),
        wrap(
            &format!("Tech Justification: {}/4 —", s.tech_justification),
            &s.tech_justification_note,
            W,
        ),
    ];
    let join = |v: &[String], none: &str| {
        if v.is_empty() {
            none.to_string()
        } else {
            v.join(" ")
        }
    };
    lines.push(wrap("Strengths:", &join(&s.strengths, "None yet."), W));
    lines.push(wrap(
        "Gap:",
        &join(&s.gaps, "None: every key point was covered."),
        W,
    ));
    lines.push(wrap(
        "Key point for interview:",
        &format!("\"{}\"", s.key_point),
        W,
    ));
    if !s.flags.is_empty() {
        lines.push(format!("Flags: {}", s.flags.join(", ")));
    }
    let model = s
        .model_answer
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    format!("{}\n\n**Model answer:** {}\n", lines.join("\n"), model)
}
