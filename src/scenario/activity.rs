//! What the network alone says about the ode method: which nodes a set of perturbations reaches,
//! and which nodes can be above zero at rest.
//!
//! Under ode (docs/methods.md) a node with no reaction, or whose every reaction is an activation by
//! nodes at 0, sits at exactly 0; an inhibition `A -| B` is a NOT input (`w - f(A)`), on unless A
//! is fully on. These facts are structural, so `check` can warn about them and the press method
//! can tell when an expectation hinges on a gate, without running anything.

use super::links::Arrow;
use super::model::{Intervention, Link, Scenario};

/// Nodes reachable from `starts` along the links (every gate input leads to its target),
/// `starts` included.
pub fn reach_from(scenario: &Scenario, starts: &[usize]) -> Vec<bool> {
    let mut reached = vec![false; scenario.nodes.len()];
    let mut stack: Vec<usize> = starts.to_vec();
    while let Some(node) = stack.pop() {
        if std::mem::replace(&mut reached[node], true) {
            continue;
        }
        stack.extend(
            scenario
                .edges()
                .filter(|e| e.from == node && !reached[e.to])
                .map(|e| e.to),
        );
    }
    reached
}

/// Nodes an intervention acts on directly: pressed, knocked out, dosed, or the target of a
/// blocked link.
pub fn perturbed_nodes(scenario: &Scenario, intervention: &Intervention) -> Vec<usize> {
    let mut nodes: Vec<usize> = intervention.press.iter().map(|&(n, _)| n).collect();
    nodes.extend(&intervention.knockout);
    nodes.extend(intervention.doses.iter().map(|d| d.node));
    nodes.extend(intervention.block.iter().map(|&l| scenario.links[l].target));
    nodes.sort_unstable();
    nodes.dedup();
    nodes
}

/// Per node, whether it can be above 0 at rest under ode when `sources` are switched on (pressed
/// or dosed) and `knocked_out` are held at 0. Conservative: `false` means the node is exactly 0
/// in every draw; `true` means it may not be.
pub fn active_at_rest(scenario: &Scenario, sources: &[usize], knocked_out: &[usize]) -> Vec<bool> {
    let n = scenario.nodes.len();
    let mut active: Vec<bool> = (0..n)
        .map(|i| {
            !knocked_out.contains(&i)
                && (sources.contains(&i) || scenario.nodes[i].input.is_some_and(|x| x > 0.0))
        })
        .collect();
    // Monotone: a node only ever switches on, so at most n passes change anything.
    for _ in 0..=n {
        let mut changed = false;
        for link in &scenario.links {
            let target = link.target;
            if active[target] || knocked_out.contains(&target) || !can_fire(link, &active) {
                continue;
            }
            active[target] = true;
            changed = true;
        }
        if !changed {
            break;
        }
    }
    active
}

