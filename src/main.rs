//! The `mockint` binary: parse arguments, run the command, map errors to a
//! one-line message and an exit status (2 for bad input, 1 otherwise).

use clap::Parser;

fn main() {
    let cli = mockint::cli::Cli::parse();
    mockint::cli::init_tracing();
    match mockint::cli::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(err) => {
            eprintln!("error: {err}");
            std::process::exit(err.exit_code());
        }
    }
}
