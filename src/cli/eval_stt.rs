//! `mockint eval stt DIR`: word error rate and term recall of transcription on
//! spoken answers with known text, with and without the vocabulary layer and
//! with and without the vocabulary prompt.
//!
//! DIR holds `NAME.wav` with its reference `NAME.txt` (canonical jargon) and,
//! optionally, `NAME.round` naming the question-bank round it belongs to
//! (`scripts/make-stt-eval-set.sh` writes such a set).

use super::knowledge::KnowledgeError;
use super::CliError;
use crate::audio::load_wav;
use crate::bank::{Bank, BankSource};
use crate::models::store::default_model_path;
use crate::stt::wer::edits;
use crate::stt::whisper::WhisperTranscriber;
use crate::stt::{Decoding, TranscribeOptions, Transcriber};
use crate::vocab::recall::{Recall, TermCounter};
use crate::vocab::Vocabulary;
use clap::Args;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct SttEvalArgs {
    /// Folder of NAME.wav + NAME.txt (reference) [+ NAME.round]
    pub dir: PathBuf,
    /// Use this round's vocabulary for every clip (default: each clip's NAME.round, else all rounds)
    #[arg(long)]
    pub round: Option<String>,
    /// ggml model file (default: the installed tiny.en, or $MOCKINT_MODEL)
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Decoding: greedy, beam (5 beams) or beamN
    #[arg(long, default_value = "beam")]
    pub decoding: Decoding,
    /// Print each clip's transcripts and missed terms
    #[arg(long)]
    pub verbose: bool,
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
}

/// Totals for one configuration (prompt on/off × layer on/off).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Row {
    pub prompt: bool,
    pub layer: bool,
    pub word_errors: usize,
    pub words: usize,
    pub wer: f64,
    pub recall: Recall,
    pub term_recall: f64,
}

#[derive(Debug, Serialize)]
struct Report {
    dir: PathBuf,
    clips: usize,
    model: String,
    decoding: String,
    rows: Vec<Row>,
    /// The initial prompt given per round ("all" when no round is known).
    prompts: BTreeMap<String, String>,
}

struct Clip {
    name: String,
    samples: Vec<f32>,
    reference: String,
    round: Option<String>,
}

fn load_clips(dir: &Path, force_round: Option<&str>) -> Result<Vec<Clip>, CliError> {
    let io = |e: std::io::Error| CliError::Usage(format!("{}: {e}", dir.display()));
    let mut wavs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "wav"))
        .filter(|p| p.with_extension("txt").is_file())
        .collect();
    wavs.sort();
    if wavs.is_empty() {
        return Err(CliError::Usage(format!(
            "{}: no NAME.wav with a NAME.txt reference beside it (make one with scripts/make-stt-eval-set.sh)",
            dir.display()
        )));
    }
    let mut clips = Vec::new();
    for wav in wavs {
        let clip = load_wav(&wav)?;
        let read = |ext: &str| std::fs::read_to_string(wav.with_extension(ext)).ok();
        let reference = read("txt").unwrap_or_default().trim().to_string();
        let round = match force_round {
            Some(r) => Some(r.to_string()),
            None => read("round")
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty()),
        };
        clips.push(Clip {
            name: wav
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            samples: clip.samples,
            reference,
            round,
        });
    }
    Ok(clips)
}

pub fn run(args: SttEvalArgs, bank_dir: Option<&Path>) -> Result<(), CliError> {
    let bank = Bank::load(&BankSource::resolve(bank_dir)).map_err(KnowledgeError::from)?;
    let clips = load_clips(&args.dir, args.round.as_deref())?;
    let mut vocabs: HashMap<Option<String>, (Vocabulary, TermCounter)> = HashMap::new();
    for c in &clips {
        if !vocabs.contains_key(&c.round) {
            let v = Vocabulary::for_round_or_all(&bank, c.round.as_deref())?;
            let counter = TermCounter::new(&v.terms());
            vocabs.insert(c.round.clone(), (v, counter));
        }
    }
    let model = args.model.clone().unwrap_or_else(default_model_path);
    let mut whisper = WhisperTranscriber::load(&model)?;
    let mut rows: Vec<Row> = [(false, false), (false, true), (true, false), (true, true)]
        .into_iter()
        .map(|(prompt, layer)| Row {
            prompt,
            layer,
            ..Default::default()
        })
        .collect();
    for c in &clips {
        let (vocab, counter) = &vocabs[&c.round];
        for prompt in [false, true] {
            let opts = TranscribeOptions {
                prompt: prompt.then(|| vocab.prompt()).filter(|p| !p.is_empty()),
                decoding: args.decoding,
                ..Default::default()
            };
            let raw = whisper.transcribe(&c.samples, &opts)?.text();
            let layered = vocab.rewrite(&raw).text;
            for (layer, hyp) in [(false, &raw), (true, &layered)] {
                let row = rows
                    .iter_mut()
                    .find(|r| r.prompt == prompt && r.layer == layer)
                    .expect("row");
                let (e, n) = edits(hyp, &c.reference);
                row.word_errors += e;
                row.words += n;
                let r = counter.recall(&c.reference, hyp);
                if args.verbose && !args.json {
                    println!(
                        "{} [prompt {}, layer {}] {e}/{n} terms {}/{} missed {:?}\n  {hyp}",
                        c.name,
                        on(prompt),
                        on(layer),
                        r.found,
                        r.total,
                        r.missed
                    );
                }
                row.recall.add(&r);
            }
        }
    }
    for r in &mut rows {
        r.wer = r.word_errors as f64 / r.words.max(1) as f64;
        r.term_recall = r.recall.rate();
    }
    let prompts = vocabs
        .iter()
        .map(|(r, (v, _))| (r.clone().unwrap_or_else(|| "all".into()), v.prompt()))
        .collect();
    let report = Report {
        dir: args.dir.clone(),
        clips: clips.len(),
        model: whisper.model_name(),
        decoding: args.decoding.to_string(),
        rows,
        prompts,
    };
    if args.json {
        let out =
            serde_json::to_string_pretty(&report).map_err(|e| CliError::Failed(e.to_string()))?;
        println!("{out}");
    } else {
        print!("{}", render(&report));
    }
    Ok(())
}

fn on(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

fn render(r: &Report) -> String {
    let mut s = format!(
        "{}: {} clips, {}, {}\n\n| prompt | vocabulary layer | WER | term recall |\n|---|---|---|---|\n",
        r.dir.display(),
        r.clips,
        r.model,
        r.decoding
    );
    for row in &r.rows {
        let recall = if row.recall.total == 0 {
            "– (no terms)".to_string()
        } else {
            format!(
                "{:.1} % ({}/{})",
                row.term_recall * 100.0,
                row.recall.found,
                row.recall.total
            )
        };
        s.push_str(&format!(
            "| {} | {} | {:.1} % ({}/{}) | {recall} |\n",
            on(row.prompt),
            on(row.layer),
            row.wer * 100.0,
            row.word_errors,
            row.words,
        ));
    }
    s.push_str("\nprompts:\n");
    for (round, p) in &r.prompts {
        s.push_str(&format!("  {round}: {p}\n"));
    }
    s
}
