//! `claimsim batch`: run every scenario under folders in parallel, write one output folder per
//! scenario and the summaries at the top, report failures and carry on.

use super::atlas::{load_aliases, write_atlas_outputs};
use super::{chart_format, command_line, lock_output, write_run_outputs};
use crate::cli::BatchArgs;
use claimsim::analysis::RunReport;
use claimsim::analysis::held_out::Support;
use claimsim::discover::scenario_files;
use claimsim::error::{EXIT_INVALID_INPUT, EXIT_RUN_FAILED, Error};
use claimsim::manifest::RunFolder;
use claimsim::pipeline::RunOptions;
use claimsim::pipeline::atlas::scenarios::scenario_conflicts;
use claimsim::pipeline::atlas::{self, AtlasSettings, aliases};
use claimsim::pipeline::batch::{
    BatchItem, BatchOutcome, items_from, run_all, run_shard as run_shard_units,
};
use claimsim::pipeline::{fit, with_threads};
use claimsim::plot::{ChartFormat, PlotOptions, render_library_claims};
use claimsim::report::atlas::{
    atlas_section_html, scenario_conflicts_csv, scenario_conflicts_html,
};
use claimsim::report::batch::{
    Failed, Ran, claims_csv, evidence_changes, summary_csv, support_counts, verdict_counts,
};
use claimsim::report::html::{Charts, Sections, index_html};
use claimsim::report::sweep_html::batch_section;
use claimsim::report::text::terminal_safe;
use claimsim::scenario::Scenario;
use claimsim::scenario::catalogue::{Catalogue, CatalogueFinder};
use claimsim::shard::{Part, Results, Shard};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

/// Where and what a batch writes.
struct Layout<'a> {
    output: &'a Path,
    no_plots: bool,
    no_atlas: bool,
    svg: bool,
    threads: Option<usize>,
}

pub fn run(args: &BatchArgs) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let claims = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let found = scenario_files(&args.paths)?;
    for note in &found.notes {
        eprintln!("{}", terminal_safe(note));
    }
    let files = found.files;
    let options = args.simulation.options();
    if let Some(shard) = args.shard {
        return run_shard(args, &files, &claims, &options, shard, started);
    }
    let _lock = lock_output(&args.output)?;
    let root = common_root(&args.paths);
    let bar = progress_bar(files.len(), "scenarios");
    let tick = |_: &Path| bar.inc(1);
    let items = run_all(&files, &root, &claims, &options, &tick)?;
    bar.finish_and_clear();
    let layout = Layout {
        output: &args.output,
        no_plots: args.no_plots,
        no_atlas: args.no_atlas,
        svg: args.svg,
        threads: args.simulation.threads,
    };
    write_all(&layout, &items, &files, &claims, started)
}

