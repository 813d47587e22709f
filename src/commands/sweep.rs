//! `claimsim sweep`: knock out every node and block every link of every scenario, one at a
//! time, and write which expectation verdicts flip (docs/sweep.md).

use super::batch::{common_root, progress_bar};
use super::{command_line, lock_output};
use crate::cli::SweepArgs;
use claimsim::discover::scenario_files;
use claimsim::error::{EXIT_INVALID_INPUT, EXIT_RUN_FAILED, Error};
use claimsim::manifest::RunFolder;
use claimsim::output::{create_dir, write_atomically};
use claimsim::pipeline::RunOptions;
use claimsim::pipeline::batch::{slug, unique_slugs};
use claimsim::pipeline::sweep::{self, Perturbation, SweepPlan, SweepResult, UnitOutcome};
use claimsim::report::sweep::{
    Named, fragilities, fragility_claims_csv, fragility_csv, skipped_csv,
};
use claimsim::report::text::terminal_safe;
use claimsim::scenario::Method;
use claimsim::scenario::catalogue::CatalogueFinder;
use claimsim::scenario::overrides::Overrides;
use claimsim::shard::{Input, Part, Results, Settings, Shard};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Samples per unit when -n is not given: enough to tell a clear verdict from a flip, few
/// enough that the shipped library sweeps in minutes.
pub const DEFAULT_SWEEP_SAMPLES: u64 = 1000;

/// How many of the most fragile expectations the terminal lists.
const SHOWN: usize = 10;

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
    ) -> Result<Job, Error> {
        let claims = CatalogueFinder::new(claims_path)?;
        let found = scenario_files(&paths)?;
        for note in &found.notes {
            eprintln!("{}", terminal_safe(note));
        }
        let plan = sweep::plan(&found.files, &claims, &options)?;
        let settings = settings(&paths, claims_path, &options);
        Ok(Job {
            paths,
            claims,
            options,
            settings,
            files: found.files,
            plan,
        })
    }

    /// Every scenario file and the catalogues they cite, as read now.
    fn inputs(&self) -> Result<Vec<Input>, Error> {
        let mut inputs: Vec<Input> = Vec::new();
        let mut catalogues: Vec<PathBuf> = Vec::new();
        for file in &self.files {
            inputs.push(input(file));
            if let Ok(Some(catalogue)) = self.claims.for_scenario(file)
                && !catalogues.contains(&catalogue.path)
            {
                catalogues.push(catalogue.path.clone());
            }
        }
        inputs.extend(catalogues.iter().map(|c| input(c)));
        Ok(inputs)
    }

    fn names(&self) -> Vec<String> {
        let root = common_root(&self.paths);
        unique_slugs(self.files.iter().map(|p| slug(p, &root)).collect())
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }
}

/// A file's size and hash, named relative to the current folder when it is inside it (so
/// shards whose nodes mount the project at different places still agree).
fn input(path: &Path) -> Input {
    let cwd = std::env::current_dir().unwrap_or_default();
    let shown = path.strip_prefix(&cwd).unwrap_or(path);
    match std::fs::read(path) {
        Ok(bytes) => Input::of(shown, &bytes),
        Err(_) => Input {
            path: shown.display().to_string(),
            bytes: 0,
            fnv1a64: "unreadable".to_string(),
        },
    }
}

/// The settings that fix a sweep's numbers, as a part records them.
fn settings(paths: &[PathBuf], claims: Option<&Path>, options: &RunOptions) -> Settings {
    let o = &options.overrides;
    Settings {
        paths: paths.iter().map(|p| p.display().to_string()).collect(),
        claims: claims.map(|c| c.display().to_string()),
        method: options.method.map(|m| m.as_str().to_string()),
        samples: options.samples,
        seed: options.seed,
        press: o.press.clone(),
        knockout: o.knockout.clone(),
        block: o.block.clone(),
        weight: o.weight.clone(),
        intervention: o.intervention.clone(),
        no_evidence: o.no_evidence,
    }
}

