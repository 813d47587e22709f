//! Method agreement: when several methods ran on one scenario (`--method all`), each claim's
//! probability and verdict under every method side by side, and whether the methods agree.
//!
//! The methods agree on a claim when every method that can judge it gives the same verdict, and
//! at least two can: press leaves out claims that hinge on a gate (`not-expressible`, see
//! [`super::interaction`]), and the others then decide. A claim supported by every
//! method is stronger than one supported by some: the methods make different assumptions (linear
//! response at equilibrium, saturating logic dynamics, squashed iterated sums), so agreement says
//! the conclusion does not hang on one of them. The table is derived from the reports, never
//! stored beside them.

use super::{RunReport, Verdict};
use serde::Serialize;

/// Every expectation under every method.
#[derive(Debug, Clone, Serialize)]
pub struct Agreement {
    /// Methods in the order they ran.
    pub methods: Vec<String>,
    pub expectations: Vec<ExpectationAgreement>,
    /// How many expectations the judging methods give the same verdict.
    pub agreed: usize,
}

/// One expectation under every method.
#[derive(Debug, Clone, Serialize)]
pub struct ExpectationAgreement {
    pub intervention: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versus: Option<String>,
    pub node: String,
    pub change: String,
    pub claims: Vec<String>,
    pub methods: Vec<MethodVerdict>,
    /// Every method that can judge the claim (at least two) gives the same verdict.
    pub agree: bool,
    /// That common verdict, when they agree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
}

/// One method's answer on one expectation.
#[derive(Debug, Clone, Serialize)]
pub struct MethodVerdict {
    pub method: String,
    pub probability: f64,
    pub verdict: Verdict,
}

/// The agreement table of reports of one scenario by several methods; `None` for fewer than two.
pub fn agreement(reports: &[RunReport]) -> Option<Agreement> {
    let (first, _) = reports.split_first().filter(|(_, rest)| !rest.is_empty())?;
    let expectations: Vec<ExpectationAgreement> = first
        .expectations
        .iter()
        .enumerate()
        .map(|(index, e)| {
            let methods: Vec<MethodVerdict> = reports
                .iter()
                .filter_map(|r| {
                    let x = r.expectations.get(index)?;
                    Some(MethodVerdict {
                        method: r.method.clone(),
                        probability: x.probability,
                        verdict: x.verdict,
                    })
                })
                .collect();
            let judged: Vec<Verdict> = methods
                .iter()
                .map(|m| m.verdict)
                .filter(|v| v.is_judged())
                .collect();
            let agree = methods.len() == reports.len()
                && judged.len() >= 2
                && judged.iter().all(|&v| v == judged[0]);
            ExpectationAgreement {
                intervention: e.intervention.clone(),
                versus: e.versus.clone(),
                node: e.node.clone(),
                change: e.change.clone(),
                claims: e.claims.clone(),
                verdict: agree.then(|| judged[0]),
                methods,
                agree,
            }
        })
        .collect();
    Some(Agreement {
        methods: reports.iter().map(|r| r.method.clone()).collect(),
        agreed: expectations.iter().filter(|e| e.agree).count(),
        expectations,
    })
}
