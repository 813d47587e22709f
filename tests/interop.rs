//! `claimsim import` and `claimsim export`: every importer on fixtures written for the project
//! (awkward ones included), round trips through every format that is both read and written,
//! positioned errors for bad files, the commands end to end, and importers that never panic.

use crate::util::{claimsim, data, root};
use claimsim::interop::{self, Format, Network};
use claimsim::scenario::catalogue::CatalogueFinder;
use claimsim::scenario::{self, Scenario};
use predicates::str::contains;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    data("interop").join(name)
}

/// Imports a file the way the command does: format from its name or content.
fn import(path: &Path) -> Network {
    let bytes = std::fs::read(path).unwrap();
    let format = Format::detect(path, &bytes).unwrap();
    interop::import(format, path, &bytes).unwrap_or_else(|e| panic!("{e}"))
}

/// The scenario an import writes, which must check clean.
fn written(network: &Network, format: Format) -> Scenario {
    let text = interop::scenario_text(network, format, Path::new("fixture"))
        .unwrap_or_else(|e| panic!("{e}"));
    scenario::parse(Path::new("imported.toml"), &text, None).unwrap()
}

/// Exports a scenario and imports the result again.
fn round_trip(scenario: &Scenario, format: Format) -> Network {
    let exported = interop::export(format, scenario).unwrap();
    interop::import(format, Path::new("round-trip"), exported.text.as_bytes())
        .unwrap_or_else(|e| panic!("{e}\n{}", exported.text))
}

/// Links as comparable facts: text, presence, and the texts of the links sharing its group.
fn shape(network: &Network) -> BTreeSet<(String, String, Vec<String>)> {
    let texts = network.link_texts();
    network
        .links
        .iter()
        .zip(&texts)
        .map(|(link, text)| {
            let mut group: Vec<String> = match &link.group {
                Some(g) => network
                    .links
                    .iter()
                    .zip(&texts)
                    .filter(|(other, _)| other.group.as_ref() == Some(g))
                    .map(|(_, t)| t.clone())
                    .collect(),
                None => Vec::new(),
            };
            group.sort();
            (text.clone(), format!("{:?}", link.present), group)
        })
        .collect()
}

fn texts(network: &Network) -> BTreeSet<String> {
    network.link_texts().into_iter().collect()
}

fn scenario_texts(scenario: &Scenario) -> BTreeSet<String> {
    scenario.links.iter().map(|l| l.text.clone()).collect()
}

/// Gates read as their separate signed edges, the only form QPress holds.
fn edge_texts(scenario: &Scenario) -> BTreeSet<String> {
    scenario
        .edges()
        .map(|e| {
            format!(
                "{} {} {}",
                scenario.nodes[e.from].name,
                e.arrow.symbol(),
                scenario.nodes[e.to].name
            )
        })
        .collect()
}

// ---- each importer on its fixture --------------------------------------------------------------

#[test]
fn qpress_fixture_reads_every_arrow_kind() {
    let network = import(&fixture("qpress-awkward.txt"));
    assert_eq!(
        network.link_texts(),
        [
            "MSC exosomes -> miR-100",
            "miR-100 -| mTOR",
            "mTOR -> HIF-1 alpha",
            "HIF-1 alpha -> VEGF",
            "VEGF -> angiogenesis",
            "angiogenesis -> tumour growth",
            "tumour growth -> angiogenesis",
            "tumour growth -> immune cells",
            "immune cells -| tumour growth",
            "T-cell exhaustion -? PD-L1",
            "PD-L1 -? T-cell exhaustion",
            "T-cell exhaustion -| immune cells",
            "tumour growth -| tumour growth",
            "anti-PD-1 antibody -| T-cell exhaustion",
            "hypoxia -> HIF-1 alpha",
            "HIF-1 alpha -| hypoxia",
        ]
    );
    let uncertain: Vec<_> = network
        .links
        .iter()
        .filter(|l| l.present.is_some())
        .collect();
    assert_eq!(uncertain.len(), 3);
    assert!(uncertain.iter().all(|l| l.present == Some(0.5)));
    assert_eq!(
        uncertain[0].group, None,
        "a single uncertain edge needs no group"
    );
    assert_eq!(uncertain[1].group, uncertain[2].group);
    assert!(
        uncertain[1].group.is_some(),
        "the uncertain pair shares a group"
    );
    assert_eq!(
        network.links[0].comment.as_deref(),
        Some("the exosomes deliver the miRNA")
    );
    assert!(network.notes.iter().any(|n| n.contains("zero edge")));
    assert!(network.notes.iter().any(|n| n.contains("'stroma'")));
    written(&network, Format::Qpress);
}

