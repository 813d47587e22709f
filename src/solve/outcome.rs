//! What the dynamic methods (ode, fcm) do with one draw's final levels: the change of every
//! node under every intervention, its direction, the expectations and the conditions.
//!
//! A draw produces one level per node for the baseline run and for each intervention, laid out
//! as `levels[run * n + node]` with run 0 the baseline and run `k + 1` intervention `k`. The
//! change of a node is its level under the intervention minus its level in the baseline (or
//! in the `versus` intervention). A node that the intervention cannot reach along the links
//! follows exactly the baseline's equations, so its change is recorded as an exact zero; for the
//! others a change below the method's tolerance counts as no change.

use super::presence::OwnLinks;
use super::press::matches_change;
use crate::sample::Rejection;
use crate::sample::stats::{Direction, ResponseSummary};
use crate::scenario::{Change, Intervention, Scenario};

/// An expectation, prepared for checking.
#[derive(Debug, Clone)]
struct Check {
    intervention: usize,
    versus: Option<usize>,
    node: usize,
    change: Change,
    condition: bool,
}

/// How one method compares runs.
#[derive(Debug, Clone)]
pub struct Comparisons {
    n: usize,
    zero_tolerance: f64,
    /// Per intervention, per node: whether the intervention can change the node at all.
    reachable: Vec<Vec<bool>>,
    checks: Vec<Check>,
    own_links: OwnLinks,
    /// The (intervention, versus) pairs whose difference is recorded for every node.
    pairs: Vec<(usize, usize)>,
}

/// Accumulated levels and changes of accepted draws.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LevelSummary {
    /// Per node: its level in the baseline run.
    pub baseline: Vec<ResponseSummary>,
    /// Per intervention, per node: its level.
    pub levels: Vec<Vec<ResponseSummary>>,
    /// Per intervention, per node: its change against the baseline.
    pub changes: Vec<Vec<ResponseSummary>>,
    /// Per expectation: the compared change.
    pub expectations: Vec<ResponseSummary>,
    /// Per expectation: the same, in the draws where every link citing its claims is present
    /// ([`OwnLinks`]); its verdict is read from these.
    pub conditional: Vec<ResponseSummary>,
    /// Per versus pair ([`Scenario::versus_pairs`]), per node: its level under the
    /// intervention minus its level under the `versus` one.
    pub comparisons: Vec<Vec<ResponseSummary>>,
}

impl Comparisons {
    /// Comparisons for `scenario`, calling changes below `zero_tolerance` none. `doses_act`
    /// says whether the method applies doses (ode) or ignores them (fcm), which decides
    /// whether a dosed node is perturbed.
    pub fn new(scenario: &Scenario, zero_tolerance: f64, doses_act: bool) -> Self {
        Comparisons {
            n: scenario.nodes.len(),
            zero_tolerance,
            reachable: scenario
                .interventions
                .iter()
                .map(|i| reachable(scenario, i, doses_act))
                .collect(),
            checks: scenario
                .expectations
                .iter()
                .map(|e| Check {
                    intervention: e.intervention,
                    versus: e.versus,
                    node: e.node,
                    change: e.change,
                    condition: e.condition,
                })
                .collect(),
            own_links: OwnLinks::new(scenario),
            pairs: scenario.versus_pairs(),
        }
    }

    pub fn empty_summary(&self) -> LevelSummary {
        let per_intervention = || vec![vec![ResponseSummary::new(); self.n]; self.reachable.len()];
        LevelSummary {
            baseline: vec![ResponseSummary::new(); self.n],
            levels: per_intervention(),
            changes: per_intervention(),
            expectations: vec![ResponseSummary::new(); self.checks.len()],
            conditional: vec![ResponseSummary::new(); self.checks.len()],
            comparisons: vec![vec![ResponseSummary::new(); self.n]; self.pairs.len()],
        }
    }

    /// Rejects the draw when a `condition = true` expectation does not hold.
    pub fn check_conditions(&self, levels: &[f64]) -> Result<(), Rejection> {
        for (index, check) in self.checks.iter().enumerate() {
            if check.condition && !matches_change(self.compared(levels, check).1, check.change) {
                return Err(Rejection::Condition(index));
            }
        }
        Ok(())
    }

