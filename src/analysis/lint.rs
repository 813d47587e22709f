//! `claimsim check` warnings: valid scenarios that a method will read differently from what the
//! author most likely meant. Warnings never change the exit status.
//!
//! - **on at rest**: under ode an inhibition is a NOT input, so a node whose only inputs are
//!   inhibitions is fully on when nothing inhibits it;
//! - **nothing to remove**: a knockout, or a `down` expectation, about a node that is exactly 0
//!   in the arm it is about under ode, so it cannot change;
//! - **linear combination**: in a press-only scenario, a `versus` expectation comparing a drug
//!   combination with the drug alone, where the added agent works on a resistance (it reaches a
//!   node R that the drug does not, and R inhibits a node on the drug's way to the claim): press
//!   answers with the added agent's effect alone, as if the drug were not there. Combinations of
//!   agents that merely add up (two miRNAs lowering one target) are left alone.

use super::interaction::press_gate_dependence;
use crate::diagnostic::{Diagnostic, Pos};
use crate::scenario::activity::{active_at_rest, only_inhibited, perturbed_nodes, reach_from};
use crate::scenario::links::Arrow;
use crate::scenario::model::{Change, Expectation, Intervention, Method, Scenario};

/// Every warning for a validated scenario, in file order.
pub fn warnings(scenario: &Scenario) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    if scenario.simulation.method.includes_ode() {
        found.extend(on_at_rest(scenario));
        found.extend(dead_knockouts(scenario));
        found.extend(dead_expectations(scenario));
    }
    if scenario.simulation.method == Method::Press {
        found.extend(linear_combinations(scenario));
    }
    found.sort_by_key(|d| d.line);
    found
}

fn at_line(line: usize, message: String) -> Diagnostic {
    Diagnostic::at(Pos::new(line, 1, 1), message)
}

fn on_at_rest(scenario: &Scenario) -> Vec<Diagnostic> {
    (0..scenario.nodes.len())
        .filter(|&i| scenario.nodes[i].input.is_none() && only_inhibited(scenario, i))
        .map(|i| {
            let name = &scenario.nodes[i].name;
            let line = scenario
                .links
                .iter()
                .find(|l| l.target == i)
                .map_or(0, |l| l.line);
            at_line(
                line,
                format!("'{name}' has only inhibitory inputs, so under ode it is fully on at rest (an inhibition is a NOT input)"),
            )
            .help(format!(
                "if '{name}' should be off unless something drives it, write its activation as a gate, e.g. 'driver & !inhibitor -> {name}' with [nodes.\"driver\"] input = 1; if it is meant to be on at rest, say so with [nodes.\"{name}\"] input = 1"
            ))
        })
        .collect()
}

/// Nodes that can be above 0 in an arm: its presses and doses switched on, its knockouts off.
fn active_in(scenario: &Scenario, arm: Option<&Intervention>) -> Vec<bool> {
    match arm {
        None => active_at_rest(scenario, &[], &[]),
        Some(arm) => {
            let mut sources: Vec<usize> = arm
                .press
                .iter()
                .filter(|&&(_, level)| level > 0.0)
                .map(|&(n, _)| n)
                .collect();
            sources.extend(arm.doses.iter().map(|d| d.node));
            active_at_rest(scenario, &sources, &arm.knockout)
        }
    }
}

fn dead_knockouts(scenario: &Scenario) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for arm in &scenario.interventions {
        let spared = Intervention {
            knockout: Vec::new(),
            ..arm.clone()
        };
        let active = active_in(scenario, Some(&spared));
        for &node in arm.knockout.iter().filter(|&&k| !active[k]) {
            let name = &scenario.nodes[node].name;
            found.push(
                at_line(
                    arm.line,
                    format!("knockout of '{name}' in '{}' changes nothing under ode: '{name}' has no activity to remove there", arm.name),
                )
                .help(format!(
                    "give '{name}' a basal input ([nodes.\"{name}\"] input = 0.5) or press what drives it in this intervention"
                )),
            );
        }
    }
    found
}

fn dead_expectations(scenario: &Scenario) -> Vec<Diagnostic> {
    scenario
        .expectations
        .iter()
        .filter(|e| e.change == Change::Down)
        .filter(|e| {
            let reference = e.versus.map(|v| &scenario.interventions[v]);
            !active_in(scenario, reference)[e.node]
        })
        .map(|e| {
            let name = &scenario.nodes[e.node].name;
            let reference = e
                .versus
                .map_or("the baseline".to_string(), |v| format!("'{}'", scenario.interventions[v].name));
            at_line(
                e.line,
                format!("'{name}' is expected to go down, but under ode it is exactly 0 in {reference}"),
            )
            .help(format!(
                "give '{name}' (or what drives it) a basal input with [nodes.\"NAME\"] input = ..., or compare with an intervention in which it is active (versus = ...)"
            ))
        })
        .collect()
}

fn linear_combinations(scenario: &Scenario) -> Vec<Diagnostic> {
    scenario
        .expectations
        .iter()
        .filter(|e| e.versus.is_some())
        .filter_map(|e| combination_in_press(scenario, e).map(|text| (e, text)))
        .map(|(e, what)| {
            at_line(
                e.line,
                format!("this compares a combination with part of it ({what}); press is linear, so the verdict ignores whether the shared treatment is there"),
            )
            .help("write the drug's action as a gate (e.g. 'drug & !resistance -> apoptosis') and set [simulation] method = \"all\" so ode judges the interaction")
        })
        .collect()
}

