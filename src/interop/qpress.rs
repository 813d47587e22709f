//! QPress text digraphs, the edge lists the R package QPress reads with `read.digraph`.
//!
//! One line holds up to two edges between two nodes: `LEFT tail-dashes-head RIGHT`. The head
//! acts on the right node (`>` raises, `*` lowers, `<>` sign unknown), the tail on the left node
//! (`<` raises, `*` lowers, `<>` unknown); a missing end means no edge that way, so `A *-> B` is a
//! predator–prey pair and `A <- B` is `B -> A`. One dash is a certain edge; more dashes put the
//! line's edges in an uncertain group, which QPress includes or leaves out as a pair.
//!
//! QPress forbids `- * < >` in names. With a space on each side of the arrow (which is how
//! claimsim writes it) names may also hold hyphens, so `miR-21 -* PTEN` reads; without spaces
//! the QPress rules apply. Blank lines and `#` comments are skipped (QPress would warn).

use super::network::{NetLink, NetworkBuilder};
use super::{Exported, Keeps, Network, char_column, invalid, lost_settings, pieces};
use crate::diagnostic::{Diagnostic, Pos};
use crate::error::Error;
use crate::scenario::Scenario;
use crate::scenario::links::Arrow;
use std::fmt::Write;
use std::path::Path;

/// What one end of an arrow says about the node it points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    None,
    Effect(Arrow),
}

/// An arrow: the tail's effect on the left node, the dash count, the head's on the right node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ArrowSpec {
    tail: End,
    dashes: usize,
    head: End,
}

/// One parsed line: left name, arrow, right name, and the comment after them.
#[derive(Debug, Clone, PartialEq)]
struct EdgeLine<'a> {
    left: &'a str,
    arrow: ArrowSpec,
    right: &'a str,
    comment: Option<&'a str>,
}

/// Why a line could not be read: 0-based character column, width, message, help.
#[derive(Debug, Clone, PartialEq)]
struct LineError {
    column: usize,
    width: usize,
    message: String,
    help: &'static str,
}

const ARROW_HELP: &str = "write one edge per line as 'A -> B' (raises), 'A -* B' (lowers), \
                          'A <>-<> B' (unknown signs) or a pair such as 'A *-> B'; \
                          extra dashes ('A --* B') mark an uncertain edge";

/// Whether a line reads as a QPress edge, for format detection.
pub fn looks_like(line: &str) -> bool {
    matches!(parse_line(line), Ok(Some(_)))
}

/// Reads a QPress digraph.
pub fn import(path: &Path, text: &str) -> Result<Network, Error> {
    let mut builder = NetworkBuilder::new();
    let mut problems = Vec::new();
    let mut uncertain = false;
    let mut numbered_groups = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        match parse_line(line) {
            Ok(Some(edge)) => {
                uncertain |= add_edges(&mut builder, &edge, number);
                if edge.arrow.dashes > 2 {
                    numbered_groups.push(number.to_string());
                }
            }
            Ok(None) => {}
            Err(e) => problems.push(
                Diagnostic::at(Pos::new(number, e.column + 1, e.width), e.message).help(e.help),
            ),
        }
    }
    if problems.is_empty() && !builder.has_links() {
        problems.push(
            Diagnostic::whole_file("the file holds no edges")
                .help("write one edge per line, e.g. 'Prey *-> Predator'"),
        );
    }
    if !problems.is_empty() {
        return Err(invalid(path, text, problems));
    }
    if !numbered_groups.is_empty() {
        builder.note(format!(
            "line {}: three or more dashes put an edge in QPress group 2 or higher; read as uncertain like '--' (group 1), which is how QPress treats every group but 0 unless told otherwise; the group number is not kept",
            numbered_groups.join(", ")
        ));
    }
    if uncertain {
        builder.note(
            "uncertain edges (extra dashes) are present in a sample with probability 0.5, both edges of a line together; QPress also draws that probability once per simulation",
        );
    }
    Ok(builder.finish())
}

