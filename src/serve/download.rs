//! A what-if as a scenario file: the file as served, with one more intervention that is the
//! shown intervention (its presses, knockouts, blocks and ode dose schedules) plus the what-if's
//! presses, knockouts and blocks. The what-if is applied with the run's own [`Overrides`] (every
//! mistake at once, node checks, the press-level rule, did-you-mean), and the result is checked
//! like any scenario file before it is offered, so a download always checks clean.

use super::api::WhatIf;
use super::shelf::Shelved;
use crate::error::Error;
use crate::scenario::overrides::Overrides;
use crate::scenario::validate::ClaimLookup;
use crate::scenario::{Dose, Intervention, Scenario};

/// The scenario text with the what-if added, and a file name for it.
pub fn what_if_file(shelved: &Shelved, what_if: &WhatIf) -> Result<(String, String), Error> {
    let (applied, kept) = kept_intervention(&shelved.scenario, what_if)?;
    let block = intervention_block(&applied, &kept, what_if);
    let mut text = shelved.source.trim_end().to_string();
    text.push_str("\n\n");
    text.push_str(&block);
    // Checked as the file it will be, against the same catalogue.
    let lookup = shelved.claims.as_deref().map(|c| c as &dyn ClaimLookup);
    crate::scenario::parse(&shelved.scenario.path, &text, lookup)?;
    let stem = shelved.id.rsplit('/').next().unwrap_or("scenario");
    Ok((text, format!("{stem}-what-if.toml")))
}

/// The what-if applied, as a run applies it, to a copy of the scenario, and the intervention
/// it leaves: the named one with the changes added, or (none named) one made of the changes.
/// The file's own method is kept, so presses are checked against the method the file runs.
fn kept_intervention(
    scenario: &Scenario,
    what_if: &WhatIf,
) -> Result<(Scenario, Intervention), Error> {
    let mut applied = scenario.clone();
    if what_if.intervention.is_none() {
        // The changes alone, on the network as written.
        applied.interventions.clear();
        applied.expectations.clear();
    }
    let overrides = Overrides {
        press: what_if.press.clone(),
        knockout: what_if.knockout.clone(),
        block: what_if.block.clone(),
        weight: what_if.weight.clone(),
        intervention: what_if.intervention.clone(),
        no_evidence: false,
    };
    overrides.apply(&mut applied)?;
    let kept = match &what_if.intervention {
        Some(name) => applied
            .intervention_index(name)
            .map(|i| applied.interventions[i].clone()),
        None => applied.interventions.first().cloned(),
    };
    Ok((applied, kept.unwrap_or_default()))
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The `[[intervention]]` table of the what-if, naming nodes and links as the scenario does.
fn intervention_block(scenario: &Scenario, kept: &Intervention, what_if: &WhatIf) -> String {
    let base_name = what_if
        .intervention
        .as_deref()
        .unwrap_or("the network as written");
    let mut changes: Vec<String> = what_if.press.iter().map(|p| format!("press {p}")).collect();
    changes.extend(what_if.knockout.iter().map(|k| format!("knockout {k}")));
    changes.extend(what_if.block.iter().map(|b| format!("block {b}")));
    let changes = if changes.is_empty() {
        "nothing changed".to_string()
    } else {
        changes.join(", ")
    };
    let mut out = format!(
        "# A what-if saved from `claimsim serve`: {base_name}, then {changes}.\n[[intervention]]\nname = {}\n",
        quoted(&format!("{base_name} + what-if"))
    );
    // A weight belongs to a link, not to an intervention: say so rather than drop it quietly.
    for weight in &what_if.weight {
        out.push_str(&format!(
            "# not saved here: the what-if's weight {weight} (set it on the link's [[link]] table)\n"
        ));
    }
    let presses: Vec<String> = kept
        .press
        .iter()
        .map(|&(v, level)| format!("{} = {level:?}", quoted(&scenario.nodes[v].name)))
        .collect();
    out.push_str(&format!("press = {{ {} }}\n", presses.join(", ")));
    let list = |items: Vec<&str>| items.into_iter().map(quoted).collect::<Vec<_>>().join(", ");
    if !kept.knockout.is_empty() {
        let names = kept
            .knockout
            .iter()
            .map(|&v| scenario.nodes[v].name.as_str());
        out.push_str(&format!("knockout = [{}]\n", list(names.collect())));
    }
    if !kept.block.is_empty() {
        let links = kept.block.iter().map(|&l| scenario.links[l].text.as_str());
        out.push_str(&format!("block = [{}]\n", list(links.collect())));
    }
    if !kept.doses.is_empty() {
        let doses: Vec<String> = kept.doses.iter().map(|d| dose_table(scenario, d)).collect();
        out.push_str(&format!("doses = [{}]\n", doses.join(", ")));
    }
    out
}

/// One ode dose schedule as the file format writes it (`every` and `count` only when repeated).
fn dose_table(scenario: &Scenario, dose: &Dose) -> String {
    let mut table = format!(
        "{{ node = {}, at = {:?}, amount = {:?}, half_life = {:?}",
        quoted(&scenario.nodes[dose.node].name),
        dose.at,
        dose.amount,
        dose.half_life
    );
    if dose.count > 1 {
        table.push_str(&format!(
            ", every = {:?}, count = {}",
            dose.every, dose.count
        ));
    }
    table.push_str(" }");
    table
}
