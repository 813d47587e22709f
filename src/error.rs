//! The errors claimsim reports, each saying what went wrong and how to fix it, and the exit
//! status each maps to (2 for invalid input, 1 for a run that could not complete).

use crate::diagnostic::{Diagnostic, FileDiagnostics, SourceMap};
use std::path::{Path, PathBuf};

/// Exit status for invalid input: a scenario, catalogue or argument to fix.
pub const EXIT_INVALID_INPUT: u8 = 2;
/// Exit status for a valid run that could not complete (acceptance cap, unwritable output).
pub const EXIT_RUN_FAILED: u8 = 1;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "could not read '{path}': {source}\n   = help: check that the path exists and is readable"
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "could not write '{path}': {source}\n   = help: check that the folder exists and is writable"
    )]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },

    /// One or more problems in an input file, each with its position.
    #[error("{0}")]
    Invalid(Box<FileDiagnostics>),

    #[error(
        "no scenario files (*.toml) found under '{path}'\n   = help: give a scenario file or a folder that contains some"
    )]
    NoScenarios { path: PathBuf },

    #[error("{0}")]
    Usage(String),

    #[error("{0}")]
    RunFailed(String),
}

impl Error {
    /// Problems in one file.
    pub fn invalid(path: &Path, source: &SourceMap, problems: Vec<Diagnostic>) -> Self {
        Error::Invalid(Box::new(FileDiagnostics::new(
            path,
            Some(source.clone()),
            problems,
        )))
    }

    /// The process exit status for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Write { .. } | Error::RunFailed(_) => EXIT_RUN_FAILED,
            _ => EXIT_INVALID_INPUT,
        }
    }

    /// How many problems this error reports (each file diagnostic counts).
    pub fn problem_count(&self) -> usize {
        match self {
            Error::Invalid(d) => d.problems.len(),
            _ => 1,
        }
    }
}
