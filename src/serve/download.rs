//! A what-if as a scenario file: the file as served, with one more intervention that is the
//! shown intervention plus the what-if's presses, knockouts and blocks. The result is checked
//! like any scenario file before it is offered, so a download always checks clean.

use super::api::WhatIf;
use super::shelf::Shelved;
use crate::error::Error;
use crate::scenario::validate::ClaimLookup;
use crate::scenario::{Intervention, Scenario};

/// The scenario text with the what-if added, and a file name for it.
pub fn what_if_file(shelved: &Shelved, what_if: &WhatIf) -> Result<(String, String), Error> {
    let scenario = &shelved.scenario;
    let base = what_if
        .intervention
        .as_deref()
        .and_then(|name| scenario.intervention_index(name))
        .map(|i| &scenario.interventions[i]);
    let block = intervention_block(scenario, base, what_if)?;
    let mut text = shelved.source.trim_end().to_string();
    text.push_str("\n\n");
    text.push_str(&block);
    // Checked as the file it will be, against the same catalogue.
    let lookup = shelved.claims.as_deref().map(|c| c as &dyn ClaimLookup);
    crate::scenario::parse(&scenario.path, &text, lookup)?;
    let stem = shelved.id.rsplit('/').next().unwrap_or("scenario");
    Ok((text, format!("{stem}-what-if.toml")))
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The `[[intervention]]` table of the what-if.
fn intervention_block(
    scenario: &Scenario,
    base: Option<&Intervention>,
    what_if: &WhatIf,
) -> Result<String, Error> {
    let mut press: Vec<(String, f64)> = base
        .map(|b| {
            b.press
                .iter()
                .map(|&(v, level)| (scenario.nodes[v].name.clone(), level))
                .collect()
        })
        .unwrap_or_default();
    for text in &what_if.press {
        let (name, level) = text.rsplit_once('=').ok_or_else(|| {
            Error::usage(
                format!("press \"{text}\": expected NODE=LEVEL"),
                "e.g. \"miR-100=1\"",
            )
        })?;
        let level: f64 = level.trim().parse().map_err(|_| {
            Error::usage(
                format!("press \"{text}\": '{level}' is not a number"),
                "give the press level as a number, e.g. 1.0",
            )
        })?;
        press.retain(|(n, _)| n != name.trim());
        press.push((name.trim().to_string(), level));
    }
    let mut knockout: Vec<String> = base
        .map(|b| {
            b.knockout
                .iter()
                .map(|&v| scenario.nodes[v].name.clone())
                .collect()
        })
        .unwrap_or_default();
    knockout.extend(what_if.knockout.iter().cloned());
    let mut block: Vec<String> = base
        .map(|b| {
            b.block
                .iter()
                .map(|&l| scenario.links[l].text.clone())
                .collect()
        })
        .unwrap_or_default();
    block.extend(what_if.block.iter().cloned());
    let base_name = base.map_or("the network as written", |b| b.name.as_str());
    let mut changes: Vec<String> = what_if.press.iter().map(|p| format!("press {p}")).collect();
    changes.extend(what_if.knockout.iter().map(|k| format!("knockout {k}")));
    changes.extend(what_if.block.iter().map(|b| format!("block {b}")));
    let name = format!("{base_name} + what-if");
    let mut out = format!(
        "# A what-if saved from `claimsim serve`: {base_name}, then {}.\n[[intervention]]\nname = {}\n",
        if changes.is_empty() {
            "nothing changed".to_string()
        } else {
            changes.join(", ")
        },
        quoted(&name)
    );
    // A weight belongs to a link, not to an intervention: say so rather than drop it quietly.
    for weight in &what_if.weight {
        out.push_str(&format!(
            "# not saved here: the what-if's weight {weight} (set it on the link's [[link]] table)\n"
        ));
    }
    let presses: Vec<String> = press
        .iter()
        .map(|(n, level)| format!("{} = {level:?}", quoted(n)))
        .collect();
    out.push_str(&format!("press = {{ {} }}\n", presses.join(", ")));
    let list = |items: &[String]| {
        items
            .iter()
            .map(|i| quoted(i))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !knockout.is_empty() {
        out.push_str(&format!("knockout = [{}]\n", list(&knockout)));
    }
    if !block.is_empty() {
        out.push_str(&format!("block = [{}]\n", list(&block)));
    }
    Ok(out)
}
