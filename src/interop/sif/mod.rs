//! Cytoscape SIF: `source interaction target [target ...]` per line, tab-separated when the file
//! has tabs (then names may hold spaces), otherwise separated by white space, as Cytoscape
//! reads it. A line without a tab in a tab-separated file that reads as an interaction when
//! split at white space is read so, as CellNOpt reads it, with a note: Cytoscape would make it
//! one node, which is never what such a line means. A line with only a
//! source declares a node. Interactions are `1`/`-1`/`0` (what claimsim and CellNOpt write) or
//! common words such as `activates` and `inhibits`. Dummy nodes `and1`, `and2`, ... (optionally
//! with leading underscores, as claimsim writes them when a real node is called `andK`) are read
//! back into AND gates: their inputs point into them, `-1` marking a negated input. Lines
//! starting with `#` are skipped.
//!
//! Writing the text lives in [`write`].

pub mod write;

use super::network::{NetLink, NetworkBuilder};
use super::{Exported, Keeps, Network, char_column, invalid, lost_settings, pieces};
use crate::diagnostic::{Diagnostic, Pos, did_you_mean};
use crate::error::Error;
use crate::scenario::Scenario;
use crate::scenario::links::Arrow;
use std::path::Path;

/// Interaction words, lower case, by the arrow they mean.
const RAISES: [&str; 17] = [
    "1",
    "+1",
    "+",
    "->",
    "activates",
    "activation",
    "activate",
    "stimulates",
    "stimulation",
    "upregulates",
    "up-regulates",
    "induces",
    "promotes",
    "enhances",
    "increases",
    "positive",
    "pos",
];
const LOWERS: [&str; 16] = [
    "-1",
    "-",
    "-|",
    "inhibits",
    "inhibition",
    "inhibit",
    "represses",
    "repression",
    "downregulates",
    "down-regulates",
    "suppresses",
    "blocks",
    "decreases",
    "negative",
    "neg",
    "reduces",
];
const UNKNOWN: [&str; 10] = [
    "0",
    "?",
    "-?",
    "unknown",
    "regulates",
    "pp",
    "pd",
    "interacts",
    "binds",
    "affects",
];

/// Whether a line reads as a SIF interaction, for format detection.
pub fn looks_like(line: &str) -> bool {
    let fields = fields(line, line.contains('\t'));
    fields.len() >= 3 && interaction(fields[1].1).is_some()
}

/// One edge as written, with the place of its interaction for messages.
#[derive(Debug, Clone)]
struct Edge<'a> {
    source: &'a str,
    arrow: Arrow,
    target: &'a str,
    line: usize,
}

/// Reads a SIF file.
pub fn import(path: &Path, text: &str) -> Result<Network, Error> {
    let tabs = text.contains('\t');
    let mut builder = NetworkBuilder::new();
    let mut edges = Vec::new();
    let mut problems = Vec::new();
    let mut spaced = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let tabs_here = tabs && (line.contains('\t') || !reads_as_spaced_edge(line));
        if tabs_here != tabs {
            spaced.push(index + 1);
        }
        match parse_line(line, index + 1, tabs_here) {
            Ok(LineContent::Node(name)) => {
                builder.node(name);
            }
            Ok(LineContent::Edges(found)) => edges.extend(found),
            Ok(LineContent::Blank) => {}
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        add_links(&mut builder, &edges);
        if !builder.has_links() {
            problems.push(
                Diagnostic::whole_file("the file holds no interactions between nodes")
                    .help("write one interaction per line: 'source<TAB>1<TAB>target' (1 raises, -1 lowers, 0 unknown)"),
            );
        }
    }
    if !problems.is_empty() {
        return Err(invalid(path, text, problems));
    }
    builder.note(if tabs {
        "fields are tab-separated (the file has tabs), as Cytoscape reads SIF; names may hold spaces"
    } else {
        "fields are separated by white space (the file has no tabs), as Cytoscape reads SIF"
    });
    if !spaced.is_empty() {
        builder.note(format!(
            "{} without a tab in this tab-separated file read as separated by spaces, as CellNOpt reads them (Cytoscape would make each one node named after the whole line): {}",
            if spaced.len() == 1 { "1 line" } else { "lines" },
            super::line_list(&spaced)
        ));
    }
    Ok(builder.finish())
}

