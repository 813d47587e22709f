//! `claimsim check-output`: whether an output folder holds one finished run's files, as its
//! manifest lists them.

use crate::cli::CheckOutputArgs;
use claimsim::error::{EXIT_RUN_FAILED, Error};
use claimsim::manifest;
use claimsim::report::text::terminal_safe;
use std::process::ExitCode;

pub fn run(args: &CheckOutputArgs) -> Result<ExitCode, Error> {
    if !args.dir.is_dir() {
        return Err(Error::usage(
            format!("{} is not a folder", args.dir.display()),
            "give the folder passed to run -o, compare -o or batch -o",
        ));
    }
    let problems = manifest::check(&args.dir);
    let mut text = format!(
        "{}: {}\n",
        args.dir.display(),
        if problems.is_empty() {
            "complete"
        } else {
            "incomplete"
        }
    );
    for problem in &problems {
        text.push_str(&format!("  {problem}\n"));
    }
    super::emit(terminal_safe(&text).as_bytes())?;
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_RUN_FAILED)
    })
}
