//! `claimsim run`: one scenario, with command-line overrides, reported as text, JSON or CSV,
//! and written to an output folder when asked.

use super::{chart_format, render, with_threads, write_run_outputs};
use crate::analysis::RunReport;
use crate::claims::CatalogueFinder;
use crate::cli::RunArgs;
use crate::error::Error;
use crate::output::AtomicFile;
use crate::report::csv::SamplesCsv;
use crate::scenario::Scenario;
use crate::scenario::validate::default_max_draws;
use crate::solve;
use std::path::Path;
use std::process::ExitCode;

pub fn run(args: &RunArgs) -> Result<ExitCode, Error> {
    let claims = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let mut scenario = super::load_scenario(&args.file, &claims)?;
    apply_overrides(&mut scenario, args)?;
    let overrides = args.overrides.to_overrides();
    overrides.apply(&mut scenario)?;
    let mut reports = match &args.samples_out {
        None => with_threads(args.threads, || solve::run(&scenario, None))??,
        Some(path) => run_keeping_samples(&scenario, args.threads, path)?,
    };
    for report in &mut reports {
        report.overrides = overrides.describe();
    }
    let support = scenario.simulation.support;
    super::emit(render(args.format, &reports, support))?;
    if let Some(dir) = &args.output {
        let charts = chart_format(args.no_plots, args.svg);
        let written = write_run_outputs(dir, &scenario, &reports, charts)?;
        eprintln!("wrote {}", written.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

/// Applies the command-line settings on top of the file's `[simulation]`.
fn apply_overrides(scenario: &mut Scenario, args: &RunArgs) -> Result<(), Error> {
    let sim = &mut scenario.simulation;
    if let Some(method) = args.method {
        sim.method = method.method();
    }
    if let Some(samples) = args.samples {
        if samples == 0 {
            return Err(Error::Usage(
                "error: --samples must be at least 1".to_string(),
            ));
        }
        sim.max_draws = sim.max_draws.max(default_max_draws(samples));
        sim.samples = samples;
    }
    if let Some(seed) = args.seed {
        sim.seed = seed;
    }
    Ok(())
}

/// Runs the scenario while streaming every accepted sample into a CSV file, written whole or
/// not at all.
fn run_keeping_samples(
    scenario: &Scenario,
    threads: Option<usize>,
    path: &Path,
) -> Result<Vec<RunReport>, Error> {
    let write_error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let file = AtomicFile::create(path)?;
    let mut sink = SamplesCsv::new(std::io::BufWriter::new(file));
    let reports = with_threads(threads, || solve::run(scenario, Some(&mut sink)))??;
    let file = sink
        .finish()
        .map_err(|e| write_error(std::io::Error::other(e)))?
        .into_inner()
        .map_err(|e| write_error(e.into_error()))?;
    file.commit()?;
    Ok(reports)
}
