//! `claimsim explain`: signed paths, loops and a plain-language account of one outcome.

use crate::cli::ExplainArgs;
use claimsim::error::Error;
use claimsim::pipeline::explain::{Question, explain};
use claimsim::report;
use claimsim::scenario::catalogue::CatalogueFinder;
use std::process::ExitCode;

/// Samples behind the account unless `-n` says otherwise: enough for probabilities to three
/// decimals, quick on any scenario.
const DEFAULT_SAMPLES: u64 = 10_000;

pub fn run(args: &ExplainArgs) -> Result<ExitCode, Error> {
    let mut options = args.simulation.options();
    options.samples = options.samples.or(Some(DEFAULT_SAMPLES));
    options.check()?;
    let claims = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let scenario = super::load_scenario(&args.file, &claims, &options)?;
    let question = match args.expect {
        Some(n) => Question::Expectation(n),
        None => Question::Nodes {
            from: args.from.as_deref().unwrap_or_default(),
            to: args.to.as_deref().unwrap_or_default(),
        },
    };
    let explanation = explain(&scenario, question, &options)?;
    super::emit(report::explain::to_text(&scenario, &explanation))?;
    Ok(ExitCode::SUCCESS)
}
