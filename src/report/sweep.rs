//! The sweep's files: `fragility.csv` (one row per expectation, method and perturbation, with
//! the verdict and probability before and after), `fragility-claims.csv` (per expectation and
//! method: how many single perturbations flip its verdict, most fragile first) and
//! `skipped.csv` (scenarios that did not load, units that failed or were left out, and why).

use super::batch::{EXPECTATION_COLUMNS, finish};
use super::csv::write_safe;
use crate::pipeline::sweep::{FlipRecord, SweepPlan, SweepResult, UnitExpectation, UnitReport};
use crate::scenario::Method;
use std::collections::HashMap;

/// The sweep's scenarios by index, with the name each goes by in the outputs.
pub struct Named<'a> {
    pub plan: &'a SweepPlan,
    pub result: &'a SweepResult,
    /// One name per scenario of the plan (the batch's slugs).
    pub names: &'a [String],
}

impl Named<'_> {
    fn baseline(&self, scenario: usize, method: Method) -> Option<&UnitReport> {
        self.result
            .baselines
            .iter()
            .find(|(s, r)| *s == scenario && r.method == method.as_str())
            .map(|(_, r)| r)
    }

    pub fn expectation(&self, record: &FlipRecord) -> Option<&UnitExpectation> {
        self.baseline(record.scenario, record.method)?
            .expectations
            .get(record.expectation)
    }

    fn file(&self, scenario: usize) -> String {
        self.plan.scenarios[scenario].path.display().to_string()
    }
}

fn expectation_cells(named: &Named, record: &FlipRecord) -> Vec<String> {
    let e = named.expectation(record);
    let field = |f: fn(&UnitExpectation) -> String| e.map_or(String::new(), f);
    vec![
        named.names[record.scenario].clone(),
        named.file(record.scenario),
        record.method.as_str().to_string(),
        field(|e| e.intervention.clone()),
        field(|e| e.versus.clone().unwrap_or_default()),
        field(|e| e.node.clone()),
        field(|e| e.change.clone()),
        field(|e| e.claims.join(" ")),
    ]
}

/// `fragility.csv`: every record, in work-unit order.
pub fn fragility_csv(named: &Named) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header = EXPECTATION_COLUMNS.to_vec();
    header.extend([
        "perturbation",
        "verdict_before",
        "verdict_after",
        "flipped",
        "probability_before",
        "probability_after",
    ]);
    let _ = write_safe(&mut w, header);
    for record in &named.result.records {
        let mut row = expectation_cells(named, record);
        row.extend([
            record.perturbation.describe(),
            record.before.as_str().to_string(),
            record.after.as_str().to_string(),
            yes_no(record.flipped()).to_string(),
            format!("{:.4}", record.p_before),
            format!("{:.4}", record.p_after),
        ]);
        let _ = write_safe(&mut w, row);
    }
    finish(w)
}

/// One expectation under one method, with the perturbations that flip it.
pub struct Fragility<'a> {
    /// The expectation's first record (its identity and unperturbed verdict).
    pub first: &'a FlipRecord,
    pub tried: usize,
    pub flipped_by: Vec<String>,
}

/// Every expectation's fragility, most flips first (ties in work-unit order).
pub fn fragilities<'a>(result: &'a SweepResult) -> Vec<Fragility<'a>> {
    let mut order: Vec<Fragility> = Vec::new();
    let mut index: HashMap<(usize, &str, usize), usize> = HashMap::new();
    for record in &result.records {
        let key = (record.scenario, record.method.as_str(), record.expectation);
        let k = *index.entry(key).or_insert_with(|| {
            order.push(Fragility {
                first: record,
                tried: 0,
                flipped_by: Vec::new(),
            });
            order.len() - 1
        });
        order[k].tried += 1;
        if record.flipped() {
            order[k].flipped_by.push(record.perturbation.describe());
        }
    }
    order.sort_by_key(|f| std::cmp::Reverse(f.flipped_by.len()));
    order
}

/// `fragility-claims.csv`: per expectation and method, its unperturbed verdict, how many
/// perturbations were tried and how many flip it (the fragility score), and which.
pub fn fragility_claims_csv(named: &Named) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header = EXPECTATION_COLUMNS.to_vec();
    header.extend([
        "verdict",
        "probability",
        "perturbations",
        "flips",
        "fragility",
        "flipped_by",
    ]);
    let _ = write_safe(&mut w, header);
    for f in fragilities(named.result) {
        let mut row = expectation_cells(named, f.first);
        let flips = f.flipped_by.len();
        row.extend([
            f.first.before.as_str().to_string(),
            format!("{:.4}", f.first.p_before),
            f.tried.to_string(),
            flips.to_string(),
            format!("{:.4}", flips as f64 / f.tried.max(1) as f64),
            f.flipped_by.join("; "),
        ]);
        let _ = write_safe(&mut w, row);
    }
    finish(w)
}

/// `skipped.csv`: what the sweep could not or would not run.
pub fn skipped_csv(named: &Named) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = write_safe(
        &mut w,
        ["scenario", "file", "method", "perturbation", "reason"],
    );
    let mut row = |scenario: usize, method: &str, perturbation: String, reason: &str| {
        let reason = reason.lines().next().unwrap_or("");
        let _ = write_safe(
            &mut w,
            [
                named.names[scenario].as_str(),
                &named.file(scenario),
                method,
                &perturbation,
                reason.trim_start_matches("error: "),
            ],
        );
    };
    for (k, s) in named.plan.scenarios.iter().enumerate() {
        if let Err(e) = &s.loaded {
            row(k, "", String::new(), &e.to_string());
        }
    }
    for s in &named.plan.skipped {
        row(s.scenario, "", s.perturbation.describe(), &s.reason);
    }
    for f in &named.result.failures {
        let unit = &f.unit;
        let method = unit.method.as_str();
        row(
            unit.scenario,
            method,
            unit.perturbation.describe(),
            &f.error.message,
        );
    }
    finish(w)
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}
