//! Held-out verdicts: does the rest of the network predict a claim, or does it only restate it?
//!
//! Most expectations cite a claim that is also written into the network as a link, so
//! "supported" may mean no more than "encoded with the right sign". Every expectation is
//! therefore evaluated a second time with the links that cite any of its own claims removed: a
//! structural variant of its intervention (and of its `versus`; for the dynamic methods, whose
//! changes are taken against a baseline run, of the baseline too), like a block. The variants
//! are extra interventions of an augmented scenario, so they are solved on the same draws as the
//! expectation itself (press: in the same run, where a structural variant never rejects a draw;
//! ode and fcm: in a second run over the same random streams, whose draws are paired with the
//! first except where a variant does not settle).
//!
//! The two verdicts together give the expectation's [`Support`] class.

use super::{ExpectationReport, RunReport, Verdict};
use crate::scenario::{Change, Expectation, Intervention, Scenario};
use serde::Serialize;

/// What the network without the expectation's own links says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeldOutVerdict {
    /// The asserted change has probability at least `support`.
    Supported,
    /// The other direction (for `none`: any change) has probability at least `support`.
    Contradicted,
    /// Both directions keep a real share (the other one at least `1 - support`).
    Ambivalent,
    /// The node reacts, but does not move in at least `support` of the draws.
    NoChange,
    /// Leaning the asserted way without reaching `support`, or no draw could be solved.
    Undecided,
    /// Without the removed links nothing connects the perturbation to the node.
    NoPath,
}

impl HeldOutVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            HeldOutVerdict::Supported => "supported",
            HeldOutVerdict::Contradicted => "contradicted",
            HeldOutVerdict::Ambivalent => "ambivalent",
            HeldOutVerdict::NoChange => "no-change",
            HeldOutVerdict::Undecided => "undecided",
            HeldOutVerdict::NoPath => "no-path",
        }
    }
}

/// An expectation's held-out result.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct HeldOut {
    /// Probability of the asserted change without the removed links; `null` when no draw could
    /// be solved.
    pub probability: Option<f64>,
    pub verdict: HeldOutVerdict,
    /// The links removed: those citing any of the expectation's claims.
    pub removed: Vec<String>,
}

/// What the rest of the evidence says about an expectation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Support {
    /// Supported, and the held-out network alone predicts it too.
    Corroborated,
    /// Supported, but nothing else predicts it (no path left, no change, or undecided).
    Restated,
    /// Supported, but the held-out network points elsewhere (contradicted or ambivalent).
    Disputed,
    /// Contradicted on the full network.
    Contradicted,
    /// Ambivalent on the full network.
    Ambivalent,
    /// The expectation cites no claim, so there is nothing to hold out.
    Untestable,
}

impl Support {
    pub const ALL: [Support; 6] = [
        Support::Corroborated,
        Support::Restated,
        Support::Disputed,
        Support::Contradicted,
        Support::Ambivalent,
        Support::Untestable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Support::Corroborated => "corroborated",
            Support::Restated => "restated",
            Support::Disputed => "disputed",
            Support::Contradicted => "contradicted",
            Support::Ambivalent => "ambivalent",
            Support::Untestable => "untestable",
        }
    }

    /// The class from the verdict on the full network and the held-out verdict (`None` when
    /// the expectation cites no claim).
    pub fn classify(verdict: Verdict, held_out: Option<HeldOutVerdict>) -> Support {
        let Some(held_out) = held_out else {
            return Support::Untestable;
        };
        match verdict {
            // The method cannot judge the claim, so the rest of the evidence cannot either.
            Verdict::NotExpressible => Support::Untestable,
            Verdict::Contradicted => Support::Contradicted,
            Verdict::Ambivalent => Support::Ambivalent,
            Verdict::Supported => match held_out {
                HeldOutVerdict::Supported => Support::Corroborated,
                HeldOutVerdict::Contradicted | HeldOutVerdict::Ambivalent => Support::Disputed,
                HeldOutVerdict::NoChange | HeldOutVerdict::Undecided | HeldOutVerdict::NoPath => {
                    Support::Restated
                }
            },
        }
    }
}

/// Draws in which a compared change went up, down, or did not change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DirectionCounts {
    pub up: u64,
    pub down: u64,
    pub zero: u64,
}

/// The held-out verdict from the direction counts of the held-out variant.
pub fn held_out_verdict(
    counts: DirectionCounts,
    change: Change,
    support: f64,
) -> (Option<f64>, HeldOutVerdict) {
    let n = counts.up + counts.down + counts.zero;
    if n == 0 {
        return (None, HeldOutVerdict::Undecided);
    }
    let share = |k: u64| k as f64 / n as f64;
    let (claimed, other) = match change {
        Change::Up => (counts.up, counts.down),
        Change::Down => (counts.down, counts.up),
        Change::None => (counts.zero, counts.up + counts.down),
    };
    let p = share(claimed);
    let verdict = if p >= support {
        HeldOutVerdict::Supported
    } else if share(other) >= support {
        HeldOutVerdict::Contradicted
    } else if change != Change::None && share(counts.zero) >= support {
        HeldOutVerdict::NoChange
    } else if change == Change::None || share(other) >= 1.0 - support {
        HeldOutVerdict::Ambivalent
    } else {
        HeldOutVerdict::Undecided
    };
    (Some(p), verdict)
}