#[test]
fn sif_fixture_reads_words_targets_and_gates() {
    let network = import(&fixture("sif-awkward.sif"));
    assert_eq!(
        network.link_texts(),
        [
            "MSC exosomes -> miR-100",
            "miR-100 -| mTOR",
            "mTOR -> HIF-1 alpha",
            "mTOR -> glycolysis",
            "HIF-1 alpha -> VEGF",
            "VEGF & !PTEN -> angiogenesis",
            "angiogenesis -| necrotic core",
            "necrotic core -? HIF-1 alpha",
        ]
    );
    assert!(network.notes.iter().any(|n| n.contains("'lonely node'")));
    written(&network, Format::Sif);
}

#[test]
fn space_separated_sif_reads_too() {
    let network = interop::import(
        Format::Sif,
        Path::new("plain.sif"),
        b"A 1 B\nB -1 C D\nC pp A\n",
    )
    .unwrap();
    assert_eq!(
        network.link_texts(),
        ["A -> B", "B -| C", "B -| D", "C -? A"]
    );
}

#[test]
fn sbml_fixture_reads_functions_as_links_and_gates() {
    let network = import(&fixture("sbml-awkward.sbml"));
    assert_eq!(
        network.title.as_deref(),
        Some("Tumour microenvironment (qual)")
    );
    assert_eq!(
        network.link_texts(),
        [
            "MSC exosomes -> miR-100",
            "miR-100 -| mTOR",
            "mTOR -> HIF-1 alpha",
            "hypoxia -> HIF-1 alpha",
            "HIF-1 alpha -> VEGF",
            "VEGF & !PTEN -> angiogenesis",
            "HIF-1 alpha & mTOR -| PTEN",
            "angiogenesis -| hypoxia",
            "hypoxia -| T cells and NK cells",
            "VEGF -? stroma",
        ]
    );
    let renamed = network
        .nodes
        .iter()
        .find(|n| n.name == "T cells and NK cells")
        .unwrap();
    assert_eq!(renamed.label.as_deref(), Some("T cells & NK cells"));
    written(&network, Format::Sbml);
}

#[test]
fn netflux_fixture_reads_parameters_and_the_formula_trap() {
    let network = import(&fixture("netflux-model.xlsx"));
    assert_eq!(
        network.link_texts(),
        [
            "NE -> b1AR",
            "b1AR -> cAMP",
            "cAMP & !PKI -> PKA",
            "PKA -| PKI",
            "PKA -> hypertrophy",
            "cAMP & !PKI -> hypertrophy",
        ]
    );
    let node = |name: &str| network.nodes.iter().find(|n| n.name == name).unwrap();
    assert_eq!(node("NE").input, Some(0.6), "'=> NE' stored as a formula");
    assert_eq!(node("NE").label.as_deref(), Some("norepinephrine"));
    assert_eq!(node("NE").tau, Some(0.1));
    assert_eq!(node("PKI").ymax, Some(0.8));
    assert_eq!(node("cAMP").initial, Some(0.1));
    let camp = &network.links[1];
    assert_eq!(
        (camp.weight, camp.n, camp.ec50),
        (Some(0.9), Some(2.0), Some(0.4))
    );
    let default = &network.links[0];
    assert_eq!(
        (default.weight, default.n, default.ec50),
        (None, None, None)
    );
    assert!(
        network
            .notes
            .iter()
            .any(|n| n.contains("stored as a formula"))
    );
    assert!(network.notes.iter().any(|n| n.contains("'orphan'")));
    let scenario = written(&network, Format::Netflux);
    assert_eq!(scenario.links[1].hill_n.as_fixed(), Some(2.0));
}

#[test]
fn mental_modeler_json_fixture_reads_weights_and_scenarios() {
    let network = import(&fixture("mentalmodeler.mmp"));
    assert_eq!(
        network.link_texts(),
        [
            "anti-miR-9 exosomes -| miR-9",
            "miR-9 -> P-glycoprotein",
            "P-glycoprotein -| intracellular TMZ",
            "intracellular TMZ -> apoptosis",
            "intracellular TMZ -| intracellular TMZ",
            "temozolomide oral -> intracellular TMZ",
        ]
    );
    let weights: Vec<Option<f64>> = network.links.iter().map(|l| l.weight).collect();
    assert_eq!(
        weights,
        [
            Some(0.8),
            Some(0.6),
            Some(0.9),
            Some(0.7),
            Some(0.3),
            Some(1.0)
        ]
    );
    assert_eq!(network.interventions.len(), 1);
    assert_eq!(network.interventions[0].name, "TMZ + exosomes");
    assert_eq!(network.interventions[0].press.len(), 2);
    assert!(network.notes.iter().any(|n| n.contains("influence 0")));
    written(&network, Format::MentalModeler);
}