/// One shard: its scenarios' reports, written as a part file to `-o`.
fn run_shard(
    args: &BatchArgs,
    files: &[PathBuf],
    claims: &CatalogueFinder,
    options: &RunOptions,
    shard: Shard,
    started: Instant,
) -> Result<ExitCode, Error> {
    let inputs = super::merge::inputs(files, claims);
    let mine = (0..files.len()).filter(|&k| shard.owns(k)).count();
    let bar = progress_bar(mine, "scenarios");
    let tick = |_: &Path| bar.inc(1);
    let outcomes = run_shard_units(files, claims, options, shard, &tick)?;
    bar.finish_and_clear();
    let flags = [args.no_plots, args.no_atlas, args.svg];
    let settings =
        super::merge::settings(&args.paths, args.claims.claims.as_deref(), options, flags);
    let part = Part::new(
        shard,
        settings,
        inputs,
        files.len(),
        Results::Batch(outcomes),
    );
    super::merge::write_part(&args.output, &part)?;
    super::emit(format!(
        "shard {}: {mine} of {} scenarios in {:.1} s; wrote {}\n",
        shard.label(),
        files.len(),
        started.elapsed().as_secs_f64(),
        terminal_safe(&args.output.display().to_string())
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// `claimsim merge` of batch parts (already checked to be one job's complete set): loads the
/// scenarios again, refuses if any input changed since the shards read it, and writes what one
/// process would have written.
pub(super) fn merge(parts: Vec<(PathBuf, Part)>, output: &Path) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let (first_path, first) = &parts[0];
    let settings = first.settings.clone();
    let options = super::merge::options_of(&settings)?;
    let paths: Vec<PathBuf> = settings.paths.iter().map(PathBuf::from).collect();
    let claims_path = settings.claims.as_ref().map(PathBuf::from);
    let claims = CatalogueFinder::new(claims_path.as_deref())?;
    let files = scenario_files(&paths)?.files;
    let now = super::merge::inputs(&files, &claims);
    super::merge::check_inputs(first_path, &first.inputs, &now)?;
    let _lock = lock_output(output)?;
    let mut outcomes: Vec<(usize, BatchOutcome)> = Vec::with_capacity(files.len());
    let mut from: Vec<(usize, PathBuf)> = Vec::with_capacity(files.len());
    for (path, part) in parts {
        if let Results::Batch(units) = part.results {
            from.extend(units.iter().map(|(k, _)| (*k, path.clone())));
            outcomes.extend(units);
        }
    }
    from.sort_by_key(|(k, _)| *k);
    outcomes.sort_by_key(|(k, _)| *k);
    let outcomes = outcomes.into_iter().map(|(_, o)| o).collect();
    let items = items_from(&files, &common_root(&paths), &claims, &options, outcomes);
    check_reports(&items, &from)?;
    let layout = Layout {
        output,
        no_plots: settings.no_plots,
        no_atlas: settings.no_atlas,
        svg: settings.svg,
        threads: None,
    };
    write_all(&layout, &items, &files, &claims, started)
}

/// Each merged scenario's reports fit the scenario (a part sealed again after a hand edit
/// could hold anything); `from` names the part each item came from.
fn check_reports(items: &[BatchItem], from: &[(usize, PathBuf)]) -> Result<(), Error> {
    for (item, (_, part)) in items.iter().zip(from) {
        if let Ok((scenario, reports)) = &item.result {
            fit::reports_fit(scenario, reports).map_err(|why| {
                let why = format!("its reports of {} do not fit: {why}", item.path.display());
                super::sweep::unfit(part, why)
            })?;
        }
    }
    Ok(())
}

/// Everything a batch writes, from its items, and the report on the terminal.
fn write_all(
    layout: &Layout,
    items: &[BatchItem],
    files: &[PathBuf],
    claims: &CatalogueFinder,
    started: Instant,
) -> Result<ExitCode, Error> {
    for note in items.iter().filter_map(|i| i.slug_note.as_deref()) {
        eprintln!("{}", terminal_safe(note));
    }
    let output = layout.output;
    let folder = RunFolder::begin(output, &command_line())?;
    let (ran, failed) = split(items);
    for r in &ran {
        if let Some(warning) = claims.missing_warning(r.scenario)? {
            eprintln!("{warning}\n");
        }
    }
    let charts = chart_format(layout.no_plots, layout.svg);
    let (chart_files, mut written) =
        write_scenario_outputs(&folder, output, &ran, charts, layout.threads)?;
    if let Some(format) = charts {
        let pages = || write_library_claims(&folder, output, &ran, format);
        written.extend(with_threads(layout.threads, pages)??);
    }
    let catalogue = catalogue_of(files, claims)?;
    let atlas = (!layout.no_atlas).then(|| AtlasSettings {
        threads: layout.threads,
        ..AtlasSettings::default()
    });
    let summaries = Summaries {
        items,
        ran: &ran,
        failed: &failed,
        catalogue: catalogue.as_deref(),
    };
    written.extend(write_summaries(
        &folder,
        output,
        &summaries,
        &chart_files,
        atlas.as_ref(),
        charts,
    )?);
    folder.finish(&written)?;
    report_to_terminal(&ran, &failed, output, started)?;
    Ok(exit_code(items))
}

/// Each scenario's folder, rendered and written in parallel (chart drawing is most of a batch's
/// work after solving); returns each scenario's chart files, in the order of `ran`, and every
/// file written.
fn write_scenario_outputs<'a>(
    folder: &RunFolder,
    out: &Path,
    ran: &[Ran<'a>],
    charts: Option<ChartFormat>,
    threads: Option<usize>,
) -> Result<(Vec<Charts<'a>>, Vec<PathBuf>), Error> {
    use rayon::prelude::*;
    let written = with_threads(threads, || {
        ran.par_iter()
            .map(|r| {
                let dir = out.join(r.slug);
                write_run_outputs(&dir, r.scenario, r.reports, charts, Some(folder))
            })
            .collect::<Result<Vec<_>, Error>>()
    })??;
    let charts = ran
        .iter()
        .zip(&written)
        .map(|(r, files)| charts_of(r.slug, files))
        .collect();
    let files = written.into_iter().flatten().map(PathBuf::from).collect();
    Ok((charts, files))
}

/// The library-wide claims chart at the top of the output folder; returns the files written.
fn write_library_claims(
    folder: &RunFolder,
    out: &Path,
    ran: &[Ran],
    format: ChartFormat,
) -> Result<Vec<PathBuf>, Error> {
    let runs: Vec<(&Scenario, &[RunReport])> =
        ran.iter().map(|r| (r.scenario, r.reports)).collect();
    let options = PlotOptions {
        format,
        ..PlotOptions::default()
    };
    let mut written = Vec::new();
    for chart in render_library_claims(&runs, &options)? {
        let path = out.join(&chart.file_name);
        folder.write(&path, &chart.bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// A bar on standard error counting `what` (scenarios, runs) that hides itself when that is
/// not a terminal.
pub(super) fn progress_bar(len: usize, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    let template = format!("{{bar:40}} {{pos}}/{{len}} {what} {{elapsed}}");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

/// The folder that scenario slugs are made relative to: the single folder given, else ".".
pub(super) fn common_root(paths: &[PathBuf]) -> PathBuf {
    match paths {
        [one] if one.is_dir() => one.clone(),
        _ => PathBuf::from("."),
    }
}

fn split(items: &[BatchItem]) -> (Vec<Ran<'_>>, Vec<Failed<'_>>) {
    let mut ran = Vec::new();
    let mut failed = Vec::new();
    for item in items {
        match &item.result {
            Ok((scenario, reports)) => ran.push(Ran {
                slug: &item.slug,
                scenario,
                reports,
            }),
            Err(e) => failed.push(Failed {
                slug: &item.slug,
                path: item.path.display().to_string(),
                message: e.to_string(),
            }),
        }
    }
    (ran, failed)
}

/// The catalogue the batch's scenarios cite (that of the first file), if any.
fn catalogue_of(
    files: &[PathBuf],
    claims: &CatalogueFinder,
) -> Result<Option<Arc<Catalogue>>, Error> {
    Ok(files
        .first()
        .map(|f| claims.for_scenario(f))
        .transpose()?
        .flatten())
}

/// What the top-level files are made from.
struct Summaries<'a> {
    items: &'a [BatchItem],
    ran: &'a [Ran<'a>],
    failed: &'a [Failed<'a>],
    /// The catalogue the scenarios cite, if any.
    catalogue: Option<&'a Catalogue>,
}

/// summary.csv, claims.csv, conflicts.csv, index.html and, with `atlas` settings and a
/// catalogue, the atlas in `atlas/`; returns the files written.
fn write_summaries(
    folder: &RunFolder,
    out: &Path,
    s: &Summaries,
    charts: &[Charts],
    atlas: Option<&AtlasSettings>,
    picture: Option<ChartFormat>,
) -> Result<Vec<PathBuf>, Error> {
    let (ran, failed, catalogue) = (s.ran, s.failed, s.catalogue);
    let aliases_path = catalogue.and_then(|c| aliases::beside(&c.path));
    let aliases = load_aliases(aliases_path.as_deref())?;
    let conflicts = scenario_conflicts(s.items, &aliases);
    let mut files = vec![(
        out.join("conflicts.csv"),
        scenario_conflicts_csv(&conflicts).into_bytes(),
    )];
    let mut written = Vec::new();
    // Sweeps written into this folder are linked at the top (docs/sweep.md).
    let sweeps = super::sweep::sweeps_in(out);
    let mut sections = Sections {
        top: batch_section(&sweeps) + &scenario_conflicts_html(&conflicts),
        bottom: String::new(),
    };
    if let (Some(settings), Some(catalogue)) = (atlas, catalogue) {
        let (built, report) = atlas::run(catalogue, &aliases, aliases_path.as_deref(), settings)?;
        let dir = out.join("atlas");
        written = write_atlas_outputs(&dir, &built, &report, catalogue, picture, Some(folder))?;
        let picture_name = picture.map(super::atlas::picture_file);
        sections.bottom = atlas_section_html(&report, "atlas/", picture_name.as_deref());
    }
    files.push((
        out.join("summary.csv"),
        summary_csv(ran, failed).into_bytes(),
    ));
    files.push((
        out.join("claims.csv"),
        claims_csv(ran, catalogue).into_bytes(),
    ));
    let html = index_html(
        "claimsim batch report",
        ran,
        failed,
        charts,
        catalogue,
        &sections,
    );
    files.push((out.join("index.html"), html.into_bytes()));
    for (path, bytes) in files {
        folder.write(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// The charts among the files written for a scenario (one per method with `--method all`, e.g.
/// `outcomes-ode.png`), as links relative to the index, in the order of the charts' kinds.
fn charts_of<'a>(slug: &'a str, written: &[String]) -> Charts<'a> {
    const KINDS: [&str; 7] = [
        "claims",
        "outcomes",
        "effects",
        "network",
        "sensitivity",
        "timecourse",
        "methods",
    ];
    let mut files: Vec<String> = written
        .iter()
        .filter_map(|path| Path::new(path).file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".png") || name.ends_with(".svg"))
        .collect();
    let kind = |name: &str| {
        KINDS
            .iter()
            .position(|k| name.starts_with(k))
            .unwrap_or(KINDS.len())
    };
    files.sort_by(|a, b| kind(a).cmp(&kind(b)).then_with(|| a.cmp(b)));
    let files = files.into_iter().map(|f| format!("{slug}/{f}")).collect();
    Charts { slug, files }
}

/// Failures go to standard error; the verdict counts and the totals, the batch's result, to
/// standard output.
fn report_to_terminal(
    ran: &[Ran],
    failed: &[Failed],
    out: &Path,
    started: Instant,
) -> Result<(), Error> {
    for f in failed {
        eprintln!("{}\n", terminal_safe(&f.message));
    }
    let mut summary = String::new();
    for (method, [supported, contradicted, ambivalent, inexpressible]) in verdict_counts(ran) {
        let inexpressible = if inexpressible > 0 {
            format!(", {inexpressible} not expressible (interaction)")
        } else {
            String::new()
        };
        summary.push_str(&format!(
            "{method}: {supported} supported, {ambivalent} ambivalent, {contradicted} contradicted{inexpressible}\n"
        ));
    }
    let changes = evidence_changes(ran);
    for (method, counts) in support_counts(ran) {
        let classes: Vec<String> = Support::ALL
            .iter()
            .zip(counts)
            .map(|(s, k)| format!("{k} {}", s.as_str()))
            .collect();
        summary.push_str(&format!(
            "{method} support: {}; {} verdicts changed by the evidence rules\n",
            classes.join(", "),
            changes.get(&method).copied().unwrap_or(0)
        ));
    }
    summary.push_str(&format!(
        "{} scenarios run, {} failed, in {:.1} s; see {}\n",
        ran.len(),
        failed.len(),
        started.elapsed().as_secs_f64(),
        out.join("index.html").display()
    ));
    super::emit(summary)
}

/// 0 when everything ran, 2 when an input was invalid, 1 when a valid run failed.
fn exit_code(items: &[BatchItem]) -> ExitCode {
    let codes = items
        .iter()
        .filter_map(|i| i.result.as_ref().err())
        .map(Error::exit_code);
    match codes.max() {
        None => ExitCode::SUCCESS,
        Some(EXIT_INVALID_INPUT) => ExitCode::from(EXIT_INVALID_INPUT),
        Some(_) => ExitCode::from(EXIT_RUN_FAILED),
    }
}
