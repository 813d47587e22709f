//! `claimsim run`: one scenario, with command-line overrides, reported as text, JSON or CSV,
//! and written to an output folder when asked.

use super::progress::TerminalProgress;
use super::{chart_format, render, write_run_outputs};
use crate::cli::RunArgs;
use claimsim::analysis::RunReport;
use claimsim::error::Error;
use claimsim::output::AtomicFile;
use claimsim::pipeline::{self, RunOptions};
use claimsim::report::csv::SamplesCsv;
use claimsim::sample::{Progress, Quiet, SampleSink};
use claimsim::scenario::Scenario;
use claimsim::scenario::catalogue::CatalogueFinder;
use std::path::Path;
use std::process::ExitCode;
use std::sync::mpsc;

pub fn run(args: &RunArgs) -> Result<ExitCode, Error> {
    let options = args.simulation.options();
    options.check()?;
    let claims = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let mut scenario = super::load_scenario(&args.file, &claims, &options)?;
    options.apply(&mut scenario)?;
    let watcher = TerminalProgress::on_terminal();
    let progress: &dyn Progress = match &watcher {
        Some(watcher) => watcher,
        None => &Quiet,
    };
    let reports = match &args.samples_out {
        None => pipeline::simulate_watched(&scenario, &options, None, progress)?,
        Some(path) => run_keeping_samples(&scenario, &options, path, progress)?,
    };
    drop(watcher);
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
/// not at all. The CSV is formatted and written on a thread of its own, fed in draw order through
/// a bounded channel, so the merge of the sampling blocks never waits on the formatting.
fn run_keeping_samples(
    scenario: &Scenario,
    options: &RunOptions,
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
        let reports = pipeline::simulate_watched(scenario, options, Some(&mut sink), progress);
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
