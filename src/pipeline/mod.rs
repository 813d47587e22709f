//! The pipeline: a scenario and the run options in, finished reports out.

pub mod batch;
