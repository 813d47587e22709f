//! The edge of the program: each subcommand reads its inputs, calls the library and writes
//! what the user asked for. Computation lives elsewhere and does no I/O.

mod check;
mod export;
mod graph;
mod import;
mod run;

use crate::cli::{Cli, Command};
use crate::error::Error;
use std::process::ExitCode;

/// Runs a parsed command line; the exit code says whether every input was valid.
pub fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Export(args) => export::run(&args),
    }
}

/// The hidden sibling a file is written to before it is renamed into place.
pub(crate) fn partial_path(path: &std::path::Path) -> std::path::PathBuf {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{file_name}.partial"))
}

/// Writes a file whole or not at all: into a temporary sibling, then renamed over the target,
/// so an interrupted run never leaves half a file.
pub(crate) fn write_atomically(path: &std::path::Path, contents: &[u8]) -> Result<(), Error> {
    let write_error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{file_name}.partial"));
    std::fs::write(&temporary, contents).map_err(write_error)?;
    std::fs::rename(&temporary, path).map_err(write_error)
}
