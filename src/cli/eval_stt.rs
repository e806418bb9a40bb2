//! `mockint eval stt DIR`: word error rate and term recall of transcription on
//! spoken answers with known text, with and without the vocabulary layer, the
//! vocabulary prompt and contextual biasing, in total and per voice group.
//!
//! DIR holds `NAME.wav` with its reference `NAME.txt` (canonical jargon) and,
//! optionally, `NAME.round` naming the question-bank round it belongs to,
//! `NAME.question` naming the question it answers (the biasing context) and
//! `NAME.terms` listing ("; "-separated) the terms recall counts for it —
//! without it, recall counts the vocabulary's terms that the reference uses.
//! `scripts/make-stt-eval-set.sh` writes such sets.

use super::knowledge::KnowledgeError;
use super::CliError;
use crate::audio::load_wav;
use crate::bank::{Bank, BankSource};
use crate::models::store::default_model_path;
use crate::stt::bias::{BiasContext, BiasStrength};
use crate::stt::wer::edits;
use crate::stt::whisper::WhisperTranscriber;
use crate::stt::{Decoding, TranscribeOptions, Transcriber};
use crate::vocab::context::{bias_context, Situation};
use crate::vocab::recall::TermCounter;
use crate::vocab::{Focus, Vocabulary};
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[path = "eval_stt_cache.rs"]
mod cache;
#[path = "eval_stt_report.rs"]
mod report;
use cache::TranscriptCache;
use report::{render, Layer, Report, Row};

/// Which prompt settings to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PromptRuns {
    /// Without and with the vocabulary prompt (two passes)
    Both,
    /// With the prompt only (the session's setting; one pass)
    On,
    Off,
}

#[derive(Debug, Args)]
pub struct SttEvalArgs {
    /// Folder of NAME.wav + NAME.txt (reference) [+ NAME.round, NAME.question, NAME.terms]
    pub dir: PathBuf,
    /// Use this round's vocabulary for every clip (default: each clip's NAME.round, else all rounds)
    #[arg(long)]
    pub round: Option<String>,
    /// Rewrite with every round's vocabulary (a full loop's), whatever the clip's round
    #[arg(long, conflicts_with = "round")]
    pub all_rounds: bool,
    /// ggml model file (default: the installed tiny.en, or $MOCKINT_MODEL)
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Decoding: greedy, beam (5 beams) or beamN
    #[arg(long, default_value = "beam")]
    pub decoding: Decoding,
    /// Prompt settings to run
    #[arg(long, value_enum, default_value = "both")]
    pub prompt: PromptRuns,
    /// Bias decoding toward the clip's question and round (off: today's decoding)
    #[arg(long)]
    pub bias: bool,
    /// Logit bonus for the first token of an expected term (with --bias)
    #[arg(long, default_value_t = BiasStrength::default().start)]
    pub bias_start: f32,
    /// Logit bonus for each token continuing an expected term (with --bias)
    #[arg(long, default_value_t = BiasStrength::default().cont)]
    pub bias_cont: f32,
    /// Only clips whose name contains this (e.g. "piper")
    #[arg(long)]
    pub only: Option<String>,
    /// Take every clip as an answer to this question (default: each clip's NAME.question)
    #[arg(long)]
    pub question: Option<String>,
    /// Keep Whisper's transcripts in this file and reuse them on the next run
    /// with the same clip, model and settings (to compare rewrite layers quickly)
    #[arg(long)]
    pub transcripts: Option<PathBuf>,
    /// Print each clip's transcripts and missed terms
    #[arg(long)]
    pub verbose: bool,
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
}

pub(crate) struct Clip {
    name: String,
    samples: Vec<f32>,
    reference: String,
    round: Option<String>,
    question: Option<String>,
    terms: Option<Vec<String>>,
}

/// The voice group of a clip name "ID-VOICE[-noisy]": "piper-joe", "espeak-us
/// noisy", …
pub(crate) fn voice_group(name: &str) -> String {
    let (base, noisy) = match name.strip_suffix("-noisy") {
        Some(b) => (b, true),
        None => (name, false),
    };
    let parts: Vec<&str> = base.rsplitn(3, '-').collect();
    let voice = if parts.len() >= 2 {
        format!("{}-{}", parts[1], parts[0])
    } else {
        "?".to_string()
    };
    if noisy {
        format!("{voice} noisy")
    } else {
        voice
    }
}

