//! Robustness sweeps: which expectation verdicts flip when one node is knocked out or one link
//! is blocked (and, with pairs, when two such changes come together). The work is a deterministic, ordered list of [`WorkUnit`]s (scenario ×
//! perturbation × method) computed before anything runs; every unit runs with its scenario's
//! seed, whatever else runs beside it, so the results do not depend on the thread count and a
//! later `--shard K/N` can take every N-th unit (docs/sweep.md). This module only computes.
//!
//! A knockout of a node that an intervention presses cancels that press: such a unit says
//! nothing about the network's robustness (the intervention is simply gone), so it is left out
//! of the work list and listed in [`SweepPlan::skipped`]. A knockout of an expectation's own
//! node is run but gives that expectation no record: it tests the node, not the network.

use super::RunOptions;
use super::fit;
use crate::analysis::{RunReport, Verdict};
use crate::error::Error;
use crate::scenario::catalogue::CatalogueFinder;
use crate::scenario::overrides::Overrides;
use crate::scenario::{self, Method, Scenario};
use crate::shard::Shard;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// One single change to a scenario's network, applied to every intervention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Perturbation {
    /// The scenario as it is: the reference every other unit is compared with.
    None,
    /// The node held at zero (`--knockout NODE`).
    Knockout(String),
    /// The link removed (`--block "A -> B"`).
    Block(String),
    /// Two single perturbations at once (`--pairs`), in work order.
    Pair(Box<[Perturbation; 2]>),
}

impl Perturbation {
    /// How the perturbation reads in the outputs, e.g. `knockout B` or `block A -> B`.
    pub fn describe(&self) -> String {
        match self {
            Perturbation::None => "none".to_string(),
            Perturbation::Knockout(node) => format!("knockout {node}"),
            Perturbation::Block(link) => format!("block {link}"),
            Perturbation::Pair(pair) => format!("{} + {}", pair[0].describe(), pair[1].describe()),
        }
    }

    /// Whether this is one change (a knockout or a block), not a pair or none.
    pub fn is_single(&self) -> bool {
        matches!(self, Perturbation::Knockout(_) | Perturbation::Block(_))
    }

    /// Whether this is the knockout of `node`: an expectation about the knocked-out node
    /// itself says nothing about the network around it, so it gets no record.
    pub fn knocks_out(&self, node: &str) -> bool {
        match self {
            Perturbation::Knockout(k) => k == node,
            Perturbation::Pair(pair) => pair.iter().any(|p| p.knocks_out(node)),
            Perturbation::None | Perturbation::Block(_) => false,
        }
    }

    /// The base overrides with this perturbation added.
    fn add_to(&self, base: &Overrides) -> Overrides {
        let mut overrides = base.clone();
        self.push_onto(&mut overrides);
        overrides
    }

    fn push_onto(&self, overrides: &mut Overrides) {
        match self {
            Perturbation::None => {}
            Perturbation::Knockout(node) => overrides.knockout.push(node.clone()),
            Perturbation::Block(link) => overrides.block.push(link.clone()),
            Perturbation::Pair(pair) => pair.iter().for_each(|p| p.push_onto(overrides)),
        }
    }
}

/// One run of the sweep: a scenario (index into [`SweepPlan::scenarios`]), a perturbation and
/// one method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkUnit {
    pub scenario: usize,
    pub perturbation: Perturbation,
    pub method: Method,
}

/// A scenario file of the sweep: loaded, or why not.
pub struct SweepScenario {
    pub path: PathBuf,
    pub loaded: Result<Scenario, Error>,
}

/// A unit left out of the work list, and why.
pub struct Skipped {
    pub scenario: usize,
    pub perturbation: Perturbation,
    pub reason: String,
}

/// Everything a sweep will run, fixed before it starts.
pub struct SweepPlan {
    pub scenarios: Vec<SweepScenario>,
    /// In order: scenario by scenario (in the order given), then method (press, ode, fcm), then
    /// the unperturbed run, every node's knockout (file order), every link's block (file order),
    /// and with `--pairs` every pair of those singles (the i-th with each later one, in order).
    pub units: Vec<WorkUnit>,
    pub skipped: Vec<Skipped>,
    /// Whether pairs of perturbations are swept too.
    pub pairs: bool,
}

impl SweepPlan {
    /// How many units perturb one thing, and how many two.
    pub fn counts(&self) -> (usize, usize) {
        let count =
            |f: fn(&Perturbation) -> bool| self.units.iter().filter(|u| f(&u.perturbation)).count();
        (
            count(Perturbation::is_single),
            count(|p| matches!(p, Perturbation::Pair(_))),
        )
    }
}

