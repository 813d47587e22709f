//! `claimsim sweep`: knock out every node and block every link of every scenario, one at a
//! time, and write which expectation verdicts flip (docs/sweep.md).

use super::batch::{common_root, progress_bar};
use crate::cli::SweepArgs;
use claimsim::discover::scenario_files;
use claimsim::error::{EXIT_INVALID_INPUT, EXIT_RUN_FAILED, Error};
use claimsim::output::{create_dir, write_atomically};
use claimsim::pipeline::batch::{slug, unique_slugs};
use claimsim::pipeline::sweep::{self, Perturbation, SweepPlan, SweepResult};
use claimsim::report::sweep::{
    Named, fragilities, fragility_claims_csv, fragility_csv, skipped_csv,
};
use claimsim::report::text::terminal_safe;
use claimsim::scenario::catalogue::CatalogueFinder;
use std::process::ExitCode;
use std::time::Instant;

/// Samples per unit when -n is not given: enough to tell a clear verdict from a flip, few
/// enough that the shipped library sweeps in minutes.
pub const DEFAULT_SWEEP_SAMPLES: u64 = 1000;

/// How many of the most fragile expectations the terminal lists.
const SHOWN: usize = 10;

pub fn run(args: &SweepArgs) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let claims = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let found = scenario_files(&args.paths)?;
    for note in &found.notes {
        eprintln!("{}", terminal_safe(note));
    }
    let mut options = args.simulation.options();
    options.samples = options.samples.or(Some(DEFAULT_SWEEP_SAMPLES));
    let plan = sweep::plan(&found.files, &claims, &options)?;
    let bar = progress_bar(plan.units.len(), "runs");
    let result = sweep::run(&plan, &options, &|| bar.inc(1))?;
    bar.finish_and_clear();
    let root = common_root(&args.paths);
    let names: Vec<String> = unique_slugs(found.files.iter().map(|p| slug(p, &root)).collect())
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let named = Named {
        plan: &plan,
        result: &result,
        names: &names,
    };
    create_dir(&args.output)?;
    write_atomically(
        &args.output.join("fragility.csv"),
        fragility_csv(&named).as_bytes(),
    )?;
    write_atomically(
        &args.output.join("fragility-claims.csv"),
        fragility_claims_csv(&named).as_bytes(),
    )?;
    write_atomically(
        &args.output.join("skipped.csv"),
        skipped_csv(&named).as_bytes(),
    )?;
    report_to_terminal(&named, args, started)?;
    Ok(exit_code(&plan, &result))
}

fn report_to_terminal(named: &Named, args: &SweepArgs, started: Instant) -> Result<(), Error> {
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
        let e = result
            .baselines
            .iter()
            .find(|(s, r)| *s == f.first.scenario && r.method == f.first.method.as_str())
            .and_then(|(_, r)| r.expectations.get(f.first.expectation));
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
        args.output.join("fragility-claims.csv").display()
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
        .map(|f| &f.error);
    match load.chain(unperturbed).map(Error::exit_code).max() {
        None => ExitCode::SUCCESS,
        Some(EXIT_INVALID_INPUT) => ExitCode::from(EXIT_INVALID_INPUT),
        Some(_) => ExitCode::from(EXIT_RUN_FAILED),
    }
}
