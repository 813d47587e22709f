//! Press-method speed.
//!
//! - `press/...`: throughput through the whole engine on the 8-node, 23-link lake food web and on
//!   random signed networks of 20 and 50 nodes (mostly rejected draws), one thread and all threads.
//! - `press cpu per draw/...`: CPU time of one draw on one core (read from the thread's CPU clock,
//!   so other processes on a busy machine do not inflate it) on mostly-stable predator-prey webs
//!   of 8 to 128 nodes and on the 200-node modular network (benches/data/modular200.toml): the
//!   expensive, accepted path. See benches/README.md.

use claimsim::sample;
use claimsim::sample::{Sampler, streams::Streams};
use claimsim::scenario::{self, Scenario};
use claimsim::solve::press::PressModel;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::path::Path;

fn bench_data(file: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches/data")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("bench scenario");
    scenario::parse(&path, &text, None).expect("valid bench scenario")
}

fn lake() -> Scenario {
    bench_data("lake.toml")
}

/// A fixed linear congruential sequence of numbers below `bound`, so every run benchmarks the
/// same network.
fn lcg(seed: u64) -> impl FnMut(usize) -> usize {
    let mut state = seed;
    move |bound| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % bound
    }
}

/// A predator-prey web of `n` species: a food chain (each species feeds the next, which eats it
/// down) plus `n / 4` more predator-prey pairs between random species, every species
/// self-limited. The chain alone is sign-stable; the extra pairs close loops, so most draws
/// (not all) are stable. One strongly connected component: the cost of a large dense block.
fn predator_prey_web(n: usize) -> Scenario {
    let mut next = lcg(n as u64);
    let mut pairs: Vec<(usize, usize)> = (1..n).map(|i| (i - 1, i)).collect();
    while pairs.len() < n - 1 + n / 4 {
        let (a, b) = (next(n), next(n));
        let pair = (a.min(b), a.max(b));
        if a != b && !pairs.contains(&pair) {
            pairs.push(pair);
        }
    }
    let lines: Vec<String> = pairs
        .iter()
        .flat_map(|&(prey, predator)| {
            [
                format!("s{prey} -> s{predator}"),
                format!("s{predator} -| s{prey}"),
            ]
        })
        .collect();
    let text = format!(
        "network = \"\"\"\n{}\n\"\"\"\n[[intervention]]\nname = \"press\"\npress = {{ s0 = 1.0 }}\n",
        lines.join("\n")
    );
    scenario::parse(Path::new("predator-prey.toml"), &text, None).expect("valid web")
}

/// A random signed network of `n` nodes with about `per_node` links into each node, made by a
/// fixed linear congruential sequence so every run benchmarks the same network.
fn random_network(n: usize, per_node: usize) -> Scenario {
    let mut next = lcg(12345);
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

/// CPU time of the calling thread, in nanoseconds, from the scheduler's own accounting
/// (`/proc/thread-self/schedstat`, Linux); wall time elsewhere.
struct CpuTime;

static WALL: WallTime = WallTime;

fn thread_cpu_nanos() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

impl Measurement for CpuTime {
    type Intermediate = (Option<u64>, std::time::Instant);
    type Value = f64;

    fn start(&self) -> Self::Intermediate {
        (thread_cpu_nanos(), std::time::Instant::now())
    }

    fn end(&self, (cpu, wall): Self::Intermediate) -> f64 {
        match (cpu, thread_cpu_nanos()) {
            (Some(a), Some(b)) => (b - a) as f64,
            _ => wall.elapsed().as_nanos() as f64,
        }
    }

    fn add(&self, a: &f64, b: &f64) -> f64 {
        a + b
    }

    fn zero(&self) -> f64 {
        0.0
    }

    fn to_f64(&self, value: &f64) -> f64 {
        *value
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        WALL.formatter()
    }
}

/// One draw after another on this thread, each on its own stream, accepted or not.
fn bench_draws(c: &mut Criterion<CpuTime>, name: &str, scenario: &Scenario) {
    let model = PressModel::new(scenario);
    let streams = Streams::new(7);
    let mut workspace = model.workspace();
    let mut summary = model.empty_summary();
    let mut index = 0;
    let mut group = c.benchmark_group("press cpu per draw");
    group.sample_size(10);
    group.bench_function(name, |b| {
        b.iter(|| {
            index += 1;
            let mut rng = streams.for_draw(index);
            model.draw(&mut rng, &mut workspace, &mut summary)
        })
    });
    group.finish();
}

fn cpu_per_draw(c: &mut Criterion<CpuTime>) {
    bench_draws(c, "lake-8-nodes", &lake());
    for n in [8, 16, 32, 64, 128] {
        bench_draws(c, &format!("predator-prey-{n}"), &predator_prey_web(n));
    }
    bench_draws(c, "modular-200", &bench_data("modular200.toml"));
}

criterion_group!(benches, press_benches);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(CpuTime);
    targets = cpu_per_draw
}
criterion_main!(benches, cpu);