/// With `--pairs`: the most pair runs a sweep plans before refusing (`--max-pairs`).
#[derive(Debug, Clone, Copy)]
pub struct Pairs {
    pub max: u64,
}

/// Loads every scenario and lists the work units; `options` give the method(s), the samples,
/// the seed and base overrides every unit starts from; `pairs` adds every pair of singles,
/// refused (before any is listed) when there would be more than its `max`.
pub fn plan(
    files: &[PathBuf],
    claims: &CatalogueFinder,
    options: &RunOptions,
    pairs: Option<Pairs>,
) -> Result<SweepPlan, Error> {
    options.check()?;
    let mut plan = SweepPlan {
        scenarios: Vec::new(),
        units: Vec::new(),
        skipped: Vec::new(),
        pairs: pairs.is_some(),
    };
    let scenarios: Vec<SweepScenario> = files
        .iter()
        .map(|path| SweepScenario {
            path: path.clone(),
            loaded: scenario::load(path, claims).and_then(|mut s| {
                options.apply(&mut s)?;
                Ok(s)
            }),
        })
        .collect();
    if let Some(Pairs { max }) = pairs {
        check_pairs(&scenarios, max)?;
    }
    for (index, s) in scenarios.iter().enumerate() {
        if let Ok(scenario) = &s.loaded {
            add_units(&mut plan, index, scenario);
        }
    }
    plan.scenarios = scenarios;
    Ok(plan)
}

/// Refuses a pair sweep of more than `max` runs, counted from the scenarios' sizes (n singles
/// give n(n-1)/2 pairs per method) before any unit is listed.
fn check_pairs(scenarios: &[SweepScenario], max: u64) -> Result<(), Error> {
    let mut total: u64 = 0;
    let mut largest: Option<(u64, &PathBuf)> = None;
    for s in scenarios {
        let Ok(scenario) = &s.loaded else { continue };
        let singles = singles(scenario).iter().filter(|s| s.is_ok()).count() as u64;
        let methods = super::methods(scenario.simulation.method).len() as u64;
        let pairs = singles * singles.saturating_sub(1) / 2 * methods;
        total = total.saturating_add(pairs);
        if largest.is_none_or(|(most, _)| pairs > most) {
            largest = Some((pairs, &s.path));
        }
    }
    match largest {
        Some((most, path)) if total > max => Err(Error::usage(
            format!(
                "--pairs would run {total} pairs of perturbations, more than --max-pairs {max} (the most, {most}, in {})",
                path.display()
            ),
            "pass --max-pairs with a larger number (pairs grow with the square of nodes and links: shard them with --shard K/N), or sweep fewer scenarios",
        )),
        _ => Ok(()),
    }
}

/// The single perturbations of one scenario, after its options were applied: every node's
/// knockout but those an intervention presses (each with the reason it is left out), then
/// every link's block.
fn singles(scenario: &Scenario) -> Vec<Result<Perturbation, Skipped>> {
    let knockouts = scenario.nodes.iter().enumerate().map(|(node, n)| {
        let pressed_by = scenario
            .interventions
            .iter()
            .find(|i| i.press.iter().any(|&(p, _)| p == node));
        match pressed_by {
            Some(i) => Err(Skipped {
                scenario: 0,
                perturbation: Perturbation::Knockout(n.name.clone()),
                reason: format!(
                    "intervention \"{}\" presses it: the knockout would cancel the press",
                    i.name
                ),
            }),
            None => Ok(Perturbation::Knockout(n.name.clone())),
        }
    });
    let blocks = scenario
        .links
        .iter()
        .map(|l| Ok(Perturbation::Block(l.text.clone())));
    knockouts.chain(blocks).collect()
}

/// The units of one scenario: per method, the unperturbed run, its singles and (with pairs)
/// every pair of them.
fn add_units(plan: &mut SweepPlan, index: usize, scenario: &Scenario) {
    let mut perturbations = vec![Perturbation::None];
    for single in singles(scenario) {
        match single {
            Ok(p) => perturbations.push(p),
            Err(skipped) => plan.skipped.push(Skipped {
                scenario: index,
                ..skipped
            }),
        }
    }
    if plan.pairs {
        let singles = &perturbations[1..];
        let pairs: Vec<Perturbation> = singles
            .iter()
            .enumerate()
            .flat_map(|(i, a)| {
                singles[i + 1..]
                    .iter()
                    .map(move |b| Perturbation::Pair(Box::new([a.clone(), b.clone()])))
            })
            .collect();
        perturbations.extend(pairs);
    }
    for method in super::methods(scenario.simulation.method) {
        plan.units
            .extend(perturbations.iter().map(|perturbation| WorkUnit {
                scenario: index,
                perturbation: perturbation.clone(),
                method,
            }));
    }
}

