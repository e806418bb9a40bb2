//! Session folders on disk: creating one, saving atomically, finding past ones.

use super::record::SessionRecord;
use crate::interviewer::History;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path}: cannot write the session here ({source}); choose another folder with --out DIR"
    )]
    Unwritable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a readable session ({why}); pass a session folder holding session.json")]
    Corrupt { path: PathBuf, why: String },
    /// A session.json the reader refused (the message names the file and what was read).
    #[error("{0}")]
    Unreadable(String),
    #[error("no sessions found in {0}; start one with `mockint start --round kubernetes`")]
    NoSessions(PathBuf),
}

/// Where sessions live by default: `$XDG_DATA_HOME/mockint/sessions`.
pub fn default_sessions_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("MOCKINT_SESSIONS_DIR") {
        return PathBuf::from(d);
    }
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("mockint")
        .join("sessions")
}

/// A session's folder.
#[derive(Debug, Clone)]
pub struct SessionDir {
    pub path: PathBuf,
}

impl SessionDir {
    /// Creates the folder (and parents) and checks it can be written.
    pub fn create(path: &Path) -> Result<SessionDir, StoreError> {
        let unwritable = |e: std::io::Error| StoreError::Unwritable {
            path: path.to_path_buf(),
            source: e,
        };
        std::fs::create_dir_all(path).map_err(unwritable)?;
        let probe = path.join(".mockint-write-test");
        std::fs::write(&probe, b"").map_err(unwritable)?;
        let _ = std::fs::remove_file(probe);
        Ok(SessionDir {
            path: path.to_path_buf(),
        })
    }

    pub fn open(path: &Path) -> SessionDir {
        SessionDir {
            path: path.to_path_buf(),
        }
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// Writes `name` atomically: a temp file, flushed and synced, then renamed.
    pub fn write_atomic(&self, name: &str, data: &[u8]) -> Result<(), StoreError> {
        let path = self.file(name);
        let tmp = self.file(&format!(".{name}.tmp"));
        let io = |e: std::io::Error| StoreError::Io {
            path: path.clone(),
            source: e,
        };
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        f.write_all(data).map_err(io)?;
        f.sync_all().map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)?;
        Ok(())
    }

    /// Writes 16 kHz mono audio as a 16-bit WAV at `rel` (e.g.
    /// `answers/q01-1.wav`), creating the subfolder; atomic like the rest.
    pub fn write_wav(&self, rel: &str, samples: &[f32]) -> Result<(), StoreError> {
        let path = self.file(rel);
        let io = |e: std::io::Error| StoreError::Io {
            path: path.clone(),
            source: e,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let tmp = path.with_extension("wav.tmp");
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 16_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let wav_err = |e: hound::Error| io(std::io::Error::other(e));
        let mut w = hound::WavWriter::create(&tmp, spec).map_err(wav_err)?;
        for s in samples {
            w.write_sample((s.clamp(-1.0, 1.0) * 32767.0) as i16)
                .map_err(wav_err)?;
        }
        w.finalize().map_err(wav_err)?;
        std::fs::rename(&tmp, &path).map_err(io)?;
        Ok(())
    }

    pub fn save(&self, record: &SessionRecord) -> Result<(), StoreError> {
        let json = serde_json::to_vec_pretty(record).map_err(|e| StoreError::Io {
            path: self.file("session.json"),
            source: std::io::Error::other(e),
        })?;
        self.write_atomic("session.json", &json)
    }

    /// Reads `session.json` through the one defensive reader
    /// ([`super::reader`]): upgraded, checked, or one line saying what is wrong.
    pub fn load(&self) -> Result<SessionRecord, StoreError> {
        super::reader::read_session_file(&self.file("session.json")).map_err(|e| match e {
            super::reader::ReadError::Io { .. } => StoreError::Corrupt {
                path: self.path.clone(),
                why: "no readable session.json".into(),
            },
            e => StoreError::Unreadable(e.to_string()),
        })
    }
}

/// Every session folder under `dir` (those holding a `session.json`), read
/// or not, oldest first (unreadable ones by folder name).
pub fn scan_sessions(
    dir: &Path,
) -> Vec<(SessionDir, Result<SessionRecord, super::reader::ReadError>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("session.json").is_file())
        .map(|e| {
            let d = SessionDir::open(&e.path());
            let r = super::reader::read_session_file(&d.file("session.json"));
            (d, r)
        })
        .collect();
    let key = |(d, r): &(SessionDir, Result<SessionRecord, _>)| {
        let created = match r {
            Ok(r) => r.created.clone(),
            Err(super::reader::ReadError::Corrupt { salvage, .. }) => {
                salvage.created.clone().unwrap_or_default()
            }
            Err(_) => String::new(),
        };
        (created, d.path.clone())
    };
    out.sort_by_key(key);
    out
}

/// Every readable session under `dir`, oldest first.
pub fn list_sessions(dir: &Path) -> Vec<(SessionDir, SessionRecord)> {
    let mut out: Vec<(SessionDir, SessionRecord)> = scan_sessions(dir)
        .into_iter()
        .filter_map(|(d, r)| r.ok().map(|r| (d, r)))
        .collect();
    out.sort_by(|a, b| a.1.created.cmp(&b.1.created).then(a.0.path.cmp(&b.0.path)));
    out
}

/// The most recent session (optionally only unfinished ones).
pub fn latest_session(
    dir: &Path,
    unfinished_only: bool,
) -> Result<(SessionDir, SessionRecord), StoreError> {
    list_sessions(dir)
        .into_iter()
        .rev()
        .find(|(_, r)| !unfinished_only || !r.finished)
        .ok_or_else(|| StoreError::NoSessions(dir.to_path_buf()))
}

/// What the planner should know from past sessions: questions asked in the
/// last three sessions, and the ratings of the most recent one with scores.
pub fn history(dir: &Path) -> History {
    let sessions = list_sessions(dir);
    let mut h = History::default();
    for (_, r) in sessions.iter().rev().take(3) {
        h.recent.extend(r.asked_ids());
    }
    if let Some((_, r)) = sessions.iter().rev().find(|(_, r)| !r.scores().is_empty()) {
        h.last_ratings = r
            .scores()
            .into_iter()
            .map(|(i, s)| (r.plan[i].question.id.clone(), s.rating))
            .collect();
    }
    h
}
