//! The offline run: an assembled answer through VAD → endpointer (with or
//! without the end-of-turn policy) at full speed. Time is the sample count;
//! the model's and Whisper's latencies are measured (or, for the oracle
//! transcript, modelled) and their results delivered that much later in
//! stream time, as the live loop would receive them.

use super::set::{Assembled, PauseKind};
use crate::stt::{TranscribeOptions, Transcriber};
use crate::turn::TurnPolicy;
use crate::vad::{EndpointConfig, EndpointEvent, Endpointer, FRAME};
use std::time::Instant;

const MS: u64 = 16;

/// How committed audio becomes text.
pub enum Hearing<'a> {
    /// Whisper, as in a session (its wall time is the latency).
    Whisper(&'a mut dyn Transcriber),
    /// The script's own words for the audio, with Whisper's typical latency
    /// on this machine (150 ms + 55 ms per second of audio): deterministic.
    Oracle,
}

impl Hearing<'_> {
    fn hear(&mut self, a: &Assembled, start: u64, end: u64) -> (String, u64) {
        match self {
            Hearing::Whisper(w) => {
                let t0 = Instant::now();
                let opts = TranscribeOptions {
                    decoding: crate::stt::SESSION_DECODING,
                    ..Default::default()
                };
                let s = (start as usize).min(a.samples.len());
                let e = (end as usize).min(a.samples.len());
                let text = w
                    .transcribe(&a.samples[s..e], &opts)
                    .map(|t| t.text())
                    .unwrap_or_default();
                (text, t0.elapsed().as_millis() as u64)
            }
            Hearing::Oracle => {
                let mut words = Vec::new();
                for (ls, le, text) in &a.lines {
                    let (from, to) = ((*ls).max(start), (*le).min(end));
                    if to <= from {
                        continue;
                    }
                    let w: Vec<&str> = text.split_whitespace().collect();
                    let frac = |p: u64| (p - ls) as f64 / (le - ls).max(1) as f64;
                    let (i, j) = (
                        (frac(from) * w.len() as f64).round() as usize,
                        (frac(to) * w.len() as f64).round() as usize,
                    );
                    words.extend_from_slice(&w[i.min(w.len())..j.min(w.len())]);
                }
                let secs = (end - start) as f64 / 16_000.0;
                (words.join(" "), 150 + (55.0 * secs) as u64)
            }
        }
    }
}

/// What happened to one answer under one variant.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    /// Every pause: its kind, length (s) and whether the turn ended in it.
    pub pauses: Vec<(PauseKind, f64, bool)>,
    /// Turns ended while the candidate was still speaking (not in a pause).
    pub cut_in_speech: usize,
    /// End of speech → endpoint decision, for the finished answer.
    pub endpoint_ms: Option<u64>,
    /// End of speech → final transcript ready (the reply can start).
    pub reply_ms: Option<u64>,
    /// Model runs, their total wall time and CPU time.
    pub model_runs: u32,
    pub model_ms: u64,
    pub model_cpu_ms: f64,
}

enum Delivery {
    Tail,
    Verdict { p: f32, checked: u64 },
}

struct Chunk {
    end: u64,
    text: String,
    ready: u64,
}

/// The end-of-turn model as the run sees it: audio in; the probability, the
/// wall milliseconds it took (its latency) and the CPU milliseconds it used.
pub type Judge<'a> = dyn FnMut(&[f32]) -> (f32, u64, f64) + 'a;

