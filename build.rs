//! Rebuilds the crate when the embedded question bank or rubrics change
//! (`include_dir!` alone does not tell cargo to watch those directories), and
//! compiles the C shim that routes ALSA's messages to `tracing`
//! (src/audio/backend_log.rs says why it is C).
fn main() {
    println!("cargo:rerun-if-changed=question_bank");
    println!("cargo:rerun-if-changed=rubrics");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/audio/csrc/alsa_log.c");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        cc::Build::new()
            .file("src/audio/csrc/alsa_log.c")
            .warnings(true)
            .compile("mockint_alsa_log");
        // libasound is linked by alsa-sys (cpal); named again so the shim's
        // reference resolves whatever order the linker sees the libraries in.
        println!("cargo:rustc-link-lib=dylib=asound");
    }
}
