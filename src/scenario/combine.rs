//! Combinations of interventions for `compare`: `"A+B"` merges A's and B's presses, knockouts,
//! blocks and doses. A node both press is pressed once at the larger level by default (the same
//! drug given in two arms is one drug); [`SharedPress::Sum`] adds the levels instead. Names may themselves contain `+` ("anti-miR-9 exosomes + TMZ"),
//! so a whole name always wins, and a combination is split only where every part is a name.

use super::model::{Intervention, Scenario};
use crate::diagnostic::did_you_mean;
use crate::error::{Error, Problem};

/// How a combination presses a node that several of its parts press.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SharedPress {
    /// Once, at the level of larger magnitude.
    #[default]
    Larger,
    /// At the sum of the levels (`compare --sum`).
    Sum,
}

/// The interventions named by `specs`, combinations merged, in the order given.
pub fn interventions_for(
    scenario: &Scenario,
    specs: &[String],
    shared: SharedPress,
) -> Result<Vec<Intervention>, Error> {
    let mut problems = Vec::new();
    let mut result = Vec::new();
    for spec in specs {
        match split(scenario, spec.trim()) {
            Some(parts) => result.push(merge(scenario, spec.trim(), &parts, shared)),
            None => problems.push(unknown(scenario, spec)),
        }
    }
    if problems.is_empty() {
        Ok(result)
    } else {
        Err(Error::usages(problems))
    }
}

/// Splits `spec` into intervention indices joined by `+`, preferring whole names.
fn split(scenario: &Scenario, spec: &str) -> Option<Vec<usize>> {
    if let Some(i) = scenario.intervention_index(spec) {
        return Some(vec![i]);
    }
    for (at, _) in spec.match_indices('+') {
        let (head, tail) = (spec[..at].trim(), spec[at + 1..].trim());
        if let (Some(first), Some(mut rest)) =
            (scenario.intervention_index(head), split(scenario, tail))
        {
            rest.insert(0, first);
            return Some(rest);
        }
    }
    None
}

fn merge(scenario: &Scenario, name: &str, parts: &[usize], shared: SharedPress) -> Intervention {
    let mut merged = Intervention {
        name: name.to_string(),
        ..Intervention::default()
    };
    for &p in parts {
        let part = &scenario.interventions[p];
        for &(node, level) in &part.press {
            match merged.press.iter_mut().find(|(n, _)| *n == node) {
                Some(existing) => existing.1 = combined(existing.1, level, shared),
                None => merged.press.push((node, level)),
            }
        }
        extend_unique(&mut merged.knockout, &part.knockout);
        extend_unique(&mut merged.block, &part.block);
        merged.doses.extend(part.doses.iter().cloned());
    }
    merged
}

fn combined(a: f64, b: f64, shared: SharedPress) -> f64 {
    match shared {
        SharedPress::Sum => a + b,
        SharedPress::Larger if b.abs() > a.abs() => b,
        SharedPress::Larger => a,
    }
}

/// What an intervention does, for listing the combinations `compare` built:
/// "press temozolomide = 1, anti-miR-9 exosomes = 1; knockout ESCRT".
pub fn describe(scenario: &Scenario, intervention: &Intervention) -> String {
    let name = |v: usize| scenario.nodes[v].name.clone();
    let mut parts = Vec::new();
    let presses: Vec<String> = intervention
        .press
        .iter()
        .map(|&(v, level)| format!("{} = {level}", name(v)))
        .collect();
    if !presses.is_empty() {
        parts.push(format!("press {}", presses.join(", ")));
    }
    let knockouts: Vec<String> = intervention.knockout.iter().map(|&v| name(v)).collect();
    if !knockouts.is_empty() {
        parts.push(format!("knockout {}", knockouts.join(", ")));
    }
    let blocks: Vec<String> = intervention
        .block
        .iter()
        .map(|&l| scenario.links[l].text.clone())
        .collect();
    if !blocks.is_empty() {
        parts.push(format!("block {}", blocks.join(", ")));
    }
    if !intervention.doses.is_empty() {
        parts.push(format!("{} dose schedule(s)", intervention.doses.len()));
    }
    parts.join("; ")
}

fn extend_unique(into: &mut Vec<usize>, from: &[usize]) {
    for &x in from {
        if !into.contains(&x) {
            into.push(x);
        }
    }
}

fn unknown(scenario: &Scenario, spec: &str) -> Problem {
    let names: Vec<&str> = scenario
        .interventions
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    let help = match did_you_mean(spec.trim(), names.iter().copied()) {
        Some(close) => format!("did you mean \"{close}\"?"),
        None => format!(
            "name interventions of the file, joined with + to combine them; they are: {}",
            names
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Problem::new(format!(
        "\"{spec}\" is not an intervention or a combination of them"
    ))
    .help(help)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn scenario() -> Scenario {
        let text = "network = \"\"\"\nA -> B\nC -> B\n\"\"\"\n[[intervention]]\nname = \"A\"\npress = { A = 1.0 }\n[[intervention]]\nname = \"C\"\npress = { C = 1.0, A = 0.5 }\n[[intervention]]\nname = \"A + C\"\npress = { A = 2.0 }\n";
        crate::scenario::parse(Path::new("t.toml"), text, None).unwrap()
    }

    #[test]
    fn whole_names_win_and_combinations_add_presses() {
        let s = scenario();
        let found = interventions_for(
            &s,
            &[
                "A + C".to_string(),
                "A+C".to_string(),
                "C+A + C".to_string(),
            ],
            SharedPress::Sum,
        )
        .unwrap();
        assert_eq!(
            found[0].press,
            vec![(0, 2.0)],
            "the intervention named 'A + C'"
        );
        // "A+C" is no name, so it is A combined with C: A's press levels add up.
        assert_eq!(found[1].press, vec![(0, 1.5), (2, 1.0)]);
        // "C+A + C" is C combined with the intervention named "A + C".
        assert_eq!(found[2].press, vec![(0, 2.5), (2, 1.0)]);
    }

    #[test]
    fn a_shared_node_is_pressed_once_at_the_larger_level() {
        let s = scenario();
        let specs = ["A+C".to_string(), "C+A + C".to_string()];
        let found = interventions_for(&s, &specs, SharedPress::Larger).unwrap();
        // A pressed at 1 by "A" and 0.5 by "C": once, at 1.
        assert_eq!(found[0].press, vec![(0, 1.0), (2, 1.0)]);
        assert_eq!(found[1].press, vec![(0, 2.0), (2, 1.0)]);
        assert_eq!(describe(&s, &found[0]), "press A = 1, C = 1");
    }

    #[test]
    fn unknown_parts_are_reported() {
        let err = interventions_for(&scenario(), &["A+D".to_string()], SharedPress::Larger)
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"A+D\" is not an intervention"), "{err}");
    }
}
