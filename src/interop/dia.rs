//! Dia diagrams as QPress reads them with `model.dia` (R/XML.R): the form every model shipped
//! with QPress takes, gzipped or plain XML.
//!
//! Nodes are the objects of type `Flowchart - Ellipse`, `- Box` and `- Terminal`, named by their
//! text; edges are the `Standard - Line`, `- Arc` and `- ZigZagLine` objects, from the node on
//! handle 0 to the node on handle 1. The end arrow gives the forward edge (styles 1, 2, 3, 12,
//! 22, 23 raise, 8 and 9 lower, 4 and 5 have an unknown sign, none is no edge), the start arrow
//! the edge back. A line style other than solid puts the line's edges in an uncertain pair, as
//! extra dashes do in a QPress text digraph. Where QPress silently ignores an object that looks
//! like part of the model (another line type), claimsim leaves it out too, with a note; where
//! QPress would fail later (an unknown arrow style, a line not connected to two nodes), the
//! import stops with the place of the problem.

use super::network::{NetLink, NetworkBuilder};
use super::{Limits, Network, invalid, whole_file, xml_syntax_error};
use crate::diagnostic::{Diagnostic, SourceMap};
use crate::error::Error;
use crate::scenario::links::Arrow;
use roxmltree::{Document, Node};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The node shapes `model.dia` reads.
const NODE_TYPES: [&str; 3] = [
    "Flowchart - Ellipse",
    "Flowchart - Box",
    "Flowchart - Terminal",
];

/// The line types `model.dia` reads as edges.
const EDGE_TYPES: [&str; 3] = ["Standard - Arc", "Standard - ZigZagLine", "Standard - Line"];

const ARROW_HELP: &str = "QPress's model.dia reads Dia arrow styles 1, 2, 3, 12, 22 and 23 (raises), 8 and 9 (lowers), 4 and 5 (unknown sign) and no arrow; choose one of those for this end in Dia";

/// Whether bytes look like a Dia diagram: gzip (the form Dia saves by default) or a
/// `<dia:diagram` root near the start.
pub fn looks_like(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(4096)];
    String::from_utf8_lossy(head).contains("<dia:diagram")
}

