//! Speed of the fcm method: Monte Carlo samples per second on the 20-node bench scenario
//! (tests/data/ode20.toml read as a fuzzy cognitive map, modified Kosko with sigmoid), through
//! the whole engine (all cores), and one draw on one core.

use claimsim::sample::{self, Sampler, streams::Streams};
use claimsim::scenario;
use claimsim::solve::fcm::FcmModel;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

/// Eight full blocks of the engine: no block is evaluated twice.
const SAMPLES: u64 = 16_384;

fn fcm(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ode20.toml");
    let text = std::fs::read_to_string(&path).expect("bench scenario");
    let scenario = scenario::parse(&path, &text, None).expect("valid bench scenario");
    let model = FcmModel::new(&scenario);
    let mut group = c.benchmark_group("fcm 20 nodes");
    group.sample_size(10);
    group.throughput(Throughput::Elements(SAMPLES));
    group.bench_function("samples, all cores", |b| {
        b.iter(|| sample::run(&model, black_box(SAMPLES), 1, SAMPLES).expect("all accepted"))
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

criterion_group!(benches, fcm);
criterion_main!(benches);