/// Adds a line's edges; returns whether they are uncertain.
fn add_edges(builder: &mut NetworkBuilder, edge: &EdgeLine<'_>, number: usize) -> bool {
    let origin = format!("line {number}");
    let (left, right) = (builder.node(edge.left), builder.node(edge.right));
    let mut links = Vec::new();
    if let End::Effect(arrow) = edge.arrow.head {
        links.push(NetLink::simple(left, right, arrow));
    }
    if let End::Effect(arrow) = edge.arrow.tail {
        links.push(NetLink::simple(right, left, arrow));
    }
    if links.is_empty() {
        builder.note(format!(
            "{origin}: '{} - {}' has no arrowhead (a zero edge in QPress) and was skipped",
            edge.left, edge.right
        ));
        return false;
    }
    let uncertain = edge.arrow.dashes > 1;
    let pair = links.len() == 2 && left != right;
    for mut link in links {
        link.comment = edge.comment.map(str::to_string);
        if uncertain {
            link.present = Some(0.5);
            link.group = pair.then(|| format!("qpress line {number}"));
        }
        builder.add_link(link, &origin);
    }
    uncertain
}

/// Parses one line; `Ok(None)` for blank and comment lines.
fn parse_line(line: &str) -> Result<Option<EdgeLine<'_>>, LineError> {
    let (content, comment) = match line.split_once('#') {
        Some((content, comment)) => (content, Some(comment.trim()).filter(|c| !c.is_empty())),
        None => (line, None),
    };
    if content.trim().is_empty() {
        return Ok(None);
    }
    let (left, arrow, right, arrow_at) = match spaced_arrow(content)? {
        Some(found) => found,
        None => unspaced_arrow(content)?,
    };
    let (left, right) = (left.trim(), right.trim());
    if left.is_empty() || right.is_empty() {
        let side = if left.is_empty() { "before" } else { "after" };
        return Err(LineError {
            column: char_column(content, arrow_at),
            width: 1,
            message: format!("missing node name {side} the arrow"),
            help: ARROW_HELP,
        });
    }
    Ok(Some(EdgeLine {
        left,
        arrow,
        right,
        comment,
    }))
}

type Split<'a> = (&'a str, ArrowSpec, &'a str, usize);

/// The arrow as a token with white space on each side, which lets names hold hyphens.
fn spaced_arrow(content: &str) -> Result<Option<Split<'_>>, LineError> {
    let tokens: Vec<(usize, &str)> = pieces(content, char::is_whitespace)
        .into_iter()
        .filter(|(_, token)| arrow_spec(token).is_some())
        .collect();
    match tokens.as_slice() {
        [] => Ok(None),
        [(at, token)] => {
            let arrow = arrow_spec(token).expect("filtered on arrow tokens");
            Ok(Some((
                &content[..*at],
                arrow,
                &content[at + token.len()..],
                *at,
            )))
        }
        [_, (at, token), ..] => Err(LineError {
            column: char_column(content, *at),
            width: token.chars().count(),
            message: "more than one arrow on a line".to_string(),
            help: "write one edge (or one pair, such as 'A *-> B') per line",
        }),
    }
}

/// QPress's own rule: names hold none of `- * < >`, so the first of them starts the arrow.
fn unspaced_arrow(content: &str) -> Result<Split<'_>, LineError> {
    let is_arrow_char = |c: char| matches!(c, '-' | '*' | '<' | '>');
    let Some(start) = content.find(is_arrow_char) else {
        let lead = content.len() - content.trim_start().len();
        return Err(LineError {
            column: char_column(content, lead),
            width: content.trim().chars().count(),
            message: "no arrow in this line".to_string(),
            help: ARROW_HELP,
        });
    };
    let end = content[start..]
        .find(|c: char| !is_arrow_char(c))
        .map_or(content.len(), |i| start + i);
    let token = &content[start..end];
    let Some(arrow) = arrow_spec(token) else {
        // Point at the whole look-alike (`=>`, `-|`), not only its QPress characters.
        let word_start = content[..start]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word_end = content[start..]
            .find(char::is_whitespace)
            .map_or(content.len(), |i| start + i);
        let word = &content[word_start..word_end];
        return Err(LineError {
            column: char_column(content, word_start),
            width: word.chars().count(),
            message: format!("malformed arrow '{word}'"),
            help: ARROW_HELP,
        });
    };
    let right = &content[end..];
    if right.contains(is_arrow_char) {
        return Err(LineError {
            column: char_column(content, start),
            width: token.chars().count(),
            message: format!(
                "cannot tell where the arrow '{token}' ends: a name after it holds '-', '*', '<' or '>'"
            ),
            help: "QPress names cannot hold '-', '*', '<' or '>'; for names with hyphens put a space on each side of the arrow, e.g. 'miR-21 -* PTEN'",
        });
    }
    Ok((&content[..start], arrow, right, start))
}

