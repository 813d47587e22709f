//! `claimsim check`: the shipped library is valid, and bad files exit 2 with every problem.

use crate::util::{claimsim, data, scenario_file};
use predicates::prelude::*;

#[test]
fn shipped_scenarios_check_clean_one_line_each() {
    let scenarios = crate::util::root().join("scenarios");
    let count = claimsim::discover::scenario_files(std::slice::from_ref(&scenarios))
        .unwrap()
        .files
        .len();
    assert!(
        count >= 3,
        "the library ships at least the three starter scenarios"
    );
    let output = claimsim().arg("check").arg(&scenarios).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok  ")).count(),
        count,
        "{stdout}"
    );
    assert!(
        stdout.contains("nodes,") && stdout.contains("expectation"),
        "{stdout}"
    );
}

#[test]
fn malformed_arrow_and_undeclared_node_are_both_reported() {
    let (_dir, file) = scenario_file(
        "title = \"broken\"\nnetwork = \"\"\"\nA -> B\nC => => D\nB -| A\n\"\"\"\n[[intervention]]\nname = \"q\"\npress = { \"Q\" = 1.0 }\n",
    );
    claimsim()
        .arg("check")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("scenario.toml:4:3"))
        .stderr(predicate::str::contains("malformed arrow '=>'"))
        .stderr(predicate::str::contains("unknown node 'Q'"))
        .stderr(predicate::str::contains("1 with problems"));
}

#[test]
fn a_folder_with_one_bad_file_reports_it_and_checks_the_rest() {
    let (dir, _file) = scenario_file("network = \"A -> B\"\n");
    std::fs::write(dir.path().join("bad.toml"), "network = \"A ->\"\n").unwrap();
    claimsim()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout(predicate::str::contains("ok  "))
        .stderr(predicate::str::contains("needs a space on each side"))
        .stderr(predicate::str::contains(
            "2 scenarios checked, 1 with problems",
        ));
}

#[test]
fn empty_folder_and_missing_file_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    claimsim()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no scenario files"));
    claimsim()
        .arg("check")
        .arg(dir.path().join("nope.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("could not read"));
}

#[test]
fn explicit_catalogue_resolves_claims() {
    claimsim()
        .args(["check", "--claims"])
        .arg(data("claims.toml"))
        .arg(data("predator-prey.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "2 nodes, 2 links, 2 interventions, 1 expectation",
        ));
}

#[test]
fn strict_flags_links_without_claims() {
    claimsim()
        .args(["check", "--strict", "--claims"])
        .arg(data("claims.toml"))
        .arg(data("predator-prey.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("link 'B -| A' cites no claim"));
}

#[test]
fn shipped_scenarios_pass_strict_checks() {
    claimsim()
        .args(["check", "--strict"])
        .arg(crate::util::root().join("scenarios"))
        .assert()
        .success();
}

/// The library covers the five source reviews and has the size the batch report promises.
#[test]
fn catalogue_cites_every_seed_and_library_is_complete() {
    let root = crate::util::root();
    let catalogue =
        claimsim::scenario::catalogue::Catalogue::load(&root.join("seeds/claims.toml")).unwrap();
    assert!(
        catalogue.claims.len() >= 100,
        "{} claims",
        catalogue.claims.len()
    );
    for seed in ["000_", "001_", "002_", "003_", "004_"] {
        assert!(
            catalogue.claims.iter().any(|c| c.seed.starts_with(seed)),
            "no claim cites seed {seed}"
        );
    }
    let scenarios = claimsim::discover::scenario_files(&[root.join("scenarios")])
        .unwrap()
        .files;
    assert!(scenarios.len() >= 16, "{} scenarios", scenarios.len());
}

/// A bare file name (no folder) must still find seeds/claims.toml in the current folder.
#[test]
fn bare_file_name_finds_the_catalogue_in_the_current_folder() {
    let (dir, _file) = scenario_file("network = \"A -> B  [T1]\"\n");
    claimsim()
        .current_dir(dir.path())
        .args(["check", "scenario.toml"])
        .assert()
        .success();
}