/// For a `versus` expectation: the shared and the added perturbations, when the added one reaches
/// a resistance R (not reached by the shared one) with `R -| M`, M on the shared one's way to the
/// expectation's node (or when press already sees a gate dependence).
fn combination_in_press(scenario: &Scenario, e: &Expectation) -> Option<String> {
    let arm = perturbed_nodes(scenario, &scenario.interventions[e.intervention]);
    let other = perturbed_nodes(scenario, &scenario.interventions[e.versus?]);
    let shared: Vec<usize> = arm.iter().copied().filter(|n| other.contains(n)).collect();
    let added: Vec<usize> = arm
        .iter()
        .chain(&other)
        .copied()
        .filter(|n| !shared.contains(n))
        .collect();
    let names = |nodes: &[usize]| {
        let names: Vec<&str> = nodes
            .iter()
            .map(|&n| scenario.nodes[n].name.as_str())
            .collect();
        names.join(", ")
    };
    if let Some(gate) = press_gate_dependence(scenario, e) {
        return Some(gate.describe(scenario));
    }
    if shared.is_empty() || added.is_empty() {
        return None;
    }
    let from_shared = reach_from(scenario, &shared);
    let from_added = reach_from(scenario, &added);
    let resisted = scenario.edges().any(|edge| {
        edge.arrow == Arrow::Lowers
            && from_added[edge.from]
            && !from_shared[edge.from]
            && from_shared[edge.to]
            && reach_from(scenario, &[edge.to])[e.node]
    });
    resisted.then(|| format!("{} added to {}", names(&added), names(&shared)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse;
    use std::path::Path;

    fn warnings_of(text: &str) -> Vec<Diagnostic> {
        warnings(&parse(Path::new("t.toml"), text, None).expect("valid scenario"))
    }

    #[test]
    fn an_only_inhibited_node_is_flagged_under_ode_only() {
        let net = "network = \"\"\"\nexosomes -| miR-9\nmiR-9 -> pump\n\"\"\"\n";
        let ode = warnings_of(&format!("{net}[simulation]\nmethod = \"ode\"\n"));
        assert_eq!(ode.len(), 1, "{ode:?}");
        assert_eq!(ode[0].line, 2);
        assert!(
            ode[0]
                .message
                .contains("'miR-9' has only inhibitory inputs")
        );
        assert!(ode[0].help.as_deref().unwrap().contains("input = 1"));
        assert!(warnings_of(net).is_empty());
        let declared =
            format!("{net}[nodes.\"miR-9\"]\ninput = 1.0\n[simulation]\nmethod = \"all\"\n");
        assert!(warnings_of(&declared).is_empty());
    }

    #[test]
    fn a_knockout_of_a_silent_node_is_flagged_with_its_line() {
        let text = "network = \"\"\"\nESCRT -> release\nhypoxia -> release\n\"\"\"\n\
                    [[intervention]]\nname = \"ko\"\npress = { hypoxia = 1.0 }\nknockout = [\"ESCRT\"]\n\
                    [simulation]\nmethod = \"all\"\n";
        let found = warnings_of(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 5, "the line of the [[intervention]] header");
        assert!(found[0].message.contains("knockout of 'ESCRT'"));
        let fixed = text.replace("[simulation]", "[nodes.ESCRT]\ninput = 0.5\n[simulation]");
        assert!(warnings_of(&fixed).is_empty());
    }

    #[test]
    fn a_down_expectation_about_a_silent_node_is_flagged() {
        let text = "network = \"\"\"\ndrug -> apoptosis\n\"\"\"\n\
                    [[intervention]]\nname = \"x\"\npress = { drug = 1.0 }\n\
                    [[expect]]\nintervention = \"x\"\nnode = \"drug\"\nchange = \"up\"\n\
                    [[expect]]\nintervention = \"x\"\nnode = \"apoptosis\"\nchange = \"down\"\n\
                    [simulation]\nmethod = \"ode\"\n";
        let found = warnings_of(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 11, "the line of the [[expect]] header");
        assert!(found[0].message.contains("exactly 0 in the baseline"));
    }

    #[test]
    fn a_combination_versus_its_part_is_flagged_in_press_only_scenarios() {
        let text = "network = \"\"\"\nanti-miR-9 -| pump\npump -| inside\nTMZ -> inside\n\"\"\"\n\
                    [[intervention]]\nname = \"TMZ\"\npress = { TMZ = 1.0 }\n\
                    [[intervention]]\nname = \"both\"\npress = { TMZ = 1.0, anti-miR-9 = 1.0 }\n\
                    [[expect]]\nintervention = \"both\"\nversus = \"TMZ\"\nnode = \"inside\"\nchange = \"up\"\n";
        let found = warnings_of(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 12, "the line of the [[expect]] header");
        assert!(found[0].message.contains("anti-miR-9 added to TMZ"));
        assert!(
            found[0]
                .help
                .as_deref()
                .unwrap()
                .contains("method = \"all\"")
        );
        let all = format!("{text}[simulation]\nmethod = \"all\"\n");
        assert!(
            warnings_of(&all)
                .iter()
                .all(|w| !w.message.contains("combination"))
        );
    }
}
