//! `mockint bench voice`: latency of the spoken loop, end to end, on recorded
//! answers played at real-time pace through the same pipeline as the
//! microphone (VAD → endpointer → Whisper worker → interviewer).
//!
//! Answers of 10 s to 2 min are assembled from recorded speech (the spoken
//! DevOps set, else the LibriVox samples) with natural pauses between
//! sentences. Prints, per answer and as percentiles: end of speech → endpoint
//! decision, endpoint → final transcript, transcript → reply issued (and,
//! with `--tts`, its first audio from the default voice), and the CPU the
//! process used while listening to silence before the first answer.

use super::start_cmd::VadArg;
use super::CliError;
use crate::audio::load_wav;
use crate::audio::source::WavSource;
use crate::bank::{Bank, BankSource};
use crate::interviewer::{plan, Config, History, Mode};
use crate::models::store::{cache_dir, default_model_path};
use crate::session::voice::{run_voice, VadKind, VoiceOptions};
use crate::session::Session;
use crate::stt::worker::WhisperWorker;
use crate::transcript::{SessionDir, SessionRecord, TurnLatency};
use clap::Args;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Args)]
pub struct BenchVoiceArgs {
    /// ggml model (default: the installed tiny.en)
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Answer lengths in seconds
    #[arg(long, value_delimiter = ',', default_value = "10,20,30,60,90,120")]
    pub lengths: Vec<u32>,
    /// Voice activity detector: silero, webrtc, or auto (silero when installed)
    #[arg(long, value_enum, default_value_t = VadArg::Auto)]
    pub vad: VadArg,
    /// Speak the replies (with the default voice, or --voice) and measure
    /// their first audio (default: replies are only issued, to a silent speaker)
    #[arg(long)]
    pub tts: bool,
    /// End answers on silence alone, without the end-of-turn model
    #[arg(long)]
    pub no_turn_model: bool,
    /// With --tts: piper (default), system (speech-dispatcher) or a speech-dispatcher voice
    #[arg(long)]
    pub voice: Option<String>,
    /// Recorded speech to build answers from (default: the test-data cache)
    pub files: Vec<PathBuf>,
}

/// Seconds of silence heard before the first answer (the idle-CPU window).
const IDLE_S: u64 = 12;
const PAUSE_S: f64 = 1.2;

fn speech_files(files: &[PathBuf]) -> Vec<PathBuf> {
    if !files.is_empty() {
        return files.to_vec();
    }
    let dir = cache_dir().join("testdata");
    for sub in ["stt_eval", "librivox"] {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir.join(sub))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "wav"))
            .collect();
        if !v.is_empty() {
            v.sort();
            return v;
        }
    }
    Vec::new()
}

/// Answers of the given lengths: sentences back to back with short pauses.
fn assemble(clips: &[Vec<f32>], lengths: &[u32]) -> Vec<Vec<f32>> {
    let mut next = 0;
    let pause = vec![0.0f32; (PAUSE_S * 16_000.0) as usize];
    lengths
        .iter()
        .map(|&secs| {
            let mut a: Vec<f32> = Vec::new();
            while a.len() < secs as usize * 16_000 {
                if !a.is_empty() {
                    a.extend_from_slice(&pause);
                }
                a.extend_from_slice(&clips[next % clips.len()]);
                next += 1;
            }
            a
        })
        .collect()
}

fn percentile(v: &[u64], p: f64) -> u64 {
    let mut s = v.to_vec();
    s.sort_unstable();
    s[((s.len() - 1) as f64 * p).round() as usize]
}

/// CPU seconds this process has used (all threads).
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage fills a plain struct.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(u.ru_utime) + tv(u.ru_stime)
}