/// Runs one answer; `speech` holds the VAD's decision per frame.
pub fn run(
    a: &Assembled,
    speech: &[bool],
    expected_seconds: u32,
    policy: Option<&TurnPolicy>,
    judge: &mut Judge,
    hearing: &mut Hearing,
) -> Outcome {
    let mut ep = Endpointer::new(EndpointConfig::default());
    if let Some(p) = policy {
        ep = ep.with_turn_policy(p.clone());
    }
    ep.reset(expected_seconds);
    let mut out = Outcome::default();
    let mut cut_gaps = vec![false; a.gaps.len()];
    let mut queue: Vec<(u64, Delivery)> = Vec::new();
    let mut chunks: Vec<Chunk> = Vec::new();
    for (i, &is_speech) in speech.iter().enumerate() {
        let pos = (i as u64 + 1) * FRAME as u64;
        let mut events = Vec::new();
        let due: Vec<Delivery> = {
            let (now, later): (Vec<_>, Vec<_>) = queue.drain(..).partition(|(at, _)| *at <= pos);
            queue = later;
            now.into_iter().map(|(_, d)| d).collect()
        };
        for d in due {
            match d {
                Delivery::Tail => {
                    let ready: Vec<&Chunk> = chunks.iter().take_while(|c| c.ready <= pos).collect();
                    if let Some(last) = ready.last() {
                        let text = ready
                            .iter()
                            .map(|c| c.text.trim())
                            .collect::<Vec<_>>()
                            .join(" ");
                        ep.set_tail_through(&text, last.end);
                    }
                }
                Delivery::Verdict { p, checked } => events.extend(ep.verdict(p, checked, pos)),
            }
        }
        events.extend(ep.push(is_speech, pos));
        let mut k = 0;
        while k < events.len() {
            match events[k].clone() {
                EndpointEvent::SpeechStarted { .. } => chunks.clear(),
                EndpointEvent::Commit { start, end } => {
                    let (text, ms) = hearing.hear(a, start, end);
                    let ready = pos + ms * MS;
                    chunks.push(Chunk { end, text, ready });
                    queue.push((ready, Delivery::Tail));
                }
                EndpointEvent::CheckTurn { start, end } => {
                    let from = start.max(end.saturating_sub(8 * 16_000)) as usize;
                    let (p, ms, cpu) = judge(&a.samples[from..end as usize]);
                    out.model_runs += 1;
                    out.model_ms += ms;
                    out.model_cpu_ms += cpu;
                    queue.push((pos + ms * MS, Delivery::Verdict { p, checked: end }));
                }
                EndpointEvent::TurnEnded { decided, .. } => {
                    let ready = chunks
                        .iter()
                        .map(|c| c.ready)
                        .max()
                        .unwrap_or(0)
                        .max(decided);
                    chunks.clear();
                    queue.clear();
                    if decided < a.speech_end {
                        match a
                            .gaps
                            .iter()
                            .position(|g| g.start <= decided && decided < g.end + 300 * MS)
                        {
                            Some(g) => cut_gaps[g] = true,
                            None => out.cut_in_speech += 1,
                        }
                    } else if out.endpoint_ms.is_none() {
                        out.endpoint_ms = Some((decided - a.speech_end) / MS);
                        out.reply_ms = Some((ready - a.speech_end) / MS);
                    }
                }
            }
            k += 1;
        }
    }
    out.pauses = a
        .gaps
        .iter()
        .zip(&cut_gaps)
        .map(|(g, &cut)| (g.kind, (g.end - g.start) as f64 / 16_000.0, cut))
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::super::set::{assemble, parse};
    use super::*;

    /// A model that always says "complete", in 70 ms.
    fn always_complete(_: &[f32]) -> (f32, u64, f64) {
        (0.9, 70, 60.0)
    }

    fn tone(secs: f64) -> Vec<f32> {
        (0..(secs * 16_000.0) as usize)
            .map(|i| 0.3 * (i as f32 * 0.05).sin())
            .collect()
    }

    fn case() -> (Assembled, Vec<bool>) {
        let set =
            "== a 20\nOne two three four.\n<3.0>\nfive six seven, and\n<2.0>\neight nine ten.\n";
        let ans = &parse("t", set).unwrap()[0];
        let a = assemble(ans, &[tone(8.0), tone(8.0), tone(6.0)]);
        // The VAD: speech wherever the signal is loud.
        let speech = a
            .samples
            .chunks(FRAME)
            .map(|f| crate::vad::rms(f) > 0.01)
            .collect();
        (a, speech)
    }

    #[test]
    fn today_s_rules_wait_out_the_silence_and_never_cut_these_pauses() {
        let (a, speech) = case();
        let o = run(
            &a,
            &speech,
            20,
            None,
            &mut always_complete,
            &mut Hearing::Oracle,
        );
        assert!(o.pauses.iter().all(|p| !p.2), "{:?}", o.pauses);
        assert_eq!(o.endpoint_ms.map(|m| m / 100), Some(45), "{o:?}");
        assert_eq!(o.model_runs, 0);
    }

    #[test]
    fn the_policy_ends_quickly_and_trailing_words_protect_a_pause() {
        let (a, speech) = case();
        let policy = TurnPolicy::default();
        let o = run(
            &a,
            &speech,
            12,
            Some(&policy),
            &mut always_complete,
            &mut Hearing::Oracle,
        );
        // A model that always says "complete" cuts the pause after the
        // finished sentence, but not the one after "…, and".
        assert_eq!(o.pauses[0].0, PauseKind::Complete);
        assert!(o.pauses[0].2, "{o:?}");
        assert!(!o.pauses[1].2, "{o:?}");
        let ms = o.endpoint_ms.expect("the answer ends");
        assert!(ms < 2_000, "{ms}");
        assert!(o.reply_ms.unwrap() >= ms);
        assert!(o.model_runs >= 1);
    }
}