/// How one expectation is held out.
#[derive(Debug, Clone)]
enum Slot {
    /// Cites no claim.
    Untestable,
    /// No link cites its claims: the whole network already is "the rest of the evidence".
    Unchanged,
    /// Without the removed links nothing connects the perturbation to the node.
    NoPath { removed: Vec<usize> },
    /// Evaluated as this expectation of the augmented scenario.
    Variant { index: usize, removed: Vec<usize> },
}

/// The held-out variants of a scenario's expectations.
#[derive(Debug, Clone)]
pub struct HeldOutPlan {
    slots: Vec<Slot>,
    /// The scenario with the variants appended; `None` when no expectation needs one.
    augmented: Option<Scenario>,
    interventions: usize,
    expectations: usize,
    /// The scenario's own versus pairs, which come before the variants' in the augmented one.
    comparisons: usize,
    support: f64,
}

impl HeldOutPlan {
    /// Plans the variants; `with_baseline` adds a held-out baseline for expectations without
    /// `versus` (methods that take changes against a baseline run: ode, fcm).
    pub fn new(scenario: &Scenario, with_baseline: bool) -> Self {
        let mut augmented = scenario.clone();
        let mut variants: Vec<(Option<usize>, Vec<usize>, usize)> = Vec::new();
        let slots = scenario
            .expectations
            .iter()
            .map(|e| {
                let removed = scenario.links_citing(&e.claims);
                if e.claims.is_empty() {
                    Slot::Untestable
                } else if removed.is_empty() {
                    Slot::Unchanged
                } else if !connected(scenario, e, &removed) {
                    Slot::NoPath { removed }
                } else {
                    let mut variant = |of: Option<usize>| {
                        variant_index(&mut augmented, &mut variants, of, &removed)
                    };
                    let intervention = variant(Some(e.intervention));
                    let versus = match e.versus {
                        Some(v) => Some(variant(Some(v))),
                        None if with_baseline => Some(variant(None)),
                        None => None,
                    };
                    augmented.expectations.push(Expectation {
                        intervention,
                        versus,
                        claims: Vec::new(),
                        condition: false,
                        ..e.clone()
                    });
                    Slot::Variant {
                        index: augmented.expectations.len() - 1,
                        removed,
                    }
                }
            })
            .collect();
        HeldOutPlan {
            slots,
            augmented: (!variants.is_empty()).then_some(augmented),
            interventions: scenario.interventions.len(),
            expectations: scenario.expectations.len(),
            comparisons: scenario.versus_pairs().len(),
            support: scenario.simulation.support,
        }
    }

    /// The scenario to run for the variants, if any are needed.
    pub fn augmented(&self) -> Option<&Scenario> {
        self.augmented.as_ref()
    }

    /// Per expectation, the direction counts of its variant in a report of the augmented
    /// scenario (`None` for expectations without a variant).
    pub fn variant_counts(&self, augmented: &RunReport) -> Vec<Option<DirectionCounts>> {
        self.slots
            .iter()
            .map(|slot| match slot {
                Slot::Variant { index, .. } => augmented.expectations.get(*index).map(|e| e.counts),
                _ => None,
            })
            .collect()
    }

    /// Removes the variants' interventions and expectations from a report of the augmented
    /// scenario, leaving the report of the scenario itself.
    pub fn strip(&self, report: &mut RunReport) {
        report.interventions.truncate(self.interventions);
        report.expectations.truncate(self.expectations);
        report.sensitivity.truncate(self.expectations);
        report.comparisons.truncate(self.comparisons);
    }

    /// Sets every expectation's held-out result and support class. `variants` are from
    /// [`Self::variant_counts`], or `None` when the augmented run failed.
    pub fn attach(
        &self,
        scenario: &Scenario,
        report: &mut RunReport,
        variants: Option<&[Option<DirectionCounts>]>,
    ) {
        let link_names = |removed: &[usize]| -> Vec<String> {
            removed
                .iter()
                .map(|&l| scenario.links[l].text.clone())
                .collect()
        };
        for (k, (slot, e)) in self.slots.iter().zip(&mut report.expectations).enumerate() {
            let change = scenario.expectations[k].change;
            e.held_out = match slot {
                Slot::Untestable => None,
                Slot::Unchanged => Some(self.held_out(e.counts, change, Vec::new())),
                Slot::NoPath { removed } => Some(HeldOut {
                    probability: Some(if change == Change::None { 1.0 } else { 0.0 }),
                    verdict: HeldOutVerdict::NoPath,
                    removed: link_names(removed),
                }),
                Slot::Variant { removed, .. } => {
                    let counts = variants.and_then(|v| v[k]).unwrap_or_default();
                    Some(self.held_out(counts, change, link_names(removed)))
                }
            };
            e.support = Some(Support::classify(
                e.verdict,
                e.held_out.as_ref().map(|h| h.verdict),
            ));
        }
    }

