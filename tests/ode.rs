//! The ode method against values worked out from the Netflux equations: the activation curve,
//! AND gates, a chain's steady state, doses against their closed form, and the 17-node glioma
//! network's switches.

use crate::util::{
    baseline_level, claimsim, data, level, node_entry, outcome, run_json, run_stdout, scenario_file,
};
use claimsim::solve::hill::Hill;
use predicates::prelude::*;
use serde_json::Value;

/// Levels are integrated to 1e-8; a run to t = 30 ends within e^-30 of rest for these networks.
const LEVEL_TOLERANCE: f64 = 1e-6;

/// The Netflux activation `w B x^n / (K^n + x^n)` written out from its definition.
fn netflux(x: f64, w: f64, n: f64, ec50: f64) -> f64 {
    let b = (ec50.powf(n) - 1.0) / (2.0 * ec50.powf(n) - 1.0);
    let k = (b - 1.0).powf(1.0 / n);
    w * b * x.powf(n) / (k.powf(n) + x.powf(n))
}

fn assert_close(got: f64, expected: f64, tolerance: f64, what: &str) {
    assert!(
        (got - expected).abs() <= tolerance,
        "{what}: {got} vs {expected} (tolerance {tolerance})"
    );
}

/// Runs an ode scenario given as text with a few samples.
fn run_ode(text: &str) -> Value {
    let (_dir, file) = scenario_file(text);
    run_json(&file, &["--method", "ode", "--samples", "20"])
}

#[test]
fn activation_curve_is_zero_half_and_full_at_zero_ec50_and_one() {
    for (n, ec50, w) in [(1.4, 0.5, 1.0), (2.0, 0.3, 0.7), (0.9, 0.45, 0.25)] {
        let h = Hill::new(n, ec50).unwrap();
        assert_eq!(h.activation(0.0, w), 0.0);
        assert_close(h.activation(ec50, w), w / 2.0, 1e-12, "f(EC50)");
        assert_close(h.activation(1.0, w), w, 1e-12, "f(1)");
        for x in [0.1, 0.37, 0.8] {
            assert_close(h.activation(x, w), netflux(x, w, n, ec50), 1e-12, "f(x)");
        }
    }
}

/// A node held at level x by its input drives its target to f(x): 0, 1/2 and 1 at x = 0, EC50, 1.
#[test]
fn a_target_settles_at_the_activation_of_its_input() {
    let json = run_ode(
        r#"
network = "A -> B"
[nodes.A]
input = 0.5
[[intervention]]
name = "A off"
press = { A = 0.0 }
[[intervention]]
name = "A full"
press = { A = 1.0 }
"#,
    );
    assert_close(
        baseline_level(&json, "A"),
        0.5,
        LEVEL_TOLERANCE,
        "A at its input",
    );
    assert_close(
        baseline_level(&json, "B"),
        0.5,
        LEVEL_TOLERANCE,
        "B = f(EC50)",
    );
    assert_close(level(&json, "A off", "B"), 0.0, LEVEL_TOLERANCE, "B = f(0)");
    assert_close(
        level(&json, "A full", "B"),
        1.0,
        LEVEL_TOLERANCE,
        "B = f(1)",
    );
    assert_eq!(outcome(&json, "A full", "B")["p_up"], 1.0);
    assert_eq!(outcome(&json, "A off", "B")["p_down"], 1.0);
}

/// AND of two inputs at 0 and 1, with w = 0.5 so the normalisation shows: Netflux v1 divides the
/// product of the k input terms by w^(k-1), giving w (0.5) with both inputs on; the Python
/// port's w^(k-2) would give 0.25.
#[test]
fn and_gate_truth_table_with_netflux_normalisation() {
    let json = run_ode(
        r#"
network = """
A & B -> C
A & !B -> D
"""
[[link]]
link = "A & B -> C"
weight = 0.5
[[link]]
link = "A & !B -> D"
weight = 0.5
[[intervention]]
name = "A"
press = { A = 1.0 }
[[intervention]]
name = "B"
press = { B = 1.0 }
[[intervention]]
name = "A B"
press = { A = 1.0, B = 1.0 }
"#,
    );
    // Inputs (A, B) -> C = w AND(A, B), D = w AND(A, NOT B).
    for (name, c, d) in [("A", 0.0, 0.5), ("B", 0.0, 0.0), ("A B", 0.5, 0.0)] {
        assert_close(level(&json, name, "C"), c, LEVEL_TOLERANCE, name);
        assert_close(level(&json, name, "D"), d, LEVEL_TOLERANCE, name);
    }
    assert_close(
        baseline_level(&json, "C"),
        0.0,
        LEVEL_TOLERANCE,
        "C with both off",
    );
    assert_close(
        baseline_level(&json, "D"),
        0.0,
        LEVEL_TOLERANCE,
        "D with both off",
    );
}