    /// Records an accepted draw; `present` says which links it has.
    pub fn record(&self, levels: &[f64], present: &[bool], summary: &mut LevelSummary) {
        let n = self.n;
        for (s, &level) in summary.baseline.iter_mut().zip(&levels[..n]) {
            // Levels have no direction; only their distribution is read.
            s.record(level, Direction::Zero);
        }
        for k in 0..self.reachable.len() {
            let run = &levels[(k + 1) * n..(k + 2) * n];
            for (node, &level) in run.iter().enumerate() {
                summary.levels[k][node].record(level, Direction::Zero);
                let (change, direction) = self.change(levels, k, None, node);
                summary.changes[k][node].record(change, direction);
            }
        }
        for (k, check) in self.checks.iter().enumerate() {
            let (change, direction) = self.compared(levels, check);
            summary.expectations[k].record(change, direction);
            if self.own_links.hold(k, present) {
                summary.conditional[k].record(change, direction);
            }
        }
        for (&(k, v), nodes) in self.pairs.iter().zip(&mut summary.comparisons) {
            for (node, s) in nodes.iter_mut().enumerate() {
                let (change, direction) = self.change(levels, k, Some(v), node);
                s.record(change, direction);
            }
        }
    }

    fn compared(&self, levels: &[f64], check: &Check) -> (f64, Direction) {
        self.change(levels, check.intervention, check.versus, check.node)
    }

    /// The change of `node` under intervention `k` against the baseline or `versus`.
    fn change(
        &self,
        levels: &[f64],
        k: usize,
        versus: Option<usize>,
        node: usize,
    ) -> (f64, Direction) {
        let n = self.n;
        let moved = self.reachable[k][node] || versus.is_some_and(|v| self.reachable[v][node]);
        if !moved {
            return (0.0, Direction::Zero);
        }
        let reference = versus.map_or(0, |v| v + 1);
        let change = levels[(k + 1) * n + node] - levels[reference * n + node];
        (change, self.direction(change))
    }

    fn direction(&self, change: f64) -> Direction {
        if change.abs() < self.zero_tolerance {
            Direction::Zero
        } else if change > 0.0 {
            Direction::Up
        } else {
            Direction::Down
        }
    }
}

impl LevelSummary {
    /// Adds the next block's summary.
    pub fn merge(&mut self, other: &LevelSummary) {
        merge_all(&mut self.baseline, &other.baseline);
        for (a, b) in self.levels.iter_mut().zip(&other.levels) {
            merge_all(a, b);
        }
        for (a, b) in self.changes.iter_mut().zip(&other.changes) {
            merge_all(a, b);
        }
        merge_all(&mut self.expectations, &other.expectations);
        merge_all(&mut self.conditional, &other.conditional);
        for (a, b) in self.comparisons.iter_mut().zip(&other.comparisons) {
            merge_all(a, b);
        }
    }
}

fn merge_all(into: &mut [ResponseSummary], other: &[ResponseSummary]) {
    for (a, b) in into.iter_mut().zip(other) {
        a.merge(b);
    }
}

/// Nodes an intervention can change: the perturbed nodes (pressed, knocked out, dosed when
/// doses act, targets of blocked links) and everything downstream of them along the links.
fn reachable(scenario: &Scenario, intervention: &Intervention, doses_act: bool) -> Vec<bool> {
    let mut reached = vec![false; scenario.nodes.len()];
    let doses = intervention.doses.iter().filter(|_| doses_act);
    let mut stack: Vec<usize> = intervention
        .press
        .iter()
        .map(|&(node, _)| node)
        .chain(intervention.knockout.iter().copied())
        .chain(doses.map(|d| d.node))
        .chain(intervention.block.iter().map(|&l| scenario.links[l].target))
        .collect();
    for &s in &stack {
        reached[s] = true;
    }
    while let Some(node) = stack.pop() {
        for edge in scenario.edges().filter(|e| e.from == node) {
            if !reached[edge.to] {
                reached[edge.to] = true;
                stack.push(edge.to);
            }
        }
    }
    reached
}
