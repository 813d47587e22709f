//! claimsim: turn qualitative claims from cancer-biology reviews into numbers.
//!
//! A scenario file encodes claims as a signed influence network with interventions and
//! expectations; solvers propagate the interventions under Monte Carlo uncertainty and the
//! analysis says which claims the network supports.
//!
//! Data flows one way, each layer importing only from those before it (`scripts/imports.py`
//! checks): [`scenario`] (file -> validated model) -> [`sample`] (the Monte Carlo engine) ->
//! [`solve`] (the methods) -> [`analysis`] (reports and verdicts) -> [`pipeline`] (options,
//! batch, explain) -> [`report`], [`plot`], [`interop`] (text, charts, other tools' formats),
//! with files written through [`output`]. The command-line program is a client of this crate.
//!
//! The front door: [`load`] a scenario file, [`run`] it with [`RunOptions`], and read the
//! [`RunReport`]s (one per method), whose [`ExpectationReport`]s carry each claim's
//! probability and [`Verdict`]. This guide is `docs/library.md`; its example runs as a doctest.
//!
#![doc = include_str!("../docs/library.md")]

pub mod analysis;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod interop;
pub mod manifest;
pub mod output;
pub mod pipeline;
pub mod plot;
pub mod report;
pub mod sample;
pub mod scenario;
pub mod serve;
pub mod shard;
pub mod solve;

pub use analysis::{ExpectationReport, InterventionReport, NodeOutcome, RunReport, Verdict};
pub use error::{Error, Problem};
pub use pipeline::{RunOptions, run};
pub use scenario::{Method, Scenario};

use std::path::Path;

/// Reads and validates a scenario file; its claim ids resolve against the nearest
/// `seeds/claims.toml` in a folder above it. Every problem in the file comes back at once in
/// the error, with its line and a fix.
pub fn load(path: impl AsRef<Path>) -> Result<Scenario, Error> {
    let claims = scenario::catalogue::CatalogueFinder::new(None)?;
    scenario::load(path.as_ref(), &claims)
}
