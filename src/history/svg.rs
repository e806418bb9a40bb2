//! The per-round trend chart as a standalone SVG (no dependencies: a small
//! hand-written template), written beside the latest debrief.

use super::{trends, Summary};
use std::fmt::Write;

const COLORS: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A line per round (average rating 1–4) over the sessions, oldest left.
pub fn render_svg(sessions: &[&Summary]) -> String {
    let t = trends(sessions);
    let (w, h) = (720.0_f64, 360.0_f64);
    let (left, right, top, bottom) = (50.0, 170.0, 30.0, 50.0);
    let pw = w - left - right;
    let ph = h - top - bottom;
    let n = sessions.len().max(2);
    let x = |i: usize| left + pw * i as f64 / (n - 1) as f64;
    let y = |v: f64| top + ph * (4.0 - v.clamp(1.0, 4.0)) / 3.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        s,
        r#"<title>mockint: average rating per round across {} sessions</title>"#,
        sessions.len()
    );
    let _ = writeln!(s, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
    for level in 1..=4 {
        let yy = y(f64::from(level));
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{level}</text>"##,
            left + pw,
            left - 8.0,
            yy + 4.0
        );
    }
    for (i, sess) in sessions.iter().enumerate() {
        let label: String = sess.created.chars().skip(5).take(5).collect();
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x(i),
            top + ph + 20.0,
            esc(&label)
        );
    }
    let _ = writeln!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">session</text>"#,
        left + pw / 2.0,
        h - 8.0
    );
    for (k, r) in t.iter().enumerate() {
        let color = COLORS[k % COLORS.len()];
        let pts: Vec<String> = r
            .points
            .iter()
            .map(|(i, v)| format!("{:.1},{:.1}", x(*i), y(*v)))
            .collect();
        let _ = writeln!(
            s,
            r#"<polyline fill="none" stroke="{color}" stroke-width="2" points="{}"><title>{}</title></polyline>"#,
            pts.join(" "),
            esc(&r.round)
        );
        for (i, v) in &r.points {
            let _ = writeln!(
                s,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{color}"><title>{}: {v:.1}</title></circle>"#,
                x(*i),
                y(*v),
                esc(&r.round)
            );
        }
        let ly = top + 16.0 * k as f64;
        let _ = writeln!(
            s,
            r#"<rect x="{:.1}" y="{:.1}" width="12" height="4" fill="{color}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            left + pw + 16.0,
            ly + 4.0,
            left + pw + 34.0,
            ly + 10.0,
            esc(&r.round)
        );
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::super::Summary;
    use std::path::PathBuf;

    #[test]
    fn svg_has_a_line_per_round_and_parses_as_xml_shape() {
        let mk = |r: &[(&str, f64)]| Summary {
            folder: PathBuf::from("x"),
            id: "x".into(),
            created: "2026-11-23T08:00:00Z".into(),
            mode: "m".into(),
            rounds: r.iter().map(|(a, b)| (a.to_string(), *b)).collect(),
            overall: None,
            scored: 0,
            planned: 0,
            finished: true,
        };
        let (a, b, c) = (
            mk(&[("linux", 2.0), ("a<b", 3.0)]),
            mk(&[("linux", 3.0)]),
            mk(&[("linux", 4.0)]),
        );
        let svg = super::render_svg(&[&a, &b, &c]);
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert_eq!(svg.matches("<circle").count(), 4);
        assert!(svg.contains("a&lt;b"));
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    }
}
