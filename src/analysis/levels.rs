//! The parts of a report that only the dynamic methods (ode, fcm) have: each node's final level
//! under each intervention, the baseline's levels, the ode time courses, and how many draws did
//! not settle. They extend a [`RunReport`] made by [`report`](super::report), so the fields the
//! press method shares keep one definition.

use super::RunReport;
use crate::sample::Acceptance;
use crate::sample::stats::ResponseSummary;
use crate::scenario::Scenario;
use serde::Serialize;

/// The run without any intervention, which every change is measured against.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct BaselineReport {
    pub nodes: Vec<NodeLevels>,
    /// ode: levels over time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_course: Option<TimeCourse>,
}

/// The distribution of one node's final level.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct NodeLevels {
    pub node: String,
    pub level_mean: f64,
    pub level_median: f64,
    pub level_q05: f64,
    pub level_q95: f64,
}

/// Node levels over time (ode): per time point the median and the 5-95 % band across samples.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct TimeCourse {
    pub time_unit: String,
    /// Time points, from the start of the run (the baseline state) to `t_end`; dose times in
    /// the run are among them.
    pub times: Vec<f64>,
    /// Every dose given before `t_end`.
    pub doses: Vec<DoseTime>,
    pub nodes: Vec<NodeCourse>,
}

/// One dose: into which node, when, and how much.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct DoseTime {
    pub node: String,
    pub time: f64,
    pub amount: f64,
}

/// One node's level over time: one value per time point.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct NodeCourse {
    pub node: String,
    pub median: Vec<f64>,
    pub q05: Vec<f64>,
    pub q95: Vec<f64>,
}

/// Adds the final levels, the baseline and the count of draws that did not settle to a report
/// of the ode or fcm method.
pub fn attach_levels(
    report: &mut RunReport,
    scenario: &Scenario,
    baseline: &[ResponseSummary],
    levels: &[Vec<ResponseSummary>],
    acceptance: &Acceptance,
) {
    for (intervention, summaries) in report.interventions.iter_mut().zip(levels) {
        for (outcome, s) in intervention.nodes.iter_mut().zip(summaries) {
            outcome.level_mean = Some(s.mean());
            outcome.level_median = Some(s.quantile(0.5));
            outcome.level_q05 = Some(s.quantile(0.05));
            outcome.level_q95 = Some(s.quantile(0.95));
        }
    }
    report.baseline = Some(BaselineReport {
        nodes: scenario
            .nodes
            .iter()
            .zip(baseline)
            .map(|(node, s)| NodeLevels {
                node: node.name.clone(),
                level_mean: s.mean(),
                level_median: s.quantile(0.5),
                level_q05: s.quantile(0.05),
                level_q95: s.quantile(0.95),
            })
            .collect(),
        time_course: None,
    });
    report.acceptance.not_converged = Some(acceptance.not_converged);
}

/// Adds time courses: the first is the baseline's, then one per intervention.
pub fn attach_time_courses(report: &mut RunReport, courses: Vec<TimeCourse>) {
    let mut courses = courses.into_iter();
    let baseline_course = courses.next();
    if let Some(baseline) = report.baseline.as_mut() {
        baseline.time_course = baseline_course;
    }
    for (intervention, course) in report.interventions.iter_mut().zip(courses) {
        intervention.time_course = Some(course);
    }
}
