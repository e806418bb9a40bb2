//! `debrief.md`: the end-of-session report in the example's format — score
//! summary per round, pillar coverage, technology-justification readiness,
//! strengths, gaps, talking points and a targeted drill plan. Every line is
//! derived from this session's scores; nothing is boilerplate.

use super::markdown::topic;
use super::record::SessionRecord;
use crate::bank::{Kind, Pillar, Rubrics};
use crate::interviewer::{EventKind, Planned};
use crate::scorer::Score;
use std::collections::BTreeMap;
use std::fmt::Write;

struct Graded<'a> {
    plan: &'a Planned,
    score: &'a Score,
}

fn avg(v: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = v.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / n as f64)
}

fn overall_line(avg: f64, rubrics: &Rubrics) -> String {
    let level = rubrics.level_for_average(avg);
    let frac = avg - avg.floor();
    if avg < 4.0 && frac >= 0.75 {
        format!(
            "{level}, approaching {}",
            rubrics.level_name(avg.floor() as u8 + 1)
        )
    } else {
        level
    }
}

pub fn render_debrief(r: &SessionRecord, rubrics: &Rubrics) -> String {
    let graded: Vec<Graded> = r
        .scores()
        .into_iter()
        .map(|(i, s)| Graded {
            plan: &r.plan[i],
            score: s,
        })
        .collect();
    let skipped: Vec<(&Planned, &str)> = r
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Skipped { index, reason } => Some((&r.plan[*index], reason.as_str())),
            _ => None,
        })
        .collect();
    let mut out = String::from("## Interview Debrief\n\n");
    let asked = r.asked_ids().len();
    let _ = writeln!(
        out,
        "Session `{}` · {} of {} planned questions asked · {} scored · {} skipped{}\n",
        r.id,
        asked,
        r.plan.len(),
        graded.len(),
        skipped.len(),
        if r.finished {
            ""
        } else {
            " · session not finished"
        }
    );
    if graded.is_empty() {
        out.push_str(
            "No answers were scored in this session, so there is nothing to summarise yet.\n",
        );
        return out;
    }

    // Score summary, rounds in plan order.
    out.push_str("### Score Summary\n| Round | Questions | Avg Score | Tech Justification Avg | Level |\n|-------|-----------|-----------|----------------------|-------|\n");
    let mut rounds: Vec<&str> = Vec::new();
    for g in &graded {
        if !rounds.contains(&g.plan.round_title.as_str()) {
            rounds.push(&g.plan.round_title);
        }
    }
    for round in &rounds {
        let in_round: Vec<&Graded> = graded
            .iter()
            .filter(|g| g.plan.round_title == *round)
            .collect();
        let a = avg(in_round.iter().map(|g| g.score.rating as f64)).unwrap_or(0.0);
        let tj = avg(in_round.iter().map(|g| g.score.tech_justification as f64)).unwrap_or(0.0);
        let _ = writeln!(
            out,
            "| {round} | {} | {a:.1} | {tj:.1} | {} |",
            in_round.len(),
            rubrics.level_for_average(a)
        );
    }
    let overall = avg(graded.iter().map(|g| g.score.rating as f64)).unwrap_or(0.0);
    let _ = writeln!(
        out,
        "\n**Overall: {overall:.1} / 4.0 — {}**\n",
        overall_line(overall, rubrics)
    );

    // Pillars.
    out.push_str("### Best Practice Pillar Coverage\n| Pillar | Questions Asked | Avg Score | Strongest Area | Weakest Area |\n|--------|----------------|-----------|----------------|--------------|\n");
    let mut uncovered = Vec::new();
    for pillar in Pillar::ALL {
        let mut in_p: Vec<&Graded> = graded
            .iter()
            .filter(|g| g.plan.question.pillars.contains(&pillar))
            .collect();
        if in_p.is_empty() {
            uncovered.push(pillar.name());
            continue;
        }
        in_p.sort_by_key(|g| std::cmp::Reverse(g.score.rating));
        let a = avg(in_p.iter().map(|g| g.score.rating as f64)).unwrap_or(0.0);
        let strongest = topic(&in_p[0].plan.question.prompt);
        let weakest = if in_p.len() > 1 && in_p.last().unwrap().score.rating < in_p[0].score.rating
        {
            topic(&in_p.last().unwrap().plan.question.prompt)
        } else {
            "—".into()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {a:.1} | {strongest} | {weakest} |",
            pillar.name(),
            in_p.len()
        );
    }
    if !uncovered.is_empty() {
        let _ = writeln!(out, "\nNot covered this session: {}.", uncovered.join(", "));
    }

    // Technology justification.
    let list = |v: Vec<String>| {
        if v.is_empty() {
            "none this session".to_string()
        } else {
            v.join("; ")
        }
    };
    let well: Vec<String> = graded
        .iter()
        .filter(|g| g.score.tech_justification >= 3)
        .map(|g| topic(&g.plan.question.prompt))
        .collect();
    let compare: Vec<String> = graded
        .iter()
        .filter(|g| {
            g.score.tech_justification <= 2
                && matches!(
                    g.plan.question.kind,
                    Kind::Comparison | Kind::Design | Kind::Pillar
                )
        })
        .map(|g| topic(&g.plan.question.prompt))
        .collect();
    let definitions: Vec<String> = graded
        .iter()
        .filter(|g| {
            g.plan.question.kind != Kind::Behavioral
                && !g
                    .score
                    .evidence
                    .tj_criteria
                    .iter()
                    .any(|c| c.contains("definition"))
        })
        .map(|g| topic(&g.plan.question.prompt))
        .collect();
    let _ = writeln!(
        out,
        "\n### Technology Justification Readiness\n- Well-justified: {}\n- Struggled to compare: {}\n- Missing formal definitions: {}\n",
        list(well),
        list(compare),
        list(definitions)
    );

    // Strengths and gaps.
    out.push_str("### Strengths\n");
    let mut any = false;
    for g in graded.iter().filter(|g| g.score.rating >= 3) {
        if let Some(s) = g.score.strengths.first() {
            let _ = writeln!(
                out,
                "- {} ({}): {s}",
                g.plan.round_title,
                topic(&g.plan.question.prompt)
            );
            any = true;
        }
    }
    if !any {
        out.push_str(
            "- No answer reached Proficient yet; the drill plan below targets the biggest gaps.\n",
        );
    }
    out.push_str("\n### Gaps\n");
    let mut by_need: Vec<&Graded> = graded.iter().collect();
    by_need.sort_by_key(|g| g.score.rating);
    let mut n = 0;
    for g in &by_need {
        for gap in g.score.gaps.iter().take(1) {
            n += 1;
            let _ = writeln!(
                out,
                "{n}. {} — {}: {gap}",
                g.plan.round_title,
                topic(&g.plan.question.prompt)
            );
        }
    }
    for (p, reason) in &skipped {
        n += 1;
        let _ = writeln!(
            out,
            "{n}. {} — {}: not answered ({reason}).",
            p.round_title,
            topic(&p.question.prompt)
        );
    }
    if n == 0 {
        out.push_str("None: every key point was covered.\n");
    }

    // Talking points: the quotable line of each question, weakest first.
    out.push_str("\n### Interview-Ready Talking Points\nTop things to say confidently in the real interview:\n");
    let mut points: Vec<(&str, u8)> = by_need
        .iter()
        .map(|g| (g.score.key_point.as_str(), g.score.rating))
        .collect();
    points.extend(
        skipped
            .iter()
            .map(|(p, _)| (p.question.key_point_for_interview.as_str(), 0)),
    );
    points.sort_by_key(|(_, r)| *r);
    points.dedup_by_key(|(k, _)| *k);
    for (i, (k, _)) in points.iter().take(5).enumerate() {
        let _ = writeln!(out, "{}. \"{}\"", i + 1, k.trim());
    }

    // Drill plan.
    out.push_str("\n### Targeted Drill Plan\n| Priority | Gap | Pillar | Suggested Exercise | Resources |\n|----------|-----|--------|-------------------|-----------|\n");
    let mut rows: Vec<(u8, &Planned, Option<&str>)> = by_need
        .iter()
        .filter(|g| g.score.rating <= 3 && !g.score.missed.is_empty())
        .map(|g| {
            (
                g.score.rating,
                g.plan,
                g.score.missed.first().map(String::as_str),
            )
        })
        .collect();
    rows.extend(skipped.iter().map(|(p, _)| (0, *p, None)));
    rows.sort_by_key(|(r, _, _)| *r);
    if rows.is_empty() {
        out.push_str("| — | No gaps below Expert this session | — | Try a harder round or `--mode full-loop` | — |\n");
    }
    let mut per_pillar: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, (_, p, missed)) in rows.iter().take(6).enumerate() {
        let q = &p.question;
        let kp = missed.and_then(|id| q.key_point(id));
        let gap = kp.map_or_else(
            || format!("{} (skipped)", topic(&q.prompt)),
            |k| k.text.clone(),
        );
        let pillar = q.pillars.first().map_or("—", |p| p.name());
        *per_pillar.entry(pillar).or_default() += 1;
        let follow = missed.and_then(|id| {
            q.follow_ups
                .iter()
                .find(|f| f.targets.iter().any(|t| t == id))
        });
        let exercise = match follow {
            Some(f) => format!(
                "Answer aloud in under {} s: \"{}\"",
                q.expected_seconds, f.prompt
            ),
            None => format!(
                "Rehearse the model answer to \"{}\" aloud, then answer it without notes",
                topic(&q.prompt)
            ),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {pillar} | {} | `mockint start --mode drill`; bank question `{}` |",
            i + 1,
            gap.replace('|', "/"),
            exercise.replace('|', "/"),
            q.id
        );
    }
    out.push_str(&crate::delivery::session::render_section(r));
    out
}
