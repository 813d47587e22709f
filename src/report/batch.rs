//! The batch's top-level files: `summary.csv` (one row per expectation and method, plus one per
//! failed scenario), `claims.csv` (per claim and method: which scenarios use it and how its
//! expectations fare; `what_if` expectations are counted apart and never as support) and the
//! data the HTML index is built from.

use super::csv::write_safe;
use crate::analysis::{ExpectationReport, RunReport, Verdict};
use crate::scenario::catalogue::Catalogue;
use crate::scenario::{ClaimLookup, Scenario};
use std::collections::BTreeMap;

/// One scenario that ran.
pub struct Ran<'a> {
    pub slug: &'a str,
    pub scenario: &'a Scenario,
    pub reports: &'a [RunReport],
}

/// One scenario that could not be loaded or run.
pub struct Failed<'a> {
    pub slug: &'a str,
    pub path: String,
    pub message: String,
}

/// The columns naming an expectation, first in summary.csv and the sweep's files.
pub(super) const EXPECTATION_COLUMNS: [&str; 8] = [
    "scenario",
    "file",
    "method",
    "intervention",
    "versus",
    "node",
    "change",
    "claims",
];

/// `summary.csv`.
pub fn summary_csv(ran: &[Ran], failed: &[Failed]) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header = EXPECTATION_COLUMNS.to_vec();
    header.extend([
        "probability",
        "probability_lo",
        "probability_hi",
        "probability_unconditional",
        "verdict",
        "held_out_probability",
        "held_out_verdict",
        "support",
        "without_evidence_probability",
        "without_evidence_verdict",
        "note",
    ]);
    let _ = write_safe(&mut w, header);
    for r in ran {
        for report in r.reports {
            for e in &report.expectations {
                let held_out = e.held_out.as_ref();
                let _ = write_safe(
                    &mut w,
                    [
                        r.slug,
                        &report.file,
                        &report.method,
                        &e.intervention,
                        e.versus.as_deref().unwrap_or(""),
                        &e.node,
                        &e.change,
                        &e.claims.join(" "),
                        &format!("{:.4}", e.probability),
                        &format!("{:.4}", e.probability_ci[0]),
                        &format!("{:.4}", e.probability_ci[1]),
                        &format!("{:.4}", e.probability_unconditional),
                        e.verdict.as_str(),
                        &held_out
                            .and_then(|h| h.probability)
                            .map_or(String::new(), |p| format!("{p:.4}")),
                        held_out.map_or("", |h| h.verdict.as_str()),
                        e.support.map_or("", |s| s.as_str()),
                        &e.without_evidence
                            .map_or(String::new(), |w| format!("{:.4}", w.probability)),
                        e.without_evidence.map_or("", |w| w.verdict.as_str()),
                        &expectation_note(e),
                    ],
                );
            }
        }
    }
    for f in failed {
        let first_line = f
            .message
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("error: ");
        let _ = write_safe(
            &mut w,
            [
                f.slug, &f.path, "", "", "", "", "", "", "", "", "", "failed", "", "", "", "", "",
                first_line,
            ],
        );
    }
    finish(w)
}

/// What a reader must know about an expectation beside its verdict: the gate a press verdict
/// could not express, conditioning, what-if.
fn expectation_note(e: &ExpectationReport) -> String {
    let mut parts: Vec<&str> = Vec::new();
    parts.extend(e.not_expressible.as_deref());
    if e.condition {
        parts.push("conditioned on");
    }
    if e.what_if {
        parts.push("what-if");
    }
    parts.join("; ")
}

/// How one claim fares under one method.
#[derive(Default)]
pub struct ClaimTally {
    /// Slugs of the scenarios citing it.
    pub scenarios: Vec<String>,
    pub expectations: u32,
    pub supported: u32,
    pub ambivalent: u32,
    pub contradicted: u32,
    pub not_expressible: u32,
    /// What-if expectations citing the claim: tested, but no evidence for or against it.
    pub what_if: u32,
}

/// Every claim cited by a scenario that ran, per (claim, method): the rows of claims.csv.
pub fn claim_tallies(ran: &[Ran]) -> BTreeMap<(String, String), ClaimTally> {
    let mut tallies: BTreeMap<(String, String), ClaimTally> = BTreeMap::new();
    for r in ran {
        for report in r.reports {
            tally_report(&mut tallies, r, report);
        }
    }
    tallies
}

