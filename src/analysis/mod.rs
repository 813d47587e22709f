//! From a method's accumulated draws to the result a user reads: per node the probabilities of
//! going up, down or not changing (with 95 % Wilson intervals) and the distribution of the change;
//! per expectation the probability of the asserted change and a verdict.
//!
//! The result structs are the output schema: `--format json` and `summary.json` serialise them
//! as they are, so field names are a public contract (scenario-format-v1.md).

pub mod agreement;
pub mod explain;
mod finish;
pub mod held_out;
pub mod interaction;
pub mod levels;
pub mod lint;
pub mod loop_analysis;
pub mod paths;

use crate::sample::Acceptance;
use crate::sample::correlation::Correlations;
use crate::sample::stats::{ResponseSummary, Z95, wilson_interval};
use crate::scenario::{Change, Scenario};
use serde::Serialize;

pub use finish::{MethodSummary, report};

/// Everything one method's run produced for one scenario.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct RunReport {
    /// Scenario title.
    pub scenario: String,
    /// Scenario file as given.
    pub file: String,
    pub method: String,
    /// Accepted samples.
    pub samples: u64,
    pub seed: u64,
    pub acceptance: AcceptanceReport,
    pub interventions: Vec<InterventionReport>,
    pub expectations: Vec<ExpectationReport>,
    /// Per distinct `versus` pair of the expectations, every node's paired difference: the
    /// quantity claims with `versus` are judged on. Empty when no expectation has `versus`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comparisons: Vec<ComparisonReport>,
    /// Command-line overrides applied on top of the file, as typed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// Per expectation, the links whose sampled strength moves it most (press only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sensitivity: Vec<ExpectationSensitivity>,
    /// ode, fcm: every node's level in the run without intervention.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<levels::BaselineReport>,
    /// The claimsim version that produced the numbers (sampling can change between versions).
    pub claimsim_version: String,
}

/// How many draws were made, kept stable, and accepted, and why the others were rejected.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct AcceptanceReport {
    pub draws: u64,
    pub stable: u64,
    pub accepted: u64,
    pub unstable: u64,
    pub singular: u64,
    /// Draws no test could decide numerically: on the stability boundary, or (press) with a
    /// response too large for floating point.
    pub undecided: u64,
    /// ode, fcm: draws whose run did not settle (no fixed point within the iteration cap, or
    /// an integration that could not reach the end time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_converged: Option<u64>,
    pub rejected_by_condition: Vec<ConditionRejections>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct ConditionRejections {
    /// Index of the expectation (0-based, in file order).
    pub expectation: usize,
    pub draws: u64,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct InterventionReport {
    pub name: String,
    /// Accepted draws in which this intervention could be solved (fewer than `samples` only
    /// when a knockout or block made the network unstable in some draws).
    pub samples: u64,
    pub nodes: Vec<NodeOutcome>,
    /// ode: node levels over time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_course: Option<levels::TimeCourse>,
}

/// Two interventions compared on the same draws: per node, the change under `intervention`
/// minus the change under `versus` (its probabilities of going up, down or nowhere, and its
/// distribution).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct ComparisonReport {
    pub intervention: String,
    pub versus: String,
    /// Accepted draws in which both interventions could be solved.
    pub samples: u64,
    pub nodes: Vec<NodeOutcome>,
}

impl ComparisonReport {
    /// "A vs B", as panel titles and table columns name it.
    pub fn title(&self) -> String {
        format!("{} vs {}", self.intervention, self.versus)
    }
}

/// The change of one node under one intervention.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct NodeOutcome {
    pub node: String,
    pub p_up: f64,
    pub p_down: f64,
    pub p_zero: f64,
    /// 95 % Wilson intervals of the three probabilities.
    pub p_up_ci: [f64; 2],
    pub p_down_ci: [f64; 2],
    pub p_zero_ci: [f64; 2],
    pub mean: f64,
    pub median: f64,
    pub q05: f64,
    pub q95: f64,
    /// ode, fcm: the distribution of the node's final level under the intervention.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_mean: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_median: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_q05: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_q95: Option<f64>,
    /// press: what loop analysis of the signed network predicts (docs/methods.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loop_prediction: Option<loop_analysis::LoopPrediction>,
}

