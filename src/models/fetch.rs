//! `mockint models fetch NAME`: the official ggml file over HTTP(S), for users
//! with internet. A partial download (`FILE.partial`) is resumed with a Range
//! request, dropped connections are retried, and the SHA-256 must match before
//! the file is moved into place.

use super::{sha256_file, ModelError};
use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// How a download should behave.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Attempts in all (the first one included) before giving up.
    pub attempts: u32,
    /// Pause before attempt n is `backoff * n`.
    pub backoff: Duration,
    /// Per-connection timeout for connecting and for each read.
    pub timeout: Duration,
    pub progress: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            attempts: 5,
            backoff: Duration::from_secs(1),
            timeout: Duration::from_secs(30),
            progress: true,
        }
    }
}

fn partial_path(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    dest.with_file_name(name)
}

/// Downloads `url` to `dest`, verifying `sha256`. Returns the bytes on disk.
pub async fn download(
    url: &str,
    dest: &Path,
    sha256: &str,
    opts: &FetchOptions,
) -> Result<u64, ModelError> {
    let fail = |why: String| ModelError::Download {
        url: url.to_string(),
        why,
    };
    if let Some(parent) = dest.parent() {
        tokio::fs::create_dir_all(parent)
            .await
            .map_err(|e| ModelError::Io {
                path: parent.to_path_buf(),
                source: e,
            })?;
    }
    let client = reqwest::Client::builder()
        .connect_timeout(opts.timeout)
        .read_timeout(opts.timeout)
        .build()
        .map_err(|e| fail(e.to_string()))?;
    let partial = partial_path(dest);
    let bar = if opts.progress {
        let b = ProgressBar::new(0);
        b.set_style(
            ProgressStyle::with_template(
                "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        b.set_message(
            dest.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string(),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let mut last_err = String::new();
    for attempt in 1..=opts.attempts.max(1) {
        if attempt > 1 {
            tokio::time::sleep(opts.backoff * (attempt - 1)).await;
            tracing::warn!(attempt, error = %last_err, "retrying download");
        }
        match attempt_once(&client, url, &partial, &bar).await {
            Ok(()) => {
                last_err.clear();
                break;
            }
            Err(Attempt::Fatal(why)) => return Err(fail(why)),
            Err(Attempt::Retry(why)) => last_err = why,
        }
    }
    bar.finish_and_clear();
    if !last_err.is_empty() {
        return Err(fail(format!(
            "{last_err} (after {} attempts; run again to resume from {})",
            opts.attempts,
            partial.display()
        )));
    }
    let actual = sha256_file(&partial).map_err(|e| ModelError::Io {
        path: partial.clone(),
        source: e,
    })?;
    if actual != sha256 {
        let _ = std::fs::remove_file(&partial);
        return Err(ModelError::Checksum {
            path: dest.to_path_buf(),
            expected: sha256.to_string(),
            actual,
        });
    }
    std::fs::rename(&partial, dest).map_err(|e| ModelError::Io {
        path: dest.to_path_buf(),
        source: e,
    })?;
    Ok(std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0))
}

enum Attempt {
    Retry(String),
    Fatal(String),
}

async fn attempt_once(
    client: &reqwest::Client,
    url: &str,
    partial: &Path,
    bar: &ProgressBar,
) -> Result<(), Attempt> {
    let have = tokio::fs::metadata(partial)
        .await
        .map(|m| m.len())
        .unwrap_or(0);
    let mut req = client.get(url);
    if have > 0 {
        req = req.header(reqwest::header::RANGE, format!("bytes={have}-"));
    }
    let resp = req.send().await.map_err(|e| Attempt::Retry(describe(&e)))?;
    let status = resp.status();
    let (mut file, start) = match status.as_u16() {
        206 => {
            let f = tokio::fs::OpenOptions::new()
                .append(true)
                .open(partial)
                .await
                .map_err(|e| Attempt::Fatal(format!("{}: {e}", partial.display())))?;
            (f, have)
        }
        // Already complete: the server has nothing past our last byte.
        416 if have > 0 => return Ok(()),
        200 => {
            let f = tokio::fs::File::create(partial)
                .await
                .map_err(|e| Attempt::Fatal(format!("{}: {e}", partial.display())))?;
            (f, 0)
        }
        s if (500..600).contains(&s) || s == 429 => {
            return Err(Attempt::Retry(format!("HTTP {status}")))
        }
        _ => return Err(Attempt::Fatal(format!("HTTP {status}"))),
    };
    let total = resp.content_length().map(|n| n + start);
    bar.set_length(total.unwrap_or(0));
    bar.set_position(start);
    let mut got = start;
    let mut stream = resp.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| Attempt::Retry(describe(&e)))?;
        file.write_all(&chunk)
            .await
            .map_err(|e| Attempt::Fatal(format!("{}: {e}", partial.display())))?;
        got += chunk.len() as u64;
        bar.set_position(got);
    }
    file.flush()
        .await
        .map_err(|e| Attempt::Fatal(format!("{}: {e}", partial.display())))?;
    match total {
        Some(t) if got < t => Err(Attempt::Retry(format!(
            "connection closed after {got} of {t} bytes"
        ))),
        _ => Ok(()),
    }
}

fn describe(e: &reqwest::Error) -> String {
    use std::error::Error;
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}
