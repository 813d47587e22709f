//! Press-method throughput: draws per second on the 8-node, 23-link lake food web and on random
//! signed networks of 20 and 50 nodes, one thread and all threads.

use claimsim::sample;
use claimsim::scenario::{self, Scenario};
use claimsim::solve::press::PressModel;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::path::Path;

fn lake() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/lake.toml");
    let text = std::fs::read_to_string(&path).expect("lake.toml");
    scenario::parse(&path, &text, None).expect("valid lake scenario")
}

/// A random signed network of `n` nodes with about `per_node` links into each node, made by a
/// fixed linear congruential sequence so every run benchmarks the same network.
fn random_network(n: usize, per_node: usize) -> Scenario {
    let mut state = 12345u64;
    let mut next = |bound: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % bound
    };
    let mut lines = Vec::new();
    for to in 0..n {
        for _ in 0..per_node {
            let from = next(n);
            let arrow = if next(2) == 0 { "->" } else { "-|" };
            let line = format!("node{from} {arrow} node{to}");
            let duplicate = lines.iter().any(|l: &String| {
                l.starts_with(&format!("node{from} ")) && l.ends_with(&format!(" node{to}"))
            });
            if from != to && !duplicate {
                lines.push(line);
            }
        }
    }
    let text = format!(
        "network = \"\"\"\n{}\n\"\"\"\n[[intervention]]\nname = \"press\"\npress = {{ node0 = 1.0 }}\n",
        lines.join("\n")
    );
    scenario::parse(Path::new("random.toml"), &text, None).expect("valid random network")
}

/// `draws` per measured iteration: enough to amortise the engine's per-run set-up, few enough
/// that the larger networks finish in seconds.
fn bench_scenario(c: &mut Criterion, name: &str, scenario: &Scenario, draws: u64) {
    let model = PressModel::new(scenario);
    let mut group = c.benchmark_group(format!("press/{name}"));
    group.throughput(Throughput::Elements(draws));
    group.sample_size(10);
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        group.bench_function(format!("{threads} thread"), |b| {
            b.iter(|| {
                // Asking for as many samples as draws makes exactly that many draws, stable or not;
                // the run then reports too few accepted, which is expected here.
                pool.install(|| std::hint::black_box(sample::run(&model, draws, 7, draws).is_ok()))
            })
        });
    }
    group.finish();
}

fn press_benches(c: &mut Criterion) {
    bench_scenario(c, "lake-8-nodes", &lake(), 200_000);
    bench_scenario(c, "random-20-nodes", &random_network(20, 3), 20_000);
    bench_scenario(c, "random-50-nodes", &random_network(50, 3), 8_192);
}

criterion_group!(benches, press_benches);
criterion_main!(benches);
