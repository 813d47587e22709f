//! Evidence rules: a claim's grade sets how likely its link is present (combined over the claims
//! a link cites), `[evidence]` changes the rules, `--no-evidence` switches them off, and links
//! without claims stay present as in QPress.

use crate::util::{claimsim, run_json, scenario_file};

const SAMPLES: usize = 20_000;

/// X drives four leaves: Y through an in-vitro claim (T1), Z through a clinical and a review
/// claim (T2, T3), V through a review claim (T3), U through no claim.
fn leaves(evidence: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    scenario_file(&format!(
        "network = \"\"\"\nX -> Y  [T1]\nX -> Z  [T2, T3]\nX -> V  [T3]\nX -> U\n\"\"\"\n[[intervention]]\nname = \"press X\"\npress = {{ X = 1.0 }}\n[simulation]\nsamples = {SAMPLES}\nseed = 11\n{evidence}"
    ))
}

/// Per leaf, the share of accepted draws in which it responds, counted row by row in the raw
/// samples: a leaf responds exactly when its one link is present.
fn presence_counts(evidence: &str, extra: &[&str]) -> [f64; 4] {
    let (dir, file) = leaves(evidence);
    let path = dir.path().join("samples.csv");
    let mut args = vec!["--samples-out", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    run_json(&file, &args);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<f64>> = lines
        .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), SAMPLES);
    ["Y", "Z", "V", "U"].map(|leaf| {
        let column = header
            .iter()
            .position(|h| *h == format!("press X::{leaf}"))
            .unwrap();
        let present = rows.iter().filter(|r| r[column] != 0.0).count();
        present as f64 / SAMPLES as f64
    })
}

/// Within four binomial standard errors of `p` over `SAMPLES` draws.
fn assert_near(observed: f64, p: f64, what: &str) {
    assert_near_in(observed, p, SAMPLES, what);
}

/// Within four binomial standard errors of `p` over `n` draws (a miss by chance: below 1e-4).
fn assert_near_in(observed: f64, p: f64, n: usize, what: &str) {
    let tolerance = 4.0 * (p * (1.0 - p) / n as f64).sqrt() + 1e-12;
    assert!(
        (observed - p).abs() <= tolerance,
        "{what}: counted {observed}, expected {p} ± {tolerance}"
    );
}

#[test]
fn grades_set_presence_and_several_claims_combine() {
    let [y, z, v, u] = presence_counts("", &[]);
    assert_near(y, 0.75, "in-vitro");
    // Present if either the clinical (0.95) or the review claim (0.6) holds: not the best, 0.95.
    assert_near(z, 1.0 - 0.05 * 0.4, "clinical or review");
    assert_near(v, 0.6, "review");
    assert_eq!(u, 1.0, "a link citing no claim is always there");
}

#[test]
fn evidence_tables_change_the_rules_and_no_evidence_switches_them_off() {
    let [y, z, v, _] = presence_counts("[evidence]\nreview = { present = 0.3 }\n", &[]);
    assert_near(y, 0.75, "in-vitro, unchanged");
    assert_near(z, 1.0 - 0.05 * 0.7, "clinical or review at 0.3");
    assert_near(v, 0.3, "review at 0.3");
    assert_eq!(presence_counts("", &["--no-evidence"]), [1.0; 4]);
}

#[test]
fn every_verdict_reports_itself_without_the_evidence_rules() {
    let (_dir, file) = scenario_file(
        "network = \"\"\"\nX -> Y  [T1]\nX -> Z  [T3]\n\"\"\"\n[[intervention]]\nname = \"press X\"\npress = { X = 1.0 }\n[[expect]]\nintervention = \"press X\"\nnode = \"Z\"\nchange = \"up\"\n[simulation]\nsamples = 4000\n",
    );
    let json = run_json(&file, &[]);
    let e = &json["expectations"][0];
    // Z rises only when its review link is present (0.6), and the expectation cites no claim,
    // so nothing is taken as given.
    assert_eq!(e["verdict"], "ambivalent", "{e}");
    assert_eq!(e["without_evidence"]["verdict"], "supported", "{e}");
    assert_eq!(e["without_evidence"]["probability"], 1.0);
    let plain = run_json(&file, &["--no-evidence"]);
    assert_eq!(plain["expectations"][0]["verdict"], "supported");
    assert_eq!(plain["overrides"][0], "--no-evidence");
}

