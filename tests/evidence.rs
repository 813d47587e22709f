//! Evidence rules: links citing stronger evidence are drawn stronger, `[evidence]` changes the
//! rules, and links without claims keep the QPress default.

use crate::util::{outcome, run_json, scenario_file};

/// X raises Y directly (clinical claim) and lowers it through M (review claims).
fn opposing_paths(evidence: &str) -> serde_json::Value {
    let (_dir, file) = scenario_file(&format!(
        "network = \"\"\"\nX -> Y  [T2]\nX -> M  [T3]\nM -| Y  [T3]\n\"\"\"\n[[intervention]]\nname = \"press X\"\npress = {{ X = 1.0 }}\n[simulation]\nsamples = 20000\n{evidence}"
    ));
    run_json(&file, &[])
}

fn p_up(json: &serde_json::Value) -> f64 {
    outcome(json, "press X", "Y")["p_up"].as_f64().unwrap()
}

#[test]
fn clinical_evidence_outweighs_review_statements() {
    let default_rules = p_up(&opposing_paths(""));
    let neutral = p_up(&opposing_paths(
        "[evidence]\nclinical = { weight = \"uniform(0, 1)\" }\n",
    ));
    assert!(
        default_rules > neutral + 0.1,
        "clinical direct link should dominate more often: {default_rules} vs {neutral}"
    );
}

#[test]
fn evidence_presence_drops_links() {
    let json = opposing_paths("[evidence]\nreview = { present = 0.5 }\n");
    // Half the draws lose the review links and with them M's response.
    let m_zero = outcome(&json, "press X", "M")["p_zero"].as_f64().unwrap();
    assert!((m_zero - 0.5).abs() < 0.03, "{m_zero}");
}
