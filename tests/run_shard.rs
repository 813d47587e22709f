//! `run --draws N` and its shards (docs/cluster.md): a draw budget gives the same files on any
//! thread count, 4 shards run as 4 processes merge into exactly the files of one process under
//! every method, and broken sets of parts are refused like those of sweep and batch.

use crate::shard::{files_under, manifest_files, merge, ok, project, read, rewritten};
use crate::util::claimsim;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

const SCENARIO: &str = "scenarios/mixed.toml";

/// Draws per method: a few blocks of each method's size (press 2048, ode 256, fcm 2048), so
/// that shards split blocks unevenly.
fn budget(method: &str) -> &'static str {
    match method {
        "ode" => "1500",
        _ => "9000",
    }
}

/// Runs shard K of N of `run --draws` as its own process; returns the part's path.
fn run_shard(dir: &Path, method: &str, [k, n]: [usize; 2], extra: &[&str]) -> PathBuf {
    let part = format!("parts/run-{method}-{k}.json");
    let label = format!("{k}/{n}");
    let mut args = vec![
        "run",
        SCENARIO,
        "-m",
        method,
        "--draws",
        budget(method),
        "--shard",
        &label,
        "-o",
        &part,
    ];
    args.extend(extra);
    ok(dir, &args);
    dir.join(part)
}

fn shards(dir: &Path, method: &str, n: usize) -> Vec<PathBuf> {
    (0..n)
        .map(|k| run_shard(dir, method, [k, n], &[]))
        .collect()
}

fn paths(parts: &[PathBuf]) -> Vec<&Path> {
    parts.iter().map(PathBuf::as_path).collect()
}

/// `one` and `other` hold the same files with the same bytes (manifests: the same list).
fn same_folders(dir: &Path, one: &str, other: &str) {
    let files = files_under(&dir.join(one));
    assert_eq!(files, files_under(&dir.join(other)));
    assert!(
        files.iter().any(|f| f.ends_with("summary.json"))
            && files.iter().any(|f| f.ends_with("claims.png")),
        "{files:?}"
    );
    for file in &files {
        assert!(
            read(dir.join(one).join(file)) == read(dir.join(other).join(file)),
            "{} differs between {one} and {other}",
            file.display()
        );
    }
    assert_eq!(
        manifest_files(dir.join(one)),
        manifest_files(dir.join(other))
    );
}

#[test]
fn four_run_shards_merge_into_the_single_process_folder_under_every_method() {
    let project = project();
    let dir = project.path();
    for method in ["press", "ode", "fcm"] {
        let one = format!("one-{method}");
        let args = ["run", SCENARIO, "-m", method, "--draws", budget(method)];
        claimsim()
            .current_dir(dir)
            .args(args)
            .args(["-o", &one])
            .assert()
            .success()
            .stdout(predicate::str::contains(format!(
                "Draws: {} made",
                budget(method)
            )));
        let parts = shards(dir, method, 4);
        let merged = format!("merged-{method}");
        merge(dir, &paths(&parts), &merged).success();
        same_folders(dir, &one, &merged);
    }
}

#[test]
fn a_draw_budget_gives_the_same_files_on_any_thread_count() {
    let project = project();
    let dir = project.path();
    for method in ["press", "ode"] {
        for threads in ["1", "3"] {
            let out = format!("{method}-j{threads}");
            let args = ["run", SCENARIO, "-m", method, "--draws", budget(method)];
            ok(dir, &[&args[..], &["-j", threads, "-o", &out]].concat());
        }
        same_folders(dir, &format!("{method}-j1"), &format!("{method}-j3"));
    }
}

#[test]
fn more_shards_than_blocks_still_merge_into_the_single_process_folder() {
    let project = project();
    let dir = project.path();
    // 3000 press draws are 2 blocks: five of the seven shards run none (and accept none).
    let args = [
        "run",
        SCENARIO,
        "-m",
        "press",
        "--draws",
        "3000",
        "--no-plots",
    ];
    ok(dir, &[&args[..], &["-o", "one"]].concat());
    let mut parts = Vec::new();
    for k in 0..7 {
        let (label, part) = (format!("{k}/7"), format!("parts/{k}.json"));
        ok(
            dir,
            &[&args[..], &["--shard", &label, "-o", &part]].concat(),
        );
        parts.push(dir.join(part));
    }
    merge(dir, &paths(&parts), "merged").success();
    let files = files_under(&dir.join("one"));
    assert_eq!(files, files_under(&dir.join("merged")));
    for file in &files {
        assert!(read(dir.join("one").join(file)) == read(dir.join("merged").join(file)));
    }
}

#[test]
fn a_missing_or_repeated_run_shard_is_refused_and_can_be_rerun_alone() {
    let project = project();
    let dir = project.path();
    let parts = shards(dir, "fcm", 4);
    std::fs::remove_file(&parts[1]).unwrap();
    let kept = [&parts[0], &parts[2], &parts[3]].map(PathBuf::as_path);
    merge(dir, &kept, "out")
        .code(2)
        .stderr(predicate::str::contains("1 of 4 shards missing: 1/4"))
        .stderr(predicate::str::contains("--shard 1/4"));
    assert!(!dir.join("out/summary.json").exists(), "nothing merged");
    run_shard(dir, "fcm", [1, 4], &[]);
    let twice = [&parts[0], &parts[1], &parts[2], &parts[3], &parts[2]].map(PathBuf::as_path);
    merge(dir, &twice, "out")
        .code(2)
        .stderr(predicate::str::contains("shard 2/4 is given twice"));
    merge(dir, &paths(&parts), "out").success();
}

