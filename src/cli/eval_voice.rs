//! `mockint eval voice`: how well Whisper hears the interviewer's voice.
//! Every question of the bank is spoken by the voice (Piper synthesised in
//! memory exactly as when speaking, sentence by sentence; or espeak-ng, the
//! engine behind speech-dispatcher) and transcribed back by Whisper without
//! a prompt; the word error rate against the question's text is reported,
//! as Whisper wrote it and after the vocabulary layer every answer passes
//! through (which spells "cloud formation" as CloudFormation).
//! A benchmark, not a test: it takes minutes.

use super::knowledge::KnowledgeError;
use super::CliError;
use crate::audio::resample::resample;
use crate::audio::WHISPER_RATE;
use crate::bank::{Bank, BankSource};
use crate::models::store::{default_model_path, piper_config_path, piper_model_path};
use crate::stt::wer::edits;
use crate::stt::whisper::WhisperTranscriber;
use crate::stt::{Decoding, TranscribeOptions, Transcriber};
use crate::tts::piper::Reading;
use crate::tts::piper_model::PiperModel;
use crate::vocab::Vocabulary;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalVoice {
    /// The Piper voice (the default interviewer voice)
    Piper,
    /// espeak-ng, as speech-dispatcher speaks (`--voice system`)
    Espeak,
}

#[derive(Debug, Args)]
pub struct VoiceEvalArgs {
    /// Which voice speaks the questions
    #[arg(long, value_enum, default_value_t = EvalVoice::Piper)]
    pub voice: EvalVoice,
    /// ggml Whisper model (default: the installed tiny.en)
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Decoding: greedy, beam (5 beams) or beamN
    #[arg(long, default_value = "beam")]
    pub decoding: Decoding,
    /// Only the first N questions (default: all)
    #[arg(long)]
    pub limit: Option<usize>,
    /// Print each question's transcript and its errors
    #[arg(long)]
    pub verbose: bool,
    /// Read the text as written (markup dropped), not with jargon as
    /// engineers say it: the comparison run
    #[arg(long)]
    pub as_written: bool,
    /// Speaking rate for Piper (1.0 = the voice's own; `--tts-rate` in a session)
    #[arg(long, default_value_t = 1.0)]
    pub rate: f32,
    /// Speak these lines (one question per line) instead of the bank's
    /// questions, e.g. a set written by someone who never saw the voice's rules
    #[arg(long, value_name = "FILE")]
    pub texts: Option<PathBuf>,
}

/// One voice: text in, 16 kHz mono out.
enum Voice {
    Piper(Box<PiperModel>),
    /// The WAV file espeak-ng writes each question to.
    Espeak(PathBuf),
}

impl Voice {
    fn open(kind: EvalVoice) -> Result<Voice, CliError> {
        match kind {
            EvalVoice::Piper => PiperModel::load(&piper_model_path(), &piper_config_path(), 2)
                .map(|m| Voice::Piper(Box::new(m)))
                .map_err(|e| CliError::Failed(e.to_string())),
            EvalVoice::Espeak => Ok(Voice::Espeak(
                std::env::temp_dir().join(format!("mockint-eval-voice-{}.wav", std::process::id())),
            )),
        }
    }

    fn speak(&mut self, text: &str, reading: Reading, rate: f32) -> Result<Vec<f32>, CliError> {
        let fail = |e: &dyn std::fmt::Display| CliError::Failed(e.to_string());
        match self {
            Voice::Piper(m) => {
                let audio =
                    crate::tts::piper::render(m, text, rate, reading).map_err(|e| fail(&e))?;
                resample(&audio, m.config.sample_rate, WHISPER_RATE).map_err(|e| fail(&e))
            }
            Voice::Espeak(wav) => {
                espeak_to_wav(wav, &reading.read(text))?;
                let samples = crate::audio::load_wav(wav)?.samples;
                let _ = std::fs::remove_file(wav);
                Ok(samples)
            }
        }
    }
}

/// espeak-ng's own voice into a WAV file, as a helper process in its own
/// process group (a Ctrl-C meant for mockint is not its business).
fn espeak_to_wav(wav: &Path, text: &str) -> Result<(), CliError> {
    use std::os::unix::process::CommandExt;
    let status = std::process::Command::new("espeak-ng")
        .args(["-v", "en-us", "-w"])
        .arg(wav)
        .arg("--")
        .arg(text)
        .process_group(0)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| {
            CliError::Failed(format!(
                "espeak-ng: {e}; install it (apt-get install espeak-ng)"
            ))
        })?;
    if !status.success() {
        return Err(CliError::Failed(format!("espeak-ng exited with {status}")));
    }
    Ok(())
}

