//! `mockint bench bias`: what contextual biasing costs per chunk. Each clip
//! (a chunk-sized spoken answer) is decoded as sessions decode — beam search,
//! the vocabulary prompt — without and with its round's bias context,
//! alternately, in one process; the report gives the median time of each and
//! their ratio, and the time to build a context's token trie (once per
//! question).

use super::knowledge::KnowledgeError;
use super::CliError;
use crate::audio::load_wav;
use crate::bank::{Bank, BankSource};
use crate::models::store::{cache_dir, default_model_path};
use crate::stt::bias::BiasStrength;
use crate::stt::whisper::WhisperTranscriber;
use crate::stt::{TranscribeOptions, Transcriber, SESSION_DECODING};
use crate::vocab::context::Situation;
use crate::vocab::Vocabulary;
use clap::Args;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

#[derive(Debug, Args)]
pub struct BenchBiasArgs {
    /// ggml model file (default: the installed tiny.en, or $MOCKINT_MODEL)
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// WAV clips with NAME.round beside them (default: the Piper clips of the
    /// tuning set, scripts/make-stt-eval-set.sh)
    pub files: Vec<PathBuf>,
    /// At most this many clips
    #[arg(long, default_value_t = 12)]
    pub clips: usize,
    /// Timed runs per clip and setting (the median is reported)
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        0.0
    } else {
        v[v.len() / 2]
    }
}

fn default_files() -> Vec<PathBuf> {
    let dir = cache_dir().join("testdata").join("stt_eval");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "wav") && p.to_string_lossy().contains("piper")
        })
        .collect();
    v.sort();
    v
}

pub fn run(args: BenchBiasArgs, bank_dir: Option<&Path>) -> Result<(), CliError> {
    let bank = Bank::load(&BankSource::resolve(bank_dir)).map_err(KnowledgeError::from)?;
    let mut files = if args.files.is_empty() {
        default_files()
    } else {
        args.files.clone()
    };
    files.truncate(args.clips.max(1));
    if files.is_empty() {
        return Err(CliError::Usage(
            "no clips: give WAV files, or build the tuning set with scripts/make-stt-eval-set.sh"
                .into(),
        ));
    }
    let model = args.model.clone().unwrap_or_else(default_model_path);
    let mut whisper = WhisperTranscriber::load(&model)?;
    let (mut plain, mut biased, mut ratios, mut builds) = (vec![], vec![], vec![], vec![]);
    let mut audio_s = 0.0;
    for f in &files {
        let clip = load_wav(f)?;
        let round = std::fs::read_to_string(f.with_extension("round"))
            .ok()
            .map(|r| r.trim().to_string());
        let vocab = Vocabulary::for_round_or_all(&bank, round.as_deref())?;
        let s = Situation {
            round: round.as_deref().and_then(|r| bank.round(r)),
            question: None,
            intake: &[],
        };
        let ctx = Arc::new(vocab.bias_context(&s, BiasStrength::default()));
        let t0 = Instant::now();
        whisper.bias_trie(&ctx);
        builds.push(t0.elapsed().as_secs_f64() * 1000.0);
        let opts = |bias: bool| TranscribeOptions {
            prompt: Some(vocab.prompt()).filter(|p| !p.is_empty()),
            decoding: SESSION_DECODING,
            bias: bias.then(|| ctx.clone()),
            ..Default::default()
        };
        let (off_opts, on_opts) = (opts(false), opts(true));
        // One untimed pass each to warm caches.
        whisper.transcribe(&clip.samples, &off_opts)?;
        whisper.transcribe(&clip.samples, &on_opts)?;
        let (mut off, mut on) = (vec![], vec![]);
        for _ in 0..args.runs.max(1) {
            let t = Instant::now();
            whisper.transcribe(&clip.samples, &off_opts)?;
            off.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            whisper.transcribe(&clip.samples, &on_opts)?;
            on.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let (a, b) = (median(off), median(on));
        audio_s += clip.samples.len() as f64 / 16_000.0;
        println!(
            "{}: {:.1} s, {} phrases: {a:.0} ms without bias, {b:.0} ms with ({:.2}×)",
            f.file_name().unwrap_or_default().to_string_lossy(),
            clip.samples.len() as f64 / 16_000.0,
            ctx.phrases.len(),
            b / a
        );
        plain.push(a);
        biased.push(b);
        ratios.push(b / a);
    }
    let (sa, sb): (f64, f64) = (plain.iter().sum(), biased.iter().sum());
    let spread = |v: &[f64]| {
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lo, hi)
    };
    let (lo, hi) = spread(&ratios);
    println!(
        "\n{} clips, {:.0} s of audio, {}: median per chunk {:.0} ms without bias, {:.0} ms with; \
         cost ratio {:.2}× (median per clip; {:.2}–{:.2}; total {:.2}×); trie build median {:.1} ms",
        files.len(),
        audio_s,
        whisper.model_name(),
        median(plain.clone()),
        median(biased.clone()),
        median(ratios.clone()),
        lo,
        hi,
        sb / sa,
        median(builds),
    );
    Ok(())
}