#[test]
fn run_parts_with_other_options_seeds_or_budgets_are_refused() {
    let project = project();
    let dir = project.path();
    let a = run_shard(dir, "press", [0, 2], &[]);
    let b = run_shard(dir, "press", [1, 2], &["--seed", "9"]);
    merge(dir, &[&a, &b], "out")
        .code(2)
        .stderr(predicate::str::contains(
            "seed setting is null in one and 9",
        ));
    let b = run_shard(dir, "press", [1, 2], &["--knockout", "growth"]);
    merge(dir, &[&a, &b], "out")
        .code(2)
        .stderr(predicate::str::contains("knockout setting"));
    let c = dir.join("parts/c.json");
    let args = [
        "run", SCENARIO, "-m", "press", "--draws", "5000", "--shard", "1/2",
    ];
    ok(dir, &[&args[..], &["-o", "parts/c.json"]].concat());
    merge(dir, &[&a, &c], "out")
        .code(2)
        .stderr(predicate::str::contains(
            "draws setting is 9000 in one and 5000",
        ));
}

#[test]
fn run_parts_from_other_scenario_contents_or_versions_are_refused() {
    let project = project();
    let dir = project.path();
    let a = run_shard(dir, "press", [0, 2], &[]);
    let scenario = dir.join(SCENARIO);
    let text = std::fs::read_to_string(&scenario).unwrap();
    std::fs::write(&scenario, text.replace("present = 0.7", "present = 0.6")).unwrap();
    let b = run_shard(dir, "press", [1, 2], &[]);
    merge(dir, &[&a, &b], "out")
        .code(2)
        .stderr(predicate::str::contains(
            "'scenarios/mixed.toml' had different contents when they ran",
        ));
    let a = run_shard(dir, "press", [0, 2], &[]);
    std::fs::write(&scenario, &text).unwrap();
    merge(dir, &[&a, &b], "out")
        .code(2)
        .stderr(predicate::str::contains(
            "'scenarios/mixed.toml' changed since the shards read it",
        ));
    let a = run_shard(dir, "press", [0, 2], &[]);
    let b = run_shard(dir, "press", [1, 2], &[]);
    let version = format!("\"claimsim\":\"{}\"", env!("CARGO_PKG_VERSION"));
    std::fs::write(&b, rewritten(&b, &version, "\"claimsim\":\"0.0.1\"")).unwrap();
    merge(dir, &[&a, &b], "out")
        .code(2)
        .stderr(predicate::str::contains("claimsim 0.1.0 and 0.0.1"));
}

/// A part of format version 1 (run parts then held tree nodes, not one share per sampler
/// run) is refused by its version, not as unreadable, even though its results do not parse.
#[test]
fn a_run_part_of_the_previous_format_version_is_refused() {
    let project = project();
    let dir = project.path();
    let a = run_shard(dir, "press", [0, 2], &[]);
    let b = run_shard(dir, "press", [1, 2], &[]);
    let old = rewritten(&b, "\"format_version\":2", "\"format_version\":1");
    let old = old.replace("\"shares\":", "\"nodes\":");
    std::fs::write(&b, old).unwrap();
    merge(dir, &[&a, &b], "out")
        .code(2)
        .stderr(predicate::str::contains(
            "run-press-1.json' is a part of format version 1; this claimsim reads version 2",
        ))
        .stderr(predicate::str::contains("rerun every shard with this one"));
}

#[test]
fn a_damaged_run_part_is_refused() {
    let project = project();
    let dir = project.path();
    let a = run_shard(dir, "press", [0, 2], &[]);
    let b = run_shard(dir, "press", [1, 2], &[]);
    let whole = read(b.clone());
    std::fs::write(&b, &whole[..whole.len() / 2]).unwrap();
    merge(dir, &[&a, &b], "out")
        .code(2)
        .stderr(predicate::str::contains("is not a readable claimsim part"));
    // One count changed, the file still valid JSON.
    let text = String::from_utf8(whole).unwrap();
    let edited = text.replacen("\"accepted\":", "\"accepted\":1", 1);
    std::fs::write(&b, edited).unwrap();
    merge(dir, &[&a, &b], "out")
        .code(2)
        .stderr(predicate::str::contains("do not match its hash"));
    // Resealed, but holding shard 0's blocks under shard 1's name.
    let relabelled = rewritten(&a, "\"shard\":{\"index\":0", "\"shard\":{\"index\":1");
    std::fs::write(&b, relabelled).unwrap();
    merge(dir, &[&a, &b], "out")
        .code(2)
        .stderr(predicate::str::contains(
            "does not hold the blocks of shard 1/2",
        ));
}

#[test]
fn draw_budget_arguments_are_checked() {
    let project = project();
    let dir = project.path();
    let refused = |args: &[&str], message: &str| {
        claimsim()
            .current_dir(dir)
            .args(["run", SCENARIO])
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    };
    refused(
        &["--draws", "100", "-n", "10"],
        "--draws and --samples both",
    );
    refused(&["--draws", "0"], "--draws 0 is not a draw budget");
    refused(&["--shard", "0/2", "-o", "p.json"], "--draws");
    refused(&["--draws", "100", "--shard", "0/2"], "--shard needs -o");
    refused(
        &[
            "--draws",
            "100",
            "--shard",
            "0/2",
            "-o",
            "p.json",
            "--samples-out",
            "s.csv",
        ],
        "cannot be used with",
    );
}
