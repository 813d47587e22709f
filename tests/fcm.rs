//! The fcm method against fixed points worked out by hand, its clamping rules, gates as the
//! fuzzy AND of their inputs, and maps that never settle.

use crate::util::{
    baseline_level, claimsim, data, level, outcome, run_json, run_stdout, scenario_file,
};
use predicates::prelude::*;
use serde_json::Value;
use std::time::Duration;

/// The map stops when no node moves by more than 1e-5; a map contracting at rate r is then
/// within 1e-5 r / (1 - r) of its fixed point: 3e-5 for the slowest map here (r = 0.75).
const FIXED_POINT_TOLERANCE: f64 = 4e-5;

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// The fixed point of a contracting scalar map, to full precision.
fn fixed_point(map: impl Fn(f64) -> f64) -> f64 {
    (0..200).fold(0.0, |x, _| map(x))
}

fn assert_close(got: f64, expected: f64, what: &str) {
    assert!(
        (got - expected).abs() <= FIXED_POINT_TOLERANCE,
        "{what}: {got} vs {expected}"
    );
}

/// A (input 1, clamped) -> B with weight 0.6; press A to 0.5 in the intervention.
fn two_node_map(rule: &str, transfer: &str) -> Value {
    let (_dir, file) = scenario_file(&format!(
        r#"
network = "A -> B"
[[link]]
link = "A -> B"
weight = 0.6
[nodes.A]
input = 1.0
[[intervention]]
name = "half A"
press = {{ A = 0.5 }}
[simulation]
method = "fcm"
fcm_rule = "{rule}"
fcm_transfer = "{transfer}"
fcm_lambda = 1.5
samples = 10
"#
    ));
    run_json(&file, &[])
}

#[test]
fn each_update_rule_reaches_its_worked_out_fixed_point() {
    let lambda = 1.5;
    let s = |x: f64| sigmoid(lambda * x);
    // B's fixed point for A clamped at a, by rule:
    //   Kosko           B = f(0.6 a)
    //   modified Kosko  B = f(0.6 a + B)
    //   rescaled        B = f(0.6 (2a - 1) + 2B - 1)
    let kosko = |a: f64| s(0.6 * a);
    let modified = |a: f64| fixed_point(|b| s(0.6 * a + b));
    let rescaled = |a: f64| fixed_point(|b| s(0.6 * (2.0 * a - 1.0) + 2.0 * b - 1.0));
    let cases: [(&str, &dyn Fn(f64) -> f64); 3] = [
        ("kosko", &kosko),
        ("modified-kosko", &modified),
        ("rescaled", &rescaled),
    ];
    for (rule, expected) in cases {
        let json = two_node_map(rule, "sigmoid");
        assert_eq!(json["method"], "fcm");
        assert_close(baseline_level(&json, "B"), expected(1.0), rule);
        assert_close(level(&json, "half A", "B"), expected(0.5), rule);
        // The change is the difference of the equilibria, not a percentage.
        let change = outcome(&json, "half A", "B")["mean"].as_f64().unwrap();
        assert_close(change, expected(0.5) - expected(1.0), rule);
        assert_eq!(outcome(&json, "half A", "B")["p_down"], 1.0, "{rule}");
    }
    let json = two_node_map("kosko", "tanh");
    assert_close(baseline_level(&json, "B"), (lambda * 0.6f64).tanh(), "tanh");
    assert_close(
        level(&json, "half A", "B"),
        (lambda * 0.3f64).tanh(),
        "tanh",
    );
}

#[test]
fn pressed_nodes_are_clamped_and_sources_keep_their_start_level() {
    let (_dir, file) = scenario_file(
        r#"
network = """
A -> B
B -> C
S -> C
"""
[[link]]
link = "B -> C"
weight = 0.8
[nodes.A]
input = 1.0
[[intervention]]
name = "hold B low"
press = { B = 0.2 }
[[intervention]]
name = "knock out B"
knockout = ["B"]
[simulation]
method = "fcm"
samples = 50
"#,
    );
    let json = run_json(&file, &[]);
    assert_eq!(baseline_level(&json, "A"), 1.0, "an input is clamped");
    // S has no incoming link and no input: it stays at 0 rather than drifting to f(0) = 1/2.
    assert_eq!(baseline_level(&json, "S"), 0.0);
    assert_eq!(
        level(&json, "hold B low", "B"),
        0.2,
        "clamped despite A -> B"
    );
    assert_eq!(level(&json, "knock out B", "B"), 0.0);
    assert_eq!(outcome(&json, "hold B low", "C")["p_down"], 1.0);
    assert_eq!(outcome(&json, "hold B low", "A")["p_zero"], 1.0);
}

