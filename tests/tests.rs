//! The one integration-test binary: each module covers one command or concern.

mod util;

mod atlas;
mod batch;
mod check;
mod components;
mod doc_links;
mod errors;
mod evidence;
mod fcm;
mod graph;
mod held_out;
mod hostile;
mod interactions;
mod interop;
mod interop_real;
mod limits;
mod loops;
mod manifest;
mod meta;
mod methods;
mod ode;
mod options;
mod plots;
mod press;
mod properties;
mod run;
mod run_shard;
mod serve;
mod shard;
mod sweep;
mod tutorial;
mod versus;
mod whatif;
