//! Agreement statistics between the scorer and human-graded answers
//! (`mockint eval scorer FILE.jsonl`).

use serde::{Deserialize, Serialize};

/// One graded answer: a line of the JSONL file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub round: String,
    /// The question's id, or its text (resolved to the closest prompt of the round).
    pub question: String,
    pub answer: String,
    pub expected_rating: u8,
    /// Optional tag, e.g. "adversarial:keyword-soup" or "example".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

impl Case {
    pub fn is_adversarial(&self) -> bool {
        self.kind
            .as_deref()
            .is_some_and(|k| k.starts_with("adversarial"))
    }
}

/// One scored case.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub line: usize,
    pub question_id: String,
    pub expected: u8,
    pub got: u8,
    pub kind: Option<String>,
    pub flags: Vec<String>,
    pub answer: String,
}

/// The summary `eval scorer` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub cases: usize,
    pub exact: f64,
    pub within_one: f64,
    pub spearman: f64,
    /// `confusion[expected-1][got-1]`.
    pub confusion: [[usize; 4]; 4],
    pub adversarial: usize,
    pub adversarial_not_1: Vec<Outcome>,
    pub disagreements: Vec<Outcome>,
}

impl Report {
    pub fn from_outcomes(outcomes: &[Outcome]) -> Report {
        let n = outcomes.len().max(1) as f64;
        let mut confusion = [[0usize; 4]; 4];
        for o in outcomes {
            confusion[usize::from(o.expected.clamp(1, 4) - 1)]
                [usize::from(o.got.clamp(1, 4) - 1)] += 1;
        }
        let exact = outcomes.iter().filter(|o| o.expected == o.got).count() as f64 / n;
        let within = outcomes
            .iter()
            .filter(|o| o.expected.abs_diff(o.got) <= 1)
            .count() as f64
            / n;
        let xs: Vec<f64> = outcomes.iter().map(|o| f64::from(o.expected)).collect();
        let ys: Vec<f64> = outcomes.iter().map(|o| f64::from(o.got)).collect();
        let adv: Vec<&Outcome> = outcomes
            .iter()
            .filter(|o| {
                o.kind
                    .as_deref()
                    .is_some_and(|k| k.starts_with("adversarial"))
            })
            .collect();
        Report {
            cases: outcomes.len(),
            exact,
            within_one: within,
            spearman: spearman(&xs, &ys),
            confusion,
            adversarial: adv.len(),
            adversarial_not_1: adv.into_iter().filter(|o| o.got != 1).cloned().collect(),
            disagreements: outcomes
                .iter()
                .filter(|o| o.expected != o.got)
                .cloned()
                .collect(),
        }
    }

    /// Human-readable report.
    pub fn render(&self, file: &str) -> String {
        let pct = |x: f64| format!("{:.1} %", x * 100.0);
        let mut s = format!("Scorer evaluation: {file} ({} answers)\n", self.cases);
        s += &format!("Exact agreement:      {}\n", pct(self.exact));
        s += &format!("Within one:           {}\n", pct(self.within_one));
        s += &format!("Spearman correlation: {:.3}\n\n", self.spearman);
        s += "Confusion matrix (rows: expected rating, columns: scorer's rating)\n";
        s += "            1     2     3     4\n";
        for (i, row) in self.confusion.iter().enumerate() {
            s += &format!(
                "  exp {}  {:>4}  {:>4}  {:>4}  {:>4}\n",
                i + 1,
                row[0],
                row[1],
                row[2],
                row[3]
            );
        }
        s += &format!(
            "\nAdversarial answers: {}, rated 1: {}\n",
            self.adversarial,
            self.adversarial - self.adversarial_not_1.len()
        );
        if self.adversarial_not_1.is_empty() {
            s += "Adversarial answers not rated 1: none\n";
        } else {
            s += "Adversarial answers not rated 1:\n";
            for o in &self.adversarial_not_1 {
                s += &format!("  {}\n", describe(o));
            }
        }
        if !self.disagreements.is_empty() {
            s += "\nDisagreements:\n";
            for o in &self.disagreements {
                s += &format!("  {}\n", describe(o));
            }
        }
        s
    }
}

fn describe(o: &Outcome) -> String {
    let mut a: String = o.answer.chars().take(70).collect();
    if o.answer.chars().count() > 70 {
        a.push('…');
    }
    let flags = if o.flags.is_empty() {
        String::new()
    } else {
        format!(" [{}]", o.flags.join(", "))
    };
    let kind = o
        .kind
        .as_deref()
        .map(|k| format!(" ({k})"))
        .unwrap_or_default();
    format!(
        "line {}: {} expected {} got {}{}{}: \"{}\"",
        o.line, o.question_id, o.expected, o.got, kind, flags, a
    )
}

/// Ranks with ties averaged (1-based).
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|a, b| v[*a].total_cmp(&v[*b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for k in &idx[i..=j] {
            r[*k] = avg;
        }
        i = j + 1;
    }
    r
}

/// Spearman rank correlation (Pearson on tie-averaged ranks); 0 when undefined.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    if x.len() < 2 || x.len() != y.len() {
        return 0.0;
    }
    let (rx, ry) = (ranks(x), ranks(y));
    let n = rx.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let mut cov = 0.0;
    let (mut vx, mut vy) = (0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        cov += (a - mx) * (b - my);
        vx += (a - mx).powi(2);
        vy += (b - my).powi(2);
    }
    if vx == 0.0 || vy == 0.0 {
        0.0
    } else {
        cov / (vx.sqrt() * vy.sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_basics() {
        assert!((spearman(&[1.0, 2.0, 3.0, 4.0], &[1.0, 2.0, 3.0, 4.0]) - 1.0).abs() < 1e-9);
        assert!((spearman(&[1.0, 2.0, 3.0, 4.0], &[4.0, 3.0, 2.0, 1.0]) + 1.0).abs() < 1e-9);
        let r = spearman(&[1.0, 1.0, 2.0, 3.0], &[1.0, 2.0, 2.0, 3.0]);
        assert!(r > 0.8 && r < 1.0, "{r}");
        assert_eq!(ranks(&[3.0, 1.0, 1.0]), vec![3.0, 1.5, 1.5]);
    }
}