/// D (clamped at 1) -> X and X -| X with Kosko, tanh and lambda 10: X <- tanh(10 (1 - w X)).
/// With w = 1 the fixed point (X = 0.87) has slope 2.4 and the map flips between 0 and 1 for
/// ever; the run must say so instead of hanging.
const OSCILLATOR: &str = r#"
network = """
D -> X
X -| X
"""
[[link]]
link = "D -> X"
weight = 1.0
[nodes.D]
input = 1.0
[simulation]
method = "fcm"
fcm_rule = "kosko"
fcm_transfer = "tanh"
fcm_lambda = 10.0
samples = 200
"#;

/// With the default max_draws (a million) too: the run gives up after the first block of 2048
/// draws, none of which settled.
#[test]
fn an_oscillating_map_reports_non_convergence_instead_of_hanging() {
    let text = format!("{OSCILLATOR}[[link]]\nlink = \"X -| X\"\nweight = 1.0\n");
    let (_dir, file) = scenario_file(&text);
    claimsim()
        .arg("run")
        .arg(&file)
        .timeout(Duration::from_secs(60))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "only 0 of 200 samples accepted after 2048 draws",
        ))
        .stderr(predicate::str::contains("2048 draws did not settle"))
        .stderr(predicate::str::contains("a smaller fcm_lambda"));
}

/// With w drawn from U(0, 1) the fixed point is stable for small w and oscillates for large w:
/// the draws that never settle are counted and left out, the others make the result.
#[test]
fn draws_that_never_settle_are_counted_and_left_out() {
    let text = format!("{OSCILLATOR}[[link]]\nlink = \"X -| X\"\nweight = \"uniform(0, 1)\"\n");
    let (_dir, file) = scenario_file(&text);
    let json = run_json(&file, &[]);
    let acceptance = &json["acceptance"];
    let not_converged = acceptance["not_converged"].as_u64().unwrap();
    assert_eq!(acceptance["accepted"], 200);
    assert!(not_converged > 0, "{acceptance}");
    assert_eq!(
        acceptance["draws"].as_u64().unwrap(),
        200 + not_converged,
        "every draw is accepted or counted as not converged"
    );
}

/// A gate is one term carrying the fuzzy AND of its inputs (docs/methods.md, fcm "Gates"):
/// `drug & !pump -> effect` with weight 0.8 under the Kosko rule gives `effect = f(0.8 d (1 - p))`.
#[test]
fn a_gate_acts_only_when_all_its_inputs_let_it_through() {
    let (_dir, file) = scenario_file(
        r#"
network = "drug & !pump -> effect"
[[link]]
link = "drug & !pump -> effect"
weight = 0.8
[nodes.pump]
input = 1.0
[[intervention]]
name = "drug, pump on"
press = { drug = 1.0 }
[[intervention]]
name = "drug, pump knocked out"
press = { drug = 1.0 }
knockout = ["pump"]
[[intervention]]
name = "pump knocked out, no drug"
knockout = ["pump"]
[simulation]
method = "fcm"
fcm_rule = "kosko"
samples = 10
"#,
    );
    let json = run_json(&file, &[]);
    // No drug at baseline: the gate is shut, effect = f(0).
    assert_close(baseline_level(&json, "effect"), sigmoid(0.0), "baseline");
    // The pump on shuts the gate even with the drug (read as separate links, the drug would
    // raise the effect here), and without the drug knocking the pump out opens nothing.
    for shut in ["drug, pump on", "pump knocked out, no drug"] {
        assert_eq!(outcome(&json, shut, "effect")["p_zero"], 1.0, "{shut}");
        assert_close(level(&json, shut, "effect"), sigmoid(0.0), shut);
    }
    let open = "drug, pump knocked out";
    assert_eq!(outcome(&json, open, "effect")["p_up"], 1.0);
    assert_close(level(&json, open, "effect"), sigmoid(0.8), open);
}

#[test]
fn same_seed_gives_identical_fcm_json_on_one_and_two_threads() {
    let run = |threads: &str| {
        run_stdout(
            &data("ode20.toml"),
            &[
                "--method", "fcm", "--format", "json", "-n", "5000", "-j", threads,
            ],
        )
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("2"));
}
