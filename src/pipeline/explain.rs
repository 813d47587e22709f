//! Explaining one outcome: the question (`--from X --to Y`, or a scenario's N-th expectation)
//! becomes a perturbation to trace and a run to back the account with; the paths, loops and
//! sentences are [`analysis::explain`]'s.

use super::{RunOptions, run};
use crate::analysis::explain::{Explanation, Simulated, explain as account};
use crate::analysis::{self};
use crate::error::Error;
use crate::scenario::overrides::Overrides;
use crate::scenario::{self, Change, Intervention, Method, Scenario};

/// What to explain.
#[derive(Debug, Clone, Copy)]
pub enum Question<'a> {
    /// Press `from` alone (a press of 1) and look at `to`.
    Nodes { from: &'a str, to: &'a str },
    /// The scenario's N-th expectation, counting from 1 in file order.
    Expectation(usize),
}

/// Explains the answer to `question`, backed by a run with `options` (press unless another
/// single method is asked for).
pub fn explain(
    scenario: &Scenario,
    question: Question,
    options: &RunOptions,
) -> Result<Explanation, Error> {
    let options = RunOptions {
        method: Some(single_method(options.method)?),
        ..options.clone()
    };
    let mut scenario = scenario.clone();
    let (sources, target, outcome) = match question {
        Question::Expectation(n) => about_expectation(&mut scenario, n, &options)?,
        Question::Nodes { from, to } => about_nodes(&mut scenario, from, to, &options)?,
    };
    let mut explanation = account(&scenario, &sources.presses, target, Some(&outcome));
    explanation.account.extend(sources.note);
    Ok(explanation)
}

/// The method behind the account: press by default; one method, not all.
fn single_method(method: Option<Method>) -> Result<Method, Error> {
    match method {
        None => Ok(Method::Press),
        Some(Method::All) => Err(Error::usage(
            "explain backs its account with one method",
            "pass --method press, ode or fcm",
        )),
        Some(method) => Ok(method),
    }
}

/// The perturbation to trace, and a sentence when it is not only presses.
struct Sources {
    presses: Vec<(usize, f64)>,
    note: Option<String>,
}

type Answer = (Sources, usize, Simulated);

/// `--from X --to Y`: press X alone and look at Y.
fn about_nodes(
    scenario: &mut Scenario,
    from: &str,
    to: &str,
    options: &RunOptions,
) -> Result<Answer, Error> {
    let from = find(scenario, from, "--from")?;
    let to = find(scenario, to, "--to")?;
    scenario.expectations.clear();
    scenario.interventions = vec![Intervention {
        name: format!("press {}", scenario.nodes[from].name),
        press: vec![(from, 1.0)],
        ..Intervention::default()
    }];
    let report = one_report(scenario, options)?;
    let outcome = Simulated::from(&report.interventions[0].nodes[to]);
    let sources = Sources {
        presses: vec![(from, 1.0)],
        note: None,
    };
    Ok((sources, to, outcome))
}

/// `--expect N`: the perturbation that distinguishes the expectation's intervention (from its
/// `versus`, if any) and the expectation's node.
fn about_expectation(
    scenario: &mut Scenario,
    n: usize,
    options: &RunOptions,
) -> Result<Answer, Error> {
    let count = scenario.expectations.len();
    let Some(expectation) = n
        .checked_sub(1)
        .and_then(|i| scenario.expectations.get(i))
        .cloned()
    else {
        return Err(Error::usage(
            format!(
                "--expect {n}: the scenario has {count} expectation{}",
                if count == 1 { "" } else { "s" }
            ),
            "number them from 1 in file order",
        ));
    };
    let intervention = &scenario.interventions[expectation.intervention];
    let baseline = expectation
        .versus
        .map(|v| scenario.interventions[v].clone())
        .unwrap_or_default();
    let sources = compared_sources(scenario, intervention, &baseline);
    let name = intervention.name.clone();
    Overrides {
        intervention: Some(name),
        ..Overrides::default()
    }
    .apply(scenario)?;
    let report = one_report(scenario, options)?;
    let e = &report.expectations[0];
    let outcome = expectation_outcome(e.probability, e.p_opposite, expectation.change);
    Ok((sources, expectation.node, outcome))
}

/// What distinguishes `a` from `b`: differing presses and knockouts, or, when they press alike,
/// all of `a`'s presses with a note on the links that only one of them removes.
fn compared_sources(scenario: &Scenario, a: &Intervention, b: &Intervention) -> Sources {
    let presses = differing_presses(a, b);
    if !presses.is_empty() {
        return Sources {
            presses,
            note: None,
        };
    }
    let differing: Vec<&str> = a
        .block
        .iter()
        .filter(|l| !b.block.contains(l))
        .chain(b.block.iter().filter(|l| !a.block.contains(l)))
        .map(|&l| scenario.links[l].text.as_str())
        .collect();
    let note = (!differing.is_empty()).then(|| {
        format!(
            "The compared interventions push the same nodes and differ only in the links removed ({}): the difference runs through those links.",
            differing.join("; ")
        )
    });
    Sources {
        presses: a
            .press
            .iter()
            .map(|&(n, level)| (n, level.signum()))
            .collect(),
        note,
    }
}

/// Presses of `a` that `b` lacks or sets differently, as (node, direction of the difference).
fn differing_presses(a: &Intervention, b: &Intervention) -> Vec<(usize, f64)> {
    let level = |i: &Intervention, node: usize| {
        i.press
            .iter()
            .find(|(n, _)| *n == node)
            .map_or(0.0, |p| p.1)
    };
    let mut nodes: Vec<usize> = a.press.iter().chain(&b.press).map(|p| p.0).collect();
    nodes.extend(a.knockout.iter().chain(&b.knockout));
    nodes.sort_unstable();
    nodes.dedup();
    nodes
        .into_iter()
        .filter_map(|node| {
            let knocked = |i: &Intervention| {
                if i.knockout.contains(&node) {
                    -1.0
                } else {
                    0.0
                }
            };
            let difference = level(a, node) + knocked(a) - level(b, node) - knocked(b);
            (difference != 0.0).then_some((node, difference.signum()))
        })
        .collect()
}

/// The expectation's probabilities as the chances of each direction, for the account.
fn expectation_outcome(probability: f64, opposite: f64, change: Change) -> Simulated {
    let (p_up, p_down) = match change {
        Change::Up => (probability, opposite),
        Change::Down => (opposite, probability),
        Change::None => (opposite / 2.0, opposite / 2.0),
    };
    Simulated {
        p_up,
        p_down,
        p_zero: (1.0 - p_up - p_down).max(0.0),
    }
}

/// The run behind the account (one method, so one report).
fn one_report(scenario: &Scenario, options: &RunOptions) -> Result<analysis::RunReport, Error> {
    let mut reports = run(scenario, options)?;
    Ok(reports.remove(0))
}

fn find(scenario: &Scenario, name: &str, flag: &str) -> Result<usize, Error> {
    let name = scenario::links::normalize_name(name);
    scenario.node_index(&name).ok_or_else(|| {
        let help =
            crate::diagnostic::did_you_mean(&name, scenario.nodes.iter().map(|n| n.name.as_str()))
                .map_or_else(
                    || "names are case-sensitive; `claimsim graph` lists the network".to_string(),
                    |c| format!("did you mean '{c}'?"),
                );
        Error::usage(
            format!("{flag} '{name}' is not a node of the scenario"),
            help,
        )
    })
}