/// Per node, whether it is certainly fully on at rest under ode (at its `ymax` of 1): it has an
/// `input` of 1, or an activation at a fixed full weight whose plain inputs are all fully on and
/// whose `!` inputs are all off at rest (a term of 1 makes the OR of the reactions 1).
pub fn saturated_at_rest(scenario: &Scenario) -> Vec<bool> {
    let off = active_at_rest(scenario, &[], &[]);
    let full_scale = |i: usize| scenario.nodes[i].ymax.as_fixed() == Some(1.0);
    let mut saturated: Vec<bool> = (0..scenario.nodes.len())
        .map(|i| full_scale(i) && scenario.nodes[i].input.is_some_and(|x| x >= 1.0))
        .collect();
    for _ in 0..=scenario.nodes.len() {
        let mut changed = false;
        for link in &scenario.links {
            let full_weight = link.weight.as_ref().and_then(|w| w.as_fixed()) >= Some(1.0);
            let fires = link.arrow == Arrow::Raises
                && full_weight
                && link.inputs.iter().all(|i| {
                    if i.negated {
                        !off[i.node]
                    } else {
                        saturated[i.node]
                    }
                });
            if fires && full_scale(link.target) && !saturated[link.target] {
                saturated[link.target] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    saturated
}

/// Whether a link's reaction term can be above 0 given which nodes may be active. Activations
/// need every plain input on; a NOT input (`-|`, or `!A` in a gate) is on unless its node is fully
/// on, which the structure alone cannot rule out.
fn can_fire(link: &Link, active: &[bool]) -> bool {
    if link.arrow != Arrow::Raises {
        return true;
    }
    link.inputs.iter().all(|i| i.negated || active[i.node])
}

/// Whether every input of the node is an inhibition (a NOT input under ode), self-links aside,
/// and there is at least one.
pub fn only_inhibited(scenario: &Scenario, node: usize) -> bool {
    let mut incoming = scenario
        .links
        .iter()
        .filter(|l| l.target == node && !l.is_self_link())
        .peekable();
    incoming.peek().is_some() && incoming.all(is_pure_inhibition)
}

/// `A -| B` or `!A -> B`: a link whose term is `w - f(A)`, on when A is off.
fn is_pure_inhibition(link: &Link) -> bool {
    match (link.arrow, link.inputs.as_slice()) {
        (Arrow::Lowers, [input]) => !input.negated,
        (Arrow::Raises, [input]) => input.negated,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse;
    use std::path::Path;

    fn scenario(network: &str, extra: &str) -> Scenario {
        let text = format!("network = \"\"\"\n{network}\n\"\"\"\n{extra}");
        parse(Path::new("t.toml"), &text, None).expect("valid scenario")
    }

    fn active_names(s: &Scenario, active: &[bool]) -> Vec<String> {
        (0..s.nodes.len())
            .filter(|&i| active[i])
            .map(|i| s.nodes[i].name.clone())
            .collect()
    }

    #[test]
    fn an_and_gate_is_off_unless_its_plain_inputs_are_on() {
        let s = scenario("drug & !pump -> inside\ninside -> death", "");
        let idle = active_at_rest(&s, &[], &[]);
        assert!(active_names(&s, &idle).is_empty());
        let drug = s.node_index("drug").unwrap();
        let dosed = active_at_rest(&s, &[drug], &[]);
        assert_eq!(active_names(&s, &dosed), ["drug", "inside", "death"]);
    }

    #[test]
    fn an_inhibition_alone_switches_its_target_on() {
        let s = scenario("exosomes -| miR-9\nmiR-9 -> pump", "");
        let idle = active_at_rest(&s, &[], &[]);
        assert_eq!(active_names(&s, &idle), ["miR-9", "pump"]);
        assert!(only_inhibited(&s, s.node_index("miR-9").unwrap()));
        assert!(!only_inhibited(&s, s.node_index("pump").unwrap()));
        let knocked = active_at_rest(&s, &[], &[s.node_index("miR-9").unwrap()]);
        assert!(active_names(&s, &knocked).is_empty());
    }

    #[test]
    fn a_basal_input_makes_a_node_and_its_targets_active() {
        let s = scenario(
            "ESCRT -> release\nrelease -> efflux",
            "[nodes.ESCRT]\ninput = 0.5\n",
        );
        let idle = active_at_rest(&s, &[], &[]);
        assert_eq!(active_names(&s, &idle), ["ESCRT", "release", "efflux"]);
    }

    #[test]
    fn a_full_input_and_full_weight_links_saturate() {
        let text = "endothelium & !tumour exosomes -> barrier\nbarrier -> tight junctions";
        let extra = "[nodes.endothelium]\ninput = 1.0\n[[link]]\nlink = \"endothelium & !tumour exosomes -> barrier\"\nweight = 1.0\n";
        let s = scenario(text, extra);
        let saturated = saturated_at_rest(&s);
        assert_eq!(active_names(&s, &saturated), ["endothelium", "barrier"]);
        let weak = scenario(text, "[nodes.endothelium]\ninput = 1.0\n");
        assert_eq!(
            active_names(&weak, &saturated_at_rest(&weak)),
            ["endothelium"]
        );
    }

    #[test]
    fn reach_follows_every_gate_input() {
        let s = scenario("a & !b -> c\nc -> d\ne -> a", "");
        let reached = reach_from(&s, &[s.node_index("b").unwrap()]);
        assert_eq!(active_names(&s, &reached), ["b", "c", "d"]);
    }
}
