//! Writes an imported [`Network`] as a commented scenario file that `claimsim check` accepts:
//! the network as link lines, `[[link]]` tables for the settings the source gives single links,
//! `[nodes."NAME"]` tables for node settings, and the source's interventions, or one starting
//! press when it has none. The header lists what could not be carried over.

use super::network::{NetIntervention, NetLink, NetNode, Network};
use std::fmt::Write;

/// Link texts longer than this are not padded to align their comments.
const ALIGN_LIMIT: usize = 48;

/// The scenario text for `network`, read from `source` (a file name) in `format` (its name).
pub fn scenario_toml(network: &Network, format: &str, source: &str) -> String {
    let mut out = String::new();
    header(&mut out, network, format, source);
    network_lines(&mut out, network);
    link_tables(&mut out, network);
    node_tables(&mut out, network);
    interventions(&mut out, network);
    // Every table ends with a blank line and every section starts with one; keep one.
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out
}

fn header(out: &mut String, network: &Network, format: &str, source: &str) {
    let _ = writeln!(
        out,
        "# Imported by `claimsim import` from {} ({format}).",
        comment_text(source)
    );
    if !network.notes.is_empty() {
        out.push_str("#\n# Not carried over, or read in a particular way:\n");
        for note in &network.notes {
            let _ = writeln!(out, "#   - {}", comment_text(note));
        }
    }
    out.push_str(
        "#\n# Next: cite the claims each link comes from as [ID] at the end of its line, and add\n\
         # [[expect]] tables for what the reviews assert (docs/scenario-format.md).\n\n",
    );
    let title = network
        .title
        .clone()
        .unwrap_or_else(|| format!("Imported from {source}"));
    let _ = writeln!(out, "title = {}", toml_string(&title));
    let _ = writeln!(
        out,
        "description = {}\n",
        toml_string(&format!("Imported from the {format} file {source}."))
    );
}

/// The links as a TOML literal string, so that names are taken as written (no escapes).
fn network_lines(out: &mut String, network: &Network) {
    let texts = network.link_texts();
    let width = texts
        .iter()
        .map(|t| t.chars().count())
        .filter(|&w| w <= ALIGN_LIMIT)
        .max()
        .unwrap_or(0);
    out.push_str("network = '''\n");
    for (text, link) in texts.iter().zip(&network.links) {
        match &link.comment {
            Some(comment) => {
                let _ = writeln!(out, "{text:<width$}  # {}", comment_text(comment));
            }
            None => {
                let _ = writeln!(out, "{text}");
            }
        }
    }
    out.push_str("'''\n");
}

fn link_tables(out: &mut String, network: &Network) {
    let configured: Vec<(String, &NetLink)> = network
        .link_texts()
        .into_iter()
        .zip(&network.links)
        .filter(|(_, l)| has_settings(l))
        .collect();
    if configured.is_empty() {
        return;
    }
    out.push_str("\n# Settings the source gives single links.\n");
    for (text, link) in configured {
        let _ = writeln!(out, "[[link]]\nlink = {}", toml_string(&text));
        let numbers = [
            ("weight", link.weight),
            ("present", link.present),
            ("n", link.n),
            ("ec50", link.ec50),
        ];
        for (key, value) in numbers {
            if let Some(v) = value {
                let _ = writeln!(out, "{key} = {}", number(v));
            }
        }
        if let Some(group) = &link.group {
            let _ = writeln!(out, "group = {}", toml_string(group));
        }
        out.push('\n');
    }
}

fn has_settings(link: &NetLink) -> bool {
    link.weight.is_some()
        || link.present.is_some()
        || link.group.is_some()
        || link.n.is_some()
        || link.ec50.is_some()
}

fn node_tables(out: &mut String, network: &Network) {
    let configured: Vec<&NetNode> = network
        .nodes
        .iter()
        .filter(|n| {
            n.label.is_some()
                || n.tau.is_some()
                || n.ymax.is_some()
                || n.input.is_some()
                || n.initial.is_some()
                || n.comment.is_some()
        })
        .collect();
    if configured.is_empty() {
        return;
    }
    out.push_str("\n# Settings and notes the source gives nodes.\n");
    for node in configured {
        let _ = writeln!(out, "[nodes.{}]", toml_string(&node.name));
        if let Some(comment) = &node.comment {
            let _ = writeln!(out, "# {}", comment_text(comment));
        }
        if let Some(label) = &node.label {
            let _ = writeln!(out, "label = {}", toml_string(label));
        }
        for (key, value) in [
            ("tau", node.tau),
            ("ymax", node.ymax),
            ("input", node.input),
        ] {
            if let Some(v) = value {
                let _ = writeln!(out, "{key} = {}", number(v));
            }
        }
        if let Some(initial) = node.initial {
            let _ = writeln!(
                out,
                "# initial activity {} in the source: the scenario format has no key for it yet",
                number(initial)
            );
        }
        out.push('\n');
    }
}