/// The options a part's settings stand for.
fn options_of(settings: &Settings) -> Result<RunOptions, Error> {
    let method = match &settings.method {
        None => None,
        Some(m) => Some(Method::parse(m).ok_or_else(|| {
            Error::usage(
                format!("the parts name an unknown method '{m}'"),
                "rerun the shards with this claimsim",
            )
        })?),
    };
    Ok(RunOptions {
        method,
        samples: settings.samples,
        seed: settings.seed,
        threads: None,
        overrides: Overrides {
            press: settings.press.clone(),
            knockout: settings.knockout.clone(),
            block: settings.block.clone(),
            weight: settings.weight.clone(),
            intervention: settings.intervention.clone(),
            no_evidence: settings.no_evidence,
        },
    })
}

pub fn run(args: &SweepArgs) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let mut options = args.simulation.options();
    options.samples = options.samples.or(Some(DEFAULT_SWEEP_SAMPLES));
    let job = Job::new(args.paths.clone(), args.claims.claims.as_deref(), options)?;
    if let Some(shard) = args.shard {
        return run_shard(&job, shard, &args.output, started);
    }
    let _lock = lock_output(&args.output)?;
    let bar = progress_bar(job.plan.units.len(), "runs");
    let result = sweep::run(&job.plan, &job.options, &|| bar.inc(1))?;
    bar.finish_and_clear();
    finish(&job, &result, &args.output, started)
}

/// One shard: its units, written as a part file to `output`.
fn run_shard(job: &Job, shard: Shard, output: &Path, started: Instant) -> Result<ExitCode, Error> {
    let inputs = job.inputs()?;
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
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dir(parent)?;
    }
    write_atomically(output, part.to_file()?.as_bytes())?;
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
    let options = options_of(&first.settings)?;
    let paths = first.settings.paths.iter().map(PathBuf::from).collect();
    let claims = first.settings.claims.as_ref().map(PathBuf::from);
    let job = Job::new(paths, claims.as_deref(), options)?;
    check_inputs(first_path, &first.inputs, &job.inputs()?)?;
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
    for (_, part) in parts {
        match part.results {
            Results::Sweep(units) => outcomes.extend(units),
        }
    }
    outcomes.sort_by_key(|(k, _)| *k);
    let result = sweep::compare(&job.plan, outcomes.into_iter().map(|(_, o)| o).collect())?;
    finish(&job, &result, output, started)
}

/// The inputs as the shards read them must be the inputs as they are now.
fn check_inputs(part: &Path, then: &[Input], now: &[Input]) -> Result<(), Error> {
    if then == now {
        return Ok(());
    }
    let what = match then.iter().find(|i| !now.contains(i)) {
        Some(i) if now.iter().any(|n| n.path == i.path) => {
            format!("'{}' changed since the shards read it", i.path)
        }
        Some(i) => format!("'{}' is gone or no longer found", i.path),
        None => match now.iter().find(|i| !then.contains(i)) {
            Some(i) => format!("'{}' is new since the shards ran", i.path),
            None => "the scenario files are found in another order".to_string(),
        },
    };
    Err(Error::usage(
        format!(
            "the inputs of '{}' differ from the files here: {what}",
            part.display()
        ),
        "merge in the folder the shards ran in, with the same files; if the files changed on purpose, rerun every shard",
    ))
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
    let files = [
        ("fragility.csv", fragility_csv(&named)),
        ("fragility-claims.csv", fragility_claims_csv(&named)),
        ("skipped.csv", skipped_csv(&named)),
    ];
    let mut written = Vec::new();
    for (name, contents) in files {
        let path = output.join(name);
        write_atomically(&path, contents.as_bytes())?;
        written.push(path);
    }
    folder.finish(&written)?;
    report_to_terminal(&named, output, started)?;
    Ok(exit_code(&job.plan, result))
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
