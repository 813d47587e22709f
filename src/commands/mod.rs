//! The edge of the program: each subcommand reads its inputs, calls the library and writes
//! what the user asked for. Computation lives elsewhere and does no I/O.

mod atlas;
mod batch;
mod check;
mod check_output;
mod compare;
mod explain;
mod export;
mod graph;
mod import;
mod merge;
mod meta;
mod progress;
mod run;
mod serve;
mod sweep;

use crate::cli::{Cli, Command};
use claimsim::analysis::RunReport;
use claimsim::error::Error;
use claimsim::manifest::{MANIFEST, OutputLock, RunFolder};
use claimsim::output::write_atomically;
use claimsim::pipeline::RunOptions;
use claimsim::plot;
use claimsim::report;
use claimsim::scenario::Scenario;
use claimsim::scenario::catalogue::CatalogueFinder;
use std::path::Path;
use std::process::ExitCode;

/// Runs a parsed command line; the exit code says whether every input was valid.
pub fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Batch(args) => batch::run(&args),
        Command::CheckOutput(args) => check_output::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::New(args) => meta::new(&args),
        Command::Completions(args) => meta::completions(&args),
        Command::Man(args) => meta::man(&args),
        Command::Import(args) => import::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Atlas(args) => atlas::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Sweep(args) => sweep::run(&args),
        Command::Merge(args) => merge::run(&args),
    }
}

/// Loads a scenario for a command that runs it, warning on standard error when it cites claims
/// but no catalogue applies (it still runs: a copy taken out of the repository should).
/// Also warns when a knockout override cancels a press an intervention relies on.
fn load_scenario(
    path: &Path,
    claims: &CatalogueFinder,
    options: &RunOptions,
) -> Result<Scenario, Error> {
    let scenario = claimsim::scenario::load(path, claims)?;
    if let Some(warning) = claims.missing_warning(&scenario)? {
        eprintln!("{warning}\n");
    }
    for warning in options.overrides.cancelled_presses(&scenario) {
        eprintln!("{warning}\n");
    }
    Ok(scenario)
}

/// The chart format asked for, or none with `--no-plots`.
pub(crate) fn chart_format(no_plots: bool, svg: bool) -> Option<plot::ChartFormat> {
    match (no_plots, svg) {
        (true, _) => None,
        (false, true) => Some(plot::ChartFormat::Svg),
        (false, false) => Some(plot::ChartFormat::Png),
    }
}

/// Writes one scenario's run outputs into `dir`: summary.json, outcomes.csv and, unless
/// `charts` is `None`, the charts, then removes the previous run's files it did not rewrite and
/// writes manifest.json last. Each file is claimed in `dir`'s manifest, and in `parent`'s (the
/// batch folder holding `dir`), before it is written. Returns the paths written, the manifest
/// last.
pub(crate) fn write_run_outputs(
    dir: &Path,
    scenario: &Scenario,
    reports: &[RunReport],
    charts: Option<plot::ChartFormat>,
    parent: Option<&RunFolder>,
) -> Result<Vec<String>, Error> {
    let mut written = vec![dir.join("summary.json"), dir.join("outcomes.csv")];
    if let Some(parent) = parent {
        parent.claim(&[dir.join(MANIFEST), written[0].clone(), written[1].clone()])?;
    }
    let folder = RunFolder::begin(dir, &command_line())?;
    folder.claim(&written)?;
    write_atomically(&written[0], report::json::to_json(reports).as_bytes())?;
    write_atomically(&written[1], report::csv::outcomes_csv(reports).as_bytes())?;
    if let Some(format) = charts {
        let options = plot::PlotOptions {
            format,
            ..plot::PlotOptions::default()
        };
        let rendered = plot::render_charts(scenario, reports, &options)?;
        let paths: Vec<_> = rendered.iter().map(|c| dir.join(&c.file_name)).collect();
        if let Some(parent) = parent {
            parent.claim(&paths)?;
        }
        folder.claim(&paths)?;
        for (chart, path) in rendered.iter().zip(paths) {
            write_atomically(&path, &chart.bytes)?;
            written.push(path);
        }
    }
    folder.finish(&written)?;
    written.push(dir.join(MANIFEST));
    Ok(written.iter().map(|p| p.display().to_string()).collect())
}

/// This process's command line, as recorded in manifests.
pub(crate) fn command_line() -> Vec<String> {
    std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
}

/// Takes the lock on an output folder, so no other claimsim writes into it meanwhile; says so
/// on standard error when it takes over a lock left by a process that is gone.
pub(crate) fn lock_output(dir: &Path) -> Result<OutputLock, Error> {
    let (lock, note) = OutputLock::acquire(dir)?;
    if let Some(note) = note {
        eprintln!("{}", report::text::terminal_safe(&note));
    }
    Ok(lock)
}

/// The reports in the format asked for on standard output.
pub(crate) fn render(
    format: crate::cli::OutputFormat,
    reports: &[RunReport],
    support: f64,
) -> String {
    use crate::cli::OutputFormat;
    match format {
        OutputFormat::Text => {
            report::text::terminal_safe(&report::text::to_text(reports, support)).into_owned()
        }
        OutputFormat::Json => report::json::to_json(reports),
        OutputFormat::Csv => report::csv::outcomes_csv(reports),
    }
}

/// Writes to standard output. A closed pipe (`claimsim ... | head`) is not an error: the reader
/// has all it wanted.
pub(crate) fn emit(text: impl AsRef<[u8]>) -> Result<(), Error> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_ref())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::run_failed(
            format!("could not write to standard output: {e}"),
            "check the file or program that standard output goes to",
        )),
        _ => Ok(()),
    }
}
