//! `mockint star`: rehearse a behavioral story against the clock — a prompt
//! from the bank's behavioral round or a story from the stories file, a live
//! timer with amber/red warnings, then per-part STAR timing, the Result's
//! numbers, "I" versus "we", delivery, and earlier takes side by side.

use super::delivery_cmd::parse_clock;
use super::CliError;
use crate::bank::{Bank, BankSource, Question};
use crate::star::takes::{self, Stories, Take};
use crate::star::timer::{warnings, Level, Thresholds};
use crate::star::{analyze, words_from_text};
use crate::stt::whisper::WhisperTranscriber;
use clap::Args;
use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct StarArgs {
    /// A story from the stories file (default: a prompt from the behavioral round)
    #[arg(long, value_name = "NAME")]
    pub story: Option<String>,
    /// Stories file (default: $MOCKINT_STORIES, else ~/.config/mockint/stories.toml)
    #[arg(long, value_name = "FILE")]
    pub stories: Option<PathBuf>,
    /// A behavioral question from the bank, by id
    #[arg(long, value_name = "ID", conflicts_with = "story")]
    pub question_id: Option<String>,
    /// Seed for picking the behavioral prompt
    #[arg(long)]
    pub seed: Option<u64>,
    /// Target length (M:SS or seconds; default: the story's, else 2:00)
    #[arg(long, value_name = "M:SS")]
    pub target: Option<String>,
    /// Amber warning at this fraction of the target
    #[arg(long, default_value_t = 1.0)]
    pub amber: f64,
    /// Red warning at this fraction of the target (1.5 = 50 % over)
    #[arg(long, default_value_t = 1.5)]
    pub red: f64,
    /// A recorded answer instead of the microphone
    #[arg(long, value_name = "FILE", conflicts_with_all = ["text", "answer_file"])]
    pub input_wav: Option<PathBuf>,
    /// Type the answer (timed by word count); a blank line ends it
    #[arg(long, conflicts_with = "answer_file")]
    pub text: bool,
    /// Read a typed answer from a file (timed by word count)
    #[arg(long, value_name = "FILE")]
    pub answer_file: Option<PathBuf>,
    /// Microphone to use (see `mockint devices`)
    #[arg(long, value_name = "NAME")]
    pub input_device: Option<String>,
    /// ggml Whisper model (default: the installed tiny.en)
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Do not keep this take
    #[arg(long)]
    pub no_save: bool,
    #[command(flatten)]
    pub speak: super::start_cmd::SpeakArgs,
}

/// Says the prompt in the interviewer's voice and waits until it has been
/// heard: the microphone opens after, so the voice is not recorded.
fn speak_prompt(args: &StarArgs, text: &str) {
    let opened = crate::tts::open(&crate::tts::VoiceSettings {
        no_tts: args.speak.no_tts,
        rate: args.speak.tts_rate,
        voice: args.speak.voice.clone(),
        output_device: args.speak.output_device.clone(),
    });
    if let Some(w) = &opened.warning {
        eprintln!("warning: {w}");
    }
    let mut speaker = opened.speaker;
    if let Err(e) = speaker.say(text) {
        eprintln!("warning: the prompt could not be spoken ({e}); it is printed above");
        return;
    }
    let start = std::time::Instant::now();
    // Speech may take a moment to begin; past that, silence means done.
    while start.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(50));
        let begun = speaker.first_audio().is_some()
            || start.elapsed() > std::time::Duration::from_millis(1_500);
        if begun && !speaker.is_speaking() {
            break;
        }
    }
    speaker.stop();
}

struct Prompt {
    story: String,
    text: String,
    question: Option<Question>,
    target_ms: Option<u64>,
    notes: Option<String>,
}