/// A -> B with A's input u: at rest A = u and B = ymax f(u); tau changes only the approach.
#[test]
fn two_node_chain_settles_at_the_worked_out_steady_state() {
    let json = run_ode(
        r#"
network = "A -> B"
[[link]]
link = "A -> B"
weight = 0.8
n = 2.0
ec50 = 0.4
[nodes.A]
input = 0.3
tau = 0.5
[nodes.B]
ymax = 0.9
tau = 2.0
[[intervention]]
name = "more A"
press = { A = 0.7 }
"#,
    );
    let steady = |u: f64| 0.9 * netflux(u, 0.8, 2.0, 0.4);
    assert_close(baseline_level(&json, "A"), 0.3, LEVEL_TOLERANCE, "A");
    assert_close(
        baseline_level(&json, "B"),
        steady(0.3),
        LEVEL_TOLERANCE,
        "B",
    );
    assert_close(
        level(&json, "more A", "B"),
        steady(0.7),
        LEVEL_TOLERANCE,
        "B",
    );
    let change = outcome(&json, "more A", "B")["mean"].as_f64().unwrap();
    assert_close(change, steady(0.7) - steady(0.3), LEVEL_TOLERANCE, "change");
}

/// Doses into X (tau 1, no other input): dX/dt = D(t) - X with D a sum of a e^(-k (t - t_j)),
/// k = ln 2 / half-life. Each dose contributes a (e^(-k s) - e^(-s)) / (1 - k), s = t - t_j,
/// while D stays below 1.
#[test]
fn repeated_decaying_doses_match_their_closed_form() {
    let json = run_ode(
        r#"
network = "X -> Y"
[[intervention]]
name = "dosed"
doses = [{ node = "X", at = 0.5, amount = 0.3, half_life = 1.5, every = 2.0, count = 3 }]
[simulation]
t_end = 7.0
"#,
    );
    let k = std::f64::consts::LN_2 / 1.5;
    let x_at = |t: f64| -> f64 {
        [0.5, 2.5, 4.5]
            .iter()
            .filter(|&&t_j| t >= t_j)
            .map(|t_j| {
                let s = t - t_j;
                0.3 * ((-k * s).exp() - (-s).exp()) / (1.0 - k)
            })
            .sum()
    };
    assert_close(level(&json, "dosed", "X"), x_at(7.0), 1e-7, "X(t_end)");
    // The time course marks every dose and reaches the closed form at every point, to within
    // its bins (1/128 of the level range).
    let course = &json["interventions"][0]["time_course"];
    let doses: Vec<f64> = course["doses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["time"].as_f64().unwrap())
        .collect();
    assert_eq!(doses, [0.5, 2.5, 4.5]);
    let times: Vec<f64> = course["times"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_f64().unwrap())
        .collect();
    for dose in doses {
        assert!(times.contains(&dose), "dose time {dose} is a time point");
    }
    assert_eq!((times[0], *times.last().unwrap()), (0.0, 7.0));
    let x = node_entry(&course["nodes"], "X");
    for (p, &t) in times.iter().enumerate() {
        let median = x["median"][p].as_f64().unwrap();
        assert_close(median, x_at(t), 1.0 / 128.0, &format!("X({t})"));
    }
}

#[test]
fn knockouts_and_blocks_switch_their_targets_off() {
    let json = run_ode(
        r#"
network = """
A -> B
B -> C
A -> D
"""
[nodes.A]
input = 1.0
[[intervention]]
name = "knock out B"
knockout = ["B"]
[[intervention]]
name = "block A -> D"
block = ["A -> D"]
"#,
    );
    for node in ["B", "C", "D"] {
        assert_close(baseline_level(&json, node), 1.0, LEVEL_TOLERANCE, node);
    }
    assert_close(level(&json, "knock out B", "B"), 0.0, LEVEL_TOLERANCE, "B");
    assert_close(level(&json, "knock out B", "C"), 0.0, LEVEL_TOLERANCE, "C");
    assert_close(level(&json, "knock out B", "D"), 1.0, LEVEL_TOLERANCE, "D");
    assert_close(level(&json, "block A -> D", "D"), 0.0, LEVEL_TOLERANCE, "D");
    // Nodes the intervention cannot reach are exactly unchanged.
    assert_eq!(outcome(&json, "block A -> D", "C")["p_zero"], 1.0);
    assert_eq!(outcome(&json, "block A -> D", "C")["mean"], 0.0);
}

/// `A -? B` draws its sign per sample: activation takes B from 0 to 1 when A is pressed,
/// inhibition from 1 (nothing inhibits it at baseline) to 0.
#[test]
fn an_unknown_sign_is_drawn_with_equal_odds() {
    let (_dir, file) = scenario_file(
        r#"
network = "A -? B"
[[intervention]]
name = "press A"
press = { A = 1.0 }
"#,
    );
    let json = run_json(&file, &["--method", "ode", "--samples", "4000"]);
    let b = outcome(&json, "press A", "B");
    let up = b["p_up"].as_f64().unwrap();
    assert!((up - 0.5).abs() < 0.04, "P(up) = {up}");
    assert_close(up + b["p_down"].as_f64().unwrap(), 1.0, 1e-12, "up or down");
}

/// EC50 drawn from a range that crosses the domain boundary (0.61 at n = 1.4) is truncated to
/// the valid part, never rejected or undefined. With A at 0.4, every valid EC50 (0.4 to 0.61)
/// puts f(0.4) between 0.4^1.4 = 0.277 (EC50^n at 1/2, B infinite) and 1/2 (EC50 = 0.4).
#[test]
fn ec50_distributions_are_drawn_inside_the_domain() {
    let (_dir, file) = scenario_file(
        r#"
network = "A -> B"
[[link]]
link = "A -> B"
ec50 = "uniform(0.4, 0.9)"
[nodes.A]
input = 0.4
"#,
    );
    let json = run_json(&file, &["--method", "ode", "--samples", "2000"]);
    assert_eq!(json["acceptance"]["accepted"], json["acceptance"]["draws"]);
    let b = node_entry(&json["baseline"]["nodes"], "B");
    let (q05, q95) = (
        b["level_q05"].as_f64().unwrap(),
        b["level_q95"].as_f64().unwrap(),
    );
    assert!(q05 > 0.4f64.powf(1.4) && q95 < 0.5, "{q05} {q95}");
    assert!(q95 - q05 > 0.05, "EC50 varies: {q05} {q95}");
}

/// Every distribution reaches the results. With A fully on, B = w f(1) = w follows the weight's
/// quantiles and C = ymax those of ymax. E, pressed from 0 to 1, follows 1 - e^(-t / tau); that is
/// monotone in tau, so its time-course quantiles at t = 1 are those of tau mapped through it.
#[test]
fn weight_ymax_and_tau_distributions_reach_levels_and_time_courses() {
    let (_dir, file) = scenario_file(
        r#"
network = """
A -> B
A -> C
A -> E
"""
[[link]]
link = "A -> B"
weight = "uniform(0.2, 0.8)"
[[link]]
link = "A -> E"   # weight 0: E only needs to be in the network
weight = 0.0
[nodes.A]
input = 1.0
[nodes.C]
ymax = "uniform(0.5, 1.0)"
[nodes.E]
tau = "uniform(0.5, 2.0)"
[[intervention]]
name = "switch E on"
press = { E = 1.0 }
"#,
    );
    let json = run_json(&file, &["--method", "ode", "--samples", "4000"]);
    let levels = |node: &str| {
        let b = node_entry(&json["baseline"]["nodes"], node);
        (
            b["level_q05"].as_f64().unwrap(),
            b["level_q95"].as_f64().unwrap(),
        )
    };
    // Sampling error of a 5 % quantile from 4000 draws is about 0.002 here.
    let (q05, q95) = levels("B");
    assert_close(q05, 0.2 + 0.05 * 0.6, 0.01, "B q05");
    assert_close(q95, 0.2 + 0.95 * 0.6, 0.01, "B q95");
    let (q05, q95) = levels("C");
    assert_close(q05, 0.5 + 0.05 * 0.5, 0.01, "C q05");
    assert_close(q95, 0.5 + 0.95 * 0.5, 0.01, "C q95");

    let course = &json["interventions"][0]["time_course"];
    let t1 = course["times"]
        .as_array()
        .unwrap()
        .iter()
        .position(|t| t.as_f64() == Some(1.0))
        .expect("t = 1 is on the grid");
    let e = node_entry(&course["nodes"], "E");
    let at = |band: &str| e[band][t1].as_f64().unwrap();
    let rise = |tau: f64| 1.0 - (-1.0 / tau).exp();
    // Bins are 1/128 wide; slow taus give low levels, so the bands swap ends.
    let tolerance = 1.0 / 128.0 + 0.01;
    assert_close(at("median"), rise(1.25), tolerance, "E median at t = 1");
    assert_close(
        at("q05"),
        rise(0.5 + 0.95 * 1.5),
        tolerance,
        "E q05 at t = 1",
    );
    assert_close(
        at("q95"),
        rise(0.5 + 0.05 * 1.5),
        tolerance,
        "E q95 at t = 1",
    );
}

#[test]
fn json_carries_levels_baseline_and_time_courses() {
    let json = run_json(&data("glioma17.toml"), &["--samples", "10"]);
    assert_eq!(json["method"], "ode");
    assert_eq!(json["acceptance"]["not_converged"], 0);
    let node = &json["interventions"][0]["nodes"][0];
    for key in ["level_mean", "level_median", "level_q05", "level_q95"] {
        assert!(node[key].is_f64(), "node field {key}");
        assert!(json["baseline"]["nodes"][0][key].is_f64(), "baseline {key}");
    }
    for course in [
        &json["baseline"]["time_course"],
        &json["interventions"][2]["time_course"],
    ] {
        let points = course["times"].as_array().unwrap().len();
        assert!(points >= 11, "{points} time points");
        assert_eq!(course["nodes"].as_array().unwrap().len(), 17);
        for band in ["median", "q05", "q95"] {
            assert_eq!(course["nodes"][0][band].as_array().unwrap().len(), points);
        }
    }
    // Apoptosis under anti-miR-9 + TMZ rises from 0 to 1 over the run.
    let course = &json["interventions"][2]["time_course"];
    let apoptosis = node_entry(&course["nodes"], "apoptosis");
    let median: Vec<f64> = apoptosis["median"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        median[0] < 0.01 && *median.last().unwrap() > 0.99,
        "{median:?}"
    );
    assert!(
        median.windows(2).all(|w| w[1] >= w[0]),
        "rises monotonically"
    );
}

/// The 17-node glioma network with default parameters behaves as the logic it encodes (see the
/// derivation in tests/data/glioma17.toml): with inputs T, A, M, E at 0 or 1 every node settles
/// at the Boolean value of its rule.
#[test]
fn glioma_network_gives_the_switches_the_equations_predict() {
    let json = run_json(&data("glioma17.toml"), &["--samples", "10"]);
    // (intervention, T, A, M, E); the baseline has every input off.
    let cases = [
        ("TMZ", 1, 0, 0, 0),
        ("anti-miR-9", 0, 1, 0, 0),
        ("anti-miR-9 + TMZ", 1, 1, 0, 0),
        ("anti-miR-9 + TMZ + EGFR", 1, 1, 0, 1),
        ("EGFR", 0, 0, 0, 1),
        ("EGFR + miR-100", 0, 0, 1, 1),
    ];
    let predicted = |t: bool, a: bool, m: bool, e: bool| -> Vec<(&str, bool)> {
        let drug_inside = t && a;
        vec![
            ("temozolomide", t),
            ("anti-miR-9", a),
            ("miR-100", m),
            ("EGFR", e),
            ("miR-9", !a),
            ("P-glycoprotein", !a),
            ("intracellular TMZ", drug_inside),
            ("DNA damage", drug_inside),
            ("p53", drug_inside),
            ("PI3K", e),
            ("AKT", e),
            ("ERK", e),
            ("BAX", drug_inside && !e),
            ("caspase-3", drug_inside && !e),
            ("apoptosis", drug_inside && !e),
            ("mTOR", e && !m),
            ("proliferation", e),
        ]
    };
    let level_of = |on: bool| if on { 1.0 } else { 0.0 };
    for (node, on) in predicted(false, false, false, false) {
        assert_close(
            baseline_level(&json, node),
            level_of(on),
            LEVEL_TOLERANCE,
            node,
        );
    }
    let base = predicted(false, false, false, false);
    for (name, t, a, m, e) in cases {
        let nodes = predicted(t == 1, a == 1, m == 1, e == 1);
        assert_eq!(nodes.len(), 17);
        for ((node, on), (_, was_on)) in nodes.into_iter().zip(&base) {
            let what = format!("{name} / {node}");
            assert_close(
                level(&json, name, node),
                level_of(on),
                LEVEL_TOLERANCE,
                &what,
            );
            // A full switch: the direction holds in every sample.
            let field = match (was_on, on) {
                (false, true) => "p_up",
                (true, false) => "p_down",
                _ => "p_zero",
            };
            assert_eq!(outcome(&json, name, node)[field], 1.0, "{what}");
        }
    }
    for e in json["expectations"].as_array().unwrap() {
        assert_eq!(e["verdict"], "supported", "{e}");
    }
}

#[test]
fn same_seed_gives_identical_ode_json_on_one_and_two_threads() {
    let run = |threads: &str| {
        run_stdout(
            &data("ode20.toml"),
            &["--format", "json", "--samples", "3000", "-j", threads],
        )
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("2"));
}

#[test]
fn press_levels_outside_the_unit_interval_are_refused_by_ode() {
    let (_dir, file) = scenario_file(
        r#"
network = "A -> B"
[[intervention]]
name = "big press"
press = { A = 2.0 }
"#,
    );
    claimsim()
        .arg("run")
        .arg(&file)
        .args(["--method", "ode"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "intervention \"big press\" presses A: press level 2 is outside [0, 1], which the ode method needs",
        ));
}