#[test]
fn mental_modeler_xml_fixture_reads_the_same_structure() {
    let network = import(&fixture("mentalmodeler-xml.mmp"));
    assert_eq!(network.title.as_deref(), Some("Fishery and wetland"));
    assert_eq!(
        network.link_texts(),
        [
            "Amount of wetland -> Fish population",
            "Pollution -| Fish population",
            "Pollution -| Amount of wetland",
        ]
    );
    assert_eq!(network.nodes[0].comment.as_deref(), Some("units: ha"));
    written(&network, Format::MentalModeler);
}

// ---- round trips ------------------------------------------------------------------------------

#[test]
fn qpress_round_trip_keeps_links_and_uncertain_pairs() {
    let first = import(&fixture("qpress-awkward.txt"));
    let again = round_trip(&written(&first, Format::Qpress), Format::Qpress);
    assert_eq!(shape(&again), shape(&first));
}

#[test]
fn sif_round_trip_keeps_links_and_gates() {
    let first = import(&fixture("sif-awkward.sif"));
    let again = round_trip(&written(&first, Format::Sif), Format::Sif);
    assert_eq!(shape(&again), shape(&first));
}

#[test]
fn sbml_round_trip_keeps_links_gates_and_names() {
    let first = import(&fixture("sbml-awkward.sbml"));
    let again = round_trip(&written(&first, Format::Sbml), Format::Sbml);
    assert_eq!(shape(&again), shape(&first));
    let names: BTreeSet<&str> = again.nodes.iter().map(|n| n.name.as_str()).collect();
    assert!(names.contains("HIF-1 alpha") && names.contains("T cells and NK cells"));
}

