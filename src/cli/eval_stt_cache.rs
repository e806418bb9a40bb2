//! `eval stt --transcripts FILE`: Whisper's text of earlier runs, kept per
//! clip, model, prompt and bias context, so a rewrite rule is measured on a
//! whole set without transcribing it again.

use super::CliError;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Whisper's transcripts of earlier runs, one JSON object per line
/// (`{"key": …, "text": …}`), appended as they are made.
pub(super) struct TranscriptCache {
    path: PathBuf,
    known: HashMap<String, String>,
}

#[derive(Serialize, Deserialize)]
struct CachedTranscript {
    key: String,
    text: String,
}

impl TranscriptCache {
    pub(super) fn open(path: &Path) -> Result<TranscriptCache, CliError> {
        let mut known = HashMap::new();
        match std::fs::read_to_string(path) {
            Ok(s) => {
                for (n, line) in s.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                    let t: CachedTranscript = serde_json::from_str(line).map_err(|e| {
                        CliError::Usage(format!(
                            "{}:{}: not a transcript line ({e}); delete the file to start again",
                            path.display(),
                            n + 1
                        ))
                    })?;
                    known.insert(t.key, t.text);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(CliError::Usage(format!("{}: {e}", path.display()))),
        }
        Ok(TranscriptCache {
            path: path.to_path_buf(),
            known,
        })
    }

    pub(super) fn get(&self, key: &str) -> Option<String> {
        self.known.get(key).cloned()
    }

    pub(super) fn put(&mut self, key: String, text: &str) -> Result<(), CliError> {
        use std::io::Write;
        let line = serde_json::to_string(&CachedTranscript {
            key: key.clone(),
            text: text.to_string(),
        })
        .map_err(|e| CliError::Failed(e.to_string()))?;
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .and_then(|mut f| writeln!(f, "{line}"))
            .map_err(|e| CliError::Usage(format!("{}: {e}", self.path.display())))?;
        self.known.insert(key, text.to_string());
        Ok(())
    }
}
