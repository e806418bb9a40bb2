//! Repeated takes of a story: each take kept as JSON under the sessions
//! folder (`star/<story>/take-NNN.json`), and takes compared side by side.
//! Stories the candidate keeps live in a TOML file ([`Stories`]).

use super::{Part, StarError, StarReport};
use serde::{Deserialize, Serialize};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// A story the candidate keeps (`~/.config/mockint/stories.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Story {
    pub name: String,
    /// The behavioral prompt this story answers.
    pub prompt: Option<String>,
    /// A bank question id it answers (its prompt is used when `prompt` is absent).
    pub question: Option<String>,
    /// Target length, e.g. "2:00".
    pub target: Option<String>,
    /// Reminder notes shown before the take.
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stories {
    #[serde(default)]
    pub story: Vec<Story>,
}

impl Stories {
    /// `$MOCKINT_STORIES`, else `~/.config/mockint/stories.toml`.
    pub fn default_path() -> PathBuf {
        if let Some(p) = std::env::var_os("MOCKINT_STORIES") {
            return PathBuf::from(p);
        }
        dirs::config_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("mockint")
            .join("stories.toml")
    }

    pub fn load(path: &Path) -> Result<Stories, StarError> {
        let err = |why: String| StarError::Stories {
            path: path.to_path_buf(),
            why,
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            err(format!(
                "cannot read the stories file ({e}); create it with [[story]] name = \"...\" prompt = \"...\""
            ))
        })?;
        let s: Stories = toml::from_str(&text).map_err(|e| {
            err(format!(
                "not a valid stories file ({}); each [[story]] needs name and prompt or question",
                e.message()
            ))
        })?;
        if let Some(bad) = s
            .story
            .iter()
            .find(|s| s.prompt.is_none() && s.question.is_none())
        {
            return Err(err(format!(
                "story {:?} has neither prompt nor question; add prompt = \"Tell me about...\"",
                bad.name
            )));
        }
        Ok(s)
    }

    pub fn find(&self, name: &str) -> Option<&Story> {
        self.story.iter().find(|s| s.name == name)
    }

    pub fn names(&self) -> String {
        let v: Vec<&str> = self.story.iter().map(|s| s.name.as_str()).collect();
        if v.is_empty() {
            "(none)".into()
        } else {
            v.join(", ")
        }
    }
}

/// One take of a story.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Take {
    pub story: String,
    pub prompt: String,
    pub created: String,
    pub report: StarReport,
}

/// A folder-safe name for a story.
pub fn slug(name: &str) -> String {
    let s: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "story".into()
    } else {
        s
    }
}

pub fn story_dir(sessions: &Path, story: &str) -> PathBuf {
    sessions.join("star").join(slug(story))
}

/// Keeps a take as the next `take-NNN.json`; returns its path.
pub fn save(dir: &Path, take: &Take) -> Result<PathBuf, StarError> {
    let err = |e: std::io::Error| StarError::Takes {
        path: dir.to_path_buf(),
        source: e,
    };
    std::fs::create_dir_all(dir).map_err(err)?;
    let n = load_all(dir).len() + 1;
    let path = dir.join(format!("take-{n:03}.json"));
    let json = serde_json::to_vec_pretty(take).map_err(|e| err(std::io::Error::other(e)))?;
    std::fs::write(&path, json).map_err(err)?;
    Ok(path)
}

/// The readable takes in `dir`, oldest first.
pub fn load_all(dir: &Path) -> Vec<Take> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("take-") && n.ends_with(".json"))
        })
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .filter_map(|b| serde_json::from_slice(&b).ok())
        .collect()
}

/// The last `max` takes side by side: total, each part, quantified, "I" share, pace.
pub fn compare(takes: &[Take], max: usize) -> String {
    use crate::transcript::duration;
    let first = takes.len().saturating_sub(max);
    let shown = &takes[first..];
    let mut out = String::new();
    let mut row = |label: &str, cells: Vec<String>| {
        let _ = write!(out, "{label:<18}");
        for c in cells {
            let _ = write!(out, "{c:>14}");
        }
        out.push('\n');
    };
    row(
        "",
        (first + 1..=takes.len())
            .map(|n| format!("take {n}"))
            .collect(),
    );
    row(
        "total",
        shown
            .iter()
            .map(|t| {
                format!(
                    "{} / {}",
                    duration(t.report.total_ms),
                    duration(t.report.target_ms)
                )
            })
            .collect(),
    );
    for p in Part::ALL {
        row(
            p.name(),
            shown
                .iter()
                .map(|t| {
                    let pt = t.report.part(p);
                    if pt.present {
                        format!("{} {:>3.0}%", duration(pt.ms), pt.share * 100.0)
                    } else {
                        "missing".into()
                    }
                })
                .collect(),
        );
    }
    row(
        "quantified",
        shown
            .iter()
            .map(|t| if t.report.quantified { "yes" } else { "no" }.to_string())
            .collect(),
    );
    row(
        "Action \"I\"",
        shown
            .iter()
            .map(|t| {
                t.report
                    .action_i_share
                    .map_or("—".into(), |s| format!("{:.0}%", s * 100.0))
            })
            .collect(),
    );
    row(
        "wpm",
        shown
            .iter()
            .map(|t| {
                t.report
                    .delivery
                    .as_ref()
                    .map_or("—".into(), |d| format!("{:.0}", d.wpm))
            })
            .collect(),
    );
    row(
        "fillers/min",
        shown
            .iter()
            .map(|t| {
                t.report
                    .delivery
                    .as_ref()
                    .map_or("—".into(), |d| format!("{:.1}", d.fillers_per_min))
            })
            .collect(),
    );
    out
}