fn interventions(out: &mut String, network: &Network) {
    if network.interventions.is_empty() {
        if let Some(start) = starting_press(network) {
            out.push_str(
                "\n# A starting point added by import, not in the source: a sustained push on an input\n\
                 # node. Edit it, add others, or remove it.\n",
            );
            write_intervention(out, network, &start);
        }
        return;
    }
    out.push_str("\n# The source's scenarios, as sustained presses.\n");
    for intervention in &network.interventions {
        write_intervention(out, network, intervention);
    }
}

fn write_intervention(out: &mut String, network: &Network, intervention: &NetIntervention) {
    let presses: Vec<String> = intervention
        .press
        .iter()
        .map(|&(node, level)| {
            format!(
                "{} = {}",
                toml_string(&network.nodes[node].name),
                number(level)
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "[[intervention]]\nname = {}\npress = {{ {} }}",
        toml_string(&intervention.name),
        presses.join(", ")
    );
}

/// A press on the first node with a basal input, else the first that no other node acts on,
/// else the first node: what a reader of the source would most likely perturb.
fn starting_press(network: &Network) -> Option<NetIntervention> {
    let count = network.nodes.len();
    // Marked in one pass over the links: asking every node of a network in which all are
    // acted on took nodes × links steps (40 s at 80,000 links).
    let mut acted_on = vec![false; count];
    for link in &network.links {
        if link.inputs.iter().any(|i| i.0 != link.target) {
            acted_on[link.target] = true;
        }
    }
    let node = (0..count)
        .find(|&i| network.nodes[i].input.is_some())
        .or_else(|| (0..count).find(|&i| !acted_on[i]))
        .or(if count > 0 { Some(0) } else { None })?;
    Some(NetIntervention {
        name: format!("press {}", network.nodes[node].name),
        press: vec![(node, 1.0)],
    })
}

/// A TOML basic string (quotes, backslashes and control characters escaped). Written by hand
/// because the toml crate picks a literal `'''` form for some texts, which is not allowed in
/// keys such as `[nodes."NAME"]`.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML float that always has a decimal point or exponent, so it reads back as a float.
fn number(value: f64) -> String {
    format!("{value:?}")
}

/// Text safe inside a `#` comment: one line, and never the end of a `'''` string.
fn comment_text(text: &str) -> String {
    // TOML comments may not hold control characters: the file would not parse.
    let one_line: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|piece| !piece.is_empty())
        .collect();
    without_triple_quotes(&one_line.join(" "))
}

/// The text with no `'''` left in it (that would end the TOML literal string of the network);
/// one pass is not enough, as `''''` shows.
pub(super) fn without_triple_quotes(text: &str) -> String {
    let mut out = text.to_string();
    while out.contains("'''") {
        out = out.replace("'''", "''");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::network::{NetLink, NetworkBuilder};
    use crate::scenario::links::Arrow;
    use std::path::Path;

    fn sample() -> Network {
        let mut b = NetworkBuilder::new();
        b.title("A \"quoted\" title");
        let (a, c) = (b.node("input A"), b.node("miR-9 exosomes"));
        let d = b.node("D\\E");
        let mut link = NetLink::simple(a, c, Arrow::Raises);
        link.weight = Some(0.5);
        link.present = Some(0.5);
        link.group = Some("pair 1".into());
        link.comment = Some("from\nline 3 '''".into());
        b.add_link(link, "line 1");
        b.add_link(
            NetLink::new(vec![(a, false), (d, true)], c, Arrow::Lowers),
            "line 2",
        );
        b.node_mut(c).tau = Some(2.0);
        b.node_mut(c).initial = Some(0.25);
        b.node_mut(a).input = Some(1.0);
        b.note("something was lost");
        b.finish()
    }

    #[test]
    fn the_written_scenario_checks_clean() {
        let text = scenario_toml(&sample(), "QPress", "net.txt");
        let scenario = crate::scenario::parse(Path::new("imported.toml"), &text, None)
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(scenario.title, "A \"quoted\" title");
        assert_eq!(scenario.links.len(), 2);
        assert_eq!(scenario.links[0].present, 0.5);
        assert_eq!(scenario.links[1].text, "input A & !D\\E -| miR-9 exosomes");
        assert_eq!(scenario.interventions[0].name, "press input A");
        assert!(text.contains("#   - something was lost"));
        assert!(text.contains("# initial activity 0.25"));
    }

    #[test]
    fn strings_are_basic_strings_even_as_keys() {
        assert_eq!(toml_string("'(\\"), "\"'(\\\\\"");
        assert_eq!(toml_string("a\"b\u{7f}"), "\"a\\\"b\\u007F\"");
        let text = format!("{} = 1", toml_string("'(\\\"\u{1}"));
        let table: toml::Table = toml::from_str(&text).unwrap();
        assert!(table.contains_key("'(\\\"\u{1}"));
    }

    #[test]
    fn numbers_always_read_back_as_floats() {
        assert_eq!(number(1.0), "1.0");
        assert_eq!(number(0.55), "0.55");
    }
}
