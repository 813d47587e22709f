//! `new`, `completions` and `man`: the template checks clean, and the generated texts cover
//! every subcommand.

use crate::util::claimsim;
use predicates::prelude::*;

#[test]
fn new_writes_a_template_that_checks_clean_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.toml");
    claimsim().arg("new").arg(&file).assert().success();
    claimsim()
        .arg("check")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 scenario checked, all valid"));
    claimsim()
        .arg("run")
        .arg(&file)
        .args(["-n", "500"])
        .assert()
        .success()
        .stdout(predicate::str::contains("VEGF down"));
    std::fs::write(&file, "my work").unwrap();
    claimsim()
        .arg("new")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "my work");
}

#[test]
fn completions_and_man_page_list_every_command() {
    for shell in ["bash", "zsh", "fish"] {
        claimsim()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("explain"));
    }
    let man = claimsim().arg("man").output().unwrap();
    let text = String::from_utf8(man.stdout).unwrap();
    assert!(text.starts_with(".ie") && text.contains(".TH claimsim 1"));
    for command in [
        "check", "run", "batch", "compare", "explain", "graph", "new",
    ] {
        assert!(text.contains(command), "man page lacks {command}");
    }
}

#[test]
fn closed_pipe_is_not_an_error() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_claimsim"))
        .args(["completions", "bash"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
}
