//! Limits that say so (issue 16, part 4): files with thousands of mistakes, folders that loop,
//! numbers too large for floating point and jobs too large for the machine each get a bounded,
//! clear answer instead of megabytes of output, a hang or a wrong direction.

use crate::util::{claimsim, data, scenario_file};
use predicates::str::contains;

/// A 125 KB scenario with 1,500 misspelt node names: the report shows the first problems with
/// their suggestions and counts the rest, instead of 1,500 excerpts of the file.
#[test]
fn a_file_of_typos_gives_a_page_of_problems_not_megabytes() {
    let links: Vec<String> = (0..1500)
        .map(|i| format!("gene{i:04} -> gene{:04}", i + 1))
        .collect();
    let mut text = format!(
        "network = \"\"\"\n{}\n\"\"\"\n[[intervention]]\nname = \"x\"\npress = {{ gene0000 = 1 }}\n",
        links.join("\n")
    );
    for i in 0..1500 {
        text.push_str(&format!(
            "[[expect]]\nintervention = \"x\"\nnode = \"gnee{i:04}\"\nchange = \"up\"\n"
        ));
    }
    let (_dir, file) = scenario_file(&text);
    let output = claimsim().arg("check").arg(&file).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("did you mean 'gene0000'?"), "{stderr}");
    assert!(stderr.contains("… and 1450 more problems in"), "{stderr}");
    assert!(
        stderr.len() < 20_000,
        "{} bytes of diagnostics",
        stderr.len()
    );
}

/// A line of 50,000 characters is shown as a window around the caret, not whole.
#[test]
fn a_long_line_is_cut_to_a_window_around_the_caret() {
    let padding = "x".repeat(50_000);
    let (_dir, file) = scenario_file(&format!("title = \"{padding}\"\nnetwork = \"A -> \"\n"));
    let output = claimsim().arg("check").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.lines().all(|l| l.chars().count() < 300), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_folder_with_link_loops_and_a_device_is_checked_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    std::fs::create_dir_all(lib.join("sub")).unwrap();
    std::fs::copy(data("predator-prey.toml"), lib.join("sub/pp.toml")).unwrap();
    std::fs::copy(data("claims.toml"), lib.join("claims.toml")).unwrap();
    std::os::unix::fs::symlink(".", lib.join("sub/again")).unwrap();
    std::os::unix::fs::symlink(&lib, lib.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", lib.join("zero.toml")).unwrap();
    claimsim()
        .arg("check")
        .arg(&lib)
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success()
        .stdout(contains("1 scenario checked"))
        .stderr(contains("zero.toml': not a regular file"))
        .stderr(contains("a link back to a folder already searched"));
}

#[test]
fn a_press_level_that_would_overflow_is_refused_by_check() {
    let (_dir, file) = scenario_file(
        "network = \"A -> B\"\n[[intervention]]\nname = \"p\"\npress = { A = 1e305 }\n",
    );
    claimsim()
        .arg("check")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(contains("press level 1e305 is larger than 1e6"));
}

/// Weights of 10^200 along a chain overflow every response: no draw has a direction, so the
/// run says so, early, instead of counting infinities as changes.
#[test]
fn responses_too_large_for_floating_point_are_never_counted_as_changes() {
    let (_dir, file) = scenario_file(
        r#"
network = """
A -> B
B -> C
C -> D
"""
[simulation]
samples = 200
[[link]]
link = "B -> C"
weight = "uniform(1e200, 2e200)"
[[link]]
link = "C -> D"
weight = "uniform(1e200, 2e200)"
[[intervention]]
name = "press A"
press = { A = 1 }
"#,
    );
    claimsim()
        .arg("run")
        .arg(&file)
        .assert()
        .code(1)
        .stderr(contains("could not be decided numerically"))
        .stderr(contains("stopped early"));
}

#[test]
fn job_sizes_beyond_the_machine_are_refused_with_the_limit() {
    claimsim()
        .arg("run")
        .arg(data("predator-prey.toml"))
        .args(["-j", "100000"])
        .assert()
        .code(2)
        .stderr(contains(
            "-j 100000 is more threads than this machine can use",
        ));
    claimsim()
        .arg("run")
        .arg(data("predator-prey.toml"))
        .args(["-n", "1000000000000"])
        .assert()
        .code(2)
        .stderr(contains("pass -n 1000000000 or less"));
    let (_dir, file) =
        scenario_file("network = \"A -> B\"\n[simulation]\nmax_draws = 9000000000000000000\n");
    claimsim()
        .arg("check")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(contains("max_draws = 9000000000000000000 is more than"));
}
