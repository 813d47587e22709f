//! Writing SBML qual: one transition per target, one function term ORing its links.

use super::*;

/// Writes a scenario's network as SBML qual: one transition per node that links act on.
pub fn export(scenario: &Scenario) -> Exported {
    let ids = species_ids(scenario);
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sbml xmlns=\"{CORE_NS}\" level=\"3\" version=\"1\" xmlns:qual=\"{QUAL_NS}\" qual:required=\"true\">\n\
         \x20 <model id=\"{}\" name=\"{}\">\n\
         \x20   <listOfCompartments>\n\
         \x20     <compartment id=\"default\" constant=\"true\"/>\n\
         \x20   </listOfCompartments>\n\
         \x20   <qual:listOfQualitativeSpecies>\n",
        model_id(&scenario.title),
        escape(&scenario.title)
    );
    for (node, id) in scenario.nodes.iter().zip(&ids) {
        let _ = writeln!(
            out,
            "      <qual:qualitativeSpecies qual:id=\"{id}\" qual:name=\"{}\" qual:compartment=\"default\" qual:constant=\"false\" qual:maxLevel=\"1\"/>",
            escape(species_name(node))
        );
    }
    out.push_str("    </qual:listOfQualitativeSpecies>\n    <qual:listOfTransitions>\n");
    for target in 0..scenario.nodes.len() {
        write_transition(&mut out, scenario, &ids, target);
    }
    out.push_str("    </qual:listOfTransitions>\n  </model>\n</sbml>\n");
    Exported {
        text: out,
        notes: export_notes(scenario),
    }
}

pub(super) fn write_transition(
    out: &mut String,
    scenario: &Scenario,
    ids: &[String],
    target: usize,
) {
    let links: Vec<&crate::scenario::Link> = scenario
        .links
        .iter()
        .filter(|l| l.target == target)
        .collect();
    if links.is_empty() {
        return;
    }
    let id = &ids[target];
    let _ = writeln!(
        out,
        "      <qual:transition qual:id=\"tr_{id}\">\n        <qual:listOfInputs>"
    );
    for (k, (source, sign)) in input_signs(scenario, target).iter().enumerate() {
        let _ = writeln!(
            out,
            "          <qual:input qual:id=\"tr_{id}_in_{}\" qual:qualitativeSpecies=\"{}\" qual:transitionEffect=\"none\" qual:sign=\"{sign}\"/>",
            k + 1,
            ids[*source]
        );
    }
    let _ = writeln!(
        out,
        "        </qual:listOfInputs>\n        <qual:listOfOutputs>\n          <qual:output qual:id=\"tr_{id}_out\" qual:qualitativeSpecies=\"{id}\" qual:transitionEffect=\"assignmentLevel\"/>\n        </qual:listOfOutputs>\n        <qual:listOfFunctionTerms>\n          <qual:defaultTerm qual:resultLevel=\"0\"/>"
    );
    let terms: Vec<String> = links
        .iter()
        .filter(|l| l.arrow != Arrow::Unknown)
        .map(|l| link_math(l, ids))
        .collect();
    if !terms.is_empty() {
        let condition = match terms.as_slice() {
            [one] => one.clone(),
            many => format!("<apply><or/>{}</apply>", many.concat()),
        };
        let _ = writeln!(
            out,
            "          <qual:functionTerm qual:resultLevel=\"1\">\n            <math xmlns=\"{MATHML_NS}\">{condition}</math>\n          </qual:functionTerm>"
        );
    }
    out.push_str("        </qual:listOfFunctionTerms>\n      </qual:transition>\n");
}

/// Each source acting on `target`, in order, with the sign of its effect.
pub(super) fn input_signs(scenario: &Scenario, target: usize) -> Vec<(usize, &'static str)> {
    let mut signs: Vec<(usize, Vec<Arrow>)> = Vec::new();
    for edge in scenario.edges().filter(|e| e.to == target) {
        match signs.iter_mut().find(|(s, _)| *s == edge.from) {
            Some((_, arrows)) => arrows.push(edge.arrow),
            None => signs.push((edge.from, vec![edge.arrow])),
        }
    }
    signs
        .into_iter()
        .map(|(source, arrows)| {
            let sign = if arrows.contains(&Arrow::Unknown) {
                "unknown"
            } else if arrows.iter().all(|&a| a == Arrow::Raises) {
                "positive"
            } else if arrows.iter().all(|&a| a == Arrow::Lowers) {
                "negative"
            } else {
                "dual"
            };
            (source, sign)
        })
        .collect()
}

