//! What-if overrides on `run`: each one changes the result as documented, is echoed in the
//! output, and mistakes in them are reported like mistakes in files.

use crate::util::{claimsim, data, outcome, run_json};
use predicates::prelude::*;

#[test]
fn press_override_is_added_to_every_intervention() {
    // predator-prey: pressing B lowers A. Adding a press on B to "press A" must change A's outcome.
    let plain = run_json(&data("predator-prey.toml"), &[]);
    assert_eq!(outcome(&plain, "press A", "A")["p_up"], 1.0);
    let json = run_json(&data("predator-prey.toml"), &["--press", "B=5"]);
    let a = outcome(&json, "press A", "A");
    assert!(
        a["p_down"].as_f64().unwrap() > 0.5,
        "a strong press on B now dominates A: {a}"
    );
    assert_eq!(json["overrides"][0], "--press \"B=5\"");
}

#[test]
fn block_override_cuts_the_path() {
    let json = run_json(&data("loop3.toml"), &["--block", "B -> C"]);
    assert_eq!(
        outcome(&json, "press A", "C")["p_zero"],
        1.0,
        "C is unreachable once B -> C is blocked"
    );
    assert_eq!(outcome(&json, "press A", "B")["p_up"], 1.0);
}

#[test]
fn knockout_override_holds_the_node_down() {
    let json = run_json(&data("loop3.toml"), &["--knockout", "B"]);
    assert_eq!(outcome(&json, "press A", "B")["p_down"], 1.0);
    // With B clamped low, C loses its only input: it goes down whatever A does.
    assert_eq!(outcome(&json, "press A", "C")["p_down"], 1.0);
}

#[test]
fn weight_override_changes_the_magnitudes() {
    let base = run_json(&data("predator-prey.toml"), &[]);
    let json = run_json(
        &data("predator-prey.toml"),
        &["--weight", "A -> B=uniform(10, 20)"],
    );
    let before = outcome(&base, "press A", "B")["median"].as_f64().unwrap();
    let after = outcome(&json, "press A", "B")["median"].as_f64().unwrap();
    assert!(
        after > before,
        "a stronger A -> B raises B's response: {before} -> {after}"
    );
}

#[test]
fn intervention_override_keeps_one_intervention_and_its_comparisons() {
    let json = run_json(&data("mixed.toml"), &["--intervention", "drug + exosomes"]);
    let names: Vec<&str> = json["interventions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["drug", "drug + exosomes"],
        "the versus intervention stays"
    );
    assert_eq!(json["expectations"].as_array().unwrap().len(), 1);
}

