//! Every class of scenario error: reported with its line, what is wrong and how to fix it,
//! all problems of a file at once, and never a panic.

use claimsim::error::Error;
use claimsim::scenario::catalogue::Catalogue;
use claimsim::scenario::{self, ClaimLookup};
use std::path::Path;

const BASE: &str = r#"
network = """
miR-100 -| mTOR   [T1]
mTOR -> HIF-1α
HIF-1α -> VEGF
"""
"#;

fn catalogue() -> Catalogue {
    Catalogue::load(&crate::util::data("claims.toml")).unwrap()
}

/// Parses scenario text and returns the rendered problems (panics if the text is valid).
fn problems(text: &str) -> (String, usize) {
    let catalogue = catalogue();
    match scenario::parse(
        Path::new("case.toml"),
        text,
        Some(&catalogue as &dyn ClaimLookup),
    ) {
        Ok(_) => panic!("expected problems in:\n{text}"),
        Err(e @ Error::Invalid(_)) => (e.to_string(), e.problem_count()),
        Err(other) => panic!("unexpected error kind: {other}"),
    }
}

/// Asserts one problem at `line` whose message and help contain the fragments.
fn assert_problem(text: &str, line: usize, fragments: &[&str]) {
    let (rendered, _) = problems(text);
    assert!(
        rendered.contains(&format!("case.toml:{line}:")),
        "expected line {line} in:\n{rendered}"
    );
    for f in fragments {
        assert!(rendered.contains(f), "expected '{f}' in:\n{rendered}");
    }
    assert!(
        rendered.contains("help:"),
        "every problem says how to fix it:\n{rendered}"
    );
}

#[test]
fn malformed_arrow() {
    assert_problem(
        "network = \"\"\"\nA -> B\nB --> C\n\"\"\"",
        3,
        &["malformed arrow '-->'"],
    );
    assert_problem("network = \"A->B\"", 1, &["needs a space on each side"]);
}

#[test]
fn unknown_node_in_intervention_suggests_a_name() {
    let text = format!("{BASE}[[intervention]]\nname = \"x\"\npress = {{ \"miR100\" = 1.0 }}\n");
    assert_problem(
        &text,
        9,
        &["unknown node 'miR100'", "did you mean 'miR-100'"],
    );
    let text = format!("{BASE}[[intervention]]\nname = \"x\"\nknockout = [\"mtor\"]\n");
    assert_problem(
        &text,
        9,
        &["knockout names unknown node 'mtor'", "did you mean 'mTOR'"],
    );
}

#[test]
fn unknown_node_in_expectation() {
    let text = format!(
        "{BASE}[[intervention]]\nname = \"x\"\npress = {{ \"miR-100\" = 1.0 }}\n[[expect]]\nintervention = \"x\"\nnode = \"VEGFA\"\nchange = \"down\"\n"
    );
    assert_problem(&text, 12, &["unknown node 'VEGFA'", "did you mean 'VEGF'"]);
}

#[test]
fn link_settings_and_blocks_must_match_a_link() {
    let text = format!("{BASE}[[link]]\nlink = \"mTOR -> HIF-1a\"\nweight = 0.5\n");
    assert_problem(
        &text,
        8,
        &["matches no link", "did you mean 'mTOR -> HIF-1α'"],
    );
    let text = format!("{BASE}[[intervention]]\nname = \"x\"\nblock = [\"VEGF -> mTOR\"]\n");
    assert_problem(&text, 9, &["block 'VEGF -> mTOR' matches no link"]);
}

#[test]
fn duplicate_links() {
    assert_problem(
        "network = \"\"\"\nA -> B\nA -> B\n\"\"\"",
        3,
        &["duplicate link", "line 2"],
    );
    assert_problem(
        "network = \"\"\"\nA -> B\nA -| B\n\"\"\"",
        3,
        &["duplicate link", "'-?'"],
    );
}

#[test]
fn expectation_naming_a_missing_intervention() {
    let text = format!(
        "{BASE}[[intervention]]\nname = \"deliver miR-100\"\npress = {{ \"miR-100\" = 1.0 }}\n[[expect]]\nintervention = \"deliver miR100\"\nnode = \"VEGF\"\nchange = \"down\"\n"
    );
    assert_problem(
        &text,
        11,
        &[
            "no intervention is named \"deliver miR100\"",
            "did you mean \"deliver miR-100\"",
        ],
    );
}

