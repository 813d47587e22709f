//! When press cannot judge a claim: the claim's truth hinges on an AND gate.
//!
//! press reads a gate `A & !B -> C` as the separate links `A -> C` and `B -| C`, and its response
//! is linear in the perturbation, so the effect of B on C never depends on A. Two situations make
//! that reading say something the gate does not:
//!
//! - **joint**: the perturbations of the compared arms reach two or more inputs of the gate, so
//!   the claim is about how they combine ("anti-miR-9 + TMZ versus TMZ alone"); press answers with
//!   the effect of the extra input alone, as if the drug were not there;
//! - **closed**: the perturbations reach one input while another input is shut and unperturbed:
//!   a plain input off at rest ("anti-miR-9 without TMZ"), or a `!` input fully on at rest (an
//!   intact barrier), so the gate stays shut in both arms; press lets the single input through
//!   anyway.
//!
//! In both cases the expectation's node must lie downstream of the gate (or be its target), and
//! for a `versus` expectation at least one perturbed input must be reached from what differs
//! between the two arms: a gate only the shared treatment reaches acts alike in both. The
//! press report then says "not expressible in press (interaction)" instead of a verdict.

use crate::scenario::activity::{active_at_rest, perturbed_nodes, reach_from, saturated_at_rest};
use crate::scenario::{Dose, Expectation, GateInput, Intervention, Scenario};

/// Why press cannot express an expectation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GateDependence {
    /// The compared arms perturb two or more inputs of the gate (link index, input nodes).
    Joint { link: usize, inputs: Vec<usize> },
    /// The arms perturb one input while the input `closed` shuts the gate in both.
    Closed {
        link: usize,
        perturbed: usize,
        closed: usize,
    },
}

impl GateDependence {
    /// One sentence for reports: which gate, and which of its inputs.
    pub fn describe(&self, scenario: &Scenario) -> String {
        let name = |i: usize| scenario.nodes[i].name.as_str();
        match self {
            GateDependence::Joint { link, inputs } => {
                let names: Vec<&str> = inputs.iter().map(|&i| name(i)).collect();
                format!(
                    "the arms perturb {} together, inputs of the gate '{}'",
                    names.join(" and "),
                    scenario.links[*link].text
                )
            }
            GateDependence::Closed {
                link,
                perturbed,
                closed,
            } => format!(
                "{} acts through the gate '{}', which {} keeps shut",
                name(*perturbed),
                scenario.links[*link].text,
                name(*closed)
            ),
        }
    }
}

/// The gate an expectation depends on in a way press cannot represent, if any (module docs).
pub fn press_gate_dependence(
    scenario: &Scenario,
    expectation: &Expectation,
) -> Option<GateDependence> {
    let arm = &scenario.interventions[expectation.intervention];
    let mut perturbed = perturbed_nodes(scenario, arm);
    let differing = match expectation.versus {
        Some(versus) => {
            let other = &scenario.interventions[versus];
            perturbed.extend(perturbed_nodes(scenario, other));
            differing_nodes(scenario, arm, other)
        }
        None => perturbed.clone(),
    };
    let reached = reach_from(scenario, &perturbed);
    // A gate that only what the arms share can reach acts alike in both and cancels out.
    let moved = reach_from(scenario, &differing);
    let at_rest = active_at_rest(scenario, &[], &[]);
    let saturated = saturated_at_rest(scenario);
    // A shut input: a plain input off at rest, or a `!` input fully on at rest.
    let shut = |i: &GateInput| {
        if i.negated {
            saturated[i.node]
        } else {
            !at_rest[i.node]
        }
    };
    scenario
        .links
        .iter()
        .enumerate()
        .filter(|(_, link)| link.inputs.len() > 1)
        .filter(|(_, link)| reach_from(scenario, &[link.target])[expectation.node])
        .find_map(|(index, link)| {
            let (hit, missed): (Vec<&GateInput>, Vec<&GateInput>) =
                link.inputs.iter().partition(|i| reached[i.node]);
            if !hit.iter().any(|i| moved[i.node]) {
                return None;
            }
            match hit.as_slice() {
                [] => None,
                [only] => missed
                    .iter()
                    .find(|i| shut(i))
                    .map(|closed| GateDependence::Closed {
                        link: index,
                        perturbed: only.node,
                        closed: closed.node,
                    }),
                _ => Some(GateDependence::Joint {
                    link: index,
                    inputs: hit.iter().map(|i| i.node).collect(),
                }),
            }
        })
}

