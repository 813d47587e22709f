//! The real-file corpus (tests/data/interop/real, sources and licences in its SOURCES file):
//! files as other tools and their users wrote them, imported, run and re-read.

use crate::util::{data, run_json, scenario_file};
use claimsim::interop::{self, Format, Network};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn real(name: &str) -> PathBuf {
    data("interop/real").join(name)
}

/// Imports a file the way the command does: format from its name or content.
fn import(path: &Path) -> (Format, Network) {
    let bytes = std::fs::read(path).unwrap();
    let format = Format::detect(path, &bytes).unwrap();
    let network = interop::import(format, path, &bytes).unwrap_or_else(|e| panic!("{e}"));
    (format, network)
}

/// QPress's shipped Dia models and the names of their text forms in tests/data/qpress.
const QPRESS_MODELS: [(&str, &str); 5] = [
    ("Lake-a", "lake-a"),
    ("Lake-b", "lake-b"),
    ("Antarctic-a", "antarctic-a"),
    ("Antarctic-b", "antarctic-b"),
    ("Antarctic-c", "antarctic-c"),
];

/// QPress ships its models as Dia diagrams (Lake-b and the Antarctic ones gzipped, Lake-a
/// plain); tests/data/qpress holds the same models in text form, converted by an independent
/// script that follows QPress's `parse.dia`. Importing the diagrams must give the same
/// network, and running it the same node probabilities (same seed, same press on every node,
/// same self-limitation as the QPress vignette). Checked to fail when the Dia reader ignores
/// line styles (the Antarctic uncertain edges become certain) or swaps the two arrow ends.
#[test]
fn qpress_dia_models_run_like_their_text_form() {
    for (dia, text) in QPRESS_MODELS {
        let path = real(&format!("qpress/{dia}.dia"));
        let (format, network) = import(&path);
        assert_eq!(format, Format::Dia, "{dia}");
        let scenario = interop::scenario_text(&network, format, &path).unwrap();
        let text_form = std::fs::read_to_string(data(&format!("qpress/{text}.toml"))).unwrap();
        // The text form's run settings and presses, on the network the diagram gave.
        let settings = &text_form[text_form.find("[simulation]").unwrap()..];
        let network_only = scenario
            .find("# A starting point added by import")
            .map_or(scenario.as_str(), |at| &scenario[..at]);
        let (_dir, from_dia) = scenario_file(&format!("{network_only}\n{settings}"));
        let (_dir2, from_text) = scenario_file(&text_form);
        let dia_run = run_json(&from_dia, &["--samples", "1000"]);
        let text_run = run_json(&from_text, &["--samples", "1000"]);
        assert!(
            dia_run["interventions"].as_array().unwrap().len() >= 8,
            "{dia}: a press on every node"
        );
        assert_eq!(
            dia_run["interventions"], text_run["interventions"],
            "{dia}: node probabilities differ from the text form"
        );
        assert_eq!(dia_run["acceptance"], text_run["acceptance"], "{dia}");
    }
}

/// The desktop app saves `<mentalModeler>` with influences as `H+`, `M-`, `L+`; the Mental
/// Modeler suite ships the same fish-wetland model in both that form and in numbers. The two
/// must give the same links and weights (fails when the levels map to other numbers), and the
/// desktop scenario ("A lot of fish die", Fish population clamped to H-) must become a press.
#[test]
fn desktop_mental_modeler_levels_match_the_numbers_form() {
    let (_, desktop) = import(&real("mentalmodeler/fish_wetland.mmp"));
    let (_, numbers) = import(&real("mentalmodeler/fish_wetland_numbers.mmp"));
    let facts = |n: &Network| {
        n.link_texts()
            .into_iter()
            .zip(n.links.iter().map(|l| l.weight))
            .collect::<Vec<_>>()
    };
    assert_eq!(desktop.links.len(), 11);
    assert_eq!(facts(&desktop), facts(&numbers));
    let die_off = &desktop.interventions[0];
    assert_eq!(die_off.name, "A lot of fish die");
    assert_eq!(die_off.press.len(), 1);
    assert_eq!(desktop.nodes[die_off.press[0].0].name, "Fish population");
    assert_eq!(die_off.press[0].1, -1.0);
    let (_, fire) = import(&real("mentalmodeler/fire_model.mmp"));
    assert_eq!(fire.links.len(), 41, "{:?}", fire.notes);
}

