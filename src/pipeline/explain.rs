//! Explaining one outcome: the question (`--from X --to Y`, or a scenario's N-th expectation)
//! becomes a perturbation to trace and a run to back the account with; the paths, loops and
//! sentences are [`analysis::explain`]'s.

use super::{RunOptions, run};
use crate::analysis::explain::{ClaimVerdict, Explanation, Simulated, Trace, explain as account};
use crate::analysis::{self, ExpectationReport};
use crate::error::Error;
use crate::scenario::{self, Intervention, Method, Scenario};

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
    let method = single_method(options.method)?;
    let options = RunOptions {
        method: Some(method),
        ..options.clone()
    };
    match question {
        Question::Expectation(n) => about_expectation(scenario, n, &options, method),
        Question::Nodes { from, to } => about_nodes(scenario, from, to, &options, method),
    }
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

/// `--from X --to Y`: press X alone and look at Y.
fn about_nodes(
    scenario: &Scenario,
    from: &str,
    to: &str,
    options: &RunOptions,
    method: Method,
) -> Result<Explanation, Error> {
    let from = find(scenario, from, "--from")?;
    let to = find(scenario, to, "--to")?;
    let mut scenario = scenario.clone();
    scenario.expectations.clear();
    scenario.interventions = vec![Intervention {
        name: format!("press {}", scenario.nodes[from].name),
        press: vec![(from, 1.0)],
        ..Intervention::default()
    }];
    let report = one_report(&scenario, options)?;
    let outcome = Simulated::of(&report.interventions[0].nodes[to], method);
    Ok(account(
        &scenario,
        Trace::new(vec![(from, 1.0)], to),
        Some(&outcome),
        None,
    ))
}

/// `--expect N`: the scenario run as it is (so the verdict is the one `run` gives), and the
/// perturbation that distinguishes the expectation's intervention from its `versus` (or from
/// no intervention) traced to the expectation's node.
fn about_expectation(
    scenario: &Scenario,
    n: usize,
    options: &RunOptions,
    method: Method,
) -> Result<Explanation, Error> {
    let count = scenario.expectations.len();
    let Some(expectation) = n.checked_sub(1).and_then(|i| scenario.expectations.get(i)) else {
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
    let report = one_report(scenario, options)?;
    let judged = judged(scenario, expectation, &report)?;
    // A claim press cannot express has a P from press's linear reading, which is no verdict:
    // the account then stops at the paths.
    let outcome = judged
        .verdict
        .is_judged()
        .then(|| Simulated::from_counts(judged.counts, method));
    let claim = ClaimVerdict {
        number: n,
        report: judged,
        method,
        samples: report.samples,
        support: scenario.simulation.support,
    };
    let trace = Trace {
        sources: sources.presses,
        target: expectation.node,
        ..removed(
            intervention,
            expectation.versus.map(|v| &scenario.interventions[v]),
        )
    };
    let mut explanation = account(scenario, trace, outcome.as_ref(), Some(claim));
    explanation.account.extend(sources.note);
    Ok(explanation)
}

/// What the compared change cannot pass through: what the intervention blocks and knocks out,
/// or, compared with a `versus` arm, what both arms remove.
fn removed(a: &Intervention, versus: Option<&Intervention>) -> Trace {
    let both = |mine: &[usize], theirs: Option<&[usize]>| -> Vec<usize> {
        mine.iter()
            .copied()
            .filter(|x| theirs.is_none_or(|t| t.contains(x)))
            .collect()
    };
    Trace {
        blocked: both(&a.block, versus.map(|b| b.block.as_slice())),
        knocked_out: both(&a.knockout, versus.map(|b| b.knockout.as_slice())),
        ..Trace::default()
    }
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

/// The expectation's result in the report: found by what it says, since `--intervention`
/// keeps only some expectations.
fn judged(
    scenario: &Scenario,
    expectation: &scenario::Expectation,
    report: &analysis::RunReport,
) -> Result<ExpectationReport, Error> {
    let name = |i: usize| scenario.interventions[i].name.as_str();
    let found = report.expectations.iter().find(|e| {
        e.intervention == name(expectation.intervention)
            && e.versus.as_deref() == expectation.versus.map(name)
            && e.node == scenario.nodes[expectation.node].name
            && e.change == expectation.change.as_str()
            && e.claims == expectation.claims
    });
    found.cloned().ok_or_else(|| {
        Error::usage(
            format!(
                "--expect: the claim is about intervention \"{}\", which the --intervention given leaves out",
                name(expectation.intervention)
            ),
            "drop --intervention, or name that intervention",
        )
    })
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