/// The verdict on a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Supported,
    Contradicted,
    Ambivalent,
    /// press only: the claim's truth hinges on an AND gate, which press reads as separate links
    /// ([`interaction`]); `not_expressible` in the report says which gate.
    #[serde(rename = "not-expressible")]
    NotExpressible,
}

impl Verdict {
    pub const ALL: [Verdict; 4] = [
        Verdict::Supported,
        Verdict::Contradicted,
        Verdict::Ambivalent,
        Verdict::NotExpressible,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Contradicted => "contradicted",
            Verdict::Ambivalent => "ambivalent",
            Verdict::NotExpressible => "not-expressible",
        }
    }

    /// Whether the method judged the claim at all.
    pub fn is_judged(self) -> bool {
        self != Verdict::NotExpressible
    }
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct ExpectationReport {
    pub intervention: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versus: Option<String>,
    pub node: String,
    pub change: String,
    /// Probability of the asserted change if the expectation's claims hold: over the draws in
    /// which every link citing them is present (all draws when none is uncertain).
    pub probability: f64,
    pub probability_ci: [f64; 2],
    /// Probability of the asserted change over all draws, its own links' presence uncertain
    /// like the rest.
    pub probability_unconditional: f64,
    /// The uncertain links citing the expectation's claims, which `probability` takes as
    /// present.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditioned_on: Vec<String>,
    /// With `conditioned_on`: the compared change over the draws `probability` counts, in the
    /// shape of a node outcome (shares, intervals, quantiles), so that a chart marking this
    /// claim can show the quantity it is judged on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditional: Option<NodeOutcome>,
    /// Probability that the asserted change does not happen (for `up`: down or no change; for
    /// `none`: any change).
    pub p_opposite: f64,
    pub verdict: Verdict,
    /// With the verdict `not-expressible`: the gate the claim hinges on, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_expressible: Option<String>,
    pub claims: Vec<String>,
    /// Samples were conditioned on this expectation, so it holds by construction.
    pub condition: bool,
    /// A what-if the seeds do not state: its verdict is no evidence for its claims.
    pub what_if: bool,
    /// The same expectation on the same draws without the links that cite its claims; `null`
    /// when it cites no claim.
    pub held_out: Option<held_out::HeldOut>,
    /// What the rest of the evidence says: corroborated, restated, disputed, contradicted,
    /// ambivalent or untestable (set with the held-out result).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support: Option<held_out::Support>,
    /// The verdict with the evidence rules switched off (every link present always).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub without_evidence: Option<PlainVerdict>,
    /// Draws in which the compared change went up, down or nowhere.
    #[serde(skip)]
    pub counts: held_out::DirectionCounts,
    /// press: what loop analysis of the signed network predicts for the compared change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loop_prediction: Option<loop_analysis::LoopPrediction>,
}

impl ExpectationReport {
    /// The probability over all draws, when the verdict's own (conditioned) probability is
    /// another to three decimals: what a reader should see beside it.
    pub fn unconditional_if_different(&self) -> Option<f64> {
        let differs =
            format!("{:.3}", self.probability) != format!("{:.3}", self.probability_unconditional);
        (!self.conditioned_on.is_empty() && self.verdict.is_judged() && differs)
            .then_some(self.probability_unconditional)
    }
}

/// A probability and its verdict.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct PlainVerdict {
    pub probability: f64,
    pub verdict: Verdict,
}

/// Per expectation, its compared change over all accepted draws and over those in which its
/// own links are present.
pub struct ExpectationDraws<'a> {
    pub all: &'a [ResponseSummary],
    pub conditional: &'a [ResponseSummary],
}

