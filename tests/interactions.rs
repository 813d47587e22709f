//! Drug interactions as gates (issue 13): press says when it cannot judge a claim that hinges on
//! a gate, ode judges it from the equations, and `check` warns about the method traps.

use crate::util::{claimsim, root, scenario_file};

fn glioblastoma() -> std::path::PathBuf {
    root().join("scenarios/glioblastoma/anti-mir9-temozolomide.toml")
}

fn expectation<'a>(
    run: &'a serde_json::Value,
    intervention: &str,
    node: &str,
) -> &'a serde_json::Value {
    run["expectations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["intervention"] == intervention && e["node"] == node)
        .unwrap_or_else(|| panic!("no expectation on {node} under {intervention}"))
}

fn run_method(method: &str) -> serde_json::Value {
    let output = claimsim()
        .arg("run")
        .arg(glioblastoma())
        // The gate logic is the subject: every link present (the evidence rules would drop
        // cited links at random and blur the comparison this test pins down).
        .args(["--format", "json", "--samples", "300", "--no-evidence"])
        .args(["--method", method])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Under ode, intracellular TMZ settles at f(T) (w - f(P)) / w: the exosomes take P to 0, so
/// the combination beats TMZ alone in every draw; a high pump shuts the gate; no drug, no effect.
#[test]
fn ode_judges_the_glioblastoma_interaction_from_the_gate() {
    let ode = run_method("ode");
    let combined = expectation(&ode, "anti-miR-9 exosomes + TMZ", "apoptosis");
    assert_eq!(combined["verdict"], "supported");
    assert_eq!(combined["probability"], 1.0);
    let pump = expectation(&ode, "TMZ, P-glycoprotein high", "apoptosis");
    assert_eq!(pump["versus"], "TMZ, P-glycoprotein knocked out");
    assert_eq!(pump["verdict"], "supported", "{pump}");
    let no_drug = expectation(&ode, "anti-miR-9 exosomes alone", "apoptosis");
    assert_eq!(no_drug["change"], "none");
    assert_eq!(no_drug["probability"], 1.0, "no drug acts without the drug");
}

#[test]
fn press_reports_gate_claims_as_not_expressible_and_judges_the_rest() {
    let press = run_method("press");
    let combined = expectation(&press, "anti-miR-9 exosomes + TMZ", "apoptosis");
    assert_eq!(combined["verdict"], "not-expressible");
    let why = combined["not_expressible"].as_str().unwrap();
    assert!(
        why.contains("temozolomide & !P-glycoprotein -> intracellular TMZ"),
        "{why}"
    );
    let no_drug = expectation(&press, "anti-miR-9 exosomes alone", "apoptosis");
    assert_eq!(no_drug["verdict"], "not-expressible");
    assert!(
        no_drug["not_expressible"]
            .as_str()
            .unwrap()
            .contains("which temozolomide keeps shut")
    );
    // Upstream of the gate press still judges: the exosomes lower the pump.
    let pump = expectation(&press, "anti-miR-9 exosomes alone", "P-glycoprotein");
    assert_eq!(pump["verdict"], "supported");
    assert!(pump.get("not_expressible").is_none());
}

#[test]
fn text_and_csv_say_not_expressible_instead_of_a_verdict() {
    let text = claimsim()
        .arg("run")
        .arg(glioblastoma())
        .args(["--samples", "200", "--method", "press"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("apoptosis up under \"anti-miR-9 exosomes + TMZ\""))
        .unwrap();
    assert!(
        line.contains("not expressible in press (interaction)"),
        "{line}"
    );
    assert!(!line.contains("P = "), "{line}");

    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("library");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(glioblastoma(), dir.join("gbm.toml")).unwrap();
    std::fs::create_dir_all(out.path().join("seeds")).unwrap();
    std::fs::copy(
        root().join("seeds/claims.toml"),
        out.path().join("seeds/claims.toml"),
    )
    .unwrap();
    let status = claimsim()
        .args(["batch", "--no-plots", "-o"])
        .arg(out.path().join("out"))
        .arg(&dir)
        .output()
        .unwrap()
        .status;
    assert!(status.success());
    let summary = std::fs::read_to_string(out.path().join("out/summary.csv")).unwrap();
    let row = summary
        .lines()
        .find(|l| l.contains(",press,anti-miR-9 exosomes + TMZ,TMZ alone,apoptosis,"))
        .unwrap();
    assert!(row.contains(",not-expressible,"), "{row}");
    let ode_row = summary
        .lines()
        .find(|l| l.contains(",ode,anti-miR-9 exosomes + TMZ,TMZ alone,apoptosis,"))
        .unwrap();
    assert!(ode_row.contains(",supported,"), "{ode_row}");
}

/// The method-agreement table compares the methods that can judge a claim.
#[test]
fn agreement_leaves_out_a_method_that_cannot_judge() {
    let all = run_method("all");
    let row = all["agreement"]["expectations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["intervention"] == "anti-miR-9 exosomes alone" && e["node"] == "apoptosis")
        .unwrap();
    let verdicts: Vec<&str> = row["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts[0], "not-expressible");
    assert_eq!(row["agree"], verdicts[1] == verdicts[2], "{row}");
}

const TRAPS: &str = r#"network = """
exosomes -| miR-9   [T1]
miR-9 -> pump       [T1]
ESCRT -> release    [T1]
"""

[[intervention]]
name = "ko"
knockout = ["ESCRT"]

[simulation]
method = "ode"
"#;

#[test]
fn check_warns_about_method_traps_without_failing() {
    let (_dir, file) = scenario_file(TRAPS);
    let output = claimsim().arg("check").arg(&file).output().unwrap();
    assert!(
        output.status.success(),
        "warnings leave the exit status alone"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning: 'miR-9' has only inhibitory inputs"),
        "{stderr}"
    );
    assert!(
        stderr.contains("scenario.toml:2:"),
        "names file and line: {stderr}"
    );
    assert!(stderr.contains("warning: knockout of 'ESCRT' in 'ko' changes nothing under ode"));
    assert!(
        stderr.contains("help: give 'ESCRT' a basal input"),
        "{stderr}"
    );
    let strict = claimsim()
        .args(["check", "--strict"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        strict.status.success(),
        "--strict does not turn warnings into errors"
    );
}

#[test]
fn the_shipped_library_has_no_lint_warnings() {
    let output = claimsim()
        .args(["check", "--strict"])
        .arg(root().join("scenarios"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warning"), "{stderr}");
}
