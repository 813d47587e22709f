//! The sweep's files: `fragility.csv` (one row per expectation, method and perturbation, with
//! the verdict and probability before and after), `fragility-claims.csv` (per expectation and
//! method: how many single perturbations flip its verdict, most fragile first; with pairs, how
//! many pairs), the fragility chart's rows and
//! `skipped.csv` (scenarios that did not load, units that failed or were left out, and why).

use super::batch::{EXPECTATION_COLUMNS, finish};
use super::csv::write_safe;
use super::words::change_word;
use crate::pipeline::sweep::{
    FlipRecord, Perturbation, SweepPlan, SweepResult, UnitExpectation, UnitReport,
};
use crate::plot::fragility;
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
    /// Single perturbations tried, and those that flip it (the fragility score is their number).
    pub tried: usize,
    pub flipped_by: Vec<String>,
    /// How many of those flips are knockouts (the rest are blocks).
    pub knockout_flips: usize,
    /// With `--pairs`: pairs tried, and how many flip it.
    pub pairs_tried: usize,
    pub pair_flips: usize,
}

/// Every expectation's fragility, most single flips first (ties in work-unit order).
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
                knockout_flips: 0,
                pairs_tried: 0,
                pair_flips: 0,
            });
            order.len() - 1
        });
        order[k].count(record);
    }
    order.sort_by_key(|f| std::cmp::Reverse(f.flipped_by.len()));
    order
}

impl Fragility<'_> {
    fn count(&mut self, record: &FlipRecord) {
        let flipped = record.flipped();
        match &record.perturbation {
            Perturbation::Pair(_) => {
                self.pairs_tried += 1;
                self.pair_flips += usize::from(flipped);
            }
            single => {
                self.tried += 1;
                if flipped {
                    self.flipped_by.push(single.describe());
                    self.knockout_flips += usize::from(matches!(single, Perturbation::Knockout(_)));
                }
            }
        }
    }
}

/// `fragility-claims.csv`: per expectation and method, its unperturbed verdict, how many
/// single perturbations were tried and how many flip it (the fragility score), and which; with
/// `--pairs` also how many pairs were tried and flip it.
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
    let pairs = named.plan.pairs;
    if pairs {
        header.extend(["pairs", "pair_flips"]);
    }
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
        if pairs {
            row.extend([f.pairs_tried.to_string(), f.pair_flips.to_string()]);
        }
        let _ = write_safe(&mut w, row);
    }
    finish(w)
}

/// The claims a single perturbation flips, as rows of the fragility chart: one per scenario
/// and expectation with one entry per method (in the sweep's order), ranked by their most
/// flips under any method, ties in work order.
pub fn fragility_rows(named: &Named) -> Vec<fragility::Row> {
    let all = fragilities(named.result);
    let several = all
        .windows(2)
        .any(|w| w[0].first.method != w[1].first.method);
    let mut rows: Vec<(usize, fragility::Row)> = Vec::new();
    let mut index: HashMap<(usize, usize), usize> = HashMap::new();
    let mut work_order: Vec<&Fragility> = all.iter().collect();
    work_order.sort_by_key(|f| unit_position(named, f.first));
    for f in work_order {
        let key = (f.first.scenario, f.first.expectation);
        let k = *index.entry(key).or_insert_with(|| {
            rows.push((0, chart_row(named, f.first)));
            rows.len() - 1
        });
        let (most, row) = &mut rows[k];
        *most = (*most).max(f.flipped_by.len());
        row.entries.push(fragility::Entry {
            method: several.then(|| f.first.method.as_str().to_string()),
            verdict: f.first.before,
            tried: f.tried,
            knockouts: f.knockout_flips,
            blocks: f.flipped_by.len() - f.knockout_flips,
        });
    }
    rows.retain(|(most, _)| *most > 0);
    // A stable sort: equal counts keep the work order.
    rows.sort_by_key(|(most, _)| std::cmp::Reverse(*most));
    rows.into_iter().map(|(_, row)| row).collect()
}

/// Where a record's expectation first appears in the work (scenario, then method order).
fn unit_position(named: &Named, record: &FlipRecord) -> (usize, usize, usize) {
    let method = named
        .plan
        .units
        .iter()
        .position(|u| u.scenario == record.scenario && u.method == record.method)
        .unwrap_or(usize::MAX);
    (record.scenario, method, record.expectation)
}

fn chart_row(named: &Named, record: &FlipRecord) -> fragility::Row {
    let claim = named.expectation(record).map_or(String::new(), |e| {
        let against = e.versus.as_deref().unwrap_or("no intervention");
        let cite = if e.claims.is_empty() {
            String::new()
        } else {
            format!(" [{}]", e.claims.join(", "))
        };
        let change = change_word(&e.change);
        format!("{} {change}, {} vs {against}{cite}", e.node, e.intervention)
    });
    fragility::Row {
        claim,
        scenario: named.names[record.scenario].clone(),
        entries: Vec::new(),
    }
}

/// The chart's subtitle: what the sweep ran, with `samples` accepted samples a run.
pub fn chart_subtitle(named: &Named, samples: u64) -> String {
    let mut methods: Vec<&str> = Vec::new();
    for unit in &named.plan.units {
        if !methods.contains(&unit.method.as_str()) {
            methods.push(unit.method.as_str());
        }
    }
    format!(
        "Claims ranked by how many single perturbations (one node knocked out or one link blocked) flip their verdict; claims no single perturbation flips are left out · {} method{}, {samples} samples a run",
        methods.join(", "),
        if methods.len() == 1 { "" } else { "s" },
    )
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
