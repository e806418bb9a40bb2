//! The real client: OpenAI-compatible `/v1/chat/completions` and `/v1/models`
//! over reqwest (async, on a private current-thread tokio runtime), each call
//! bounded by a deadline, with bounded retries and backoff for failures that
//! may pass (connection refused or reset, 429, 5xx). Error messages carry the
//! endpoint without credentials and never the API key.

use super::config::{strip_credentials, LlmSettings, Secret};
use super::{ChatRequest, Llm, LlmError, Reply};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

pub struct HttpLlm {
    /// Base URL as configured (may carry credentials; only used to send).
    base: String,
    /// Base URL without credentials, for messages.
    endpoint: String,
    key: Option<Secret>,
    retries: u32,
    client: reqwest::Client,
    rt: tokio::runtime::Runtime,
}

impl HttpLlm {
    pub fn new(s: &LlmSettings) -> Result<HttpLlm, LlmError> {
        let mut builder =
            reqwest::Client::builder().user_agent(concat!("mockint/", env!("CARGO_PKG_VERSION")));
        let loopback = reqwest::Url::parse(&s.url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .is_some_and(|h| {
                h == "localhost"
                    || h.trim_matches(['[', ']'])
                        .parse::<std::net::IpAddr>()
                        .is_ok_and(|ip| ip.is_loopback())
            });
        if loopback {
            // A local server is never reached through a proxy.
            builder = builder.no_proxy();
        }
        let client = builder
            .build()
            .map_err(|e| LlmError::Config(format!("HTTP client: {}", e.without_url())))?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| LlmError::Config(format!("async runtime: {e}")))?;
        Ok(HttpLlm {
            base: s.url.clone(),
            endpoint: strip_credentials(&s.url),
            key: s.api_key.clone(),
            retries: s.retries,
            client,
            rt,
        })
    }

    /// Removes the API key from a message that may echo it.
    fn scrub(&self, msg: &str) -> String {
        let mut out = msg.replace(['\n', '\r'], " ");
        if let Some(k) = &self.key {
            if !k.expose().is_empty() {
                out = out.replace(k.expose(), "[redacted]");
            }
        }
        out
    }

    fn transport(&self, e: reqwest::Error) -> LlmError {
        let e = e.without_url();
        // The innermost cause says what happened (refused, reset, closed…).
        let mut reason = e.to_string();
        let mut src: Option<&dyn std::error::Error> = std::error::Error::source(&e);
        while let Some(s) = src {
            reason = s.to_string();
            src = s.source();
        }
        let reason = if e.is_connect() {
            format!("connection failed ({reason})")
        } else if e.is_body() || e.is_decode() {
            format!("connection closed mid-reply ({reason})")
        } else {
            reason
        };
        LlmError::Connect {
            url: self.endpoint.clone(),
            reason: self.scrub(&reason),
        }
    }

    fn request(&self, rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.key {
            Some(k) => rb.bearer_auth(k.expose()),
            None => rb,
        }
    }

    async fn send(&self, rb: reqwest::RequestBuilder) -> Result<Vec<u8>, LlmError> {
        let resp = self
            .request(rb)
            .send()
            .await
            .map_err(|e| self.transport(e))?;
        let status = resp.status();
        let body = resp.bytes().await.map_err(|e| self.transport(e))?;
        if !status.is_success() {
            let text = String::from_utf8_lossy(&body);
            let mut snippet: String = text.chars().take(200).collect();
            if text.chars().count() > 200 {
                snippet.push('…');
            }
            return Err(LlmError::Http {
                status: status.as_u16(),
                url: self.endpoint.clone(),
                body: self.scrub(snippet.trim()),
            });
        }
        Ok(body.to_vec())
    }

    /// Runs `attempt` until it succeeds, fails for good, or the deadline.
    fn with_retries<T>(
        &self,
        deadline: Instant,
        mut attempt: impl FnMut() -> reqwest::RequestBuilder,
        parse: impl Fn(&[u8]) -> Result<T, LlmError>,
    ) -> Result<T, LlmError> {
        let start = Instant::now();
        let budget_ms = deadline.saturating_duration_since(start).as_millis() as u64;
        let mut tries = 0;
        loop {
            let rb = attempt();
            let fut = self.send(rb);
            let result = self
                .rt
                .block_on(async { tokio::time::timeout_at(deadline.into(), fut).await });
            let err = match result {
                Err(_) => return Err(LlmError::Timeout { budget_ms }),
                Ok(Ok(body)) => return parse(&body),
                Ok(Err(e)) => e,
            };
            let backoff = Duration::from_millis(250 << tries.min(4));
            if !err.retryable() || tries >= self.retries || Instant::now() + backoff >= deadline {
                tracing::debug!(error = %err, tries, "LLM request failed");
                return Err(err);
            }
            tracing::debug!(error = %err, tries, "LLM request failed; retrying");
            std::thread::sleep(backoff);
            tries += 1;
        }
    }
}

