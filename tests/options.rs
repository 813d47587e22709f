//! The simulation options every simulating command shares (`-n`, `--seed`, `--method`, `-j`,
//! the what-ifs), and the library's front door that takes the same options.

use crate::util::{claimsim, root};
use claimsim::{Method, RunOptions, Verdict};

const GBM: &str = "scenarios/glioblastoma/anti-mir9-temozolomide.toml";

#[test]
fn zero_samples_is_the_same_usage_error_for_every_command() {
    let file = root().join(GBM);
    let out = tempfile::tempdir().unwrap();
    let commands: [Vec<&std::ffi::OsStr>; 4] = [
        vec!["run".as_ref(), file.as_os_str()],
        vec!["compare".as_ref(), file.as_os_str(), "TMZ alone".as_ref()],
        vec![
            "explain".as_ref(),
            file.as_os_str(),
            "--expect".as_ref(),
            "1".as_ref(),
        ],
        vec![
            "batch".as_ref(),
            file.as_os_str(),
            "-o".as_ref(),
            out.path().as_os_str(),
        ],
    ];
    for args in commands {
        let output = claimsim().args(&args).args(["-n", "0"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("--samples must be at least 1"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn batch_takes_samples_seed_and_method_like_run() {
    let file = root().join(GBM);
    let out = tempfile::tempdir().unwrap();
    let args = ["-n", "500", "--seed", "11", "--method", "fcm", "--no-plots"];
    claimsim()
        .arg("batch")
        .arg(file.parent().unwrap())
        .arg("-o")
        .arg(out.path())
        .args(args)
        .assert()
        .success();
    let summary = std::fs::read_to_string(out.path().join("anti-mir9-temozolomide/summary.json"))
        .expect("batch wrote the scenario's summary");
    let batch: serde_json::Value = serde_json::from_str(&summary).unwrap();
    let run = claimsim()
        .arg("run")
        .arg(&file)
        .args([
            "-n", "500", "--seed", "11", "--method", "fcm", "--format", "json",
        ])
        .output()
        .unwrap();
    let run: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(batch["samples"], 500);
    assert_eq!(batch["seed"], 11);
    assert_eq!(batch["method"], "fcm");
    assert_eq!(batch["expectations"], run["expectations"]);
}

#[test]
fn explain_takes_a_seed_and_a_single_method() {
    let file = root().join(GBM);
    let explain = |extra: &[&str]| {
        claimsim()
            .arg("explain")
            .arg(&file)
            .args(["--expect", "1", "-n", "300"])
            .args(extra)
            .output()
            .unwrap()
    };
    let a = explain(&["--seed", "1"]);
    let b = explain(&["--seed", "1"]);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(a.stdout, b.stdout, "the same seed gives the same account");
    let all = explain(&["--method", "all"]);
    assert_eq!(all.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&all.stderr).contains("pass --method press, ode or fcm"));
}

#[test]
fn the_library_runs_a_scenario_as_the_command_does() {
    let scenario = claimsim::load(root().join(GBM)).expect("the scenario loads");
    let options = RunOptions {
        samples: Some(1_000),
        seed: Some(5),
        ..RunOptions::default()
    };
    let reports = claimsim::run(&scenario, &options).unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].samples, 1_000);
    let cli = claimsim()
        .arg("run")
        .arg(root().join(GBM))
        .args(["-n", "1000", "--seed", "5", "--format", "json"])
        .output()
        .unwrap();
    let cli: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    let library = serde_json::to_value(&reports[0]).unwrap();
    assert_eq!(library["expectations"], cli["expectations"]);
    assert!(
        reports[0]
            .expectations
            .iter()
            .any(|e| e.verdict == Verdict::Supported)
    );
    let all = RunOptions {
        method: Some(Method::All),
        ..options
    };
    let methods: Vec<String> = claimsim::run(&scenario, &all)
        .unwrap()
        .into_iter()
        .map(|r| r.method)
        .collect();
    assert_eq!(methods, ["press", "ode", "fcm"]);
}

#[test]
fn a_broken_file_is_one_error_listing_its_problems() {
    let (_dir, path) = crate::util::scenario_file("network = \"\"\"\nA -> \n\"\"\"\n");
    let error = claimsim::load(&path).unwrap_err();
    assert_eq!(error.exit_code(), 2);
    assert!(error.to_string().contains("scenario.toml"), "{error}");
}
