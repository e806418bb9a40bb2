//! Turning a [`SessionSpec`] into a session ready to run: the arguments are
//! checked, the questions planned (from the bank, or grounded in the
//! candidate's repo), the voice pipeline prepared, and only then the session
//! folder created — the same code in-process and in the daemon.

use super::spec::{InputSpec, ModeKind, ResumeSpec, SessionSpec, VoiceSpec};
use super::voice::VoiceParts;
use super::{Session, SessionError};
use crate::bank::{Bank, BankSource};
use crate::interviewer::{plan, Config, Mode, Planned};
use crate::stt::whisper::WhisperModel;
use crate::transcript::{default_sessions_dir, history, latest_session, SessionDir, SessionRecord};
use std::collections::VecDeque;
use std::path::Path;

/// A session ready to run, with what its driver needs.
pub struct NewSession {
    pub session: Session,
    /// The scripted candidate's answers (`--answers-from`).
    pub script: Option<VecDeque<String>>,
    /// The voice pipeline, when the session is spoken.
    pub voice: Option<VoiceParts>,
    /// The LLM grader, when one is configured.
    pub llm: Option<crate::llm::LlmGrader>,
    /// With `--repo`: intake's report, for the view to show.
    pub intake_report: Option<String>,
}

pub fn load_bank(path: Option<&Path>) -> Result<Bank, SessionError> {
    Ok(Bank::load(&BankSource::resolve(path))?)
}

/// Reads a scripted candidate: blocks separated by blank lines; `#` lines are comments.
pub fn read_script(path: &Path) -> Result<VecDeque<String>, SessionError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        SessionError::Usage(format!(
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
        return Err(SessionError::Usage(format!(
            "{}: no answers in the file; write one answer per paragraph",
            path.display()
        )));
    }
    Ok(blocks)
}

fn resolve_mode(spec: &SessionSpec, bank: &Bank) -> Result<Mode, SessionError> {
    let valid = || bank.round_names().join(", ");
    match (spec.mode, &spec.round) {
        (Some(ModeKind::FullLoop), _) => Ok(Mode::FullLoop {
            per_round: spec.per_round,
        }),
        (Some(ModeKind::Drill), _) => Ok(Mode::Drill {
            questions: spec.questions,
        }),
        (_, Some(round)) => Ok(Mode::Round {
            round: round.clone(),
            questions: spec.questions,
        }),
        (Some(ModeKind::Round), None) => Err(SessionError::Usage(format!(
            "--mode round needs --round ROUND; rounds: {}",
            valid()
        ))),
        (None, None) => Err(SessionError::Usage(format!(
            "choose what to practise: --round ROUND ({}), --mode full-loop, or --mode drill",
            valid()
        ))),
    }
}

fn now_stamp() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// Checks the spec, plans the questions, prepares the voice pipeline (with
/// the daemon's `warm` model when it has one) and creates the session
/// folder; every problem with the input is reported before the folder exists.
pub fn new_session(
    spec: &SessionSpec,
    warm: Option<&WhisperModel>,
) -> Result<NewSession, SessionError> {
    let bank = load_bank(spec.bank.as_deref())?;
    let mode = resolve_mode(spec, &bank)?;
    let script = match &spec.input {
        InputSpec::Scripted { answers } => Some(read_script(answers)?),
        _ => None,
    };
    let llm = super::llm::for_start(&spec.llm, &bank)?;
    let sessions = default_sessions_dir();
    let seed = spec.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(7)
    });
    let mut planned: Vec<Planned> = plan(&bank, &mode, seed, &history(&sessions))
        .map_err(|e| SessionError::Usage(e.to_string()))?;
    let mut intake_report = None;
    if let Some(repo) = &spec.repo {
        let (grounded, mut shown) = super::grounded::ground_in_repo(repo, &bank, &mode, planned)?;
        planned = grounded;
        if let Some(l) = &llm {
            shown.push_str(&super::llm::rephrase_grounded(&l.grader, &mut planned));
        }
        intake_report = Some(shown);
    }
    let created = now_stamp();
    let out = spec.out.clone().unwrap_or_else(|| {
        sessions.join(format!(
            "{}-{}",
            created.replace(':', "-").trim_end_matches('Z'),
            mode.slug()
        ))
    });
    let voice = spec
        .input
        .voice()
        .map(|v| super::voice::prepare(v, warm))
        .transpose()?;
    let dir = SessionDir::create(&out)?;
    let config = Config {
        silence_timeout: match spec.silence_timeout {
            Some(0) => None,
            Some(s) => Some(s * 1000),
            None if voice.is_none() => None,
            None => Some(20_000),
        },
        max_follow_ups: 2,
        consult: llm.is_some(),
        ask_for_more: voice.is_some(),
    };
    let mut record = SessionRecord::new(
        out.file_name()
            .map_or("session".into(), |n| n.to_string_lossy().to_string()),
        created,
        mode.clone(),
        seed,
        config,
        BankSource::resolve(spec.bank.as_deref()).describe(),
        planned,
    );
    record.voice = spec.input.voice().cloned();
    record.llm = llm
        .as_ref()
        .map(|l| l.log.lock().expect("llm log lock").clone());
    let title = mode.describe(&bank);
    let mut session = Session::new(dir, record, bank, title)?;
    session.llm_log = llm.as_ref().map(|l| l.log.clone());
    Ok(NewSession {
        session,
        script,
        voice,
        llm: llm.map(|l| l.grader),
        intake_report,
    })
}

/// Reopens an unfinished session as it was run: spoken sessions with their
/// devices, model and voice (unless a script answers the rest).
pub fn resume_session(
    spec: &ResumeSpec,
    warm: Option<&WhisperModel>,
) -> Result<NewSession, SessionError> {
    let bank = load_bank(spec.bank.as_deref())?;
    let script = spec.answers_from.as_deref().map(read_script).transpose()?;
    let (dir, record) = match &spec.session {
        Some(p) => {
            let d = SessionDir::open(p);
            let r = d.load()?;
            (d, r)
        }
        None => latest_session(&default_sessions_dir(), true)?,
    };
    if record.finished {
        return Err(SessionError::Usage(format!(
            "{}: this session already finished; start a new one with `mockint start`",
            dir.path.display()
        )));
    }
    // A folder in use is refused before any device is opened.
    drop(super::lock::FolderLock::take(&dir.path)?);
    let voice = match (&script, &record.voice) {
        (None, Some(v)) => Some(super::voice::prepare(v, warm)?),
        _ => None,
    };
    let title = record.mode.describe(&bank);
    let llm = super::llm::for_resume(&spec.llm, &bank, record.llm.as_ref())?;
    let mut session = Session::new(dir, record, bank, title)?;
    session.llm_log = llm.as_ref().map(|l| l.log.clone());
    Ok(NewSession {
        session,
        script,
        voice,
        llm: llm.map(|l| l.grader),
        intake_report: None,
    })
}

/// The voice a spec asks for, for `status` and `doctor`.
pub fn describe_output(v: &VoiceSpec) -> String {
    super::voice::speech_settings(v).planned()
}