/// Every shipped scenario and the mixed fixture (gates, unknown signs, optional links).
fn library() -> Vec<Scenario> {
    let finder = CatalogueFinder::new(None).unwrap();
    let mut files = claimsim::discover::scenario_files(&[root().join("scenarios")])
        .unwrap()
        .files;
    files.push(data("mixed.toml"));
    files
        .iter()
        .map(|f| scenario::load(f, &finder).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

#[test]
fn library_scenarios_round_trip_through_sif_and_sbml() {
    for scenario in library() {
        for format in [Format::Sif, Format::Sbml] {
            assert_eq!(
                texts(&round_trip(&scenario, format)),
                scenario_texts(&scenario),
                "{} through {format:?}",
                scenario.path.display()
            );
        }
    }
}

#[test]
fn library_scenarios_round_trip_through_qpress_as_edges() {
    for scenario in library() {
        let again = round_trip(&scenario, Format::Qpress);
        assert_eq!(
            texts(&again),
            edge_texts(&scenario),
            "{}",
            scenario.path.display()
        );
        // QPress holds edges: a gate's inputs become one uncertain edge each, and two gates
        // sharing an input share its edge.
        let optional = scenario
            .edges()
            .filter(|e| scenario.links[e.link].present < 1.0)
            .map(|e| (e.from, e.to))
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let uncertain = again.links.iter().filter(|l| l.present.is_some()).count();
        assert_eq!(uncertain, optional, "{}", scenario.path.display());
    }
}

#[test]
fn exports_say_what_they_lose() {
    let mixed = library().pop().unwrap();
    let qpress = interop::export(Format::Qpress, &mixed).unwrap();
    assert!(qpress.notes.iter().any(|n| n.contains("no logic gates")));
    assert!(qpress.notes.iter().any(|n| n.contains("link weights")));
    assert!(
        qpress.text.contains("target --* survival"),
        "{}",
        qpress.text
    );
    let sif = interop::export(Format::Sif, &mixed).unwrap();
    assert!(sif.notes[0].contains("optional links"));
    let sbml = interop::export(Format::Sbml, &mixed).unwrap();
    assert!(sbml.text.contains("qual:sign=\"unknown\""));
    assert!(interop::export(Format::Netflux, &mixed).is_err());
}

// ---- bad files -----------------------------------------------------------------------------------

/// Runs `claimsim import` on a bad fixture and returns standard error, checking the exit status
/// and that every problem says how to fix it.
fn import_errors(name: &str) -> String {
    let output = claimsim()
        .arg("import")
        .arg(fixture(name))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{name}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    let problems = stderr.matches("error:").count();
    assert_eq!(
        stderr.matches("= help:").count(),
        problems,
        "every problem has a fix:\n{stderr}"
    );
    stderr
}

fn assert_has(text: &str, fragments: &[&str]) {
    for fragment in fragments {
        assert!(text.contains(fragment), "expected '{fragment}' in:\n{text}");
    }
}

#[test]
fn bad_qpress_lines_are_located() {
    let stderr = import_errors("qpress-bad.txt");
    assert_has(
        &stderr,
        &[
            "qpress-bad.txt:3:10",
            "malformed arrow '=>'",
            "3 | Predator => Prey",
            "qpress-bad.txt:5:4",
            "cannot tell where the arrow",
        ],
    );
}

#[test]
fn bad_sif_lines_are_located() {
    let stderr = import_errors("sif-bad.sif");
    assert_has(
        &stderr,
        &[
            "sif-bad.sif:2:5",
            "unknown interaction 'inhibts'",
            "did you mean 'inhibits'",
            "sif-bad.sif:3:5",
            "has no target",
        ],
    );
}

#[test]
fn bad_sbml_elements_are_located() {
    let stderr = import_errors("sbml-bad.sbml");
    assert_has(
        &stderr,
        &[
            "sbml-bad.sbml:12:11",
            "unknown species 'AA'",
            "did you mean 'A'",
            "sbml-bad.sbml:29:22",
            "unsupported MathML operator <plus>",
        ],
    );
    let stderr = import_errors("sbml-broken.sbml");
    assert_has(&stderr, &["sbml-broken.sbml:6:", "XML syntax"]);
}

#[test]
fn bad_netflux_cells_are_located() {
    let stderr = import_errors("netflux-bad.xlsx");
    assert_has(
        &stderr,
        &[
            "netflux-bad.xlsx[reactions]:3:",
            "cell C3: unknown species 'C'",
            "cell C4: no '=>' in the rule 'A B'",
            "cell D5: Weight = 1.5 is out of range",
            "3 |  | r1 | A => C",
        ],
    );
}

#[test]
fn bad_mental_modeler_values_are_located() {
    let stderr = import_errors("mentalmodeler-bad.mmp");
    assert_has(
        &stderr,
        &[
            "mentalmodeler-bad.mmp:4:",
            "influence 'strong' is not a number from -1 to 1",
            "mentalmodeler-bad.mmp:5:",
            "points to concept id '9'",
        ],
    );
    let stderr = import_errors("mentalmodeler-broken.mmp");
    assert_has(&stderr, &["mentalmodeler-broken.mmp:3:", "JSON:"]);
}

#[test]
fn unknown_formats_and_directions_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("notes.txt");
    std::fs::write(&odd, "just some words\n").unwrap();
    claimsim()
        .arg("import")
        .arg(&odd)
        .assert()
        .code(2)
        .stderr(contains("pass --from"));
    claimsim()
        .args(["export", "--to", "netflux"])
        .arg(data("mixed.toml"))
        .assert()
        .code(2)
        .stderr(contains("does not write them"));
    claimsim()
        .arg("export")
        .arg(data("mixed.toml"))
        .assert()
        .code(2)
        .stderr(contains("pass --to"));
}

// ---- the commands end to end -------------------------------------------------------------------

#[test]
fn every_fixture_imports_to_a_scenario_that_checks_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "qpress-awkward.txt",
        "sif-awkward.sif",
        "sbml-awkward.sbml",
        "netflux-model.xlsx",
        "mentalmodeler.mmp",
        "mentalmodeler-xml.mmp",
    ] {
        let out = dir.path().join(format!("{name}.toml"));
        claimsim()
            .arg("import")
            .arg(fixture(name))
            .arg("-o")
            .arg(&out)
            .assert()
            .success()
            .stderr(contains("imported"));
        claimsim().arg("check").arg(&out).assert().success();
        let json = crate::util::run_json(&out, &["--samples", "300"]);
        assert_eq!(json["interventions"].as_array().unwrap().len(), 1, "{name}");
    }
}

