//! The errors claimsim reports, each saying what went wrong and how to fix it, and the exit
//! status each maps to (2 for invalid input, 1 for a run that could not complete).
//!
//! Every error is made of [`Problem`]s (a message and the sentence that says how to fix it) or
//! of positioned file diagnostics; both render in one place, so every message has the same
//! `error: …` / `= help: …` shape.

use crate::diagnostic::{Diagnostic, FileDiagnostics, SourceMap};
use std::fmt;
use std::path::{Path, PathBuf};

/// Exit status for invalid input: a scenario, catalogue or argument to fix.
pub const EXIT_INVALID_INPUT: u8 = 2;
/// Exit status for a valid run that could not complete (acceptance cap, unwritable output).
pub const EXIT_RUN_FAILED: u8 = 1;

/// One problem that has no position in a file: what went wrong, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What went wrong, without the `error:` prefix.
    pub message: String,
    /// How to fix it, when there is something to say.
    pub help: Option<String>,
}

impl Problem {
    /// A problem with no advice beyond its message.
    pub fn new(message: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            help: None,
        }
    }

    /// Adds the sentence that tells the user how to fix the problem.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The same problem with `context` before its message ("--press \"x\": …").
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}{}", self.message);
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n   = help: {help}")?;
        }
        Ok(())
    }
}

/// Problems reported together (every mistake on a command line, say), one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "{}",
        io_problem("read", path, source, "check that the path exists and is readable")
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "{}",
        io_problem("write", path, source, "check that the folder exists and is writable")
    )]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },

    /// One or more problems in an input file, each with its position.
    #[error("{0}")]
    Invalid(Box<FileDiagnostics>),

    #[error("{}", Problem::new(format!("no scenario files (*.toml) found under '{}'", path.display()))
        .help("give a scenario file or a folder that contains some"))]
    NoScenarios { path: PathBuf },

    /// Arguments or options to fix.
    #[error("{0}")]
    Usage(Problems),

    /// A valid request that could not complete.
    #[error("{0}")]
    RunFailed(Problem),

    /// An error a shard met and recorded in its part file, as it was printed, with its exit
    /// status: what `claimsim merge` reports in its place.
    #[error("{message}")]
    Recorded { message: String, exit_code: u8 },
}

fn io_problem(verb: &str, path: &Path, source: &std::io::Error, help: &str) -> Problem {
    Problem::new(format!("could not {verb} '{}': {source}", path.display())).help(help)
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

    /// One argument or option to fix: what is wrong and how to fix it.
    pub fn usage(message: impl Into<String>, help: impl Into<String>) -> Self {
        Error::Usage(Problems(vec![Problem::new(message).help(help)]))
    }

    /// Several arguments or options to fix, reported together.
    pub fn usages(problems: Vec<Problem>) -> Self {
        Error::Usage(Problems(problems))
    }

    /// A run that could not complete: what happened and what to do about it.
    pub fn run_failed(message: impl Into<String>, help: impl Into<String>) -> Self {
        Error::RunFailed(Problem::new(message).help(help))
    }

    /// The process exit status for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Recorded { exit_code, .. } => *exit_code,
            Error::Write { .. } | Error::RunFailed(_) => EXIT_RUN_FAILED,
            _ => EXIT_INVALID_INPUT,
        }
    }

    /// How many problems this error reports (each file diagnostic counts).
    pub fn problem_count(&self) -> usize {
        match self {
            Error::Invalid(d) => d.problems.len(),
            Error::Usage(p) => p.0.len(),
            _ => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_renders_as_error_then_help() {
        let e = Error::usage("--samples must be at least 1", "pass -n 1 or more");
        assert_eq!(
            e.to_string(),
            "error: --samples must be at least 1\n   = help: pass -n 1 or more"
        );
        let read = Error::Read {
            path: "x.toml".into(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "not found"),
        };
        assert!(
            read.to_string()
                .starts_with("error: could not read 'x.toml'")
        );
        assert!(
            read.to_string()
                .contains("\n   = help: check that the path exists")
        );
    }

    #[test]
    fn problems_reported_together_each_get_a_line_and_count() {
        let e = Error::usages(vec![Problem::new("a"), Problem::new("b").help("fix b")]);
        assert_eq!(e.to_string(), "error: a\nerror: b\n   = help: fix b");
        assert_eq!(e.problem_count(), 2);
    }
}
