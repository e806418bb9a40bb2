//! `mockint start` and `mockint resume`: checks the arguments, plans the
//! questions (from the bank, or grounded in `--repo`), creates or reopens the
//! session folder, and hands the session to its driver — `text_loop` for
//! typed (`--text`) or scripted (`--answers-from FILE`) answers,
//! `voice_loop` for spoken ones.

use super::knowledge::KnowledgeError;
use super::session::Session;
use super::voice_loop::VadKind;
use super::CliError;
use crate::audio::capture::MicSource;
use crate::audio::source::{AudioSource, WavSource};
use crate::bank::{Bank, BankSource};
use crate::interviewer::{plan, Config, Mode, Planned};
use crate::stt::worker::WhisperWorker;
use crate::transcript::{
    default_sessions_dir, history, latest_session, SessionDir, SessionRecord, StoreError,
};
use crate::tts::Speaker;
use clap::{Args, ValueEnum};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    Round,
    FullLoop,
    Drill,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// The round to practise (see `mockint rounds`)
    #[arg(long)]
    pub round: Option<String>,
    /// round (needs --round), full-loop (every round), or drill (the gaps of your last session)
    #[arg(long, value_enum)]
    pub mode: Option<ModeArg>,
    /// Questions in a round or drill session
    #[arg(long, default_value_t = 5)]
    pub questions: usize,
    /// Questions per round in full-loop mode
    #[arg(long, default_value_t = 2)]
    pub per_round: usize,
    /// Seed for question selection (default: from the clock)
    #[arg(long)]
    pub seed: Option<u64>,
    /// Type answers in the terminal; a blank line ends an answer
    #[arg(long)]
    pub text: bool,
    /// Play a scripted candidate: one answer (or command) per blank-line-separated block
    #[arg(long, value_name = "FILE")]
    pub answers_from: Option<PathBuf>,
    /// Session folder (default: a new folder under ~/.local/share/mockint/sessions)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seconds of silence before the interviewer checks in (0: never; default 20 when speaking, never when typing)
    #[arg(long)]
    pub silence_timeout: Option<u64>,
    /// Ground the interview in your own infrastructure repo: intake runs first
    /// and questions quote your files and values
    #[arg(long, value_name = "PATH")]
    pub repo: Option<PathBuf>,
    /// Run in this terminal even when a daemon is running (see `mockint daemon`)
    #[arg(long)]
    pub no_daemon: bool,
    #[command(flatten)]
    pub voice: VoiceArgs,
    #[command(flatten)]
    pub llm: Box<crate::llm::LlmArgs>,
}

