//! The `claimsim` binary: parse arguments, run the command, map errors to exit statuses
//! (0 success, 1 a run that could not complete, 2 invalid input).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = claimsim::cli::Cli::parse();
    match claimsim::commands::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(error.exit_code())
        }
    }
}
