//! `mockint replay`: a past session played back (spoken, or printed paced or
//! at once), or `--rescore`: its recorded answers graded again with the
//! current bank and rubric, showing what changed.

use super::CliError;
use crate::audio::playback::{CpalPlayer, Player};
use crate::bank::{Bank, BankSource};
use crate::replay::{play, rescore, timeline, Pace};
use crate::transcript::{default_sessions_dir, latest_session, SessionDir};
use crate::tts::Speaker;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Session folder (default: the most recent session)
    pub session: Option<PathBuf>,
    /// Playback speed (1.0 = as it happened; 0 = print everything at once)
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    pub speed: f64,
    /// Print the transcript instead of speaking and playing it
    #[arg(long)]
    pub no_audio: bool,
    /// Print everything at once (same as --speed 0; implies --no-audio)
    #[arg(long)]
    pub at_once: bool,
    /// Start at this question (1-based)
    #[arg(long, value_name = "QUESTION")]
    pub from: Option<usize>,
    /// Grade the recorded answers again with the current bank and rubric and show what changed
    #[arg(long)]
    pub rescore: bool,
    /// Longest pause kept between two lines, in seconds (before --speed)
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub max_gap: f64,
    /// Interviewer voice: piper (the default, neural), system
    /// (speech-dispatcher), or a speech-dispatcher voice name
    #[arg(long)]
    pub voice: Option<String>,
}

pub fn run(args: ReplayArgs, bank_dir: Option<&Path>) -> Result<(), CliError> {
    if !args.speed.is_finite() || args.speed < 0.0 || args.speed > 8.0 {
        return Err(CliError::Usage(format!(
            "--speed {}: use a number from 0 (all at once) to 8",
            args.speed
        )));
    }
    let (dir, record) = match &args.session {
        Some(p) => {
            if !p.join("session.json").is_file() {
                return Err(CliError::Usage(format!(
                    "{}: no session.json there; pass a session folder (see `mockint history`)",
                    p.display()
                )));
            }
            let d = SessionDir::open(p);
            let r = d.load()?;
            (d, r)
        }
        None => latest_session(&default_sessions_dir(), false)?,
    };
    if args.rescore {
        let bank = Bank::load(&BankSource::resolve(bank_dir))
            .map_err(|e| CliError::Knowledge(super::knowledge::KnowledgeError::Bank(e)))?;
        let regrades = rescore::rescore(&record, &bank);
        print!("{}", rescore::render_diff(&record, &regrades));
        return Ok(());
    }
    let from = match args.from {
        None => 0,
        Some(n) if (1..=record.plan.len()).contains(&n) => n - 1,
        Some(n) => {
            return Err(CliError::Usage(format!(
                "--from {n}: the session has questions 1 to {}",
                record.plan.len()
            )))
        }
    };
    let speed = if args.at_once { 0.0 } else { args.speed };
    let audio = !(args.no_audio || speed == 0.0);
    let mut speaker: Option<Box<dyn Speaker>> = None;
    let mut player: Option<Box<dyn Player>> = None;
    if audio {
        player = Some(Box::new(CpalPlayer::open()?));
        let opened = crate::tts::open(&crate::tts::VoiceSettings {
            no_tts: false,
            rate: speed as f32,
            voice: args.voice.clone(),
            output_device: None,
        });
        if let Some(w) = &opened.warning {
            eprintln!("warning: {w}");
        }
        speaker = Some(opened.speaker);
    }
    println!("Replaying {} ({})\n", record.id, dir.path.display());
    let items = timeline(&record, &dir.path);
    let mut stdout = std::io::stdout();
    let result = play(
        &items,
        from,
        Pace {
            speed,
            max_gap: (args.max_gap.clamp(0.0, 3600.0) * 1000.0) as u64,
        },
        speaker.as_mut().map(|b| b.as_mut() as &mut dyn Speaker),
        player.as_mut().map(|b| b.as_mut() as &mut dyn Player),
        &mut stdout,
    );
    match result {
        // `mockint replay | head` is not an error.
        Err(crate::replay::ReplayError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            Ok(())
        }
        r => r.map_err(|e| CliError::Failed(e.to_string())),
    }
}
