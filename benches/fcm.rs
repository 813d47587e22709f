//! Speed of the fcm method: Monte Carlo samples per second on the 20-node bench scenario
//! (tests/data/ode20.toml read as a fuzzy cognitive map, modified Kosko with sigmoid), through
//! the whole engine (all cores), and one draw on one core.

mod common;

use claimsim::solve::fcm::FcmModel;
use criterion::{Criterion, criterion_group, criterion_main};

/// Eight full blocks of the engine: no block is evaluated twice.
const SAMPLES: u64 = 16_384;

fn fcm(c: &mut Criterion) {
    let model = FcmModel::new(&common::bench_scenario());
    common::bench_method(c, "fcm 20 nodes", &model, SAMPLES);
}

criterion_group!(benches, fcm);
criterion_main!(benches);
