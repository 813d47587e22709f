//! Held-out verdicts: every expectation is evaluated again without the links citing its own
//! claims, and its support class says whether the rest of the network predicts it.

use crate::util::{claimsim, data, run_json};
use serde_json::Value;

fn expectation<'a>(run: &'a Value, node: &str) -> &'a Value {
    run["expectations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"] == node)
        .unwrap_or_else(|| panic!("no expectation on {node}"))
}

fn runs(json: &Value) -> Vec<&Value> {
    match json["runs"].as_array() {
        Some(runs) => runs.iter().collect(),
        None => vec![json],
    }
}

#[test]
fn an_independent_path_corroborates_a_lone_link_only_restates() {
    let json = run_json(&data("held-out.toml"), &["--method", "all"]);
    for run in runs(&json) {
        let method = run["method"].as_str().unwrap();
        let y1 = expectation(run, "Y1");
        assert_eq!(y1["support"], "corroborated", "{method}: {y1}");
        assert_eq!(y1["held_out"]["verdict"], "supported", "{method}");
        assert_eq!(y1["held_out"]["removed"][0], "X1 -> Y1", "{method}");
        let y2 = expectation(run, "Y2");
        assert_eq!(y2["verdict"], "supported", "{method}");
        assert_eq!(y2["support"], "restated", "{method}: {y2}");
        assert_eq!(y2["held_out"]["verdict"], "no-path", "{method}");
        let m1 = expectation(run, "M1");
        assert_eq!(m1["support"], "untestable", "{method}");
        assert!(m1["held_out"].is_null(), "{method}: {m1}");
    }
}

#[test]
fn an_opposing_path_disputes_a_supported_claim() {
    let json = run_json(&data("held-out.toml"), &["--method", "all"]);
    for run in runs(&json) {
        let method = run["method"].as_str().unwrap();
        if method == "ode" {
            // Netflux's inhibition is multiplicative: M3 -| Y3 wins there on the full network.
            continue;
        }
        let y3 = expectation(run, "Y3");
        assert_eq!(y3["verdict"], "supported", "{method}: {y3}");
        assert_eq!(y3["support"], "disputed", "{method}: {y3}");
        assert_eq!(y3["held_out"]["verdict"], "contradicted", "{method}");
        assert!(y3["held_out"]["probability"].as_f64().unwrap() < 0.05);
    }
}

#[test]
fn held_out_results_reach_the_text_and_the_batch_files() {
    claimsim()
        .arg("run")
        .arg(data("held-out.toml"))
        .arg("--claims")
        .arg(data("claims.toml"))
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "restated: held out (1 link removed): P = 0.000, no-path",
        ));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("lib")).unwrap();
    std::fs::create_dir_all(dir.path().join("seeds")).unwrap();
    std::fs::copy(data("claims.toml"), dir.path().join("seeds/claims.toml")).unwrap();
    std::fs::copy(data("held-out.toml"), dir.path().join("lib/held-out.toml")).unwrap();
    let out = dir.path().join("out");
    claimsim()
        .arg("batch")
        .arg(dir.path().join("lib"))
        .args(["--no-plots", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "press support: 1 corroborated, 1 restated, 1 disputed, 0 contradicted, 0 ambivalent, 1 untestable",
        ));
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let y2 = summary
        .lines()
        .find(|l| l.contains(",Y2,"))
        .expect("a row for Y2");
    assert!(y2.contains(",supported,0.0000,no-path,restated,"), "{y2}");
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("<th>corroborated</th>") && html.contains("verdict restated"));
}
