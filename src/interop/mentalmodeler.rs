//! Mental Modeler projects (.mmp): fuzzy cognitive maps of concepts and weighted relationships.
//! The web app saves JSON; the desktop app (root `<mentalModeler>`) and the Mental Modeler
//! suite (`<mentalmodeler>`) save the same structure as XML. All three are read.
//!
//! Each concept lists its outgoing relationships; a relationship's `id` is its target concept's
//! id and its `influence` a number from -1 to 1, or in desktop files one of `H+ M+ L+ L- M- H-`,
//! which the desktop app itself reads as 1, 0.62, 0.25 and their negatives (`CMapConstants.as`
//! of mentalmodeler-as3). The sign gives the arrow and the magnitude a fixed link weight; an
//! influence of 0, or one left undefined, is no link. Scenarios that clamp concepts to non-zero
//! values become interventions pressing those concepts by those values. Concept notes and units
//! become comments; confidence ratings, groups and positions are not carried over.

use super::network::{NetIntervention, NetLink, NetworkBuilder};
use super::{Network, finite, invalid, xml_syntax_error};
use crate::diagnostic::{Diagnostic, Pos, SourceMap};
use crate::error::Error;
use crate::scenario::links::Arrow;
use roxmltree::{Document, Node};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

/// A project as either file form holds it.
#[derive(Debug, Default)]
struct Project {
    title: String,
    concepts: Vec<Concept>,
    scenarios: Vec<Scenario>,
}

#[derive(Debug)]
struct Concept {
    id: String,
    name: String,
    notes: String,
    units: String,
    relationships: Vec<Relationship>,
    at: Place,
}

#[derive(Debug)]
struct Relationship {
    target: String,
    influence: String,
    notes: String,
    confidence: String,
    target_at: Place,
    influence_at: Place,
}

#[derive(Debug)]
struct Scenario {
    name: String,
    /// (concept id, selected, clamped value)
    clamps: Vec<(String, String, String)>,
}

/// Where a value sits, for messages: a byte offset (XML), or a JSON key and the value it has.
#[derive(Debug, Clone)]
enum Place {
    Offset(usize),
    Json(&'static str, String),
}

/// Reads a Mental Modeler project, JSON or XML.
pub fn import(path: &Path, text: &str) -> Result<Network, Error> {
    let project = if text.trim_start().starts_with('<') {
        from_xml(path, text)?
    } else {
        from_json(path, text)?
    };
    Builder {
        builder: NetworkBuilder::new(),
        source: SourceMap::new(text),
        text,
        problems: Vec::new(),
    }
    .build(path, project)
}

// ---- JSON ------------------------------------------------------------------------------------

/// Mental Modeler writes numbers and ids as strings, but numbers and booleans also occur.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Number(f64),
    Flag(bool),
}

