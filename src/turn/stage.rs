//! The end-of-turn stage as a listening loop runs it: the one place the
//! detector is opened, the policy attached to the endpointer, and
//! [`EndpointEvent::CheckTurn`] answered.

use super::{TurnDetector, TurnPolicy, TurnPolicyConfig};
use crate::vad::{EndpointEvent, Endpointer};
use std::time::Instant;

pub struct TurnStage {
    detector: Box<dyn TurnDetector>,
    /// Model runs so far and their total wall time (ms).
    pub runs: u32,
    pub busy_ms: u64,
}

impl TurnStage {
    /// Smart Turn from the models directory; `Err` is the one-line warning to
    /// print (turns then end on today's silence rules).
    pub fn open() -> Result<TurnStage, String> {
        super::open_default()
            .map(TurnStage::with_detector)
            .map_err(|e| format!("{e}; turns end on silence alone"))
    }

    pub fn with_detector(detector: Box<dyn TurnDetector>) -> TurnStage {
        TurnStage {
            detector,
            runs: 0,
            busy_ms: 0,
        }
    }

    /// The endpointer, asking the end-of-turn policy (scaled by `patience`).
    pub fn attach(&self, ep: Endpointer, patience: f64) -> Endpointer {
        ep.with_turn_policy(TurnPolicy::new(TurnPolicyConfig {
            patience,
            ..TurnPolicyConfig::default()
        }))
    }

    /// Answers a `CheckTurn` whose audio ended at `end`: `audio` is the turn
    /// so far up to `end` (only its last 8 s matter).
    pub fn check(
        &mut self,
        ep: &mut Endpointer,
        audio: &[f32],
        end: u64,
        now: u64,
    ) -> Vec<EndpointEvent> {
        let keep = super::features::WINDOW_SAMPLES;
        let p = self.completion(&audio[audio.len().saturating_sub(keep)..]);
        ep.verdict(p, end, now)
    }

    /// The model's probability that the turn in `tail` (its last 8 s) is
    /// complete. A model failure is logged and counts as "not complete"
    /// (the silence rules then decide).
    pub fn completion(&mut self, tail: &[f32]) -> f32 {
        let t0 = Instant::now();
        let p = match self.detector.completion(tail) {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!("end-of-turn model: {e}");
                0.0
            }
        };
        self.runs += 1;
        self.busy_ms += t0.elapsed().as_millis() as u64;
        tracing::debug!(probability = p, "end-of-turn check");
        p
    }
}
