//! Explanations in plain language: which signed paths lead from the perturbed nodes to a node,
//! which feedback loops they cross, and why the simulated outcome is what it is.

use super::paths::{NetSign, SignedPath, feedback_loops, loops_crossed, signed_paths};
use super::{NodeOutcome, Verdict, verdict};
use crate::scenario::Scenario;

/// A path from one perturbed node, with the sign it has once the press direction is applied.
#[derive(Debug, Clone)]
pub struct SourcedPath {
    pub source: usize,
    pub path: SignedPath,
    /// The path's effect on the target under the perturbation (a negative press flips it).
    pub effect: NetSign,
    /// Indices into [`Explanation::loops`] of the loops this path crosses.
    pub loops: Vec<usize>,
}

/// Everything `explain` reports.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// Perturbed nodes and the direction of their push (+1 or -1).
    pub sources: Vec<(usize, f64)>,
    pub target: usize,
    pub paths: Vec<SourcedPath>,
    pub loops: Vec<SignedPath>,
    /// True when path or loop enumeration stopped at its cap.
    pub capped: bool,
    /// The account, sentence by sentence.
    pub account: Vec<String>,
}

impl Explanation {
    /// The perturbation in words, e.g. "an increase in miR-100 and a decrease in EGFR": a
    /// singular subject whatever the node names are.
    pub fn perturbation(&self, scenario: &Scenario) -> String {
        self.sources
            .iter()
            .map(|&(s, d)| {
                let kind = if d < 0.0 { "a decrease" } else { "an increase" };
                format!("{kind} in {}", scenario.display_name(s))
            })
            .collect::<Vec<_>>()
            .join(" and ")
    }

