//! `claimsim run`: output contract, determinism, the acceptance cap and bounded memory.

use crate::util::{claimsim, data, run_json, scenario_file};
use predicates::prelude::*;

#[test]
fn json_follows_the_output_contract() {
    let json = run_json(&data("predator-prey.toml"), &[]);
    for key in [
        "scenario",
        "method",
        "samples",
        "seed",
        "acceptance",
        "interventions",
        "expectations",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    for key in ["draws", "stable", "accepted"] {
        assert!(json["acceptance"][key].is_u64(), "acceptance.{key}");
    }
    let node = &json["interventions"][0]["nodes"][0];
    for key in [
        "node", "p_up", "p_down", "p_zero", "mean", "median", "q05", "q95",
    ] {
        assert!(node.get(key).is_some(), "missing node field {key}");
    }
    for key in ["intervention", "node", "change", "probability", "verdict"] {
        assert!(
            json["expectations"][0].get(key).is_some(),
            "missing expectation field {key}"
        );
    }
    assert_eq!(json["method"], "press");
    assert_eq!(json["samples"], 2000);
    assert_eq!(json["seed"], 3);
}

#[test]
fn same_seed_gives_identical_json_on_one_and_two_threads() {
    let run = |threads: &str| {
        claimsim()
            .arg("run")
            .arg(data("mixed.toml"))
            .args(["--format", "json", "--samples", "30000", "-j", threads])
            .output()
            .unwrap()
            .stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("2"));
    // Same samples and threads, another seed: only the seed can make the numbers differ.
    let other_seed = claimsim()
        .arg("run")
        .arg(data("mixed.toml"))
        .args([
            "--format",
            "json",
            "--samples",
            "30000",
            "-j",
            "1",
            "--seed",
            "9",
        ])
        .output()
        .unwrap();
    assert_ne!(one, other_seed.stdout, "the seed changes the numbers");
}

#[test]
/// No draw can meet the condition: after one block of 2,048 draws, even the 99.9 % upper bound
/// on the acceptance cannot give 100 samples within max_draws, so the run stops there.
fn unsatisfiable_condition_stops_early_with_the_reason() {
    let (_dir, file) = scenario_file(
        r#"
network = """
A -> B
B -| A
"""
[[intervention]]
name = "press A"
press = { A = 1.0 }
[[expect]]
intervention = "press A"
node = "B"
change = "down"
condition = true
[simulation]
samples = 100
max_draws = 20000
"#,
    );
    claimsim()
        .arg("run")
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "only 0 of 100 samples accepted after 2048 draws",
        ))
        .stderr(predicate::str::contains(
            "stopped early: even the 99.9 % upper bound on this acceptance cannot give 100 samples within max_draws = 20000",
        ))
        .stderr(predicate::str::contains(
            "violated the condition that 'B' goes down under \"press A\"",
        ));
}

#[test]
fn output_folder_gets_summary_and_outcomes() {
    let dir = tempfile::tempdir().unwrap();
    claimsim()
        .arg("run")
        .arg(data("predator-prey.toml"))
        .args(["--claims"])
        .arg(data("claims.toml"))
        .arg("-o")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("✔ supported"));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["method"], "press");
    let csv = std::fs::read_to_string(dir.path().join("outcomes.csv")).unwrap();
    assert!(csv.starts_with("method,intervention,node,p_up,p_down,p_zero"));
    assert_eq!(
        csv.lines().count(),
        1 + 2 * 2,
        "one row per intervention and node"
    );
}

#[test]
fn text_report_shows_table_claims_and_draws() {
    claimsim()
        .arg("run")
        .arg(data("predator-prey.toml"))
        .args(["--claims"])
        .arg(data("claims.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("press A"))
        .stdout(predicate::str::contains("↓ 1.00"))
        .stdout(predicate::str::contains(
            "A down under \"press B\": P = 1.000",
        ))
        .stdout(predicate::str::contains("[T1]"))
        .stdout(predicate::str::contains("Draws: 2000 made, 2000 stable"));
}

/// Ten million samples: memory must stay flat (streaming summaries), far below what keeping
/// the samples would take (10^7 x 4 values x 8 bytes = 320 MB).
#[test]
fn ten_million_samples_run_in_bounded_memory() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_claimsim"))
        .arg("run")
        .arg(data("predator-prey.toml"))
        .args(["--samples", "10000000", "--format", "json", "--claims"])
        .arg(data("claims.toml"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    while child.try_wait().unwrap().is_none() {
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            let rss = status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok());
            peak_kib = peak_kib.max(rss.unwrap_or(0));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["samples"], 10_000_000);
    assert!(peak_kib > 0, "memory was sampled");
    assert!(peak_kib < 64 * 1024, "peak resident memory {peak_kib} KiB");
}

#[test]
fn samples_out_writes_every_accepted_sample_consistent_with_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("samples.csv");
    let json = run_json(
        &data("mixed.toml"),
        &["--samples", "3000", "--samples-out", path.to_str().unwrap()],
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[0], "sample");
    let column = header
        .iter()
        .position(|h| *h == "drug::growth")
        .expect("column per intervention and node");
    let values: Vec<f64> = lines
        .map(|l| l.split(',').nth(column).unwrap().parse().unwrap())
        .collect();
    assert_eq!(values.len(), 3000, "one row per accepted sample");
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let reported = crate::util::outcome(&json, "drug", "growth")["mean"]
        .as_f64()
        .unwrap();
    assert!(
        (mean - reported).abs() <= 1e-9 * reported.abs().max(1.0),
        "{mean} vs {reported}"
    );
    let down = values.iter().filter(|v| **v < 0.0).count() as f64 / 3000.0;
    assert_eq!(
        down,
        crate::util::outcome(&json, "drug", "growth")["p_down"]
            .as_f64()
            .unwrap()
    );
}

/// A shipped scenario copied into an empty folder, away from the repository's catalogue.
fn copied_out_of_the_repository() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("anti-mir9-temozolomide.toml");
    let shipped = crate::util::root().join("scenarios/glioblastoma/anti-mir9-temozolomide.toml");
    std::fs::copy(shipped, &file).unwrap();
    (dir, file)
}

