//! A pseudo-terminal for tests that must meet mockint as a person does:
//! keys and Ctrl-C arrive as bytes on its terminal (the terminal turns Ctrl-C
//! into SIGINT for the foreground process group), and what it prints is read
//! back from the screen side.

use std::io::{Read, Write};
use std::os::fd::{FromRawFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Pty {
    master: std::fs::File,
    master_fd: RawFd,
    pub child: Child,
    screen: Arc<Mutex<String>>,
    /// Where its standard error goes, when not to the terminal.
    log: Option<std::path::PathBuf>,
}

impl Pty {
    /// Runs `cmd` as the session leader of a new terminal.
    pub fn spawn(cmd: Command) -> Pty {
        Pty::spawn_with(cmd, None)
    }

    /// Like [`Pty::spawn`], its standard error (the log) written to `log`.
    pub fn spawn_logging(cmd: Command, log: &std::path::Path) -> Pty {
        Pty::spawn_with(cmd, Some(log))
    }

    fn spawn_with(mut cmd: Command, log: Option<&std::path::Path>) -> Pty {
        let (mut master, mut slave) = (0, 0);
        // SAFETY: openpty fills two descriptors; null name/termios/winsize.
        let r = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(r, 0, "openpty");
        // SAFETY: each dup is a fresh descriptor handed to exactly one Stdio.
        let io = || unsafe { Stdio::from_raw_fd(libc::dup(slave)) };
        cmd.stdin(io()).stdout(io());
        match log {
            Some(path) => cmd.stderr(std::fs::File::create(path).unwrap()),
            None => cmd.stderr(io()),
        };
        // SAFETY: setsid and ioctl are async-signal-safe.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                libc::ioctl(0, libc::TIOCSCTTY, 0);
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn in a pty");
        // SAFETY: the slave is ours and no longer needed here.
        unsafe { libc::close(slave) };
        // SAFETY: the master descriptor is ours.
        let master_file = unsafe { std::fs::File::from_raw_fd(master) };
        let mut reader = master_file.try_clone().unwrap();
        let screen = Arc::new(Mutex::new(String::new()));
        let sink = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Pty {
            master: master_file,
            master_fd: master,
            child,
            screen,
            log: log.map(std::path::Path::to_path_buf),
        }
    }

    /// Types `bytes` (b"\x03" is Ctrl-C).
    pub fn send(&mut self, bytes: &[u8]) {
        self.master.write_all(bytes).unwrap();
        self.master.flush().unwrap();
    }

    /// Everything printed so far.
    pub fn screen(&self) -> String {
        self.screen.lock().unwrap().clone()
    }

    /// The screen, and the log when it goes elsewhere: what a failure shows.
    pub fn shown(&self) -> String {
        let log = self.log.as_ref().map_or(String::new(), |p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            format!("\n--- log ({}) ---\n{text}", p.display())
        });
        self.screen() + &log
    }

    /// Waits until the screen shows `needle` (panics after `limit`).
    pub fn expect(&self, needle: &str, limit: Duration) {
        let t0 = Instant::now();
        while !self.screen().contains(needle) {
            assert!(
                t0.elapsed() < limit,
                "{needle:?} not on the screen within {limit:?}:\n{}",
                self.shown()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen, after its last `after`, shows `needle`.
    pub fn expect_after(&self, after: &str, needle: &str, limit: Duration) {
        let t0 = Instant::now();
        while !self
            .screen()
            .rsplit(after)
            .next()
            .is_some_and(|rest| rest.contains(needle))
        {
            assert!(
                t0.elapsed() < limit,
                "{needle:?} not on the screen after {after:?} within {limit:?}:\n{}",
                self.shown()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for the program to exit; its status and how long it took.
    pub fn wait(&mut self, limit: Duration) -> (std::process::ExitStatus, Duration) {
        let t0 = Instant::now();
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return (s, t0.elapsed());
            }
            if t0.elapsed() > limit {
                let _ = self.child.kill();
                panic!("still running after {limit:?}:\n{}", self.shown());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether the terminal is back in its normal mode (line editing, echo).
    pub fn is_cooked(&self) -> bool {
        // SAFETY: termios is plain data; tcgetattr fills it for the master.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            assert_eq!(libc::tcgetattr(self.master_fd, &mut t), 0);
            t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