/// Accepted draws in the conditioning tests (ode draws are costly).
const CONDITIONED_SAMPLES: usize = 4000;

/// X -> Y cites T1 (in-vitro, set to an even chance here); the chain X -> M -> W cites T1 on its
/// first link and the review claim T3 (0.6) on its second. Expectations: Y up and W up, both
/// citing T1, and V up through an uncited link.
fn conditioned(method: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    scenario_file(&format!(
        "network = \"\"\"\nX -> Y  [T1]\nX -> M  [T1]\nM -> W  [T3]\nX -> V\n\"\"\"\n[[intervention]]\nname = \"press X\"\npress = {{ X = 1.0 }}\n{}{}{}[simulation]\nmethod = \"{method}\"\nsamples = {CONDITIONED_SAMPLES}\nseed = 5\n[evidence]\nin-vitro = {{ present = 0.5 }}\n",
        expect("Y", "claims = [\"T1\"]\n"),
        expect("W", "claims = [\"T1\"]\n"),
        expect("V", ""),
    ))
}

fn expect(node: &str, claims: &str) -> String {
    format!("[[expect]]\nintervention = \"press X\"\nnode = \"{node}\"\nchange = \"up\"\n{claims}")
}

#[test]
fn a_verdict_takes_its_own_claims_as_given_and_reports_the_unconditional_probability() {
    for method in ["press", "ode", "fcm"] {
        let (_dir, file) = conditioned(method);
        let json = run_json(&file, &[]);
        let e = |k: usize| &json["expectations"][k];
        let p = |k: usize, field: &str| e(k)[field].as_f64().unwrap();
        // Y moves exactly when its own link is there: certain given the claim, an even
        // chance without that assumption.
        assert_eq!(p(0, "probability"), 1.0, "{method}: {}", e(0));
        assert_eq!(e(0)["verdict"], "supported", "{method}");
        let n = CONDITIONED_SAMPLES;
        assert_near_in(p(0, "probability_unconditional"), 0.5, n, method);
        assert_eq!(e(0)["conditioned_on"][0], "X -> Y", "{method}");
        // W needs its own link X -> M (given) and the review link M -> W (still uncertain):
        // 0.6 given the claim, 0.5 · 0.6 over all draws.
        // (About half the draws have X -> M, so the conditional share rests on about n / 2.)
        assert_near_in(p(1, "probability"), 0.6, n / 2 - n / 20, method);
        assert_near_in(p(1, "probability_unconditional"), 0.3, n, method);
        // An expectation citing no claim conditions on nothing.
        assert_eq!(p(2, "probability"), p(2, "probability_unconditional"));
        assert!(e(2).get("conditioned_on").is_none(), "{method}: {}", e(2));
    }
}

#[test]
fn conditioned_verdicts_do_not_depend_on_the_thread_count() {
    for method in ["press", "fcm"] {
        let (_dir, file) = conditioned(method);
        let one = run_json(&file, &["-j", "1"]);
        let two = run_json(&file, &["-j", "2"]);
        assert_eq!(one["expectations"], two["expectations"], "{method}");
    }
}

#[test]
fn an_evidence_weight_is_refused_with_the_place_to_put_it() {
    let (_dir, file) = leaves("[evidence]\nclinical = { weight = \"uniform(0.6, 1)\" }\n");
    claimsim()
        .arg("check")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "a grade sets how likely a link is present, not its weight",
        ));
}

#[test]
fn citing_a_claim_keeps_the_ode_weight_of_one() {
    // ode's default weight is 1: a cited link must keep it (it used to get the grade's range).
    let text = |cite: &str| {
        format!(
            "network = \"\"\"\nX -> Y  {cite}\n\"\"\"\n[[intervention]]\nname = \"press X\"\npress = {{ X = 1.0 }}\n[simulation]\nmethod = \"ode\"\nsamples = 300\n"
        )
    };
    let (_d1, cited) = scenario_file(&text("[T2]"));
    let (_d2, plain) = scenario_file(&text(""));
    let median = |json: &serde_json::Value| {
        crate::util::outcome(json, "press X", "Y")["median"]
            .as_f64()
            .unwrap()
    };
    let a = run_json(&cited, &["--no-evidence"]);
    let b = run_json(&plain, &[]);
    assert_eq!(median(&a), median(&b));
}