/// Reads `tail dashes head`, e.g. `*->`, `<>--<>`, `<-`, `-*`.
fn arrow_spec(token: &str) -> Option<ArrowSpec> {
    let (tail, rest) = if let Some(rest) = token.strip_prefix("<>") {
        (End::Effect(Arrow::Unknown), rest)
    } else if let Some(rest) = token.strip_prefix('<') {
        (End::Effect(Arrow::Raises), rest)
    } else if let Some(rest) = token.strip_prefix('*') {
        (End::Effect(Arrow::Lowers), rest)
    } else {
        (End::None, token)
    };
    let (head, dashes) = if let Some(dashes) = rest.strip_suffix("<>") {
        (End::Effect(Arrow::Unknown), dashes)
    } else if let Some(dashes) = rest.strip_suffix('>') {
        (End::Effect(Arrow::Raises), dashes)
    } else if let Some(dashes) = rest.strip_suffix('*') {
        (End::Effect(Arrow::Lowers), dashes)
    } else {
        (End::None, rest)
    };
    if dashes.is_empty() || !dashes.chars().all(|c| c == '-') {
        return None;
    }
    Some(ArrowSpec {
        tail,
        dashes: dashes.len(),
        head,
    })
}

// ---- export ------------------------------------------------------------------------------

/// One signed edge of a scenario with its presence settings.
#[derive(Debug, Clone, Copy, PartialEq)]
struct SignedEdge {
    from: usize,
    to: usize,
    arrow: Arrow,
    present: f64,
    group: Option<usize>,
}

/// Writes a scenario's network as a QPress digraph; gates become their separate edges, and a
/// pair of opposite edges with the same presence shares a line.
pub fn export(scenario: &Scenario) -> Exported {
    let edges: Vec<SignedEdge> = scenario
        .edges()
        .map(|e| {
            let link = &scenario.links[e.link];
            SignedEdge {
                from: e.from,
                to: e.to,
                arrow: e.arrow,
                present: link.present,
                group: link.group,
            }
        })
        .collect();
    let mut used = vec![false; edges.len()];
    let mut text = String::new();
    for i in 0..edges.len() {
        if used[i] {
            continue;
        }
        used[i] = true;
        let forward = edges[i];
        let back = (i + 1..edges.len()).find(|&j| !used[j] && pairs_with(&forward, &edges[j]));
        if let Some(j) = back {
            used[j] = true;
        }
        let back_arrow = back.map(|j| edges[j].arrow);
        let _ = writeln!(text, "{}", edge_line(scenario, &forward, back_arrow));
    }
    Exported {
        text,
        notes: export_notes(scenario),
    }
}

/// Whether `back` is the reverse of `forward` with the same presence, so both fit on one line.
fn pairs_with(forward: &SignedEdge, back: &SignedEdge) -> bool {
    forward.from != forward.to
        && back.from == forward.to
        && back.to == forward.from
        && back.present == forward.present
        && back.group == forward.group
}

fn edge_line(scenario: &Scenario, edge: &SignedEdge, back: Option<Arrow>) -> String {
    let tail = match back {
        None => "",
        Some(Arrow::Raises) => "<",
        Some(Arrow::Lowers) => "*",
        Some(Arrow::Unknown) => "<>",
    };
    let head = match edge.arrow {
        Arrow::Raises => ">",
        Arrow::Lowers => "*",
        Arrow::Unknown => "<>",
    };
    let dashes = if edge.present < 1.0 { "--" } else { "-" };
    format!(
        "{} {tail}{dashes}{head} {}",
        scenario.nodes[edge.from].name, scenario.nodes[edge.to].name
    )
}

