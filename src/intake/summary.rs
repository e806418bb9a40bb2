//! Keeping the Repo Map and Round Availability readable at any size.
//!
//! In: lists of artifact descriptions and key paths, possibly thousands
//! long and full of repeats. Out: repeats counted ("EKS default ×58"),
//! lists cut to a line a person can read with a count of the rest ("…, +12
//! more"), and key paths cut to the first few (callers put the most
//! representative first) with "+N more".

/// Longest artifacts cell, in characters, before the rest is counted.
pub(crate) const MAX_CELL: usize = 160;
/// Longest availability reason.
pub(crate) const MAX_REASON: usize = 110;
/// Key paths shown as they are; longer lists keep [`FEW_PATHS`].
const MAX_PATHS: usize = 8;
const FEW_PATHS: usize = 5;

/// Counts repeats, keeping first-seen order.
pub(crate) fn counted<I: IntoIterator<Item = String>>(items: I) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for it in items {
        match index.get(&it) {
            Some(&i) => out[i].1 += 1,
            None => {
                index.insert(it.clone(), out.len());
                out.push((it, 1));
            }
        }
    }
    out
}

/// `["a", "b", "a"]` → `["a ×2", "b"]`.
pub(crate) fn aggregate<I: IntoIterator<Item = String>>(items: I) -> Vec<String> {
    counted(items)
        .into_iter()
        .map(|(s, n)| if n > 1 { format!("{s} ×{n}") } else { s })
        .collect()
}

/// Joins with ", " until `max` characters, then "+N more".
pub(crate) fn bounded(parts: &[String], max: usize) -> String {
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        let sep = if out.is_empty() { "" } else { ", " };
        let rest = parts.len() - i;
        let tail = if rest > 1 {
            format!(", +{} more", rest - 1).len()
        } else {
            0
        };
        if i > 0 && out.chars().count() + sep.len() + p.chars().count() + tail > max {
            out.push_str(&format!(", +{rest} more"));
            return out;
        }
        out.push_str(sep);
        out.push_str(p);
    }
    out
}

/// A reason already joined with ", " (sub-lists in parentheses kept whole),
/// cut to [`MAX_REASON`].
pub(crate) fn bounded_reason(reason: &str) -> String {
    if reason.chars().count() <= MAX_REASON {
        return reason.to_string();
    }
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in reason.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(reason[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(reason[start..].trim().to_string());
    let mut out = bounded(&parts, MAX_REASON);
    if out.chars().count() > MAX_REASON + 12 {
        out = out.chars().take(MAX_REASON).collect::<String>() + "…";
    }
    out
}

/// Key paths: all of them when few, else the first [`FEW_PATHS`] and a count.
pub(crate) fn few_paths(paths: Vec<String>) -> Vec<String> {
    if paths.len() <= MAX_PATHS {
        return paths;
    }
    let rest = paths.len() - FEW_PATHS;
    let mut out: Vec<String> = paths.into_iter().take(FEW_PATHS).collect();
    out.push(format!("+{rest} more"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_counted_and_long_lists_cut() {
        let many: Vec<String> = (0..58).map(|_| "EKS default".to_string()).collect();
        assert_eq!(aggregate(many), vec!["EKS default ×58"]);
        let parts: Vec<String> = (0..40).map(|i| format!("chart number-{i}")).collect();
        let line = bounded(&parts, MAX_CELL);
        assert!(line.chars().count() <= MAX_CELL, "{line}");
        assert!(line.ends_with("more"), "{line}");
        let n: usize = line
            .rsplit(", +")
            .next()
            .unwrap()
            .trim_end_matches(" more")
            .parse()
            .unwrap();
        assert_eq!(n + line.matches("chart number").count(), 40);
        let paths: Vec<String> = (0..20).map(|i| format!("p{i}/")).collect();
        let p = few_paths(paths);
        assert_eq!(p.len(), 6);
        assert_eq!(p[5], "+15 more");
        let reason = (0..30)
            .map(|i| format!("thing {i}"))
            .collect::<Vec<_>>()
            .join(", ");
        assert!(bounded_reason(&reason).chars().count() <= MAX_REASON + 1);
    }
}
