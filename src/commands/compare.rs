//! `claimsim compare`: named interventions and their combinations side by side.

use super::{render, write_run_outputs};
use crate::claims::CatalogueFinder;
use crate::cli::CompareArgs;
use crate::error::Error;
use crate::scenario::Scenario;
use crate::scenario::combine::interventions_for;
use crate::scenario::validate::default_max_draws;
use crate::solve;
use std::process::ExitCode;

pub fn run(args: &CompareArgs) -> Result<ExitCode, Error> {
    let claims = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let mut scenario = super::load_scenario(&args.file, &claims)?;
    let compared = interventions_for(&scenario, &args.interventions)?;
    keep_expectations_about(&mut scenario, &compared);
    scenario.interventions = compared;
    if let Some(samples) = args.samples {
        scenario.simulation.samples = samples.max(1);
        scenario.simulation.max_draws = scenario
            .simulation
            .max_draws
            .max(default_max_draws(samples));
    }
    if let Some(seed) = args.seed {
        scenario.simulation.seed = seed;
    }
    let reports = solve::run(&scenario, None)?;
    super::emit(render(args.format, &reports, scenario.simulation.support))?;
    if let Some(dir) = &args.output {
        let written = write_run_outputs(
            dir,
            &scenario,
            &reports,
            Some(crate::plot::ChartFormat::Png),
        )?;
        eprintln!("wrote {}", written.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

/// Keeps the expectations whose interventions are all among the compared ones, re-indexed.
fn keep_expectations_about(scenario: &mut Scenario, compared: &[crate::scenario::Intervention]) {
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
            Some(crate::scenario::Expectation {
                intervention,
                versus,
                ..e.clone()
            })
        })
        .collect();
    scenario.expectations = kept;
}
