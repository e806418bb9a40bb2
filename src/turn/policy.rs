//! When a silence ends the turn, once the end-of-turn model has spoken.
//!
//! Pure: the endpointer describes the moment ([`Situation`]: how long the
//! silence is, how long the answer has run against the question's expected
//! length, what its last words suggest, the model's latest probability) and
//! asks [`TurnPolicy::ends`]; [`TurnPolicy::should_check`] says when the model
//! should be (re)run. No clock, no I/O.
//!
//! The rules, in order:
//! 1. "Let me think" and push-to-talk hold the floor: never end.
//! 2. Today's silence rule (4.5 s; 6.5 s for a young or trailing answer;
//!    1.5 s after "that's it") is the cap: it always ends the turn, model or
//!    not.
//! 3. Words that say more is coming ("…and", "…because", a comma, "there are
//!    two ways") outvote the model: only the cap ends the turn.
//! 4. A model verdict of "complete" ends the turn after a short settle
//!    (`quick_ms`, longer while the answer is young against the question's
//!    expected length), once the transcript has caught up with the speech
//!    (or `transcript_wait_ms` passed without it); an answer younger than
//!    `young_fraction` of the expected length waits for the cap unless it
//!    closes ("that's it") or sums up ("Overall, …") — or, when
//!    `young_complete_ms` is set, until that much silence (shorter than the
//!    thinking cap a young answer otherwise waits).
//! 5. Otherwise ("incomplete", or no verdict yet) the cap decides.
//!
//! `patience` scales every wait, as `--patience` scales the silence rules.

/// What the transcript's last words suggest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// "That's it", "so yeah": the candidate says they are done.
    Closing,
    /// The last sentence sums up ("Overall, …", "So in short, …",
    /// "Finally, …"): likely the last one.
    Summing,
    /// "…and", "…because", a trailing comma, an announced list: more is coming.
    Trailing,
    /// Nothing either way.
    Neutral,
}

#[derive(Debug, Clone)]
pub struct TurnPolicyConfig {
    /// Silences (ms) at which the model runs, in order; the first is the
    /// earliest a turn can end on the model's word.
    pub checks_ms: Vec<u64>,
    /// A probability at or above this is "complete" (the model's own 0.5).
    pub complete: f32,
    /// Settle after a "complete" verdict on an answer at or past its
    /// expected length.
    pub quick_ms: u64,
    /// Extra settle for an answer just past `young_fraction` of its expected
    /// length, shrinking linearly to nothing at the expected length.
    pub young_extra_ms: u64,
    /// Answers shorter than this fraction of the expected length wait for
    /// the cap (unless they close).
    pub young_fraction: f64,
    /// A young answer the model calls complete ends after this much
    /// silence (`None`: it waits for the cap): 5 s rather than the 6.5 s
    /// of thinking. On every bench set it cuts nothing more and takes p90
    /// from 6.5 s to 5 s; 4.5 s cut 4-s thinking pauses early in answers,
    /// and shorter waits many pauses after sentences.
    pub young_complete_ms: Option<u64>,
    /// How long a "complete" verdict waits for the transcript of the last
    /// words before deciding without it.
    pub transcript_wait_ms: u64,
    /// Scales every wait (`--patience`).
    pub patience: f64,
}

impl Default for TurnPolicyConfig {
    fn default() -> Self {
        TurnPolicyConfig {
            checks_ms: vec![250, 600, 1_200, 2_400],
            complete: 0.5,
            quick_ms: 500,
            young_extra_ms: 3_000,
            young_fraction: 0.5,
            young_complete_ms: Some(5_000),
            transcript_wait_ms: 1_500,
            patience: 1.0,
        }
    }
}

/// The moment the endpointer asks about (all times in ms).
#[derive(Debug, Clone)]
pub struct Situation {
    /// Silence since the last speech.
    pub silence_ms: u64,
    /// The answer so far (first speech to last speech).
    pub answer_ms: u64,
    /// The question's expected answer length.
    pub expected_ms: u64,
    pub cue: Cue,
    /// Whether the transcript covers the speech up to its last word.
    pub transcript_current: bool,
    /// "Let me think" or push-to-talk.
    pub hold: bool,
    /// Today's silence rule for this moment, already scaled by patience.
    pub cap_ms: u64,
    /// The model's latest probability in this silence, if it has run.
    pub verdict: Option<f32>,
}

/// The end-of-turn policy (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct TurnPolicy {
    pub cfg: TurnPolicyConfig,
}

impl TurnPolicy {
    pub fn new(cfg: TurnPolicyConfig) -> TurnPolicy {
        TurnPolicy { cfg }
    }

    fn scaled(&self, ms: u64) -> u64 {
        (ms as f64 * self.cfg.patience.max(0.1)) as u64
    }

    /// Whether the model should run now, `done` checks into this silence.
    pub fn should_check(&self, silence_ms: u64, done: usize, hold: bool) -> bool {
        !hold
            && self
                .cfg
                .checks_ms
                .get(done)
                .is_some_and(|&at| silence_ms >= at)
    }

    /// Whether the turn ends at this moment.
    pub fn ends(&self, s: &Situation) -> bool {
        if s.hold {
            return false;
        }
        if s.silence_ms >= s.cap_ms {
            return true;
        }
        let Some(p) = s.verdict else { return false };
        if p < self.cfg.complete {
            return false;
        }
        let closing = matches!(s.cue, Cue::Closing | Cue::Summing) && s.transcript_current;
        if s.cue == Cue::Trailing && s.transcript_current {
            return false;
        }
        let progress = s.answer_ms as f64 / s.expected_ms.max(1) as f64;
        if progress < self.cfg.young_fraction && !closing {
            return self
                .cfg
                .young_complete_ms
                .is_some_and(|ms| s.silence_ms >= self.scaled(ms));
        }
        let mut settle = self.cfg.quick_ms;
        if !closing && progress < 1.0 {
            let span = (1.0 - self.cfg.young_fraction).max(1e-9);
            let left = ((1.0 - progress) / span).clamp(0.0, 1.0);
            settle += (self.cfg.young_extra_ms as f64 * left) as u64;
        }
        let mut need = self.scaled(settle);
        if !s.transcript_current {
            need = need.max(self.scaled(self.cfg.transcript_wait_ms));
        }
        s.silence_ms >= need
    }
}

#[cfg(test)]
mod tests;
