//! Depth and specificity: what separates a senior answer from a correct
//! one — numbers, failure modes, tradeoffs and named alternatives.

use super::matcher::{any_cue, Phrase};
use super::normalize::{Normalizer, Token};
use std::collections::HashSet;

const FAILURE_CUES: &[&str] = &[
    "fail",
    "fails",
    "failure",
    "failing",
    "goes down",
    "dies",
    "crash",
    "crashes",
    "breaks",
    "broken",
    "outage",
    "corrupt",
    "corrupted",
    "corrupting",
    "lost",
    "lose",
    "stuck",
    "gotcha",
    "the catch",
    "pitfall",
    "risk",
    "lag",
    "cold start",
    "cold starts",
    "timeout",
    "times out",
    "oom",
    "leak",
    "race",
    "split brain",
    "bottleneck",
    "single point of failure",
    "blast radius",
    "downtime",
    "conflict",
    "conflicts",
    "hangs",
    "exhaustion",
    "throttled",
    "incident",
    "mistake",
    "brittle",
    "stale",
    "staleness",
    "duplicates",
    "injection",
];

const TRADEOFF_CUES: &[&str] = &[
    "tradeoff",
    "trade off",
    "tradeoffs",
    "trade offs",
    "downside",
    "downsides",
    "the cost",
    "costs more",
    "cheaper",
    "more expensive",
    "at the cost",
    "whereas",
    "on the other hand",
    "the catch",
    "versus",
    "instead of",
    "rather than",
    "pros and cons",
    "overhead",
    "price",
    "accepting",
    "in exchange",
    "but you",
    "but it",
    "but the",
    "the price",
    "worth it",
    "buys time",
    "at scale",
    "limits",
    "limit",
    "ceiling",
];

/// Cue phrases compiled once.
#[derive(Debug, Clone)]
pub struct DepthCues {
    failure: Vec<Phrase>,
    tradeoff: Vec<Phrase>,
}

impl DepthCues {
    pub fn new(norm: &Normalizer) -> DepthCues {
        let c = |xs: &[&str]| {
            xs.iter()
                .filter_map(|p| Phrase::compile(norm, p, false))
                .collect()
        };
        DepthCues {
            failure: c(FAILURE_CUES),
            tradeoff: c(TRADEOFF_CUES),
        }
    }
}

const UNITS: &[&str] = &[
    "ms",
    "millisecond",
    "milliseconds",
    "second",
    "seconds",
    "minute",
    "minutes",
    "hour",
    "hours",
    "day",
    "days",
    "percent",
    "%",
    "gb",
    "mb",
    "kb",
    "tb",
    "gig",
    "gigs",
    "x",
    "times",
    "requests",
    "cents",
    "dollars",
    "nodes",
    "replicas",
    "vpcs",
    "clusters",
    "version",
];

/// The specifics an answer gives, each named once: "numbers", "failure
/// modes", "tradeoffs", "alternatives".
pub fn specifics(
    toks: &[Token],
    cues: &DepthCues,
    prompt: &HashSet<String>,
    vocabulary: &HashSet<String>,
) -> Vec<String> {
    let mut out = Vec::new();
    let numbers = toks
        .iter()
        .enumerate()
        .filter(|(i, t)| {
            t.word.chars().any(|c| c.is_ascii_digit())
                && !prompt.contains(&t.stem)
                && (t.word.len() >= 2
                    || toks
                        .get(i + 1)
                        .is_some_and(|n| UNITS.contains(&n.word.as_str())))
        })
        .count();
    if numbers >= 1 {
        out.push("numbers".to_string());
    }
    if any_cue(&cues.failure, toks).is_some() {
        out.push("failure modes".to_string());
    }
    if any_cue(&cues.tradeoff, toks).is_some() {
        out.push("tradeoffs".to_string());
    }
    let named: HashSet<&str> = toks
        .iter()
        .filter(|t| vocabulary.contains(&t.stem) && !prompt.contains(&t.stem))
        .map(|t| t.stem.as_str())
        .collect();
    if named.len() >= 3 {
        out.push("alternatives".to_string());
    }
    out
}
