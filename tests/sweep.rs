//! `claimsim sweep`: single knockouts and blocks flip exactly the verdicts the network's paths
//! say they should, the files list them in a fixed order whatever the thread count, and bad
//! folders are refused or reported.

use crate::shard;
use crate::util::{claimsim, data};
use claimsim::pipeline::batch::BatchOutcome;
use claimsim::pipeline::sweep::{UnitOutcome, UnitReport};
use claimsim::shard::{Part, Results};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

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

/// Reads a part, lets `edit` change its results, and seals it again: a hand edit that passes
/// the hash check.
fn resealed(part: &Path, edit: impl FnOnce(&mut Results)) {
    let mut parsed = Part::from_file(part, &std::fs::read(part).unwrap()).expect("a part");
    edit(&mut parsed.results);
    std::fs::write(part, parsed.to_file().unwrap()).unwrap();
}

/// The first unit report of a sweep part that ran and has expectations.
fn first_report(results: &mut Results) -> &mut UnitReport {
    let Results::Sweep(units) = results else {
        panic!("a sweep part")
    };
    units
        .iter_mut()
        .find_map(|(_, o)| match o {
            UnitOutcome::Ran(r) if !r.expectations.is_empty() => Some(r),
            _ => None,
        })
        .expect("a unit with expectations")
}

#[test]
fn merge_refuses_a_resealed_sweep_part_that_does_not_fit_its_scenarios() {
    let project = shard::project();
    let dir = project.path();
    let parts: Vec<PathBuf> = (0..2).map(|k| shard::shard(dir, k, 2, &[])).collect();
    let both = [parts[0].as_path(), parts[1].as_path()];
    let original = std::fs::read(&parts[1]).unwrap();
    resealed(&parts[1], |r| {
        first_report(r).expectations.pop();
    });
    shard::merge(dir, &both, "out")
        .code(2)
        .stderr(predicate::str::contains(
            "sweep-1.json' does not fit its scenarios",
        ))
        .stderr(predicate::str::contains("expectations; the scenario has"))
        .stderr(predicate::str::contains("rerun that shard"));
    std::fs::write(&parts[1], &original).unwrap();
    resealed(&parts[1], |r| {
        first_report(r).expectations[0].node = "Nowhere".to_string();
    });
    shard::merge(dir, &both, "out")
        .code(2)
        .stderr(predicate::str::contains(
            "has node 'Nowhere'; the scenario's has",
        ));
    assert!(!dir.join("out/fragility.csv").exists(), "nothing merged");
    std::fs::write(&parts[1], &original).unwrap();
    shard::merge(dir, &both, "out").success();
}

#[test]
fn merge_refuses_a_resealed_batch_part_that_does_not_fit_its_scenario() {
    let project = shard::project();
    let dir = project.path();
    let mut parts = Vec::new();
    for k in 0..2 {
        let part = format!("parts/batch-{k}.json");
        let label = format!("{k}/2");
        shard::ok(
            dir,
            &[
                "batch",
                "--shard",
                &label,
                "-o",
                &part,
                "-n",
                "200",
                "scenarios",
            ],
        );
        parts.push(dir.join(part));
    }
    resealed(&parts[0], |results| {
        let Results::Batch(units) = results else {
            panic!("a batch part")
        };
        let BatchOutcome::Ran(reports) = &mut units[0].1 else {
            panic!("the first scenario ran")
        };
        reports[0].interventions[0].nodes.pop();
    });
    shard::merge(dir, &[&parts[0], &parts[1]], "out")
        .code(2)
        .stderr(predicate::str::contains(
            "batch-0.json' does not fit its scenarios",
        ))
        .stderr(predicate::str::contains("nodes in order"));
    assert!(!dir.join("out/index.html").exists(), "nothing merged");
}