#[test]
fn a_scenario_without_its_catalogue_runs_with_a_warning() {
    let (dir, file) = copied_out_of_the_repository();
    let warning = "warning: no claims catalogue found";
    for command in [
        vec!["run", "-n", "200"],
        vec!["compare", "-n", "200", "TMZ alone"],
        vec!["explain", "--expect", "1", "-n", "200"],
    ] {
        let (name, rest) = command.split_first().unwrap();
        claimsim()
            .current_dir(dir.path())
            .arg(name)
            .arg(&file)
            .args(rest)
            .assert()
            .success()
            .stderr(predicate::str::contains(warning));
    }
    claimsim()
        .current_dir(dir.path())
        .args(["run", "-n", "200"])
        .arg(&file)
        .assert()
        .stdout(predicate::str::contains("[A152, A153]"));
    claimsim()
        .arg("batch")
        .arg(dir.path())
        .arg("-o")
        .arg(dir.path().join("out"))
        .assert()
        .success()
        .stderr(predicate::str::contains(warning));
    claimsim()
        .arg("check")
        .arg(&file)
        .assert()
        .success()
        .stderr(predicate::str::contains(warning));
    claimsim()
        .args(["check", "--strict"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is cited but no claims catalogue was found",
        ));
}

/// Each expectation of a `run --format json` as (method, claim, verdict, support class, P).
fn verdicts(dir: &std::path::Path, file: &std::path::Path) -> (Vec<String>, String) {
    let output = claimsim()
        .current_dir(dir)
        .arg("run")
        .arg(file)
        .args(["-n", "600", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let rows = json["runs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|run| {
            run["expectations"].as_array().unwrap().iter().map(|e| {
                format!(
                    "{} {} vs {} {} {}: {} {} {}",
                    run["method"],
                    e["intervention"],
                    e["versus"],
                    e["node"],
                    e["change"],
                    e["verdict"],
                    e["support"],
                    e["probability"]
                )
            })
        })
        .collect();
    (rows, String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn a_copy_made_with_new_from_runs_anywhere_with_the_same_verdicts() {
    let shipped = crate::util::root().join("scenarios/glioblastoma/anti-mir9-temozolomide.toml");
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.toml");
    claimsim()
        .args(["new", "--from"])
        .arg(&shipped)
        .arg(&copy)
        .assert()
        .success()
        .stderr(predicate::str::contains("cited claims embedded"));
    let text = std::fs::read_to_string(&copy).unwrap();
    assert!(text.starts_with(&std::fs::read_to_string(&shipped).unwrap()));
    assert!(text.contains("[[claim]]\nid = \"A152\""), "{text}");

    let (original, _) = verdicts(&crate::util::root(), &shipped);
    let (copied, stderr) = verdicts(dir.path(), &copy);
    assert!(!original.is_empty());
    assert_eq!(copied, original);
    assert!(!stderr.contains("no claims catalogue found"), "{stderr}");
    claimsim()
        .current_dir(dir.path())
        .args(["check", "--strict"])
        .arg(&copy)
        .assert()
        .success()
        .stderr(predicate::str::contains("warning").not());

    // The same file copied without --from needs the catalogue it left behind.
    let (plain_dir, plain) = copied_out_of_the_repository();
    let (_, stderr) = verdicts(plain_dir.path(), &plain);
    assert!(stderr.contains("no claims catalogue found"), "{stderr}");
}

#[test]
fn new_from_refuses_to_embed_claims_it_cannot_find() {
    let (dir, plain) = copied_out_of_the_repository();
    claimsim()
        .current_dir(dir.path())
        .args(["new", "--from"])
        .arg(&plain)
        .arg(dir.path().join("copy.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no claims catalogue was found to copy from",
        ))
        .stderr(predicate::str::contains("--claims FILE"));
    assert!(!dir.path().join("copy.toml").exists());
}

#[test]
fn new_refuses_a_claims_catalogue_without_from() {
    let dir = tempfile::tempdir().expect("temporary folder");
    claimsim()
        .current_dir(dir.path())
        .args(["new", "template.toml", "--claims", "catalogue.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--from <SCENARIO>"));
    assert!(!dir.path().join("template.toml").exists());
}
