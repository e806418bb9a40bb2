//! Progress bars for model downloads, unpacking and conversion (indicatif on
//! stderr). They draw only on a terminal; set-up logs and tests see the
//! one-line messages instead.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Whether bars are drawn: stderr is a terminal.
pub fn interactive() -> bool {
    std::io::stderr().is_terminal()
}

fn new_bar(total: u64, template: &str, msg: &str) -> ProgressBar {
    if !interactive() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(template)
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(msg.to_string());
    bar
}

/// A bar counting bytes, with rate and time left: `"{msg} [=====>   ] 40 MiB/75 MiB 12 MiB/s 3s"`.
/// A total of 0 (unknown) shows a spinner with the bytes so far.
pub fn bytes(total: u64, msg: &str) -> ProgressBar {
    if total == 0 {
        return new_bar(
            0,
            "  {spinner} {msg} {bytes} {bytes_per_sec} {elapsed}",
            msg,
        );
    }
    new_bar(
        total,
        "  {msg:<28} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        msg,
    )
}

/// A bar counting items (tensors): `"{msg} [=====>   ] 120/167 tensors 2s"`.
pub fn items(total: u64, msg: &str, unit: &str) -> ProgressBar {
    new_bar(
        total,
        &format!("  {{msg:<28}} [{{bar:30}}] {{pos}}/{{len}} {unit} {{elapsed}}"),
        msg,
    )
}
