//! Rendering every chart of one run as PNG and as SVG, in memory: a press run (outcomes,
//! effects, network, sensitivity) and a `--method all` run, which adds each method's charts,
//! the ode time courses and the method comparison. The runs are done once outside the
//! measurement.

use claimsim::plot::{self, ChartFormat, PlotOptions};
use claimsim::scenario::Method;
use claimsim::scenario::catalogue::CatalogueFinder;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn charts(c: &mut Criterion) {
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/breast-cancer/msc-mir100-vegf.toml");
    let catalogue = CatalogueFinder::new(None).expect("catalogue");
    let mut scenario = claimsim::scenario::load(&file, &catalogue).expect("scenario loads");
    scenario.simulation.samples = 2000;
    let reports =
        claimsim::run(&scenario, &claimsim::RunOptions::default()).expect("scenario runs");
    let mut every_method = scenario.clone();
    every_method.simulation.method = Method::All;
    every_method.simulation.samples = 500;
    let all_reports =
        claimsim::run(&every_method, &claimsim::RunOptions::default()).expect("scenario runs");
    let mut group = c.benchmark_group("charts");
    group.sample_size(20);
    for format in [ChartFormat::Png, ChartFormat::Svg] {
        let options = PlotOptions {
            format,
            ..PlotOptions::default()
        };
        group.bench_function(format!("all charts {}", format.extension()), |b| {
            b.iter(|| {
                plot::render_charts(black_box(&scenario), &reports, &options).expect("charts")
            })
        });
        group.bench_function(format!("method all charts {}", format.extension()), |b| {
            b.iter(|| {
                plot::render_charts(black_box(&every_method), &all_reports, &options)
                    .expect("charts")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, charts);
criterion_main!(benches);
