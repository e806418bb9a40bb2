//! The live timer's logic: green until the target, amber from the target,
//! red from the red threshold (by default 50 % over). Pure: the caller
//! passes the elapsed time.

/// How close the answer is to its time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Green,
    Amber,
    Red,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub target_ms: u64,
    pub amber_ms: u64,
    pub red_ms: u64,
}

impl Thresholds {
    /// `amber` and `red` are fractions of the target (1.0 and 1.5 by default).
    pub fn new(target_ms: u64, amber: f64, red: f64) -> Thresholds {
        let at = |f: f64| (target_ms as f64 * f).round() as u64;
        Thresholds {
            target_ms,
            amber_ms: at(amber),
            red_ms: at(red.max(amber)),
        }
    }

    pub fn level(&self, elapsed_ms: u64) -> Level {
        if elapsed_ms >= self.red_ms {
            Level::Red
        } else if elapsed_ms >= self.amber_ms {
            Level::Amber
        } else {
            Level::Green
        }
    }

    /// The warning to print when the timer passes into `level`.
    pub fn warning(&self, level: Level) -> Option<String> {
        use crate::transcript::duration;
        match level {
            Level::Green => None,
            Level::Amber => Some(format!(
                "amber: {} — time to land the Result",
                duration(self.amber_ms)
            )),
            Level::Red => Some(format!(
                "red: {} — {:.0} % over the target, wrap up now",
                duration(self.red_ms),
                (self.red_ms as f64 / self.target_ms.max(1) as f64 - 1.0) * 100.0
            )),
        }
    }

    /// The timer line for a terminal: `⏱ 1:23 / 2:00` in the level's colour.
    pub fn tty_line(&self, elapsed_ms: u64) -> String {
        use crate::transcript::duration;
        let colour = match self.level(elapsed_ms) {
            Level::Green => "32",
            Level::Amber => "33",
            Level::Red => "31",
        };
        format!(
            "\r\x1b[{colour}m⏱ {} / {}\x1b[0m  (Enter when done) ",
            duration(elapsed_ms),
            duration(self.target_ms)
        )
    }
}

/// The warnings a recording of `length_ms` passed through, with when.
pub fn warnings(t: &Thresholds, length_ms: u64) -> Vec<(u64, String)> {
    [Level::Amber, Level::Red]
        .into_iter()
        .filter(|l| t.level(length_ms) >= *l)
        .filter_map(|l| {
            let at = if l == Level::Amber {
                t.amber_ms
            } else {
                t.red_ms
            };
            t.warning(l).map(|w| (at, w))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_thresholds() {
        let t = Thresholds::new(120_000, 1.0, 1.5);
        assert_eq!(t.level(119_999), Level::Green);
        assert_eq!(t.level(120_000), Level::Amber);
        assert_eq!(t.level(180_000), Level::Red);
        let w = warnings(&t, 185_000);
        assert_eq!(w.len(), 2);
        assert_eq!(w[1].1, "red: 3:00 — 50 % over the target, wrap up now");
        assert!(warnings(&t, 60_000).is_empty());
        assert!(t.tty_line(130_000).contains("\x1b[33m⏱ 2:10 / 2:00"));
        let early = Thresholds::new(120_000, 0.8, 1.2);
        assert_eq!(early.level(100_000), Level::Amber);
    }
}
