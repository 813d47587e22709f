//! Output folders carry a manifest: a rerun leaves none of the previous run's files or links,
//! `check-output` tells a finished folder from a changed one, and a folder another claimsim is
//! writing is refused.

use crate::util::{claimsim, data};
use predicates::prelude::*;
use std::path::Path;

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                found.push(relative.to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}

fn batch(lib: &Path, out: &Path, method: &str) -> assert_cmd::assert::Assert {
    claimsim()
        .arg("batch")
        .arg(lib)
        .args(["-o", out.to_str().unwrap(), "-m", method, "-n", "100"])
        .args(["--no-atlas", "--seed", "1"])
        .assert()
}

fn check_output(out: &Path) -> assert_cmd::assert::Assert {
    claimsim().arg("check-output").arg(out).assert()
}

fn library() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("lib")).unwrap();
    std::fs::copy(data("loop3.toml"), dir.path().join("lib/loop3.toml")).unwrap();
    dir
}

#[test]
fn a_press_rerun_after_all_methods_leaves_no_ode_or_fcm_file_or_link() {
    let dir = library();
    let (lib, out) = (dir.path().join("lib"), dir.path().join("out"));
    batch(&lib, &out, "all").success();
    let before = files_under(&out);
    assert!(before.iter().any(|f| f.contains("-ode.")), "{before:?}");
    batch(&lib, &out, "press").success();
    let after = files_under(&out);
    let stale: Vec<_> = after
        .iter()
        .filter(|f| f.contains("-ode.") || f.contains("-fcm.") || f.contains("timecourse"))
        .collect();
    assert!(stale.is_empty(), "left from the first run: {stale:?}");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!index.contains("-ode.") && !index.contains("-fcm."));
    check_output(&out)
        .success()
        .stdout(predicate::str::ends_with(": complete\n"));
}

#[test]
fn a_scenario_gone_from_the_library_has_its_folder_removed_on_rerun() {
    let dir = library();
    let (lib, out) = (dir.path().join("lib"), dir.path().join("out"));
    std::fs::copy(data("predator-prey.toml"), lib.join("predator-prey.toml")).unwrap();
    batch(&lib, &out, "press").success();
    assert!(out.join("predator-prey/summary.json").exists());
    std::fs::write(out.join("my-notes.txt"), "mine").unwrap();
    std::fs::remove_file(lib.join("predator-prey.toml")).unwrap();
    batch(&lib, &out, "press").success();
    assert!(!out.join("predator-prey").exists());
    assert!(out.join("loop3/summary.json").exists());
    assert!(
        out.join("my-notes.txt").exists(),
        "a file no run wrote stays"
    );
}

#[test]
fn check_output_fails_on_a_changed_or_missing_file_and_without_a_manifest() {
    let dir = library();
    let (lib, out) = (dir.path().join("lib"), dir.path().join("out"));
    batch(&lib, &out, "press").success();
    // One byte changed, the size kept: only the hash can tell.
    let csv = out.join("loop3/outcomes.csv");
    let mut bytes = std::fs::read(&csv).unwrap();
    bytes[0] ^= 1;
    std::fs::write(&csv, bytes).unwrap();
    check_output(&out)
        .code(1)
        .stdout(predicate::str::contains("incomplete"))
        .stdout(predicate::str::contains("loop3/outcomes.csv: changed"));
    std::fs::remove_file(out.join("summary.csv")).unwrap();
    check_output(&out)
        .code(1)
        .stdout(predicate::str::contains("summary.csv: missing"));
    std::fs::remove_file(out.join("manifest.json")).unwrap();
    check_output(&out)
        .code(1)
        .stdout(predicate::str::contains("no readable manifest.json"));
}

#[test]
fn a_folder_locked_by_a_live_process_is_refused_and_left_alone() {
    let dir = library();
    let (lib, out) = (dir.path().join("lib"), dir.path().join("out"));
    std::fs::create_dir(&out).unwrap();
    // This test process is alive for the whole run.
    std::fs::write(
        out.join(".claimsim.lock"),
        format!("{}\n", std::process::id()),
    )
    .unwrap();
    batch(&lib, &out, "press")
        .code(1)
        .stderr(predicate::str::contains(
            "being written by another claimsim",
        ))
        .stderr(predicate::str::contains(format!(
            "only if process {} is not claimsim",
            std::process::id()
        )));
    assert_eq!(files_under(&out), [".claimsim.lock"]);
    claimsim()
        .arg("run")
        .arg(data("loop3.toml"))
        .args(["-n", "50", "-o", out.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "being written by another claimsim",
        ));
}

#[test]
fn a_lock_left_by_a_dead_process_is_taken_over_with_a_note() {
    let dir = library();
    let (lib, out) = (dir.path().join("lib"), dir.path().join("out"));
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join(".claimsim.lock"), "4294967294\n").unwrap();
    batch(&lib, &out, "press")
        .success()
        .stderr(predicate::str::contains("took over the lock"));
    assert!(!out.join(".claimsim.lock").exists());
}
