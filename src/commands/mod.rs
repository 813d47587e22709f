//! The edge of the program: each subcommand reads its inputs, calls the library and writes
//! what the user asked for. Computation lives elsewhere and does no I/O.

mod atlas;
mod batch;
mod check;
mod compare;
mod explain;
mod export;
mod graph;
mod import;
mod meta;
mod run;

use crate::analysis::RunReport;
use crate::cli::{Cli, Command};
use crate::error::Error;
use crate::plot;
use crate::report;
use crate::scenario::Scenario;
use std::path::Path;
use std::process::ExitCode;

/// Runs a parsed command line; the exit code says whether every input was valid.
pub fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Batch(args) => batch::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::New(args) => meta::new(&args),
        Command::Completions(args) => meta::completions(&args),
        Command::Man => meta::man(),
        Command::Import(args) => import::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Atlas(args) => atlas::run(&args),
    }
}

/// The hidden sibling a file is written to before it is renamed into place.
pub(crate) fn partial_path(path: &std::path::Path) -> std::path::PathBuf {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{file_name}.partial"))
}

/// Writes a file whole or not at all: into a temporary sibling, then renamed over the target,
/// so an interrupted run never leaves half a file.
pub(crate) fn write_atomically(path: &std::path::Path, contents: &[u8]) -> Result<(), Error> {
    let write_error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{file_name}.partial"));
    std::fs::write(&temporary, contents).map_err(write_error)?;
    std::fs::rename(&temporary, path).map_err(write_error)
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

/// Creates a folder (and its parents) for outputs.
pub(crate) fn create_dir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })
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
/// `charts` is `None`, the charts. Returns the paths written.
pub(crate) fn write_run_outputs(
    dir: &Path,
    scenario: &Scenario,
    reports: &[RunReport],
    charts: Option<plot::ChartFormat>,
) -> Result<Vec<String>, Error> {
    create_dir(dir)?;
    write_atomically(
        &dir.join("summary.json"),
        report::json::to_json(reports).as_bytes(),
    )?;
    write_atomically(
        &dir.join("outcomes.csv"),
        report::csv::outcomes_csv(reports).as_bytes(),
    )?;
    let mut written = vec![dir.join("summary.json"), dir.join("outcomes.csv")];
    if let Some(format) = charts {
        let options = plot::PlotOptions {
            format,
            ..plot::PlotOptions::default()
        };
        written.extend(plot::write_charts(dir, scenario, reports, &options)?);
    }
    Ok(written.iter().map(|p| p.display().to_string()).collect())
}

/// The reports in the format asked for on standard output.
pub(crate) fn render(
    format: crate::cli::OutputFormat,
    reports: &[RunReport],
    support: f64,
) -> String {
    use crate::cli::OutputFormat;
    match format {
        OutputFormat::Text => report::text::to_text(reports, support),
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
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::RunFailed(format!(
            "error: could not write to standard output: {e}"
        ))),
        _ => Ok(()),
    }
}
