//! Stopping a session from outside: Ctrl-C (also as a byte in a raw
//! terminal, which the terminal turns into SIGINT), SIGTERM and SIGHUP. The
//! first asks the running session to stop — queued speech cut, the answer in
//! progress kept, everything saved; the second quits at once, restoring the
//! terminal (everything already recorded is on disk).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

static REQUESTS: AtomicUsize = AtomicUsize::new(0);
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// Installs the process's signal handler (once); false when another handler
/// was already set by someone else.
pub fn install() -> bool {
    *INSTALLED.get_or_init(|| {
        ctrlc::set_handler(|| {
            if REQUESTS.fetch_add(1, Ordering::SeqCst) >= 1 {
                super::keys::restore_terminal();
                eprintln!("\nStopped at once; what was recorded is saved.");
                std::process::exit(130);
            }
        })
        .is_ok()
    })
}

/// Whether a stop was asked for.
pub fn requested() -> bool {
    REQUESTS.load(Ordering::SeqCst) > 0
}