/// The MathML condition under which a link switches its target on.
pub(super) fn link_math(link: &crate::scenario::Link, ids: &[String]) -> String {
    let literal = |node: usize, on: bool| {
        let op = if on { "geq" } else { "lt" };
        format!(
            "<apply><{op}/><ci> {} </ci><cn type=\"integer\"> 1 </cn></apply>",
            ids[node]
        )
    };
    if !link.is_gate() {
        return literal(link.inputs[0].node, link.arrow == Arrow::Raises);
    }
    let all: String = link
        .inputs
        .iter()
        .map(|i| literal(i.node, !i.negated))
        .collect();
    let and = format!("<apply><and/>{all}</apply>");
    if link.arrow == Arrow::Raises {
        and
    } else {
        format!("<apply><not/>{and}</apply>")
    }
}

/// The species name to write: the node's label when an import made the node's name from it
/// (`SARS E,7a` became `SARS E 7a`), so the name goes back as the source spelled it; else the
/// node's name (a label chosen for charts is not a name).
fn species_name(node: &crate::scenario::Node) -> &str {
    match &node.label {
        Some(label) if crate::interop::network::imported_from(&node.name, label) => label,
        _ => &node.name,
    }
}

/// SBML ids (letters, digits, underscores, not starting with a digit), unique, from the names:
/// Greek letters spelled out (`β-catenin` is `beta_catenin`), other characters an id cannot
/// hold become one `_`, and a name with no Latin letter or digit at all (`血管`) gets `S_` and its
/// node's number, so that no two ids differ only in underscores (tools such as BoolNet drop them).
pub(super) fn species_ids(scenario: &Scenario) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for (k, node) in scenario.nodes.iter().enumerate() {
        let mut id = ascii_id(&node.name);
        if !id.chars().any(|c| c.is_ascii_alphanumeric()) {
            id = format!("S_{}", k + 1);
        }
        if id.starts_with(|c: char| c.is_ascii_digit()) {
            id.insert(0, '_');
        }
        let base = id.clone();
        let mut n = 1;
        while ids.contains(&id) {
            n += 1;
            id = format!("{base}_{n}");
        }
        ids.push(id);
    }
    ids
}

/// `name` in the characters of an SBML id, with runs of anything else as one `_`.
fn ascii_id(name: &str) -> String {
    let mut id = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if let Some(word) = greek_letter(c) {
            id.push_str(word);
        } else if !id.ends_with('_') {
            id.push('_');
        }
    }
    id.trim_matches('_').to_string()
}

/// The Latin spelling of a Greek letter (biology's `α`, `β`, `κ`, ...).
fn greek_letter(c: char) -> Option<&'static str> {
    const LOWER: [&str; 25] = [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
        "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "sigma", "tau", "upsilon",
        "phi", "chi", "psi", "omega",
    ];
    const UPPER: [&str; 25] = [
        "Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta", "Iota", "Kappa",
        "Lambda", "Mu", "Nu", "Xi", "Omicron", "Pi", "Rho", "Sigma", "Sigma", "Tau", "Upsilon",
        "Phi", "Chi", "Psi", "Omega",
    ];
    match c {
        'α'..='ω' => Some(LOWER[c as usize - 'α' as usize]),
        'Α'..='Ω' => Some(UPPER[c as usize - 'Α' as usize]),
        _ => None,
    }
}

pub(super) fn model_id(title: &str) -> String {
    let id: String = title
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("m_{id}")
}

pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

pub(super) fn export_notes(scenario: &Scenario) -> Vec<String> {
    let mut notes = lost_settings(scenario, Keeps::default());
    let unknown_gates: Vec<&str> = scenario
        .links
        .iter()
        .filter(|l| l.is_gate() && l.arrow == Arrow::Unknown)
        .map(|l| l.text.as_str())
        .collect();
    if !unknown_gates.is_empty() {
        notes.push(format!(
            "gates with an unknown sign have no logic to write; only their inputs (sign \"unknown\") are kept: {}",
            unknown_gates.join("; ")
        ));
    }
    notes
}
