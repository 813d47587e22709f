//! `claimsim run`: one scenario, with command-line overrides, reported as text, JSON or CSV,
//! and written to an output folder when asked.

use super::progress::TerminalProgress;
use super::{chart_format, render, write_run_outputs};
use crate::cli::{OutputFormat, RunArgs};
use claimsim::analysis::RunReport;
use claimsim::error::Error;
use claimsim::output::AtomicFile;
use claimsim::pipeline::draws::{self, Sampling};
use claimsim::pipeline::{self, RunOptions};
use claimsim::plot::ChartFormat;
use claimsim::report::csv::SamplesCsv;
use claimsim::report::text::terminal_safe;
use claimsim::sample::{Progress, Quiet, SampleSink};
use claimsim::scenario::Scenario;
use claimsim::scenario::catalogue::CatalogueFinder;
use claimsim::shard::{Part, Results, Shard};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Instant;

pub fn run(args: &RunArgs) -> Result<ExitCode, Error> {
    let options = args.simulation.options();
    options.check()?;
    check_budget_args(args)?;
    let claims = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let mut scenario = super::load_scenario(&args.file, &claims, &options)?;
    options.apply(&mut scenario)?;
    if let Some(draws) = args.draws {
        draws::set_budget(&mut scenario, draws)?;
    }
    if let (Some(shard), Some(draws)) = (args.shard, args.draws) {
        return run_shard(
            args,
            &claims,
            &scenario,
            &options,
            [draws, shard.index, shard.count],
        );
    }
    let mut sampling = match args.draws {
        None => Sampling::Target,
        Some(draws) => Sampling::Budget(draws),
    };
    let watcher = TerminalProgress::on_terminal();
    let progress: &dyn Progress = match &watcher {
        Some(watcher) => watcher,
        None => &Quiet,
    };
    let reports = match &args.samples_out {
        None => pipeline::simulate_with(&scenario, &options, None, &mut sampling, progress)?,
        Some(path) => run_keeping_samples(&scenario, &options, &mut sampling, path, progress)?,
    };
    drop(watcher);
    let charts = chart_format(args.no_plots, args.svg);
    finish(
        &scenario,
        &reports,
        args.format,
        args.output.as_deref(),
        charts,
    )
}

