//! The solvers: each turns a validated scenario into per-node results under Monte Carlo
//! uncertainty. `lu` and `stability` are the dense kernels the press method is built on;
//! `dopri` and `hill` those of the ode method; `outcome` and `presence` are shared by ode and fcm.

pub mod dopri;
pub mod fcm;
pub mod hill;
pub mod lu;
pub mod ode;
pub mod outcome;
pub mod presence;
pub mod press;
pub mod stability;

use crate::analysis::held_out::HeldOutPlan;
use crate::analysis::{self, PlainVerdict, RunReport};
use crate::error::Error;
use crate::sample::{self, Acceptance, Rejection, TooFewAccepted};
use crate::scenario::{Method, Scenario};

/// Receives raw samples as they are produced, in draw order (`--samples-out`).
pub trait SampleSink {
    /// Called once with the column names (`intervention::node`).
    fn columns(&mut self, method: &str, names: &[String]);
    /// Called with consecutive rows, `names.len()` values each.
    fn rows(&mut self, values: &[f64]);
}

/// Runs the scenario's method (after any overrides) and summarises the result, with every
/// expectation's held-out verdict, support class and verdict without the evidence rules; raw
/// samples go to `sink` when given.
pub fn run(
    scenario: &Scenario,
    sink: Option<&mut dyn SampleSink>,
) -> Result<Vec<RunReport>, Error> {
    match scenario.simulation.method {
        Method::Press => Ok(vec![run_assessed(scenario, Method::Press, sink)?]),
        Method::Ode | Method::Fcm if sink.is_some() => Err(Error::Usage(
            "error: --samples-out writes press samples only\n   = help: run with --method press or --method all".to_string(),
        )),
        Method::All => Ok(vec![
            run_assessed(scenario, Method::Press, sink)?,
            run_assessed(scenario, Method::Ode, None)?,
            run_assessed(scenario, Method::Fcm, None)?,
        ]),
        method => Ok(vec![run_assessed(scenario, method, None)?]),
    }
}

/// One method's report with the held-out verdicts and the verdicts without evidence rules.
fn run_assessed(
    scenario: &Scenario,
    method: Method,
    sink: Option<&mut dyn SampleSink>,
) -> Result<RunReport, Error> {
    let plan = HeldOutPlan::new(scenario, method != Method::Press);
    let mut report = match plan.augmented() {
        // A structural variant never rejects a press draw, so one run gives both.
        Some(augmented) if method == Method::Press && sink.is_none() => {
            let mut report = run_method(augmented, method, None)?;
            let variants = plan.variant_counts(&report);
            plan.strip(&mut report);
            plan.attach(scenario, &mut report, Some(&variants));
            report
        }
        augmented => {
            let mut report = run_method(scenario, method, sink)?;
            // Variants that never settle leave the held-out verdicts undecided, not the run failed.
            let variants = augmented
                .and_then(|a| run_method(a, method, None).ok())
                .map(|r| plan.variant_counts(&r));
            plan.attach(scenario, &mut report, variants.as_deref());
            report
        }
    };
    attach_without_evidence(scenario, method, &mut report);
    Ok(report)
}

/// One method on one scenario, as it is.
fn run_method(
    scenario: &Scenario,
    method: Method,
    sink: Option<&mut dyn SampleSink>,
) -> Result<RunReport, Error> {
    match method {
        Method::Ode => run_ode(scenario),
        Method::Fcm => run_fcm(scenario),
        _ => run_press(scenario, sink),
    }
}

/// Sets every expectation's verdict with the evidence rules switched off: the same draws with
/// every link present (the verdict itself when no link's presence came from the rules).
fn attach_without_evidence(scenario: &Scenario, method: Method, report: &mut RunReport) {
    let plain = if scenario.has_evidence_presence() {
        run_method(&scenario.without_evidence(), method, None).ok()
    } else {
        None
    };
    for (k, e) in report.expectations.iter_mut().enumerate() {
        let source = match &plain {
            Some(p) => p.expectations.get(k),
            None if scenario.has_evidence_presence() => None,
            None => Some(&*e),
        };
        e.without_evidence = source.map(|x| PlainVerdict {
            probability: x.probability,
            verdict: x.verdict,
        });
    }
}

