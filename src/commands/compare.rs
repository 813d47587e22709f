//! `claimsim compare`: named interventions and their combinations side by side.

use super::{render, write_run_outputs};
use crate::cli::CompareArgs;
use claimsim::error::Error;
use claimsim::pipeline;
use claimsim::scenario::Scenario;
use claimsim::scenario::catalogue::CatalogueFinder;
use claimsim::scenario::combine::{SharedPress, describe, interventions_for};
use std::process::ExitCode;

pub fn run(args: &CompareArgs) -> Result<ExitCode, Error> {
    let options = args.simulation.options();
    options.check()?;
    let claims = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let mut scenario = super::load_scenario(&args.file, &claims, &options)?;
    let shared = if args.sum {
        SharedPress::Sum
    } else {
        SharedPress::Larger
    };
    let compared = interventions_for(&scenario, &args.interventions, shared)?;
    for built in compared
        .iter()
        .filter(|i| scenario.intervention_index(&i.name).is_none())
    {
        eprintln!("built \"{}\": {}", built.name, describe(&scenario, built));
    }
    keep_expectations_about(&mut scenario, &compared);
    scenario.interventions = compared;
    options.apply(&mut scenario)?;
    let reports = pipeline::simulate(&scenario, &options, None)?;
    super::emit(render(args.format, &reports, scenario.simulation.support))?;
    if let Some(dir) = &args.output {
        let _lock = super::lock_output(dir)?;
        let written = write_run_outputs(
            dir,
            &scenario,
            &reports,
            Some(claimsim::plot::ChartFormat::Png),
            None,
        )?;
        eprintln!("wrote {}", written.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

/// Keeps the expectations whose interventions are all among the compared ones, re-indexed.
fn keep_expectations_about(scenario: &mut Scenario, compared: &[claimsim::scenario::Intervention]) {
    let new_index = |old: usize| {
        compared
            .iter()
            .position(|c| c.name == scenario.interventions[old].name)
    };
    let kept: Vec<_> = scenario
        .expectations
        .iter()
        .filter_map(|e| {
            let intervention = new_index(e.intervention)?;
            let versus = match e.versus {
                Some(v) => Some(new_index(v)?),
                None => None,
            };
            Some(claimsim::scenario::Expectation {
                intervention,
                versus,
                ..e.clone()
            })
        })
        .collect();
    scenario.expectations = kept;
}
