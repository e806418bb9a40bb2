//! Where the LLM settings come from: `--llm URL`, `--llm-model NAME`,
//! `--llm-budget SECS` and `--offline` first, then `MOCKINT_LLM_URL`,
//! `MOCKINT_LLM_MODEL`, `MOCKINT_LLM_BUDGET`, then the `[llm]` table of
//! `~/.config/mockint/config.toml` (`MOCKINT_CONFIG` names another file).
//! The API key is read only from the environment: `MOCKINT_LLM_API_KEY`, or
//! the variable named by `MOCKINT_LLM_API_KEY_ENV` / `api_key_env` in the
//! config file. Nothing is configured by default, so nothing leaves the machine.

use super::LlmError;
use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;

/// The environment variable holding the API key.
pub const API_KEY_ENV: &str = "MOCKINT_LLM_API_KEY";
const DEFAULT_BUDGET_SECS: f64 = 20.0;
const DEFAULT_MAX_TOKENS: u32 = 256;

/// Command-line options of the LLM interviewer.
#[derive(Debug, Clone, Default, PartialEq, clap::Args, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct LlmArgs {
    /// OpenAI-compatible endpoint for the optional LLM interviewer, ending in /v1
    /// (default: $MOCKINT_LLM_URL, else the config file; unset: offline scorer only)
    #[arg(long, value_name = "URL", conflicts_with = "offline")]
    pub llm: Option<String>,
    /// Model name to ask for (default: $MOCKINT_LLM_MODEL, else the config file,
    /// else the server's only model)
    #[arg(long, value_name = "NAME")]
    pub llm_model: Option<String>,
    /// Longest wait for the model per answer, in seconds, before the offline
    /// scorer's result is used (default 20)
    #[arg(long, value_name = "SECS")]
    pub llm_budget: Option<f64>,
    /// Never use the network: ignore any configured LLM endpoint
    #[arg(long)]
    pub offline: bool,
}

/// A value that must never be printed: `Debug` and `Display` hide it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Resolved settings of the LLM interviewer.
#[derive(Debug, Clone)]
pub struct LlmSettings {
    /// Base URL ending in `/v1` (no trailing slash).
    pub url: String,
    pub model: Option<String>,
    pub api_key: Option<Secret>,
    /// Longest wait per use (one grade, one follow-up).
    pub budget: Duration,
    pub max_tokens: u32,
    /// Attempts after the first, within the budget.
    pub retries: u32,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    llm: Option<FileLlm>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLlm {
    url: Option<String>,
    model: Option<String>,
    budget_secs: Option<f64>,
    api_key_env: Option<String>,
}

/// The config file's path: `$MOCKINT_CONFIG`, else `~/.config/mockint/config.toml`.
pub fn config_path() -> Option<PathBuf> {
    match std::env::var_os("MOCKINT_CONFIG") {
        Some(p) => Some(PathBuf::from(p)),
        None => dirs::config_dir().map(|d| d.join("mockint/config.toml")),
    }
}

fn read_file_config() -> Result<FileLlm, LlmError> {
    let Some(path) = config_path() else {
        return Ok(FileLlm::default());
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileLlm::default()),
        Err(e) => {
            return Err(LlmError::Config(format!(
                "{}: cannot read the config file ({e})",
                path.display()
            )))
        }
    };
    let parsed: FileConfig = toml::from_str(&text).map_err(|e| {
        let msg = e.message().replace('\n', " ");
        LlmError::Config(format!(
            "{}: {msg}; the [llm] table takes url, model, budget_secs and api_key_env (the key itself only from ${API_KEY_ENV})",
            path.display()
        ))
    })?;
    Ok(parsed.llm.unwrap_or_default())
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Checks a base URL: http(s), a host; returns it without a trailing slash.
pub fn check_url(raw: &str) -> Result<String, LlmError> {
    let bad = |why: &str| {
        LlmError::Config(format!(
            "LLM URL '{}': {why}; pass e.g. --llm http://127.0.0.1:8080/v1",
            strip_credentials(raw)
        ))
    };
    let url = reqwest::Url::parse(raw.trim()).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("not an http or https URL"));
    }
    if url.host_str().map_or(true, str::is_empty) {
        return Err(bad("no host"));
    }
    Ok(raw.trim().trim_end_matches('/').to_string())
}

