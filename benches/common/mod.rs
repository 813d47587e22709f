//! What the method benches share: the 20-node bench scenario and the two measurements, samples
//! through the whole engine (all cores) and one draw on one core.

use claimsim::sample::{self, Sampler, streams::Streams};
use claimsim::scenario::{self, Scenario};
use criterion::{Criterion, Throughput};
use std::hint::black_box;
use std::path::Path;

/// tests/data/ode20.toml: every parameter uncertain, two interventions, t_end = 30.
pub fn bench_scenario() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ode20.toml");
    let text = std::fs::read_to_string(&path).expect("bench scenario");
    scenario::parse(&path, &text, None).expect("valid bench scenario")
}

/// Benchmarks `samples` accepted samples through the engine, and single draws.
pub fn bench_method<M: Sampler>(c: &mut Criterion, group_name: &str, model: &M, samples: u64) {
    let mut group = c.benchmark_group(group_name);
    group.sample_size(10);
    group.throughput(Throughput::Elements(samples));
    group.bench_function("samples, all cores", |b| {
        b.iter(|| sample::run(model, black_box(samples), 1, samples).expect("all accepted"))
    });
    group.throughput(Throughput::Elements(1));
    let streams = Streams::new(1);
    let mut workspace = model.workspace();
    let mut summary = model.empty_summary();
    let mut index = 0;
    group.bench_function("one draw, one core", |b| {
        b.iter(|| {
            index += 1;
            let mut rng = streams.for_draw(index);
            model.draw(&mut rng, &mut workspace, &mut summary)
        })
    });
    group.finish();
}
