//! `claimsim graph`: DOT and SIF exports carry every link, sign and gate, so reading them back
//! gives the same network.

use crate::util::{claimsim, data};
use claimsim::scenario::{self, Scenario};
use std::collections::BTreeSet;
use std::path::Path;

fn load(path: &Path) -> Scenario {
    let catalogue = claimsim::scenario::catalogue::Catalogue::load(&data("claims.toml")).unwrap();
    scenario::load(
        path,
        &claimsim::scenario::catalogue::CatalogueFinder::new(Some(&catalogue.path)).unwrap(),
    )
    .unwrap()
}

fn link_texts(s: &Scenario) -> BTreeSet<String> {
    s.links.iter().map(|l| l.text.clone()).collect()
}

fn arrow_for(sign: &str) -> &'static str {
    match sign {
        "1" => "->",
        "-1" => "-|",
        "0" => "-?",
        other => panic!("unexpected SIF interaction {other}"),
    }
}

/// Rebuilds network lines from SIF, folding `andK` junctions back into gates.
fn network_from_sif(sif: &str) -> Vec<String> {
    let rows: Vec<Vec<&str>> = sif.lines().map(|l| l.split('\t').collect()).collect();
    let is_gate = |name: &str| name.trim_start_matches('_').starts_with("and");
    let mut lines = Vec::new();
    for row in rows.iter().filter(|r| !is_gate(r[2])) {
        if !is_gate(row[0]) {
            lines.push(format!("{} {} {}", row[0], arrow_for(row[1]), row[2]));
            continue;
        }
        let inputs: Vec<String> = rows
            .iter()
            .filter(|r| r[2] == row[0])
            .map(|r| {
                if r[1] == "-1" {
                    format!("!{}", r[0])
                } else {
                    r[0].to_string()
                }
            })
            .collect();
        lines.push(format!(
            "{} {} {}",
            inputs.join(" & "),
            arrow_for(row[1]),
            row[2]
        ));
    }
    lines
}

/// Rebuilds network lines from our DOT edges (arrowhead gives the sign; `AND #k` junctions).
fn network_from_dot(dot: &str) -> Vec<String> {
    let edges: Vec<(String, String, &str)> = dot
        .lines()
        .filter(|l| l.contains(" -> ") && l.contains("arrowhead"))
        .map(|l| {
            let names: Vec<&str> = l.split('"').collect();
            let arrow = match l {
                _ if l.contains("arrowhead=normal") => "->",
                _ if l.contains("arrowhead=tee") => "-|",
                _ => "-?",
            };
            (names[1].to_string(), names[3].to_string(), arrow)
        })
        .collect();
    let mut lines = Vec::new();
    for (from, to, arrow) in edges.iter().filter(|e| !e.1.starts_with("AND #")) {
        if !from.starts_with("AND #") {
            lines.push(format!("{from} {arrow} {to}"));
            continue;
        }
        let inputs: Vec<String> = edges
            .iter()
            .filter(|e| &e.1 == from)
            .map(|e| {
                if e.2 == "-|" {
                    format!("!{}", e.0)
                } else {
                    e.0.clone()
                }
            })
            .collect();
        lines.push(format!("{} {arrow} {to}", inputs.join(" & ")));
    }
    lines
}

fn reparsed(lines: &[String]) -> BTreeSet<String> {
    let text = format!("network = \"\"\"\n{}\n\"\"\"\n", lines.join("\n"));
    link_texts(&scenario::parse(Path::new("roundtrip.toml"), &text, None).unwrap())
}

/// Exports with the test catalogue for fixtures, the library's own for shipped scenarios.
fn export(file: &Path, extension: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(format!("net.{extension}"));
    let mut command = claimsim();
    command.arg("graph").arg(file).arg("-o").arg(&out);
    if file.starts_with(data("")) {
        command.arg("--claims").arg(data("claims.toml"));
    }
    command.assert().success();
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn sif_round_trip_keeps_links_signs_and_gates() {
    let file = data("mixed.toml");
    let sif = export(&file, "sif");
    assert!(
        sif.contains("drug\t1\ttarget")
            && sif.contains("target\t-1\tsurvival")
            && sif.contains("growth\t0\tsurvival")
    );
    assert_eq!(reparsed(&network_from_sif(&sif)), link_texts(&load(&file)));
}

#[test]
fn dot_round_trip_keeps_links_signs_and_gates() {
    let file = data("mixed.toml");
    let dot = export(&file, "dot");
    assert!(dot.starts_with("digraph \"Uncertain signs and optional links\""));
    assert!(dot.contains("style=dashed"), "unknown signs are dashed");
    assert_eq!(reparsed(&network_from_dot(&dot)), link_texts(&load(&file)));
}

#[test]
fn library_scenarios_round_trip_through_sif() {
    let files = claimsim::discover::scenario_files(&[crate::util::root().join("scenarios")])
        .unwrap()
        .files;
    for file in files {
        let sif = export(&file, "sif");
        let catalogue_finder = claimsim::scenario::catalogue::CatalogueFinder::new(None).unwrap();
        let original = scenario::load(&file, &catalogue_finder).unwrap();
        assert_eq!(
            reparsed(&network_from_sif(&sif)),
            link_texts(&original),
            "{}",
            file.display()
        );
    }
}

#[test]
fn unknown_extension_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    claimsim()
        .arg("graph")
        .arg(data("predator-prey.toml"))
        .arg("-o")
        .arg(dir.path().join("net.xyz"))
        .args(["--claims"])
        .arg(data("claims.toml"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("*.dot (Graphviz) or *.sif"));
}

/// 300 nodes in one loop with shortcuts (drawing one took 26 s): the quick layout draws it,
/// says so on standard error and on the chart, and draws the same picture every time.
#[test]
fn a_300_node_network_is_drawn_quickly_and_the_same_every_time() {
    let mut lines: Vec<String> = (0..300)
        .map(|i| format!("N{i} -> N{}", (i + 1) % 300))
        .collect();
    lines.extend(
        (0..300)
            .step_by(7)
            .map(|i| (i, (i * 13 + 5) % 300))
            .filter(|&(i, t)| t != (i + 1) % 300 && (t + 1) % 300 != i)
            .map(|(i, t)| format!("N{i} -| N{t}")),
    );
    let text = format!("network = \"\"\"\n{}\n\"\"\"\n", lines.join("\n"));
    let (dir, file) = crate::util::scenario_file(&text);
    let draw = |name: &str| {
        let out = dir.path().join(name);
        let output = claimsim()
            .arg("graph")
            .arg(&file)
            .arg("-o")
            .arg(&out)
            .timeout(std::time::Duration::from_secs(300))
            .output()
            .unwrap();
        assert!(output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (std::fs::read(out).unwrap(), stderr)
    };
    let (first, stderr) = draw("a.svg");
    assert!(
        stderr.contains("note: 300 nodes: drawn with the quick layout"),
        "{stderr}"
    );
    let svg = String::from_utf8_lossy(&first);
    assert!(
        svg.contains("quick layout (over 150 nodes)"),
        "the chart says so"
    );
    let (second, _) = draw("b.svg");
    assert!(first == second, "the same picture both times");
}
