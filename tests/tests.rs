//! The one integration-test binary: each module covers one command or concern.

mod util;

mod check;
mod errors;
mod graph;
mod interop;
mod press;
mod properties;
mod run;
