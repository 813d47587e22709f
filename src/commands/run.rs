//! `claimsim run`: one scenario, with command-line overrides, reported as text, JSON or CSV,
//! and written to an output folder when asked.

use super::write_atomically;
use crate::analysis::RunReport;
use crate::claims::CatalogueFinder;
use crate::cli::{MethodArg, OutputFormat, RunArgs};
use crate::error::Error;
use crate::plot;
use crate::report;
use crate::scenario::validate::default_max_draws;
use crate::scenario::{self, Method, Scenario};
use crate::solve;
use std::process::ExitCode;

pub fn run(args: &RunArgs) -> Result<ExitCode, Error> {
    let claims = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let mut scenario = scenario::load(&args.file, &claims)?;
    apply_overrides(&mut scenario, args)?;
    let reports = with_threads(args.threads, || solve::run(&scenario))??;
    let support = scenario.simulation.support;
    let printed = match args.format {
        OutputFormat::Text => report::text::to_text(&reports, support),
        OutputFormat::Json => report::json::to_json(&reports),
        OutputFormat::Csv => report::csv::outcomes_csv(&reports),
    };
    print!("{printed}");
    if let Some(dir) = &args.output {
        write_outputs(dir, &reports)?;
        if !args.no_plots {
            write_plots(dir, &scenario, &reports, args.svg)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Applies the command-line settings on top of the file's `[simulation]`.
fn apply_overrides(scenario: &mut Scenario, args: &RunArgs) -> Result<(), Error> {
    let sim = &mut scenario.simulation;
    if let Some(method) = args.method {
        sim.method = match method {
            MethodArg::Press => Method::Press,
            MethodArg::Ode => Method::Ode,
            MethodArg::Fcm => Method::Fcm,
            MethodArg::All => Method::All,
        };
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

/// Runs `work` on a pool of `threads` workers (all cores when not given).
fn with_threads<T: Send>(
    threads: Option<usize>,
    work: impl FnOnce() -> T + Send,
) -> Result<T, Error> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        if n == 0 {
            return Err(Error::Usage(
                "error: -j/--threads must be at least 1".to_string(),
            ));
        }
        builder = builder.num_threads(n);
    }
    let pool = builder
        .build()
        .map_err(|e| Error::RunFailed(format!("error: could not start worker threads: {e}")))?;
    Ok(pool.install(work))
}

fn write_outputs(dir: &std::path::Path, reports: &[RunReport]) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    write_atomically(
        &dir.join("summary.json"),
        report::json::to_json(reports).as_bytes(),
    )?;
    write_atomically(
        &dir.join("outcomes.csv"),
        report::csv::outcomes_csv(reports).as_bytes(),
    )?;
    eprintln!("wrote {}/summary.json and outcomes.csv", dir.display());
    Ok(())
}

/// Writes the charts of the run beside the summary.
fn write_plots(
    dir: &std::path::Path,
    scenario: &Scenario,
    reports: &[RunReport],
    svg: bool,
) -> Result<(), Error> {
    let options = plot::PlotOptions {
        format: if svg {
            plot::ChartFormat::Svg
        } else {
            plot::ChartFormat::Png
        },
        ..plot::PlotOptions::default()
    };
    let written = plot::write_charts(dir, scenario, reports, &options)?;
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    eprintln!("wrote {}/{}", dir.display(), names.join(", "));
    Ok(())
}
