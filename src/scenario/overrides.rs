//! What-if changes given on the command line, applied on top of a validated scenario:
//! `--press NODE=LEVEL`, `--knockout NODE`, `--block "A -> B"`, `--weight "A -> B=DIST"`,
//! `--intervention NAME` and `--no-evidence`. Presses, knockouts and blocks apply to every
//! intervention (they change the world the interventions act in); a scenario without interventions gets one made of them.
//! Mistakes are reported like mistakes in files: what is wrong, where, and how to fix it.

use super::dist::Dist;
use super::links::{normalize_name, parse_link_reference};
use super::model::{Intervention, Scenario};
use crate::diagnostic::did_you_mean;
use crate::error::{Error, Problem};

/// The command-line changes, as typed.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub press: Vec<String>,
    pub knockout: Vec<String>,
    pub block: Vec<String>,
    pub weight: Vec<String>,
    pub intervention: Option<String>,
    /// Every link present always: the claims' grades do not thin the network.
    pub no_evidence: bool,
}

impl Overrides {
    pub fn is_empty(&self) -> bool {
        self.press.is_empty()
            && self.knockout.is_empty()
            && self.block.is_empty()
            && self.weight.is_empty()
            && self.intervention.is_none()
            && !self.no_evidence
    }

    /// The overrides as command-line text, echoed in every output.
    pub fn describe(&self) -> Vec<String> {
        let quoted = |flag: &str, values: &[String]| -> Vec<String> {
            values.iter().map(|v| format!("{flag} \"{v}\"")).collect()
        };
        let mut all = quoted("--press", &self.press);
        all.extend(quoted("--knockout", &self.knockout));
        all.extend(quoted("--block", &self.block));
        all.extend(quoted("--weight", &self.weight));
        all.extend(quoted("--intervention", self.intervention.as_slice()));
        if self.no_evidence {
            all.push("--no-evidence".to_string());
        }
        all
    }

    /// Warnings for knockouts that cancel a press an intervention of the file relies on: a
    /// knocked-out node is held at zero, so pressing it does nothing.
    pub fn cancelled_presses(&self, scenario: &Scenario) -> Vec<String> {
        let mut warnings = Vec::new();
        for text in &self.knockout {
            let Ok(node) = find_node(scenario, text) else {
                continue;
            };
            let pressing = scenario
                .interventions
                .iter()
                .filter(|i| i.press.iter().any(|&(n, _)| n == node));
            for intervention in pressing {
                warnings.push(format!(
                    "warning: --knockout \"{text}\" cancels the press on {} that intervention \"{}\" relies on: a knocked-out node is held at zero, so the press does nothing\n   = help: knock out a node downstream instead, or keep the other interventions with --intervention",
                    scenario.nodes[node].name, intervention.name
                ));
            }
        }
        warnings
    }

    /// Applies every override; reports all mistakes at once.
    pub fn apply(&self, scenario: &mut Scenario) -> Result<(), Error> {
        let mut problems = Vec::new();
        let presses = collect(&self.press, &mut problems, |t| parse_press(scenario, t));
        let knockouts = collect(&self.knockout, &mut problems, |t| {
            find_node(scenario, t).map_err(|e| e.context(format!("--knockout \"{t}\": ")))
        });
        let blocks = collect(&self.block, &mut problems, |t| {
            find_link(scenario, t).map_err(|e| e.context(format!("--block \"{t}\": ")))
        });
        let weights = collect(&self.weight, &mut problems, |t| parse_weight(scenario, t));
        if let Some(Err(e)) = self
            .intervention
            .as_ref()
            .map(|name| keep_only(scenario, name))
        {
            problems.push(e);
        }
        if !problems.is_empty() {
            return Err(Error::usages(
                problems
                    .into_iter()
                    .map(|p| p.context("in the command-line overrides: "))
                    .collect(),
            ));
        }
        if self.no_evidence {
            *scenario = scenario.without_evidence();
        }
        for (link, dist) in weights {
            scenario.links[link].weight = Some(dist);
        }
        add_to_interventions(scenario, &presses, &knockouts, &blocks, &self.describe());
        Ok(())
    }
}

fn collect<T>(
    texts: &[String],
    problems: &mut Vec<Problem>,
    parse: impl Fn(&str) -> Result<T, Problem>,
) -> Vec<T> {
    texts
        .iter()
        .filter_map(|t| parse(t).map_err(|e| problems.push(e)).ok())
        .collect()
}

fn parse_press(scenario: &Scenario, text: &str) -> Result<(usize, f64), Problem> {
    let fail = |why: Problem| why.context(format!("--press \"{text}\": "));
    let Some((name, level)) = text.rsplit_once('=') else {
        return Err(fail(
            Problem::new("expected NODE=LEVEL").help("e.g. --press \"miR-100=1\""),
        ));
    };
    let node = find_node(scenario, name).map_err(fail)?;
    let level: f64 = level
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| {
            fail(
                Problem::new(format!("'{}' is not a number", level.trim()))
                    .help("give the press level as a number, e.g. 1.0"),
            )
        })?;
    if let Some(problem) = scenario.simulation.method.press_level_problem(level) {
        return Err(fail(problem));
    }
    Ok((node, level))
}

