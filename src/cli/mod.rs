//! Command-line front end. `knowledge` holds the bank, score and eval commands.
pub mod knowledge;