/// A claim's paraphrase as the scenarios that ran resolve it: embedded in one of them, else
/// from the catalogue ("" when neither has it).
pub fn paraphrase<'a>(ran: &'a [Ran], catalogue: Option<&'a Catalogue>, claim: &str) -> &'a str {
    let catalogue = catalogue.map(|c| c as &dyn ClaimLookup);
    ran.iter()
        .find_map(|r| r.scenario.claim_lookup(catalogue).get(claim))
        .map_or("", |c| c.paraphrase.as_str())
}

/// `claims.csv`: every claim cited by a scenario that ran, per method.
pub fn claims_csv(ran: &[Ran], catalogue: Option<&Catalogue>) -> String {
    let tallies = claim_tallies(ran);
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = write_safe(
        &mut w,
        [
            "claim",
            "method",
            "scenarios",
            "expectations",
            "supported",
            "ambivalent",
            "contradicted",
            "not_expressible",
            "what_if",
            "paraphrase",
        ],
    );
    for ((claim, method), t) in &tallies {
        let paraphrase = paraphrase(ran, catalogue, claim);
        let _ = write_safe(
            &mut w,
            [
                claim.as_str(),
                method,
                &t.scenarios.join(" "),
                &t.expectations.to_string(),
                &t.supported.to_string(),
                &t.ambivalent.to_string(),
                &t.contradicted.to_string(),
                &t.not_expressible.to_string(),
                &t.what_if.to_string(),
                paraphrase,
            ],
        );
    }
    finish(w)
}

fn tally_report(tallies: &mut BTreeMap<(String, String), ClaimTally>, r: &Ran, report: &RunReport) {
    for claim in r.scenario.cited_claims() {
        let t = tallies
            .entry((claim.to_string(), report.method.clone()))
            .or_default();
        if !t.scenarios.iter().any(|s| s == r.slug) {
            t.scenarios.push(r.slug.to_string());
        }
    }
    for e in &report.expectations {
        for claim in &e.claims {
            let t = tallies
                .entry((claim.clone(), report.method.clone()))
                .or_default();
            if e.what_if {
                // The seeds do not state it: its verdict says nothing about the claim.
                t.what_if += 1;
                continue;
            }
            t.expectations += 1;
            match e.verdict {
                Verdict::Supported => t.supported += 1,
                Verdict::Ambivalent => t.ambivalent += 1,
                Verdict::Contradicted => t.contradicted += 1,
                Verdict::NotExpressible => t.not_expressible += 1,
            }
        }
    }
}

/// Counts of support classes per method over the whole batch, in `Support::ALL` order.
pub fn support_counts(ran: &[Ran]) -> BTreeMap<String, [u32; 6]> {
    let mut counts: BTreeMap<String, [u32; 6]> = BTreeMap::new();
    for report in ran.iter().flat_map(|r| r.reports.iter()) {
        let c = counts.entry(report.method.clone()).or_default();
        let more = crate::analysis::held_out::support_counts(report.expectations.iter());
        for (total, k) in c.iter_mut().zip(more) {
            *total += k;
        }
    }
    counts
}

/// Per method, how many verdicts the evidence rules change (against the run without them).
pub fn evidence_changes(ran: &[Ran]) -> BTreeMap<String, u32> {
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    for report in ran.iter().flat_map(|r| r.reports.iter()) {
        let changed = report
            .expectations
            .iter()
            .filter(|e| e.without_evidence.is_some_and(|w| w.verdict != e.verdict))
            .count() as u32;
        *counts.entry(report.method.clone()).or_default() += changed;
    }
    counts
}

/// Counts of verdicts per method over the whole batch, for the index and the terminal.
pub fn verdict_counts(ran: &[Ran]) -> BTreeMap<String, [u32; 4]> {
    let mut counts: BTreeMap<String, [u32; 4]> = BTreeMap::new();
    for report in ran.iter().flat_map(|r| r.reports.iter()) {
        let c = counts.entry(report.method.clone()).or_default();
        for e in &report.expectations {
            c[e.verdict as usize] += 1;
        }
    }
    counts
}

/// The CSV text a writer holds.
pub(super) fn finish(w: ::csv::Writer<Vec<u8>>) -> String {
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