    /// Indices of the loops crossed by any path, each once, in order.
    pub fn crossed_loops(&self) -> Vec<usize> {
        let mut all: Vec<usize> = self
            .paths
            .iter()
            .flat_map(|p| p.loops.iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// The simulated chances of each direction of the target's change.
#[derive(Debug, Clone, Copy)]
pub struct Simulated {
    pub p_up: f64,
    pub p_down: f64,
    pub p_zero: f64,
}

impl From<&NodeOutcome> for Simulated {
    fn from(o: &NodeOutcome) -> Simulated {
        Simulated {
            p_up: o.p_up,
            p_down: o.p_down,
            p_zero: o.p_zero,
        }
    }
}

/// Explains how pushing `sources` moves `target`; `outcome` is the simulated result if run.
pub fn explain(
    scenario: &Scenario,
    sources: &[(usize, f64)],
    target: usize,
    outcome: Option<&Simulated>,
) -> Explanation {
    let (loops, loops_capped) = feedback_loops(scenario);
    let mut paths = Vec::new();
    let mut capped = loops_capped;
    for &(source, direction) in sources {
        let (found, hit_cap) = signed_paths(scenario, source, target);
        capped |= hit_cap;
        paths.extend(found.into_iter().map(|path| {
            let crossed = loops_crossed(&path, &loops)
                .iter()
                .filter_map(|l| loops.iter().position(|x| x == *l))
                .collect();
            SourcedPath {
                source,
                effect: directed(path.sign, direction),
                path,
                loops: crossed,
            }
        }));
    }
    let mut explanation = Explanation {
        sources: sources.to_vec(),
        target,
        paths,
        loops,
        capped,
        account: Vec::new(),
    };
    explanation.account = account(scenario, &explanation, outcome);
    explanation
}

fn directed(sign: NetSign, direction: f64) -> NetSign {
    match (sign, direction < 0.0) {
        (NetSign::Raises, true) => NetSign::Lowers,
        (NetSign::Lowers, true) => NetSign::Raises,
        (s, _) => s,
    }
}

/// The sentences that explain the outcome.
fn account(scenario: &Scenario, e: &Explanation, outcome: Option<&Simulated>) -> Vec<String> {
    let name = |i: usize| scenario.display_name(i).to_string();
    let from = e
        .sources
        .iter()
        .map(|&(s, _)| name(s))
        .collect::<Vec<_>>()
        .join(" + ");
    let target = name(e.target);
    if e.paths.is_empty() {
        return vec![format!(
            "No path leads from {from} to {target}, so {target} cannot respond: its change is zero."
        )];
    }
    let pushed = capitalise(&e.perturbation(scenario));
    let count = |sign| e.paths.iter().filter(|p| p.effect == sign).count();
    let (up, down, unknown) = (
        count(NetSign::Raises),
        count(NetSign::Lowers),
        count(NetSign::Unknown),
    );
    let total = e.paths.len();
    let mut sentences = vec![majority_sentence(
        &pushed, &target, up, down, unknown, total,
    )];
    if let Some(minority) = minority_sentence(scenario, e, up, down) {
        sentences.push(minority);
    }
    let crossed = e.crossed_loops();
    if !crossed.is_empty() {
        let negative = crossed
            .iter()
            .filter(|&&l| e.loops[l].sign == NetSign::Lowers)
            .count();
        sentences.push(format!(
            "The paths cross {} feedback loop{} ({negative} negative, {} positive or unknown); feedback can damp, amplify or reverse a path's effect, depending on the link strengths.",
            crossed.len(),
            if crossed.len() == 1 { "" } else { "s" },
            crossed.len() - negative
        ));
    }
    if let Some(o) = outcome {
        sentences.push(outcome_sentence(
            &target,
            o,
            up,
            down,
            unknown,
            scenario.simulation.support,
        ));
    }
    if e.capped {
        sentences
            .push("The network is dense: only the first paths and loops are listed.".to_string());
    }
    sentences
}

fn majority_sentence(
    pushed: &str,
    target: &str,
    up: usize,
    down: usize,
    unknown: usize,
    total: usize,
) -> String {
    let along = |k: usize| {
        if k == total {
            format!("along every path ({total})")
        } else {
            format!("along {k} of {total} paths")
        }
    };
    let mut clauses: Vec<(usize, &str)> = [
        (up, "raises"),
        (down, "lowers"),
        (unknown, "has an unknown effect on"),
    ]
    .into_iter()
    .filter(|(k, _)| *k > 0)
    .collect();
    // Most common effect first; it names the target, the others refer back to it.
    clauses.sort_by_key(|(k, _)| std::cmp::Reverse(*k));
    let mut parts = Vec::new();
    for (i, (k, verb)) in clauses.iter().enumerate() {
        let object = if i == 0 {
            target.to_string()
        } else {
            "it".to_string()
        };
        let how_many = if i == 0 {
            along(*k)
        } else {
            format!("along {k}")
        };
        parts.push(format!("{verb} {object} {how_many}"));
    }
    format!("{pushed} {}.", parts.join(", "))
}

/// Names the paths that go against the majority, by the nodes only they pass through.
fn minority_sentence(
    scenario: &Scenario,
    e: &Explanation,
    up: usize,
    down: usize,
) -> Option<String> {
    if up == 0 || down == 0 {
        return None;
    }
    let minority = if up < down {
        NetSign::Raises
    } else {
        NetSign::Lowers
    };
    let through: Vec<String> = e
        .paths
        .iter()
        .filter(|p| p.effect == minority)
        .take(3)
        .map(|p| {
            let inner: Vec<usize> = p
                .path
                .nodes()
                .into_iter()
                .skip(1)
                .filter(|&n| n != e.target)
                .collect();
            if inner.is_empty() {
                "the direct link".to_string()
            } else {
                format!(
                    "the path through {}",
                    inner
                        .iter()
                        .map(|&n| scenario.display_name(n))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        })
        .collect();
    Some(format!(
        "{} {} it: paths of opposite sign compete, so the outcome depends on which is stronger in each sample.",
        capitalise(&through.join("; ")),
        minority.verb()
    ))
}

fn outcome_sentence(
    target: &str,
    o: &Simulated,
    up: usize,
    down: usize,
    unknown: usize,
    support: f64,
) -> String {
    let (p, direction, opposite) = if o.p_up >= o.p_down {
        (o.p_up, "up", o.p_down)
    } else {
        (o.p_down, "down", o.p_up)
    };
    let verdict_word = match verdict(p, opposite, support) {
        Verdict::Supported => "a clear direction",
        _ => "ambivalent",
    };
    let why = if up > 0 && down > 0 || unknown > 0 {
        "the competing paths above are why it is not certain"
    } else if p < 1.0 - 1e-9 {
        "all paths agree, so the doubt comes from feedback loops or unstable draws"
    } else {
        "all paths agree, so structure alone decides it"
    };
    format!(
        "Simulated: {target} goes {direction} with P = {p:.3} (up {:.3}, down {:.3}, no change {:.3}): {verdict_word} at support {support}; {why}.",
        o.p_up, o.p_down, o.p_zero
    )
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn opposite_paths_are_named_and_called_competing() {
        let text = "network = \"\"\"\nX -| A\nA -| Y\nX -| Wnt\nWnt -| Y\nX -| Y\n\"\"\"\n";
        let s = crate::scenario::parse(Path::new("t.toml"), text, None).unwrap();
        let (x, y) = (s.node_index("X").unwrap(), s.node_index("Y").unwrap());
        let e = explain(&s, &[(x, 1.0)], y, None);
        assert_eq!(e.paths.len(), 3);
        let text = e.account.join(" ");
        assert!(
            text.contains("X raises Y along 2 of 3 paths, lowers it along 1"),
            "{text}"
        );
        assert!(text.contains("The direct link lowers it"), "{text}");
        let e = explain(&s, &[(x, -1.0)], y, None);
        assert!(
            e.account[0].contains("A decrease in X lowers Y along 2 of 3 paths"),
            "a negative press flips every path: {:?}",
            e.account
        );
    }

    #[test]
    fn unreachable_target_says_so() {
        let text = "network = \"\"\"\nA -> B\nC -> D\n\"\"\"\n";
        let s = crate::scenario::parse(Path::new("t.toml"), text, None).unwrap();
        let e = explain(&s, &[(0, 1.0)], s.node_index("D").unwrap(), None);
        assert!(e.account[0].contains("No path leads from A to D"));
    }
}