/// One expectation under one perturbation, next to the unperturbed verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct FlipRecord {
    pub scenario: usize,
    pub method: Method,
    /// Index of the expectation in the scenario.
    pub expectation: usize,
    pub perturbation: Perturbation,
    pub before: Verdict,
    pub after: Verdict,
    pub p_before: f64,
    pub p_after: f64,
}

impl FlipRecord {
    pub fn flipped(&self) -> bool {
        self.before != self.after
    }
}

/// What a sweep keeps of one expectation of one run: enough to name it and judge a flip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitExpectation {
    pub intervention: String,
    pub versus: Option<String>,
    pub node: String,
    pub change: String,
    pub claims: Vec<String>,
    pub verdict: Verdict,
    #[serde(with = "crate::shard::exact")]
    pub probability: f64,
}

/// What a sweep keeps of one unit's run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitReport {
    pub method: String,
    pub expectations: Vec<UnitExpectation>,
}

impl UnitReport {
    /// What a sweep keeps of `report`.
    pub fn of(report: &RunReport) -> UnitReport {
        UnitReport {
            method: report.method.clone(),
            expectations: report
                .expectations
                .iter()
                .map(|e| UnitExpectation {
                    intervention: e.intervention.clone(),
                    versus: e.versus.clone(),
                    node: e.node.clone(),
                    change: e.change.clone(),
                    claims: e.claims.clone(),
                    verdict: e.verdict,
                    probability: e.probability,
                })
                .collect(),
        }
    }
}

/// Why a unit's run failed: the error's text and exit status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitError {
    pub message: String,
    pub exit_code: u8,
}

/// One unit's result: what a shard computes and a part file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitOutcome {
    Ran(UnitReport),
    Failed(UnitError),
}

/// A unit whose run failed (its perturbed scenario accepted too few samples, say).
pub struct UnitFailure {
    pub unit: WorkUnit,
    pub error: UnitError,
}

/// What a sweep found, in work-unit order.
pub struct SweepResult {
    pub records: Vec<FlipRecord>,
    pub failures: Vec<UnitFailure>,
    /// The unperturbed run of every scenario and method that ran, in work-unit order.
    pub baselines: Vec<(usize, UnitReport)>,
}

/// Runs every unit of `plan`, units in parallel on `options.threads` workers, calling
/// `progress` after each (from worker threads).
pub fn run(
    plan: &SweepPlan,
    options: &RunOptions,
    progress: &(dyn Fn() + Sync),
) -> Result<SweepResult, Error> {
    let outcomes = run_units(plan, options, Shard::WHOLE, progress)?;
    compare(plan, outcomes.into_iter().map(|(_, o)| o).collect())
}

