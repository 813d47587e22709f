//! Commands about claimsim itself: a template scenario, shell completions and the man page,
//! all generated from the same clap definitions as `--help`.

use crate::cli::{Cli, CompletionsArgs, NewArgs};
use claimsim::error::Error;
use clap::CommandFactory;
use std::io::Write;
use std::process::ExitCode;

/// The template written by `claimsim new`; a test checks that it is a valid scenario.
pub const TEMPLATE: &str = include_str!("../templates/new.toml");

pub fn new(args: &NewArgs) -> Result<ExitCode, Error> {
    let write_error = |source| Error::Write {
        path: args.file.clone(),
        source,
    };
    // create_new refuses to overwrite: a template must never replace someone's work.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&args.file)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::usage(
                format!("'{}' already exists", args.file.display()),
                "choose a new file name; claimsim new never overwrites",
            ),
            _ => write_error(e),
        })?;
    file.write_all(TEMPLATE.as_bytes()).map_err(write_error)?;
    eprintln!(
        "wrote {}: edit it, then `claimsim check {0}` and `claimsim run {0}`",
        args.file.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn completions(args: &CompletionsArgs) -> Result<ExitCode, Error> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "claimsim", &mut script);
    super::emit(script)?;
    Ok(ExitCode::SUCCESS)
}

pub fn man() -> Result<ExitCode, Error> {
    let page = clap_mangen::Man::new(Cli::command());
    let mut out = Vec::new();
    page.render(&mut out).map_err(|e| {
        Error::run_failed(
            format!("could not render the man page: {e}"),
            "report this as a bug",
        )
    })?;
    super::emit(out)?;
    Ok(ExitCode::SUCCESS)
}
