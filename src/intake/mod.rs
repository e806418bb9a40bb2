//! Repo intake: reads the candidate's own infrastructure repository and turns
//! it into a Repo Map, a Round Availability list, findings that quote real
//! files and values, and interview questions grounded in those findings.
//!
//! In: a directory path and [`Options`]. Out: a [`RepoReport`] (layers,
//! availability per question-bank round, findings, redacted secret locations,
//! skipped files) and, per round, [`GroundedQuestion`]s from [`questions`].
//!
//! Flow: [`walk`] lists the files PATH holds (never leaving it, honouring
//! `.gitignore`), [`charts`] reads each Helm chart's values so templates
//! can be rendered approximately ([`gotmpl`]), each file goes to its parser ([`terraform`], [`k8s`],
//! [`helm`], [`ci`], [`jenkins`], [`docker`], [`misc`]) which records facts
//! and findings, [`secrets`] looks for secret values in every text file,
//! [`post`] derives the findings that need the whole repo, then [`layers`]
//! and [`availability`] summarise. Secret values never leave this module:
//! every string in the report passes through the redactor first.

mod argo;
mod availability;
mod availability_rules;
mod charts;
mod ci;
mod docker;
mod facts;
mod findings;
mod gotmpl;
mod gotmpl_eval;
mod hclx;
mod helm;
mod jenkins;
mod k8s;
mod layers;
mod layers_k8s;
mod layers_tf;
mod misc;
mod post;
mod post_k8s;
mod questions;
mod render;
mod secrets;
mod summary;
mod terraform;
mod tf_modules;
mod tf_net;
mod tf_rules;
mod to_bank;
mod walk;
mod workload;
mod yaml;

pub use availability::{RoundAvailability, Status};
pub use findings::Finding;
pub use layers::Layer;
pub use questions::{questions, Evidence, FollowUp, GroundedQuestion, KeyPoint};
pub use render::{render_questions, render_text};
pub use secrets::SecretRef;

use facts::Acc;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// What [`scan`] may read.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files larger than this are skipped (and listed as skipped).
    pub max_file_bytes: u64,
    /// Worker threads for reading and parsing; 0 means one per core.
    pub threads: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_file_bytes: 1024 * 1024,
            threads: 0,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("repository path `{0}` does not exist")]
    NotFound(PathBuf),
    #[error("repository path `{0}` is not a directory")]
    NotADirectory(PathBuf),
    #[error("cannot read repository path `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A file (or link, or directory) intake did not parse, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// Counts, for the report's last line and the benchmark.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Regular files PATH holds after `.gitignore`.
    pub files_seen: usize,
    /// Files read and handed to a parser or the secret scanner.
    pub files_read: usize,
    /// Files whose content a structural parser understood.
    pub files_parsed: usize,
}

/// Everything intake learned about one repository.
#[derive(Debug, Clone, Serialize)]
pub struct RepoReport {
    /// The last component of PATH (never the absolute path).
    pub name: String,
    pub layers: Vec<Layer>,
    pub availability: Vec<RoundAvailability>,
    pub findings: Vec<Finding>,
    /// Where secrets are; their values are never kept.
    pub secrets: Vec<SecretRef>,
    pub skipped: Vec<Skipped>,
    pub stats: Stats,
}

impl RepoReport {
    /// Availability of one round id (`terraform`, `aws-networking`, …).
    pub fn round(&self, id: &str) -> Option<&RoundAvailability> {
        self.availability.iter().find(|r| r.round == id)
    }
}

/// Maps the repository at `path`. Reads nothing outside it.
pub fn scan(path: &Path, opts: &Options) -> Result<RepoReport, IntakeError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => IntakeError::NotFound(path.to_path_buf()),
        _ => IntakeError::Io {
            path: path.to_path_buf(),
            source: e,
        },
    })?;
    if !meta.is_dir() {
        return Err(IntakeError::NotADirectory(path.to_path_buf()));
    }
    let root = path.canonicalize().map_err(|e| IntakeError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let t = std::time::Instant::now();
    let listing = walk::list(&root);
    tracing::debug!(
        "intake: listed {} files in {:?}",
        listing.files.len(),
        t.elapsed()
    );
    let charts = charts::ChartIndex::build(&listing.files, opts.max_file_bytes);
    let mut acc = parse_all(&listing.files, opts, &charts);
    tracing::debug!("intake: parsed in {:?}", t.elapsed());
    acc.skipped.extend(listing.skipped);
    acc.stats.files_seen = listing.files.len();
    misc::note_assets(&listing.files, &mut acc.facts);
    post::derive(&mut acc);
    tracing::debug!("intake: derived in {:?}", t.elapsed());
    let redactor = secrets::Redactor::new(std::mem::take(&mut acc.secret_values));
    acc.redact(&redactor);
    tracing::debug!("intake: redacted in {:?}", t.elapsed());
    let mut layers = layers::build(&acc.facts);
    for layer in &mut layers {
        layer.redact(&redactor);
    }
    let mut availability = availability::assess(&acc.facts);
    for round in &mut availability {
        round.reason = redactor.clean(&round.reason);
    }
    tracing::debug!("intake: summarised in {:?}", t.elapsed());
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "/".into());
    Ok(RepoReport {
        name,
        layers,
        availability,
        findings: acc.findings,
        secrets: acc.secrets,
        skipped: acc.skipped,
        stats: acc.stats,
    })
}

/// Reads and parses every listed file on `opts.threads` threads.
fn parse_all(files: &[walk::RepoFile], opts: &Options, charts: &charts::ChartIndex) -> Acc {
    let threads = match opts.threads {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    }
    .clamp(1, 64);
    let next = AtomicUsize::new(0);
    let parts: Vec<Acc> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut acc = Acc::default();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(file) = files.get(i) else { break };
                        parse_one(file, opts, charts, &mut acc);
                    }
                    acc
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut acc = Acc::default();
    for part in parts {
        acc.merge(part);
    }
    acc.sort();
    acc
}

/// One file: read it safely, look for secrets, hand it to its parser.
fn parse_one(file: &walk::RepoFile, opts: &Options, charts: &charts::ChartIndex, acc: &mut Acc) {
    let text = match walk::read_text(file, opts.max_file_bytes) {
        Ok(t) => t,
        Err(walk::ReadSkip::Quiet) => return,
        Err(walk::ReadSkip::Report(reason)) => {
            acc.skip(&file.rel, reason);
            return;
        }
    };
    acc.stats.files_read += 1;
    secrets::scan_text(&file.rel, file.kind, &text, acc);
    use walk::Kind;
    let parsed = match file.kind {
        Kind::Terraform | Kind::TfVars => terraform::parse(file, &text, acc),
        Kind::Yaml => k8s::parse_yaml_file(file, &text, charts, acc),
        Kind::Jenkinsfile => jenkins::parse(file, &text, acc),
        Kind::Dockerfile => docker::parse_dockerfile(file, &text, acc),
        Kind::Shell => misc::shell(file, &text, acc),
        Kind::Markdown => misc::markdown(file, &text, acc),
        Kind::Env => misc::env_file(file, &text, acc),
        Kind::Python => misc::python(file, &text, acc),
        Kind::PythonMeta | Kind::Monitoring => misc::other_config(file, &text, acc),
        Kind::Other => false,
    };
    if parsed {
        acc.stats.files_parsed += 1;
    }
}
