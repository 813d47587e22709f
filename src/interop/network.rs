//! The network an importer reads, before it becomes a scenario file: nodes with the dynamics
//! settings the source gives, links with theirs, starting interventions, and notes on what the
//! source held that the scenario format cannot.
//!
//! Every importer builds its network through [`NetworkBuilder`], so the rules that make a
//! network writable live in one place: names become valid in the link language, a link with one
//! negated input becomes the plain inhibition it means, two links between the same nodes become
//! one (the scenario format allows one per pair), and nodes that no link uses are left out.

use crate::scenario::links::{Arrow, normalize_name, parse_link_line};
use std::collections::{HashMap, HashSet};

/// An imported network, ready for [`super::writer`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Network {
    pub title: Option<String>,
    pub nodes: Vec<NetNode>,
    pub links: Vec<NetLink>,
    pub interventions: Vec<NetIntervention>,
    /// What the source held that was not carried over, or was read in a particular way.
    pub notes: Vec<String>,
}

impl Network {
    /// The canonical link texts (`A & !B -> C`), in order.
    pub fn link_texts(&self) -> Vec<String> {
        self.links.iter().map(|l| l.text(&self.nodes)).collect()
    }
}

/// A node and the settings the source gives it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NetNode {
    pub name: String,
    pub label: Option<String>,
    pub tau: Option<f64>,
    pub ymax: Option<f64>,
    pub input: Option<f64>,
    /// Initial activity (Netflux Yinit). The scenario format has no key for it yet, so the
    /// writer keeps it as a comment.
    pub initial: Option<f64>,
    /// The source's notes on the node.
    pub comment: Option<String>,
}

/// One link: a node or an AND gate of nodes acting on a target.
#[derive(Debug, Clone, PartialEq)]
pub struct NetLink {
    /// (node, negated) pairs.
    pub inputs: Vec<(usize, bool)>,
    pub target: usize,
    pub arrow: Arrow,
    pub weight: Option<f64>,
    pub present: Option<f64>,
    pub group: Option<String>,
    pub n: Option<f64>,
    pub ec50: Option<f64>,
    /// The source's notes on the link.
    pub comment: Option<String>,
}

impl NetLink {
    /// A link with no settings.
    pub fn new(inputs: Vec<(usize, bool)>, target: usize, arrow: Arrow) -> Self {
        NetLink {
            inputs,
            target,
            arrow,
            weight: None,
            present: None,
            group: None,
            n: None,
            ec50: None,
            comment: None,
        }
    }

    /// A plain link from one node.
    pub fn simple(from: usize, to: usize, arrow: Arrow) -> Self {
        NetLink::new(vec![(from, false)], to, arrow)
    }

    /// The link in the network line language, as the validator writes it.
    pub fn text(&self, nodes: &[NetNode]) -> String {
        let inputs: Vec<String> = self
            .inputs
            .iter()
            .map(|&(node, negated)| {
                let bang = if negated { "!" } else { "" };
                format!("{bang}{}", nodes[node].name)
            })
            .collect();
        format!(
            "{} {} {}",
            inputs.join(" & "),
            self.arrow.symbol(),
            nodes[self.target].name
        )
    }

    /// The nodes it links, in a fixed order: two links with the same key are duplicates for
    /// the scenario format.
    fn key(&self) -> (Vec<usize>, usize) {
        let mut inputs: Vec<usize> = self.inputs.iter().map(|i| i.0).collect();
        inputs.sort_unstable();
        (inputs, self.target)
    }
}

/// A sustained press on some nodes, from the source or added as a starting point.
#[derive(Debug, Clone, PartialEq)]
pub struct NetIntervention {
    pub name: String,
    pub press: Vec<(usize, f64)>,
}

/// Accumulates a network while an importer reads its source.
#[derive(Debug, Default)]
pub struct NetworkBuilder {
    network: Network,
    /// Node index by the name as the source spells it (after collapsing white space).
    by_source_name: HashMap<String, usize>,
    /// The names given so far, the notes made and each link's index by its key: lookups that
    /// keep importing linear in the size of the source (a scan per link made 20k edges take 6 s).
    names: HashSet<String>,
    noted: HashSet<String>,
    link_at: HashMap<(Vec<usize>, usize), usize>,
}

impl NetworkBuilder {
    pub fn new() -> Self {
        NetworkBuilder::default()
    }