    fn held_out(&self, counts: DirectionCounts, change: Change, removed: Vec<String>) -> HeldOut {
        let (probability, verdict) = held_out_verdict(counts, change, self.support);
        HeldOut {
            probability,
            verdict,
            removed,
        }
    }
}

/// Counts of expectations per support class, in [`Support::ALL`] order.
pub fn support_counts<'a>(expectations: impl Iterator<Item = &'a ExpectationReport>) -> [u32; 6] {
    let mut counts = [0; 6];
    for e in expectations {
        if let Some(s) = e.support {
            counts[s as usize] += 1;
        }
    }
    counts
}

/// The index in `augmented` of the variant of intervention `of` (`None`: the baseline) with
/// `removed` blocked, added on first use.
fn variant_index(
    augmented: &mut Scenario,
    variants: &mut Vec<(Option<usize>, Vec<usize>, usize)>,
    of: Option<usize>,
    removed: &[usize],
) -> usize {
    if let Some(&(_, _, index)) = variants
        .iter()
        .find(|(o, r, _)| *o == of && r.as_slice() == removed)
    {
        return index;
    }
    let mut variant = of.map_or_else(Intervention::default, |i| {
        augmented.interventions[i].clone()
    });
    variant.name = format!("{} (held out {})", variant.name, variants.len() + 1);
    for &link in removed {
        if !variant.block.contains(&link) {
            variant.block.push(link);
        }
    }
    augmented.interventions.push(variant);
    let index = augmented.interventions.len() - 1;
    variants.push((of, removed.to_vec(), index));
    index
}

/// Whether, without `removed`, the expectation's node can still be reached from what its
/// intervention (or its `versus`) perturbs.
fn connected(scenario: &Scenario, e: &Expectation, removed: &[usize]) -> bool {
    let reaches = |i: usize| reaches(scenario, &scenario.interventions[i], removed, e.node);
    reaches(e.intervention) || e.versus.is_some_and(reaches)
}

/// Whether `node` is downstream of what `intervention` perturbs (presses, knockouts, doses,
/// targets of its blocked links), along links neither it nor `removed` takes out.
fn reaches(
    scenario: &Scenario,
    intervention: &Intervention,
    removed: &[usize],
    node: usize,
) -> bool {
    let gone = |link: usize| intervention.block.contains(&link) || removed.contains(&link);
    let mut reached = vec![false; scenario.nodes.len()];
    let mut stack: Vec<usize> = intervention
        .press
        .iter()
        .map(|&(n, _)| n)
        .chain(intervention.knockout.iter().copied())
        .chain(intervention.doses.iter().map(|d| d.node))
        .chain(intervention.block.iter().map(|&l| scenario.links[l].target))
        .collect();
    for &s in &stack {
        reached[s] = true;
    }
    while let Some(from) = stack.pop() {
        for edge in scenario.edges().filter(|e| e.from == from && !gone(e.link)) {
            if !reached[edge.to] && !intervention.knockout.contains(&edge.to) {
                reached[edge.to] = true;
                stack.push(edge.to);
            }
        }
    }
    reached[node]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(up: u64, down: u64, zero: u64) -> DirectionCounts {
        DirectionCounts { up, down, zero }
    }

    #[test]
    fn held_out_verdicts_follow_the_shares() {
        let v = |c, change| held_out_verdict(c, change, 0.8).1;
        assert_eq!(v(counts(90, 5, 5), Change::Up), HeldOutVerdict::Supported);
        assert_eq!(
            v(counts(5, 90, 5), Change::Up),
            HeldOutVerdict::Contradicted
        );
        assert_eq!(v(counts(5, 5, 90), Change::Up), HeldOutVerdict::NoChange);
        assert_eq!(
            v(counts(50, 40, 10), Change::Up),
            HeldOutVerdict::Ambivalent
        );
        // Leaning the claimed way, the rest not moving: undecided, not a dispute.
        assert_eq!(v(counts(70, 0, 30), Change::Up), HeldOutVerdict::Undecided);
        assert_eq!(v(counts(0, 0, 0), Change::Up), HeldOutVerdict::Undecided);
        assert_eq!(v(counts(5, 5, 90), Change::None), HeldOutVerdict::Supported);
        assert_eq!(
            v(counts(50, 0, 50), Change::None),
            HeldOutVerdict::Ambivalent
        );
    }

    #[test]
    fn support_classes() {
        use HeldOutVerdict as H;
        let c = Support::classify;
        assert_eq!(
            c(Verdict::Supported, Some(H::Supported)),
            Support::Corroborated
        );
        assert_eq!(c(Verdict::Supported, Some(H::NoPath)), Support::Restated);
        assert_eq!(c(Verdict::Supported, Some(H::Undecided)), Support::Restated);
        assert_eq!(
            c(Verdict::Supported, Some(H::Ambivalent)),
            Support::Disputed
        );
        assert_eq!(
            c(Verdict::Supported, Some(H::Contradicted)),
            Support::Disputed
        );
        assert_eq!(
            c(Verdict::Ambivalent, Some(H::Supported)),
            Support::Ambivalent
        );
        assert_eq!(c(Verdict::Supported, None), Support::Untestable);
    }
}