#[test]
fn import_writes_to_standard_output_with_from() {
    claimsim()
        .args(["import", "--from", "qpress"])
        .arg(fixture("qpress-awkward.txt"))
        .assert()
        .success()
        .stdout(contains("network = '''\nMSC exosomes -> miR-100"))
        .stderr(contains("zero edge"));
}

#[test]
fn export_writes_each_format() {
    let dir = tempfile::tempdir().unwrap();
    for (name, fragment) in [
        ("net.qpress", "drug -> target"),
        ("net.sif", "drug\t1\ttarget"),
        ("net.sbml", "<qual:transition qual:id=\"tr_target\">"),
        ("net.dot", "digraph"),
    ] {
        let out = dir.path().join(name);
        claimsim()
            .arg("export")
            .arg(data("mixed.toml"))
            .arg("-o")
            .arg(&out)
            .assert()
            .success()
            .stderr(contains("wrote"));
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.contains(fragment), "{name}:\n{text}");
    }
    claimsim()
        .args(["export", "--to", "qpress"])
        .arg(data("mixed.toml"))
        .assert()
        .success()
        .stdout(contains("growth -<> survival"))
        .stderr(contains("no logic gates"));
}

// ---- importers never panic ---------------------------------------------------------------------

/// Feeds text to every text importer; whatever they accept must become a valid scenario.
fn import_any(text: &str) -> Result<(), TestCaseError> {
    for format in [
        Format::Qpress,
        Format::Sif,
        Format::Sbml,
        Format::MentalModeler,
    ] {
        if let Ok(network) = interop::import(format, Path::new("fuzz"), text.as_bytes()) {
            let written = interop::scenario_text(&network, format, Path::new("fuzz"));
            prop_assert!(written.is_ok(), "{format:?}: {}", written.unwrap_err());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn text_importers_never_panic(text in "\\PC{0,300}") {
        import_any(&text)?;
    }

    #[test]
    fn edge_shaped_text_never_panics(
        text in "([A-Za-z0-9 &!#|,;=\"\\[\\]{}α-]{0,10}[ \t\u{3000}](<>|<|\\*)?-{1,3}(>|\\*|<>)?[ \t]?[A-Za-z0-9 &!|?,α-]{0,10}(\t-?1\t[a-z ]{1,6})?\n){1,6}"
    ) {
        import_any(&text)?;
    }

    #[test]
    fn sif_gates_never_panic(
        rows in proptest::collection::vec(
            ("(A|B|C|and1|_and1|and2)", "(1|-1|0|inhibits)", "(A|B|C|and1|_and1|and2)"),
            1..8,
        ),
    ) {
        let text: String = rows.iter().map(|(a, i, b)| format!("{a}\t{i}\t{b}\n")).collect();
        import_any(&text)?;
    }

    #[test]
    fn sbml_shaped_text_never_panics(
        ops in proptest::collection::vec("(and|or|xor|not|implies|eq|neq|geq|gt|leq|lt|plus|ci|cn|true)", 1..5),
        ids in proptest::collection::vec("(A|B|C|t1|X)", 1..5),
        level in "(-1|0|1|2|x)",
    ) {
        let mut math = String::new();
        for (op, id) in ops.iter().zip(ids.iter().cycle()) {
            math.push_str(&format!("<apply><{op}/><ci> {id} </ci><cn> {level} </cn>"));
        }
        math.push_str(&"</apply>".repeat(ops.len()));
        let text = format!(
            "<sbml xmlns:qual=\"http://www.sbml.org/sbml/level3/version1/qual/version1\"><model>\
             <qual:listOfQualitativeSpecies><qual:qualitativeSpecies qual:id=\"A\"/><qual:qualitativeSpecies qual:id=\"B\" qual:name=\"B &amp; co\"/>\
             <qual:qualitativeSpecies qual:id=\"C\" qual:name=\"A\"/></qual:listOfQualitativeSpecies>\
             <qual:listOfTransitions><qual:transition qual:id=\"t1\"><qual:listOfInputs>\
             <qual:input qual:id=\"t1\" qual:qualitativeSpecies=\"{}\" qual:thresholdLevel=\"{level}\"/></qual:listOfInputs>\
             <qual:listOfOutputs><qual:output qual:qualitativeSpecies=\"{}\"/></qual:listOfOutputs>\
             <qual:listOfFunctionTerms><qual:defaultTerm qual:resultLevel=\"{level}\"/><qual:functionTerm qual:resultLevel=\"1\">\
             <math>{math}</math></qual:functionTerm></qual:listOfFunctionTerms></qual:transition></qual:listOfTransitions></model></sbml>",
            ids[0], ids[ids.len() - 1]
        );
        import_any(&text)?;
    }

    #[test]
    fn mental_modeler_shaped_json_never_panics(
        names in proptest::collection::vec("\\PC{0,8}", 1..5),
        links in proptest::collection::vec((0usize..6, 0usize..6, "(-?[01](\\.[0-9])?|x|)"), 0..8),
        clamps in proptest::collection::vec((0usize..6, "(true|false|)", "(-?1|0|0\\.5|)"), 0..3),
    ) {
        let concepts: Vec<serde_json::Value> = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let relationships: Vec<serde_json::Value> = links
                    .iter()
                    .filter(|l| l.0 == i)
                    .map(|l| serde_json::json!({"id": l.1.to_string(), "influence": l.2}))
                    .collect();
                serde_json::json!({"id": i.to_string(), "name": name, "relationships": relationships})
            })
            .collect();
        let scenario: Vec<serde_json::Value> = clamps
            .iter()
            .map(|c| serde_json::json!({"id": c.0.to_string(), "selected": c.1, "influence": c.2}))
            .collect();
        let project = serde_json::json!({
            "concepts": concepts,
            "scenarios": [{"name": "s", "concepts": scenario}, {"name": "s", "concepts": scenario}],
        });
        import_any(&project.to_string())?;
    }

    #[test]
    fn spreadsheet_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut zipped = b"PK\x03\x04".to_vec();
        zipped.extend(&bytes);
        let _ = interop::import(Format::Netflux, Path::new("fuzz.xlsx"), &bytes);
        let _ = interop::import(Format::Netflux, Path::new("fuzz.xlsx"), &zipped);
    }

    #[test]
    fn damaged_workbooks_never_panic(
        flips in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let mut bytes = std::fs::read(fixture("netflux-model.xlsx")).unwrap();
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let _ = interop::import(Format::Netflux, Path::new("damaged.xlsx"), &bytes);
    }
}

