//! The press method cut into strongly connected components gives the same draws as the dense
//! path: the same accepted and rejected draws for the same reasons, the same directions, and
//! the same responses up to rounding, on every shipped scenario, the QPress fixture and random
//! networks of known block structure (with knockouts, blocked links, optional links and links
//! of unknown sign).

use crate::util::{data, root};
use claimsim::interop::{self, Format};
use claimsim::sample::{Sampler, streams::Streams};
use claimsim::scenario::catalogue::CatalogueFinder;
use claimsim::scenario::{self, Scenario};
use claimsim::solve::press::{Partition, PressModel, PressSummary};
use std::path::{Path, PathBuf};

/// Responses may differ by this much relative to the largest response of their draw and
/// intervention: the two paths factor different matrices (the blocks, the whole), so they round
/// differently, by about the condition number times the unit roundoff. Measured: at most
/// 1.2e-12 over 2000 draws of every shipped scenario (all but a few ill-conditioned draws
/// within 1e-13).
const TOLERANCE: f64 = 1e-11;

/// Runs `draws` draws through both paths and compares them draw by draw.
fn assert_same_draws(scenario: &Scenario, draws: u64, what: &str) {
    let dense = PressModel::with_partition(scenario, Partition::Whole).keep_samples();
    let split = PressModel::new(scenario).keep_samples();
    let streams = Streams::new(11);
    let (mut dense_ws, mut split_ws) = (dense.workspace(), split.workspace());
    let (mut dense_sum, mut split_sum) = (dense.empty_summary(), split.empty_summary());
    let mut accepted = 0;
    for i in 0..draws {
        let a = dense.draw(&mut streams.for_draw(i), &mut dense_ws, &mut dense_sum);
        let b = split.draw(&mut streams.for_draw(i), &mut split_ws, &mut split_sum);
        assert_eq!(a, b, "{what}: draw {i} decided differently");
        accepted += u64::from(a.is_ok());
    }
    // What the engine does at the end of every block: the unreachable nodes' zeros.
    dense.finish_block(&mut dense_sum);
    split.finish_block(&mut split_sum);
    assert_same_responses(&dense_sum, &split_sum, scenario.nodes.len(), what);
    assert_same_directions(&dense_sum, &split_sum, what);
    assert!(
        accepted > 0 || draws < 100,
        "{what}: no draw accepted, nothing compared"
    );
}

fn assert_same_responses(dense: &PressSummary, split: &PressSummary, n: usize, what: &str) {
    assert_eq!(dense.samples.len(), split.samples.len(), "{what}");
    for (i, (a, b)) in dense
        .samples
        .chunks(n)
        .zip(split.samples.chunks(n))
        .enumerate()
    {
        let scale = a.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        for (x, y) in a.iter().zip(b) {
            let same = (x.is_nan() && y.is_nan()) || (x - y).abs() <= TOLERANCE * scale;
            assert!(same, "{what}: response row {i}: {x} vs {y} (scale {scale})");
        }
    }
}

fn assert_same_directions(dense: &PressSummary, split: &PressSummary, what: &str) {
    let pairs = dense
        .responses
        .iter()
        .flatten()
        .zip(split.responses.iter().flatten())
        .chain(dense.expectations.iter().zip(&split.expectations));
    for (a, b) in pairs {
        let counts = |s: &claimsim::sample::stats::ResponseSummary| {
            (s.count(), s.n_up(), s.n_down(), s.n_zero(), s.n_nonfinite())
        };
        assert_eq!(counts(a), counts(b), "{what}: direction counts");
    }
}

fn scenario_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            scenario_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "toml") {
            found.push(path);
        }
    }
}

