//! Combinations of interventions for `compare`: `"A+B"` merges A's and B's presses (levels add),
//! knockouts, blocks and doses. Names may themselves contain `+` ("anti-miR-9 exosomes + TMZ"),
//! so a whole name always wins, and a combination is split only where every part is a name.

use super::model::{Intervention, Scenario};
use crate::diagnostic::did_you_mean;
use crate::error::Error;

/// The interventions named by `specs`, combinations merged, in the order given.
pub fn interventions_for(
    scenario: &Scenario,
    specs: &[String],
) -> Result<Vec<Intervention>, Error> {
    let mut problems = Vec::new();
    let mut result = Vec::new();
    for spec in specs {
        match split(scenario, spec.trim()) {
            Some(parts) => result.push(merge(scenario, spec.trim(), &parts)),
            None => problems.push(unknown(scenario, spec)),
        }
    }
    if problems.is_empty() {
        Ok(result)
    } else {
        Err(Error::Usage(problems.join("\n")))
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

fn merge(scenario: &Scenario, name: &str, parts: &[usize]) -> Intervention {
    let mut merged = Intervention {
        name: name.to_string(),
        ..Intervention::default()
    };
    for &p in parts {
        let part = &scenario.interventions[p];
        for &(node, level) in &part.press {
            match merged.press.iter_mut().find(|(n, _)| *n == node) {
                Some(existing) => existing.1 += level,
                None => merged.press.push((node, level)),
            }
        }
        extend_unique(&mut merged.knockout, &part.knockout);
        extend_unique(&mut merged.block, &part.block);
        merged.doses.extend(part.doses.iter().cloned());
    }
    merged
}

fn extend_unique(into: &mut Vec<usize>, from: &[usize]) {
    for &x in from {
        if !into.contains(&x) {
            into.push(x);
        }
    }
}

fn unknown(scenario: &Scenario, spec: &str) -> String {
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
    format!("error: \"{spec}\" is not an intervention or a combination of them\n   = help: {help}")
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
    fn unknown_parts_are_reported() {
        let err = interventions_for(&scenario(), &["A+D".to_string()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"A+D\" is not an intervention"), "{err}");
    }
}
