//! `mockint transcribe FILE...`

use super::CliError;
use crate::audio::load_wav;
use crate::models::store::default_model_path;
use crate::stt::whisper::WhisperTranscriber;
use crate::stt::{AudioCtx, TranscribeOptions, Transcriber};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct TranscribeArgs {
    /// WAV files (any rate, channels, int or float samples)
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// ggml model file (default: the installed tiny.en, or $MOCKINT_MODEL)
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Initial prompt: words whose spelling Whisper should follow
    #[arg(long)]
    pub prompt: Option<String>,
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
    segments: Vec<crate::stt::Segment>,
}

pub fn run(args: TranscribeArgs) -> Result<(), CliError> {
    // Read every file first, so a bad file fails fast, before the model loads.
    let clips = args
        .files
        .iter()
        .map(|f| load_wav(f).map(|c| (f, c)))
        .collect::<Result<Vec<_>, _>>()?;
    let model = args.model.clone().unwrap_or_else(default_model_path);
    let mut whisper = WhisperTranscriber::load(&model)?;
    let opts = TranscribeOptions {
        prompt: args.prompt.clone(),
        audio_ctx: args.audio_ctx,
        ..Default::default()
    };
    let mut results = Vec::new();
    for (file, clip) in &clips {
        let t = whisper.transcribe(&clip.samples, &opts)?;
        if args.json {
            results.push(FileResult {
                file,
                seconds: clip.seconds(),
                text: t.text(),
                segments: t.segments,
            });
        } else if clips.len() > 1 {
            println!("{}: {}", file.display(), t.text());
        } else {
            println!("{}", t.text());
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