fn parse_weight(scenario: &Scenario, text: &str) -> Result<(usize, Dist), Problem> {
    let fail = |why: Problem| why.context(format!("--weight \"{text}\": "));
    let Some((link, dist)) = text.rsplit_once('=') else {
        return Err(fail(
            Problem::new("expected \"LINK=DISTRIBUTION\"")
                .help("e.g. --weight \"miR-9 -> P-glycoprotein=uniform(0.5, 1)\""),
        ));
    };
    let index = find_link(scenario, link).map_err(fail)?;
    let dist = Dist::parse(dist).map_err(|e| fail(Problem::new(e.message).help(e.help)))?;
    if dist.support().0 < 0.0 {
        return Err(fail(
            Problem::new(format!(
                "{dist} can be negative, but a weight is a magnitude"
            ))
            .help("the arrow gives the sign; use e.g. uniform(0, 1)"),
        ));
    }
    Ok((index, dist))
}

fn find_node(scenario: &Scenario, name: &str) -> Result<usize, Problem> {
    let name = normalize_name(name);
    scenario.node_index(&name).ok_or_else(|| {
        let names = scenario.nodes.iter().map(|n| n.name.as_str());
        let help = match did_you_mean(&name, names) {
            Some(close) => format!("did you mean '{close}'?"),
            None => {
                "`claimsim check` lists a scenario's nodes; names are case-sensitive".to_string()
            }
        };
        Problem::new(format!("unknown node '{name}'")).help(help)
    })
}

fn find_link(scenario: &Scenario, text: &str) -> Result<usize, Problem> {
    let link =
        parse_link_reference(text.trim()).map_err(|e| Problem::new(e.message).help(e.help))?;
    let canonical = link.canonical();
    scenario
        .links
        .iter()
        .position(|l| l.text == canonical)
        .ok_or_else(|| {
            let help =
                match did_you_mean(&canonical, scenario.links.iter().map(|l| l.text.as_str())) {
                    Some(close) => format!("did you mean '{close}'?"),
                    None => "give a link as it appears in the network, e.g. \"A -> B\"".to_string(),
                };
            Problem::new(format!("'{canonical}' matches no link")).help(help)
        })
}

/// Keeps only the named intervention, and the ones its expectations compare against.
fn keep_only(scenario: &mut Scenario, name: &str) -> Result<(), Problem> {
    let Some(kept) = scenario.intervention_index(name) else {
        let names = scenario.interventions.iter().map(|i| i.name.as_str());
        let help = match did_you_mean(name, names) {
            Some(close) => format!("did you mean \"{close}\"?"),
            None => format!(
                "the interventions are: {}",
                scenario
                    .interventions
                    .iter()
                    .map(|i| format!("\"{}\"", i.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return Err(Problem::new(format!(
            "--intervention \"{name}\": no intervention has that name"
        ))
        .help(help));
    };
    let mut keep: Vec<usize> = vec![kept];
    keep.extend(
        scenario
            .expectations
            .iter()
            .filter(|e| e.intervention == kept)
            .filter_map(|e| e.versus),
    );
    keep.sort_unstable();
    keep.dedup();
    let new_index = |old: usize| keep.iter().position(|&k| k == old);
    scenario.expectations.retain(|e| e.intervention == kept);
    for e in &mut scenario.expectations {
        e.intervention = new_index(e.intervention).unwrap_or(0);
        e.versus = e.versus.and_then(new_index);
    }
    let all = std::mem::take(&mut scenario.interventions);
    scenario.interventions = all
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep.contains(i))
        .map(|(_, x)| x)
        .collect();
    Ok(())
}

fn add_to_interventions(
    scenario: &mut Scenario,
    presses: &[(usize, f64)],
    knockouts: &[usize],
    blocks: &[usize],
    described: &[String],
) {
    if presses.is_empty() && knockouts.is_empty() && blocks.is_empty() {
        return;
    }
    if scenario.interventions.is_empty() {
        scenario.interventions.push(Intervention {
            name: described.join(" "),
            ..Intervention::default()
        });
    }
    for intervention in &mut scenario.interventions {
        for &(node, level) in presses {
            match intervention.press.iter_mut().find(|(n, _)| *n == node) {
                Some(existing) => existing.1 = level,
                None => intervention.press.push((node, level)),
            }
        }
        for &k in knockouts {
            if !intervention.knockout.contains(&k) {
                intervention.knockout.push(k);
            }
        }
        for &b in blocks {
            if !intervention.block.contains(&b) {
                intervention.block.push(b);
            }
        }
    }
}