#[test]
fn override_mistakes_are_explained_and_exit_2() {
    claimsim()
        .arg("run")
        .arg(data("mixed.toml"))
        .args([
            "--press",
            "drugg=1",
            "--block",
            "drug -| target",
            "--weight",
            "drug -> target=normal(0, 1)",
            "--intervention",
            "Drug",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--press \"drugg=1\": unknown node 'drugg'",
        ))
        .stderr(predicate::str::contains("did you mean 'drug'"))
        .stderr(predicate::str::contains("'drug -| target' matches no link"))
        .stderr(predicate::str::contains("did you mean 'drug -> target'"))
        .stderr(predicate::str::contains(
            "can be negative, but a weight is a magnitude",
        ))
        .stderr(predicate::str::contains("did you mean \"drug\""));
    claimsim()
        .arg("run")
        .arg(data("mixed.toml"))
        .args(["--press", "drug"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("expected NODE=LEVEL"));
}

#[test]
fn explain_names_competing_paths_and_the_simulated_result() {
    let (_dir, file) = crate::util::scenario_file(
        "network = \"\"\"\nX -> Y  [T2]\nX -> M  [T3]\nM -| Y  [T3]\nY -| X\n\"\"\"\n[[intervention]]\nname = \"press X\"\npress = { X = 1.0 }\n[[expect]]\nintervention = \"press X\"\nnode = \"Y\"\nchange = \"up\"\n",
    );
    claimsim()
        .arg("explain")
        .arg(&file)
        .args(["--from", "X", "--to", "Y", "-n", "4000"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "1. raises  X -> Y  [T2]  crosses L1",
        ))
        .stdout(predicate::str::contains("2. lowers  X -> M -| Y  [T3]"))
        .stdout(predicate::str::contains("L1 (negative): X -> Y -| X"))
        .stdout(predicate::str::contains(
            "An increase in X raises Y along 1 of 2 paths, lowers it along 1.",
        ))
        .stdout(predicate::str::contains("The path through M lowers it"))
        .stdout(predicate::str::contains(
            "Simulated with press: Y goes up with P = ",
        ));
    claimsim()
        .arg("explain")
        .arg(&file)
        .args(["--expect", "1", "-n", "4000"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Claim 1: Y up, press X vs no intervention\nVerdict (press, 4000 samples): ",
        ))
        .stdout(predicate::str::contains(
            "How Y responds to an increase in X",
        ));
    claimsim()
        .arg("explain")
        .arg(&file)
        .args(["--expect", "2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("has 1 expectation"));
}

/// Press responses are linear, so in every draw the response to "A+B" is the sum of the
/// responses to A and to B: the means must add up exactly (same draws, same seed).
#[test]
fn compare_combinations_merge_presses() {
    let output = claimsim()
        .arg("compare")
        .arg(data("predator-prey.toml"))
        .args([
            "press A",
            "press B",
            "press A+press B",
            "--format",
            "json",
            "--claims",
        ])
        .arg(data("claims.toml"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for node in ["A", "B"] {
        let mean = |i: &str| outcome(&json, i, node)["mean"].as_f64().unwrap();
        let (a, b, both) = (mean("press A"), mean("press B"), mean("press A+press B"));
        assert!(
            (both - (a + b)).abs() < 1e-9 * (a.abs() + b.abs()),
            "{node}: {both} vs {a} + {b}"
        );
    }
    assert_eq!(
        json["expectations"].as_array().unwrap().len(),
        1,
        "the expectation about 'press B' is kept"
    );
    claimsim()
        .arg("compare")
        .arg(data("predator-prey.toml"))
        .args(["press A+press C", "--claims"])
        .arg(data("claims.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "\"press A+press C\" is not an intervention or a combination",
        ));
}

fn glioblastoma() -> std::path::PathBuf {
    crate::util::root().join("scenarios/glioblastoma/anti-mir9-temozolomide.toml")
}

#[test]
fn a_knockout_that_cancels_a_press_is_warned_about() {
    claimsim()
        .arg("run")
        .arg(glioblastoma())
        .args(["-n", "200", "--knockout", "temozolomide"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "--knockout \"temozolomide\" cancels the press on temozolomide that intervention \"TMZ alone\" relies on",
        ));
    claimsim()
        .arg("run")
        .arg(glioblastoma())
        .args(["-n", "200", "--knockout", "miR-9"])
        .assert()
        .success()
        .stderr(predicate::str::contains("cancels the press").not());
}

#[test]
fn compare_presses_a_shared_node_once_unless_asked_to_sum() {
    // Both arms press temozolomide at 1: combined, it is one dose of the drug.
    let combination = "TMZ alone+anti-miR-9 exosomes + TMZ";
    let built = |extra: &[&str]| {
        let output = claimsim()
            .arg("compare")
            .arg(glioblastoma())
            // press: a summed level of 2 is outside the ode method's [0, 1].
            .args([combination, "-n", "200", "--method", "press"])
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stderr).unwrap()
    };
    let once = built(&[]);
    assert!(
        once.contains(&format!(
            "built \"{combination}\": press temozolomide = 1, anti-miR-9 exosomes = 1"
        )),
        "{once}"
    );
    let summed = built(&["--sum"]);
    assert!(
        summed.contains("press temozolomide = 2, anti-miR-9 exosomes = 1"),
        "{summed}"
    );
}

/// Two claims on one intervention that come out differently, the second on a decreased node.
const TWO_CLAIMS: &str = "network = \"\"\"\nX -> Y  [T2]\nZ -| W  [T3]\n\"\"\"\n[[intervention]]\nname = \"both\"\npress = { X = 1.0, Z = -1.0 }\n[[expect]]\nintervention = \"both\"\nnode = \"Y\"\nchange = \"down\"\nclaims = [\"T2\"]\n[[expect]]\nintervention = \"both\"\nnode = \"W\"\nchange = \"up\"\nclaims = [\"T3\"]\n";

fn explain_text(file: &std::path::Path, extra: &[&str]) -> String {
    let output = claimsim()
        .arg("explain")
        .arg(file)
        .args(["-n", "1000", "--seed", "3"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// `--expect N` opens with the N-th claim and the verdict `run` gives it (same seed, same P),
/// not another claim of the same intervention.
#[test]
fn explain_expect_restates_the_claim_and_its_run_verdict() {
    let (_dir, file) = crate::util::scenario_file(TWO_CLAIMS);
    let run = run_json(&file, &["-n", "1000", "--seed", "3", "--method", "press"]);
    for (n, claim, verdict) in [
        (
            1,
            "Claim 1: Y down, both vs no intervention [T2]",
            "contradicted",
        ),
        (
            2,
            "Claim 2: W up, both vs no intervention [T3]",
            "supported",
        ),
    ] {
        let expected = &run["expectations"][n - 1];
        assert_eq!(expected["verdict"], verdict);
        let p = expected["probability"].as_f64().unwrap();
        let text = explain_text(&file, &["--expect", &n.to_string()]);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(claim), "{text}");
        let verdict_line = lines.next().unwrap();
        assert!(
            verdict_line.starts_with(&format!(
                "Verdict (press, 1000 samples): {verdict}, P = {p:.3} ["
            )),
            "{verdict_line}"
        );
    }
}

/// A decreased node along a lowering path: the path keeps its own sign's word, and the
/// account says the decrease raises the target.
#[test]
fn explain_words_follow_each_paths_sign() {
    let (_dir, file) = crate::util::scenario_file(TWO_CLAIMS);
    let text = explain_text(&file, &["--expect", "2"]);
    assert!(
        text.contains("1. lowers  Z -| W  [T3]  (Z decreased: raises W)"),
        "{text}"
    );
    assert!(
        text.contains(
            "A decrease in Z raises W along every path (1): the path lowers W when Z rises, so less Z means more W."
        ),
        "{text}"
    );
    assert!(
        !text.contains("loop"),
        "no loop here, none to blame: {text}"
    );
}
