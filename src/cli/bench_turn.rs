//! `mockint bench turn`: today's silence rules against the end-of-turn stage
//! on long answers with thinking pauses, offline and at full speed.
//!
//! Each answer of the tuning and the frozen evaluation set
//! (`tests/fixtures/turn_bench/`) is assembled from the speech
//! `scripts/make-turn-bench-set.sh` synthesised (Piper and espeak-ng), run
//! through Silero's VAD once, then through the endpointer twice — with
//! today's rules, and with the Smart Turn model and [`TurnPolicy`]. Reports
//! false cut-offs by pause kind and length, and end of speech → endpoint and
//! → reply-ready percentiles on the finished answers, per set. The live
//! variant (real audio stack, real time) is `tests/live_turn_bench.rs`.

mod report;
pub mod set;
mod sim;

use super::CliError;
use crate::models::store::{cache_dir, default_model_path, silero_model_path};
use crate::turn::{TurnDetector, TurnPolicy, TurnPolicyConfig};
use crate::vad::{SileroVad, VoiceDetector, WebRtcVad, FRAME};
use clap::Args;
use report::{print_probes, print_sweep, report};
use set::Part;
use sim::{Hearing, Outcome};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Args)]
pub struct BenchTurnArgs {
    /// Answer sets: tuning, eval, frozen (written independently), both
    /// (tuning and eval) or all
    #[arg(long, default_value = "both")]
    pub set: String,
    /// Voices (subfolders of the synthesised set)
    #[arg(long, value_delimiter = ',', default_value = "piper-joe,espeak-us")]
    pub voices: Vec<String>,
    /// Transcribe with Whisper (its measured latency) instead of the script's
    /// own words with a modelled latency (deterministic)
    #[arg(long)]
    pub whisper: bool,
    /// ggml model for --whisper (default: the installed tiny.en)
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Policy settle after "complete" at the expected length (ms)
    #[arg(long)]
    pub quick_ms: Option<u64>,
    /// Extra settle for a young answer (ms)
    #[arg(long)]
    pub young_extra_ms: Option<u64>,
    /// Fraction of the expected length under which an answer is young
    #[arg(long)]
    pub young_fraction: Option<f64>,
    /// Silence after which a young answer the model calls complete ends (ms;
    /// 0: it waits for the cap)
    #[arg(long)]
    pub young_complete_ms: Option<u64>,
    /// How long a "complete" verdict waits for the last words' transcript (ms)
    #[arg(long)]
    pub transcript_wait_ms: Option<u64>,
    /// Probability that counts as "complete"
    #[arg(long)]
    pub complete: Option<f32>,
    /// Also print the model's probability 300 ms into each kind of pause and
    /// after the finished answers
    #[arg(long)]
    pub probe: bool,
    /// Compare a grid of policy settings (one line each) instead of the
    /// tables (for tuning; model results are cached across settings)
    #[arg(long)]
    pub sweep: bool,
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/turn_bench")
}

/// The settings `--sweep` compares (besides the command line's).
fn grid(base: &TurnPolicyConfig) -> Vec<TurnPolicyConfig> {
    let mut out = Vec::new();
    for complete in [0.5, 0.8] {
        for young_fraction in [0.25, 0.5, 0.75] {
            for young_extra_ms in [1_000, 3_000] {
                out.push(TurnPolicyConfig {
                    complete,
                    young_fraction,
                    young_extra_ms,
                    ..base.clone()
                });
            }
        }
    }
    out
}

fn policy(args: &BenchTurnArgs) -> TurnPolicy {
    let d = TurnPolicyConfig::default();
    TurnPolicy::new(TurnPolicyConfig {
        quick_ms: args.quick_ms.unwrap_or(d.quick_ms),
        young_extra_ms: args.young_extra_ms.unwrap_or(d.young_extra_ms),
        young_fraction: args.young_fraction.unwrap_or(d.young_fraction),
        transcript_wait_ms: args.transcript_wait_ms.unwrap_or(d.transcript_wait_ms),
        young_complete_ms: match args.young_complete_ms {
            Some(0) => None,
            Some(ms) => Some(ms),
            None => d.young_complete_ms,
        },
        complete: args.complete.unwrap_or(d.complete),
        ..d
    })
}

/// Results of one variant on one set, all voices.
#[derive(Default)]
pub(super) struct Tally {
    pub(super) outcomes: Vec<Outcome>,
    pub(super) speech_s: f64,
}