/// Parses a chat completion body.
pub fn parse_chat(body: &[u8]) -> Result<Reply, LlmError> {
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        LlmError::Protocol(if e.is_eof() {
            "the response body was cut short".to_string()
        } else {
            format!("the response body is not JSON ({e})")
        })
    })?;
    let choice = v
        .get("choices")
        .and_then(|c| c.get(0))
        .ok_or_else(|| LlmError::Protocol("no choices in the response".into()))?;
    let content = choice
        .pointer("/message/content")
        .and_then(Value::as_str)
        .ok_or_else(|| LlmError::Protocol("no message content in the response".into()))?;
    Ok(Reply {
        content: content.to_string(),
        truncated: choice.get("finish_reason").and_then(Value::as_str) == Some("length"),
    })
}

/// Parses a model list (`{"data": [{"id": …}]}`).
pub fn parse_models(body: &[u8]) -> Result<Vec<String>, LlmError> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| LlmError::Protocol(format!("the model list is not JSON ({e})")))?;
    let data = v
        .get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| LlmError::Protocol("no `data` in the model list".into()))?;
    Ok(data
        .iter()
        .filter_map(|m| m.get("id").and_then(Value::as_str).map(str::to_string))
        .collect())
}

impl Llm for HttpLlm {
    fn endpoint(&self) -> &str {
        &self.endpoint
    }

    fn models(&self, deadline: Instant) -> Result<Vec<String>, LlmError> {
        let url = format!("{}/models", self.base);
        self.with_retries(deadline, || self.client.get(&url), parse_models)
    }

    fn chat(&self, req: &ChatRequest, deadline: Instant) -> Result<Reply, LlmError> {
        let url = format!("{}/chat/completions", self.base);
        let mut body = json!({
            "model": req.model,
            "messages": [
                {"role": "system", "content": req.system},
                {"role": "user", "content": req.user},
            ],
            "max_tokens": req.max_tokens,
            "temperature": 0,
            "seed": 7,
            "stream": false,
        });
        if let Some(schema) = &req.schema {
            body["response_format"] = json!({
                "type": "json_schema",
                "json_schema": {"name": "reply", "strict": true, "schema": schema},
            });
        }
        let bytes = serde_json::to_vec(&body).map_err(|e| LlmError::Protocol(e.to_string()))?;
        self.with_retries(
            deadline,
            || {
                self.client
                    .post(&url)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(bytes.clone())
            },
            parse_chat,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_chat_completion_and_its_finish_reason() {
        let r = parse_chat(
            br#"{"choices":[{"message":{"role":"assistant","content":"{\"a\":1}"},"finish_reason":"stop"}]}"#,
        )
        .unwrap();
        assert_eq!(r.content, "{\"a\":1}");
        assert!(!r.truncated);
        let r = parse_chat(
            br#"{"choices":[{"message":{"content":"{\"rat"},"finish_reason":"length"}]}"#,
        )
        .unwrap();
        assert!(r.truncated);
    }

    #[test]
    fn a_cut_short_body_is_a_protocol_error() {
        let e = parse_chat(br#"{"choices":[{"message":{"content":"hel"#).unwrap_err();
        assert_eq!(
            e,
            LlmError::Protocol("the response body was cut short".into())
        );
        assert!(parse_chat(b"<html>").is_err());
        assert!(parse_chat(br#"{"choices":[]}"#).is_err());
    }

    #[test]
    fn parses_a_model_list() {
        assert_eq!(
            parse_models(br#"{"object":"list","data":[{"id":"smollm2"},{"id":"b"}]}"#).unwrap(),
            vec!["smollm2", "b"]
        );
    }

    #[test]
    fn messages_never_carry_the_key() {
        let s = LlmSettings {
            url: "http://127.0.0.1:9/v1".into(),
            model: None,
            api_key: Some(Secret::new("sk-test-XYZ")),
            budget: Duration::from_secs(1),
            max_tokens: 10,
            retries: 0,
        };
        let c = HttpLlm::new(&s).unwrap();
        assert_eq!(
            c.scrub("bad key sk-test-XYZ\nend"),
            "bad key [redacted] end"
        );
    }
}