#[test]
fn sbml_export_writes_source_spellings_and_readable_ids() {
    let text = "title = \"t\"\nnetwork = \"\"\"\n血管 -> 内皮\n内皮 -| 血管\nβ-catenin -> 血管\n\
                SARS E 7a -> β-catenin\n\"\"\"\n[nodes.\"SARS E 7a\"]\nlabel = \"SARS E,7a\"\n\
                [nodes.\"β-catenin\"]\nlabel = \"beta catenin protein\"\n";
    let scenario =
        scenario::parse(Path::new("t.toml"), text, None).unwrap_or_else(|e| panic!("{e}"));
    let exported = interop::export(Format::Sbml, &scenario).unwrap().text;
    let species: Vec<(&str, &str)> = exported
        .lines()
        .filter_map(|l| {
            let id = l.split("qual:id=\"").nth(1)?.split('"').next()?;
            let name = l.split("qual:name=\"").nth(1)?.split('"').next()?;
            Some((id, name))
        })
        .collect();
    assert_eq!(
        species,
        [
            ("S_1", "血管"),
            ("S_2", "内皮"),
            ("beta_catenin", "β-catenin"),
            // The label an import keeps for a name it had to change goes back as the name;
            // a label chosen for charts ("beta catenin protein") does not.
            ("SARS_E_7a", "SARS E,7a"),
        ]
    );
    let again = round_trip(&scenario, Format::Sbml);
    let names: BTreeSet<&str> = again.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        BTreeSet::from(["血管", "内皮", "β-catenin", "SARS E 7a"])
    );
    assert_eq!(shape(&again).len(), 4);
}

#[test]
fn export_help_lists_only_the_formats_it_writes_each_described() {
    let help = claimsim().args(["export", "--help"]).output().unwrap();
    let text = String::from_utf8(help.stdout).unwrap();
    for (format, description) in [
        ("qpress", "QPress text digraph"),
        ("sif", "Cytoscape SIF"),
        ("sbml", "SBML Level 3 qual"),
        ("dot", "Graphviz DOT"),
    ] {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("- {format}:")))
            .unwrap_or_else(|| panic!("export --help does not list {format}:\n{text}"));
        assert!(line.contains(description), "{format} undescribed: {line}");
    }
    for read_only in ["dia", "netflux", "mentalmodeler"] {
        assert!(
            !text.contains(&format!("- {read_only}:")),
            "export --help offers {read_only}, which it cannot write:\n{text}"
        );
    }
}
