//! `claimsim run`: one scenario, with command-line overrides, reported as text, JSON or CSV,
//! and written to an output folder when asked.

use super::{chart_format, render, write_run_outputs};
use crate::cli::RunArgs;
use claimsim::analysis::RunReport;
use claimsim::error::Error;
use claimsim::output::AtomicFile;
use claimsim::pipeline::{self, RunOptions};
use claimsim::report::csv::SamplesCsv;
use claimsim::scenario::Scenario;
use claimsim::scenario::catalogue::CatalogueFinder;
use std::path::Path;
use std::process::ExitCode;

pub fn run(args: &RunArgs) -> Result<ExitCode, Error> {
    let options = args.simulation.options();
    options.check()?;
    let claims = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let mut scenario = super::load_scenario(&args.file, &claims, &options)?;
    options.apply(&mut scenario)?;
    let reports = match &args.samples_out {
        None => pipeline::simulate(&scenario, &options, None)?,
        Some(path) => run_keeping_samples(&scenario, &options, path)?,
    };
    let support = scenario.simulation.support;
    super::emit(render(args.format, &reports, support))?;
    if let Some(dir) = &args.output {
        let _lock = super::lock_output(dir)?;
        let charts = chart_format(args.no_plots, args.svg);
        let written = write_run_outputs(dir, &scenario, &reports, charts, None)?;
        eprintln!("wrote {}", written.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs the scenario while streaming every accepted sample into a CSV file, written whole or
/// not at all.
fn run_keeping_samples(
    scenario: &Scenario,
    options: &RunOptions,
    path: &Path,
) -> Result<Vec<RunReport>, Error> {
    let write_error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let file = AtomicFile::create(path)?;
    let mut sink = SamplesCsv::new(std::io::BufWriter::new(file));
    let reports = pipeline::simulate(scenario, options, Some(&mut sink))?;
    let file = sink
        .finish()
        .map_err(|e| write_error(std::io::Error::other(e)))?
        .into_inner()
        .map_err(|e| write_error(e.into_error()))?;
    file.commit()?;
    Ok(reports)
}
