//! SBML Level 3 with the qual package: the exchange format of logical models (GINsim,
//! CellCollective, BoolNet, CellNOpt).
//!
//! Qualitative species become nodes (named by `qual:name` when it is unique, else `qual:id`).
//! Each transition's function terms say when its output is on; claimsim reads them as a Boolean
//! expression over the inputs (`and`, `or`, `xor`, `not`, `implies` of comparisons such as
//! `A >= 1` or `B < 1`, thresholds given as numbers or as input `thresholdLevel`s), rewrites it
//! as an OR of ANDs, and makes each AND a link: one input is a plain link, several a gate, a
//! term `not(A and B)` a gate that lowers its target. Several terms, or several transitions, for
//! one output are ORed, which is how claimsim's links combine. An input that no function term
//! mentions becomes a link with the sign its `qual:sign` gives (`-?` for dual or unknown) when
//! the transition has no function terms; otherwise only a sign of "unknown" keeps it (as `-?`).
//! Functions are first reduced to the species they depend on (see `reduce`).
//! Levels above 1 are read as on/off.
//!
//! Writing goes the other way: one transition per target, one function term ORing its links.
//! The XML is read with roxmltree and written with escaped attribute values.

mod logic;
mod reduce;
#[cfg(test)]
mod round_trip;
mod write;

use logic::*;
use reduce::*;
pub use write::export;

use super::network::{NetLink, NetworkBuilder};
use super::{Exported, Keeps, Network, finite, invalid, lost_settings, xml_syntax_error};
use crate::diagnostic::{Diagnostic, Pos, SourceMap, did_you_mean};
use crate::error::Error;
use crate::scenario::Scenario;
use crate::scenario::links::Arrow;
use roxmltree::{Document, Node};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::path::Path;

const QUAL_NS: &str = "http://www.sbml.org/sbml/level3/version1/qual/version1";
const CORE_NS: &str = "http://www.sbml.org/sbml/level3/version1/core";
const MATHML_NS: &str = "http://www.w3.org/1998/Math/MathML";

/// A rewrite into OR-of-AND form that would give more terms than this is refused: such a
/// function is not a set of links anyone could read.
const MAX_TERMS: usize = 256;

/// Function terms nested deeper than this are refused before they are read: every step of
/// reading and rewriting an expression follows its nesting, and 20,000 levels overflowed the
/// stack. Real models nest a handful of levels.
const MAX_DEPTH: usize = 64;

/// A Boolean expression over species (by index into the species list).
#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Const(bool),
    /// A species on (`true`) or off.
    Lit(usize, bool),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Xor(Vec<Expr>),
}

/// An AND of species literals: (species, on).
type Conj = Vec<(usize, bool)>;

/// One qualitative species.
struct Species<'a> {
    id: &'a str,
    node: usize,
}

/// One transition input.
struct Input<'a> {
    species: usize,
    id: Option<&'a str>,
    sign: Option<&'a str>,
    threshold: Option<f64>,
}

/// Reads an SBML qual file.
pub fn import(path: &Path, text: &str) -> Result<Network, Error> {
    let document = Document::parse(text).map_err(|e| xml_syntax_error(path, text, &e))?;
    let mut reader = Reader::new(text);
    reader.document(&document);
    if reader.problems.is_empty() && !reader.builder.has_links() {
        reader.problems.push(
            Diagnostic::whole_file("the model has no transitions that link its species")
                .help("add qual:transition elements with qual:listOfInputs and qual:listOfOutputs"),
        );
    }
    if !reader.problems.is_empty() {
        return Err(invalid(path, text, reader.problems));
    }
    Ok(reader.builder.finish())
}