/// Summarises one method's accumulated draws: the part every method shares ([`report`] adds
/// the rest).
fn method_report(
    scenario: &Scenario,
    method: &str,
    responses: &[Vec<ResponseSummary>],
    expectations: ExpectationDraws,
    acceptance: &Acceptance,
) -> RunReport {
    let sim = &scenario.simulation;
    RunReport {
        scenario: scenario.title.clone(),
        file: scenario.path.display().to_string(),
        method: method.to_string(),
        samples: acceptance.accepted,
        seed: sim.seed,
        acceptance: acceptance_report(acceptance),
        interventions: scenario
            .interventions
            .iter()
            .zip(responses)
            .map(|(i, nodes)| InterventionReport {
                name: i.name.clone(),
                samples: nodes.first().map_or(0, ResponseSummary::count),
                nodes: nodes
                    .iter()
                    .enumerate()
                    .map(|(k, s)| node_outcome(&scenario.nodes[k].name, s))
                    .collect(),
                time_course: None,
            })
            .collect(),
        expectations: scenario
            .expectations
            .iter()
            .zip(expectations.all.iter().zip(expectations.conditional))
            .map(|(e, (all, s))| {
                let name = |i: usize| scenario.interventions[i].name.clone();
                let (probability, probability_ci, p_opposite) = asserted(s, e.change);
                let not_expressible = (method == "press")
                    .then(|| interaction::press_gate_dependence(scenario, e))
                    .flatten()
                    .map(|gate| gate.describe(scenario));
                let verdict = match not_expressible {
                    Some(_) => Verdict::NotExpressible,
                    None => verdict(probability, p_opposite, sim.support),
                };
                let node = &scenario.nodes[e.node].name;
                let conditioned_on = conditioned_on(scenario, e);
                let conditional = (!conditioned_on.is_empty()).then(|| node_outcome(node, s));
                ExpectationReport {
                    intervention: name(e.intervention),
                    versus: e.versus.map(name),
                    node: node.clone(),
                    change: e.change.as_str().to_string(),
                    probability,
                    probability_ci,
                    probability_unconditional: asserted(all, e.change).0,
                    conditioned_on,
                    conditional,
                    p_opposite,
                    verdict,
                    not_expressible,
                    claims: e.claims.clone(),
                    condition: e.condition,
                    what_if: e.what_if,
                    held_out: None,
                    support: None,
                    without_evidence: None,
                    counts: held_out::DirectionCounts {
                        up: s.n_up(),
                        down: s.n_down(),
                        zero: s.n_zero(),
                    },
                    loop_prediction: None,
                }
            })
            .collect(),
        comparisons: Vec::new(),
        overrides: Vec::new(),
        sensitivity: Vec::new(),
        baseline: None,
        claimsim_version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

/// Which links drive one expectation.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct ExpectationSensitivity {
    pub intervention: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versus: Option<String>,
    pub node: String,
    pub change: String,
    /// Links by decreasing strength of association; links whose strength never varies, or
    /// expectations whose change never varies, are left out.
    pub links: Vec<LinkSensitivity>,
}

/// How a link's sampled strength goes with an expectation's change.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct LinkSensitivity {
    /// Link text, e.g. `miR-100 -| mTOR`.
    pub link: String,
    /// Pearson correlation, over accepted draws, between the link's sampled strength (its
    /// magnitude, signed for `-?` links, 0 when absent) and the compared change oriented
    /// towards the claim (`asinh`, so heavy tails do not dominate): positive when a stronger
    /// link pushes the change the asserted way.
    pub correlation: f64,
}

/// Turns per-expectation sums into links ranked by their correlation with the claim.
pub fn sensitivity(scenario: &Scenario, sums: &[Correlations]) -> Vec<ExpectationSensitivity> {
    let name = |i: usize| scenario.interventions[i].name.clone();
    scenario
        .expectations
        .iter()
        .zip(sums)
        .map(|(e, sums)| {
            let mut links: Vec<LinkSensitivity> = scenario
                .links
                .iter()
                .enumerate()
                .filter_map(|(i, link)| {
                    Some(LinkSensitivity {
                        link: link.text.clone(),
                        correlation: sums.correlation(i)?,
                    })
                })
                .collect();
            links.sort_by(|a, b| b.correlation.abs().total_cmp(&a.correlation.abs()));
            ExpectationSensitivity {
                intervention: name(e.intervention),
                versus: e.versus.map(name),
                node: scenario.nodes[e.node].name.clone(),
                change: e.change.as_str().to_string(),
                links,
            }
        })
        .collect()
}

