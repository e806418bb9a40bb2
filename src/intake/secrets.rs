//! Secret detection and redaction.
//!
//! In: the text of every file intake reads (and, from the YAML parser,
//! Kubernetes `Secret` data). Out: [`SecretRef`]s — file, line, kind and the
//! name of the key, with the value always `[REDACTED]` — and a [`Redactor`]
//! that scrubs every string of the report before it is returned. The raw
//! values live only inside one `scan` call.
//!
//! Detectors: well-known token shapes (AWS access key ids, private key
//! blocks, GitHub/GitLab/Slack tokens) in any file, and assignments whose key
//! names a secret (`db_password = "…"`, `API_TOKEN=…`, `password: …`) with a
//! literal value (not a reference such as `var.x`, `${{ secrets.X }}` or a
//! function call) in every file except prose.

use super::facts::Acc;
use super::walk::Kind;
use regex::Regex;
use serde::Serialize;
use std::sync::OnceLock;

/// Where a secret is. There is deliberately no field for its value.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SecretRef {
    pub file: String,
    pub line: usize,
    /// What it looks like: `aws-access-key-id`, `private-key`, `password`, …
    pub kind: String,
    /// The key it was assigned to, when there is one.
    pub name: String,
    /// Always `[REDACTED]`.
    pub value: &'static str,
}

pub const REDACTED: &str = "[REDACTED]";

impl SecretRef {
    pub(crate) fn new(file: &str, line: usize, kind: &str, name: &str) -> Self {
        SecretRef {
            file: file.into(),
            line,
            kind: kind.into(),
            name: name.into(),
            value: REDACTED,
        }
    }
}

struct Patterns {
    tokens: Vec<(&'static str, Regex)>,
    private_key: Regex,
    assignment: Regex,
    /// Cheap pre-check: does the text mention a secret-ish word at all?
    keyword: Regex,
    reference: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).expect("secret pattern");
        Patterns {
            tokens: vec![
                ("aws-access-key-id", re(r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b")),
                ("github-token", re(r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b")),
                ("github-token", re(r"\bgithub_pat_[A-Za-z0-9_]{22,255}\b")),
                ("gitlab-token", re(r"\bglpat-[A-Za-z0-9_\-]{20,}")),
                ("slack-token", re(r"\bxox[baprs]-[A-Za-z0-9\-]{10,}")),
            ],
            private_key: re(r"-----BEGIN ([A-Z ]*PRIVATE KEY(?: BLOCK)?)-----"),
            assignment: re(concat!(
                r#"(?i)([A-Za-z0-9_.\-]*(?:password|passwd|pwd|secret|token|api[_\-]?key|apikey|"#,
                r#"private[_\-]?key|access[_\-]?key|client[_\-]?secret|credential)[A-Za-z0-9_.\-]*)"#,
                r#"["']?[ \t]*(?::=|=|:)[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#,;}\]\)]+))"#
            )),
            keyword: re(r"(?i)pass|pwd|secret|token|key|credential"),
            reference: re(r"^[A-Za-z_][A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-\[\]*]+)+$"),
        }
    })
}

/// Byte offset → 1-based line.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Self {
        let mut v = vec![0];
        v.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines(v)
    }
    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset)
    }
}

/// Looks for secrets in one file's text and records them in `acc`.
pub(crate) fn scan_text(file: &str, kind: Kind, text: &str, acc: &mut Acc) {
    let p = patterns();
    let lines = Lines::new(text);
    for (name, re) in &p.tokens {
        for m in re.find_iter(text) {
            acc.secret(file, lines.line(m.start()), name, "", m.as_str());
        }
    }
    for c in p.private_key.captures_iter(text) {
        let start = c.get(0).map_or(0, |m| m.start());
        let end_marker = format!("-----END {}-----", &c[1]);
        let end = text[start..]
            .find(&end_marker)
            .map_or(text.len(), |i| start + i + end_marker.len());
        acc.secret(
            file,
            lines.line(start),
            "private-key",
            "",
            &text[start..end],
        );
    }
    if kind == Kind::Markdown || !p.keyword.is_match(text) {
        return;
    }
    for c in p.assignment.captures_iter(text) {
        let key = c.get(1).map_or("", |m| m.as_str());
        let (value, quoted) = match (c.get(2), c.get(3), c.get(4)) {
            (Some(v), _, _) | (_, Some(v), _) => (v, true),
            (_, _, Some(v)) => (v, false),
            _ => continue,
        };
        if is_sensitive_key(key) && is_literal_secret(value.as_str(), quoted) {
            let k = key_kind(key);
            acc.secret(file, lines.line(value.start()), k, key, value.as_str());
        }
    }
}

/// Whether a key names a secret rather than something about one
/// (`db_password` yes; `secret_name`, `password_length`, `secretKeyRef` no).
pub(crate) fn is_sensitive_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase().replace(['-', '.'], "_");
    let k = k.trim_matches(|c| c == '"' || c == '\'' || c == '_');
    const NOT: &[&str] = &[
        "name", "id", "arn", "ref", "path", "file", "url", "length", "version", "type", "names",
        "ids", "refs", "keys", "key_id", "mode", "enabled", "policy", "rotation", "prefix",
        "template", "provider", "store", "manager", "endpoint",
    ];
    if k == "secrets" || k.starts_with("existing") || k.contains("secretkeyref") {
        return false;
    }
    const KEYS: &[&str] = &[
        "api_key",
        "apikey",
        "private_key",
        "access_key",
        "secret_key",
    ];
    KEYS.iter().any(|s| k.ends_with(s)) || !NOT.iter().any(|s| k.ends_with(s))
}

