//! Property tests: the parsers and importers never panic, whatever they are fed. Inputs grow
//! to several kilobytes (whole scenario files with dozens of sections, networks of hundreds of
//! lines), since the failures issue 16 found needed size: long lines, many names, deep nesting.

use claimsim::interop::{self, Format};
use claimsim::scenario::{self, links::parse_link_line};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use std::path::Path;

/// A node name from a small pool (so links meet) or a fresh odd one.
fn node() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-F]".prop_map(String::from),
        1 => "[A-Za-z][A-Za-z0-9_.-]{0,12}",
        1 => "\\PC{1,8}",
    ]
}

/// A line of a scenario's network: a link, a gate, a comment or noise.
fn network_line() -> impl Strategy<Value = String> {
    let arrow = prop_oneof![Just("->"), Just("-|"), Just("-?"), Just("<>"), Just("--")];
    prop_oneof![
        6 => (node(), arrow.clone(), node()).prop_map(|(a, r, b)| format!("{a} {r} {b}")),
        2 => (node(), node(), arrow, node()).prop_map(|(a, b, r, c)| format!("{a} & !{b} {r} {c}")),
        1 => "#\\PC{0,40}",
        1 => "[A-Za-z &!|>?=#-]{0,60}",
    ]
}

/// A value for a TOML key: numbers at the edges of floating point, distributions, text.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::num::f64::ANY.prop_map(|v| format!("{v:?}")),
        Just("1e305".to_string()),
        "(uniform|normal|lognormal|beta)\\([0-9eE.+-]{0,6}, ?[0-9eE.+-]{0,6}\\)"
            .prop_map(|d| format!("\"{d}\"")),
        "\\PC{0,20}".prop_map(|s| format!("{s:?}")),
        (0u64..u64::MAX).prop_map(|n| n.to_string()),
    ]
}

/// A section after the network: an intervention, an expectation, a node, a link or settings.
fn section() -> impl Strategy<Value = String> {
    prop_oneof![
        (node(), node(), value()).prop_map(|(name, n, v)| format!(
            "[[intervention]]\nname = {name:?}\npress = {{ {n:?} = {v} }}\n"
        )),
        (node(), node(), "(up|down|none|either|\\PC{0,5})").prop_map(|(i, n, c)| format!(
            "[[expect]]\nintervention = {i:?}\nnode = {n:?}\nchange = {c:?}\n"
        )),
        (node(), value(), value()).prop_map(|(n, tau, ymax)| format!(
            "[[node]]\nname = {n:?}\ntau = {tau}\nymax = {ymax}\n"
        )),
        (network_line(), value(), value())
            .prop_map(|(l, w, p)| format!("[[link]]\nlink = {l:?}\nweight = {w}\npresent = {p}\n")),
        (value(), value())
            .prop_map(|(s, d)| format!("[simulation]\nsamples = {s}\nmax_draws = {d}\n")),
    ]
}

/// A whole scenario file: title, a network of up to 150 lines, up to 40 sections; half of them
/// built to be valid (links between known names, presses and expectations on nodes of the
/// network), half with anything in them.
fn scenario_text() -> impl Strategy<Value = String> {
    let wild = (
        "\\PC{0,80}",
        prop::collection::vec(network_line(), 0..150),
        prop::collection::vec(section(), 0..40),
    )
        .prop_map(|(title, lines, sections)| {
            format!(
                "title = {title:?}\nnetwork = \"\"\"\n{}\n\"\"\"\n{}",
                lines.join("\n"),
                sections.concat()
            )
        });
    let name = "[A-H][a-z0-9]{0,6}";
    let link = (name, prop_oneof![Just("->"), Just("-|")], name)
        .prop_map(|(a, r, b)| format!("{a} {r} {b}"));
    let expect = (prop_oneof![Just("up"), Just("down")], 0usize..1000).prop_map(|(c, i)| {
        format!("[[expect]]\nintervention = \"press A\"\nnode = \"B\"\nchange = \"{c}\"\n# {i}\n")
    });
    let valid = (
        "[A-Za-z ,.()-]{0,80}",
        prop::collection::vec(link, 0..150),
        prop::collection::vec(expect, 0..40),
    )
        .prop_map(|(title, links, expects)| {
            format!(
                "title = {title:?}\nnetwork = \"\"\"\nA -> B\n{}\n\"\"\"\n[[intervention]]\nname = \"press A\"\npress = {{ A = 1 }}\n{}",
                links.join("\n"),
                expects.concat()
            )
        });
    prop_oneof![valid, wild]
}