fn load_clips(
    dir: &Path,
    force_round: Option<&str>,
    only: Option<&str>,
) -> Result<Vec<Clip>, CliError> {
    let io = |e: std::io::Error| CliError::Usage(format!("{}: {e}", dir.display()));
    let mut wavs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "wav"))
        .filter(|p| p.with_extension("txt").is_file())
        .filter(|p| only.map_or(true, |o| p.to_string_lossy().contains(o)))
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
        let read = |ext: &str| {
            std::fs::read_to_string(wav.with_extension(ext))
                .ok()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let round = force_round.map(str::to_string).or_else(|| read("round"));
        let terms = read("terms").map(|t| {
            t.split(';')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect()
        });
        clips.push(Clip {
            name: wav
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            samples: clip.samples,
            reference: read("txt").unwrap_or_default(),
            round,
            question: read("question"),
            terms,
        });
    }
    Ok(clips)
}

/// Per clip context: the rewrite vocabulary, the recall counter and the bias.
struct ClipContext {
    vocab: Arc<Vocabulary>,
    /// Whisper's initial prompt: the clip's round's.
    prompt: String,
    /// The clip's question in focus (the session's layer).
    focus: Option<Focus>,
    /// The same without the phonetic pass (the layer before it).
    listed: Arc<Vocabulary>,
    counter: Arc<TermCounter>,
    bias: Option<Arc<BiasContext>>,
}