pub fn run(args: BenchVoiceArgs, bank_dir: Option<&Path>) -> Result<(), CliError> {
    let vad = VadKind::resolve(args.vad.into())?;
    let files = speech_files(&args.files);
    if files.is_empty() {
        return Err(CliError::Usage(
            "no recorded speech to build answers from; run scripts/setup.sh (it fetches the test speech) or pass WAV files".into(),
        ));
    }
    if args.lengths.is_empty() || args.lengths.contains(&0) {
        return Err(CliError::Usage(
            "--lengths: give answer lengths in seconds, e.g. 10,30,60".into(),
        ));
    }
    let clips = files
        .iter()
        .map(|f| load_wav(f).map(|c| c.samples))
        .collect::<Result<Vec<_>, _>>()?;
    let mut answers = assemble(&clips, &args.lengths);
    // The first answer starts after a stretch of silence: idle listening.
    let mut lead = vec![0.0f32; IDLE_S as usize * 16_000];
    lead.append(&mut answers[0]);
    answers[0] = lead;

    let bank =
        Bank::load(&BankSource::resolve(bank_dir)).map_err(|e| CliError::Failed(e.to_string()))?;
    let mode = Mode::Round {
        round: "kubernetes".into(),
        questions: answers.len(),
    };
    let planned =
        plan(&bank, &mode, 1, &History::default()).map_err(|e| CliError::Failed(e.to_string()))?;
    let tmp = std::env::temp_dir().join(format!("mockint-bench-voice-{}", std::process::id()));
    let dir = SessionDir::create(&tmp)?;
    let record = SessionRecord::new(
        "bench-voice".into(),
        humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        mode.clone(),
        1,
        Config {
            silence_timeout: None,
            max_follow_ups: 0,
            consult: false,
            ask_for_more: false,
        },
        BankSource::resolve(bank_dir).describe(),
        planned,
    );
    let title = mode.describe(&bank);
    let session = Session::new(dir.clone(), record, bank, title)?;
    let model = args.model.clone().unwrap_or_else(default_model_path);
    let worker = WhisperWorker::spawn(&model)?;
    let model_name = worker.model_name.clone();
    let total: f64 = answers.iter().map(|a| a.len() as f64 / 16_000.0).sum();
    eprintln!(
        "bench voice: {} answers ({:.0} s of audio, real time) with {model_name}; {IDLE_S} s of silence first",
        answers.len(),
        total
    );

    // Idle CPU: sampled from a second thread while the loop listens to silence.
    let idle = std::thread::spawn(|| {
        std::thread::sleep(Duration::from_secs(2));
        let (c0, t0) = (cpu_seconds(), Instant::now());
        std::thread::sleep(Duration::from_secs(IDLE_S - 4));
        (cpu_seconds() - c0) / t0.elapsed().as_secs_f64()
    });
    let opened = crate::tts::open(&crate::tts::VoiceSettings {
        no_tts: !args.tts,
        rate: 1.0,
        voice: args.voice.clone(),
        output_device: None,
    });
    if let Some(w) = opened.warning {
        return Err(CliError::Failed(w));
    }
    println!("voice: {}", opened.describe);
    let speaker = opened.speaker;
    let source = Box::new(WavSource::from_clips(answers, false));
    run_voice(
        session,
        source,
        speaker,
        worker,
        VoiceOptions {
            patience: 1.0,
            prompt: None,
            barge_in: true,
            hook: None,
            llm: None,
            vad: vad.clone(),
            turn_model: !args.no_turn_model,
            keys: false,
        },
    )?;
    let idle_cpu = idle.join().unwrap_or(f64::NAN);
    let record = dir.load()?;
    let _ = std::fs::remove_dir_all(&tmp);
    report(&record.latency, &model_name, idle_cpu);
    Ok(())
}

fn report(lat: &[TurnLatency], model: &str, idle_cpu: f64) {
    println!("\nmockint bench voice — {model}\n");
    println!(
        "{:>8} {:>12} {:>14} {:>12} {:>16}",
        "answer", "endpoint ms", "transcript ms", "reply ms", "first audio ms"
    );
    for l in lat {
        println!(
            "{:>7.0}s {:>12} {:>14} {:>12} {:>16}",
            l.answer_ms as f64 / 1000.0,
            l.endpoint_ms,
            l.transcript_ms,
            l.reply_ms,
            l.audio_ms.map_or("—".into(), |a| a.to_string())
        );
    }
    if lat.is_empty() {
        println!("no answers were heard");
        return;
    }
    let col = |f: fn(&TurnLatency) -> u64| lat.iter().map(f).collect::<Vec<u64>>();
    let audio: Vec<u64> = lat
        .iter()
        .filter_map(|l| l.audio_ms.map(|a| l.transcript_ms + a))
        .collect();
    let speech: Vec<u64> = lat
        .iter()
        .filter_map(|l| l.audio_ms.map(|a| a.saturating_sub(l.reply_ms)))
        .collect();
    let mut rows: Vec<(&str, Vec<u64>, Option<u64>)> = vec![
        ("end of speech → endpoint", col(|l| l.endpoint_ms), None),
        (
            "endpoint → final transcript",
            col(|l| l.transcript_ms),
            Some(300),
        ),
        (
            "endpoint → reply issued",
            col(|l| l.transcript_ms + l.reply_ms),
            None,
        ),
    ];
    let measured_audio = !audio.is_empty();
    if measured_audio {
        rows.push(("endpoint → first reply audio", audio, Some(500)));
        rows.push(("reply issued → first audio", speech, Some(300)));
    }
    println!(
        "\n{:<30} {:>7} {:>7} {:>7}  target p50",
        "", "p50", "p90", "max"
    );
    for (name, v, target) in rows {
        let p50 = percentile(&v, 0.5);
        println!(
            "{name:<30} {p50:>7} {:>7} {:>7}  {}",
            percentile(&v, 0.9),
            v.iter().max().copied().unwrap_or(0),
            target.map_or("—".to_string(), |t| format!(
                "≤ {t} ms: {}",
                if p50 <= t { "met" } else { "missed" }
            ))
        );
    }
    if !measured_audio {
        println!(
            "(first reply audio not measured: replies went to a silent speaker; --tts speaks them)"
        );
    }
    println!(
        "CPU while listening to silence: {:.1} % of one core (target ≤ 5 %)",
        idle_cpu * 100.0
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_reach_their_length_with_pauses_between_sentences() {
        let clips = vec![vec![0.5f32; 16_000 * 3], vec![0.5f32; 16_000 * 4]];
        let a = assemble(&clips, &[10, 5]);
        assert_eq!(a.len(), 2);
        assert!(a[0].len() >= 10 * 16_000, "{}", a[0].len());
        // 3 s + pause + 4 s + pause + 3 s: the pauses are silent.
        let p = 3 * 16_000 + 100;
        assert_eq!(a[0][p], 0.0);
        assert!(a[1].len() >= 5 * 16_000);
    }

    #[test]
    fn percentiles_pick_from_the_sorted_values() {
        let v = [5, 1, 4, 2, 3];
        assert_eq!(percentile(&v, 0.5), 3);
        assert_eq!(percentile(&v, 0.0), 1);
        assert_eq!(percentile(&v, 1.0), 5);
    }
}
