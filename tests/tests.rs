//! The one integration-test binary: each module covers one command or concern.

mod util;

mod check;
mod errors;
mod fcm;
mod graph;
mod methods;
mod ode;
mod press;
mod properties;
mod run;