/// Every corpus file imports to a scenario that checks clean, and says what it did not carry.
#[test]
fn every_real_file_imports_to_a_checked_scenario() {
    let mut files = Vec::new();
    for folder in std::fs::read_dir(data("interop/real")).unwrap() {
        let folder = folder.unwrap().path();
        if folder.is_dir() {
            files.extend(
                std::fs::read_dir(folder)
                    .unwrap()
                    .map(|f| f.unwrap().path()),
            );
        }
    }
    files.sort();
    assert!(files.len() >= 11, "{files:?}");
    for file in files {
        let (format, network) = import(&file);
        assert!(!network.links.is_empty(), "{}", file.display());
        interop::scenario_text(&network, format, &file).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// CellNOpt's prior-knowledge networks have one interaction per line and no gates: every line
/// must become one link, none a node (fails when a line is read as a node declaration).
#[test]
fn cellnopt_sif_files_lose_no_line() {
    for (file, lines) in [
        ("LiverPKNDREAM.sif", 58),
        ("ToyPKNMMB.sif", 16),
        ("ToyModelT3.sif", 19),
    ] {
        let path = real(&format!("sif/{file}"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().filter(|l| !l.trim().is_empty()).count(), lines);
        let (_, network) = import(&path);
        assert_eq!(network.links.len(), lines, "{file}: {:?}", network.notes);
        assert!(network.notes.iter().any(|n| n.contains("tab-separated")));
    }
}

/// One directed edge as QPress's `parse.text` (R/text.R) reads a line: from, to, type (`N`,
/// `P`, `U`) and group (dashes − 1), with zero edges dropped as QPress drops them.
type QpressEdge = (String, String, char, usize);

/// Reads lines the way QPress's `parse.text` does, by its regular expression
/// `([^*<-]+)(\*|<|<>)?(-+)(\*|>|<>)?([^*>-]+)`: the left name runs to the first `*`, `<` or
/// `-`, then an optional tail, the dashes, an optional head, and the right name up to the first
/// `*`, `>` or `-`; names are trimmed. `#` lines are skipped (QPress would warn on them).
fn qpress_parse_text(text: &str) -> BTreeSet<QpressEdge> {
    let mut edges = BTreeSet::new();
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let left_end = line.find(['*', '<', '-']).expect("an arrow");
        let (left, rest) = line.split_at(left_end);
        let (tail, rest) = ["<>", "<", "*"]
            .iter()
            .find_map(|t| rest.strip_prefix(t).map(|r| (*t, r)))
            .unwrap_or(("", rest));
        let dashes = rest.len() - rest.trim_start_matches('-').len();
        let rest = &rest[dashes..];
        let (head, rest) = ["<>", ">", "*"]
            .iter()
            .find_map(|h| rest.strip_prefix(h).map(|r| (*h, r)))
            .unwrap_or(("", rest));
        let right = &rest[..rest.find(['*', '>', '-']).unwrap_or(rest.len())];
        let (from, to) = (left.trim().to_string(), right.trim().to_string());
        assert!(
            dashes > 0 && !from.is_empty() && !to.is_empty(),
            "QPress cannot read '{line}'"
        );
        let kind = |end: &str| match end {
            "*" => Some('N'),
            ">" | "<" => Some('P'),
            "<>" => Some('U'),
            _ => None,
        };
        if let Some(k) = kind(head) {
            edges.insert((from.clone(), to.clone(), k, dashes - 1));
        }
        if let Some(k) = kind(tail) {
            edges.insert((to, from, k, dashes - 1));
        }
    }
    edges
}

/// QPress's shipped models, imported from their Dia diagrams and exported as QPress text, read
/// back by QPress's own text rules as the same directed edges, signs and groups as the same
/// models' text form. Checked to fail when the export writes `<` for a lowering tail.
#[test]
fn qpress_exports_read_back_by_qpress_rules_as_the_text_form() {
    for (dia, text) in QPRESS_MODELS {
        let path = real(&format!("qpress/{dia}.dia"));
        let (format, network) = import(&path);
        let toml = interop::scenario_text(&network, format, &path).unwrap();
        let scenario = claimsim::scenario::parse(Path::new("dia.toml"), &toml, None)
            .unwrap_or_else(|e| panic!("{e}"));
        let exported = interop::export(Format::Qpress, &scenario).unwrap().text;
        let text_form = std::fs::read_to_string(data(&format!("qpress/{text}.txt"))).unwrap();
        let read_back = qpress_parse_text(&exported);
        assert!(read_back.len() >= 15, "{dia}: {read_back:?}");
        assert_eq!(
            read_back,
            qpress_parse_text(&text_form),
            "{dia}:\n{exported}"
        );
    }
}
