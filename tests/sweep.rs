//! `claimsim sweep`: single knockouts and blocks flip exactly the verdicts the network's paths
//! say they should, the files list them in a fixed order whatever the thread count, and bad
//! folders are refused or reported.

use crate::util::{claimsim, data};
use predicates::prelude::*;
use std::path::Path;

/// Runs `claimsim sweep DIR -o OUT` with extra arguments; returns the output folder.
fn sweep(dir: &Path, extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    claimsim()
        .arg("sweep")
        .arg(dir)
        .arg("-o")
        .arg(out.path())
        .args(extra)
        .assert()
        .success();
    out
}

fn read(out: &tempfile::TempDir, name: &str) -> String {
    std::fs::read_to_string(out.path().join(name)).expect("file written")
}

/// The rows of a CSV file from the column `from` on, for one method.
fn rows_from(csv: &str, method: &str, from: usize) -> Vec<String> {
    csv.lines()
        .filter(|line| line.split(',').nth(2) == Some(method))
        .map(|line| line.split(',').skip(from).collect::<Vec<_>>().join(","))
        .collect()
}

#[test]
fn one_knockout_or_block_on_the_only_path_flips_the_claim() {
    // branches.toml: press A; A -> B -> C and A -> D. "C up" rests on B and both links to it;
    // "D up" only on A -> D. Knocking out A is skipped (it is pressed); knocking out C or D
    // gives their own expectations no record.
    let out = sweep(&data("sweep"), &["-m", "press"]);
    let fragility = read(&out, "fragility.csv");
    assert_eq!(
        rows_from(&fragility, "press", 5),
        [
            "C,up,,knockout B,supported,contradicted,yes,1.0000,0.0000",
            "D,up,,knockout B,supported,supported,no,1.0000,1.0000",
            "D,up,,knockout C,supported,supported,no,1.0000,1.0000",
            "C,up,,knockout D,supported,supported,no,1.0000,1.0000",
            "C,up,,block A -> B,supported,contradicted,yes,1.0000,0.0000",
            "D,up,,block A -> B,supported,supported,no,1.0000,1.0000",
            "C,up,,block B -> C,supported,contradicted,yes,1.0000,0.0000",
            "D,up,,block B -> C,supported,supported,no,1.0000,1.0000",
            "C,up,,block A -> D,supported,supported,no,1.0000,1.0000",
            "D,up,,block A -> D,supported,contradicted,yes,1.0000,0.0000",
        ]
    );
    let claims = read(&out, "fragility-claims.csv");
    assert_eq!(
        rows_from(&claims, "press", 5),
        [
            "C,up,,supported,1.0000,5,3,0.6000,knockout B; block A -> B; block B -> C",
            "D,up,,supported,1.0000,5,1,0.2000,block A -> D",
        ],
        "most fragile first"
    );
    assert!(
        read(&out, "skipped.csv").contains("knockout A,\"intervention \"\"press A\"\" presses it"),
        "the knockout that would cancel the press is listed as skipped"
    );
}

#[test]
fn sweep_files_do_not_depend_on_the_thread_count() {
    let one = sweep(&data("sweep"), &["-m", "all", "-n", "300", "-j", "1"]);
    let two = sweep(&data("sweep"), &["-m", "all", "-n", "300", "-j", "2"]);
    for name in ["fragility.csv", "fragility-claims.csv", "skipped.csv"] {
        assert_eq!(read(&one, name), read(&two, name), "{name} differs");
    }
    assert_eq!(rows_from(&read(&one, "fragility.csv"), "fcm", 0).len(), 10);
}

#[test]
fn an_empty_folder_is_refused() {
    let empty = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    claimsim()
        .arg("sweep")
        .arg(empty.path())
        .arg("-o")
        .arg(out.path().join("sweep"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no scenario"));
}

#[test]
fn a_bad_scenario_is_reported_and_the_rest_still_sweeps() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        data("sweep/branches.toml"),
        dir.path().join("branches.toml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("broken.toml"),
        "title = \"x\"\nnetwork = \"A -> \"\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    claimsim()
        .arg("sweep")
        .arg(dir.path())
        .arg("-o")
        .arg(out.path())
        .args(["-m", "press", "-n", "200"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broken.toml"));
    let skipped = std::fs::read_to_string(out.path().join("skipped.csv")).unwrap();
    assert!(
        skipped.lines().any(|l| l.starts_with("broken,")),
        "{skipped}"
    );
    let claims = std::fs::read_to_string(out.path().join("fragility-claims.csv")).unwrap();
    assert_eq!(
        claims.lines().count(),
        3,
        "branches.toml still swept: {claims}"
    );
}