struct Reader<'a> {
    source: SourceMap,
    text: &'a str,
    builder: NetworkBuilder,
    species: Vec<Species<'a>>,
    /// Index into `species` by id: a scan per reference made 20k transitions take seconds.
    species_by_id: HashMap<&'a str, usize>,
    problems: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader {
            source: SourceMap::new(text),
            text,
            builder: NetworkBuilder::new(),
            species: Vec::new(),
            species_by_id: HashMap::new(),
            problems: Vec::new(),
        }
    }

    /// The position of an element's start tag, underlining `<prefix:name`.
    fn at(&self, node: Node<'_, '_>) -> Pos {
        let start = node.range().start;
        let tag = self.text[start..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(1);
        self.source.pos(start, tag.max(1))
    }

    fn error(&mut self, node: Node<'_, '_>, message: impl Into<String>, help: impl Into<String>) {
        let problem = Diagnostic::at(self.at(node), message).help(help);
        self.problems.push(problem);
    }

    fn document(&mut self, document: &'a Document<'a>) {
        let root = document.root_element();
        if root.tag_name().name() != "sbml" {
            let name = root.tag_name().name().to_string();
            self.error(
                root,
                format!("the root element is <{name}>, not <sbml>"),
                "claimsim reads SBML Level 3 files that use the qual package",
            );
            return;
        }
        let Some(model) = child(root, "model") else {
            self.error(
                root,
                "the SBML file has no <model>",
                "put the qual lists inside <model>",
            );
            return;
        };
        if let Some(title) = model.attribute("name").or(model.attribute("id")) {
            self.builder.title(title);
        }
        let Some(list) = child(model, "listOfQualitativeSpecies") else {
            self.error(
                model,
                "the model has no qual:listOfQualitativeSpecies",
                "claimsim reads logical models written with the SBML qual package (exported by GINsim, CellCollective, BoolNet); a reaction-based SBML model has no signed links to read",
            );
            return;
        };
        self.species_list(list);
        if !self.problems.is_empty() {
            return;
        }
        for transition in child(model, "listOfTransitions")
            .into_iter()
            .flat_map(|l| children(l, "transition"))
        {
            self.transition(transition);
        }
    }

    fn species_list(&mut self, list: Node<'a, 'a>) {
        let mut found: Vec<(Node<'a, 'a>, &'a str, Option<&'a str>)> = Vec::new();
        let mut ids = HashSet::new();
        for species in children(list, "qualitativeSpecies") {
            let Some(id) = qual_attribute(species, "id") else {
                self.error(
                    species,
                    "a qualitative species without qual:id",
                    "give every species a unique qual:id",
                );
                continue;
            };
            if !ids.insert(id) {
                self.error(
                    species,
                    format!("two species have the id '{id}'"),
                    "give every species a unique qual:id",
                );
                continue;
            }
            if qual_attribute(species, "maxLevel")
                .and_then(finite)
                .is_some_and(|m| m > 1.0)
            {
                self.builder.note("multi-valued species are read as on/off (a level at or above the threshold is on)");
            }
            let name = qual_attribute(species, "name").filter(|n| !n.trim().is_empty());
            found.push((species, id, name));
        }
        // A name shows only when no other species has it as its name or id; ids are unique.
        let mut name_count: HashMap<&str, usize> = HashMap::new();
        for name in found.iter().filter_map(|f| f.2) {
            *name_count.entry(name).or_default() += 1;
        }
        for &(_, id, name) in &found {
            let clear = |n: &str| name_count[n] == 1 && (n == id || !ids.contains(n));
            let shown = name.filter(|n| clear(n)).unwrap_or(id);
            let node = self.builder.new_node(shown);
            self.species_by_id.insert(id, self.species.len());
            self.species.push(Species { id, node });
        }
    }

    fn species_index(&mut self, node: Node<'_, '_>, attribute: &str) -> Option<usize> {
        let Some(id) = qual_attribute(node, attribute) else {
            self.error(
                node,
                format!("missing qual:{attribute}"),
                "name the species this element refers to",
            );
            return None;
        };
        let found = self.species_by_id.get(id).copied();
        if found.is_none() {
            let help = match did_you_mean(id, self.species.iter().map(|s| s.id)) {
                Some(close) => format!(
                    "did you mean '{close}'? it must be the qual:id of a qualitative species"
                ),
                None => "it must be the qual:id of a species in qual:listOfQualitativeSpecies"
                    .to_string(),
            };
            self.error(node, format!("unknown species '{id}'"), help);
        }
        found
    }

    fn transition(&mut self, transition: Node<'a, 'a>) {
        let name = qual_attribute(transition, "id").unwrap_or("without id");
        let origin = format!("transition '{name}'");
        let inputs = self.inputs(transition);
        let outputs = self.outputs(transition, &origin);
        if outputs.is_empty() {
            self.error(
                transition,
                format!("{origin} has no output"),
                "add a qual:listOfOutputs with the species it sets",
            );
            return;
        }
        let Some(links) = self.function_links(transition, &inputs, &origin) else {
            return;
        };
        for output in outputs {
            let target = self.species[output].node;
            for (conj, arrow) in &links {
                let inputs = conj
                    .iter()
                    .map(|&(s, on)| (self.species[s].node, !on))
                    .collect();
                self.builder
                    .add_link(NetLink::new(inputs, target, *arrow), &origin);
            }
        }
    }

    fn inputs(&mut self, transition: Node<'a, 'a>) -> Vec<Input<'a>> {
        child(transition, "listOfInputs")
            .into_iter()
            .flat_map(|l| children(l, "input"))
            .filter_map(|input| {
                Some(Input {
                    species: self.species_index(input, "qualitativeSpecies")?,
                    id: qual_attribute(input, "id"),
                    sign: qual_attribute(input, "sign"),
                    threshold: qual_attribute(input, "thresholdLevel").and_then(finite),
                })
            })
            .collect()
    }

    fn outputs(&mut self, transition: Node<'a, 'a>, origin: &str) -> Vec<usize> {
        let mut outputs = Vec::new();
        for output in child(transition, "listOfOutputs")
            .into_iter()
            .flat_map(|l| children(l, "output"))
        {
            if let Some(effect) =
                qual_attribute(output, "transitionEffect").filter(|e| *e != "assignmentLevel")
            {
                self.builder.note(format!(
                    "{origin}: output effect '{effect}' is read as an assignment of the level"
                ));
            }
            if let Some(species) = self.species_index(output, "qualitativeSpecies") {
                outputs.push(species);
            }
        }
        outputs
    }

    /// The links a transition's function terms and input signs give, as (AND of literals,
    /// arrow); `None` after reporting a problem.
    fn function_links(
        &mut self,
        transition: Node<'a, 'a>,
        inputs: &[Input<'a>],
        origin: &str,
    ) -> Option<Vec<(Conj, Arrow)>> {
        let Some(on) = self.on_condition(transition, inputs)? else {
            return Some(inputs.iter().map(signed_link).collect());
        };
        let on = self.reduced(on, inputs, origin);
        // How claimsim writes a `-?` link: an input of sign "unknown" that no term mentions.
        let mentioned = species_of(&on);
        let unknown = inputs
            .iter()
            .filter(|i| i.sign == Some("unknown") && !mentioned.contains(&i.species))
            .map(signed_link);
        let Some(found) = links_of(&on) else {
            self.error(
                transition,
                format!("{origin}: the function is too large to read as links (over {MAX_TERMS} AND terms)"),
                "simplify the function, or split the output into intermediate species",
            );
            return None;
        };
        if found.iter().any(|(conj, _)| conj.is_empty()) {
            self.builder.note(format!(
                "{origin}: its output is always on, which no link can carry"
            ));
        }
        let found = found.into_iter().filter(|(conj, _)| !conj.is_empty());
        Some(found.chain(unknown).collect())
    }

    /// The function without the species it does not depend on (listed inputs it never
    /// mentions, except those of sign "unknown", which stay `-?` links, and species whose
    /// value never changes it), which are named in a note.
    fn reduced(&mut self, on: Expr, inputs: &[Input<'a>], origin: &str) -> Expr {
        let mut unused: Vec<usize> = Vec::new();
        let mentioned = species_of(&on);
        for input in inputs.iter().filter(|i| i.sign != Some("unknown")) {
            if !mentioned.contains(&input.species) && !unused.contains(&input.species) {
                unused.push(input.species);
            }
        }
        let on = match ignored_species(&on) {
            Some(ignored) => {
                unused.extend(&ignored);
                without(&on, &ignored)
            }
            None => {
                self.builder.note(format!(
                    "{origin}: the function has more than {MAX_TABLE_SPECIES} species, so it is read as written, without checking for species it does not depend on"
                ));
                on
            }
        };
        if !unused.is_empty() {
            let names: Vec<&str> = unused.iter().map(|&s| self.species[s].id).collect();
            self.builder.note(format!(
                "{origin}: the function does not depend on {}, so no link is made for it",
                names.join(", ")
            ));
        }
        on
    }

    /// When the output is on, from the default term and the function terms; `Ok(None)` when the
    /// transition has no function terms; `None` after reporting a problem.
    fn on_condition(
        &mut self,
        transition: Node<'a, 'a>,
        inputs: &[Input<'a>],
    ) -> Option<Option<Expr>> {
        let Some(list) = child(transition, "listOfFunctionTerms") else {
            return Some(None);
        };
        let level = |node: Node<'_, '_>| {
            qual_attribute(node, "resultLevel")
                .and_then(finite)
                .unwrap_or(0.0)
        };
        let default_on = child(list, "defaultTerm").is_some_and(|d| level(d) >= 1.0);
        let mut conditions = Vec::new();
        for term in children(list, "functionTerm") {
            if level(term) > 1.0 {
                self.builder.note("multi-valued species are read as on/off (a level at or above the threshold is on)");
            }
            // Terms that give the default level change nothing.
            if (level(term) >= 1.0) == default_on {
                continue;
            }
            let Some(math) = child(term, "math") else {
                self.error(
                    term,
                    "a function term without <math>",
                    "put the condition in a MathML <math> element",
                );
                return None;
            };
            conditions.push(self.math(math, inputs)?);
        }
        if child(list, "functionTerm").is_none() {
            return Some(None);
        }
        let any = Expr::Or(conditions);
        Some(Some(if default_on {
            Expr::Not(Box::new(any))
        } else {
            any
        }))
    }

    fn math(&mut self, math: Node<'a, 'a>, inputs: &[Input<'a>]) -> Option<Expr> {
        let mut elements = math.children().filter(|c| c.is_element());
        match (elements.next(), elements.next()) {
            (Some(only), None) => self.expr(only, inputs, 0),
            _ => {
                self.error(
                    math,
                    "<math> must hold exactly one expression",
                    "write one <apply> (or <ci>, <true/>, <false/>) inside <math>",
                );
                None
            }
        }
    }

    fn expr(&mut self, node: Node<'a, 'a>, inputs: &[Input<'a>], depth: usize) -> Option<Expr> {
        if depth > MAX_DEPTH {
            self.error(
                node,
                format!("the function term nests deeper than {MAX_DEPTH} levels"),
                "write the function with fewer nested <apply> elements (claimsim reads at most 64 levels)",
            );
            return None;
        }
        match node.tag_name().name() {
            "apply" => self.apply(node, inputs, depth),
            "true" => Some(Expr::Const(true)),
            "false" => Some(Expr::Const(false)),
            "ci" => {
                let id = node.text().unwrap_or("").trim();
                match self.species_by_id.get(id).copied() {
                    Some(s) => Some(Expr::Lit(s, true)),
                    None => {
                        self.error(
                            node,
                            format!("unknown species '{id}' in a function term"),
                            "use the qual:id of a species",
                        );
                        None
                    }
                }
            }
            other => {
                self.error(
                    node,
                    format!("unsupported MathML element <{other}>"),
                    SUPPORTED,
                );
                None
            }
        }
    }

    fn apply(&mut self, apply: Node<'a, 'a>, inputs: &[Input<'a>], depth: usize) -> Option<Expr> {
        let mut elements = apply.children().filter(|c| c.is_element());
        let Some(operator) = elements.next() else {
            self.error(apply, "an empty <apply>", SUPPORTED);
            return None;
        };
        let args: Vec<Node<'a, 'a>> = elements.collect();
        let op = operator.tag_name().name();
        if matches!(op, "eq" | "neq" | "geq" | "gt" | "leq" | "lt") {
            return self.comparison(apply, op, &args, inputs);
        }
        let arity_ok = match op {
            "not" => args.len() == 1,
            "implies" => args.len() == 2,
            "and" | "or" | "xor" => !args.is_empty(),
            _ => {
                self.error(
                    operator,
                    format!("unsupported MathML operator <{op}>"),
                    SUPPORTED,
                );
                return None;
            }
        };
        if !arity_ok {
            self.error(
                apply,
                format!("<{op}> with {} arguments", args.len()),
                "<not> takes one argument, <implies> two, <and>/<or>/<xor> one or more",
            );
            return None;
        }
        let mut parts = Vec::new();
        for arg in args {
            parts.push(self.expr(arg, inputs, depth + 1)?);
        }
        Some(match op {
            "not" => Expr::Not(Box::new(parts.remove(0))),
            "implies" => {
                let consequence = parts.pop()?;
                Expr::Or(vec![Expr::Not(Box::new(parts.remove(0))), consequence])
            }
            "and" => Expr::And(parts),
            "or" => Expr::Or(parts),
            _ => Expr::Xor(parts),
        })
    }

    /// `species OP threshold` (either order), read as the species on or off.
    fn comparison(
        &mut self,
        apply: Node<'a, 'a>,
        op: &str,
        args: &[Node<'a, 'a>],
        inputs: &[Input<'a>],
    ) -> Option<Expr> {
        let species_of = |node: &Node<'_, '_>| {
            let id = node.text().unwrap_or("").trim();
            node.has_tag_name("ci")
                .then(|| self.species_by_id.get(id).copied())
                .flatten()
        };
        let (species, threshold, species_first) = match args {
            [a, b] => match (species_of(a), species_of(b)) {
                (Some(s), None) => (s, *b, true),
                (None, Some(s)) => (s, *a, false),
                _ => {
                    self.error(
                        apply,
                        format!("<{op}> must compare one species with a threshold"),
                        "write e.g. <apply><geq/><ci>A</ci><cn type=\"integer\">1</cn></apply>",
                    );
                    return None;
                }
            },
            _ => {
                self.error(
                    apply,
                    format!("<{op}> takes two arguments"),
                    "write e.g. <apply><geq/><ci>A</ci><cn type=\"integer\">1</cn></apply>",
                );
                return None;
            }
        };
        let value = threshold.text().unwrap_or("").trim();
        let level = if threshold.has_tag_name("cn") {
            finite(value)
        } else {
            inputs
                .iter()
                .find(|i| i.id == Some(value))
                .and_then(|i| i.threshold)
        };
        let Some(level) = level else {
            self.error(threshold, format!("cannot read the threshold '{value}'"), "a threshold is a number in <cn>, or the qual:id of an input that has a qual:thresholdLevel");
            return None;
        };
        let op = if species_first { op } else { mirrored(op) };
        let (expr, multilevel) = literal(op, species, level);
        if multilevel {
            self.builder.note(
                "multi-valued species are read as on/off (a level at or above the threshold is on)",
            );
        }
        Some(expr)
    }
}

/// The link an input gives by its `qual:sign` alone (a transition without function terms).
fn signed_link(input: &Input<'_>) -> (Conj, Arrow) {
    let arrow = match input.sign {
        Some("positive") => Arrow::Raises,
        Some("negative") => Arrow::Lowers,
        _ => Arrow::Unknown,
    };
    (vec![(input.species, true)], arrow)
}

fn qual_attribute<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute((QUAL_NS, name)).or(node.attribute(name))
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    children(node, name).next()
}

fn children<'a, 'i>(node: Node<'a, 'i>, name: &str) -> impl Iterator<Item = Node<'a, 'i>> {
    let name = name.to_string();
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: usize) -> Expr {
        Expr::Lit(s, true)
    }

    fn not(e: Expr) -> Expr {
        Expr::Not(Box::new(e))
    }

    #[test]
    fn or_of_ands_keeps_gates_and_inhibitions() {
        let on = Expr::Or(vec![
            Expr::And(vec![lit(0), Expr::Lit(1, false)]),
            Expr::Lit(2, false),
            not(Expr::And(vec![lit(3), lit(4)])),
        ]);
        let links = links_of(&on).unwrap();
        assert_eq!(
            links,
            [
                (vec![(0, true), (1, false)], Arrow::Raises),
                (vec![(2, false)], Arrow::Raises),
                (vec![(3, true), (4, true)], Arrow::Lowers),
            ]
        );
    }

    #[test]
    fn nested_expressions_are_distributed() {
        // (A or B) and not (C or D)  =  A!C!D or B!C!D
        let e = Expr::And(vec![
            Expr::Or(vec![lit(0), lit(1)]),
            not(Expr::Or(vec![lit(2), lit(3)])),
        ]);
        assert_eq!(
            dnf(&e, true).unwrap(),
            [
                vec![(0, true), (2, false), (3, false)],
                vec![(1, true), (2, false), (3, false)]
            ]
        );
    }

    #[test]
    fn xor_and_contradictions() {
        let e = Expr::Xor(vec![lit(0), lit(1)]);
        assert_eq!(
            dnf(&e, true).unwrap(),
            [vec![(0, true), (1, false)], vec![(0, false), (1, true)]]
        );
        assert!(
            dnf(&Expr::And(vec![lit(0), Expr::Lit(0, false)]), true)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn xor_is_parity_and_long_ones_are_refused_as_they_grow() {
        let three = dnf(&Expr::Xor(vec![lit(0), lit(1), lit(2)]), true).unwrap();
        assert_eq!(three.len(), 4);
        for term in &three {
            assert_eq!(term.len(), 3);
            assert_eq!(term.iter().filter(|l| l.1).count() % 2, 1, "{term:?}");
        }
        // 2^25 terms each way: refused when the budget passes, in well under a second.
        let many: Vec<Expr> = (0..26).map(lit).collect();
        assert!(dnf(&Expr::Xor(many.clone()), true).is_none());
        assert!(dnf(&Expr::Not(Box::new(Expr::Xor(many))), true).is_none());
    }

    #[test]
    fn huge_functions_are_refused() {
        let pairs: Vec<Expr> = (0..10)
            .map(|k| Expr::Or(vec![lit(2 * k), lit(2 * k + 1)]))
            .collect();
        assert!(dnf(&Expr::And(pairs), true).is_none(), "2^10 terms");
    }

    #[test]
    fn comparisons_read_as_on_or_off() {
        assert_eq!(literal("geq", 0, 1.0), (lit(0), false));
        assert_eq!(literal("lt", 0, 1.0), (Expr::Lit(0, false), false));
        assert_eq!(literal("eq", 0, 0.0), (Expr::Lit(0, false), false));
        assert_eq!(literal("neq", 0, 0.0), (lit(0), false));
        assert_eq!(literal("gt", 0, 0.0), (lit(0), false));
        assert_eq!(literal("geq", 0, 2.0), (lit(0), true));
        assert_eq!(literal("geq", 0, 0.0), (Expr::Const(true), false));
        assert_eq!(mirrored("lt"), "gt");
    }
}