/// Options of the spoken session.
#[derive(Debug, Args)]
pub struct VoiceArgs {
    /// Feed recorded answers (WAV, one per question) through the voice pipeline instead of the microphone
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub input_wav: Vec<PathBuf>,
    /// With --input-wav: as fast as the machine can, not in real time
    #[arg(long)]
    pub fast: bool,
    /// Microphone to use (see `mockint devices`)
    #[arg(long, value_name = "NAME")]
    pub input_device: Option<String>,
    /// Print the interviewer's lines instead of speaking them
    #[arg(long)]
    pub no_tts: bool,
    /// Speech rate relative to normal (e.g. 1.2)
    #[arg(long, default_value_t = 1.0)]
    pub tts_rate: f32,
    /// Interviewer voice: piper (the default, neural), system
    /// (speech-dispatcher), or a speech-dispatcher voice name
    #[arg(long)]
    pub voice: Option<String>,
    /// Loudspeaker to speak through (see `mockint devices`; default: the system's)
    #[arg(long, value_name = "NAME")]
    pub output_device: Option<String>,
    /// Keep speaking when you talk over the interviewer (Enter or space still stops it);
    /// for loud loudspeakers without headphones
    #[arg(long)]
    pub no_barge_in: bool,
    /// How long to wait through silences before deciding an answer is over (1.0 = default, 2.0 = twice as long)
    #[arg(long, default_value_t = 1.0)]
    pub patience: f64,
    /// ggml Whisper model (default: the installed tiny.en)
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Voice activity detector: silero (better in noise; its model comes
    /// with scripts/setup.sh), webrtc, or auto (silero when installed)
    #[arg(long, value_enum, default_value_t = VadArg::Auto)]
    pub vad: VadArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VadArg {
    Auto,
    Silero,
    Webrtc,
}

impl VoiceArgs {
    /// What the speaker is made from (see [`crate::tts::open`]).
    pub(crate) fn speech(&self) -> crate::tts::VoiceSettings {
        crate::tts::VoiceSettings {
            no_tts: self.no_tts,
            rate: self.tts_rate,
            voice: self.voice.clone(),
            output_device: self.output_device.clone(),
        }
    }
}

impl VadArg {
    /// The detector asked for, checked: an explicit `silero` needs its
    /// model installed.
    pub(crate) fn kind(self) -> Result<VadKind, CliError> {
        let model = crate::models::store::silero_model_path();
        match self {
            VadArg::Webrtc => Ok(VadKind::WebRtc),
            VadArg::Auto if !model.is_file() => Ok(VadKind::WebRtc),
            VadArg::Silero if !model.is_file() => Err(CliError::Usage(
                crate::vad::SileroError {
                    path: model.display().to_string(),
                }
                .to_string(),
            )),
            _ => Ok(VadKind::Silero(model)),
        }
    }
}

#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// Session folder (default: the most recent unfinished session)
    pub session: Option<PathBuf>,
    /// Play a scripted candidate for the rest of the session
    #[arg(long, value_name = "FILE")]
    pub answers_from: Option<PathBuf>,
    #[command(flatten)]
    pub llm: Box<crate::llm::LlmArgs>,
}

fn bank(path: Option<&Path>) -> Result<Bank, CliError> {
    Bank::load(&BankSource::resolve(path)).map_err(|e| CliError::Knowledge(KnowledgeError::Bank(e)))
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Io { .. } => CliError::Failed(e.to_string()),
            _ => CliError::Usage(e.to_string()),
        }
    }
}

/// Reads a scripted candidate: blocks separated by blank lines; `#` lines are comments.
pub fn read_script(path: &Path) -> Result<VecDeque<String>, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        CliError::Usage(format!(
            "{}: cannot read the answers file ({e}); pass a readable text file",
            path.display()
        ))
    })?;
    let mut blocks = VecDeque::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        let t = line.trim();
        if t.starts_with('#') {
            continue;
        }
        if t.is_empty() {
            if !cur.is_empty() {
                blocks.push_back(cur.join(" "));
                cur.clear();
            }
        } else {
            cur.push(t);
        }
    }
    if blocks.is_empty() {
        return Err(CliError::Usage(format!(
            "{}: no answers in the file; write one answer per paragraph",
            path.display()
        )));
    }
    Ok(blocks)
}

fn resolve_mode(args: &StartArgs, bank: &Bank) -> Result<Mode, CliError> {
    let valid = || bank.round_names().join(", ");
    match (args.mode, &args.round) {
        (Some(ModeArg::FullLoop), _) => Ok(Mode::FullLoop {
            per_round: args.per_round,
        }),
        (Some(ModeArg::Drill), _) => Ok(Mode::Drill {
            questions: args.questions,
        }),
        (_, Some(round)) => Ok(Mode::Round {
            round: round.clone(),
            questions: args.questions,
        }),
        (Some(ModeArg::Round), None) => Err(CliError::Usage(format!(
            "--mode round needs --round ROUND; rounds: {}",
            valid()
        ))),
        (None, None) => Err(CliError::Usage(format!(
            "choose what to practise: --round ROUND ({}), --mode full-loop, or --mode drill",
            valid()
        ))),
    }
}

fn now_stamp() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

