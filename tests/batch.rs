//! `claimsim batch`: every scenario runs, a broken file is reported and skipped, and the
//! summaries list what happened.

use crate::util::{claimsim, data};
use predicates::prelude::*;

/// A folder with two good scenarios (one in a sub-folder) and one broken file.
fn library_with_a_broken_file() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("lib/sub")).unwrap();
    std::fs::create_dir_all(dir.path().join("seeds")).unwrap();
    std::fs::copy(data("claims.toml"), dir.path().join("seeds/claims.toml")).unwrap();
    std::fs::copy(
        data("predator-prey.toml"),
        dir.path().join("lib/predator-prey.toml"),
    )
    .unwrap();
    std::fs::copy(data("loop3.toml"), dir.path().join("lib/sub/loop3.toml")).unwrap();
    std::fs::write(
        dir.path().join("lib/broken.toml"),
        "network = \"\"\"\nA => B\n\"\"\"\n",
    )
    .unwrap();
    dir
}

#[test]
fn a_broken_file_does_not_stop_the_batch_and_is_listed() {
    let dir = library_with_a_broken_file();
    let out = dir.path().join("out");
    claimsim()
        .arg("batch")
        .arg(dir.path().join("lib"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("malformed arrow '=>'"))
        .stdout(predicate::str::contains("2 scenarios run, 1 failed"));
    for file in [
        "predator-prey/summary.json",
        "predator-prey/outcomes.csv",
        "sub--loop3/summary.json",
        "index.html",
        "claims.csv",
    ] {
        assert!(out.join(file).is_file(), "missing {file}");
    }
    assert!(
        !out.join("broken").exists(),
        "no folder for the failed file"
    );
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(
        summary.contains("predator-prey,") && summary.contains(",A,down,T1,1.0000,"),
        "{summary}"
    );
    let failed_row = summary
        .lines()
        .find(|l| l.starts_with("broken,"))
        .expect("the failed file has a row");
    assert!(
        failed_row.contains("failed") && failed_row.contains("malformed arrow"),
        "{failed_row}"
    );
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("could not run") && html.contains("Two nodes with negative feedback"));
    let claims = std::fs::read_to_string(out.join("claims.csv")).unwrap();
    assert!(
        claims.contains("T1,press,predator-prey,1,1,0,0,0,0,A raises B."),
        "{claims}"
    );
    let partial = walk(&out)
        .into_iter()
        .filter(|p| p.contains(".partial"))
        .count();
    assert_eq!(partial, 0, "no half-written files are left");
}

#[test]
fn a_clean_batch_exits_0_and_is_deterministic() {
    let dir = library_with_a_broken_file();
    std::fs::remove_file(dir.path().join("lib/broken.toml")).unwrap();
    let run = |threads: &str, out: &str| {
        claimsim()
            .arg("batch")
            .arg(dir.path().join("lib"))
            .arg("-o")
            .arg(dir.path().join(out))
            .args(["-j", threads])
            .assert()
            .success();
        std::fs::read_to_string(dir.path().join(out).join("summary.csv")).unwrap()
    };
    assert_eq!(run("1", "one"), run("2", "two"));
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path.display().to_string());
        }
    }
    found
}

#[test]
fn method_all_batch_shows_every_methods_charts_in_the_index() {
    let dir = library_with_a_broken_file();
    std::fs::remove_file(dir.path().join("lib/broken.toml")).unwrap();
    std::fs::remove_file(dir.path().join("lib/sub/loop3.toml")).unwrap();
    let out = dir.path().join("out");
    claimsim()
        .arg("batch")
        .arg(dir.path().join("lib"))
        .arg("-o")
        .arg(&out)
        .args(["--method", "all"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ode: 1 supported"));
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        out.join("claims.png").is_file(),
        "the library-wide claims chart"
    );
    for chart in [
        "predator-prey/claims.png",
        "predator-prey/outcomes-press.png",
        "predator-prey/timecourse-ode.png",
        "predator-prey/methods.png",
    ] {
        assert!(html.contains(chart), "index lacks {chart}");
        assert!(out.join(chart).is_file(), "{chart} not written");
    }
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert_eq!(
        summary
            .lines()
            .filter(|l| l.starts_with("predator-prey,"))
            .count(),
        3,
        "one row per method"
    );
}

#[test]
fn a_what_if_gets_a_verdict_but_never_counts_for_its_claims() {
    let dir = library_with_a_broken_file();
    std::fs::remove_file(dir.path().join("lib/broken.toml")).unwrap();
    std::fs::remove_file(dir.path().join("lib/sub/loop3.toml")).unwrap();
    // A second expectation citing T1, marked as a what-if. A -> B rests on T1 (in-vitro, present
    // in 3 draws of 4): given its claim B rises, 1.0000 of the draws where A -> B is present,
    // and about 0.75 over all draws. It gets its verdict all the same.
    let file = dir.path().join("lib/predator-prey.toml");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "[simulation]",
        "[[expect]]\nintervention = \"press A\"\nnode = \"B\"\nchange = \"up\"\nclaims = [\"T1\"]\nwhat_if = true\n\n[simulation]",
    );
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    claimsim()
        .arg("batch")
        .arg(dir.path().join("lib"))
        .args(["--no-plots", "-o"])
        .arg(&out)
        .assert()
        .success();
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(
        summary.lines().any(|l| l.contains("press A,,B,up,T1")
            && l.contains(",1.0000,0.")
            && l.contains(",supported,")
            && l.ends_with(",what-if")),
        "the what-if still gets its verdict: {summary}"
    );
    let claims = std::fs::read_to_string(out.join("claims.csv")).unwrap();
    assert!(
        claims.contains("T1,press,predator-prey,1,1,0,0,0,1,A raises B."),
        "one expectation counted, the what-if apart: {claims}"
    );
}

