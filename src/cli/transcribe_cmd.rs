//! `mockint transcribe FILE...`: Whisper, then the jargon vocabulary layer
//! (`--raw` skips it; `--json` keeps Whisper's own text as `raw_text`).

use super::knowledge::KnowledgeError;
use super::CliError;
use crate::audio::load_wav;
use crate::bank::{Bank, BankSource};
use crate::models::store::default_model_path;
use crate::stt::whisper::WhisperTranscriber;
use crate::stt::{AudioCtx, Decoding, TranscribeOptions, Transcriber};
use crate::vocab::{Rewrite, Vocabulary};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct TranscribeArgs {
    /// WAV files (any rate, channels, int or float samples)
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// ggml model file (default: the installed tiny.en, or $MOCKINT_MODEL)
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Initial prompt: words whose spelling Whisper should follow (replaces the vocabulary prompt)
    #[arg(long)]
    pub prompt: Option<String>,
    /// Question-bank round whose vocabulary to use (default: every round)
    #[arg(long)]
    pub round: Option<String>,
    /// Print Whisper's text as it is, without the vocabulary layer
    #[arg(long)]
    pub raw: bool,
    /// Also give Whisper a short prompt built from the vocabulary
    #[arg(long, conflicts_with = "prompt")]
    pub vocab_prompt: bool,
    /// Decoding: greedy, beam (5 beams) or beamN
    #[arg(long, default_value = "greedy")]
    pub decoding: Decoding,
    /// Print segments with timing and confidence as JSON
    #[arg(long)]
    pub json: bool,
    /// Encoder context: `auto` (sized to the clip), `full` (the 30-s window), or frames (50 per second)
    #[arg(long, default_value = "auto", value_parser = parse_audio_ctx)]
    pub audio_ctx: AudioCtx,
}

#[derive(serde::Serialize)]
struct FileResult<'a> {
    file: &'a std::path::Path,
    seconds: f64,
    text: String,
    /// Whisper's text before the vocabulary layer.
    raw_text: String,
    segments: Vec<SegmentOut>,
}

#[derive(serde::Serialize)]
struct SegmentOut {
    start_ms: i64,
    end_ms: i64,
    text: String,
    raw_text: String,
    /// What the layer changed; byte offsets are into this segment's `raw_text`.
    rewrites: Vec<Rewrite>,
    mean_token_prob: f32,
    no_speech_prob: f32,
}

pub fn run(args: TranscribeArgs, bank_dir: Option<&Path>) -> Result<(), CliError> {
    // Read every file first, so a bad file fails fast, before the model loads.
    let clips = args
        .files
        .iter()
        .map(|f| load_wav(f).map(|c| (f, c)))
        .collect::<Result<Vec<_>, _>>()?;
    let vocab = if args.raw && !args.vocab_prompt {
        None
    } else {
        let bank = Bank::load(&BankSource::resolve(bank_dir)).map_err(KnowledgeError::from)?;
        Some(Vocabulary::for_round_or_all(&bank, args.round.as_deref())?)
    };
    let model = args.model.clone().unwrap_or_else(default_model_path);
    let mut whisper = WhisperTranscriber::load(&model)?;
    let vocab_prompt = vocab
        .as_ref()
        .filter(|_| args.vocab_prompt)
        .map(|v| v.prompt());
    let opts = TranscribeOptions {
        prompt: args.prompt.clone().or(vocab_prompt),
        audio_ctx: args.audio_ctx,
        decoding: args.decoding,
        ..Default::default()
    };
    let layer = vocab.as_ref().filter(|_| !args.raw);
    let mut results = Vec::new();
    for (file, clip) in &clips {
        let t = whisper.transcribe(&clip.samples, &opts)?;
        let segments: Vec<SegmentOut> = t
            .segments
            .iter()
            .map(|s| {
                let (text, rewrites) = match layer {
                    Some(v) => {
                        let r = v.rewrite(&s.text);
                        (r.text, r.rewrites)
                    }
                    None => (s.text.clone(), Vec::new()),
                };
                SegmentOut {
                    start_ms: s.start_ms,
                    end_ms: s.end_ms,
                    text,
                    raw_text: s.text.clone(),
                    rewrites,
                    mean_token_prob: s.mean_token_prob,
                    no_speech_prob: s.no_speech_prob,
                }
            })
            .collect();
        let text = join(segments.iter().map(|s| s.text.as_str()));
        if args.json {
            results.push(FileResult {
                file,
                seconds: clip.seconds(),
                text,
                raw_text: t.text(),
                segments,
            });
        } else if clips.len() > 1 {
            println!("{}: {text}", file.display());
        } else {
            println!("{text}");
        }
    }
    if args.json {
        let out = if results.len() == 1 {
            serde_json::to_string_pretty(&results[0])
        } else {
            serde_json::to_string_pretty(&results)
        };
        println!("{}", out.map_err(|e| CliError::Failed(e.to_string()))?);
    }
    Ok(())
}

/// Segment texts joined as [`crate::stt::Transcript::text`] joins them.
fn join<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    texts
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse_audio_ctx(s: &str) -> Result<AudioCtx, String> {
    match s {
        "auto" => Ok(AudioCtx::Auto),
        "full" => Ok(AudioCtx::Full),
        n => match n.parse::<u32>() {
            Ok(f) if (64..=1500).contains(&f) => Ok(AudioCtx::Frames(f)),
            _ => Err(format!(
                "{n:?}: use auto, full, or a frame count from 64 to 1500"
            )),
        },
    }
}
