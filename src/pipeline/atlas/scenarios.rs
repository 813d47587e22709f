//! Conflicts between scenarios of a batch: one agent (the nodes an intervention presses, under
//! their canonical names) moves one node up in one scenario and down in another. A scenario
//! takes a side when it does not say "no change" (P(no change) below its own `support`) and, of
//! the draws that move the node, at least the `support` share go one way. The direction is judged among the
//! draws that move the node because the evidence rules remove uncertain links in some draws:
//! they make an effect less certain to exist, not its direction less certain. Each scenario is
//! consistent with its own claims; the disagreement only shows when they are read side by side.

use super::super::batch::BatchItem;
use super::aliases::Aliases;
use crate::analysis::RunReport;
use crate::scenario::{Intervention, Scenario};
use serde::Serialize;
use std::collections::BTreeMap;

/// One side of a conflict.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// The scenario's slug in the batch.
    pub scenario: String,
    pub intervention: String,
    /// The node's name in that scenario.
    pub node: String,
    /// P(up) for the raising side, P(down) for the lowering one.
    pub probability: f64,
    /// Claims of the scenario's expectations on this node under this intervention.
    pub claims: Vec<String>,
}

/// Two scenarios that move one node in opposite directions under one agent.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioConflict {
    pub method: String,
    /// The canonical pressed nodes, e.g. `MSC exosomes` or `anti-miR-9 exosomes + temozolomide`;
    /// a decrease is written `−name`.
    pub agent: String,
    /// The canonical node.
    pub node: String,
    pub raises: Side,
    pub lowers: Side,
}

/// Every pair of scenarios that disagrees, per method, agent and node, in a stable order.
pub fn scenario_conflicts(items: &[BatchItem], aliases: &Aliases) -> Vec<ScenarioConflict> {
    // (method, agent, node) -> (raising sides, lowering sides)
    type Sides = (Vec<Side>, Vec<Side>);
    let mut found: BTreeMap<(String, String, String), Sides> = BTreeMap::new();
    let runs = items
        .iter()
        .filter_map(|item| Some((item.slug.as_str(), item.result.as_ref().ok()?)));
    for (slug, (scenario, reports)) in runs {
        let support = scenario.simulation.support;
        for report in reports {
            for (i, intervention) in scenario.interventions.iter().enumerate() {
                let Some(agent) = agent(scenario, intervention, aliases) else {
                    continue;
                };
                let Some(outcome) = report.interventions.get(i) else {
                    continue;
                };
                for node in &outcome.nodes {
                    if intervention
                        .press
                        .iter()
                        .any(|&(k, _)| scenario.nodes[k].name == node.node)
                    {
                        continue;
                    }
                    let side = |probability| Side {
                        scenario: slug.to_string(),
                        intervention: intervention.name.clone(),
                        node: node.node.clone(),
                        probability,
                        claims: claims_on(report, &intervention.name, &node.node),
                    };
                    let key = (
                        report.method.clone(),
                        agent.clone(),
                        aliases.canonical(&node.node).to_string(),
                    );
                    let entry = found.entry(key).or_default();
                    match direction(node.p_up, node.p_down, support) {
                        Some(Direction::Up) => entry.0.push(side(node.p_up)),
                        Some(Direction::Down) => entry.1.push(side(node.p_down)),
                        None => {}
                    }
                }
            }
        }
    }
    let mut conflicts = Vec::new();
    for ((method, agent, node), (raising, lowering)) in found {
        for up in &raising {
            for down in lowering.iter().filter(|d| d.scenario != up.scenario) {
                conflicts.push(ScenarioConflict {
                    method: method.clone(),
                    agent: agent.clone(),
                    node: node.clone(),
                    raises: up.clone(),
                    lowers: down.clone(),
                });
            }
        }
    }
    conflicts
}

enum Direction {
    Up,
    Down,
}

/// The side a node takes: "no change" is not supported (it moves in more than `1 - support` of
/// the draws), and at least `support` of the draws that move it go one way.
fn direction(p_up: f64, p_down: f64, support: f64) -> Option<Direction> {
    let moves = p_up + p_down;
    if moves <= 1.0 - support {
        return None;
    }
    if p_up / moves >= support {
        Some(Direction::Up)
    } else if p_down / moves >= support {
        Some(Direction::Down)
    } else {
        None
    }
}

/// The canonical agent of a press-only intervention; `None` for knockouts, blocks and doses,
/// which change what the agent is.
fn agent(scenario: &Scenario, intervention: &Intervention, aliases: &Aliases) -> Option<String> {
    if intervention.press.is_empty()
        || intervention.changes_structure()
        || !intervention.doses.is_empty()
    {
        return None;
    }
    let mut names: Vec<String> = intervention
        .press
        .iter()
        .map(|&(node, level)| {
            let name = aliases.canonical(&scenario.nodes[node].name);
            if level < 0.0 {
                format!("−{name}")
            } else {
                name.to_string()
            }
        })
        .collect();
    names.sort();
    names.dedup();
    Some(names.join(" + "))
}

fn claims_on(report: &RunReport, intervention: &str, node: &str) -> Vec<String> {
    let mut claims: Vec<String> = report
        .expectations
        .iter()
        .filter(|e| e.intervention == intervention && e.versus.is_none() && e.node == node)
        .flat_map(|e| e.claims.iter().cloned())
        .collect();
    claims.dedup();
    claims
}
