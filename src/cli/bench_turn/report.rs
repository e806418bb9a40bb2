//! The tables `mockint bench turn` prints.

use super::set::PauseKind;
use super::sim::Outcome;
use super::Tally;
use std::collections::BTreeMap;

pub(super) fn print_probes(set_name: &str, probes: &BTreeMap<&str, Vec<f32>>) {
    println!("\n## {set_name} set — model probability 300 ms into the silence\n");
    println!("| where | n | p10 | p50 | p90 | ≥ 0.5 | ≥ 0.8 |\n|---|---|---|---|---|---|---|");
    for (k, v) in probes {
        let mut s = v.clone();
        s.sort_by(f32::total_cmp);
        let q = |f: f64| s[((s.len() - 1) as f64 * f).round() as usize];
        let share = |t: f32| 100.0 * s.iter().filter(|&&p| p >= t).count() as f64 / s.len() as f64;
        println!(
            "| {k} | {} | {:.3} | {:.3} | {:.3} | {:.0} % | {:.0} % |",
            s.len(),
            q(0.1),
            q(0.5),
            q(0.9),
            share(0.5),
            share(0.8)
        );
    }
}

pub(super) fn print_sweep(set_name: &str, tallies: &BTreeMap<String, Tally>) {
    println!("\n## {set_name} set — settings compared\n");
    println!("| setting | cut: incomplete ≤ 3.5 s | cut: complete | cut: think | reply p50 | reply p90 |\n|---|---|---|---|---|---|");
    for (name, t) in tallies {
        let count = |f: &dyn Fn(PauseKind, f64) -> bool| {
            let v: Vec<bool> = t
                .outcomes
                .iter()
                .flat_map(|o| o.pauses.iter())
                .filter(|p| f(p.0, p.1))
                .map(|p| p.2)
                .collect();
            format!("{} / {}", v.iter().filter(|&&c| c).count(), v.len())
        };
        let reply: Vec<u64> = t.outcomes.iter().filter_map(|o| o.reply_ms).collect();
        let fmt = |v: Option<u64>| v.map_or("—".into(), |x| x.to_string());
        println!(
            "| {name} | {} | {} | {} | {} | {} |",
            count(&|k, s| k == PauseKind::Incomplete && s <= 3.55),
            count(&|k, _| k == PauseKind::Complete),
            count(&|k, _| k == PauseKind::Think),
            fmt(percentile(&reply, 0.5)),
            fmt(percentile(&reply, 0.9)),
        );
    }
}

fn percentile(v: &[u64], p: f64) -> Option<u64> {
    let mut s = v.to_vec();
    s.sort_unstable();
    (!s.is_empty()).then(|| s[((s.len() - 1) as f64 * p).round() as usize])
}

fn bucket(secs: f64) -> &'static str {
    if secs < 2.5 {
        "1.5–2.5 s"
    } else if secs < 3.55 {
        "2.5–3.5 s"
    } else {
        "3.5–5 s"
    }
}

pub(super) fn report(
    set_name: &str,
    voices: &[String],
    tallies: &BTreeMap<String, Tally>,
    whisper: bool,
) {
    let hearing = if whisper {
        "Whisper transcripts"
    } else {
        "script words, modelled Whisper latency"
    };
    println!(
        "\n## {set_name} set — {} answers × {} ({hearing})\n",
        tallies.values().next().map_or(0, |t| t.outcomes.len()) / voices.len().max(1),
        voices.join(", ")
    );
    println!("False cut-offs (turn ended in the pause / pauses):\n");
    println!("| pause | length | today | smart turn |\n|---|---|---|---|");
    // (pause kind, length bucket) → rule set → (cut, pauses)
    type Cells<'a> = BTreeMap<&'a str, (usize, usize)>;
    let mut rows: BTreeMap<(PauseKind, &str), Cells> = BTreeMap::new();
    let tallies: BTreeMap<&str, &Tally> = tallies.iter().map(|(k, v)| (k.as_str(), v)).collect();
    for (name, t) in &tallies {
        for o in &t.outcomes {
            for &(kind, secs, cut) in &o.pauses {
                let c = rows
                    .entry((kind, bucket(secs)))
                    .or_default()
                    .entry(name)
                    .or_default();
                c.0 += usize::from(cut);
                c.1 += 1;
            }
        }
    }
    let cell = |m: &BTreeMap<&str, (usize, usize)>, n: &str| {
        m.get(n).map_or("—".into(), |(c, t)| format!("{c} / {t}"))
    };
    for ((kind, b), m) in &rows {
        println!(
            "| {} | {b} | {} | {} |",
            kind.label(),
            cell(m, "today"),
            cell(m, "smart turn")
        );
    }
    println!("\nFinished answers (end of speech → …, ms):\n");
    println!(
        "| | today p50 | today p90 | smart turn p50 | smart turn p90 |\n|---|---|---|---|---|"
    );
    let col = |name: &str, f: fn(&Outcome) -> Option<u64>| -> Vec<u64> {
        tallies
            .get(name)
            .map(|t| t.outcomes.iter().filter_map(f).collect())
            .unwrap_or_default()
    };
    let fmt = |v: Option<u64>| v.map_or("—".into(), |x| x.to_string());
    for (label, f) in [
        (
            "endpoint decision",
            (|o: &Outcome| o.endpoint_ms) as fn(&Outcome) -> Option<u64>,
        ),
        ("final transcript ready (reply starts)", |o: &Outcome| {
            o.reply_ms
        }),
    ] {
        let (a, b) = (col("today", f), col("smart turn", f));
        println!(
            "| {label} | {} | {} | {} | {} |",
            fmt(percentile(&a, 0.5)),
            fmt(percentile(&a, 0.9)),
            fmt(percentile(&b, 0.5)),
            fmt(percentile(&b, 0.9))
        );
    }
    for (name, t) in &tallies {
        let unfinished = t
            .outcomes
            .iter()
            .filter(|o| o.endpoint_ms.is_none())
            .count();
        let in_speech: usize = t.outcomes.iter().map(|o| o.cut_in_speech).sum();
        let (runs, ms, cpu) = t.outcomes.iter().fold((0, 0, 0.0), |(r, m, c), o| {
            (r + o.model_runs, m + o.model_ms, c + o.model_cpu_ms)
        });
        println!(
            "\n{name}: {unfinished} answers without a final endpoint, {in_speech} turns ended mid-speech; model: {runs} runs, {:.0} ms wall and {:.0} ms CPU each, {:.2} % of a core (CPU) over {:.0} s of answers",
            ms as f64 / runs.max(1) as f64,
            cpu / runs.max(1) as f64,
            cpu / 10.0 / t.speech_s.max(1e-9),
            t.speech_s
        );
    }
}
