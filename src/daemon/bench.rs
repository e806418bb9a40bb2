//! `mockint bench daemon`: what a waiting daemon costs. Starts a real daemon
//! (this binary) on a private socket with the model loaded, then reads its
//! resident memory and CPU time from `/proc/PID/{status,stat}` while idle.

use super::client::Client;
use super::protocol::{Request, Response};
use super::DaemonError;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Measured figures.
#[derive(Debug)]
pub struct IdleFigures {
    pub model: Option<String>,
    pub ready_s: f64,
    pub rss_mb: f64,
    pub cpu_percent: f64,
    pub cpu_ticks: u64,
    pub seconds: u64,
    pub status_ms_median: f64,
}

fn fail(what: impl std::fmt::Display) -> DaemonError {
    DaemonError::Start(what.to_string())
}

/// Resident set size of `pid`, in MB.
pub fn rss_mb(pid: u32) -> Option<f64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = s
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// User + system CPU time of `pid`, in clock ticks.
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces), from field 3.
    let rest = &s[s.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

struct Daemon {
    child: Child,
    dir: PathBuf,
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn idle(model: Option<&Path>, seconds: u64) -> Result<IdleFigures, DaemonError> {
    let dir = std::env::temp_dir().join(format!("mockint-bench-daemon-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(DaemonError::io(&dir))?;
    let socket = dir.join("daemon.sock");
    let exe = std::env::current_exe().map_err(fail)?;
    let mut cmd = Command::new(exe);
    cmd.arg("daemon");
    if let Some(m) = model {
        cmd.arg("--model").arg(m);
    }
    let t0 = Instant::now();
    let child = cmd
        .env("MOCKINT_SOCKET", &socket)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(fail)?;
    let mut d = Daemon { child, dir };
    let pid = d.child.id();
    // Ready: the daemon answers a status request (after loading the model).
    let mut client = loop {
        if let Ok(mut c) = Client::connect(&socket) {
            if c.call(&Request::Status).is_ok() {
                break c;
            }
        }
        if let Ok(Some(st)) = d.child.try_wait() {
            return Err(fail(format!("the daemon exited ({st})")));
        }
        if t0.elapsed() > Duration::from_secs(60) {
            return Err(fail("the daemon was not ready within 60 s"));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let ready_s = t0.elapsed().as_secs_f64();
    let model = match client.call(&Request::Status)? {
        Response::Status { daemon, .. } => daemon.model,
        _ => None,
    };
    let mut times: Vec<f64> = (0..100)
        .map(|_| {
            let t = Instant::now();
            let _ = client.call(&Request::Status);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    drop(client);
    std::thread::sleep(Duration::from_secs(1));
    let before = cpu_ticks(pid).ok_or_else(|| fail("cannot read /proc stat"))?;
    std::thread::sleep(Duration::from_secs(seconds));
    let after = cpu_ticks(pid).ok_or_else(|| fail("cannot read /proc stat"))?;
    let rss = rss_mb(pid).ok_or_else(|| fail("cannot read /proc status"))?;
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    let ticks = after.saturating_sub(before);
    let _ = Client::connect(&socket).and_then(|mut c| c.call(&Request::Shutdown));
    let _ = d.child.wait();
    Ok(IdleFigures {
        model,
        ready_s,
        rss_mb: rss,
        cpu_percent: ticks as f64 / hz / seconds.max(1) as f64 * 100.0,
        cpu_ticks: ticks,
        seconds,
        status_ms_median: times[times.len() / 2],
    })
}

pub fn print(f: &IdleFigures) {
    println!(
        "daemon, idle with model {}",
        f.model.as_deref().unwrap_or("none")
    );
    println!("  ready (socket bound, model loaded):  {:.2} s", f.ready_s);
    println!(
        "  resident memory (RSS) while idle:    {:.0} MB (target ≤ 300 MB)",
        f.rss_mb
    );
    println!(
        "  CPU while idle over {} s:            {:.2} % ({} ticks)",
        f.seconds, f.cpu_percent, f.cpu_ticks
    );
    println!(
        "  `status` round trip (median of 100): {:.2} ms",
        f.status_ms_median
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_this_process_from_proc() {
        let pid = std::process::id();
        assert!(super::rss_mb(pid).is_some_and(|m| m > 0.0));
        assert!(super::cpu_ticks(pid).is_some());
    }
}
