//! Sharding and merge (docs/cluster.md): shards run as separate processes merge into exactly
//! the files one process writes, and every broken set of parts is refused with a clear error.

use crate::util::{claimsim, data};
use claimsim::manifest::fnv1a64;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

/// A folder with two scenarios and their catalogue at seeds/claims.toml, where shards and
/// merges run (paths relative to it, as on a cluster's shared file system).
pub(crate) fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let s = dir.path().join("scenarios");
    std::fs::create_dir_all(dir.path().join("seeds")).unwrap();
    std::fs::create_dir_all(&s).unwrap();
    std::fs::copy(data("claims.toml"), dir.path().join("seeds/claims.toml")).unwrap();
    std::fs::copy(data("sweep/branches.toml"), s.join("branches.toml")).unwrap();
    std::fs::copy(data("mixed.toml"), s.join("mixed.toml")).unwrap();
    dir
}

pub(crate) const SWEEP: [&str; 5] = ["-m", "all", "-n", "200", "scenarios"];

/// Runs `claimsim ARGS` in `dir`, expecting success.
pub(crate) fn ok(dir: &Path, args: &[&str]) {
    claimsim().current_dir(dir).args(args).assert().success();
}

/// Runs the sweep's shard K of N as its own process; returns the part's path.
pub(crate) fn shard(dir: &Path, k: usize, n: usize, extra: &[&str]) -> PathBuf {
    let part = format!("parts/sweep-{k}.json");
    let label = format!("{k}/{n}");
    let mut args = vec!["sweep", "--shard", &label, "-o", &part];
    args.extend(SWEEP);
    args.extend(extra);
    ok(dir, &args);
    dir.join(part)
}

pub(crate) fn merge(dir: &Path, parts: &[&Path], out: &str) -> assert_cmd::assert::Assert {
    claimsim()
        .current_dir(dir)
        .arg("merge")
        .args(parts)
        .args(["-o", out])
        .assert()
}

pub(crate) fn read(path: PathBuf) -> Vec<u8> {
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// manifest.json's list of files (everything but the command line), but the entries of the
/// scenario folders' own manifests (whose command lines differ).
pub(crate) fn manifest_files(dir: PathBuf) -> Vec<serde_json::Value> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&read(dir.join("manifest.json"))).unwrap();
    let files = manifest["files"].as_array().expect("a list of files");
    files
        .iter()
        .filter(|f| !f["path"].as_str().unwrap_or("").ends_with("manifest.json"))
        .cloned()
        .collect()
}

#[test]
fn four_sweep_shards_merge_into_the_single_process_files() {
    let project = project();
    let dir = project.path();
    let mut one = vec!["sweep", "-o", "one"];
    one.extend(SWEEP);
    ok(dir, &one);
    let parts: Vec<PathBuf> = (0..4).map(|k| shard(dir, k, 4, &[])).collect();
    let parts: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
    merge(dir, &parts, "merged").success();
    for name in ["fragility.csv", "fragility-claims.csv", "skipped.csv"] {
        assert_eq!(
            read(dir.join("one").join(name)),
            read(dir.join("merged").join(name)),
            "{name} differs"
        );
    }
    assert_eq!(
        manifest_files(dir.join("one")),
        manifest_files(dir.join("merged"))
    );
    let fragility = String::from_utf8(read(dir.join("one/fragility.csv"))).unwrap();
    assert!(
        fragility
            .lines()
            .any(|l| l.starts_with("mixed,") && l.contains(",fcm,")),
        "both scenarios and every method swept: {fragility}"
    );
}

#[test]
fn a_missing_shard_is_named_and_can_be_rerun_alone() {
    let project = project();
    let dir = project.path();
    let parts: Vec<PathBuf> = (0..4).map(|k| shard(dir, k, 4, &[])).collect();
    std::fs::remove_file(&parts[2]).unwrap(); // shard 2 was killed before it wrote its part
    let kept: Vec<&Path> = [0, 1, 3].iter().map(|&k| parts[k].as_path()).collect();
    merge(dir, &kept, "out")
        .code(2)
        .stderr(predicate::str::contains("1 of 4 shards missing: 2/4"))
        .stderr(predicate::str::contains("--shard 2/4"));
    assert!(!dir.join("out/fragility.csv").exists(), "nothing merged");
    shard(dir, 2, 4, &[]);
    let all: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
    merge(dir, &all, "out").success();
}

#[test]
fn a_shard_given_twice_is_refused() {
    let project = project();
    let dir = project.path();
    let parts: Vec<PathBuf> = (0..2).map(|k| shard(dir, k, 2, &[])).collect();
    std::fs::copy(&parts[1], dir.join("parts/copy.json")).unwrap();
    let copy = dir.join("parts/copy.json");
    merge(dir, &[&parts[0], &parts[1], &copy], "out")
        .code(2)
        .stderr(predicate::str::contains("shard 1/2 is given twice"));
}

#[test]
fn parts_with_other_options_or_shard_counts_are_refused() {
    let project = project();
    let dir = project.path();
    let a = shard(dir, 0, 2, &[]);
    let b = shard(dir, 1, 2, &["--seed", "9"]);
    merge(dir, &[&a, &b], "out")
        .code(2)
        .stderr(predicate::str::contains("come from different jobs"))
        .stderr(predicate::str::contains(
            "seed setting is null in one and 9",
        ));
    let c = shard(dir, 1, 3, &[]);
    merge(dir, &[&a, &c], "out")
        .code(2)
        .stderr(predicate::str::contains(
            "one is a shard of 2, the other of 3",
        ));
}

