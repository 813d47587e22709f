//! Several methods on one scenario (`--method all`): each method's report, the agreement table
//! per claim, and the JSON, CSV and text outputs that carry them.

use crate::util::{claimsim, data, node_entry, run_json, scenario_file};
use predicates::prelude::*;
use serde_json::Value;

fn all_methods(samples: &str) -> Value {
    run_json(
        &data("glioma17.toml"),
        &["--method", "all", "--samples", samples],
    )
}

/// The agreement row of the expectation on `node`.
fn agreement_on<'a>(json: &'a Value, node: &str) -> &'a Value {
    json["agreement"]["expectations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"] == node)
        .unwrap_or_else(|| panic!("no agreement row for {node}"))
}

fn verdicts(row: &Value) -> Vec<(String, String)> {
    row["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["method"].as_str().unwrap().to_string(),
                m["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// On the glioma network press and the logic ODE both support "anti-miR-9 restores
/// temozolomide sensitivity", while the modified-Kosko FCM squashes the change along the chain
/// to nothing: the disagreement methods.md describes. P-glycoprotein and mTOR, one or two links
/// from the perturbation, agree under every method.
#[test]
fn method_all_reports_each_method_and_where_they_agree() {
    let json = all_methods("400");
    let methods: Vec<&str> = json["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["press", "ode", "fcm"]);
    assert_eq!(json["agreement"]["methods"], serde_json::json!(methods));

    let apoptosis = agreement_on(&json, "apoptosis");
    assert_eq!(apoptosis["agree"], false);
    assert!(apoptosis.get("verdict").is_none(), "no common verdict");
    let v = verdicts(apoptosis);
    // The claim hinges on the gate 'TMZ & !P-glycoprotein': press cannot express it (issue 13).
    assert_eq!(v[0], ("press".into(), "not-expressible".into()));
    assert_eq!(v[1], ("ode".into(), "supported".into()));
    assert_ne!(v[2].1, "supported", "fcm: {apoptosis}");

    for node in ["P-glycoprotein", "mTOR"] {
        let row = agreement_on(&json, node);
        assert_eq!(row["agree"], true, "{row}");
        assert_eq!(row["verdict"], "supported");
    }
    assert_eq!(json["agreement"]["agreed"], 2);
    // Each method's probability in the table is the one in its own report.
    for (k, run) in json["runs"].as_array().unwrap().iter().enumerate() {
        assert_eq!(
            run["expectations"][0]["probability"],
            apoptosis["methods"][k]["probability"]
        );
    }
}

#[test]
fn method_all_in_the_file_runs_every_method() {
    let text = std::fs::read_to_string(data("glioma17.toml"))
        .unwrap()
        .replace("method = \"ode\"", "method = \"all\"");
    let (_dir, file) = scenario_file(&text);
    let json = run_json(&file, &["--samples", "50"]);
    assert_eq!(json["runs"].as_array().unwrap().len(), 3);
    assert!(json["agreement"]["expectations"].is_array());
    // press has no levels or baseline; ode and fcm have both.
    let runs = json["runs"].as_array().unwrap();
    assert!(runs[0].get("baseline").is_none());
    assert!(
        runs[0]["interventions"][0]["nodes"][0]
            .get("level_mean")
            .is_none()
    );
    for run in &runs[1..] {
        assert_eq!(run["baseline"]["nodes"].as_array().unwrap().len(), 17);
        assert!(run["interventions"][0]["nodes"][0]["level_mean"].is_f64());
    }
    assert!(
        runs[2]["interventions"][0].get("time_course").is_none(),
        "fcm has no time"
    );
}

/// Press (and fcm) read a gate as its separate signed links: the gate network and its expansion
/// have the same signed edges and, up to sampling noise (the node order, and so the order of the
/// draws, differs), the same press results.
#[test]
fn press_reads_gates_as_their_separate_links() {
    let gates = std::fs::read_to_string(data("glioma17.toml")).unwrap();
    let expanded = gates
        .replace(
            "temozolomide & !P-glycoprotein -> intracellular TMZ",
            "temozolomide -> intracellular TMZ\nP-glycoprotein -| intracellular TMZ",
        )
        .replace("p53 & !AKT -> BAX", "p53 -> BAX\nAKT -| BAX")
        .replace("AKT & !miR-100 -> mTOR", "AKT -> mTOR\nmiR-100 -| mTOR");
    let signed_edges = |text: &str| {
        let s = claimsim::scenario::parse(std::path::Path::new("x.toml"), text, None).unwrap();
        let mut edges: Vec<(String, String, i8)> = s
            .edges()
            .map(|e| {
                let name = |i: usize| s.nodes[i].name.clone();
                (name(e.from), name(e.to), e.arrow.sign())
            })
            .collect();
        edges.sort();
        edges
    };
    assert_eq!(signed_edges(&gates), signed_edges(&expanded));

    let (_dir, file) = scenario_file(&expanded);
    let args = ["--method", "press", "--samples", "4000"];
    let with_gates = run_json(&data("glioma17.toml"), &args);
    let without = run_json(&file, &args);
    for (a, b) in with_gates["interventions"]
        .as_array()
        .unwrap()
        .iter()
        .zip(without["interventions"].as_array().unwrap())
    {
        for node in a["nodes"].as_array().unwrap() {
            let other = node_entry(&b["nodes"], node["node"].as_str().unwrap());
            for field in ["p_up", "p_down", "p_zero"] {
                let (x, y) = (
                    node[field].as_f64().unwrap(),
                    other[field].as_f64().unwrap(),
                );
                assert!(
                    (x - y).abs() < 0.05,
                    "{} {}: {x} vs {y}",
                    a["name"],
                    node["node"]
                );
            }
        }
    }
}

#[test]
fn csv_has_a_row_per_method_intervention_and_node_plus_baselines() {
    let dir = tempfile::tempdir().unwrap();
    claimsim()
        .arg("run")
        .arg(data("glioma17.toml"))
        .args([
            "--method",
            "all",
            "--samples",
            "50",
            "--format",
            "csv",
            "-o",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let csv = std::fs::read_to_string(dir.path().join("outcomes.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "method,intervention,node,p_up,p_down,p_zero,p_up_lo,p_up_hi,p_down_lo,p_down_hi,\
         p_zero_lo,p_zero_hi,mean,median,q05,q95,level_mean,level_median,level_q05,level_q95,\
         loop_direction,loop_weighted"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    // 3 methods x 6 interventions x 17 nodes, plus ode and fcm baselines of 17 nodes.
    assert_eq!(rows.len(), 3 * 6 * 17 + 2 * 17);
    let press = rows.iter().find(|r| r[0] == "press").unwrap();
    assert_eq!(&press[16..20], ["", "", "", ""], "press has no levels");
    let ode_apoptosis = rows
        .iter()
        .find(|r| r[0] == "ode" && r[1] == "anti-miR-9 + TMZ" && r[2] == "apoptosis")
        .unwrap();
    let level: f64 = ode_apoptosis[16].parse().unwrap();
    assert!((level - 1.0).abs() < 1e-6, "{level}");
    let baselines: Vec<_> = rows.iter().filter(|r| r[1] == "(baseline)").collect();
    assert_eq!(baselines.len(), 34);
    assert!(
        baselines
            .iter()
            .all(|r| r[3].is_empty() && !r[16].is_empty())
    );
    let summary: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["agreement"]["agreed"], 2);
}

#[test]
fn text_report_shows_levels_and_the_agreement() {
    claimsim()
        .arg("run")
        .arg(data("glioma17.toml"))
        .args(["--method", "all", "--samples", "50"])
        .assert()
        .success()
        .stdout(predicate::str::contains("method ode · 50 samples"))
        .stdout(predicate::str::contains("Median level"))
        .stdout(predicate::str::contains("Method agreement (2 of 3 claims)"))
        .stdout(predicate::str::contains(
            "≠ differ  apoptosis up under \"anti-miR-9 + TMZ\" vs \"TMZ\":  press not expressible  ode supported 1.000  fcm",
        ));
}
