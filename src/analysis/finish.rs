//! The one place a finished [`RunReport`] is built from what a method's run produced: the
//! shared per-node and per-expectation results, then what only some methods have (press
//! sensitivities and loop-analysis predictions; ode and fcm levels and baseline; ode time courses), and the overrides the run
//! was made under.

use super::levels::{DoseTime, NodeCourse, TimeCourse, attach_levels, attach_time_courses};
use super::{ExpectationDraws, RunReport, comparisons, method_report, sensitivity};
use crate::sample::Acceptance;
use crate::scenario::Scenario;
use crate::solve::ode::CourseBands;
use crate::solve::outcome::LevelSummary;
use crate::solve::press::PressSummary;

/// What one method's run produced.
pub enum MethodSummary<'a> {
    Press(&'a PressSummary),
    Ode {
        levels: &'a LevelSummary,
        /// The baseline's, then one per intervention.
        courses: Vec<CourseBands>,
    },
    Fcm(&'a LevelSummary),
}

/// The finished report of one method's run; `overrides` is the command-line text of the
/// what-ifs it ran under.
pub fn report(
    scenario: &Scenario,
    summary: MethodSummary,
    acceptance: &Acceptance,
    overrides: Vec<String>,
) -> RunReport {
    let mut report = match summary {
        MethodSummary::Press(s) => {
            let draws = ExpectationDraws {
                all: &s.expectations,
                conditional: &s.conditional,
            };
            let mut report = method_report(scenario, "press", &s.responses, draws, acceptance);
            report.sensitivity = sensitivity(scenario, &s.sensitivity);
            report.comparisons = comparisons(scenario, &s.comparisons);
            super::loop_analysis::attach(scenario, &mut report);
            report
        }
        MethodSummary::Ode { levels, courses } => {
            let mut report = level_report(scenario, "ode", levels, acceptance);
            attach_time_courses(&mut report, time_courses(scenario, courses));
            report
        }
        MethodSummary::Fcm(levels) => level_report(scenario, "fcm", levels, acceptance),
    };
    report.overrides = overrides;
    report
}

/// The report of a dynamic method: the changes as press reports them, plus levels and baseline.
fn level_report(
    scenario: &Scenario,
    method: &str,
    levels: &LevelSummary,
    acceptance: &Acceptance,
) -> RunReport {
    let mut report = method_report(
        scenario,
        method,
        &levels.changes,
        ExpectationDraws {
            all: &levels.expectations,
            conditional: &levels.conditional,
        },
        acceptance,
    );
    report.comparisons = comparisons(scenario, &levels.comparisons);
    attach_levels(
        &mut report,
        scenario,
        &levels.baseline,
        &levels.levels,
        acceptance,
    );
    report
}

/// Raw bands as named time courses.
fn time_courses(scenario: &Scenario, courses: Vec<CourseBands>) -> Vec<TimeCourse> {
    let name = |node: usize| scenario.nodes[node].name.clone();
    courses
        .into_iter()
        .map(|c| TimeCourse {
            time_unit: scenario.simulation.time_unit.clone(),
            doses: c
                .doses
                .iter()
                .map(|&(node, time, amount)| DoseTime {
                    node: name(node),
                    time,
                    amount,
                })
                .collect(),
            nodes: (0..scenario.nodes.len())
                .map(|node| NodeCourse {
                    node: name(node),
                    median: c.median[node].clone(),
                    q05: c.q05[node].clone(),
                    q95: c.q95[node].clone(),
                })
                .collect(),
            times: c.times,
        })
        .collect()
}