pub fn run(args: VoiceEvalArgs, bank_dir: Option<&Path>) -> Result<(), CliError> {
    let bank = Bank::load(&BankSource::resolve(bank_dir)).map_err(KnowledgeError::from)?;
    let model = args.model.clone().unwrap_or_else(default_model_path);
    let mut whisper = WhisperTranscriber::load(&model)?;
    let mut voice = Voice::open(args.voice)?;
    let reading = if args.as_written {
        Reading::AsWritten
    } else {
        Reading::AsSaid
    };
    let opts = TranscribeOptions {
        decoding: args.decoding,
        ..Default::default()
    };
    let mut vocabs = std::collections::HashMap::new();
    vocabs.insert("", Vocabulary::for_round_or_all(&bank, None)?);
    for r in &bank.rounds {
        vocabs.insert(
            r.round.as_str(),
            Vocabulary::for_round_or_all(&bank, Some(&r.round))?,
        );
    }
    let lines: Vec<(String, String)> = match &args.texts {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| {
                CliError::Usage(format!(
                    "cannot read {}: {e}; give a text file with one question per line",
                    path.display()
                ))
            })?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .enumerate()
            .map(|(i, l)| (format!("line-{}", i + 1), l.to_string()))
            .collect(),
        None => Vec::new(),
    };
    let questions: Vec<(&str, &str, &str)> = if args.texts.is_some() {
        lines
            .iter()
            .map(|(id, t)| ("", id.as_str(), t.as_str()))
            .take(args.limit.unwrap_or(usize::MAX))
            .collect()
    } else {
        bank.rounds
            .iter()
            .flat_map(|r| {
                r.question
                    .iter()
                    .map(|q| (r.round.as_str(), q.id.as_str(), q.prompt.as_str()))
            })
            .take(args.limit.unwrap_or(usize::MAX))
            .collect()
    };
    if questions.is_empty() {
        return Err(CliError::Usage("no questions to speak".into()));
    }
    let (mut errors, mut layered_errors, mut words, mut audio_s) = (0, 0, 0, 0.0f64);
    let mut per_question: Vec<f64> = Vec::new();
    let t0 = Instant::now();
    for (round, id, prompt) in &questions {
        let samples = voice.speak(prompt, reading, args.rate)?;
        audio_s += samples.len() as f64 / WHISPER_RATE as f64;
        // What the session keeps: Whisper's loops and tags removed.
        let heard = crate::stt::hygiene::clean(&whisper.transcribe(&samples, &opts)?.text());
        let layered = vocabs[round].rewrite(&heard).text;
        let (e, n) = edits(&heard, prompt);
        let (le, _) = edits(&layered, prompt);
        errors += e;
        layered_errors += le;
        words += n;
        per_question.push(e as f64 / n.max(1) as f64);
        if args.verbose {
            println!(
                "{id} {e}/{n} ({le} after the layer)\n  said:  {prompt}\n  heard: {}\n  layer: {}",
                heard.trim(),
                layered.trim()
            );
        }
    }
    per_question.sort_by(f64::total_cmp);
    let median = per_question
        .get(per_question.len() / 2)
        .copied()
        .unwrap_or(0.0);
    println!(
        "eval voice — {:?} voice reading {:?} at rate {}, heard by {} ({} decoding): {} questions, {words} words, {:.0} s of speech",
        args.voice,
        reading,
        args.rate,
        whisper.model_name(),
        args.decoding,
        questions.len(),
        audio_s
    );
    let pct = |e: usize| 100.0 * e as f64 / words.max(1) as f64;
    println!(
        "WER {:.1} % as heard ({errors} word errors; median per question {:.1} %), {:.1} % after the vocabulary layer; {:.0} s",
        pct(errors),
        100.0 * median,
        pct(layered_errors),
        t0.elapsed().as_secs_f64()
    );
    if whisper.overruns() > 0 {
        println!(
            "{} decode(s) wrote more words than the audio could hold and were decoded again",
            whisper.overruns()
        );
    }
    Ok(())
}
