//! Shared helpers: running the binary, fixture paths and temporary scenario files.

use assert_cmd::Command;
use std::path::PathBuf;

/// The claimsim binary built for these tests.
pub fn claimsim() -> Command {
    Command::cargo_bin("claimsim").expect("binary built")
}

/// A fixture under tests/data.
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Writes `text` as a scenario in a fresh temporary folder that has the test catalogue at
/// seeds/claims.toml, and returns the folder (kept alive by the caller) and the file path.
pub fn scenario_file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("seeds")).unwrap();
    std::fs::copy(data("claims.toml"), dir.path().join("seeds/claims.toml")).unwrap();
    let path = dir.path().join("scenario.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// Runs `claimsim run FILE --format json` with extra arguments and parses the output.
pub fn run_json(file: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let output = claimsim()
        .arg("run")
        .arg(file)
        .args(["--format", "json", "--claims"])
        .arg(data("claims.toml"))
        .args(extra)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "run failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("valid JSON")
}

/// The outcome object of `node` under intervention `name` in a run's JSON.
pub fn outcome<'a>(json: &'a serde_json::Value, name: &str, node: &str) -> &'a serde_json::Value {
    json["interventions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == name)
        .unwrap_or_else(|| panic!("no intervention {name}"))["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"] == node)
        .unwrap_or_else(|| panic!("no node {node}"))
}

/// The entry for `node` in a JSON array of per-node objects (nodes, baseline nodes, courses).
pub fn node_entry<'a>(nodes: &'a serde_json::Value, node: &str) -> &'a serde_json::Value {
    nodes
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"] == node)
        .unwrap_or_else(|| panic!("no node {node}"))
}

/// ode, fcm: the mean final level of `node` under intervention `name`.
pub fn level(json: &serde_json::Value, name: &str, node: &str) -> f64 {
    outcome(json, name, node)["level_mean"].as_f64().unwrap()
}

/// ode, fcm: the mean final level of `node` in the baseline run.
pub fn baseline_level(json: &serde_json::Value, node: &str) -> f64 {
    node_entry(&json["baseline"]["nodes"], node)["level_mean"]
        .as_f64()
        .unwrap()
}

/// Standard output of `claimsim run FILE` with `args`: for comparing runs byte for byte.
pub fn run_stdout(file: &std::path::Path, args: &[&str]) -> Vec<u8> {
    claimsim()
        .arg("run")
        .arg(file)
        .args(args)
        .output()
        .expect("runs")
        .stdout
}
