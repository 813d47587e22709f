//! claimsim: turn qualitative claims from cancer-biology reviews into numbers.
//!
//! A scenario file encodes claims as a signed influence network with interventions and
//! expectations; solvers propagate the interventions under Monte Carlo uncertainty and the
//! analysis says which claims the network supports.
//!
//! Data flows one way: [`scenario`] (file -> validated model) -> solvers -> analysis -> reports.

pub mod analysis;
pub mod batch;
pub mod claims;
pub mod cli;
pub mod commands;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod export;
pub mod interop;
pub mod output;
pub mod plot;
pub mod report;
pub mod sample;
pub mod scenario;
pub mod solve;

pub use error::Error;