    pub fn title(&mut self, title: &str) {
        let title = title.trim();
        if !title.is_empty() {
            self.network.title = Some(title.to_string());
        }
    }

    /// Records something the source held that the scenario does not carry, or how it was read.
    pub fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        if self.noted.insert(note.clone()) {
            self.network.notes.push(note);
        }
    }

    /// The node for a name as the source spells it, created on first use (for formats where
    /// the name is the node's identity).
    pub fn node(&mut self, source_name: &str) -> usize {
        match self.by_source_name.get(&normalize_name(source_name)) {
            Some(&index) => index,
            None => self.new_node(source_name),
        }
    }

    /// A new node, even when another has the same name (for formats where nodes have ids and
    /// names may repeat). Names the link language cannot hold, or that are taken, are changed,
    /// and the original is kept as the node's label.
    pub fn new_node(&mut self, source_name: &str) -> usize {
        let spelled = normalize_name(source_name);
        let valid = valid_name(&spelled);
        let mut name = valid.clone();
        let mut k = 1;
        while self.names.contains(&name) {
            k += 1;
            name = format!("{valid} ({k})");
        }
        let mut node = NetNode {
            name: name.clone(),
            ..NetNode::default()
        };
        if name != spelled {
            let why = if valid == spelled {
                "another node has that name"
            } else {
                "the link language does not allow that name"
            };
            self.note(format!(
                "node '{spelled}' is named '{name}': {why}; the original is its label"
            ));
            node.label = Some(spelled.clone());
        }
        self.names.insert(name);
        self.network.nodes.push(node);
        let index = self.network.nodes.len() - 1;
        self.by_source_name.entry(spelled).or_insert(index);
        index
    }

    pub fn node_mut(&mut self, index: usize) -> &mut NetNode {
        &mut self.network.nodes[index]
    }

    pub fn node_name(&self, index: usize) -> &str {
        &self.network.nodes[index].name
    }

    /// Adds a link; `origin` says where it came from (e.g. "line 4") for notes.
    pub fn add_link(&mut self, link: NetLink, origin: &str) {
        let Some(link) = self.tidy_inputs(link, origin) else {
            return;
        };
        let key = link.key();
        let Some(&at) = self.link_at.get(&key) else {
            self.link_at.insert(key, self.network.links.len());
            self.network.links.push(link);
            return;
        };
        let first = self.network.links[at].text(&self.network.nodes);
        let second = link.text(&self.network.nodes);
        if same_inputs(&self.network.links[at], &link) {
            self.note(format!("{origin}: '{second}' repeats a link, read once"));
            return;
        }
        let merged = &mut self.network.links[at];
        merged.arrow = Arrow::Unknown;
        for input in &mut merged.inputs {
            input.1 = false;
        }
        let text = merged.text(&self.network.nodes);
        self.note(format!(
            "{origin}: '{first}' and '{second}' link the same nodes with different effects; read as one link '{text}' whose sign is unknown (a scenario links two nodes once)"
        ));
    }

    /// Drops repeated gate inputs and turns `!A -> B` into the `A -| B` it means; a gate that
    /// needs a node both present and absent can never act and is left out.
    fn tidy_inputs(&mut self, mut link: NetLink, origin: &str) -> Option<NetLink> {
        let mut inputs: Vec<(usize, bool)> = Vec::new();
        for input in link.inputs.drain(..) {
            if inputs.contains(&(input.0, !input.1)) {
                let name = self.network.nodes[input.0].name.clone();
                self.note(format!(
                    "{origin}: a gate needs '{name}' both present and absent, so it can never act; left out"
                ));
                return None;
            }
            if !inputs.contains(&input) {
                inputs.push(input);
            }
        }
        link.inputs = inputs;
        if let [(_, negated @ true)] = link.inputs.as_mut_slice() {
            *negated = false;
            link.arrow = link.arrow.negated();
        }
        Some(link)
    }

    /// Adds an intervention under a unique name, pressing each node once (the first level
    /// given wins): a scenario names each intervention and each press once.
    pub fn add_intervention(&mut self, mut intervention: NetIntervention) {
        let mut pressed = Vec::new();
        intervention.press.retain(|&(node, _)| {
            let first = !pressed.contains(&node);
            pressed.push(node);
            first
        });
        let base = intervention.name.trim().to_string();
        let mut name = base.clone();
        let mut k = 1;
        while name.is_empty() || self.network.interventions.iter().any(|i| i.name == name) {
            k += 1;
            name = format!("{base} ({k})").trim().to_string();
        }
        intervention.name = name;
        self.network.interventions.push(intervention);
    }

    pub fn has_links(&self) -> bool {
        !self.network.links.is_empty()
    }

    /// The finished network: nodes that no link uses are left out (the scenario format declares
    /// nodes through links), and indices renumbered.
    pub fn finish(mut self) -> Network {
        let mut used = vec![false; self.network.nodes.len()];
        for link in &self.network.links {
            used[link.target] = true;
            for input in &link.inputs {
                used[input.0] = true;
            }
        }
        let unused: Vec<String> = (0..used.len())
            .filter(|&i| !used[i])
            .map(|i| format!("'{}'", self.network.nodes[i].name))
            .collect();
        if !unused.is_empty() {
            self.note(format!(
                "{} in no link and left out (a scenario declares nodes through its links): {}",
                if unused.len() == 1 {
                    "1 node is"
                } else {
                    "these nodes are"
                },
                unused.join(", ")
            ));
        }
        let mut renumbered = vec![usize::MAX; used.len()];
        let mut nodes = Vec::new();
        for (i, node) in self.network.nodes.drain(..).enumerate() {
            if used[i] {
                renumbered[i] = nodes.len();
                nodes.push(node);
            }
        }
        for link in &mut self.network.links {
            link.target = renumbered[link.target];
            for input in &mut link.inputs {
                input.0 = renumbered[input.0];
            }
        }
        for intervention in &mut self.network.interventions {
            intervention.press.retain(|p| used[p.0]);
            for press in &mut intervention.press {
                press.0 = renumbered[press.0];
            }
        }
        self.network
            .interventions
            .retain(|intervention| !intervention.press.is_empty());
        self.network.nodes = nodes;
        self.network
    }
}

