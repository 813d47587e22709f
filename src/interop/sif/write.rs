//! Cytoscape SIF: `source<TAB>interaction<TAB>target`, with `1` for activation, `-1` for
//! inhibition and `0` for an unknown sign. A gate becomes a dummy node `and1`, `and2`, ... whose
//! inputs point into it (`-1` for a negated input) and which points at the gate's target, the
//! convention that lets gates be read back.

use crate::scenario::Scenario;
use crate::scenario::links::Arrow;
use std::fmt::Write;

/// The interaction word for an arrow.
pub fn interaction(arrow: Arrow) -> &'static str {
    match arrow {
        Arrow::Raises => "1",
        Arrow::Lowers => "-1",
        Arrow::Unknown => "0",
    }
}

/// The network as SIF text (tab-separated, so names may hold spaces).
pub fn to_sif(scenario: &Scenario) -> String {
    let mut out = String::new();
    let mut gates = 0;
    for link in &scenario.links {
        let target = &scenario.nodes[link.target].name;
        if !link.is_gate() {
            let source = &scenario.nodes[link.inputs[0].node].name;
            let _ = writeln!(out, "{source}\t{}\t{target}", interaction(link.arrow));
            continue;
        }
        gates += 1;
        let junction = gate_name(scenario, gates);
        for input in &link.inputs {
            let source = &scenario.nodes[input.node].name;
            let sign = if input.negated { "-1" } else { "1" };
            let _ = writeln!(out, "{source}\t{sign}\t{junction}");
        }
        let _ = writeln!(out, "{junction}\t{}\t{target}", interaction(link.arrow));
    }
    out
}

/// `andK`, made unique against the scenario's own node names.
fn gate_name(scenario: &Scenario, k: usize) -> String {
    let mut name = format!("and{k}");
    while scenario.node_index(&name).is_some() {
        name.insert(0, '_');
    }
    name
}
