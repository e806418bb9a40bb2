//! `mockint history`: past sessions and per-round trends (text, and an SVG
//! chart written beside the latest debrief).

use super::CliError;
use crate::history::{load, readable, render_svg, render_text};
use crate::transcript::default_sessions_dir;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Sessions folder (default: $MOCKINT_SESSIONS_DIR, else ~/.local/share/mockint/sessions)
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Where to write the SVG chart (default: progress.svg beside the latest session's debrief)
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Do not write the SVG chart
    #[arg(long, conflicts_with = "svg")]
    pub no_svg: bool,
}

pub fn run(args: HistoryArgs) -> Result<(), CliError> {
    let explicit = args.dir.is_some();
    let dir = args.dir.unwrap_or_else(default_sessions_dir);
    if explicit && !dir.is_dir() {
        return Err(CliError::Usage(format!(
            "{}: no such sessions folder; pass --dir DIR holding session folders",
            dir.display()
        )));
    }
    let entries = load(&dir);
    if entries.is_empty() {
        println!(
            "No sessions in {}; start one with `mockint start --round kubernetes`.",
            dir.display()
        );
        return Ok(());
    }
    println!("Sessions in {}\n", dir.display());
    print!("{}", render_text(&entries));
    let sessions = readable(&entries);
    if args.no_svg || sessions.is_empty() {
        return Ok(());
    }
    let target = match args.svg {
        Some(p) => p,
        None => sessions
            .last()
            .map(|s| s.folder.join("progress.svg"))
            .unwrap_or_else(|| dir.join("progress.svg")),
    };
    std::fs::write(&target, render_svg(&sessions)).map_err(|e| {
        CliError::Failed(format!(
            "{}: cannot write the chart ({e}); choose another file with --svg FILE",
            target.display()
        ))
    })?;
    println!("\nChart: {}", target.display());
    Ok(())
}