/// Whether two links with the same key say the same thing, whatever the order of their inputs.
fn same_inputs(a: &NetLink, b: &NetLink) -> bool {
    a.arrow == b.arrow
        && a.inputs.len() == b.inputs.len()
        && b.inputs.iter().all(|input| a.inputs.contains(input))
}

/// Whether `name` is what an import makes of the source name `label` (the link language's
/// version of it, perhaps with a " (2)" suffix for a repeat): then `label` is the name as the
/// source file spelled it, and an export to that format writes it back.
pub fn imported_from(name: &str, label: &str) -> bool {
    let base = valid_name(&normalize_name(label));
    name == base
        || name
            .strip_prefix(base.as_str())
            .is_some_and(|rest| rest.starts_with(" (") && rest.ends_with(')'))
}

/// A name the link language reads back unchanged. Characters it reserves are replaced by
/// look-alikes it allows; anything the line parser still refuses falls back to underscores.
fn valid_name(spelled: &str) -> String {
    let mut out = String::new();
    for c in spelled.chars() {
        match c {
            '&' => out.push_str(" and "),
            '|' => out.push('/'),
            '[' | '{' => out.push('('),
            ']' | '}' => out.push(')'),
            ',' | ';' => out.push(' '),
            '#' | '!' | '"' | '=' | '<' | '>' | '`' => out.push('_'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    // `-?` next to a space reads as an arrow; `'''` would end the TOML string of the network.
    let name = super::writer::without_triple_quotes(&normalize_name(&out.replace("-?", "?")));
    if name.is_empty() {
        return "_".to_string();
    }
    if reads_back(&name) {
        return name;
    }
    let plain: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    plain
}

/// Whether a name survives the line parser both before and after an arrow.
fn reads_back(name: &str) -> bool {
    let as_source = matches!(
        parse_link_line(&format!("{name} -> x")),
        Ok(Some(link)) if link.inputs.len() == 1 && link.inputs[0].node.text == name && !link.inputs[0].negated
    );
    let as_target = matches!(
        parse_link_line(&format!("x -> {name}")),
        Ok(Some(link)) if link.target.text == name
    );
    as_source && as_target
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_valid_and_keep_their_label() {
        let mut b = NetworkBuilder::new();
        let a = b.node("A|B, or [C]");
        let plain = b.node("  miR-9   exosomes ");
        let hash = b.node("#1 & #2");
        assert_eq!(b.node_name(a), "A/B or (C)");
        assert_eq!(b.node_name(plain), "miR-9 exosomes");
        assert_eq!(b.node_name(hash), "_1 and _2");
        let arrow_like = b.node("-? 1 a-?");
        assert_eq!(b.node_name(arrow_like), "? 1 a?");
        assert_eq!(
            b.node("A|B, or [C]"),
            a,
            "the same source name is the same node"
        );
        let network = {
            b.add_link(NetLink::simple(a, plain, Arrow::Raises), "line 1");
            b.add_link(NetLink::simple(hash, plain, Arrow::Raises), "line 2");
            b.finish()
        };
        assert_eq!(network.nodes[0].label.as_deref(), Some("A|B, or [C]"));
        assert_eq!(network.nodes[1].label, None);
    }

    #[test]
    fn clashing_names_are_made_unique() {
        let mut b = NetworkBuilder::new();
        let first = b.node("A=B");
        let second = b.node("A!B");
        assert_eq!(b.node_name(first), "A_B");
        assert_eq!(b.node_name(second), "A_B (2)");
    }

    #[test]
    fn nodes_with_ids_may_share_a_name() {
        let mut b = NetworkBuilder::new();
        let first = b.new_node("Fish");
        let second = b.new_node("Fish");
        assert_ne!(first, second);
        assert_eq!(b.node_name(second), "Fish (2)");
        assert_eq!(b.node("Fish"), first, "lookups by name find the first");
    }

    #[test]
    fn a_single_negated_input_is_an_inhibition() {
        let mut b = NetworkBuilder::new();
        let (x, y) = (b.node("X"), b.node("Y"));
        b.add_link(NetLink::new(vec![(x, true)], y, Arrow::Raises), "r1");
        let network = b.finish();
        assert_eq!(network.link_texts(), ["X -| Y"]);
    }

    #[test]
    fn conflicting_links_merge_into_an_unknown_sign() {
        let mut b = NetworkBuilder::new();
        let (x, y, z) = (b.node("X"), b.node("Y"), b.node("Z"));
        b.add_link(NetLink::simple(x, y, Arrow::Raises), "line 1");
        b.add_link(NetLink::simple(x, y, Arrow::Lowers), "line 2");
        b.add_link(NetLink::simple(x, z, Arrow::Raises), "line 3");
        b.add_link(NetLink::simple(x, z, Arrow::Raises), "line 4");
        b.add_link(
            NetLink::new(vec![(x, false), (z, true)], y, Arrow::Raises),
            "line 5",
        );
        b.add_link(
            NetLink::new(vec![(z, false), (x, true)], y, Arrow::Raises),
            "line 6",
        );
        let network = b.finish();
        assert_eq!(
            network.link_texts(),
            ["X -? Y", "X -> Z", "X & Z -? Y"],
            "{:?}",
            network.notes
        );
        assert_eq!(network.notes.len(), 3);
    }

    #[test]
    fn unused_nodes_are_dropped_and_indices_renumbered() {
        let mut b = NetworkBuilder::new();
        let lonely = b.node("lonely");
        let (x, y) = (b.node("X"), b.node("Y"));
        b.add_link(NetLink::simple(x, y, Arrow::Raises), "line 1");
        b.add_intervention(NetIntervention {
            name: "press lonely".into(),
            press: vec![(lonely, 1.0)],
        });
        let network = b.finish();
        assert_eq!(network.nodes.len(), 2);
        assert_eq!(network.link_texts(), ["X -> Y"]);
        assert!(network.interventions.is_empty());
        assert!(network.notes[0].contains("'lonely'"));
    }

    #[test]
    fn interventions_get_unique_names_and_single_presses() {
        let mut b = NetworkBuilder::new();
        let (x, y) = (b.node("X"), b.node("Y"));
        b.add_link(NetLink::simple(x, y, Arrow::Raises), "line 1");
        for name in ["s", "s ", ""] {
            b.add_intervention(NetIntervention {
                name: name.into(),
                press: vec![(x, 1.0), (x, -1.0)],
            });
        }
        let network = b.finish();
        let names: Vec<&str> = network
            .interventions
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        assert_eq!(names, ["s", "s (2)", "(2)"]);
        assert_eq!(network.interventions[0].press, [(0, 1.0)]);
    }

    #[test]
    fn contradictory_gates_are_left_out() {
        let mut b = NetworkBuilder::new();
        let (x, y) = (b.node("X"), b.node("Y"));
        b.add_link(
            NetLink::new(vec![(x, false), (x, true)], y, Arrow::Raises),
            "r1",
        );
        assert!(!b.has_links());
    }
}
