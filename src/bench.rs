//! `mockint bench transcribe`: how fast local transcription runs on this
//! machine, per sample and for 3-s and 10-s clips, with the encoder context
//! sized to the clip against the full 30-s window as the in-process reference.

use crate::audio::{load_wav, WHISPER_RATE};
use crate::cli::CliError;
use crate::models::store::{cache_dir, default_model_path};
use crate::stt::whisper::{auto_audio_ctx, WhisperTranscriber};
use crate::stt::{AudioCtx, TranscribeOptions, Transcriber};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The default sample set: the test-data cache filled by `scripts/fetch-test-data.sh`.
pub fn default_samples() -> Vec<PathBuf> {
    let dir = cache_dir().join("testdata");
    let mut files: Vec<PathBuf> = ["librivox", "jfk"]
        .iter()
        .filter_map(|d| std::fs::read_dir(dir.join(d)).ok())
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "wav"))
        .collect();
    files.sort();
    files
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn time_run(
    w: &mut WhisperTranscriber,
    samples: &[f32],
    ctx: AudioCtx,
    runs: usize,
) -> Result<(f64, String), CliError> {
    let opts = TranscribeOptions {
        audio_ctx: ctx,
        ..Default::default()
    };
    let mut text = String::new();
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let t0 = Instant::now();
        text = w.transcribe(samples, &opts)?.text();
        times.push(t0.elapsed().as_secs_f64());
    }
    Ok((median(times), text))
}

pub fn transcribe(model: Option<&Path>, files: &[PathBuf], runs: usize) -> Result<(), CliError> {
    let files = if files.is_empty() {
        default_samples()
    } else {
        files.to_vec()
    };
    if files.is_empty() {
        return Err(CliError::Usage(
            "no samples: pass WAV files or run scripts/fetch-test-data.sh first".into(),
        ));
    }
    let model = model
        .map(Path::to_path_buf)
        .unwrap_or_else(default_model_path);
    let t0 = Instant::now();
    let mut w = WhisperTranscriber::load(&model)?;
    println!(
        "model {} ({}), load {:.0} ms, threads {}, median of {runs} runs",
        w.model_name(),
        model.display(),
        t0.elapsed().as_secs_f64() * 1e3,
        TranscribeOptions::default().threads
    );
    println!(
        "{:<28} {:>7} {:>6} {:>9} {:>8} {:>9} {:>8} {:>7} {:>6}",
        "sample", "audio_s", "ctx", "wall_ms", "rtf", "full_ms", "full_rtf", "speedup", "same"
    );
    let mut clips = Vec::new();
    for f in &files {
        let c = load_wav(f)?;
        clips.push((
            f.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string(),
            c.samples,
        ));
    }
    // Fixed-length clips cut from the longest sample.
    if let Some((_, longest)) = clips.iter().max_by_key(|(_, s)| s.len()).cloned() {
        for secs in [3usize, 10] {
            if longest.len() >= secs * WHISPER_RATE as usize {
                clips.push((
                    format!("clip-{secs}s"),
                    longest[..secs * WHISPER_RATE as usize].to_vec(),
                ));
            }
        }
    }
    let (mut sum_audio, mut sum_wall) = (0.0, 0.0);
    let mut differences = Vec::new();
    for (name, samples) in &clips {
        let secs = samples.len() as f64 / WHISPER_RATE as f64;
        let (wall, text) = time_run(&mut w, samples, AudioCtx::Auto, runs)?;
        let (full, full_text) = time_run(&mut w, samples, AudioCtx::Full, runs)?;
        let same = crate::stt::wer::normalize(&text) == crate::stt::wer::normalize(&full_text);
        if !same {
            differences.push(format!("{name}\n  sized: {text}\n  full:  {full_text}"));
        }
        sum_audio += secs;
        sum_wall += wall;
        println!(
            "{:<28} {:>7.2} {:>6} {:>9.0} {:>8.3} {:>9.0} {:>8.3} {:>6.2}x {:>6}",
            name.chars().take(28).collect::<String>(),
            secs,
            auto_audio_ctx(secs),
            wall * 1e3,
            wall / secs,
            full * 1e3,
            full / secs,
            full / wall,
            if same { "yes" } else { "NO" }
        );
    }
    println!(
        "total: {sum_audio:.1} s of audio in {sum_wall:.2} s, real-time factor {:.3}",
        sum_wall / sum_audio
    );
    for d in differences {
        println!("words differ: {d}");
    }
    Ok(())
}
