//! Real SBML qual models (tests/data/interop/real/sbml) exported after import keep every
//! Boolean function: the truth table of each output's function, read back from the export, is
//! the original's (up to 16 species; wider ones are counted and must be rare).

use super::*;
use std::collections::{BTreeMap, BTreeSet};

/// Species named across several files: each distinct node name gets one index.
#[derive(Default)]
struct Names(Vec<String>);

impl Names {
    fn index(&mut self, name: &str) -> usize {
        match self.0.iter().position(|n| n == name) {
            Some(k) => k,
            None => {
                self.0.push(name.to_string());
                self.0.len() - 1
            }
        }
    }
}

/// `expr` over shared name indices instead of one file's species indices.
fn renamed(expr: &Expr, name_of: &impl Fn(usize) -> usize) -> Expr {
    let all = |parts: &[Expr]| parts.iter().map(|p| renamed(p, name_of)).collect();
    match expr {
        Expr::Const(value) => Expr::Const(*value),
        Expr::Lit(s, on) => Expr::Lit(name_of(*s), *on),
        Expr::Not(inner) => Expr::Not(Box::new(renamed(inner, name_of))),
        Expr::And(parts) => Expr::And(all(parts)),
        Expr::Or(parts) => Expr::Or(all(parts)),
        Expr::Xor(parts) => Expr::Xor(all(parts)),
    }
}

/// Each output's function (its transitions ORed) by node name, as the file writes it.
fn functions(text: &str, names: &mut Names) -> BTreeMap<String, Expr> {
    let document = Document::parse(text).unwrap();
    let mut reader = Reader::new(text);
    reader.document(&document);
    assert!(reader.problems.is_empty(), "{:?}", reader.problems);
    let node_names: Vec<String> = (0..reader.species.len())
        .map(|s| {
            let node = reader.species[s].node;
            reader.builder.node_name(node).to_string()
        })
        .collect();
    let index: Vec<usize> = node_names.iter().map(|n| names.index(n)).collect();
    let model = child(document.root_element(), "model").unwrap();
    let mut found: BTreeMap<String, Vec<Expr>> = BTreeMap::new();
    for transition in child(model, "listOfTransitions")
        .into_iter()
        .flat_map(|l| children(l, "transition"))
    {
        let inputs = reader.inputs(transition);
        let on = reader.on_condition(transition, &inputs).unwrap();
        // Only a default term of 0 (fission yeast's Start): the output stays off.
        let on = on.unwrap_or_else(|| {
            assert!(inputs.is_empty(), "a transition without function terms");
            Expr::Const(false)
        });
        for output in reader.outputs(transition, "") {
            let expr = renamed(&on, &|s| index[s]);
            found
                .entry(node_names[output].clone())
                .or_default()
                .push(expr);
        }
    }
    found
        .into_iter()
        .map(|(name, terms)| (name, Expr::Or(terms)))
        .collect()
}

fn real_file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/interop/real/sbml")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The imported file as a scenario, exported as SBML.
fn exported(name: &str, text: &str) -> String {
    let network = import(Path::new(name), text).unwrap_or_else(|e| panic!("{e}"));
    let toml =
        crate::interop::scenario_text(&network, crate::interop::Format::Sbml, Path::new(name))
            .unwrap_or_else(|e| panic!("{e}"));
    let scenario = crate::scenario::parse(Path::new("imported.toml"), &toml, None)
        .unwrap_or_else(|e| panic!("{e}"));
    export(&scenario).text
}

const REAL_MODELS: [&str; 7] = [
    "lac_operon.sbml",
    "arabinose_operon.sbml",
    "cortical_area.sbml",
    "toll_pathway.sbml",
    "fission_yeast.sbml",
    "budding_yeast.sbml",
    "mammalian_cell_cycle.sbml",
];

#[test]
fn real_models_keep_every_function_through_export() {
    let (mut compared, mut too_wide) = (0, 0);
    for name in REAL_MODELS {
        let text = real_file(name);
        let mut names = Names::default();
        let before = functions(&text, &mut names);
        let after = functions(&exported(name, &text), &mut names);
        let targets: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        for target in targets {
            let never = Expr::Const(false);
            let (old, new) = (
                before.get(target).unwrap_or(&never),
                after.get(target).unwrap_or(&never),
            );
            let mut species = species_of(old);
            species.extend(species_of(new));
            species.sort_unstable();
            species.dedup();
            let (Some(old_table), Some(new_table)) =
                (truth_table(old, &species), truth_table(new, &species))
            else {
                too_wide += 1;
                continue;
            };
            assert!(
                old_table == new_table,
                "{name}: the function of {target} changed on export:\n{old:?}\nbecame\n{new:?}"
            );
            compared += 1;
        }
    }
    assert!(compared >= 50, "only {compared} functions compared");
    assert_eq!(too_wide, 0);
}

#[test]
fn a_dummy_input_is_reported_not_linked() {
    // T = A or (A and B), with B listed as an input: B changes nothing.
    let text = r#"<?xml version="1.0"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" xmlns:qual="http://www.sbml.org/sbml/level3/version1/qual/version1" level="3" version="1"><model id="m">
<qual:listOfQualitativeSpecies>
  <qual:qualitativeSpecies qual:id="A" qual:maxLevel="1" qual:constant="false"/>
  <qual:qualitativeSpecies qual:id="B" qual:maxLevel="1" qual:constant="false"/>
  <qual:qualitativeSpecies qual:id="C" qual:maxLevel="1" qual:constant="false"/>
  <qual:qualitativeSpecies qual:id="T" qual:maxLevel="1" qual:constant="false"/>
</qual:listOfQualitativeSpecies>
<qual:listOfTransitions>
  <qual:transition qual:id="tr_T">
    <qual:listOfInputs>
      <qual:input qual:qualitativeSpecies="A" qual:sign="positive"/>
      <qual:input qual:qualitativeSpecies="B" qual:sign="positive"/>
      <qual:input qual:qualitativeSpecies="C" qual:sign="negative"/>
    </qual:listOfInputs>
    <qual:listOfOutputs><qual:output qual:qualitativeSpecies="T"/></qual:listOfOutputs>
    <qual:listOfFunctionTerms>
      <qual:defaultTerm qual:resultLevel="0"/>
      <qual:functionTerm qual:resultLevel="1"><math xmlns="http://www.w3.org/1998/Math/MathML">
        <apply><or/><ci>A</ci><apply><and/><ci>A</ci><ci>B</ci></apply></apply>
      </math></qual:functionTerm>
    </qual:listOfFunctionTerms>
  </qual:transition>
</qual:listOfTransitions></model></sbml>"#;
    let network = import(Path::new("dummy.sbml"), text).unwrap();
    assert_eq!(network.link_texts(), ["A -> T"]);
    assert!(
        network.notes.iter().any(|n| n
            == "transition 'tr_T': the function does not depend on C, B, so no link is made for it"),
        "{:?}",
        network.notes
    );
}