/// The press method on a scenario.
pub fn run_press(
    scenario: &Scenario,
    sink: Option<&mut dyn SampleSink>,
) -> Result<RunReport, Error> {
    let sim = &scenario.simulation;
    let model = press::PressModel::new(scenario);
    let result = match sink {
        None => sample::run(&model, sim.samples, sim.seed, sim.max_draws),
        Some(sink) => {
            sink.columns("press", &sample_columns(scenario));
            let model = model.keep_samples();
            let mut observe = |block: &press::PressSummary| sink.rows(&block.samples);
            sample::run_observed(&model, sim.samples, sim.seed, sim.max_draws, &mut observe)
        }
    };
    let (summary, acceptance) = result.map_err(|e| too_few_accepted(scenario, &e))?;
    let mut report = analysis::report(
        scenario,
        "press",
        &summary.responses,
        &summary.expectations,
        &acceptance,
    );
    report.sensitivity = analysis::sensitivity(scenario, &summary.sensitivity);
    Ok(report)
}

/// Names of the raw-sample columns: every intervention's nodes, `intervention::node`.
fn sample_columns(scenario: &Scenario) -> Vec<String> {
    scenario
        .interventions
        .iter()
        .flat_map(|i| {
            scenario
                .nodes
                .iter()
                .map(move |n| format!("{}::{}", i.name, n.name))
        })
        .collect()
}

/// The ode method on a scenario: changes, final levels, baseline and time courses.
pub fn run_ode(scenario: &Scenario) -> Result<RunReport, Error> {
    let sim = &scenario.simulation;
    let model = ode::OdeModel::new(scenario)?;
    let (summary, acceptance) = sample::run(&model, sim.samples, sim.seed, sim.max_draws)
        .map_err(|e| too_few_accepted(scenario, &e))?;
    let mut report = level_report(scenario, "ode", &summary.levels, &acceptance);
    analysis::levels::attach_time_courses(&mut report, model.time_courses(&summary.courses));
    Ok(report)
}

/// The fcm method on a scenario: changes, equilibrium levels and baseline.
pub fn run_fcm(scenario: &Scenario) -> Result<RunReport, Error> {
    let sim = &scenario.simulation;
    let model = fcm::FcmModel::new(scenario);
    let (levels, acceptance) = sample::run(&model, sim.samples, sim.seed, sim.max_draws)
        .map_err(|e| too_few_accepted(scenario, &e))?;
    Ok(level_report(scenario, "fcm", &levels, &acceptance))
}

/// The report of a dynamic method: the changes as press reports them, plus levels and baseline.
fn level_report(
    scenario: &Scenario,
    method: &str,
    levels: &outcome::LevelSummary,
    acceptance: &Acceptance,
) -> RunReport {
    let mut report = analysis::report(
        scenario,
        method,
        &levels.changes,
        &levels.expectations,
        acceptance,
    );
    analysis::levels::attach_levels(
        &mut report,
        scenario,
        &levels.baseline,
        &levels.levels,
        acceptance,
    );
    report
}

fn too_few_accepted(scenario: &Scenario, e: &TooFewAccepted) -> Error {
    let a = &e.acceptance;
    let rate = 100.0 * a.accepted as f64 / a.draws.max(1) as f64;
    let reason = match a.main_rejection() {
        Some((Rejection::Condition(i), n)) => {
            let x = &scenario.expectations[i];
            format!(
                "{n} draws violated the condition that '{}' goes {} under \"{}\" (line {})",
                scenario.nodes[x.node].name,
                x.change.as_str(),
                scenario.interventions[x.intervention].name,
                x.line
            )
        }
        Some((Rejection::Unstable, n)) => format!("{n} draws gave an unstable network"),
        Some((Rejection::Singular, n)) => format!("{n} draws gave a singular network"),
        Some((Rejection::Undecided, n)) => format!("{n} draws were on the stability boundary"),
        Some((Rejection::NotConverged, n)) => format!(
            "{n} draws did not settle (fcm: no fixed point within {} steps, an oscillating map; ode: the integrator could not reach t_end)",
            fcm::MAX_ITERATIONS
        ),
        None => "no draw was rejected".to_string(),
    };
    let help = match a.main_rejection() {
        Some((Rejection::NotConverged, _)) => {
            "the runs oscillate or move too fast to follow: for ode, a shorter t_end or larger tau; for fcm, a smaller fcm_lambda or another fcm_rule"
        }
        _ => {
            "check that the network's signs and the `condition = true` expectations can hold together, add self-limitation, or raise [simulation] max_draws"
        }
    };
    Error::RunFailed(format!(
        "error: only {} of {} samples accepted after {} draws (acceptance {rate:.4} %) in '{}'\n  most rejections: {reason}\n   = help: {help}",
        a.accepted,
        e.wanted,
        a.draws,
        scenario.path.display()
    ))
}
