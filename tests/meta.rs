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

/// `man -o DIR` (issue 14): a page for claimsim and one for every subcommand `--help` lists,
/// each with that subcommand's own options; `man run` prints the run page alone.
#[test]
fn man_writes_every_subcommands_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man");
    claimsim()
        .arg("man")
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("man pages into"));
    let help = claimsim().arg("--help").output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let listed: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .collect();
    assert!(listed.len() > 10, "{listed:?}");
    let mut expected: Vec<String> = listed.iter().map(|n| format!("claimsim-{n}.1")).collect();
    expected.push("claimsim.1".to_string());
    expected.sort();
    let mut found: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, expected);
    let run = std::fs::read_to_string(out.join("claimsim-run.1")).unwrap();
    assert!(run.contains(".TH claimsim-run 1"), "{run}");
    assert!(
        run.contains("samples\\-out"),
        "run's page has run's options"
    );
    let printed = claimsim().args(["man", "run"]).output().unwrap();
    assert_eq!(String::from_utf8(printed.stdout).unwrap(), run);
    claimsim()
        .args(["man", "runn"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no subcommand 'runn'"));
}