impl Scalar {
    fn text(value: &Option<Scalar>) -> String {
        match value {
            Some(Scalar::Text(s)) => s.trim().to_string(),
            Some(Scalar::Number(n)) => n.to_string(),
            Some(Scalar::Flag(b)) => b.to_string(),
            None => String::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct JsonProject {
    #[serde(default)]
    info: Option<JsonInfo>,
    concepts: Vec<JsonConcept>,
    #[serde(default)]
    scenarios: Vec<JsonScenario>,
}

#[derive(Debug, Deserialize)]
struct JsonInfo {
    #[serde(default)]
    name: Option<Scalar>,
}

#[derive(Debug, Deserialize)]
struct JsonConcept {
    id: Option<Scalar>,
    #[serde(default)]
    name: Option<Scalar>,
    #[serde(default)]
    notes: Option<Scalar>,
    #[serde(default)]
    units: Option<Scalar>,
    #[serde(default)]
    relationships: Vec<JsonRelationship>,
}

#[derive(Debug, Deserialize)]
struct JsonRelationship {
    id: Option<Scalar>,
    #[serde(default)]
    influence: Option<Scalar>,
    #[serde(default)]
    notes: Option<Scalar>,
    #[serde(default)]
    confidence: Option<Scalar>,
}

#[derive(Debug, Deserialize)]
struct JsonScenario {
    #[serde(default)]
    name: Option<Scalar>,
    #[serde(default)]
    concepts: Vec<JsonClamp>,
}

#[derive(Debug, Deserialize)]
struct JsonClamp {
    id: Option<Scalar>,
    #[serde(default)]
    selected: Option<Scalar>,
    #[serde(default)]
    influence: Option<Scalar>,
}

fn from_json(path: &Path, text: &str) -> Result<Project, Error> {
    let raw: JsonProject = serde_json::from_str(text).map_err(|e| {
        let help = if e.to_string().contains("missing field `concepts`") {
            "a Mental Modeler project has a \"concepts\" array of {id, name, relationships}"
        } else {
            "fix the JSON here (strings in double quotes, commas between items, no trailing comma)"
        };
        let problem = Diagnostic::at(
            Pos::new(e.line(), e.column().max(1), 1),
            format!("JSON: {}", json_message(&e)),
        )
        .help(help);
        invalid(path, text, vec![problem])
    })?;
    let concepts = raw
        .concepts
        .into_iter()
        .map(|c| {
            let id = Scalar::text(&c.id);
            Concept {
                at: Place::Json("id", id.clone()),
                id,
                name: Scalar::text(&c.name),
                notes: Scalar::text(&c.notes),
                units: Scalar::text(&c.units),
                relationships: c
                    .relationships
                    .into_iter()
                    .map(|r| {
                        let (target, influence) = (Scalar::text(&r.id), Scalar::text(&r.influence));
                        Relationship {
                            target_at: Place::Json("id", target.clone()),
                            influence_at: Place::Json("influence", influence.clone()),
                            target,
                            influence,
                            notes: Scalar::text(&r.notes),
                            confidence: Scalar::text(&r.confidence),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let scenarios = raw
        .scenarios
        .into_iter()
        .map(|s| Scenario {
            name: Scalar::text(&s.name),
            clamps: s
                .concepts
                .iter()
                .map(|c| {
                    (
                        Scalar::text(&c.id),
                        Scalar::text(&c.selected),
                        Scalar::text(&c.influence),
                    )
                })
                .collect(),
        })
        .collect();
    Ok(Project {
        title: raw.info.map(|i| Scalar::text(&i.name)).unwrap_or_default(),
        concepts,
        scenarios,
    })
}

/// serde_json's message without its " at line L column C" (the diagnostic shows the place).
fn json_message(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rsplit_once(" at line ") {
        Some((text, _)) => text.to_string(),
        None => message,
    }
}

/// The byte range of `"key": value` in JSON text, found by the value as written.
fn find_json_value(text: &str, key: &str, value: &str) -> Option<(usize, usize)> {
    let quoted_key = format!("\"{key}\"");
    for (at, _) in text.match_indices(&quoted_key) {
        let rest = text[at + quoted_key.len()..].trim_start();
        let Some(after_colon) = rest.strip_prefix(':') else {
            continue;
        };
        let found = after_colon.trim_start();
        let offset = text.len() - found.len();
        for written in [format!("\"{value}\""), value.to_string()] {
            if !value.is_empty() && found.starts_with(&written) {
                return Some((offset, written.len()));
            }
        }
    }
    None
}

// ---- XML -------------------------------------------------------------------------------------

fn from_xml(path: &Path, text: &str) -> Result<Project, Error> {
    let document = Document::parse(text).map_err(|e| xml_syntax_error(path, text, &e))?;
    let root = document.root_element();
    if !root.tag_name().name().eq_ignore_ascii_case("mentalmodeler") {
        let problem = Diagnostic::at(
            SourceMap::new(text).pos(root.range().start, 1),
            format!(
                "the root element is <{}>, not <mentalmodeler>",
                root.tag_name().name()
            ),
        )
        .help("a Mental Modeler XML project starts with <mentalmodeler>");
        return Err(invalid(path, text, vec![problem]));
    }
    let concepts = elements(root, "concepts", "concept")
        .map(|c| Concept {
            id: field(c, "id"),
            name: field(c, "name"),
            notes: field(c, "notes"),
            units: field(c, "units"),
            relationships: elements(c, "relationships", "relationship")
                .map(|r| Relationship {
                    target: field(r, "id"),
                    influence: field(r, "influence"),
                    notes: field(r, "notes"),
                    confidence: field(r, "confidence"),
                    target_at: place_of(r, "id"),
                    influence_at: place_of(r, "influence"),
                })
                .collect(),
            at: place_of(c, "id"),
        })
        .collect();
    let scenarios = elements(root, "scenarios", "scenario")
        .map(|s| Scenario {
            name: field(s, "name"),
            clamps: elements(s, "concepts", "concept")
                .map(|c| (field(c, "id"), field(c, "selected"), field(c, "influence")))
                .collect(),
        })
        .collect();
    Ok(Project {
        title: child(root, "info")
            .map(|i| field(i, "name"))
            .unwrap_or_default(),
        concepts,
        scenarios,
    })
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// The `item` elements inside the `list` child of `node`.
fn elements<'a, 'i>(
    node: Node<'a, 'i>,
    list: &str,
    item: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    child(node, list)
        .into_iter()
        .flat_map(|l| l.children())
        .filter(move |c| c.is_element() && c.tag_name().name() == item)
}

/// The trimmed text (CDATA included) of a child element.
fn field(node: Node<'_, '_>, name: &str) -> String {
    child(node, name)
        .map(|c| {
            c.children()
                .filter_map(|t| t.text())
                .collect::<String>()
                .trim()
                .to_string()
        })
        .unwrap_or_default()
}

fn place_of(node: Node<'_, '_>, name: &str) -> Place {
    Place::Offset(child(node, name).unwrap_or(node).range().start)
}

/// A desktop influence level (`H+`, `m-`, ...) as the desktop app's number for it.
fn desktop_level(text: &str) -> Option<f64> {
    let mut chars = text.chars();
    let (level, sign, rest) = (chars.next()?, chars.next()?, chars.next());
    let magnitude = match level.to_ascii_uppercase() {
        'H' => 1.0,
        'M' => 0.62,
        'L' => 0.25,
        _ => return None,
    };
    match (sign, rest) {
        ('+', None) => Some(magnitude),
        ('-', None) => Some(-magnitude),
        _ => None,
    }
}

// ---- building the network ---------------------------------------------------------------------

struct Builder<'a> {
    builder: NetworkBuilder,
    source: SourceMap,
    text: &'a str,
    problems: Vec<Diagnostic>,
}

impl Builder<'_> {
    fn error(&mut self, place: &Place, message: String, help: &str) {
        let at = match place {
            Place::Offset(offset) => {
                let width = self.text[*offset..].find('>').map_or(1, |w| w + 1);
                Some(self.source.pos(*offset, width))
            }
            Place::Json(key, value) => find_json_value(self.text, key, value)
                .map(|(offset, width)| self.source.pos(offset, width)),
        };
        let problem = match at {
            Some(pos) => Diagnostic::at(pos, message),
            None => Diagnostic::whole_file(message),
        };
        self.problems.push(problem.help(help));
    }

    fn build(mut self, path: &Path, project: Project) -> Result<Network, Error> {
        self.builder.title(&project.title);
        let nodes = self.concepts(&project.concepts);
        for concept in &project.concepts {
            if let Some(&source) = nodes.get(&concept.id) {
                for relationship in &concept.relationships {
                    self.relationship(&nodes, source, relationship);
                }
            }
        }
        if self.problems.is_empty() && !self.builder.has_links() {
            self.problems.push(
                Diagnostic::whole_file(
                    "the project has no relationships with a non-zero influence",
                )
                .help("draw relationships between concepts in Mental Modeler, then save again"),
            );
        }
        if !self.problems.is_empty() {
            return Err(invalid(path, self.text, self.problems));
        }
        self.scenarios(&nodes, &project.scenarios);
        self.builder.note(
            "influences are fixed link weights (their magnitude): in press only the nodes' self-limitation terms (drawn like the default weight) vary between samples; give [[link]] weights a range to explore uncertainty, or set [simulation] weight = 1 to fix the self-limitation too",
        );
        Ok(self.builder.finish())
    }

    fn concepts(&mut self, concepts: &[Concept]) -> HashMap<String, usize> {
        let mut nodes = HashMap::new();
        for concept in concepts {
            if concept.id.is_empty() {
                self.error(
                    &concept.at,
                    format!("concept '{}' has no id", concept.name),
                    "every concept needs an id that relationships refer to",
                );
                continue;
            }
            if nodes.contains_key(&concept.id) {
                self.error(
                    &concept.at,
                    format!("two concepts have the id '{}'", concept.id),
                    "give every concept its own id",
                );
                continue;
            }
            let name = if concept.name.trim().is_empty() {
                self.builder.note(format!(
                    "concept {} has no name and is called 'concept {}'",
                    concept.id, concept.id
                ));
                format!("concept {}", concept.id)
            } else {
                concept.name.clone()
            };
            let node = self.builder.new_node(&name);
            let mut comment = vec![concept.notes.clone()];
            if !concept.units.is_empty() {
                comment.push(format!("units: {}", concept.units));
            }
            comment.retain(|c| !c.is_empty());
            if !comment.is_empty() {
                self.builder.node_mut(node).comment = Some(comment.join("; "));
            }
            nodes.insert(concept.id.clone(), node);
        }
        nodes
    }

    fn relationship(&mut self, nodes: &HashMap<String, usize>, source: usize, r: &Relationship) {
        let Some(&target) = nodes.get(&r.target) else {
            let from = self.builder.node_name(source).to_string();
            self.error(
                &r.target_at,
                format!(
                    "a relationship from '{from}' points to concept id '{}', which no concept has",
                    r.target
                ),
                "a relationship's id is the id of the concept it acts on",
            );
            return;
        };
        let origin = format!(
            "relationship '{}' -> '{}'",
            self.builder.node_name(source),
            self.builder.node_name(target)
        );
        let influence = match self.influence(&r.influence) {
            Ok(Some(v)) => v,
            Ok(None) => {
                let note = format!(
                    "{origin} has no influence set ('{}') and was left out",
                    r.influence
                );
                self.builder.note(note);
                return;
            }
            Err(()) => {
                self.error(&r.influence_at, format!("influence '{}' is not a number from -1 to 1 or one of H+, M+, L+, L-, M-, H-", r.influence), "Mental Modeler influences run from -1 (strongly lowers) to 1 (strongly raises); the desktop app writes them as H+ (1), M+ (0.62), L+ (0.25) and their negatives");
                return;
            }
        };
        if influence == 0.0 {
            self.builder
                .note(format!("{origin} has influence 0 and was left out"));
            return;
        }
        if finite(&r.confidence).is_some_and(|c| c != 0.0) {
            self.builder.note("confidence ratings are not carried over");
        }
        let arrow = if influence > 0.0 {
            Arrow::Raises
        } else {
            Arrow::Lowers
        };
        let mut link = NetLink::simple(source, target, arrow);
        link.weight = Some(influence.abs());
        link.comment = (!r.notes.is_empty()).then(|| r.notes.clone());
        self.builder.add_link(link, &origin);
    }

    /// An influence as a number: from -1 to 1, or a desktop level (`H+` ... `H-`); `None` when it
    /// is left undefined. A desktop level's reading is noted once.
    fn influence(&mut self, text: &str) -> Result<Option<f64>, ()> {
        // The desktop app's writer could leave a '>' after the CDATA section (`]]>>`).
        let text = match text.trim().strip_suffix('>') {
            Some(value) => {
                self.builder.note(format!("influence '{text}' read as '{value}': the desktop app wrote a stray '>' after some values"));
                value
            }
            None => text.trim(),
        };
        if text.is_empty()
            || ["undefined", "null"]
                .iter()
                .any(|u| text.eq_ignore_ascii_case(u))
        {
            return Ok(None);
        }
        if let Some(level) = desktop_level(text) {
            self.builder.note(
                "desktop influence levels are read as Mental Modeler's own values: H+ 1, M+ 0.62, L+ 0.25, and the same negative for H-, M-, L-",
            );
            return Ok(Some(level));
        }
        match finite(text) {
            Some(v) if (-1.0..=1.0).contains(&v) => Ok(Some(v)),
            _ => Err(()),
        }
    }

    fn scenarios(&mut self, nodes: &HashMap<String, usize>, scenarios: &[Scenario]) {
        for (k, scenario) in scenarios.iter().enumerate() {
            let mut press: Vec<(usize, f64)> = Vec::new();
            for (id, selected, value) in &scenario.clamps {
                let unselected = ["false", "0"]
                    .iter()
                    .any(|f| selected.eq_ignore_ascii_case(f));
                let (Some(&node), false) = (nodes.get(id), unselected) else {
                    continue;
                };
                if let Ok(Some(level)) = self.influence(value) {
                    press.push((node, level));
                }
            }
            press.retain(|&(_, value)| value != 0.0);
            let name = if scenario.name.is_empty() {
                format!("scenario {}", k + 1)
            } else {
                scenario.name.clone()
            };
            if press.is_empty() {
                self.builder.note(format!(
                    "scenario '{name}' clamps no concept to a non-zero value and was left out"
                ));
                continue;
            }
            self.builder
                .add_intervention(NetIntervention { name, press });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_values_are_found_for_messages() {
        let text = "{\"concepts\": [{\"id\": \"1\", \"relationships\": [{\"id\": \"9\", \"influence\": 2}]}]}";
        let (offset, width) = find_json_value(text, "influence", "2").unwrap();
        assert_eq!(&text[offset..offset + width], "2");
        let (offset, width) = find_json_value(text, "id", "9").unwrap();
        assert_eq!(&text[offset..offset + width], "\"9\"");
        assert_eq!(find_json_value(text, "id", "7"), None);
    }

    #[test]
    fn influences_become_signed_weights() {
        let text = r#"{"concepts": [
            {"id": "1", "name": "Rain", "relationships": [{"id": "2", "influence": "0.6"}, {"id": "1", "influence": -0.3}]},
            {"id": "2", "name": "Fish, wild", "notes": "counted\nyearly", "relationships": [{"id": "1", "influence": "0"}]}
        ], "scenarios": [{"name": "wet year", "concepts": [{"id": "1", "selected": "true", "influence": "1"}]}]}"#;
        let network = import(Path::new("m.mmp"), text).unwrap();
        assert_eq!(network.link_texts(), ["Rain -> Fish wild", "Rain -| Rain"]);
        assert_eq!(network.links[0].weight, Some(0.6));
        assert_eq!(network.links[1].weight, Some(0.3));
        assert_eq!(network.interventions[0].press, [(0, 1.0)]);
        assert!(network.notes.iter().any(|n| n.contains("influence 0")));
    }

    #[test]
    fn desktop_levels_are_the_desktop_apps_numbers() {
        let levels = ["H+", "M+", "L+", "l-", "M-", "H-"].map(desktop_level);
        let expected = [1.0, 0.62, 0.25, -0.25, -0.62, -1.0].map(Some);
        assert_eq!(levels, expected);
        assert_eq!(desktop_level("H"), None);
        assert_eq!(desktop_level("X+"), None);
        assert_eq!(desktop_level("H+1"), None);
    }

    #[test]
    fn desktop_xml_reads_levels_case_and_the_stray_bracket() {
        let text = r#"<?xml version="1.0"?><mentalModeler><concepts>
<concept><id>1</id><name>Fish</name><relationships>
  <relationship><id>2</id><influence><![CDATA[0.95]]>></influence></relationship>
  <relationship><id>3</id><influence><![CDATA[M-]]></influence></relationship>
  <relationship><id>1</id><influence></influence></relationship>
</relationships></concept>
<concept><id>2</id><name>Jobs</name></concept><concept><id>3</id><name>Waste</name></concept>
</concepts><scenarios><scenario><name>die-off</name><concepts>
<concept><selected>True</selected><id>1</id><influence>H-</influence></concept>
<concept><selected>False</selected><id>2</id><influence>H+</influence></concept>
</concepts></scenario></scenarios></mentalModeler>"#;
        let network = import(Path::new("m.mmp"), text).unwrap();
        assert_eq!(network.link_texts(), ["Fish -> Jobs", "Fish -| Waste"]);
        assert_eq!(network.links[0].weight, Some(0.95));
        assert_eq!(network.links[1].weight, Some(0.62));
        assert_eq!(network.interventions[0].press, [(0, -1.0)]);
        let notes = network.notes.join("\n");
        assert!(notes.contains("stray '>'"), "{notes}");
        assert!(notes.contains("no influence set"), "{notes}");
        assert!(notes.contains("H+ 1, M+ 0.62, L+ 0.25"), "{notes}");
    }
}
