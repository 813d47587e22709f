//! `claimsim sweep`: knock out every node and block every link of every scenario, one at a
//! time, and write which expectation verdicts flip (docs/sweep.md).

use super::batch::{common_root, progress_bar};
use super::{command_line, lock_output};
use crate::cli::SweepArgs;
use claimsim::discover::scenario_files;
use claimsim::error::{EXIT_INVALID_INPUT, EXIT_RUN_FAILED, Error};
use claimsim::manifest::RunFolder;
use claimsim::pipeline::RunOptions;
use claimsim::pipeline::batch::{slug, unique_slugs};
use claimsim::pipeline::sweep::{self, Pairs, Perturbation, SweepPlan, SweepResult, UnitOutcome};
use claimsim::plot::{PlotOptions, render_fragility};
use claimsim::report::sweep::{
    Named, chart_subtitle, fragilities, fragility_claims_csv, fragility_csv, fragility_rows,
    skipped_csv,
};
use claimsim::report::sweep_html::{PageLinks, sweep_html};
use claimsim::report::text::terminal_safe;
use claimsim::scenario::catalogue::CatalogueFinder;
use claimsim::shard::{Input, Part, Results, Settings, Shard};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Samples per unit when -n is not given: enough to tell a clear verdict from a flip, few
/// enough that the shipped library sweeps in minutes.
pub const DEFAULT_SWEEP_SAMPLES: u64 = 1000;

/// How many of the most fragile expectations the terminal lists.
const SHOWN: usize = 10;

/// `--max-pairs` when not given: about a quarter of an hour of press runs at the default
/// samples on two cores.
pub const DEFAULT_MAX_PAIRS: u64 = 20_000;

/// A sweep's inputs, whether from the command line or from the parts of a merge.
struct Job {
    paths: Vec<PathBuf>,
    claims: CatalogueFinder,
    options: RunOptions,
    settings: Settings,
    files: Vec<PathBuf>,
    plan: SweepPlan,
}

impl Job {
    fn new(
        paths: Vec<PathBuf>,
        claims_path: Option<&Path>,
        options: RunOptions,
        pairs: Option<Pairs>,
    ) -> Result<Job, Error> {
        let claims = CatalogueFinder::new(claims_path)?;
        let found = scenario_files(&paths)?;
        for note in &found.notes {
            eprintln!("{}", terminal_safe(note));
        }
        let plan = sweep::plan(&found.files, &claims, &options, pairs)?;
        let mut settings =
            super::merge::settings(&paths, claims_path, &options, [false, false, false]);
        settings.pairs = pairs.is_some();
        Ok(Job {
            paths,
            claims,
            options,
            settings,
            files: found.files,
            plan,
        })
    }

    fn inputs(&self) -> Vec<Input> {
        super::merge::inputs(&self.files, &self.claims)
    }

    fn names(&self) -> Vec<String> {
        let root = common_root(&self.paths);
        unique_slugs(self.files.iter().map(|p| slug(p, &root)).collect())
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }
}

pub fn run(args: &SweepArgs) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let mut options = args.simulation.options();
    options.samples = options.samples.or(Some(DEFAULT_SWEEP_SAMPLES));
    let pairs = args.pairs.then(|| Pairs {
        max: args.max_pairs.unwrap_or(DEFAULT_MAX_PAIRS),
    });
    let job = Job::new(
        args.paths.clone(),
        args.claims.claims.as_deref(),
        options,
        pairs,
    )?;
    announce(&job.plan, args.shard);
    if let Some(shard) = args.shard {
        return run_shard(&job, shard, &args.output, started);
    }
    let _lock = lock_output(&args.output)?;
    let bar = progress_bar(job.plan.units.len(), "runs");
    let result = sweep::run(&job.plan, &job.options, &|| bar.inc(1))?;
    bar.finish_and_clear();
    finish(&job, &result, &args.output, started)
}

/// With pairs, says how many runs there will be before any starts (pairs grow fast).
fn announce(plan: &SweepPlan, shard: Option<Shard>) {
    if !plan.pairs {
        return;
    }
    let (singles, pairs) = plan.counts();
    let share = shard.map_or(String::new(), |s| {
        format!("; this shard runs {}", sweep::unit_count(plan, s))
    });
    eprintln!(
        "sweep: {} runs planned: {} unperturbed, {singles} single perturbations and {pairs} pairs{share}",
        plan.units.len(),
        plan.units.len() - singles - pairs
    );
}