/// Reads a Dia diagram, unpacking it first when it is gzipped (within `limits`).
pub fn import(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Network, Error> {
    let unpacked;
    let (bytes, shown) = if bytes.starts_with(&[0x1f, 0x8b]) {
        unpacked = gunzip(path, bytes, limits)?;
        let shown = PathBuf::from(format!("{} (unpacked)", path.display()));
        (unpacked.as_slice(), shown)
    } else {
        (bytes, path.to_path_buf())
    };
    let text = super::utf8_text(&shown, bytes)?;
    let document = Document::parse(text).map_err(|e| xml_syntax_error(&shown, text, &e))?;
    let mut reader = Reader {
        source: SourceMap::new(text),
        builder: NetworkBuilder::new(),
        problems: Vec::new(),
        uncertain: false,
    };
    reader.diagram(&document);
    if reader.problems.is_empty() && !reader.builder.has_links() {
        reader.problems.push(
            Diagnostic::whole_file("the diagram has no edges QPress reads").help(
                "draw nodes as Flowchart Ellipse, Box or Terminal shapes and connect them with Standard Line, Arc or ZigZagLine objects with arrows",
            ),
        );
    }
    if !reader.problems.is_empty() {
        return Err(invalid(&shown, text, reader.problems));
    }
    if reader.uncertain {
        reader.builder.note(
            "uncertain edges (lines drawn in a style other than solid) are present in a sample with probability 0.5, both edges of a line together; QPress also draws that probability once per simulation",
        );
    }
    Ok(reader.builder.finish())
}

/// The XML inside a gzipped file, refused once it unpacks to more than the size limit.
fn gunzip(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    let mut decoder = flate2::read::MultiGzDecoder::new(bytes).take(limits.max_bytes + 1);
    if let Err(e) = decoder.read_to_end(&mut out) {
        return Err(whole_file(
            path,
            format!("the file starts like gzip but does not unpack: {e}"),
            "open and save the diagram again in Dia, or unpack it with gunzip and import the XML",
        ));
    }
    if out.len() as u64 > limits.max_bytes {
        return Err(whole_file(
            path,
            limits.too_big("the unpacked diagram"),
            "a model file this big is more likely damaged or hostile than real; raise the limit only for a file you trust",
        ));
    }
    Ok(out)
}

struct Reader {
    source: SourceMap,
    builder: NetworkBuilder,
    problems: Vec<Diagnostic>,
    uncertain: bool,
}

/// What one end of a line says: the Dia arrow style, or none.
type ArrowStyle<'a> = Option<&'a str>;

impl Reader {
    fn error(&mut self, node: Node<'_, '_>, message: String, help: &str) {
        let at = self.source.pos(node.range().start, 1);
        self.problems.push(Diagnostic::at(at, message).help(help));
    }

    fn diagram(&mut self, document: &Document<'_>) {
        let objects: Vec<Node<'_, '_>> = document
            .descendants()
            .filter(|n| n.tag_name().name() == "object")
            .collect();
        let mut labels: HashMap<&str, String> = HashMap::new();
        let mut other_objects: HashMap<&str, &str> = HashMap::new();
        for object in &objects {
            let (id, kind) = (
                object.attribute("id").unwrap_or(""),
                object.attribute("type").unwrap_or(""),
            );
            if NODE_TYPES.contains(&kind) {
                labels.insert(id, node_label(*object));
            } else {
                other_objects.insert(id, kind);
            }
        }
        let mut ignored_lines: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for object in &objects {
            let kind = object.attribute("type").unwrap_or("");
            if EDGE_TYPES.contains(&kind) {
                self.line(*object, &labels, &other_objects);
            } else if !NODE_TYPES.contains(&kind) && connections(*object).next().is_some() {
                let id = object.attribute("id").unwrap_or("?");
                ignored_lines.entry(kind).or_default().push(id);
            }
        }
        for (kind, ids) in ignored_lines {
            self.builder.note(format!(
                "{} '{kind}' object(s) ({}) connect shapes but QPress's model.dia does not read them as edges; left out as QPress does (redraw them as Standard Line, Arc or ZigZagLine to include them)",
                ids.len(),
                ids.join(", ")
            ));
        }
        self.note_colours(&objects);
    }

    /// One Dia line: up to two edges between the nodes on its two handles.
    fn line(
        &mut self,
        line: Node<'_, '_>,
        labels: &HashMap<&str, String>,
        others: &HashMap<&str, &str>,
    ) {
        let id = line.attribute("id").unwrap_or("?");
        let (Some(from), Some(to)) = (
            self.end_node(line, "0", labels, others),
            self.end_node(line, "1", labels, others),
        ) else {
            return;
        };
        let (Ok(forward), Ok(backward)) = (
            self.arrow(line, "end_arrow"),
            self.arrow(line, "start_arrow"),
        ) else {
            return;
        };
        let origin = format!("line {id}");
        let (from, to) = (self.builder.node(&from), self.builder.node(&to));
        let mut links = Vec::new();
        if let Some(arrow) = forward {
            links.push(NetLink::simple(from, to, arrow));
        }
        if let Some(arrow) = backward {
            links.push(NetLink::simple(to, from, arrow));
        }
        if links.is_empty() {
            let (a, b) = (self.builder.node_name(from), self.builder.node_name(to));
            let note = format!(
                "{origin}: '{a}' - '{b}' has no arrowhead (a zero edge in QPress) and was skipped"
            );
            self.builder.note(note);
            return;
        }
        let uncertain = enum_value(line, "line_style").is_some_and(|style| style != "0");
        self.uncertain |= uncertain;
        let pair = links.len() == 2 && from != to;
        for mut link in links {
            if uncertain {
                link.present = Some(0.5);
                link.group = pair.then(|| format!("dia line {id}"));
            }
            self.builder.add_link(link, &origin);
        }
    }

    /// The label of the node on a handle of a line, or an error when that end is loose or on a
    /// shape QPress does not read as a node (QPress itself fails on such a model later).
    fn end_node(
        &mut self,
        line: Node<'_, '_>,
        handle: &str,
        labels: &HashMap<&str, String>,
        others: &HashMap<&str, &str>,
    ) -> Option<String> {
        let end = if handle == "0" { "start" } else { "end" };
        let target = connections(line)
            .find(|c| c.attribute("handle") == Some(handle))
            .and_then(|c| c.attribute("to"));
        let Some(target) = target else {
            self.error(
                line,
                format!("this line's {end} is not connected to a node"),
                "in Dia, drag the line's end onto a connection point of a node (QPress cannot simulate a model with a loose edge)",
            );
            return None;
        };
        if let Some(label) = labels.get(target) {
            return Some(label.clone());
        }
        let kind = others.get(target).copied().unwrap_or("no object");
        self.error(
            line,
            format!("this line's {end} is connected to {target} ('{kind}'), which QPress's model.dia does not read as a node"),
            "draw nodes as Flowchart Ellipse, Box or Terminal shapes",
        );
        None
    }

    /// The effect an arrow end gives, `None` for no arrow; an error for a style QPress refuses.
    fn arrow(&mut self, line: Node<'_, '_>, attribute: &str) -> Result<Option<Arrow>, ()> {
        let style: ArrowStyle<'_> = enum_value(line, attribute);
        match style {
            None | Some("0") => Ok(None),
            Some("1" | "2" | "3" | "12" | "22" | "23") => Ok(Some(Arrow::Raises)),
            Some("8" | "9") => Ok(Some(Arrow::Lowers)),
            Some("4" | "5") => Ok(Some(Arrow::Unknown)),
            Some(other) => {
                let end = attribute.trim_end_matches("_arrow");
                let at = enum_node(line, attribute).unwrap_or(line);
                self.error(
                    at,
                    format!("arrow style {other} at the line's {end} is not one QPress reads"),
                    ARROW_HELP,
                );
                Err(())
            }
        }
    }

    /// QPress groups nodes by fill colour (for its plots); the scenario has no place for that.
    fn note_colours(&mut self, objects: &[Node<'_, '_>]) {
        let colours: BTreeSet<&str> = objects
            .iter()
            .filter(|o| NODE_TYPES.contains(&o.attribute("type").unwrap_or("")))
            .filter_map(|o| attribute_child(*o, "inner_color"))
            .filter_map(|c| c.attribute("val"))
            .collect();
        if colours.len() > 1 {
            self.builder.note(format!(
                "node fill colours ({} of them; QPress's node groups for plots) are not carried over",
                colours.len()
            ));
        }
    }
}

/// The `<dia:connection>` elements of an object.
fn connections<'a, 'i>(object: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    object
        .children()
        .filter(|c| c.tag_name().name() == "connections")
        .flat_map(|c| c.children())
        .filter(|c| c.tag_name().name() == "connection")
}

/// The `<dia:attribute name="NAME">` child of an object's, first element inside it.
fn attribute_child<'a, 'i>(object: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    object
        .children()
        .find(|c| c.tag_name().name() == "attribute" && c.attribute("name") == Some(name))?
        .children()
        .find(Node::is_element)
}

fn enum_node<'a, 'i>(object: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    attribute_child(object, name).filter(|e| e.tag_name().name() == "enum")
}

/// The `val` of an object's `<dia:attribute name="NAME"><dia:enum val="..."/>`.
fn enum_value<'a>(object: Node<'a, '_>, name: &str) -> Option<&'a str> {
    enum_node(object, name)?.attribute("val")
}

/// A node's name as `model.dia` makes it: the text of every string in its `text` attribute,
/// commas and line breaks as spaces, Dia's `#...#` string quotes removed, joined by spaces;
/// an empty one is `Dia:ID`.
fn node_label(object: Node<'_, '_>) -> String {
    let strings: Vec<String> = object
        .children()
        .filter(|c| c.tag_name().name() == "attribute" && c.attribute("name") == Some("text"))
        .flat_map(|c| c.descendants())
        .filter(|d| d.tag_name().name() == "string")
        .map(|s| {
            let text: String = s.children().filter_map(|t| t.text()).collect();
            let spaced = text.replace([',', '\n'], " ");
            match spaced.strip_prefix('#').and_then(|t| t.strip_suffix('#')) {
                Some(inner) => inner.to_string(),
                None => spaced,
            }
        })
        .collect();
    let label = strings.join(" ");
    if label.is_empty() {
        format!("Dia:{}", object.attribute("id").unwrap_or(""))
    } else {
        label
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagram(objects: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<dia:diagram xmlns:dia="http://www.lysator.liu.se/~alla/dia/"><dia:layer name="Background">
{objects}
</dia:layer></dia:diagram>"#
        )
    }

    fn node(id: &str, name: &str) -> String {
        format!(
            r#"<dia:object type="Flowchart - Ellipse" id="{id}"><dia:attribute name="text"><dia:composite type="text"><dia:attribute name="string"><dia:string>#{name}#</dia:string></dia:attribute></dia:composite></dia:attribute></dia:object>"#
        )
    }

    fn line(id: &str, from: &str, to: &str, start: &str, end: &str, style: &str) -> String {
        let enumerated = |name: &str, val: &str| {
            if val.is_empty() {
                String::new()
            } else {
                format!(r#"<dia:attribute name="{name}"><dia:enum val="{val}"/></dia:attribute>"#)
            }
        };
        format!(
            r#"<dia:object type="Standard - Line" id="{id}">{}{}{}<dia:connections><dia:connection handle="0" to="{from}"/><dia:connection handle="1" to="{to}"/></dia:connections></dia:object>"#,
            enumerated("start_arrow", start),
            enumerated("end_arrow", end),
            enumerated("line_style", style),
        )
    }

    fn read(text: &str) -> Result<Network, Error> {
        import(Path::new("t.dia"), text.as_bytes(), &Limits::default())
    }

    #[test]
    fn arrow_styles_and_line_styles_become_links() {
        let text = diagram(
            &[
                node("O0", "Prey"),
                node("O1", "Pred,ator"),
                node("O2", ""),
                line("O3", "O0", "O1", "8", "1", ""),
                line("O4", "O1", "O2", "", "5", "1"),
                line("O5", "O2", "O0", "22", "9", "4"),
                line("O6", "O0", "O0", "", "8", "0"),
            ]
            .concat(),
        );
        let network = read(&text).unwrap();
        assert_eq!(
            network.link_texts(),
            [
                "Prey -> Pred ator",
                "Pred ator -| Prey",
                "Pred ator -? Dia:O2",
                "Dia:O2 -| Prey",
                "Prey -> Dia:O2",
                "Prey -| Prey",
            ]
        );
        let presence: Vec<Option<f64>> = network.links.iter().map(|l| l.present).collect();
        assert_eq!(
            presence,
            [None, None, Some(0.5), Some(0.5), Some(0.5), None]
        );
        assert_eq!(network.links[2].group, None, "a single edge has no pair");
        assert_eq!(network.links[3].group.as_deref(), Some("dia line O5"));
        assert_eq!(network.links[4].group, network.links[3].group);
    }

    #[test]
    fn gzipped_diagrams_read_the_same() {
        use flate2::{Compression, write::GzEncoder};
        use std::io::Write;
        let text = diagram(
            &[
                node("a", "A"),
                node("b", "B"),
                line("l", "a", "b", "", "1", ""),
            ]
            .concat(),
        );
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(text.as_bytes()).unwrap();
        let bytes = gz.finish().unwrap();
        assert!(looks_like(&bytes) && looks_like(text.as_bytes()));
        let network = import(Path::new("t.dia"), &bytes, &Limits::default()).unwrap();
        assert_eq!(network.link_texts(), ["A -> B"]);
        let small = Limits {
            max_bytes: 100,
            ..Limits::default()
        };
        let refused = import(Path::new("t.dia"), &bytes, &small).unwrap_err();
        assert!(
            refused.to_string().contains("unpacked diagram is larger"),
            "{refused}"
        );
        let damaged = import(
            Path::new("t.dia"),
            &bytes[..bytes.len() / 2],
            &Limits::default(),
        );
        assert!(damaged.unwrap_err().to_string().contains("does not unpack"));
    }

    #[test]
    fn what_qpress_cannot_simulate_is_an_error_with_its_place() {
        let text = diagram(
            &[
                node("a", "A"),
                node("b", "B"),
                line("l1", "a", "b", "", "7", ""),
                line("l2", "a", "zz", "", "1", ""),
            ]
            .join("\n"),
        );
        let message = read(&text).unwrap_err().to_string();
        assert!(message.contains("t.dia:5:"), "{message}");
        assert!(message.contains("t.dia:6:1"), "{message}");
        assert!(
            message.contains("arrow style 7 at the line's end"),
            "{message}"
        );
        assert!(
            message.contains("connected to zz ('no object')"),
            "{message}"
        );
    }

    #[test]
    fn lines_qpress_ignores_are_noted() {
        let polyline = r#"<dia:object type="Standard - PolyLine" id="p"><dia:connections><dia:connection handle="0" to="a"/><dia:connection handle="1" to="b"/></dia:connections></dia:object>"#;
        let text = diagram(
            &[
                node("a", "A"),
                node("b", "B"),
                line("l", "a", "b", "", "", ""),
                line("m", "b", "a", "", "1", ""),
                polyline.to_string(),
            ]
            .concat(),
        );
        let network = read(&text).unwrap();
        assert_eq!(network.link_texts(), ["B -> A"]);
        assert!(network.notes.iter().any(|n| n.contains("zero edge")));
        assert!(
            network
                .notes
                .iter()
                .any(|n| n.contains("1 'Standard - PolyLine' object(s) (p)"))
        );
    }
}
