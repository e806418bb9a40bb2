//! Rebuilds the crate when the embedded question bank or rubrics change
//! (`include_dir!` alone does not tell cargo to watch those directories).
fn main() {
    println!("cargo:rerun-if-changed=question_bank");
    println!("cargo:rerun-if-changed=rubrics");
    println!("cargo:rerun-if-changed=build.rs");
}
