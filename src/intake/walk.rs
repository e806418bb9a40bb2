//! Safe listing and reading of the repository's files.
//!
//! In: the canonical repository root. Out: the regular files under it that
//! `.gitignore` keeps, each with its path relative to the root and a [`Kind`]
//! chosen from its name, plus the entries that were not followed (symlinks,
//! unreadable directories, special files) as skipped. Symlinks are never
//! followed, so nothing outside the root is read and link loops cannot hang
//! the walk; reading refuses special files, binaries and oversized files.

use super::Skipped;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What a file is, judged from its name; decides which parser reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Terraform,
    TfVars,
    Yaml,
    Jenkinsfile,
    Dockerfile,
    Shell,
    Markdown,
    Env,
    Python,
    /// requirements.txt, pyproject.toml, setup.cfg
    PythonMeta,
    /// prometheus.yml-like configs that are not YAML (rules in .rules etc.)
    Monitoring,
    /// Anything else: read only to look for secrets.
    Other,
}

impl Kind {
    /// Whether a failure to read this kind is worth listing as skipped.
    pub(crate) fn relevant(self) -> bool {
        !matches!(self, Kind::Other)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct RepoFile {
    /// Path relative to the root, `/`-separated.
    pub rel: String,
    pub abs: PathBuf,
    pub kind: Kind,
    pub size: u64,
}

impl RepoFile {
    /// Directory part of `rel` ("" at the root).
    pub(crate) fn dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(d, _)| d)
    }
    pub(crate) fn name(&self) -> &str {
        self.rel.rsplit_once('/').map_or(&self.rel, |(_, n)| n)
    }
}

pub(crate) struct Listing {
    pub files: Vec<RepoFile>,
    pub skipped: Vec<Skipped>,
}

/// Directories that are caches, never the candidate's code.
const CACHE_DIRS: &[&str] = &[".git", ".terraform", "node_modules", ".venv", "__pycache__"];

/// Lists the files under `root` (canonical). Never follows a symlink.
pub(crate) fn list(root: &Path) -> Listing {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .parents(false)
        .git_global(false)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|e| {
            !(e.depth() > 0
                && e.file_type().is_some_and(|t| t.is_dir())
                && CACHE_DIRS.iter().any(|c| e.file_name() == *c))
        })
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let (path, reason) = describe_walk_error(root, &err);
                skipped.push(Skipped { path, reason });
                continue;
            }
        };
        let rel = relative(root, entry.path());
        if entry.path_is_symlink() {
            skipped.push(Skipped {
                reason: symlink_reason(root, entry.path()),
                path: rel,
            });
            continue;
        }
        let Some(ft) = entry.file_type() else {
            continue;
        };
        if ft.is_dir() {
            continue;
        }
        if !ft.is_file() {
            skipped.push(Skipped {
                path: rel,
                reason: "not a regular file (device, socket or pipe)".into(),
            });
            continue;
        }
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        let kind = classify(&rel);
        files.push(RepoFile {
            abs: entry.into_path(),
            rel,
            kind,
            size,
        });
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Listing { files, skipped }
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

fn symlink_reason(root: &Path, link: &Path) -> String {
    match link.canonicalize() {
        Err(_) => "symlink loop or dangling symlink, not followed".into(),
        Ok(target) if !target.starts_with(root) => {
            "symlink points outside the repository, not followed".into()
        }
        Ok(_) => "symlink inside the repository, not followed (its target is read in place)".into(),
    }
}

fn describe_walk_error(root: &Path, err: &ignore::Error) -> (String, String) {
    let mut path = None;
    let mut cur = err;
    let mut io = None;
    loop {
        match cur {
            ignore::Error::WithPath { path: p, err } => {
                path.get_or_insert_with(|| relative(root, p));
                cur = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                cur = err
            }
            ignore::Error::Loop { child, .. } => {
                path.get_or_insert_with(|| relative(root, child));
                return (
                    path.unwrap_or_default(),
                    "filesystem loop, not followed".into(),
                );
            }
            ignore::Error::Io(e) => {
                io = Some(e.kind());
                break;
            }
            _ => break,
        }
    }
    let reason = match io {
        Some(std::io::ErrorKind::PermissionDenied) => "unreadable: permission denied".to_string(),
        Some(k) => format!("unreadable: {k}"),
        None => "could not be listed".to_string(),
    };
    (path.unwrap_or_else(|| ".".into()), reason)
}

/// Chooses a [`Kind`] from the path alone.
pub(crate) fn classify(rel: &str) -> Kind {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if lower == "jenkinsfile" || lower.starts_with("jenkinsfile.") || ext == "jenkinsfile" {
        return Kind::Jenkinsfile;
    }
    if lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || ext == "dockerfile"
    {
        return Kind::Dockerfile;
    }
    if lower == ".env" || lower.starts_with(".env.") || ext == "env" {
        return Kind::Env;
    }
    if lower.starts_with("requirements") && ext == "txt"
        || lower == "pyproject.toml"
        || lower == "setup.cfg"
        || lower == "pipfile"
    {
        return Kind::PythonMeta;
    }
    match ext {
        "tf" => Kind::Terraform,
        "tfvars" => Kind::TfVars,
        "yaml" | "yml" => Kind::Yaml,
        "sh" | "bash" => Kind::Shell,
        "md" | "markdown" => Kind::Markdown,
        "py" => Kind::Python,
        "rules" | "alerts" => Kind::Monitoring,
        _ => Kind::Other,
    }
}

/// Why a file was not read.
pub(crate) enum ReadSkip {
    /// Not worth listing (a binary asset, say).
    Quiet,
    Report(String),
}

/// Reads a file as UTF-8 text, refusing links, special files, binaries and
/// anything over `limit` bytes.
pub(crate) fn read_text(file: &RepoFile, limit: u64) -> Result<String, ReadSkip> {
    let report = |reason: String| {
        if file.kind.relevant() {
            ReadSkip::Report(reason)
        } else {
            ReadSkip::Quiet
        }
    };
    if file.size > limit {
        return Err(report(format!(
            "{} bytes, over the {limit}-byte size limit",
            file.size
        )));
    }
    let mut f = open_no_follow(&file.abs).map_err(|e| ReadSkip::Report(unreadable(&e)))?;
    let meta = f.metadata().map_err(|e| ReadSkip::Report(unreadable(&e)))?;
    if !meta.is_file() {
        return Err(ReadSkip::Report("not a regular file".into()));
    }
    let mut buf = Vec::with_capacity(meta.len().min(limit) as usize);
    (&mut f)
        .take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| ReadSkip::Report(unreadable(&e)))?;
    if buf.len() as u64 > limit {
        return Err(report(format!("over the {limit}-byte size limit")));
    }
    if buf[..buf.len().min(8192)].contains(&0) {
        return Err(report("binary content (NUL bytes)".into()));
    }
    String::from_utf8(buf).map_err(|_| report("not valid UTF-8 text".into()))
}

fn unreadable(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "unreadable: permission denied".into(),
        _ => format!("unreadable: {}", e.kind()),
    }
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}