/// Whether a line without tabs holds an interaction when split at white space.
fn reads_as_spaced_edge(line: &str) -> bool {
    let fields = fields(line, false);
    fields.len() >= 3 && interaction(fields[1].1).is_some()
}

enum LineContent<'a> {
    Blank,
    Node(&'a str),
    Edges(Vec<Edge<'a>>),
}

fn parse_line(line: &str, number: usize, tabs: bool) -> Result<LineContent<'_>, Diagnostic> {
    let fields = fields(line, tabs);
    match fields.as_slice() {
        [] => Ok(LineContent::Blank),
        [(_, node)] => Ok(LineContent::Node(node)),
        [_, (at, word)] => Err(Diagnostic::at(
            Pos::new(number, char_column(line, *at) + 1, word.chars().count()),
            format!("the interaction '{word}' has no target"),
        )
        .help("write 'source interaction target', e.g. 'EGFR<TAB>1<TAB>RAS'")),
        [(_, source), (at, word), targets @ ..] => {
            let arrow = interaction(word)
                .ok_or_else(|| unknown_interaction(line, number, *at, word, tabs))?;
            Ok(LineContent::Edges(
                targets
                    .iter()
                    .map(|&(_, target)| Edge {
                        source,
                        arrow,
                        target,
                        line: number,
                    })
                    .collect(),
            ))
        }
    }
}

/// Fields with their byte offsets: split on tabs when the file has them, else on white space.
fn fields(line: &str, tabs: bool) -> Vec<(usize, &str)> {
    pieces(line, |c| if tabs { c == '\t' } else { c.is_whitespace() })
}

fn interaction(word: &str) -> Option<Arrow> {
    let word = word.to_lowercase();
    let word = word.as_str();
    if RAISES.contains(&word) {
        Some(Arrow::Raises)
    } else if LOWERS.contains(&word) {
        Some(Arrow::Lowers)
    } else if UNKNOWN.contains(&word) {
        Some(Arrow::Unknown)
    } else {
        None
    }
}

fn unknown_interaction(line: &str, number: usize, at: usize, word: &str, tabs: bool) -> Diagnostic {
    let known = RAISES.iter().chain(&LOWERS).chain(&UNKNOWN).copied();
    let spaces = if tabs {
        ""
    } else {
        "; a name with spaces needs tab-separated fields"
    };
    let help = match did_you_mean(word, known) {
        Some(close) => format!(
            "did you mean '{close}'? claimsim reads 1 / -1 / 0 and words such as activates, inhibits, regulates"
        ),
        None => format!(
            "use 1 (raises), -1 (lowers) or 0 (sign unknown), or a word such as activates, inhibits or regulates{spaces}"
        ),
    };
    Diagnostic::at(
        Pos::new(number, char_column(line, at) + 1, word.chars().count()),
        format!("unknown interaction '{word}'"),
    )
    .help(help)
}