/// One shard: its units, written as a part file to `output`.
fn run_shard(job: &Job, shard: Shard, output: &Path, started: Instant) -> Result<ExitCode, Error> {
    let inputs = job.inputs();
    let mine = sweep::unit_count(&job.plan, shard);
    let bar = progress_bar(mine, "runs");
    let outcomes = sweep::run_units(&job.plan, &job.options, shard, &|| bar.inc(1))?;
    bar.finish_and_clear();
    let part = Part::new(
        shard,
        job.settings.clone(),
        inputs,
        job.plan.units.len(),
        Results::Sweep(outcomes),
    );
    super::merge::write_part(output, &part)?;
    let invalid = job
        .plan
        .scenarios
        .iter()
        .filter(|s| s.loaded.is_err())
        .count();
    let note = if invalid > 0 {
        format!(" ({invalid} scenarios did not load: merge reports them)")
    } else {
        String::new()
    };
    super::emit(format!(
        "shard {}: {mine} of {} runs in {:.1} s{note}; wrote {}\n",
        shard.label(),
        job.plan.units.len(),
        started.elapsed().as_secs_f64(),
        terminal_safe(&output.display().to_string())
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// `claimsim merge` of sweep parts (already checked to be one job's complete set): reads the
/// scenarios again, refuses if any input changed since the shards read it, and writes what one
/// process would have written.
pub(super) fn merge(parts: Vec<(PathBuf, Part)>, output: &Path) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let (first_path, first) = &parts[0];
    let options = super::merge::options_of(&first.settings)?;
    let paths = first.settings.paths.iter().map(PathBuf::from).collect();
    let claims = first.settings.claims.as_ref().map(PathBuf::from);
    // The cap was checked when the shards planned the same pairs.
    let pairs = first.settings.pairs.then_some(Pairs { max: u64::MAX });
    let job = Job::new(paths, claims.as_deref(), options, pairs)?;
    super::merge::check_inputs(first_path, &first.inputs, &job.inputs())?;
    if job.plan.units.len() != first.total_units {
        return Err(Error::usage(
            format!(
                "the parts hold {} work units; the scenarios give {} now",
                first.total_units,
                job.plan.units.len()
            ),
            "rerun every shard with the scenarios as they are now",
        ));
    }
    let _lock = lock_output(output)?;
    let mut outcomes: Vec<(usize, UnitOutcome)> = Vec::with_capacity(first.total_units);
    for (path, part) in parts {
        if let Results::Sweep(units) = part.results {
            sweep::check_outcomes(&job.plan, &units).map_err(|why| unfit(&path, why))?;
            outcomes.extend(units);
        }
    }
    outcomes.sort_by_key(|(k, _)| *k);
    let result = sweep::compare(&job.plan, outcomes.into_iter().map(|(_, o)| o).collect())?;
    finish(&job, &result, output, started)
}

/// The refusal of a part whose results do not fit its scenarios.
pub(super) fn unfit(part: &Path, why: String) -> Error {
    Error::usage(
        format!("'{}' does not fit its scenarios: {why}", part.display()),
        "the part was changed after a shard wrote it (its seal was redone); rerun that shard and merge again",
    )
}

/// Writes the sweep's files into `output` (under its manifest) and reports.
fn finish(
    job: &Job,
    result: &SweepResult,
    output: &Path,
    started: Instant,
) -> Result<ExitCode, Error> {
    let names = job.names();
    let named = Named {
        plan: &job.plan,
        result,
        names: &names,
    };
    let folder = RunFolder::begin(output, &command_line())?;
    let samples = job.options.samples.unwrap_or(DEFAULT_SWEEP_SAMPLES);
    let charts = render_fragility(
        fragility_rows(&named),
        &chart_subtitle(&named, samples),
        &PlotOptions::default(),
    )?;
    let chart_names: Vec<String> = charts.iter().map(|c| c.file_name.clone()).collect();
    let batch = batch_page(output);
    let links = PageLinks {
        charts: &chart_names,
        batch: batch.then_some("../index.html"),
    };
    let files = [
        ("fragility.csv", fragility_csv(&named).into_bytes()),
        (
            "fragility-claims.csv",
            fragility_claims_csv(&named).into_bytes(),
        ),
        ("skipped.csv", skipped_csv(&named).into_bytes()),
        ("index.html", sweep_html(&named, &links).into_bytes()),
    ];
    let charts = charts.into_iter().map(|c| (c.file_name, c.bytes));
    let mut written = Vec::new();
    for (name, contents) in files
        .map(|(n, c)| (n.to_string(), c))
        .into_iter()
        .chain(charts)
    {
        let path = output.join(name);
        folder.write(&path, &contents)?;
        written.push(path);
    }
    folder.finish(&written)?;
    report_to_terminal(&named, output, started)?;
    Ok(exit_code(&job.plan, result))
}

/// Whether `output` sits in a batch's output folder (its parent holds a batch's index.html and
/// summary.csv), so the sweep's page can link back to it.
fn batch_page(output: &Path) -> bool {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    parent.join("index.html").is_file() && parent.join("summary.csv").is_file()
}

/// The sweeps written into a batch's output folder: its direct subfolders holding a sweep's
/// index.html and fragility.csv, by name, sorted.
pub(super) fn sweeps_in(batch_output: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(batch_output) else {
        return Vec::new();
    };
    let mut found: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("fragility.csv").is_file() && p.join("index.html").is_file())
        .filter_map(|p| Some(p.file_name()?.to_str()?.to_string()))
        .collect();
    found.sort();
    found
}

fn report_to_terminal(named: &Named, output: &Path, started: Instant) -> Result<(), Error> {
    let (plan, result) = (named.plan, named.result);
    for s in &plan.scenarios {
        if let Err(e) = &s.loaded {
            eprintln!("{}\n", terminal_safe(&e.to_string()));
        }
    }
    let mut text = String::new();
    let fragile: Vec<_> = fragilities(result)
        .into_iter()
        .filter(|f| !f.flipped_by.is_empty())
        .collect();
    if !fragile.is_empty() {
        text.push_str("most fragile expectations (flips / perturbations tried):\n");
    }
    for f in fragile.iter().take(SHOWN) {
        let e = named.expectation(f.first);
        let what = e.map_or(String::new(), |e| {
            format!("\"{}\": {} {}", e.intervention, e.node, e.change)
        });
        text.push_str(&format!(
            "  {}/{} {} {} ({}): {}\n",
            f.flipped_by.len(),
            f.tried,
            named.names[f.first.scenario],
            what,
            f.first.method.as_str(),
            f.flipped_by.join("; ")
        ));
    }
    let flips = result.records.iter().filter(|r| r.flipped()).count();
    text.push_str(&format!(
        "{} runs ({} knockouts skipped, {} failed): {flips} of {} verdicts flipped, {} of {} expectations fragile, in {:.1} s; see {}\n",
        plan.units.len(),
        plan.skipped.len(),
        result.failures.len(),
        result.records.len(),
        fragile.len(),
        fragilities(result).len(),
        started.elapsed().as_secs_f64(),
        output.join("fragility-claims.csv").display()
    ));
    super::emit(terminal_safe(&text).into_owned())
}

/// 0 when every scenario loaded and ran unperturbed, 2 when an input was invalid, 1 when an
/// unperturbed run failed. A perturbed run that fails is a finding (skipped.csv), not a failure.
fn exit_code(plan: &SweepPlan, result: &SweepResult) -> ExitCode {
    let load = plan
        .scenarios
        .iter()
        .filter_map(|s| s.loaded.as_ref().err());
    let unperturbed = result
        .failures
        .iter()
        .filter(|f| f.unit.perturbation == Perturbation::None)
        .map(|f| f.error.exit_code);
    match load.map(Error::exit_code).chain(unperturbed).max() {
        None => ExitCode::SUCCESS,
        Some(EXIT_INVALID_INPUT) => ExitCode::from(EXIT_INVALID_INPUT),
        Some(_) => ExitCode::from(EXIT_RUN_FAILED),
    }
}