pub fn run(args: BenchTurnArgs) -> Result<(), CliError> {
    let sets: Vec<&str> = match args.set.as_str() {
        "both" => vec!["tuning", "eval"],
        "tuning" => vec!["tuning"],
        "eval" => vec!["eval"],
        "frozen" => vec!["frozen"],
        "all" => vec!["tuning", "eval", "frozen"],
        other => {
            return Err(CliError::Usage(format!(
                "--set {other}: use tuning, eval, frozen, both (tuning and eval) or all"
            )))
        }
    };
    let audio_dir = cache_dir().join("testdata/turn_bench");
    let mut detector: Box<dyn TurnDetector> =
        crate::turn::open_default().map_err(|e| CliError::Failed(e.to_string()))?;
    let mut whisper = match args.whisper {
        true => Some(crate::stt::whisper::WhisperTranscriber::load(
            &args.model.clone().unwrap_or_else(default_model_path),
        )?),
        false => None,
    };
    let policy = policy(&args);
    eprintln!("bench turn: policy {:?}", policy.cfg);
    let mut variants: Vec<(String, Option<TurnPolicy>)> = vec![
        ("today".into(), None),
        ("smart turn".into(), Some(policy.clone())),
    ];
    if args.sweep {
        for (i, cfg) in grid(&policy.cfg).into_iter().enumerate() {
            eprintln!("bench turn: setting {i}: {cfg:?}");
            variants.push((format!("setting {i}"), Some(TurnPolicy::new(cfg))));
        }
    }
    for set_name in sets {
        let file = fixtures().join(format!("{set_name}.txt"));
        let text = std::fs::read_to_string(&file)
            .map_err(|e| CliError::Failed(format!("{}: {e}", file.display())))?;
        let answers = set::parse(&file.display().to_string(), &text)
            .map_err(|e| CliError::Failed(e.to_string()))?;
        let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
        let mut probes: BTreeMap<&str, Vec<f32>> = BTreeMap::new();
        for voice in &args.voices {
            for ans in &answers {
                let clips = load_clips(&audio_dir, voice, ans)?;
                let a = set::assemble(ans, &clips);
                let speech = vad_decisions(&a.samples);
                let speech_s = (a.speech_end - a.speech_start) as f64 / 16_000.0;
                let mut hearing = match whisper.as_mut() {
                    Some(w) => Hearing::Whisper(w),
                    None => Hearing::Oracle,
                };
                // The model's answer depends only on the audio it is given:
                // cached per answer (slices of one buffer) across variants.
                let mut cache: HashMap<(usize, usize), (f32, u64, f64)> = HashMap::new();
                let mut judge = |audio: &[f32]| -> (f32, u64, f64) {
                    *cache
                        .entry((audio.as_ptr() as usize, audio.len()))
                        .or_insert_with(|| {
                            let (t0, c0) = (Instant::now(), thread_cpu_ms());
                            let p = detector.completion(audio).unwrap_or(0.0);
                            (p, t0.elapsed().as_millis() as u64, thread_cpu_ms() - c0)
                        })
                };
                if args.probe {
                    let window = |end: u64| {
                        let from = a.speech_start.max(end.saturating_sub(8 * 16_000)) as usize;
                        &a.samples[from..end as usize]
                    };
                    for g in &a.gaps {
                        let p = judge(window(g.start + 300 * 16)).0;
                        probes.entry(g.kind.label()).or_default().push(p);
                    }
                    let p = judge(window(a.speech_end + 300 * 16)).0;
                    probes
                        .entry("at the end of the answer")
                        .or_default()
                        .push(p);
                }
                for (name, p) in &variants {
                    let o = sim::run(
                        &a,
                        &speech,
                        ans.expected_seconds,
                        p.as_ref(),
                        &mut judge,
                        &mut hearing,
                    );
                    if name.starts_with("setting") {
                        let t = tallies.entry(name.clone()).or_default();
                        t.outcomes.push(o);
                        t.speech_s += speech_s;
                        continue;
                    }
                    eprintln!(
                        "  {set_name} {voice} {} ({speech_s:.0} s): {name}: end {} ms, cuts {}",
                        ans.id,
                        o.endpoint_ms.map_or("—".into(), |m| m.to_string()),
                        o.pauses.iter().filter(|p| p.2).count() + o.cut_in_speech
                    );
                    let t = tallies.entry(name.clone()).or_default();
                    t.outcomes.push(o);
                    t.speech_s += speech_s;
                }
            }
        }
        if args.probe {
            print_probes(set_name, &probes);
        }
        if args.sweep {
            print_sweep(set_name, &tallies);
        } else {
            report(set_name, &args.voices, &tallies, args.whisper);
        }
    }
    Ok(())
}

fn load_clips(dir: &Path, voice: &str, ans: &set::Answer) -> Result<Vec<Vec<f32>>, CliError> {
    ans.parts
        .iter()
        .filter_map(|p| match p {
            Part::Say(t) => Some(t),
            Part::Pause(_) => None,
        })
        .map(|t| {
            let path = set::clip_path(dir, voice, t);
            crate::audio::load_wav(&path)
                .map(|c| c.samples)
                .map_err(|_| {
                    CliError::Failed(format!(
                        "{}: missing; run scripts/make-turn-bench-set.sh",
                        path.display()
                    ))
                })
        })
        .collect()
}

fn vad_decisions(samples: &[f32]) -> Vec<bool> {
    let mut vad: Box<dyn VoiceDetector> = match SileroVad::open(&silero_model_path()) {
        Ok(v) => Box::new(v),
        Err(e) => {
            eprintln!("warning: {e}; using WebRTC's VAD");
            Box::new(WebRtcVad::default())
        }
    };
    samples
        .chunks_exact(FRAME)
        .map(|f| vad.is_speech(f))
        .collect()
}

/// CPU time this thread has used (ONNX Runtime with one intra-op thread
/// runs the model on the calling thread).
fn thread_cpu_ms() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime fills the struct it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 / 1e6
}
