//! Graphviz DOT: activation arrows, inhibition tees, dashed unknown-sign links, gates drawn as
//! small AND junctions, claim ids as edge tooltips.

use crate::scenario::links::Arrow;
use crate::scenario::{Link, Scenario};
use std::fmt::Write;

/// Colour-blind-safe (Okabe-Ito) colours for the three arrows.
fn style(arrow: Arrow) -> &'static str {
    match arrow {
        Arrow::Raises => "arrowhead=normal, color=\"#0072B2\"",
        Arrow::Lowers => "arrowhead=tee, color=\"#D55E00\"",
        Arrow::Unknown => "arrowhead=odot, color=\"#555555\", style=dashed",
    }
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The network as a DOT digraph.
pub fn to_dot(scenario: &Scenario) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quoted(&scenario.title));
    out.push_str("  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#F2F2F2\", fontname=\"DejaVu Sans\"];\n");
    for node in &scenario.nodes {
        let label = node.label.as_deref().unwrap_or(&node.name);
        let _ = writeln!(out, "  {} [label={}];", quoted(&node.name), quoted(label));
    }
    for (index, link) in scenario.links.iter().enumerate() {
        write_link(&mut out, scenario, index, link);
    }
    out.push_str("}\n");
    out
}

fn write_link(out: &mut String, scenario: &Scenario, index: usize, link: &Link) {
    let target = quoted(&scenario.nodes[link.target].name);
    let tooltip = edge_attributes(link);
    if !link.is_gate() {
        let source = quoted(&scenario.nodes[link.inputs[0].node].name);
        let _ = writeln!(
            out,
            "  {source} -> {target} [{}{tooltip}];",
            style(link.arrow)
        );
        return;
    }
    let junction = quoted(&format!("AND #{}", index + 1));
    let _ = writeln!(
        out,
        "  {junction} [shape=circle, label=\"&\", width=0.3, fixedsize=true];"
    );
    for input in &link.inputs {
        let source = quoted(&scenario.nodes[input.node].name);
        let arrow = if input.negated {
            Arrow::Lowers
        } else {
            Arrow::Raises
        };
        let _ = writeln!(out, "  {source} -> {junction} [{}];", style(arrow));
    }
    let _ = writeln!(
        out,
        "  {junction} -> {target} [{}{tooltip}];",
        style(link.arrow)
    );
}

fn edge_attributes(link: &Link) -> String {
    let mut extra = String::new();
    if !link.claims.is_empty() {
        let _ = write!(extra, ", tooltip={}", quoted(&link.claims.join(", ")));
    }
    if link.present < 1.0 {
        let _ = write!(extra, ", penwidth=0.6, label=\"p={}\"", link.present);
    }
    extra
}