pub fn run(args: SttEvalArgs, bank_dir: Option<&Path>) -> Result<(), CliError> {
    let bank = Bank::load(&BankSource::resolve(bank_dir)).map_err(KnowledgeError::from)?;
    let mut clips = load_clips(&args.dir, args.round.as_deref(), args.only.as_deref())?;
    if let Some(q) = &args.question {
        if !bank
            .rounds
            .iter()
            .flat_map(|r| &r.question)
            .any(|x| &x.id == q)
        {
            return Err(CliError::Usage(format!(
                "--question {q}: no such question in the bank (ids: `mockint bank export`)"
            )));
        }
        for c in &mut clips {
            c.question = Some(q.clone());
        }
    }
    let strength = BiasStrength {
        start: args.bias_start,
        cont: args.bias_cont,
    };
    type Vocabs = (Arc<Vocabulary>, Arc<Vocabulary>, Arc<TermCounter>, String);
    let mut vocabs: HashMap<Option<String>, Vocabs> = HashMap::new();
    let mut contexts = Vec::with_capacity(clips.len());
    for c in &clips {
        if !vocabs.contains_key(&c.round) {
            let round_vocab = Vocabulary::for_round_or_all(&bank, c.round.as_deref())?;
            // The terms known to biasing and recall, and Whisper's prompt,
            // stay the round's: only the rewrite differs.
            let counter = TermCounter::new(&round_vocab.terms());
            let prompt = round_vocab.prompt();
            let v = match args.all_rounds {
                true => Vocabulary::all(&bank)?,
                false => round_vocab,
            };
            let listed = Arc::new(v.clone().without_phonetic());
            let vocabs_of_round = (Arc::new(v), listed, Arc::new(counter), prompt);
            vocabs.insert(c.round.clone(), vocabs_of_round);
        }
        let (vocab, listed, known, prompt) = vocabs[&c.round].clone();
        let round = c.round.as_deref().and_then(|r| bank.round(r));
        let question = c.question.as_deref().and_then(|id| {
            bank.rounds
                .iter()
                .flat_map(|r| &r.question)
                .find(|q| q.id == id)
        });
        let s = Situation {
            round,
            question,
            intake: &[],
        };
        let bias = args
            .bias
            .then(|| Arc::new(bias_context(&s, &known, strength)));
        let focus = question.map(|_| vocab.focus(&s));
        let counter = match &c.terms {
            Some(t) => Arc::new(TermCounter::new(t)),
            None => known,
        };
        contexts.push(ClipContext {
            vocab,
            prompt,
            focus,
            listed,
            counter,
            bias,
        });
    }
    let model = args.model.clone().unwrap_or_else(default_model_path);
    let mut whisper = WhisperTranscriber::load(&model)?;
    let mut cache = args
        .transcripts
        .as_deref()
        .map(TranscriptCache::open)
        .transpose()?;
    let prompts: &[bool] = match args.prompt {
        PromptRuns::Both => &[false, true],
        PromptRuns::On => &[true],
        PromptRuns::Off => &[false],
    };
    let mut rows: BTreeMap<(bool, Layer, String), Row> = BTreeMap::new();
    for (c, cx) in clips.iter().zip(&contexts) {
        for &prompt in prompts {
            let opts = TranscribeOptions {
                prompt: prompt.then(|| cx.prompt.clone()).filter(|p| !p.is_empty()),
                decoding: args.decoding,
                bias: cx.bias.clone(),
                ..Default::default()
            };
            // Everything Whisper was given: a changed prompt or bias context
            // is a new transcript.
            let key = format!(
                "{}|{}|{}|{:?}|{:?}",
                whisper.model_name(),
                c.name,
                args.decoding,
                opts.prompt,
                cx.bias.as_deref().map(|b| (
                    b.strength.start,
                    b.strength.cont,
                    b.phrases
                        .iter()
                        .map(|p| format!("{}:{}", p.text, p.weight))
                        .collect::<Vec<_>>()
                        .join(";")
                )),
            );
            let raw = match cache.as_ref().and_then(|k| k.get(&key)) {
                Some(t) => t,
                None => {
                    let t = whisper.transcribe(&c.samples, &opts)?.text();
                    if let Some(k) = &mut cache {
                        k.put(key, &t)?;
                    }
                    t
                }
            };
            let listed = cx.listed.rewrite(&raw).text;
            let layered = cx.vocab.rewrite(&raw).text;
            // Without a question there is nothing in focus: the layer as it is.
            let focused = cx
                .focus
                .as_ref()
                .map_or_else(|| layered.clone(), |f| cx.vocab.rewrite_in(&raw, f).text);
            for (layer, hyp) in [
                (Layer::Off, &raw),
                (Layer::Listed, &listed),
                (Layer::Phonetic, &layered),
                (Layer::Focus, &focused),
            ] {
                let (e, n) = edits(hyp, &c.reference);
                let r = cx.counter.recall(&c.reference, hyp);
                if args.verbose && !args.json {
                    println!(
                        "{} [prompt {}, layer {}] {e}/{n} terms {}/{} missed {:?}\n  {hyp}",
                        c.name,
                        on(prompt),
                        layer.name(),
                        r.found,
                        r.total,
                        r.missed
                    );
                }
                for group in ["all".to_string(), voice_group(&c.name)] {
                    let row = rows
                        .entry((prompt, layer, group.clone()))
                        .or_insert_with(|| Row {
                            prompt,
                            layer,
                            group,
                            ..Default::default()
                        });
                    row.word_errors += e;
                    row.words += n;
                    row.clips += 1;
                    row.recall.add(&r);
                }
            }
        }
    }
    let mut rows: Vec<Row> = rows.into_values().collect();
    for r in &mut rows {
        r.wer = r.word_errors as f64 / r.words.max(1) as f64;
        r.term_recall = r.recall.rate();
    }
    rows.sort_by_key(|r| (r.group != "all", r.group.clone(), r.prompt, r.layer));
    let prompts = vocabs
        .iter()
        .map(|(r, (_, _, _, p))| (r.clone().unwrap_or_else(|| "all".into()), p.clone()))
        .collect();
    let bias_phrases = contexts
        .iter()
        .filter_map(|c| c.bias.as_ref().map(|b| b.phrases.len()))
        .max();
    let report = Report {
        dir: args.dir.clone(),
        clips: clips.len(),
        model: whisper.model_name(),
        decoding: args.decoding.to_string(),
        bias: args.bias.then_some(strength.into()),
        bias_phrases,
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

pub(crate) fn on(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

#[cfg(test)]
mod tests {
    use super::voice_group;

    #[test]
    fn voice_groups_come_from_clip_names() {
        assert_eq!(voice_group("k8s-01-piper-joe"), "piper-joe");
        assert_eq!(voice_group("f07-espeak-gb-noisy"), "espeak-gb noisy");
        assert_eq!(voice_group("x"), "?");
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StrengthReport {
    start: f32,
    cont: f32,
}

impl From<BiasStrength> for StrengthReport {
    fn from(s: BiasStrength) -> Self {
        StrengthReport {
            start: s.start,
            cont: s.cont,
        }
    }
}
