//! The `claimsim` binary: parse arguments, run the command, map errors to exit statuses
//! (0 success, 1 a run that could not complete, 2 invalid input).

mod cli;
mod commands;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!(
                "{}",
                claimsim::report::text::terminal_safe(&error.to_string())
            );
            ExitCode::from(error.exit_code())
        }
    }
}