#[test]
fn parts_from_different_scenario_contents_are_refused() {
    let project = project();
    let dir = project.path();
    let a = shard(dir, 0, 2, &[]);
    let scenario = dir.join("scenarios/branches.toml");
    let text = std::fs::read_to_string(&scenario).unwrap();
    std::fs::write(&scenario, text.replace("seed = 3", "seed = 4")).unwrap();
    let b = shard(dir, 1, 2, &[]);
    merge(dir, &[&a, &b], "out")
        .code(2)
        .stderr(predicate::str::contains(
            "'scenarios/branches.toml' had different contents when they ran",
        ));
    // Both shards agree, but the file changed after they ran: the merge would mix versions.
    let a = shard(dir, 0, 2, &[]);
    std::fs::write(&scenario, text).unwrap();
    merge(dir, &[&a, &b], "out")
        .code(2)
        .stderr(predicate::str::contains(
            "'scenarios/branches.toml' changed since the shards read it",
        ));
}

/// The part file with `from` replaced by `to` in its body and the seal recomputed, as a part
/// written by another claimsim would be.
pub(crate) fn rewritten(part: &Path, from: &str, to: &str) -> String {
    let text = String::from_utf8(read(part.to_path_buf())).unwrap();
    let start = text.find(",\"part\":").unwrap() + ",\"part\":".len();
    let body = text[start..text.len() - 2].replace(from, to);
    format!(
        "{{\"fnv1a64\":\"{:016x}\",\"part\":{body}}}\n",
        fnv1a64(body.as_bytes())
    )
}

#[test]
fn parts_from_another_claimsim_version_are_refused() {
    let project = project();
    let dir = project.path();
    let a = shard(dir, 0, 2, &[]);
    let b = shard(dir, 1, 2, &[]);
    let version = format!("\"claimsim\":\"{}\"", env!("CARGO_PKG_VERSION"));
    std::fs::write(&b, rewritten(&b, &version, "\"claimsim\":\"0.0.1\"")).unwrap();
    merge(dir, &[&a, &b], "out")
        .code(2)
        .stderr(predicate::str::contains("claimsim 0.1.0 and 0.0.1"));
    merge(dir, &[&b, &a], "out")
        .code(2)
        .stderr(predicate::str::contains("computed by claimsim 0.0.1"));
}

#[test]
fn a_corrupt_part_is_refused() {
    let project = project();
    let dir = project.path();
    let a = shard(dir, 0, 2, &[]);
    let b = shard(dir, 1, 2, &[]);
    let whole = read(b.clone());
    std::fs::write(&b, &whole[..whole.len() / 2]).unwrap(); // truncated
    merge(dir, &[&a, &b], "out")
        .code(2)
        .stderr(predicate::str::contains("is not a readable claimsim part"));
    // One probability changed, the file still valid JSON.
    let text = String::from_utf8(whole).unwrap();
    let edited = text.replacen("\"probability\":\"1\"", "\"probability\":\"0.5\"", 1);
    assert_ne!(edited, text, "the part holds a probability of 1");
    std::fs::write(&b, edited).unwrap();
    merge(dir, &[&a, &b], "out")
        .code(2)
        .stderr(predicate::str::contains("do not match its hash"));
    // Resealed, but holding another shard's units.
    std::fs::write(&b, rewritten(&a, "\"index\":0", "\"index\":1")).unwrap();
    merge(dir, &[&a, &b], "out")
        .code(2)
        .stderr(predicate::str::contains(
            "does not hold the work units of shard 1/2",
        ));
}

#[test]
fn a_bad_shard_argument_is_refused() {
    claimsim()
        .args(["sweep", "x", "-o", "p.json", "--shard", "4/4"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("0 <= K < N"));
}

/// Every file under `dir`, relative to it, but manifests (whose command lines differ).
pub(crate) fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n != "manifest.json") {
                files.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    files
}

#[test]
fn four_batch_shards_merge_into_the_single_process_folder() {
    let project = project();
    let dir = project.path();
    // A third scenario that fails to load, so a recorded error goes through the merge too.
    std::fs::write(
        dir.join("scenarios/broken.toml"),
        "title = \"x\"\nnetwork = \"A -> \"\n",
    )
    .unwrap();
    let batch = ["-m", "all", "-n", "200", "scenarios"];
    let mut one = vec!["batch", "-o", "one"];
    one.extend(batch);
    claimsim().current_dir(dir).args(&one).assert().code(2);
    let mut parts = Vec::new();
    for k in 0..4 {
        let part = format!("parts/batch-{k}.json");
        let label = format!("{k}/4");
        let mut args = vec!["batch", "--shard", &label, "-o", &part];
        args.extend(batch);
        ok(dir, &args);
        parts.push(dir.join(part));
    }
    let parts: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
    merge(dir, &parts, "merged")
        .code(2)
        .stderr(predicate::str::contains("broken.toml"));
    let files = files_under(&dir.join("one"));
    assert_eq!(files, files_under(&dir.join("merged")));
    assert!(
        files.iter().any(|f| f.ends_with("mixed/summary.json"))
            && files.iter().any(|f| f.ends_with("index.html"))
            && files
                .iter()
                .any(|f| f.extension().is_some_and(|e| e == "png")),
        "{files:?}"
    );
    for file in &files {
        assert!(
            read(dir.join("one").join(file)) == read(dir.join("merged").join(file)),
            "{} differs",
            file.display()
        );
    }
    for folder in ["", "mixed", "branches"] {
        assert_eq!(
            manifest_files(dir.join("one").join(folder)),
            manifest_files(dir.join("merged").join(folder)),
            "manifest of '{folder}'"
        );
    }
}