pub fn run_start(args: StartArgs, bank_dir: Option<&Path>) -> Result<(), CliError> {
    let n = new_session(&args, bank_dir, |typed| {
        if typed {
            Ok(None)
        } else {
            prepare_voice(&args.voice).map(Some)
        }
    })?;
    match n.voice {
        None => n.session.run(n.script, false, n.llm),
        Some((source, speaker, worker, vad)) => super::voice_loop::run_voice(
            n.session,
            source,
            speaker,
            worker,
            super::voice_loop::VoiceOptions {
                patience: args.voice.patience,
                prompt: n.prompt,
                barge_in: !args.voice.no_barge_in,
                hook: None,
                llm: n.llm,
                vad,
            },
        ),
    }
}

/// A session ready to run, with what its driver needs.
pub(crate) struct NewSession<V> {
    pub session: Session,
    /// The scripted candidate's answers (`--answers-from`).
    pub script: Option<VecDeque<String>>,
    /// Whisper's initial prompt: the session vocabulary's short list of jargon.
    pub prompt: Option<String>,
    /// What `voice` returned: the voice pipeline, when the session is spoken.
    pub voice: V,
    /// The LLM grader, when one is configured.
    pub llm: Option<crate::llm::LlmGrader>,
}

/// Checks the arguments, plans the questions and creates the session folder;
/// `voice(typed)` prepares the driver's audio side before the session starts,
/// so its problems are reported first (in-process and in the daemon alike).
pub(crate) fn new_session<V>(
    args: &StartArgs,
    bank_dir: Option<&Path>,
    voice: impl FnOnce(bool) -> Result<V, CliError>,
) -> Result<NewSession<V>, CliError> {
    let bank = bank(bank_dir)?;
    let mode = resolve_mode(args, &bank)?;
    // Everything that can be wrong with the input is checked before the session starts.
    let script = args.answers_from.as_deref().map(read_script).transpose()?;
    let llm = super::llm_setup::for_start(&args.llm, &bank)?;
    let sessions = default_sessions_dir();
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(7)
    });
    let mut planned: Vec<Planned> = plan(&bank, &mode, seed, &history(&sessions))
        .map_err(|e| CliError::Usage(e.to_string()))?;
    if let Some(repo) = &args.repo {
        planned = ground_in_repo(repo, &bank, &mode, planned)?;
        if let Some(l) = &llm {
            super::llm_setup::rephrase_grounded(&l.grader, &mut planned);
        }
    }
    let created = now_stamp();
    let out = args.out.clone().unwrap_or_else(|| {
        sessions.join(format!(
            "{}-{}",
            created.replace(':', "-").trim_end_matches('Z'),
            mode.slug()
        ))
    });
    let typed = script.is_some() || args.text;
    // The voice pipeline is prepared (and any problem reported) before the
    // session starts, and before its folder exists.
    let voice = voice(typed)?;
    let dir = SessionDir::create(&out)?;
    let config = Config {
        silence_timeout: match args.silence_timeout {
            Some(0) => None,
            Some(s) => Some(s * 1000),
            None if typed => None,
            None => Some(20_000),
        },
        max_follow_ups: 2,
    };
    let mut record = SessionRecord::new(
        out.file_name()
            .map_or("session".into(), |n| n.to_string_lossy().to_string()),
        created,
        mode.clone(),
        seed,
        config,
        BankSource::resolve(bank_dir).describe(),
        planned,
    );
    record.llm = llm
        .as_ref()
        .map(|l| l.log.lock().expect("llm log lock").clone());
    let title = mode.describe(&bank);
    let mut session = Session::new(dir, record, bank, title);
    let prompt = session.whisper_prompt();
    session.llm_log = llm.as_ref().map(|l| l.log.clone());
    Ok(NewSession {
        session,
        script,
        prompt,
        voice,
        llm: llm.map(|l| l.grader),
    })
}