#[test]
fn every_shipped_scenario_draws_the_same_on_both_paths() {
    let catalogue = CatalogueFinder::new(Some(&root().join("seeds/claims.toml"))).unwrap();
    let mut files = Vec::new();
    scenario_files(&root().join("scenarios"), &mut files);
    assert!(files.len() > 10, "scenarios found: {}", files.len());
    for file in files {
        let scenario = scenario::load(&file, &catalogue).unwrap_or_else(|e| panic!("{e}"));
        assert_same_draws(&scenario, 2000, &file.display().to_string());
    }
}

#[test]
fn the_qpress_fixture_draws_the_same_on_both_paths() {
    let path = data("interop/qpress-awkward.txt");
    let bytes = std::fs::read(&path).unwrap();
    let network = interop::import(Format::Qpress, &path, &bytes).unwrap();
    let text = interop::scenario_text(&network, Format::Qpress, &path).unwrap();
    let scenario = scenario::parse(Path::new("qpress.toml"), &text, None).unwrap();
    assert_same_draws(&scenario, 5000, "qpress-awkward.txt");
}

/// `modules` loops of `size` nodes (a chain closed by one inhibition, or by an unknown sign),
/// each sending two links to later modules, one of them optional; every intervention kind.
fn modular(modules: usize, size: usize, seed: u64) -> String {
    let mut state = seed;
    let mut next = |bound: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % bound
    };
    let node = |m: usize, i: usize| format!("m{m}n{i}");
    let mut lines = Vec::new();
    for m in 0..modules {
        for i in 0..size - 1 {
            lines.push(format!("{} -> {}", node(m, i), node(m, i + 1)));
        }
        let closing = if m % 3 == 2 { "-?" } else { "-|" };
        lines.push(format!("{} {closing} {}", node(m, size - 1), node(m, 0)));
    }
    let mut optional = Vec::new();
    for m in 0..modules - 1 {
        for k in 0..2 {
            let to = m + 1 + next(modules - m - 1);
            let arrow = if next(2) == 0 { "->" } else { "-|" };
            let line = format!("{} {arrow} {}", node(m, next(size)), node(to, next(size)));
            if !lines.iter().any(|l| {
                l.split(' ').next() == line.split(' ').next()
                    && l.ends_with(line.split(' ').next_back().unwrap())
            }) {
                if k == 1 {
                    optional.push(line.clone());
                }
                lines.push(line);
            }
        }
    }
    let links: String = optional
        .iter()
        .map(|l| format!("\n[[link]]\nlink = \"{l}\"\npresent = 0.5\n"))
        .collect();
    let last = modules - 1;
    format!(
        "network = \"\"\"\n{}\n\"\"\"\n{links}
[[intervention]]
name = \"press upstream\"
press = {{ m0n0 = 1.0 }}

[[intervention]]
name = \"press downstream\"
press = {{ {down} = 1.0 }}

[[intervention]]
name = \"knockout\"
press = {{ m0n0 = 1.0 }}
knockout = [\"m1n1\"]

[[intervention]]
name = \"block\"
press = {{ m0n0 = 1.0 }}
block = [\"{first}\"]

[[expect]]
intervention = \"press upstream\"
node = \"{down}\"
change = \"up\"

[[expect]]
intervention = \"knockout\"
versus = \"press upstream\"
node = \"m2n0\"
change = \"down\"
",
        lines.join("\n"),
        down = node(last, 0),
        first = lines[0],
    )
}

#[test]
fn random_modular_networks_draw_the_same_on_both_paths() {
    for (modules, size, seed) in [(4, 3, 1), (6, 2, 2), (3, 6, 3), (8, 4, 4)] {
        let text = modular(modules, size, seed);
        let scenario = scenario::parse(Path::new("modular.toml"), &text, None)
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        // The blocks are the modules: the feed-forward links join no loop.
        assert_eq!(PressModel::new(&scenario).largest_block(), size);
        assert_eq!(
            PressModel::with_partition(&scenario, Partition::Whole).largest_block(),
            modules * size
        );
        assert_same_draws(&scenario, 3000, &format!("{modules} modules of {size}"));
    }
}
