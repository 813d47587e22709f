//! `claimsim explain`: signed paths, loops and a plain-language account of one outcome.

use crate::analysis::explain::explain;
use crate::analysis::{NodeOutcome, RunReport};
use crate::claims::CatalogueFinder;
use crate::cli::ExplainArgs;
use crate::error::Error;
use crate::report;
use crate::scenario::overrides::Overrides;
use crate::scenario::{self, Change, Intervention, Scenario};
use crate::solve;
use std::process::ExitCode;

pub fn run(args: &ExplainArgs) -> Result<ExitCode, Error> {
    let claims = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let mut scenario = super::load_scenario(&args.file, &claims)?;
    scenario.simulation.samples = args.samples.max(1);
    let (sources, target, outcome) = match args.expect {
        Some(n) => about_expectation(&mut scenario, n)?,
        None => about_nodes(&mut scenario, args)?,
    };
    let mut explanation = explain(&scenario, &sources.presses, target, outcome.as_ref());
    explanation.account.extend(sources.note);
    super::emit(report::explain::to_text(&scenario, &explanation))?;
    Ok(ExitCode::SUCCESS)
}

/// The perturbation to trace, and a sentence when it is not only presses.
struct Sources {
    presses: Vec<(usize, f64)>,
    note: Option<String>,
}

type Question = (Sources, usize, Option<NodeOutcome>);

/// `--from X --to Y`: press X alone and look at Y.
fn about_nodes(scenario: &mut Scenario, args: &ExplainArgs) -> Result<Question, Error> {
    let from = find(scenario, args.from.as_deref().unwrap_or_default(), "--from")?;
    let to = find(scenario, args.to.as_deref().unwrap_or_default(), "--to")?;
    scenario.expectations.clear();
    scenario.interventions = vec![Intervention {
        name: format!("press {}", scenario.nodes[from].name),
        press: vec![(from, 1.0)],
        ..Intervention::default()
    }];
    let report = press(scenario)?;
    let outcome = report.interventions[0].nodes[to].clone();
    let sources = Sources {
        presses: vec![(from, 1.0)],
        note: None,
    };
    Ok((sources, to, Some(outcome)))
}

/// `--expect N`: the perturbation that distinguishes the expectation's intervention (from its
/// `versus`, if any) and the expectation's node.
fn about_expectation(scenario: &mut Scenario, n: usize) -> Result<Question, Error> {
    let count = scenario.expectations.len();
    let Some(expectation) = n
        .checked_sub(1)
        .and_then(|i| scenario.expectations.get(i))
        .cloned()
    else {
        return Err(Error::Usage(format!(
            "error: --expect {n}: the scenario has {count} expectation{}\n   = help: number them from 1 in file order",
            if count == 1 { "" } else { "s" }
        )));
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
    let report = press(scenario)?;
    let e = &report.expectations[0];
    let outcome = expectation_outcome(e.probability, e.p_opposite, expectation.change);
    Ok((sources, expectation.node, Some(outcome)))
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

/// The expectation's probabilities in the shape of a node outcome, for the account.
fn expectation_outcome(probability: f64, opposite: f64, change: Change) -> NodeOutcome {
    let (p_up, p_down) = match change {
        Change::Up => (probability, opposite),
        Change::Down => (opposite, probability),
        Change::None => (opposite / 2.0, opposite / 2.0),
    };
    NodeOutcome {
        node: String::new(),
        p_up,
        p_down,
        p_zero: (1.0 - p_up - p_down).max(0.0),
        p_up_ci: [f64::NAN; 2],
        p_down_ci: [f64::NAN; 2],
        p_zero_ci: [f64::NAN; 2],
        mean: f64::NAN,
        median: f64::NAN,
        q05: f64::NAN,
        q95: f64::NAN,
        level_mean: None,
        level_median: None,
        level_q05: None,
        level_q95: None,
    }
}

fn press(scenario: &Scenario) -> Result<RunReport, Error> {
    let mut scenario = scenario.clone();
    scenario.simulation.method = crate::scenario::Method::Press;
    solve::run_press(&scenario, None)
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
        Error::Usage(format!(
            "error: {flag} '{name}' is not a node of the scenario\n   = help: {help}"
        ))
    })
}
