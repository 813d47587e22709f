//! Speed of the ode method: Monte Carlo samples per second on the 20-node bench scenario
//! (tests/data/ode20.toml: every parameter uncertain, two interventions, t_end = 30), through
//! the whole engine (all cores), and one draw on one core.

mod common;

use claimsim::solve::ode::OdeModel;
use criterion::{Criterion, criterion_group, criterion_main};

/// Sixteen full blocks of the ode engine (256 draws each): no block is evaluated twice.
const SAMPLES: u64 = 4096;

fn ode(c: &mut Criterion) {
    let model = OdeModel::new(&common::bench_scenario()).expect("ode model");
    common::bench_method(c, "ode 20 nodes to t = 30", &model, SAMPLES);
}

criterion_group!(benches, ode);
criterion_main!(benches);
