//! `claimsim atlas` and the batch's conflicts: each claim tested against the rest of the
//! catalogue, canonical names, sign conflicts with their contexts, and scenarios that disagree.

use crate::util::{claimsim, data, root};
use predicates::prelude::*;
use std::path::Path;

fn fixture_catalogue() -> std::path::PathBuf {
    data("atlas/seeds/claims.toml")
}

/// The rows of a CSV file as maps from column name to value.
fn rows(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn row<'a>(
    rows: &'a [std::collections::HashMap<String, String>],
    claim: &str,
) -> &'a std::collections::HashMap<String, String> {
    rows.iter()
        .find(|r| r["claim"] == claim)
        .unwrap_or_else(|| panic!("no row for {claim}"))
}

#[test]
fn each_claim_is_classed_by_what_the_rest_of_the_catalogue_predicts() {
    let dir = tempfile::tempdir().unwrap();
    claimsim()
        .arg("atlas")
        .arg(fixture_catalogue())
        .arg("-o")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "10 claims tested against the rest: 1 corroborated, 3 contradicted, 0 ambivalent, 6 independent",
        ));
    let atlas = rows(&dir.path().join("atlas.csv"));
    // X -> Y -> Z predicts what C1 says of X on Z.
    let c1 = row(&atlas, "C1");
    assert_eq!(c1["class"], "corroborated");
    assert_eq!(c1["probability"], "1.0000");
    assert_eq!(c1["shown_paths"], "X -> Y -> Z  (net +; C2; C3)");
    // P -> R -> Q says the opposite of D1 (P lowers Q).
    let d1 = row(&atlas, "D1");
    assert_eq!(
        (d1["class"].as_str(), d1["p_opposite"].as_str()),
        ("contradicted", "1.0000")
    );
    // Nothing else connects U and V.
    assert_eq!(row(&atlas, "E1")["class"], "independent");
    for file in ["atlas.json", "atlas.html", "atlas-conflicts.csv"] {
        assert!(dir.path().join(file).is_file(), "{file} missing");
    }
    let png = std::fs::read(dir.path().join("atlas.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "atlas.png is a PNG");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("atlas.json")).unwrap()).unwrap();
    assert_eq!(json["counts"]["corroborated"], 1);
    assert_eq!(json["contradicted"], serde_json::json!(["K1", "K2", "D1"]));
}

#[test]
fn an_alias_joins_names_and_reveals_the_conflict_with_its_contexts() {
    let dir = tempfile::tempdir().unwrap();
    claimsim()
        .arg("atlas")
        .arg(fixture_catalogue())
        .arg("-o")
        .arg(dir.path())
        .args(["--no-plots"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "MSC exosomes → tumour growth: 1 raise, 1 lower",
        ));
    let conflicts = rows(&dir.path().join("atlas-conflicts.csv"));
    let contexts: Vec<(&str, &str, &str, &str, &str)> = conflicts
        .iter()
        .map(|r| {
            (
                r["claim"].as_str(),
                r["sign"].as_str(),
                r["cancer"].as_str(),
                r["model"].as_str(),
                r["regulator_as_written"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        contexts,
        [
            ("K1", "+", "gastric cancer", "animal", "MSC exosomes"),
            ("K2", "-", "glioma", "in-vitro", "MSC-derived exosomes")
        ]
    );
    // Without the alias table the two claims are about different regulators: no conflict.
    let empty = dir.path().join("no-aliases.toml");
    std::fs::write(&empty, "").unwrap();
    claimsim()
        .arg("atlas")
        .arg(fixture_catalogue())
        .arg("--aliases")
        .arg(&empty)
        .assert()
        .success()
        .stdout(predicate::str::contains("Conflicts (0)"));
}

#[test]
fn the_alias_check_lists_names_that_look_alike_and_are_not_merged() {
    claimsim()
        .arg("atlas")
        .arg(fixture_catalogue())
        .arg("--check-aliases")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "1 pair of names look alike and are neither merged nor marked distinct (of 12 names)",
        ))
        .stdout(predicate::str::contains(
            "\"tumor growth\"  ~  \"tumour growth\"",
        ));
}

/// What `claimsim atlas` prints for the fixture catalogue with `args`.
fn fixture_summary(args: &[&str]) -> String {
    let output = claimsim()
        .arg("atlas")
        .arg(fixture_catalogue())
        .args(args)
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn filters_keep_a_cancer_with_general_claims_and_a_model_grade() {
    let text = fixture_summary(&["--cancer", "glioma"]);
    // K2 and D1 are glioma claims, the rest but K1 and E1 are general.
    assert!(
        text.contains("(cancer glioma (and general)): 8 claims"),
        "{text}"
    );
    let text = fixture_summary(&["--model", "animal"]);
    assert!(
        text.contains(": 2 claims"),
        "K1 (animal) and E1 (clinical): {text}"
    );
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: &str| {
        let out = dir.path().join(threads);
        claimsim()
            .arg("atlas")
            .arg(root().join("seeds/claims.toml"))
            .args(["-n", "500", "--no-plots", "-j", threads, "-o"])
            .arg(&out)
            .assert()
            .success();
        std::fs::read_to_string(out.join("atlas.csv")).unwrap()
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn a_name_in_two_alias_groups_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let aliases = dir.path().join("aliases.toml");
    std::fs::write(
        &aliases,
        "[alias]\n\"MSC exosomes\" = [\"MSC-derived exosomes\"]\n\"MSCs\" = [\"MSC-derived exosomes\"]\n",
    )
    .unwrap();
    claimsim()
        .arg("atlas")
        .arg(fixture_catalogue())
        .arg("--aliases")
        .arg(&aliases)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("aliases.toml:3:"))
        .stderr(predicate::str::contains(
            "is already a name of \"MSC exosomes\"",
        ));
}

#[test]
fn the_catalogue_atlas_lists_the_msc_exosome_tumour_dispute_with_its_contexts() {
    let dir = tempfile::tempdir().unwrap();
    claimsim()
        .arg("atlas")
        .args(["-n", "500", "--no-plots", "-o"])
        .arg(dir.path())
        .current_dir(root())
        .assert()
        .success();
    let conflicts = rows(&dir.path().join("atlas-conflicts.csv"));
    let on_growth: Vec<_> = conflicts
        .iter()
        .filter(|r| r["regulator"] == "MSC exosomes" && r["target"] == "tumour growth")
        .collect();
    let signs: Vec<&str> = on_growth.iter().map(|r| r["sign"].as_str()).collect();
    assert!(signs.contains(&"+") && signs.contains(&"-"), "{signs:?}");
    let glioblastoma = on_growth
        .iter()
        .find(|r| r["claim"] == "B080")
        .expect("B080: MSC exosomes slow glioblastoma cells");
    assert_eq!(
        (
            glioblastoma["cancer"].as_str(),
            glioblastoma["model"].as_str()
        ),
        ("glioblastoma", "in-vitro")
    );
}

#[test]
fn scenarios_that_move_one_node_both_ways_under_one_agent_are_listed_as_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    claimsim()
        .arg("batch")
        .arg(data("atlas/scenarios"))
        .arg("-o")
        .arg(dir.path())
        .arg("--no-plots")
        .assert()
        .success();
    let conflicts = rows(&dir.path().join("conflicts.csv"));
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let c = &conflicts[0];
    assert_eq!(c["agent"], "MSC exosomes", "the alias joins the two agents");
    assert_eq!(
        (
            c["raising_scenario"].as_str(),
            c["raising_intervention"].as_str(),
        ),
        ("pro-tumour", "add MSC exosomes")
    );
    assert_eq!(
        (
            c["lowering_scenario"].as_str(),
            c["lowering_intervention"].as_str(),
        ),
        ("anti-tumour", "MSC-derived exosomes")
    );
    // The evidence rules drop the cited link in some draws: each side moves the node in most.
    for p in [&c["p_up"], &c["p_down"]] {
        let p: f64 = p.parse().unwrap();
        assert!((0.5..=1.0).contains(&p), "{p}");
    }
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    let conflicts_at = html.find("1 conflict between scenarios").expect("listed");
    // The overview table opens the page; the scenarios' sections come after the conflicts.
    let first_scenario = html
        .match_indices("<h2 id=")
        .map(|(at, _)| at)
        .find(|&at| !html[at..].starts_with("<h2 id=\"overview\""))
        .unwrap();
    assert!(conflicts_at < first_scenario, "the conflicts come first");
    assert!(html.contains("The literature atlas") && dir.path().join("atlas/atlas.csv").is_file());
}

#[test]
fn the_library_batch_shows_the_msc_exosome_tumour_growth_disagreement() {
    let dir = tempfile::tempdir().unwrap();
    claimsim()
        .arg("batch")
        .args([
            "scenarios/breast-cancer/msc-mir100-vegf.toml",
            "scenarios/glioma/mir146b-egfr-exosomes.toml",
            "scenarios/immune/msc-exosome-immunosuppression.toml",
        ])
        .args(["--no-plots", "--no-atlas", "-o"])
        .arg(dir.path())
        .current_dir(root())
        .assert()
        .success();
    let conflicts = rows(&dir.path().join("conflicts.csv"));
    let pairs: Vec<(&str, &str)> = conflicts
        .iter()
        .filter(|r| r["agent"] == "MSC exosomes" && r["node"] == "tumour growth")
        .map(|r| {
            (
                r["raising_scenario"].as_str(),
                r["lowering_scenario"].as_str(),
            )
        })
        .collect();
    let immune = "scenarios--immune--msc-exosome-immunosuppression";
    assert!(
        pairs.contains(&(immune, "scenarios--breast-cancer--msc-mir100-vegf")),
        "{pairs:?}"
    );
    assert!(
        pairs.contains(&(immune, "scenarios--glioma--mir146b-egfr-exosomes")),
        "{pairs:?}"
    );
}

/// `batch --svg` draws the atlas picture as SVG too (issue 14), lists it in the manifests and
/// links it from index.html and atlas.html; without `--svg` it is a PNG, and `--no-plots`
/// draws none and links none.
#[test]
fn batch_draws_the_atlas_picture_in_the_chart_format() {
    for (flag, name) in [
        ("--svg", Some("atlas.svg")),
        ("", Some("atlas.png")),
        ("--no-plots", None),
    ] {
        let dir = tempfile::tempdir().unwrap();
        claimsim()
            .arg("batch")
            .arg(data("atlas/scenarios"))
            .args(["-n", "200", "-o"])
            .arg(dir.path())
            .args([flag].into_iter().filter(|f| !f.is_empty()))
            .assert()
            .success();
        let atlas = dir.path().join("atlas");
        let index = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
        let page = std::fs::read_to_string(atlas.join("atlas.html")).unwrap();
        let manifest = std::fs::read_to_string(atlas.join("manifest.json")).unwrap();
        for other in ["atlas.svg", "atlas.png"]
            .into_iter()
            .filter(|o| Some(*o) != name)
        {
            assert!(!atlas.join(other).exists(), "{flag}: {other} written");
            assert!(
                !index.contains(other) && !page.contains(other),
                "{flag}: {other} linked"
            );
        }
        if let Some(name) = name {
            let bytes = std::fs::read(atlas.join(name)).unwrap();
            let svg = String::from_utf8_lossy(&bytes).contains("<svg");
            assert_eq!(svg, name.ends_with(".svg"), "{name}");
            assert!(
                index.contains(&format!("<img src=\"atlas/{name}\"")),
                "{flag}"
            );
            assert!(page.contains(&format!("<img src=\"{name}\"")), "{flag}");
            assert!(
                manifest.contains(&format!("\"{name}\"")),
                "{flag}: {manifest}"
            );
        }
        claimsim()
            .arg("check-output")
            .arg(dir.path())
            .assert()
            .success();
    }
}
