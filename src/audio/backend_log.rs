//! The sound libraries under cpal print their diagnostics straight to the
//! terminal: ALSA (`ALSA lib confmisc.c:855:(parse_card) cannot find card
//! '0'` for every device it probes) and, through ALSA's JACK plugin, libjack
//! (`Cannot connect to server socket`). [`host`] routes both to `tracing` at
//! debug level (`RUST_LOG=alsa=debug,jack=debug` shows them) before cpal
//! touches the sound system; what went wrong reaches the user as one
//! [`super::AudioError`] line instead.
//!
//! ALSA's handler is variadic (printf-style), which stable Rust cannot
//! define, so a small C shim (`csrc/alsa_log.c`, built by build.rs) formats
//! each message and passes the line to [`mockint_alsa_message`]. libjack's
//! callbacks take a plain string; libjack is not linked by mockint (cpal's
//! `jack` feature is off) but ALSA's JACK plugin loads it when it probes the
//! `jack` device, so it is loaded here first, when installed, and its
//! callbacks set on that same copy.

use std::ffi::{c_char, c_int, CStr};
use std::sync::Once;

/// cpal's default host, with ALSA's and JACK's messages going to `tracing`.
pub fn host() -> cpal::Host {
    capture_library_messages();
    cpal::default_host()
}

/// Installs the ALSA error handler and the JACK callbacks (once per process).
pub fn capture_library_messages() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        #[cfg(target_os = "linux")]
        {
            // SAFETY: sets a process-wide function pointer in libasound; the
            // handler (C shim → mockint_alsa_message) lives for the whole process.
            let rc = unsafe { mockint_alsa_capture_errors() };
            if rc != 0 {
                tracing::debug!(rc, "could not set ALSA's error handler");
            }
            jack::capture_messages();
        }
    });
}

fn text(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: the libraries pass NUL-terminated strings valid for the call.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

#[cfg(target_os = "linux")]
extern "C" {
    fn mockint_alsa_capture_errors() -> c_int;
}

/// Called by the C shim with one formatted ALSA message.
///
/// # Safety
/// Each pointer is null or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn mockint_alsa_message(
    file: *const c_char,
    line: c_int,
    function: *const c_char,
    err: c_int,
    message: *const c_char,
) {
    // Never unwind into C.
    let _ = std::panic::catch_unwind(|| {
        let (file, function, message) = (text(file), text(function), text(message));
        if err == 0 {
            tracing::debug!(target: "alsa", "{file}:{line}:({function}) {message}");
        } else {
            tracing::debug!(target: "alsa", err, "{file}:{line}:({function}) {message}");
        }
    });
}

#[cfg(target_os = "linux")]
mod jack {
    use super::text;
    use std::ffi::{c_char, c_void};

    type Callback = extern "C" fn(*const c_char);
    type SetCallback = unsafe extern "C" fn(Callback);

    extern "C" fn on_error(msg: *const c_char) {
        let _ = std::panic::catch_unwind(|| tracing::debug!(target: "jack", "{}", text(msg)));
    }

    extern "C" fn on_info(msg: *const c_char) {
        let _ = std::panic::catch_unwind(|| tracing::debug!(target: "jack", "{}", text(msg)));
    }

    /// Loads libjack if it is installed (kept loaded: ALSA's plugin then
    /// shares this copy) and sets its error and info callbacks.
    pub fn capture_messages() {
        // SAFETY: dlopen/dlsym with NUL-terminated names; the symbols are
        // libjack's documented `void jack_set_*_function(void (*)(const char *))`.
        unsafe {
            let lib = libc::dlopen(c"libjack.so.0".as_ptr(), libc::RTLD_NOW);
            if lib.is_null() {
                tracing::debug!("libjack not installed; no JACK messages to capture");
                return;
            }
            for (name, cb) in [
                (c"jack_set_error_function", on_error as Callback),
                (c"jack_set_info_function", on_info as Callback),
            ] {
                let sym: *mut c_void = libc::dlsym(lib, name.as_ptr());
                if !sym.is_null() {
                    let set: SetCallback = std::mem::transmute::<*mut c_void, SetCallback>(sym);
                    set(cb);
                }
            }
        }
    }
}
