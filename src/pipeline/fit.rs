//! Whether a report read back from a part file fits the scenario it claims to be of. A part is
//! sealed by a hash, but a hand-edited part sealed again passes that check; its reports are
//! then indexed by the scenario's expectations and nodes (flip records, charts), so `merge`
//! checks them here first and refuses with a clear error instead of drawing nonsense or
//! panicking on an index.

use super::sweep::{UnitExpectation, UnitReport};
use crate::analysis::RunReport;
use crate::scenario::{Method, Scenario};

/// Checks that `keys` (a report's expectations, as a sweep keeps them) are the scenario's
/// expectations, in its order; the error says what differs (the first difference).
pub fn expectations_fit(scenario: &Scenario, keys: &[UnitExpectation]) -> Result<(), String> {
    let expected = scenario.expectations.len();
    if keys.len() != expected {
        return Err(format!(
            "it reports {} expectations; the scenario has {expected}",
            keys.len()
        ));
    }
    let name = |i: usize| scenario.interventions[i].name.as_str();
    for (k, (e, key)) in scenario.expectations.iter().zip(keys).enumerate() {
        let wanted = [
            (
                "intervention",
                Some(name(e.intervention)),
                Some(key.intervention.as_str()),
            ),
            ("versus", e.versus.map(name), key.versus.as_deref()),
            (
                "node",
                Some(scenario.nodes[e.node].name.as_str()),
                Some(key.node.as_str()),
            ),
            ("change", Some(e.change.as_str()), Some(key.change.as_str())),
        ];
        for (what, want, got) in wanted {
            if want != got {
                return Err(format!(
                    "its expectation {} has {what} {}; the scenario's has {}",
                    k + 1,
                    quoted(got),
                    quoted(want)
                ));
            }
        }
        if key.claims != e.claims {
            return Err(format!(
                "its expectation {} cites [{}]; the scenario's cites [{}]",
                k + 1,
                key.claims.join(", "),
                e.claims.join(", ")
            ));
        }
        // NaN stands for "no draw could judge it"; anything else is a probability.
        if !(key.probability.is_nan() || (0.0..=1.0).contains(&key.probability)) {
            return Err(format!(
                "its expectation {} has probability {}, outside [0, 1]",
                k + 1,
                key.probability
            ));
        }
    }
    Ok(())
}

fn quoted(text: Option<&str>) -> String {
    text.map_or("none".to_string(), |t| format!("'{t}'"))
}

/// Checks a batch part's reports of one scenario: one per method the scenario runs, in order.
pub fn reports_fit(scenario: &Scenario, reports: &[RunReport]) -> Result<(), String> {
    let methods = super::methods(scenario.simulation.method);
    if reports.len() != methods.len() {
        return Err(format!(
            "it holds {} reports; the scenario runs {} method(s)",
            reports.len(),
            methods.len()
        ));
    }
    methods
        .into_iter()
        .zip(reports)
        .try_for_each(|(method, report)| report_fits(scenario, method, report))
}

/// Checks a whole run report against its scenario and the method it should be of: the
/// method, every intervention with one outcome per node, and the expectations.
fn report_fits(scenario: &Scenario, method: Method, report: &RunReport) -> Result<(), String> {
    if report.method != method.as_str() {
        return Err(format!(
            "it is a {} report where {} was run",
            report.method,
            method.as_str()
        ));
    }
    if report.interventions.len() != scenario.interventions.len() {
        return Err(format!(
            "it reports {} interventions; the scenario has {}",
            report.interventions.len(),
            scenario.interventions.len()
        ));
    }
    for (i, r) in scenario.interventions.iter().zip(&report.interventions) {
        let names = r.nodes.iter().map(|n| n.node.as_str());
        if r.name != i.name || !names.eq(scenario.nodes.iter().map(|n| n.name.as_str())) {
            return Err(format!(
                "its intervention '{}' does not list the scenario's {} nodes in order",
                r.name,
                scenario.nodes.len()
            ));
        }
    }
    expectations_fit(scenario, &UnitReport::of(report).expectations)
}
