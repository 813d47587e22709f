//! The real-file corpus (tests/data/interop/real, sources and licences in its SOURCES file):
//! files as other tools and their users wrote them, imported, run and re-read.

use crate::util::{data, run_json, scenario_file};
use claimsim::interop::{self, Format, Network};
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

/// QPress ships its models as Dia diagrams (Lake-b and the Antarctic ones gzipped, Lake-a
/// plain); tests/data/qpress holds the same models in text form, converted by an independent
/// script that follows QPress's `parse.dia`. Importing the diagrams must give the same
/// network, and running it the same node probabilities (same seed, same press on every node,
/// same self-limitation as the QPress vignette). Checked to fail when the Dia reader ignores
/// line styles (the Antarctic uncertain edges become certain) or swaps the two arrow ends.
#[test]
fn qpress_dia_models_run_like_their_text_form() {
    for (dia, text) in [
        ("Lake-a", "lake-a"),
        ("Lake-b", "lake-b"),
        ("Antarctic-a", "antarctic-a"),
        ("Antarctic-b", "antarctic-b"),
        ("Antarctic-c", "antarctic-c"),
    ] {
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