#[test]
fn the_overview_names_the_method_order_when_the_first_scenario_ran_one_method() {
    // The press-only scenario sorts first; the glioblastoma one runs all three methods.
    let dir = tempfile::tempdir().unwrap();
    claimsim()
        .arg("batch")
        .args([
            "scenarios/breast-cancer/mir16-mir100-vegf-pair.toml",
            "scenarios/glioblastoma/anti-mir9-temozolomide.toml",
        ])
        .args(["-n", "200", "--no-plots", "--no-atlas", "-o"])
        .arg(dir.path())
        .current_dir(crate::util::root())
        .assert()
        .success();
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(
        html.contains("supported <span class=\"meta\">(press / ode / fcm)</span>"),
        "the overview's per-method counts need their order named"
    );
}

/// Press cannot judge an interaction: its "not expressible" rows (whose P is that of a linear
/// model that cannot hold the gate) neither give a scenario its lowest P nor sort it among the
/// scenarios with a claim not supported.
#[test]
fn the_overview_lowest_p_ignores_claims_press_cannot_express() {
    let dir = tempfile::tempdir().unwrap();
    claimsim()
        .arg("batch")
        .arg("scenarios/ovarian-cancer/gsk-j1-evs-carboplatin-resistance.toml")
        .args(["-m", "press", "-n", "200", "--no-plots", "--no-atlas", "-o"])
        .arg(dir.path())
        .current_dir(crate::util::root())
        .assert()
        .success();
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    let overview = &html[html.find("id=\"overview\"").unwrap()..];
    let row = &overview[overview.find("<tr><td>").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("<td class=\"p\">1.000</td>"), "{row}");
}

// ---- interrupted and concurrent batches (issue 16) --------------------------------------------

/// A library of `n` small scenarios named s00.toml, s01.toml, ….
fn library_of(dir: &std::path::Path, n: usize) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        let source = if i % 2 == 0 {
            "loop3.toml"
        } else {
            "predator-prey.toml"
        };
        std::fs::copy(data(source), dir.join(format!("s{i:02}.toml"))).unwrap();
    }
    dir.to_path_buf()
}

fn batch_command(lib: &std::path::Path, out: &std::path::Path) -> std::process::Command {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("claimsim"));
    command
        .arg("batch")
        .arg(lib)
        .arg("-o")
        .arg(out)
        .args([
            "-n",
            "100",
            "--seed",
            "1",
            "--no-atlas",
            "-j",
            "1",
            "--claims",
        ])
        .arg(data("claims.toml"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    command
}

/// The scenario folders under `out` that hold a summary.json.
fn summaries_written(out: &std::path::Path) -> usize {
    std::fs::read_dir(out).map_or(0, |entries| {
        entries
            .flatten()
            .filter(|e| e.path().join("summary.json").is_file())
            .count()
    })
}

/// Every file the manifest in `out` lists, plus the manifest itself.
fn manifest_files(out: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut files: Vec<String> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .chain(std::iter::once("manifest.json".to_string()))
        .collect();
    files.sort();
    files
}

/// A batch killed (SIGKILL) while it writes its scenario folders leaves a folder that
/// `check-output` calls incomplete; a rerun with fewer scenarios leaves a complete folder that
/// holds only its own files, none of the killed run's (they were in its unfinished manifest).
#[test]
fn a_batch_killed_mid_write_is_incomplete_and_a_rerun_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let big = library_of(&dir.path().join("big"), 24);
    let out = dir.path().join("out");
    let mut child = batch_command(&big, &out).spawn().unwrap();
    let started = std::time::Instant::now();
    while summaries_written(&out) < 3 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the batch finished before it could be interrupted: give it more scenarios"
        );
        assert!(started.elapsed().as_secs() < 120, "no output after 120 s");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL: no destructor, no cleanup runs
    child.wait().unwrap();
    claimsim()
        .arg("check-output")
        .arg(&out)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("incomplete"))
        .stdout(predicate::str::contains("did not finish"));

    let small = library_of(&dir.path().join("small"), 1);
    let rerun = batch_command(&small, &out).output().unwrap();
    assert!(
        rerun.status.success(),
        "{}",
        String::from_utf8_lossy(&rerun.stderr)
    );
    claimsim()
        .arg("check-output")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("complete"));
    let mut on_disk: Vec<String> = walk(&out)
        .into_iter()
        .map(|p| {
            p.strip_prefix(&format!("{}/", out.display()))
                .unwrap()
                .to_string()
        })
        .collect();
    on_disk.sort();
    assert_eq!(
        on_disk,
        manifest_files(&out),
        "files left by the killed run"
    );
}

/// Two batches started at once into one folder: each either finishes or refuses with the
/// lock's message (never a misleading I/O error), and the folder ends complete.
#[test]
fn two_batches_into_one_folder_never_mix() {
    let dir = tempfile::tempdir().unwrap();
    let lib = library_of(&dir.path().join("lib"), 4);
    let out = dir.path().join("out");
    let children: Vec<_> = (0..2)
        .map(|_| batch_command(&lib, &out).spawn().unwrap())
        .collect();
    let mut finished = 0;
    for child in children {
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if output.status.success() {
            finished += 1;
        } else {
            assert!(
                stderr.contains("being written by another claimsim"),
                "{stderr}"
            );
        }
    }
    assert!(finished >= 1, "neither batch finished");
    claimsim().arg("check-output").arg(&out).assert().success();
    assert!(!out.join(".claimsim.lock").exists());
}