/// Prints the reports and writes the output folder, if any.
fn finish(
    scenario: &Scenario,
    reports: &[RunReport],
    format: OutputFormat,
    output: Option<&Path>,
    charts: Option<ChartFormat>,
) -> Result<ExitCode, Error> {
    let support = scenario.simulation.support;
    super::emit(render(format, reports, support))?;
    if let Some(dir) = output {
        let _lock = super::lock_output(dir)?;
        let written = write_run_outputs(dir, scenario, reports, charts, None)?;
        eprintln!("wrote {}", written.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

/// `--draws` replaces the sample target, and a shard writes a part file.
fn check_budget_args(args: &RunArgs) -> Result<(), Error> {
    if args.draws.is_some() && args.simulation.samples.is_some() {
        return Err(Error::usage(
            "--draws and --samples both set how long the run is",
            "pass --draws N for exactly N draws (however many are accepted), or -n N for N accepted samples",
        ));
    }
    if args.shard.is_some() && args.output.is_none() {
        return Err(Error::usage(
            "--shard needs -o for the part file it writes",
            "add -o parts/run-K.json (one file per shard), then claimsim merge parts/*.json -o OUT",
        ));
    }
    Ok(())
}

/// One shard of a draw budget: its blocks, written as a part file to `-o`.
fn run_shard(
    args: &RunArgs,
    claims: &CatalogueFinder,
    scenario: &Scenario,
    options: &RunOptions,
    [draws, index, count]: [u64; 3],
) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let output = args.output.as_deref().unwrap_or(Path::new("."));
    let files = [args.file.clone()];
    let inputs = super::merge::inputs(&files, claims);
    let mut sampling = Sampling::Shard {
        draws,
        index,
        count,
        calls: Vec::new(),
    };
    pipeline::simulate_with(scenario, options, None, &mut sampling, &Quiet)?;
    let flags = [args.no_plots, false, args.svg];
    let mut settings =
        super::merge::settings(&files, args.claims.claims.as_deref(), options, flags);
    settings.draws = Some(draws);
    let shard = Shard { index, count };
    let units = usize::try_from(draws).unwrap_or(usize::MAX);
    let part = Part::new(
        shard,
        settings,
        inputs,
        units,
        Results::Run(sampling.into_calls()),
    );
    super::merge::write_part(output, &part)?;
    super::emit(format!(
        "shard {}: its part of {draws} draws in {:.1} s; wrote {}\n",
        shard.label(),
        started.elapsed().as_secs_f64(),
        terminal_safe(&output.display().to_string())
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// `claimsim merge` of `run --draws --shard` parts (already checked to be one job's complete
/// set): reads the scenario again, refuses if it changed since the shards read it, and writes
/// what `run --draws N -o OUT` writes.
pub(super) fn merge(parts: Vec<(PathBuf, Part)>, output: &Path) -> Result<ExitCode, Error> {
    // Copies, so that the parts' shares can move into the merge (no second copy in memory).
    let first_path = parts[0].0.clone();
    let settings = parts[0].1.settings.clone();
    let then = parts[0].1.inputs.clone();
    let options = super::merge::options_of(&settings)?;
    let (Some(draws), [file]) = (settings.draws, settings.paths.as_slice()) else {
        return Err(Error::usage(
            format!("'{}' is not a part of `run --draws`", first_path.display()),
            "rerun the shards with this claimsim",
        ));
    };
    let file = PathBuf::from(file);
    let claims = CatalogueFinder::new(settings.claims.as_deref().map(Path::new))?;
    let now = super::merge::inputs(std::slice::from_ref(&file), &claims);
    super::merge::check_inputs(&first_path, &then, &now)?;
    let mut scenario = super::load_scenario(&file, &claims, &options)?;
    options.apply(&mut scenario)?;
    draws::set_budget(&mut scenario, draws)?;
    let charts = chart_format(settings.no_plots, settings.svg);
    let mut sampling = Sampling::Merged {
        draws,
        calls: draws::merge_calls(parts)?,
    };
    let reports = pipeline::simulate_with(&scenario, &options, None, &mut sampling, &Quiet)?;
    draws::all_used(sampling)?;
    finish(
        &scenario,
        &reports,
        OutputFormat::Text,
        Some(output),
        charts,
    )
}

/// Runs the scenario while streaming every accepted sample into a CSV file, written whole or
/// not at all. The CSV is formatted and written on a thread of its own, fed in draw order through
/// a bounded channel, so the merge of the sampling blocks never waits on the formatting.
fn run_keeping_samples(
    scenario: &Scenario,
    options: &RunOptions,
    sampling: &mut Sampling,
    path: &Path,
    progress: &dyn Progress,
) -> Result<Vec<RunReport>, Error> {
    let write_error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let file = AtomicFile::create(path)?;
    let (sender, receiver) = mpsc::sync_channel(BATCHES_IN_FLIGHT);
    let (reports, written) = std::thread::scope(|scope| {
        let writer = scope.spawn(move || write_samples(file, receiver));
        let mut sink = ChannelSink(sender);
        let reports =
            pipeline::simulate_with(scenario, options, Some(&mut sink), sampling, progress);
        // Closing the channel ends the writer's loop.
        drop(sink);
        (reports, writer.join())
    });
    let reports = reports?;
    let stopped = || write_error(std::io::Error::other("the samples writer stopped"));
    let file = written
        .map_err(|_| stopped())?
        .map_err(|e| write_error(std::io::Error::other(e)))?
        .into_inner()
        .map_err(|e| write_error(e.into_error()))?;
    file.commit()?;
    Ok(reports)
}

/// Blocks of samples waiting for the writer thread, at most: memory stays flat when the
/// formatting is slower than the sampling.
const BATCHES_IN_FLIGHT: usize = 4;

/// What the sampling hands the writer thread, in draw order.
enum SampleBatch {
    Columns(String, Vec<String>),
    Rows(Vec<f64>),
}

/// A [`SampleSink`] that passes everything on to the writer thread. A failed send means the
/// writer has stopped; its join reports that.
struct ChannelSink(mpsc::SyncSender<SampleBatch>);

impl SampleSink for ChannelSink {
    fn columns(&mut self, method: &str, names: &[String]) {
        let _ = self
            .0
            .send(SampleBatch::Columns(method.to_string(), names.to_vec()));
    }

    fn rows(&mut self, values: &[f64]) {
        let _ = self.0.send(SampleBatch::Rows(values.to_vec()));
    }
}

/// The writer thread: formats every batch into the CSV until the channel closes.
fn write_samples(
    file: AtomicFile,
    batches: mpsc::Receiver<SampleBatch>,
) -> Result<std::io::BufWriter<AtomicFile>, ::csv::Error> {
    let mut csv = SamplesCsv::new(std::io::BufWriter::new(file));
    for batch in batches {
        match batch {
            SampleBatch::Columns(method, names) => csv.columns(&method, &names),
            SampleBatch::Rows(values) => csv.rows(&values),
        }
    }
    csv.finish()
}