/// The URL with any `user:password@` and query removed, for messages and records.
pub fn strip_credentials(raw: &str) -> String {
    match reqwest::Url::parse(raw.trim()) {
        Ok(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.set_query(None);
            u.to_string().trim_end_matches('/').to_string()
        }
        Err(_) => "(unparseable URL)".to_string(),
    }
}

impl LlmSettings {
    /// The settings in force, or `None` when no endpoint is configured or
    /// `--offline` is given.
    pub fn resolve(args: &LlmArgs) -> Result<Option<LlmSettings>, LlmError> {
        if args.offline {
            return Ok(None);
        }
        let file = read_file_config()?;
        let Some(raw) = args
            .llm
            .clone()
            .or_else(|| env("MOCKINT_LLM_URL"))
            .or(file.url)
        else {
            return Ok(None);
        };
        let url = check_url(&raw)?;
        let model = args
            .llm_model
            .clone()
            .or_else(|| env("MOCKINT_LLM_MODEL"))
            .or(file.model);
        let budget_secs = match args.llm_budget {
            Some(b) => b,
            None => match env("MOCKINT_LLM_BUDGET") {
                Some(v) => v.trim().parse::<f64>().map_err(|_| {
                    LlmError::Config(format!(
                        "MOCKINT_LLM_BUDGET '{v}': not a number of seconds; set e.g. 20"
                    ))
                })?,
                None => file.budget_secs.unwrap_or(DEFAULT_BUDGET_SECS),
            },
        };
        if !(budget_secs > 0.0 && budget_secs <= 600.0) {
            return Err(LlmError::Config(format!(
                "LLM budget {budget_secs} s: must be more than 0 and at most 600 seconds"
            )));
        }
        let key_env = env("MOCKINT_LLM_API_KEY_ENV").or(file.api_key_env);
        let api_key = env(API_KEY_ENV)
            .or_else(|| key_env.as_deref().and_then(env))
            .map(Secret::new);
        let max_tokens = env("MOCKINT_LLM_MAX_TOKENS")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(DEFAULT_MAX_TOKENS);
        Ok(Some(LlmSettings {
            url,
            model,
            api_key,
            budget: Duration::from_secs_f64(budget_secs),
            max_tokens,
            retries: 2,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_prints() {
        let s = Secret::new("sk-live-abc");
        assert_eq!(format!("{s:?} {s}"), "[redacted] [redacted]");
        assert_eq!(s.expose(), "sk-live-abc");
    }

    #[test]
    fn urls_are_checked_and_stripped_of_credentials() {
        assert_eq!(
            check_url("http://127.0.0.1:8080/v1/").unwrap(),
            "http://127.0.0.1:8080/v1"
        );
        let e = check_url("ftp://x/v1").unwrap_err().to_string();
        assert!(e.contains("not an http"), "{e}");
        let e = check_url("http://user:hunter2@host/v1?key=abc")
            .map(|_| ())
            .and_then(|_| check_url("not a url:// hunter2"))
            .unwrap_err()
            .to_string();
        assert!(!e.contains("hunter2"), "{e}");
        assert_eq!(
            strip_credentials("https://me:hunter2@api.example/v1?key=abc"),
            "https://api.example/v1"
        );
    }

    #[test]
    fn offline_wins_over_everything() {
        let args = LlmArgs {
            offline: true,
            llm_model: Some("m".into()),
            ..LlmArgs::default()
        };
        assert!(LlmSettings::resolve(&args).unwrap().is_none());
    }
}
