//! `mockint delivery FILE.wav…`: words per minute, fillers per minute, long
//! pauses and length of recorded answers (the same measurements the debrief
//! shows for a spoken session).

use super::CliError;
use crate::delivery::analyze;
use crate::stt::whisper::WhisperTranscriber;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct DeliveryArgs {
    /// Recorded answers (WAV)
    #[arg(required_unless_present = "session", conflicts_with = "session")]
    pub files: Vec<PathBuf>,
    /// Measure a session's recorded answers (answers/qNN-K.wav) and add them to its transcript and debrief
    #[arg(long, value_name = "DIR")]
    pub session: Option<PathBuf>,
    /// The question's expected length, e.g. 2:00 or 90
    #[arg(long, value_name = "M:SS")]
    pub expected: Option<String>,
    /// Print JSON (with the timed words)
    #[arg(long)]
    pub json: bool,
    /// ggml Whisper model (default: the installed tiny.en)
    #[arg(long)]
    pub model: Option<PathBuf>,
}

/// `2:00`, `1:30` or plain seconds → milliseconds.
pub fn parse_clock(s: &str) -> Result<u64, String> {
    let bad = || format!("{s:?}: write a length as M:SS (e.g. 2:00) or seconds (e.g. 90)");
    let secs = match s.split_once(':') {
        Some((m, sec)) => {
            let m: u64 = m.trim().parse().map_err(|_| bad())?;
            let sec: u64 = sec.trim().parse().map_err(|_| bad())?;
            if sec >= 60 {
                return Err(bad());
            }
            m * 60 + sec
        }
        None => s.trim().parse().map_err(|_| bad())?,
    };
    if secs == 0 || secs > 3600 {
        return Err(bad());
    }
    Ok(secs * 1000)
}

pub fn run(args: DeliveryArgs, bank_dir: Option<&std::path::Path>) -> Result<(), CliError> {
    if let Some(dir) = &args.session {
        return run_session(dir, bank_dir);
    }
    let expected = args
        .expected
        .as_deref()
        .map(|t| parse_clock(t).map_err(|e| CliError::Usage(format!("--expected {e}"))))
        .transpose()?;
    let clips = args
        .files
        .iter()
        .map(|f| crate::audio::load_wav(f).map(|c| (f, c)))
        .collect::<Result<Vec<_>, _>>()?;
    let model = args
        .model
        .unwrap_or_else(crate::models::store::default_model_path);
    let mut stt = WhisperTranscriber::load(&model)?;
    let mut all = Vec::new();
    for (path, clip) in clips {
        let (d, words) = analyze(&clip.samples, &mut stt, expected, None)
            .map_err(|e| CliError::Failed(format!("{}: {e}", path.display())))?;
        if args.json {
            all.push(serde_json::json!({
                "file": path.display().to_string(),
                "delivery": d,
                "words": words,
            }));
        } else {
            println!("{}: {}", path.display(), d.summary());
        }
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&all).map_err(|e| CliError::Failed(e.to_string()))?
        );
    }
    Ok(())
}

/// Measures a session's recordings and rewrites its transcript and debrief.
fn run_session(dir: &std::path::Path, bank_dir: Option<&std::path::Path>) -> Result<(), CliError> {
    use crate::transcript::SessionDir;
    if !dir.join("session.json").is_file() {
        return Err(CliError::Usage(format!(
            "{}: no session.json there; pass a session folder (see `mockint history`)",
            dir.display()
        )));
    }
    let d = SessionDir::open(dir);
    let record = d.load()?;
    let todo = crate::delivery::session::unmeasured(dir, &record).len();
    if todo == 0 && record.delivery.is_empty() {
        return Err(CliError::Usage(format!(
            "{}: no recorded answers (answers/qNN-K.wav) to measure",
            dir.display()
        )));
    }
    let bank = crate::bank::Bank::load(&crate::bank::BankSource::resolve(bank_dir))
        .map_err(|e| CliError::Knowledge(super::knowledge::KnowledgeError::Bank(e)))?;
    let title = record.mode.describe(&bank);
    let mut s = crate::session::Session::new(d, record, bank, title)?;
    s.write_debrief()?;
    s.save()?;
    for a in &s.record.delivery {
        println!(
            "Q{} answer {}: {}",
            a.index + 1,
            a.take,
            a.delivery.summary()
        );
    }
    println!("Debrief: {}", s.dir.file("debrief.md").display());
    Ok(())
}

/// `mockint bench delivery`: time of the filler pass and the VAD pause scan
/// per clip (median of `runs`), as a real-time factor.
pub fn bench(
    files: &[PathBuf],
    runs: usize,
    model: Option<&std::path::Path>,
) -> Result<(), CliError> {
    if files.is_empty() {
        return Err(CliError::Usage(
            "pass the WAV files to measure, e.g. `mockint bench delivery answer.wav`".into(),
        ));
    }
    let clips = files
        .iter()
        .map(|f| crate::audio::load_wav(f).map(|c| (f, c)))
        .collect::<Result<Vec<_>, _>>()?;
    let model = model
        .map(|p| p.to_path_buf())
        .unwrap_or_else(crate::models::store::default_model_path);
    let mut stt = WhisperTranscriber::load(&model)?;
    println!(
        "{:<40} {:>8} {:>12} {:>8} {:>10}",
        "file", "audio s", "filler pass", "RTF", "VAD ms"
    );
    for (path, clip) in clips {
        let mut pass = Vec::new();
        let mut vad = Vec::new();
        for _ in 0..runs.max(1) {
            let t = std::time::Instant::now();
            let speech = crate::delivery::speech_frames(&clip.samples);
            vad.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = std::time::Instant::now();
            crate::delivery::words::timed_words(&mut stt, &clip.samples, &speech, None)?;
            pass.push(t.elapsed().as_secs_f64());
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let (p, v) = (median(&mut pass), median(&mut vad));
        println!(
            "{:<40} {:>8.1} {:>10.2} s {:>8.3} {:>10.1}",
            path.display(),
            clip.seconds(),
            p,
            p / clip.seconds(),
            v
        );
    }
    Ok(())
}