/// Whether a key in a Kubernetes Secret's data holds secret material; the
/// descriptive keys of repository and connection secrets do not.
pub(crate) fn is_secret_data_key(key: &str) -> bool {
    const PLAIN: &[&str] = &[
        "type",
        "url",
        "username",
        "user",
        "name",
        "project",
        "host",
        "hostname",
        "port",
        "namespace",
        "server",
        "database",
        "db",
        "region",
        "email",
        "enabled",
        "insecure",
    ];
    !PLAIN.contains(&key.to_ascii_lowercase().as_str())
}

/// Whether a value is a literal secret rather than a reference, a function
/// call, an interpolation or a placeholder.
pub(crate) fn is_literal_secret(v: &str, quoted: bool) -> bool {
    let v = v.trim();
    if v.len() < 4 || v.contains("${") || v.contains("{{") || v.contains('(') {
        return false;
    }
    if v.starts_with(['$', '<', '%', '/', '@', '|', '>', '&', '*', '[', '{']) || v.starts_with("./")
    {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    const PLACEHOLDER: &[&str] = &[
        "true",
        "false",
        "null",
        "none",
        "changeme",
        "change-me",
        "change_me",
        "example",
        "xxxx",
        "redacted",
        "placeholder",
        "required",
        "optional",
        "string",
        "secret",
        "password",
        "write",
        "read",
        "inherit",
    ];
    if PLACEHOLDER.iter().any(|p| lower == *p) || lower.starts_with("your") {
        return false;
    }
    quoted || !patterns().reference.is_match(v)
}

fn key_kind(key: &str) -> &'static str {
    let k = key.to_ascii_lowercase();
    if k.contains("pass") || k.contains("pwd") {
        "password"
    } else if k.contains("token") {
        "token"
    } else if k.contains("key") {
        "key"
    } else {
        "secret"
    }
}

/// Replaces known secret values (and anything shaped like a token) with
/// `[REDACTED]`.
pub(crate) struct Redactor {
    values: Vec<String>,
}

impl Redactor {
    pub(crate) fn new(raw: Vec<String>) -> Self {
        let mut values = Vec::new();
        for v in raw {
            let t = v.trim();
            if t.len() >= 4 {
                values.push(t.to_string());
            }
            if t.contains('\n') {
                values.extend(
                    t.lines()
                        .map(str::trim)
                        .filter(|l| l.len() >= 8)
                        .map(String::from),
                );
            }
        }
        values.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        values.dedup();
        Redactor { values }
    }

    pub(crate) fn clean(&self, s: &str) -> String {
        let mut out = s.to_string();
        for v in &self.values {
            if out.contains(v.as_str()) {
                out = out.replace(v.as_str(), REDACTED);
            }
        }
        let p = patterns();
        for (_, re) in &p.tokens {
            if re.is_match(&out) {
                out = re.replace_all(&out, REDACTED).into_owned();
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(kind: Kind, text: &str) -> Vec<(usize, String)> {
        let mut acc = Acc::default();
        scan_text("f", kind, text, &mut acc);
        acc.secrets
            .iter()
            .map(|s| (s.line, s.name.clone()))
            .collect()
    }

    #[test]
    fn finds_literal_secrets_not_references() {
        let tf = "db_password = \"s3cr3t-Value\"\npassword = var.db_password\nsecret_string = jsonencode({a = 1})\nsecret_name = \"app/db\"\n";
        assert_eq!(found(Kind::TfVars, tf), vec![(1, "db_password".into())]);
        let env = "PORT=8000\nAPI_TOKEN=abcd1234efgh\nexport DB_PASSWORD='pa55word!'\n";
        assert_eq!(
            found(Kind::Env, env),
            vec![(2, "API_TOKEN".into()), (3, "DB_PASSWORD".into())]
        );
        let gha = "token: ${{ secrets.GH_TOKEN }}\nsecrets: inherit\nsecretName: tls-cert\n";
        assert!(found(Kind::Yaml, gha).is_empty());
    }

    #[test]
    fn finds_token_shapes_anywhere() {
        let text = "aws key AKIAABCDEFGHIJKLMNOP in prose\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
        let hits = found(Kind::Markdown, text);
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[1].0, 2);
    }

    #[test]
    fn redactor_scrubs_values_and_shapes() {
        let r = Redactor::new(vec![
            "hunter2-long".into(),
            "line-one-xx\nline-two-yy".into(),
        ]);
        assert_eq!(r.clean("pw is hunter2-long!"), "pw is [REDACTED]!");
        assert_eq!(r.clean("x line-two-yy"), "x [REDACTED]");
        assert_eq!(r.clean("AKIAABCDEFGHIJKLMNOP"), "[REDACTED]");
    }
}