/// Runs the units `shard` owns (every unit with [`Shard::WHOLE`]), in parallel; returns each
/// with its position in the work list, in order. A unit's outcome does not depend on which
/// other units run, so the outcomes of all shards together are those of one whole run.
pub fn run_units(
    plan: &SweepPlan,
    options: &RunOptions,
    shard: Shard,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<(usize, UnitOutcome)>, Error> {
    let mine: Vec<(usize, &WorkUnit)> = plan
        .units
        .iter()
        .enumerate()
        .filter(|(k, _)| shard.owns(*k))
        .collect();
    super::with_threads(options.threads, || {
        mine.par_iter()
            .map(|&(k, unit)| {
                let outcome = match run_unit(plan, unit, options) {
                    Ok(report) => UnitOutcome::Ran(UnitReport::of(&report)),
                    Err(error) => UnitOutcome::Failed(UnitError {
                        message: error.to_string(),
                        exit_code: error.exit_code(),
                    }),
                };
                progress();
                (k, outcome)
            })
            .collect()
    })
}

/// The units a sweep of `plan` with `shard` runs.
pub fn unit_count(plan: &SweepPlan, shard: Shard) -> usize {
    (0..plan.units.len()).filter(|&k| shard.owns(k)).count()
}

/// One unit, on a clone of its (already optioned) scenario.
fn run_unit(plan: &SweepPlan, unit: &WorkUnit, base: &RunOptions) -> Result<RunReport, Error> {
    let Ok(scenario) = &plan.scenarios[unit.scenario].loaded else {
        return Err(Error::run_failed(
            "a sweep unit names a scenario that did not load",
            "report this as a bug: units are only planned for loaded scenarios",
        ));
    };
    let mut scenario = scenario.clone();
    scenario.simulation.method = unit.method;
    let extra = RunOptions {
        overrides: unit.perturbation.add_to(&Overrides::default()),
        ..RunOptions::default()
    };
    extra.apply(&mut scenario)?;
    // Echo the base overrides as well, as `run` would.
    let echoed = RunOptions {
        overrides: unit.perturbation.add_to(&base.overrides),
        max_memory_mb: base.max_memory_mb,
        ..RunOptions::default()
    };
    let mut reports = super::simulate(&scenario, &echoed, None)?;
    Ok(reports.remove(0))
}

/// Checks that a part's unit results fit the plan: each unit's report is of its unit's method
/// and reports its scenario's expectations (a part edited by hand and sealed again could hold
/// anything). The error names the unit and what does not fit.
pub fn check_outcomes(plan: &SweepPlan, outcomes: &[(usize, UnitOutcome)]) -> Result<(), String> {
    for (k, outcome) in outcomes {
        let Some(unit) = plan.units.get(*k) else {
            return Err(format!(
                "it holds work unit {k}, beyond the {} units of the sweep",
                plan.units.len()
            ));
        };
        let UnitOutcome::Ran(report) = outcome else {
            continue;
        };
        let Ok(scenario) = &plan.scenarios[unit.scenario].loaded else {
            return Err(format!(
                "it holds a report for work unit {k}, whose scenario did not load"
            ));
        };
        let fits = if report.method == unit.method.as_str() {
            fit::expectations_fit(scenario, &report.expectations)
        } else {
            Err(format!(
                "it is a {} report where {} was run",
                report.method,
                unit.method.as_str()
            ))
        };
        fits.map_err(|why| {
            format!(
                "its result for {} ({}, {}) does not fit the scenario: {why}",
                plan.scenarios[unit.scenario].path.display(),
                unit.perturbation.describe(),
                unit.method.as_str()
            )
        })?;
    }
    Ok(())
}

/// Pairs every perturbed run with its scenario's unperturbed run of the same method;
/// `outcomes` holds every unit's, in work-list order (from one run or merged from shards).
pub fn compare(plan: &SweepPlan, outcomes: Vec<UnitOutcome>) -> Result<SweepResult, Error> {
    if outcomes.len() != plan.units.len() {
        return Err(Error::run_failed(
            format!(
                "{} unit results for a sweep of {} units",
                outcomes.len(),
                plan.units.len()
            ),
            "report this as a bug: the merge checks that every unit is there",
        ));
    }
    let mut result = SweepResult {
        records: Vec::new(),
        failures: Vec::new(),
        baselines: Vec::new(),
    };
    let mut baseline: Option<(usize, Method, UnitReport)> = None;
    for (unit, outcome) in plan.units.iter().zip(outcomes) {
        let report = match outcome {
            UnitOutcome::Ran(report) => report,
            UnitOutcome::Failed(error) => {
                result.failures.push(UnitFailure {
                    unit: unit.clone(),
                    error,
                });
                continue;
            }
        };
        if unit.perturbation == Perturbation::None {
            result.baselines.push((unit.scenario, report.clone()));
            baseline = Some((unit.scenario, unit.method, report));
            continue;
        }
        match &baseline {
            Some((s, m, before)) if *s == unit.scenario && *m == unit.method => {
                result.records.extend(records(unit, before, &report));
            }
            // The unperturbed run failed: nothing to compare with (its failure is recorded).
            _ => {}
        }
    }
    Ok(result)
}

fn records<'a>(
    unit: &'a WorkUnit,
    before: &'a UnitReport,
    after: &'a UnitReport,
) -> impl Iterator<Item = FlipRecord> + 'a {
    before
        .expectations
        .iter()
        .zip(&after.expectations)
        .enumerate()
        .filter(|(_, (b, _))| !unit.perturbation.knocks_out(&b.node))
        .map(|(expectation, (b, a))| FlipRecord {
            scenario: unit.scenario,
            method: unit.method,
            expectation,
            perturbation: unit.perturbation.clone(),
            before: b.verdict,
            after: a.verdict,
            p_before: b.probability,
            p_after: a.probability,
        })
}