fn pick_prompt(args: &StarArgs, bank: &Bank) -> Result<Prompt, CliError> {
    let behavioral: Vec<&Question> = bank
        .round("behavioral")
        .map(|r| r.question.iter().collect())
        .unwrap_or_default();
    if let Some(name) = &args.story {
        let path = args.stories.clone().unwrap_or_else(Stories::default_path);
        let stories = Stories::load(&path).map_err(|e| CliError::Usage(e.to_string()))?;
        let s = stories.find(name).ok_or_else(|| {
            CliError::Usage(format!(
                "{}: no story named {name:?}; stories: {}",
                path.display(),
                stories.names()
            ))
        })?;
        let question = match &s.question {
            Some(id) => Some(
                bank.question(id)
                    .map(|(_, q)| q.clone())
                    .ok_or_else(|| {
                        CliError::Usage(format!(
                            "{}: story {name:?} names question {id:?}, which is not in the bank; see `mockint bank export --json`",
                            path.display()
                        ))
                    })?,
            ),
            None => None,
        };
        let target_ms = s
            .target
            .as_deref()
            .map(|t| {
                parse_clock(t).map_err(|e| {
                    CliError::Usage(format!("{}: story {name:?}: target {e}", path.display()))
                })
            })
            .transpose()?;
        let text = s
            .prompt
            .clone()
            .or_else(|| question.as_ref().map(|q| q.prompt.clone()))
            .unwrap_or_default();
        return Ok(Prompt {
            story: s.name.clone(),
            text,
            question,
            target_ms,
            notes: s.notes.clone(),
        });
    }
    let q = match &args.question_id {
        Some(id) => behavioral
            .iter()
            .find(|q| &q.id == id)
            .copied()
            .ok_or_else(|| {
                CliError::Usage(format!(
                    "--question-id {id}: not a behavioral question; ids: {}",
                    behavioral
                        .iter()
                        .map(|q| q.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?,
        None => {
            if behavioral.is_empty() {
                return Err(CliError::Usage(
                    "the bank has no behavioral round; pass --story NAME".into(),
                ));
            }
            let seed = args.seed.unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(7, |d| d.as_secs())
            });
            behavioral[(seed % behavioral.len() as u64) as usize]
        }
    };
    Ok(Prompt {
        story: q.id.clone(),
        text: q.prompt.clone(),
        question: Some(q.clone()),
        target_ms: None,
        notes: None,
    })
}

pub fn run(args: StarArgs, bank_dir: Option<&Path>) -> Result<(), CliError> {
    if !(args.amber > 0.0
        && args.amber.is_finite()
        && args.red >= args.amber
        && args.red.is_finite())
    {
        return Err(CliError::Usage(format!(
            "--amber {} --red {}: use fractions of the target with 0 < amber ≤ red (e.g. 1.0 and 1.5)",
            args.amber, args.red
        )));
    }
    let bank = Bank::load(&BankSource::resolve(bank_dir))
        .map_err(|e| CliError::Knowledge(super::knowledge::KnowledgeError::Bank(e)))?;
    let prompt = pick_prompt(&args, &bank)?;
    let target = args
        .target
        .as_deref()
        .map(|t| parse_clock(t).map_err(|e| CliError::Usage(format!("--target {e}"))))
        .transpose()?;
    let target_ms = target.or(prompt.target_ms).unwrap_or(120_000);
    let th = Thresholds::new(target_ms, args.amber, args.red);
    // Inputs are checked before anything is recorded.
    let typed = args
        .answer_file
        .as_ref()
        .map(|f| {
            std::fs::read_to_string(f).map_err(|e| {
                CliError::Usage(format!(
                    "{}: cannot read the answer ({e}); pass a text file",
                    f.display()
                ))
            })
        })
        .transpose()?;
    let wav = args
        .input_wav
        .as_deref()
        .map(crate::audio::load_wav)
        .transpose()?;
    println!("STAR practice · {}", prompt.story);
    println!("\n  {}\n", prompt.text);
    if let Some(n) = &prompt.notes {
        println!("  Notes: {n}\n");
    }
    println!(
        "Target {} · amber at {} · red at {}",
        crate::transcript::duration(th.target_ms),
        crate::transcript::duration(th.amber_ms),
        crate::transcript::duration(th.red_ms)
    );
    let mut report = if let Some(text) = typed.or_else(|| args.text.then(read_typed)) {
        if text.trim().is_empty() {
            return Err(CliError::Usage(
                "the answer is empty; say or type your story".into(),
            ));
        }
        let star = prompt
            .question
            .as_ref()
            .map(|q| crate::scorer::Scorer::new(bank.clone()).score(q, &text));
        analyze(
            &bank.rubrics,
            &words_from_text(&text),
            target_ms,
            star.as_ref().and_then(|s| s.star.as_ref()),
            true,
        )
    } else {
        let samples = match wav {
            Some(clip) => clip.samples,
            None => {
                speak_prompt(&args, &prompt.text);
                record_with_timer(&th, args.input_device.as_deref())?
            }
        };
        let model = args
            .model
            .clone()
            .unwrap_or_else(crate::models::store::default_model_path);
        let mut stt = WhisperTranscriber::load(&model)?;
        let expected = Some(target_ms);
        // Stories are about infrastructure work: every round's jargon.
        let vocab = crate::vocab::Vocabulary::all(&bank).ok();
        let jargon = vocab.as_ref().map(|v| v.prompt());
        let (delivery, mut words) =
            crate::delivery::analyze(&samples, &mut stt, expected, jargon.as_deref())
                .map_err(|e| CliError::Failed(e.to_string()))?;
        if let Some(v) = &vocab {
            crate::delivery::words::respell(v, &mut words);
        }
        if words.is_empty() {
            return Err(CliError::Usage(
                "no speech was heard in the answer; check the microphone with `mockint doctor`"
                    .into(),
            ));
        }
        let text: String = words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let star = prompt
            .question
            .as_ref()
            .map(|q| crate::scorer::Scorer::new(bank.clone()).score(q, &text));
        let mut r = analyze(
            &bank.rubrics,
            &words,
            target_ms,
            star.as_ref().and_then(|s| s.star.as_ref()),
            false,
        );
        r.delivery = Some(delivery);
        r
    };
    if report.total_ms == 0 {
        report.total_ms = 1;
    }
    for (at, w) in warnings(&th, report.total_ms) {
        println!("[{}] {w}", crate::transcript::duration(at));
    }
    println!();
    print!("{}", report.render());
    if args.no_save {
        return Ok(());
    }
    let dir = takes::story_dir(&crate::transcript::default_sessions_dir(), &prompt.story);
    let take = Take {
        story: prompt.story.clone(),
        prompt: prompt.text.clone(),
        created: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        report,
    };
    let path = takes::save(&dir, &take).map_err(|e| CliError::Failed(e.to_string()))?;
    println!("\nTake kept: {}", path.display());
    let all = takes::load_all(&dir);
    if all.len() > 1 {
        println!("\nTakes of {} side by side\n", prompt.story);
        print!("{}", takes::compare(&all, 5));
    }
    Ok(())
}

/// A typed answer from stdin: lines until a blank line or end of input.
fn read_typed() -> String {
    println!("Type your answer; a blank line ends it.");
    let mut lines = Vec::new();
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        for l in stdin.lock().lines() {
            let Ok(l) = l else { break };
            if l.trim().is_empty() && !lines.is_empty() {
                break;
            }
            lines.push(l);
        }
    } else {
        let mut s = String::new();
        let _ = stdin.lock().read_to_string(&mut s);
        lines.push(s);
    }
    lines.join(" ")
}

/// Records from the microphone with a live timer until Enter, or 6 s of
/// silence after speech, or twice the red threshold. The clock starts when
/// the voice does, as the report's total does (until 2026-12-07 it ran from
/// "Speak now", so a slow start showed amber on a take reported under
/// target).
fn record_with_timer(th: &Thresholds, device: Option<&str>) -> Result<Vec<f32>, CliError> {
    use crate::audio::capture::MicSource;
    use crate::audio::source::AudioSource;
    use crate::vad::{VoiceDetector, WebRtcVad, FRAME};
    let mut mic = MicSource::open(device)?;
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = std::io::stdin().lock().read_line(&mut line);
        let _ = tx.send(());
    });
    let tty = std::io::stdout().is_terminal();
    println!(
        "Speak now{}.",
        if tty { "; press Enter when done" } else { "" }
    );
    mic.cue();
    let mut vad = WebRtcVad::default();
    let mut samples = Vec::new();
    let mut frame = [0f32; FRAME];
    let (mut began, mut silent_frames, mut level, mut n) = (None, 0u32, Level::Green, 0u64);
    loop {
        if !mic.next_frame(&mut frame)? {
            break;
        }
        samples.extend_from_slice(&frame);
        n += 1;
        let speech = vad.is_speech(&frame);
        let now_ms = samples.len() as u64 / 16;
        if speech && began.is_none() {
            began = Some(now_ms.saturating_sub(30));
        }
        let heard = began.is_some();
        silent_frames = if speech { 0 } else { silent_frames + 1 };
        let elapsed = began.map_or(0, |b| now_ms - b);
        let now = th.level(elapsed);
        if now != level {
            level = now;
            if let Some(w) = th.warning(now) {
                if tty {
                    println!();
                }
                println!("[{}] {w}", crate::transcript::duration(elapsed));
            }
        }
        if tty && n % 7 == 0 {
            print!("{}", th.tty_line(elapsed));
            let _ = std::io::stdout().flush();
        }
        if rx.try_recv().is_ok()
            || (heard && silent_frames > 200)
            || elapsed > th.red_ms * 2
            || now_ms > th.red_ms * 2 + 60_000
        {
            break;
        }
    }
    if tty {
        println!();
    }
    Ok(samples)
}
