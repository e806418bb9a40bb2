//! `mockint history` in the terminal: the session list, unreadable sessions
//! with what could be read, and per-round sparklines.

use super::{readable, trends, Entry, Summary};
use std::fmt::Write;

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Ratings (1–4) as ▁…█.
pub fn sparkline(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| {
            let x = ((v.clamp(1.0, 4.0) - 1.0) / 3.0 * 7.0).round() as usize;
            BARS[x.min(7)]
        })
        .collect()
}

/// `2026-11-23T08:00:00Z` → `2026-11-23 08:00`.
fn date(created: &str) -> String {
    let d = created.replace('T', " ");
    d.chars().take(16).collect()
}

fn rounds_cell(s: &Summary) -> String {
    match s.rounds.len() {
        0 => "—".into(),
        1..=3 => s
            .rounds
            .iter()
            .map(|(r, _)| r.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        n => format!("{n} rounds"),
    }
}

pub fn render_text(entries: &[Entry]) -> String {
    let mut out = String::new();
    let sessions = readable(entries);
    let _ = writeln!(
        out,
        "{:<16}  {:<11}  {:<30}  {:>6}  {:>9}  session",
        "date", "mode", "rounds", "scored", "overall"
    );
    for e in entries {
        match e {
            Entry::Read(s) => {
                let overall = s
                    .overall
                    .map_or("—".to_string(), |o| format!("{o:.1} / 4.0"));
                let _ = writeln!(
                    out,
                    "{:<16}  {:<11}  {:<30}  {:>6}  {:>9}  {}{}",
                    date(&s.created),
                    s.mode,
                    rounds_cell(s),
                    format!("{}/{}", s.scored, s.planned),
                    overall,
                    s.folder
                        .file_name()
                        .map_or(String::new(), |n| n.to_string_lossy().to_string()),
                    if s.finished { "" } else { " (unfinished)" }
                );
            }
            Entry::Unreadable { message, .. } => {
                let _ = writeln!(out, "✗ {message}");
            }
        }
    }
    let t = trends(&sessions);
    if t.is_empty() {
        let _ = writeln!(
            out,
            "\nNo scored sessions yet; trends appear once a session has scores."
        );
        return out;
    }
    let _ = writeln!(
        out,
        "\nPer-round trend (average rating 1–4, oldest → newest)"
    );
    let width = t.iter().map(|r| r.round.len()).max().unwrap_or(0);
    let spark = t.iter().map(|r| r.points.len()).max().unwrap_or(0);
    for r in &t {
        let values: Vec<f64> = r.points.iter().map(|p| p.1).collect();
        let delta = r.last() - r.first();
        let change = if r.points.len() < 2 {
            "1 session".to_string()
        } else {
            format!("{delta:+.1} over {} sessions", r.points.len())
        };
        let _ = writeln!(
            out,
            "{:<width$}  {:<spark$}  {:.1} → {:.1}  ({change})",
            r.round,
            sparkline(&values),
            r.first(),
            r.last(),
        );
    }
    if let Some(overall) = sessions
        .iter()
        .filter_map(|s| s.overall)
        .collect::<Vec<_>>()
        .first()
        .zip(sessions.iter().rev().find_map(|s| s.overall))
    {
        let all: Vec<f64> = sessions.iter().filter_map(|s| s.overall).collect();
        let _ = writeln!(
            out,
            "{:<width$}  {:<spark$}  {:.1} → {:.1}",
            "overall",
            sparkline(&all),
            overall.0,
            overall.1,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn sparkline_spans_the_rating_scale() {
        assert_eq!(super::sparkline(&[1.0, 2.5, 4.0, 9.0]), "▁▅██");
        assert_eq!(super::date("2026-11-23T08:01:02Z"), "2026-11-23 08:01");
    }
}
