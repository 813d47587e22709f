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

/// A pressed node goes up whatever happens downstream: no single knockout or block flips it.
const STEADY: &str = r#"title = "Pressed node"
network = """
A -> B
"""

[[intervention]]
name = "press A"
press = { A = 1.0 }

[[expect]]
intervention = "press A"
node = "A"
change = "up"

[simulation]
seed = 5
"#;

fn pngs(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".png"))
        .collect();
    names.sort();
    names
}

#[test]
fn the_fragility_chart_and_page_show_the_flips_exactly_when_there_are_some() {
    let out = sweep(&data("sweep"), &["-m", "press", "-n", "200"]);
    assert_eq!(pngs(out.path()), ["fragility.png"]);
    let png = std::fs::read(out.path().join("fragility.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let page = read(&out, "index.html");
    for link in [
        "src=\"./fragility.png\"",
        "href=\"./fragility.csv\"",
        "href=\"./fragility-claims.csv\"",
        "href=\"./skipped.csv\"",
    ] {
        assert!(page.contains(link), "{link} in {page}");
    }
    // The table ranks "C up" (3 flips of 5) above "D up" (1 of 5).
    let c = page.find("<td>C up, press A").expect("C's row");
    let d = page.find("<td>D up, press A").expect("D's row");
    assert!(
        c < d && page.contains("3 of 5") && page.contains("1 of 5"),
        "{page}"
    );
    let manifest = read(&out, "manifest.json");
    assert!(manifest.contains("fragility.png") && manifest.contains("index.html"));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("steady.toml"), STEADY).unwrap();
    let out = sweep(dir.path(), &["-m", "press", "-n", "200"]);
    let claims = read(&out, "fragility-claims.csv");
    assert!(
        claims.lines().nth(1).unwrap().contains(",2,0,0.0000,"),
        "{claims}"
    );
    assert!(pngs(out.path()).is_empty(), "no flips, no chart");
    let page = read(&out, "index.html");
    assert!(
        page.contains("nothing to chart") && !page.contains("<img"),
        "{page}"
    );
    assert!(
        !page.contains("Most fragile claims"),
        "no table without flips"
    );
}

#[test]
fn a_batch_page_links_the_sweeps_in_its_folder_and_a_sweep_links_back() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let batch = || {
        claimsim()
            .args(["batch", "-n", "200", "--no-atlas", "-o"])
            .arg(&out)
            .arg(data("sweep"))
            .assert()
            .success();
        std::fs::read_to_string(out.join("index.html")).unwrap()
    };
    assert!(!batch().contains("Robustness sweeps"), "no sweep yet");
    claimsim()
        .args(["sweep", "-m", "press", "-n", "200", "-o"])
        .arg(out.join("robustness"))
        .arg(data("sweep"))
        .assert()
        .success();
    let page = std::fs::read_to_string(out.join("robustness/index.html")).unwrap();
    assert!(page.contains("href=\"../index.html\""), "{page}");
    let index = batch();
    assert!(
        index.contains("Robustness sweeps") && index.contains("href=\"./robustness/index.html\""),
        "{index}"
    );
}

#[test]
fn pairs_are_swept_capped_and_merge_from_four_shards_into_the_same_files() {
    let project = shard::project();
    let dir = project.path();
    let mut one = vec!["sweep", "-o", "one", "--pairs"];
    one.extend(shard::SWEEP);
    let planned = claimsim().current_dir(dir).args(&one).assert().success();
    let said = String::from_utf8_lossy(&planned.get_output().stderr).to_string();
    assert!(
        said.contains(" pairs") && said.contains("runs planned"),
        "{said}"
    );
    let parts: Vec<PathBuf> = (0..4)
        .map(|k| shard::shard(dir, k, 4, &["--pairs"]))
        .collect();
    let parts: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
    shard::merge(dir, &parts, "merged").success();
    let mut names: Vec<String> = pngs(&dir.join("one"));
    assert!(!names.is_empty(), "a chart");
    assert_eq!(names, pngs(&dir.join("merged")));
    names.extend(
        [
            "fragility.csv",
            "fragility-claims.csv",
            "skipped.csv",
            "index.html",
        ]
        .map(String::from),
    );
    for name in names {
        assert!(
            shard::read(dir.join("one").join(&name)) == shard::read(dir.join("merged").join(&name)),
            "{name} differs"
        );
    }
    let fragility = String::from_utf8(shard::read(dir.join("one/fragility.csv"))).unwrap();
    assert!(
        fragility.contains(",knockout B + block A -> D,")
            && fragility.contains(",block A -> B + block B -> C,"),
        "every pair of singles, knockouts with blocks and blocks with blocks: {fragility}"
    );
    let claims = String::from_utf8(shard::read(dir.join("one/fragility-claims.csv"))).unwrap();
    assert!(
        claims
            .lines()
            .next()
            .unwrap()
            .ends_with(",pairs,pair_flips"),
        "{claims}"
    );
    // Unsharded parts of another pairs setting do not merge with these.
    let single = shard::shard(dir, 0, 4, &[]);
    shard::merge(dir, &[&single, parts[1], parts[2], parts[3]], "mixed")
        .code(2)
        .stderr(predicate::str::contains("pairs setting"));
    let mut capped = vec!["sweep", "-o", "capped", "--pairs", "--max-pairs", "10"];
    capped.extend(shard::SWEEP);
    claimsim()
        .current_dir(dir)
        .args(&capped)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("more than --max-pairs 10"));
}
