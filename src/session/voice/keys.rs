//! The keyboard during a spoken session: Enter or space ends the answer (or,
//! before one has started, starts a push-to-talk turn), and stops the
//! interviewer mid-sentence. A thread reads standard input byte by byte; on a
//! terminal, line buffering and echo are turned off for the session (Ctrl-C
//! still interrupts) and restored when the reader is dropped.
//!
//! In: standard input. Out: [`Key`]s on a channel the voice loop polls.

use std::io::{IsTerminal, Read};
use std::sync::mpsc::{self, Receiver};
use std::sync::Mutex;

/// The terminal's settings before the session changed them, for a restore
/// from the signal handler (a second Ctrl-C exits at once).
static SAVED: Mutex<Option<libc::termios>> = Mutex::new(None);

/// Puts the terminal back as it was, if the session changed it.
pub fn restore_terminal() {
    let saved = SAVED.lock().map(|mut s| s.take()).unwrap_or(None);
    if let Some(t) = saved {
        // SAFETY: restores the attributes read from the same descriptor.
        unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &t) };
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Enter or space.
    Talk,
}

pub struct Keys {
    rx: Receiver<Key>,
    saved: Option<libc::termios>,
}

impl Keys {
    /// No keyboard (the daemon, tests): never a key.
    pub fn none() -> Keys {
        let (_tx, rx) = mpsc::sync_channel(1);
        Keys { rx, saved: None }
    }

    /// Starts reading standard input.
    pub fn spawn() -> Keys {
        let saved = std::io::stdin().is_terminal().then(raw_keys).flatten();
        if let (Some(t), Ok(mut s)) = (saved, SAVED.lock()) {
            *s = Some(t);
        }
        let (tx, rx) = mpsc::sync_channel(16);
        let _ = std::thread::Builder::new()
            .name("mockint-keys".into())
            .spawn(move || {
                let mut stdin = std::io::stdin().lock();
                let mut b = [0u8; 1];
                while let Ok(1) = stdin.read(&mut b) {
                    // A full channel means the loop has not caught up: a press
                    // is as good as many.
                    if matches!(b[0], b'\n' | b'\r' | b' ')
                        && matches!(
                            tx.try_send(Key::Talk),
                            Err(mpsc::TrySendError::Disconnected(_))
                        )
                    {
                        return;
                    }
                }
            });
        Keys { rx, saved }
    }

    /// The next key press, if any.
    pub fn poll(&self) -> Option<Key> {
        self.rx.try_recv().ok()
    }

    /// Forgets presses made while they meant nothing (e.g. during set-up).
    pub fn drain(&self) {
        while self.poll().is_some() {}
    }
}

impl Drop for Keys {
    fn drop(&mut self) {
        if self.saved.take().is_some() {
            restore_terminal();
        }
    }
}

/// Key presses without Enter and without echo; returns the previous settings.
fn raw_keys() -> Option<libc::termios> {
    // SAFETY: termios is plain data; tcgetattr fills it for a terminal fd.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(libc::STDIN_FILENO, &mut t) != 0 {
            return None;
        }
        let saved = t;
        t.c_lflag &= !(libc::ICANON | libc::ECHO);
        t.c_cc[libc::VMIN] = 1;
        t.c_cc[libc::VTIME] = 0;
        (libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &t) == 0).then_some(saved)
    }
}