/// A SIF (`relations` 1, -1) or QPress (`->`, `-*`, …) file of up to 300 lines: half of them
/// clean, with the separators and line ends found in the wild, half with noise lines and odd
/// names mixed in.
fn edge_list(relations: &'static [&'static str]) -> impl Strategy<Value = String> {
    let relation = proptest::sample::select(relations);
    let end = prop_oneof![Just("\n"), Just("\r\n"), Just("\r")];
    let name = "[A-Za-z][A-Za-z0-9_]{0,8}";
    let clean_line = (
        name,
        prop_oneof![Just(" "), Just("\t")],
        relation.clone(),
        name,
        end.clone(),
    )
        .prop_map(|(a, s, r, b, e)| format!("{a}{s}{r}{s}{b}{e}"));
    let odd_line = (node(), "[ \t\u{a0}]{1,2}", relation, node(), end)
        .prop_map(|(a, s, r, b, e)| format!("{a}{s}{r}{s}{b}{e}"));
    prop_oneof![
        prop::collection::vec(clean_line, 1..300).prop_map(|lines| lines.concat()),
        prop::collection::vec(prop_oneof![8 => odd_line, 1 => "\\PC{0,30}\n"], 0..300)
            .prop_map(|lines| lines.concat()),
    ]
}

const SIF: &[&str] = &["1", "-1"];
const QPRESS: &[&str] = &["->", "-*", "*->", "--*"];

/// An import that succeeds must write a scenario that checks clean (`claimsim import` fails
/// otherwise, calling it a bug); one that fails must fail with an error, not a panic.
fn import_checks_clean(format: Format, text: &str) -> Result<(), TestCaseError> {
    let path = Path::new("prop.txt");
    if let Ok(network) = interop::import(format, path, text.as_bytes()) {
        let written = interop::scenario_text(&network, format, path);
        prop_assert!(written.is_ok(), "{}", written.unwrap_err());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn link_parser_never_panics(line in "\\PC{0,60}") {
        let _ = parse_link_line(&line);
    }

    #[test]
    fn link_parser_never_panics_on_arrow_soup(line in "[A-Za-z0-9 &!#\\[\\],|?<>=α+-]{0,40}") {
        let _ = parse_link_line(&line);
    }

    #[test]
    fn parsed_links_survive_their_own_canonical_text(line in "[A-Za-z][A-Za-z0-9-]{0,8}( & !?[A-Za-z][A-Za-z0-9]{0,5})? (->|-\\||-\\?) [A-Za-z][A-Za-z0-9 ]{0,8}[A-Za-z]") {
        let link = parse_link_line(&line).unwrap().unwrap();
        let again = parse_link_line(&link.canonical()).unwrap().unwrap();
        prop_assert_eq!(again.canonical(), link.canonical());
    }
}

proptest! {
    // Inputs of kilobytes: fewer cases, each exercising far more of the parser.
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn whole_files_never_panic(text in "\\PC{0,3000}") {
        let _ = scenario::parse(Path::new("fuzz.toml"), &text, None);
    }

    #[test]
    fn scenario_shaped_files_never_panic_and_export(text in scenario_text()) {
        if let Ok(parsed) = scenario::parse(Path::new("fuzz.toml"), &text, None) {
            for format in [Format::Qpress, Format::Sif, Format::Sbml, Format::Dot] {
                prop_assert!(interop::export(format, &parsed).is_ok());
            }
        }
    }

    #[test]
    fn sif_imports_check_clean(text in edge_list(SIF)) {
        import_checks_clean(Format::Sif, &text)?;
    }

    #[test]
    fn qpress_imports_check_clean(text in edge_list(QPRESS)) {
        import_checks_clean(Format::Qpress, &text)?;
    }
}

/// The longest of 200 values drawn from `strategy` with a fixed seed.
fn longest<S: Strategy<Value = String>>(strategy: S) -> usize {
    let mut runner = TestRunner::deterministic();
    (0..200)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current().len())
        .max()
        .unwrap()
}

#[test]
fn generated_inputs_grow_beyond_600_bytes() {
    for (name, size) in [
        ("scenario files", longest(scenario_text())),
        ("edge lists", longest(edge_list(SIF))),
        ("free text", longest("\\PC{0,3000}".prop_map(String::from))),
    ] {
        assert!(size > 2000, "the longest of 200 {name} is {size} bytes");
    }
}

/// Some generated scenario files parse (so the export half of the property runs), and some
/// generated edge lists import, some of them large.
#[test]
fn generated_inputs_reach_past_the_first_error() {
    let mut runner = TestRunner::deterministic();
    let scenarios = scenario_text();
    let parsed = (0..200)
        .map(|_| scenarios.new_tree(&mut runner).unwrap().current())
        .filter(|text| scenario::parse(Path::new("p.toml"), text, None).is_ok())
        .count();
    assert!(
        parsed >= 5,
        "{parsed} of 200 generated scenario files parse"
    );
    let lists = edge_list(SIF);
    let imported: Vec<usize> = (0..200)
        .map(|_| lists.new_tree(&mut runner).unwrap().current())
        .filter(|text| interop::import(Format::Sif, Path::new("p.sif"), text.as_bytes()).is_ok())
        .map(|text| text.len())
        .collect();
    assert!(
        imported.len() >= 5,
        "{} of 200 edge lists import",
        imported.len()
    );
    assert!(imported.iter().any(|&n| n > 600), "{imported:?}");
}