/// Supported when the asserted change has probability at least `support`, contradicted when
/// its absence (the other direction, or no change) has, ambivalent otherwise.
pub fn verdict(probability: f64, p_opposite: f64, support: f64) -> Verdict {
    if probability >= support {
        Verdict::Supported
    } else if p_opposite >= support {
        Verdict::Contradicted
    } else {
        Verdict::Ambivalent
    }
}

/// The texts of the uncertain links citing an expectation's claims.
fn conditioned_on(scenario: &Scenario, e: &crate::scenario::Expectation) -> Vec<String> {
    scenario
        .uncertain_links_citing(&e.claims)
        .into_iter()
        .map(|l| scenario.links[l].text.clone())
        .collect()
}

fn asserted(s: &ResponseSummary, change: Change) -> (f64, [f64; 2], f64) {
    let n = s.count();
    let k = match change {
        Change::Up => s.n_up(),
        Change::Down => s.n_down(),
        Change::None => s.n_zero(),
    };
    // Everything else counts against the claim: for "up", going down or not changing at all.
    let (lo, hi) = wilson_interval(k, n, Z95);
    (fraction(k, n), [lo, hi], fraction(n - k, n))
}

/// Every versus pair's paired differences, from one summary per pair and node.
pub fn comparisons(scenario: &Scenario, sums: &[Vec<ResponseSummary>]) -> Vec<ComparisonReport> {
    let name = |i: usize| scenario.interventions[i].name.clone();
    scenario
        .versus_pairs()
        .into_iter()
        .zip(sums)
        .map(|((k, v), nodes)| ComparisonReport {
            intervention: name(k),
            versus: name(v),
            samples: nodes.first().map_or(0, ResponseSummary::count),
            nodes: nodes
                .iter()
                .enumerate()
                .map(|(node, s)| node_outcome(&scenario.nodes[node].name, s))
                .collect(),
        })
        .collect()
}

fn node_outcome(node: &str, s: &ResponseSummary) -> NodeOutcome {
    let n = s.count();
    let interval = |k| {
        let (lo, hi) = wilson_interval(k, n, Z95);
        [lo, hi]
    };
    NodeOutcome {
        node: node.to_string(),
        p_up: fraction(s.n_up(), n),
        p_down: fraction(s.n_down(), n),
        p_zero: fraction(s.n_zero(), n),
        p_up_ci: interval(s.n_up()),
        p_down_ci: interval(s.n_down()),
        p_zero_ci: interval(s.n_zero()),
        mean: s.mean(),
        median: s.quantile(0.5),
        q05: s.quantile(0.05),
        q95: s.quantile(0.95),
        level_mean: None,
        level_median: None,
        level_q05: None,
        level_q95: None,
        loop_prediction: None,
    }
}

fn fraction(k: u64, n: u64) -> f64 {
    if n == 0 {
        f64::NAN
    } else {
        k as f64 / n as f64
    }
}

fn acceptance_report(a: &Acceptance) -> AcceptanceReport {
    AcceptanceReport {
        draws: a.draws,
        stable: a.stable,
        accepted: a.accepted,
        unstable: a.unstable,
        singular: a.singular,
        undecided: a.undecided,
        not_converged: None,
        rejected_by_condition: a
            .rejected_by_condition
            .iter()
            .map(|&(expectation, draws)| ConditionRejections { expectation, draws })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_thresholds() {
        assert_eq!(verdict(0.8, 0.1, 0.8), Verdict::Supported);
        assert_eq!(verdict(0.1, 0.85, 0.8), Verdict::Contradicted);
        assert_eq!(verdict(0.5, 0.5, 0.8), Verdict::Ambivalent);
    }
}