/// Nodes the two arms act on differently: in one arm only, or pressed at different levels, or
/// dosed on different schedules.
fn differing_nodes(scenario: &Scenario, a: &Intervention, b: &Intervention) -> Vec<usize> {
    let level = |arm: &Intervention, node: usize| {
        arm.press
            .iter()
            .find(|&&(n, _)| n == node)
            .map(|&(_, level)| level)
    };
    let doses = |arm: &Intervention, node: usize| -> Vec<Dose> {
        arm.doses
            .iter()
            .filter(|d| d.node == node)
            .cloned()
            .collect()
    };
    let (in_a, in_b) = (perturbed_nodes(scenario, a), perturbed_nodes(scenario, b));
    let mut nodes: Vec<usize> = in_a
        .iter()
        .chain(&in_b)
        .copied()
        .filter(|&n| {
            !(in_a.contains(&n) && in_b.contains(&n))
                || level(a, n) != level(b, n)
                || doses(a, n) != doses(b, n)
                || a.knockout.contains(&n) != b.knockout.contains(&n)
        })
        .collect();
    nodes.sort_unstable();
    nodes.dedup();
    nodes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse;
    use std::path::Path;

    const GLIOBLASTOMA: &str = r#"network = """
resistant & !anti-miR-9 -> miR-9
miR-9 -> pump
TMZ & !pump -> inside
inside -> apoptosis
"""
[nodes.resistant]
input = 1.0

[[intervention]]
name = "TMZ"
press = { "TMZ" = 1.0 }

[[intervention]]
name = "both"
press = { "TMZ" = 1.0, "anti-miR-9" = 1.0 }

[[intervention]]
name = "exosomes"
press = { "anti-miR-9" = 1.0 }

[[expect]]
intervention = "both"
versus = "TMZ"
node = "apoptosis"
change = "up"

[[expect]]
intervention = "exosomes"
node = "apoptosis"
change = "none"

[[expect]]
intervention = "TMZ"
node = "apoptosis"
change = "up"

[[expect]]
intervention = "exosomes"
node = "pump"
change = "down"

[[expect]]
intervention = "both"
versus = "TMZ"
node = "pump"
change = "down"

[[expect]]
intervention = "TMZ"
versus = "TMZ"
node = "apoptosis"
change = "none"
"#;

    fn dependence(index: usize) -> Option<GateDependence> {
        let s = parse(Path::new("t.toml"), GLIOBLASTOMA, None).unwrap();
        press_gate_dependence(&s, &s.expectations[index])
    }

    #[test]
    fn a_combination_versus_the_drug_alone_is_a_joint_dependence() {
        let Some(GateDependence::Joint { link, inputs }) = dependence(0) else {
            panic!("expected a joint dependence");
        };
        assert_eq!(link, 2);
        assert_eq!(inputs.len(), 2);
    }

    #[test]
    fn an_effect_through_a_gate_shut_by_a_missing_drug_is_closed() {
        assert!(matches!(
            dependence(1),
            Some(GateDependence::Closed { link: 2, .. })
        ));
    }

    #[test]
    fn the_drug_alone_and_nodes_upstream_of_the_gate_keep_a_verdict() {
        // TMZ alone: the other input is a '!' input, on at rest; the pump is upstream of the gate.
        assert_eq!(dependence(2), None);
        assert_eq!(dependence(3), None);
        assert_eq!(dependence(4), None);
    }

    #[test]
    fn a_gate_reached_only_by_what_both_arms_share_cancels() {
        // TMZ in both arms reaches the gate; nothing differs, so nothing hinges on it.
        assert_eq!(dependence(5), None);
    }
}
