//! A scenario as the page needs it: nodes, links, interventions and expectations by name, and
//! the simulation settings the server will use (samples within its cap), and the layout of
//! network.png (box centres, sizes, label lines and line paths) for the page to draw.

use super::shelf::Shelved;
use crate::plot::{PlotError, network_geometry};
use crate::scenario::Scenario;
use serde_json::{Value, json};

/// The scenario's description as JSON.
pub fn describe(shelved: &Shelved, max_samples: u64) -> Result<Value, PlotError> {
    let s = &shelved.scenario;
    let name = |v: usize| s.nodes[v].name.as_str();
    let nodes: Vec<Value> = (0..s.nodes.len())
        .map(|v| json!({ "name": name(v), "label": s.display_name(v) }))
        .collect();
    let links: Vec<Value> = s
        .links
        .iter()
        .map(|l| {
            json!({
                "text": l.text,
                "from": l.inputs.iter().map(|i| name(i.node)).collect::<Vec<_>>(),
                "negated": l.inputs.iter().map(|i| i.negated).collect::<Vec<_>>(),
                "to": name(l.target),
                "arrow": l.arrow.symbol(),
                "present": l.present,
            })
        })
        .collect();
    let layout = network_geometry(s)?;
    Ok(json!({
        "id": shelved.id,
        "folder": shelved.folder,
        "title": s.title,
        "description": s.description,
        "cancer": s.cancer,
        "nodes": nodes,
        "links": links,
        "interventions": interventions(s),
        "expectations": expectations(s),
        "simulation": {
            "method": s.simulation.method.as_str(),
            "samples": s.simulation.samples.min(max_samples),
            "max_samples": max_samples,
            "seed": s.simulation.seed,
        },
        "layout": layout,
    }))
}

fn interventions(s: &Scenario) -> Vec<Value> {
    s.interventions
        .iter()
        .map(|i| {
            json!({
                "name": i.name,
                "press": i.press.iter().map(|&(v, level)| json!([s.nodes[v].name, level])).collect::<Vec<_>>(),
                "knockout": i.knockout.iter().map(|&v| &s.nodes[v].name).collect::<Vec<_>>(),
                "block": i.block.iter().map(|&l| &s.links[l].text).collect::<Vec<_>>(),
            })
        })
        .collect()
}

fn expectations(s: &Scenario) -> Vec<Value> {
    s.expectations
        .iter()
        .map(|e| {
            json!({
                "node": s.nodes[e.node].name,
                "change": e.change.as_str(),
                "intervention": s.interventions[e.intervention].name,
                "versus": e.versus.map(|v| &s.interventions[v].name),
                "claims": e.claims,
                "what_if": e.what_if,
            })
        })
        .collect()
}