#[test]
fn bad_distributions_and_parameters() {
    let text = format!("{BASE}[[link]]\nlink = \"mTOR -> HIF-1α\"\nweight = \"uniform(1, 0.2)\"\n");
    assert_problem(&text, 9, &["uniform needs a < b"]);
    let text =
        format!("{BASE}[[link]]\nlink = \"mTOR -> HIF-1α\"\nweight = \"normal(0.5, 0.1)\"\n");
    assert_problem(
        &text,
        9,
        &["can fall outside its valid range", "must not be negative"],
    );
    let text = format!("{BASE}[[link]]\nlink = \"mTOR -> HIF-1α\"\npresent = 1.5\n");
    assert_problem(&text, 9, &["present = 1.5 is not a probability"]);
    let text = format!("{BASE}[simulation]\nsamples = 0\n");
    assert_problem(&text, 8, &["samples must be a whole number above 0"]);
    let text = format!("{BASE}[simulation]\nmethod = \"euler\"\n");
    assert_problem(&text, 8, &["unknown method \"euler\""]);
}

#[test]
fn fixed_ec50_outside_the_activation_domain() {
    let text = format!("{BASE}[[link]]\nlink = \"mTOR -> HIF-1α\"\nec50 = 0.7\n");
    assert_problem(&text, 9, &["EC50^n = 0.607", "below 0.61"]);
}

#[test]
fn ode_press_level_outside_unit_interval() {
    let text = format!(
        "{BASE}[[intervention]]\nname = \"x\"\npress = {{ \"miR-100\" = 2.0 }}\n[simulation]\nmethod = \"ode\"\n"
    );
    assert_problem(&text, 9, &["press level 2 is outside [0, 1]"]);
}

#[test]
fn unknown_claim_id() {
    assert_problem(
        "network = \"A -> B  [T1, T99]\"",
        1,
        &["unknown claim id 'T99'", "claims.toml"],
    );
}

#[test]
fn empty_network() {
    assert_problem(
        "network = \"\"\"\n# nothing yet\n\"\"\"",
        1,
        &["the network has no links"],
    );
    let (rendered, _) = problems("title = \"no network\"\n");
    assert!(rendered.contains("has no `network`"), "{rendered}");
}

#[test]
fn toml_mistakes_are_located() {
    assert_problem(
        "network = \"A -> B\"\n[[intervention]]\nnmae = \"x\"\n",
        3,
        &["unknown field `nmae`"],
    );
    assert_problem("network = \"A -> B\n", 1, &["TOML"]);
}

#[test]
fn all_problems_are_reported_at_once() {
    let text = "network = \"\"\"\nA -> B\nC => D\n\"\"\"\n[[intervention]]\nname = \"x\"\npress = { \"Q\" = 1.0 }\nknockout = [\"Z\"]\n";
    let (rendered, count) = problems(text);
    assert_eq!(count, 3, "{rendered}");
}

#[test]
fn evidence_table_keys_and_values_are_checked() {
    let text =
        format!("{BASE}[evidence]\nmouse = {{ present = 0.5 }}\nreview = {{ present = 2 }}\n");
    let (rendered, count) = problems(&text);
    assert_eq!(count, 2, "{rendered}");
    assert!(
        rendered.contains("'mouse' is not a model system")
            && rendered.contains("in-vitro, animal, clinical, review")
    );
    assert!(rendered.contains("present = 2 is not a probability"));
}

/// The caret line under the excerpt: its leading spaces and its carets, in terminal columns.
fn caret_columns(rendered: &str) -> (usize, usize) {
    let caret_line = rendered
        .lines()
        .find(|l| l.trim_start().starts_with('|') && l.contains('^'))
        .unwrap_or_else(|| panic!("no caret line in:\n{rendered}"));
    let marks = caret_line.split_once("| ").expect("gutter").1;
    let indent = marks.len() - marks.trim_start().len();
    (indent, marks.trim().chars().count())
}

#[test]
fn carets_stand_under_wide_characters_and_tabs() {
    // "血管内皮" takes 8 terminal columns, so the arrow starts at column 9, not 5.
    let (rendered, _) = problems("network = \"\"\"\n血管内皮 --> VEGF\n\"\"\"");
    assert_eq!(caret_columns(&rendered), (9, 3), "{rendered}");
    let (rendered, _) = problems("network = \"\"\"\n血管 -> B\n\tB --> 内皮\n\"\"\"");
    assert!(rendered.contains("3 |     B --> 内皮"), "{rendered}");
    assert_eq!(caret_columns(&rendered), (6, 3), "{rendered}");
}