/// Runs intake on `repo` and puts questions about the candidate's own files
/// first: for a round, grounded questions then bank questions up to the count;
/// for a full loop, the rounds the repo supports, a few grounded questions each.
fn ground_in_repo(
    repo: &Path,
    bank: &Bank,
    mode: &Mode,
    bank_plan: Vec<Planned>,
) -> Result<Vec<Planned>, CliError> {
    use crate::intake::{questions, scan, Options, Status};
    let report = scan(repo, &Options::default()).map_err(|e| CliError::Usage(e.to_string()))?;
    print!("{}", crate::intake::render_text(&report));
    let grounded = |round: &str, n: usize| -> Vec<Planned> {
        let title = bank
            .round(round)
            .map_or(round.to_string(), |r| r.title.clone());
        questions(&report, round)
            .into_iter()
            .take(n)
            .map(|g| {
                let question = g.to_bank_question(Some(bank));
                // The bank form's prompt may already open with the intro.
                let intro = (!question.prompt.starts_with(g.intro.trim())).then(|| g.intro.clone());
                Planned {
                    round: round.to_string(),
                    round_title: title.clone(),
                    question,
                    intro,
                }
            })
            .collect()
    };
    Ok(match mode {
        Mode::Round {
            round,
            questions: n,
        } => {
            let mut out = grounded(round, *n);
            let have: Vec<String> = out.iter().map(|p| p.question.id.clone()).collect();
            out.extend(
                bank_plan
                    .into_iter()
                    .filter(|p| !have.contains(&p.question.id)),
            );
            out.truncate(*n);
            out
        }
        Mode::FullLoop { per_round } => {
            let out: Vec<Planned> = report
                .availability
                .iter()
                .filter(|a| a.status != Status::Unavailable)
                .flat_map(|a| grounded(&a.round, *per_round))
                .collect();
            if out.is_empty() {
                return Err(CliError::Usage(format!(
                    "{}: intake found nothing to ask about; run `mockint start --mode full-loop` without --repo",
                    repo.display()
                )));
            }
            out
        }
        Mode::Drill { .. } => bank_plan,
    })
}

/// The audio side of a spoken session: input, speech, Whisper and the VAD.
pub(crate) type VoiceParts = (
    Box<dyn AudioSource>,
    Box<dyn Speaker>,
    WhisperWorker,
    VadKind,
);

fn prepare_voice(v: &VoiceArgs) -> Result<VoiceParts, CliError> {
    let vad = v.vad.kind()?;
    let source: Box<dyn AudioSource> = if v.input_wav.is_empty() {
        Box::new(MicSource::open(v.input_device.as_deref())?)
    } else {
        Box::new(WavSource::open(&v.input_wav, v.fast)?)
    };
    let model = v
        .model
        .clone()
        .unwrap_or_else(crate::models::store::default_model_path);
    let worker = WhisperWorker::spawn(&model)?;
    let opened = crate::tts::open(&v.speech());
    if let Some(w) = &opened.warning {
        eprintln!("warning: {w}");
    }
    Ok((source, opened.speaker, worker, vad))
}

pub fn run_resume(args: ResumeArgs, bank_dir: Option<&Path>) -> Result<(), CliError> {
    let bank = bank(bank_dir)?;
    let script = args.answers_from.as_deref().map(read_script).transpose()?;
    let (dir, record) = match &args.session {
        Some(p) => {
            let d = SessionDir::open(p);
            let r = d.load()?;
            (d, r)
        }
        None => latest_session(&default_sessions_dir(), true)?,
    };
    if record.finished {
        return Err(CliError::Usage(format!(
            "{}: this session already finished; start a new one with `mockint start`",
            dir.path.display()
        )));
    }
    let title = record.mode.describe(&bank);
    let llm = super::llm_setup::for_resume(&args.llm, &bank, record.llm.as_ref())?;
    let mut session = Session::new(dir, record, bank, title);
    session.llm_log = llm.as_ref().map(|l| l.log.clone());
    session.run(script, true, llm.map(|l| l.grader))
}
