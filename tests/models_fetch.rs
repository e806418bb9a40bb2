//! `mockint models fetch` against a real HTTP server on 127.0.0.1: resume,
//! dropped connections, checksum failures.

mod common;
use mockint::models::fetch::{download, FetchOptions};
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// How the test server misbehaves.
#[derive(Clone, Copy)]
enum Mode {
    Good,
    /// The first response stops after this many body bytes and the connection drops.
    DropFirstAfter(usize),
    NotFound,
}

struct Server {
    url: String,
    requests: Arc<AtomicUsize>,
    ranges: Arc<Mutex<Vec<Option<u64>>>>,
}

/// A minimal HTTP/1.1 file server with Range support, bounded to this test.
async fn serve(body: Vec<u8>, mode: Mode) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/ggml-test.bin", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let ranges = Arc::new(Mutex::new(Vec::new()));
    let (req_count, range_log) = (requests.clone(), ranges.clone());
    let body = Arc::new(body);
    tokio::spawn(async move {
        for _ in 0..20 {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let n = req_count.fetch_add(1, Ordering::SeqCst);
            let body = body.clone();
            let range_log = range_log.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let mut got = 0;
                while !buf[..got].windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf[got..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(k) => got += k,
                    }
                }
                let head = String::from_utf8_lossy(&buf[..got]).to_lowercase();
                let start: Option<u64> = head
                    .lines()
                    .find_map(|l| l.strip_prefix("range: bytes="))
                    .and_then(|r| r.trim().trim_end_matches('-').parse().ok());
                range_log.lock().unwrap().push(start);
                if let Mode::NotFound = mode {
                    let _ = sock
                        .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                        .await;
                    return;
                }
                let from = start.unwrap_or(0) as usize;
                let rest = &body[from.min(body.len())..];
                let header = match start {
                    Some(s) => format!(
                        "HTTP/1.1 206 Partial Content\r\ncontent-length: {}\r\ncontent-range: bytes {}-{}/{}\r\nconnection: close\r\n\r\n",
                        rest.len(),
                        s,
                        body.len() - 1,
                        body.len()
                    ),
                    None => format!(
                        "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        rest.len()
                    ),
                };
                let _ = sock.write_all(header.as_bytes()).await;
                let send = match mode {
                    Mode::DropFirstAfter(k) if n == 0 => &rest[..k.min(rest.len())],
                    _ => rest,
                };
                let _ = sock.write_all(send).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    Server {
        url,
        requests,
        ranges,
    }
}

fn body() -> (Vec<u8>, String) {
    let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let sha = hex::encode(Sha256::digest(&data));
    (data, sha)
}

fn quick() -> FetchOptions {
    FetchOptions {
        attempts: 3,
        backoff: Duration::from_millis(10),
        timeout: Duration::from_secs(5),
        progress: false,
    }
}

#[tokio::test]
async fn downloads_and_verifies() {
    let (data, sha) = body();
    let server = serve(data.clone(), Mode::Good).await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("m.bin");
    let n = download(&server.url, &dest, &sha, &quick()).await.unwrap();
    assert_eq!(n, data.len() as u64);
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    assert!(!dir.path().join("m.bin.partial").exists());
}

#[tokio::test]
async fn a_dropped_connection_is_resumed_with_a_range_request() {
    let (data, sha) = body();
    let server = serve(data.clone(), Mode::DropFirstAfter(100_000)).await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("m.bin");
    download(&server.url, &dest, &sha, &quick()).await.unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    assert_eq!(server.requests.load(Ordering::SeqCst), 2);
    assert_eq!(*server.ranges.lock().unwrap(), vec![None, Some(100_000)]);
}

#[tokio::test]
async fn a_partial_file_from_an_earlier_run_is_resumed() {
    let (data, sha) = body();
    let server = serve(data.clone(), Mode::Good).await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("m.bin");
    std::fs::write(dir.path().join("m.bin.partial"), &data[..123_456]).unwrap();
    download(&server.url, &dest, &sha, &quick()).await.unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    assert_eq!(*server.ranges.lock().unwrap(), vec![Some(123_456)]);
}

#[tokio::test]
async fn a_wrong_checksum_is_an_error_and_leaves_no_file() {
    let (data, _) = body();
    let server = serve(data, Mode::Good).await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("m.bin");
    let wrong = "0".repeat(64);
    let msg = download(&server.url, &dest, &wrong, &quick())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("m.bin") && msg.contains("does not match"),
        "{msg}"
    );
    assert!(!dest.exists() && !dir.path().join("m.bin.partial").exists());
}

#[tokio::test]
async fn http_errors_are_reported_without_retrying() {
    let server = serve(vec![], Mode::NotFound).await;
    let dir = tempfile::tempdir().unwrap();
    let msg = download(
        &server.url,
        &dir.path().join("m.bin"),
        &"0".repeat(64),
        &quick(),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(msg.contains("404") && msg.contains(&server.url), "{msg}");
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn connection_refused_is_a_clear_error() {
    // Bind then drop a listener to get a port nothing listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/x.bin");
    let dir = tempfile::tempdir().unwrap();
    let msg = download(&url, &dir.path().join("m.bin"), &"0".repeat(64), &quick())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains(&url) && msg.contains("after 3 attempts"),
        "{msg}"
    );
}

#[test]
fn cli_fetch_from_a_mirror_url() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (data, sha) = body();
    let server = rt.block_on(serve(data.clone(), Mode::DropFirstAfter(50_000)));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("ggml-test.bin");
    let out = common::mockint()
        .args([
            "models",
            "fetch",
            "test-model",
            "--url",
            &server.url,
            "--sha256",
            &sha,
            "-o",
        ])
        .arg(&dest)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("SHA-256 verified"));
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    drop(rt);
}