fn export_notes(scenario: &Scenario) -> Vec<String> {
    let keeps = Keeps {
        presence: true,
        ..Keeps::default()
    };
    let mut notes = lost_settings(scenario, keeps);
    let gates: Vec<&str> = scenario
        .links
        .iter()
        .filter(|l| l.is_gate())
        .map(|l| l.text.as_str())
        .collect();
    if !gates.is_empty() {
        notes.push(format!(
            "QPress has no logic gates; written as their separate edges: {}",
            gates.join("; ")
        ));
    }
    if scenario
        .links
        .iter()
        .any(|l| l.present < 1.0 && l.present != 0.5)
    {
        notes.push(
            "optional links are written as uncertain edges ('--'); QPress gives them its own inclusion probability, not the scenario's `present`"
                .to_string(),
        );
    }
    let hyphenated: Vec<&str> = scenario
        .nodes
        .iter()
        .map(|n| n.name.as_str())
        .filter(|name| name.contains(['-', '*', '<', '>']))
        .collect();
    if !hyphenated.is_empty() {
        notes.push(format!(
            "QPress's own reader does not allow '-', '*', '<' or '>' in names; rename these before reading the file in R: {}",
            hyphenated.join(", ")
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(line: &str) -> EdgeLine<'_> {
        parse_line(line).expect("valid").expect("not blank")
    }

    fn spec(tail: End, dashes: usize, head: End) -> ArrowSpec {
        ArrowSpec { tail, dashes, head }
    }

    const P: End = End::Effect(Arrow::Raises);
    const N: End = End::Effect(Arrow::Lowers);
    const U: End = End::Effect(Arrow::Unknown);

    #[test]
    fn every_arrow_of_the_qpress_grammar() {
        assert_eq!(edge("A -> B").arrow, spec(End::None, 1, P));
        assert_eq!(edge("A -* B").arrow, spec(End::None, 1, N));
        assert_eq!(edge("A *-> B").arrow, spec(N, 1, P));
        assert_eq!(edge("A <- B").arrow, spec(P, 1, End::None));
        assert_eq!(edge("A <>-<> B").arrow, spec(U, 1, U));
        assert_eq!(edge("A *--* B").arrow, spec(N, 2, N));
        assert_eq!(edge("A <--- D").arrow, spec(P, 3, End::None));
    }

    #[test]
    fn unspaced_arrows_follow_qpress() {
        let e = edge("Sea ice*->Krill");
        assert_eq!((e.left, e.right), ("Sea ice", "Krill"));
        assert_eq!(e.arrow, spec(N, 1, P));
        assert_eq!(edge("A<-B").arrow, spec(P, 1, End::None));
    }

    #[test]
    fn spaced_arrows_allow_hyphens_in_names() {
        let e = edge("  anti-miR-9 exosomes -* miR-9   # why");
        assert_eq!((e.left, e.right), ("anti-miR-9 exosomes", "miR-9"));
    }

    #[test]
    fn comments_and_blank_lines_are_skipped() {
        assert_eq!(parse_line("   "), Ok(None));
        assert_eq!(parse_line("# A -> B"), Ok(None));
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = parse_line("A => B").unwrap_err();
        assert_eq!((e.column, e.width), (2, 2));
        assert_eq!(e.message, "malformed arrow '=>'");
        let e = parse_line("miR-21-*PTEN").unwrap_err();
        assert!(e.message.contains("cannot tell where"), "{}", e.message);
        let e = parse_line("A -> B -* C").unwrap_err();
        assert_eq!(e.column, 7);
        assert!(parse_line("A B").unwrap_err().message.contains("no arrow"));
        assert!(parse_line(" -> B").unwrap_err().message.contains("before"));
        assert!(parse_line("A -*").unwrap_err().message.contains("after"));
    }

    #[test]
    fn lines_become_links() {
        let network = import(
            Path::new("t.txt"),
            "A *-> B\nC <- B\nB --* D\nA -* A\nA - C\nB -* C\n",
        )
        .unwrap();
        assert_eq!(
            network.link_texts(),
            ["A -> B", "B -| A", "B -? C", "B -| D", "A -| A"],
            "{:?}",
            network.notes
        );
        assert!(network.notes.iter().any(|n| n.contains("zero edge")));
        assert!(
            network
                .notes
                .iter()
                .any(|n| n.contains("different effects"))
        );
    }

    #[test]
    fn group_numbers_above_one_are_read_as_uncertain_and_named() {
        let network = import(Path::new("t.txt"), "A --> B\nC <--- D\nE ----* F\n").unwrap();
        assert!(network.links.iter().all(|l| l.present == Some(0.5)));
        let note = network
            .notes
            .iter()
            .find(|n| n.contains("group 2 or higher"))
            .unwrap_or_else(|| panic!("{:?}", network.notes));
        assert!(note.starts_with("line 2, 3:"), "{note}");
    }
}