/// `andK` dummy nodes (with any leading underscores) stand for AND gates.
fn is_gate_name(name: &str) -> bool {
    let lower = name.trim_start_matches('_').to_lowercase();
    lower
        .strip_prefix("and")
        .is_some_and(|digits| !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
}

/// Turns edges into links, folding each gate's inputs and outputs into one link per output.
fn add_links(builder: &mut NetworkBuilder, edges: &[Edge<'_>]) {
    let is_gate = |name: &str| {
        is_gate_name(name)
            && edges.iter().any(|e| e.target == name)
            && edges.iter().any(|e| e.source == name)
    };
    for edge in edges {
        let origin = format!("line {}", edge.line);
        if is_gate(edge.target) {
            continue;
        }
        let to = builder.node(edge.target);
        if !is_gate(edge.source) {
            let from = builder.node(edge.source);
            builder.add_link(NetLink::simple(from, to, edge.arrow), &origin);
            continue;
        }
        let mut inputs = Vec::new();
        for input in edges.iter().filter(|e| e.target == edge.source) {
            if input.arrow == Arrow::Unknown {
                builder.note(format!(
                    "line {}: gate input '{}' has an unknown sign; read as a plain input",
                    input.line, input.source
                ));
            }
            inputs.push((builder.node(input.source), input.arrow == Arrow::Lowers));
        }
        builder.add_link(NetLink::new(inputs, to, edge.arrow), &origin);
    }
}

/// Writes a scenario's network as SIF (see [`write`]).
pub fn export(scenario: &Scenario) -> Exported {
    Exported {
        text: write::to_sif(scenario),
        notes: lost_settings(scenario, Keeps::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Network {
        import(Path::new("t.sif"), text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn numbers_words_and_several_targets() {
        let network = read("A 1 B C\nB inhibits C\nC regulates A\nD\n");
        assert_eq!(
            network.link_texts(),
            ["A -> B", "A -> C", "B -| C", "C -? A"]
        );
        assert!(
            network.notes.iter().any(|n| n.contains("'D'")),
            "lonely D is reported"
        );
    }

    #[test]
    fn tabs_allow_spaces_in_names() {
        let network = read("anti-miR-9 exosomes\t-1\tmiR-9\n");
        assert_eq!(network.link_texts(), ["anti-miR-9 exosomes -| miR-9"]);
    }

    #[test]
    fn and_nodes_fold_back_into_gates() {
        let network = read("A\t1\tand1\nB\t-1\tand1\nand1\t-1\tC\n_and2\t1\tD\nE\t1\t_and2\n");
        assert_eq!(network.link_texts(), ["A & !B -| C", "E -> D"]);
    }

    #[test]
    fn an_and_node_without_inputs_is_a_plain_node() {
        let network = read("and1 1 B\n");
        assert_eq!(network.link_texts(), ["and1 -> B"]);
    }

    #[test]
    fn lines_without_tabs_in_a_tabbed_file_are_read_by_spaces_with_a_note() {
        let network = read("ras\t1\traf\nerk -1 zap70\nlonely node\n");
        assert_eq!(network.link_texts(), ["ras -> raf", "erk -| zap70"]);
        let notes = network.notes.join("\n");
        assert!(
            notes.contains("tab-separated (the file has tabs)"),
            "{notes}"
        );
        assert!(notes.contains("1 line without a tab"), "{notes}");
        assert!(notes.contains(": 2"), "{notes}");
        assert!(notes.contains("'lonely node'"), "{notes}");
        let plain = read("a 1 b\n");
        assert!(plain.notes[0].contains("white space (the file has no tabs)"));
        let tabbed = read("x\t1\ty\nerk zap70 pathway\n");
        assert!(
            tabbed
                .notes
                .iter()
                .any(|n| n.contains("'erk zap70 pathway'"))
        );
    }

    #[test]
    fn a_repeated_unknown_word_is_one_error_with_a_count() {
        let text = "A\tactvates\tB\nB\tactvates\tC\nC\tactvates\tD\nD\tbogus\tE\n";
        let e = import(Path::new("t.sif"), text).unwrap_err().to_string();
        assert_eq!(
            e.matches("unknown interaction 'actvates'").count(),
            1,
            "{e}"
        );
        assert!(e.contains("also on 2 more lines: 2, 3"), "{e}");
        assert_eq!(e.matches("unknown interaction 'bogus'").count(), 1, "{e}");
        assert!(!e.contains("needs tab-separated"), "{e}");
    }

    #[test]
    fn unknown_words_get_a_suggestion() {
        let e = import(Path::new("t.sif"), "A\tinhibts\tB\n").unwrap_err();
        let text = e.to_string();
        assert!(text.contains("t.sif:1:3"), "{text}");
        assert!(text.contains("did you mean 'inhibits'"), "{text}");
    }
}
