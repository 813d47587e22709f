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

/// Each output's function (its transitions ORed) by node name, as the file writes it, and the
/// outputs whose transition lists inputs but no function (the export writes those for a gate of
/// unknown sign, which it names in a note).
fn functions(text: &str, names: &mut Names) -> (BTreeMap<String, Expr>, BTreeSet<String>) {
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
    let mut unwritten = BTreeSet::new();
    for transition in child(model, "listOfTransitions")
        .into_iter()
        .flat_map(|l| children(l, "transition"))
    {
        let inputs = reader.inputs(transition);
        let on = reader.on_condition(transition, &inputs).unwrap();
        // Only a default term of 0 (fission yeast's Start): the output stays off.
        let on = match on {
            Some(on) => on,
            None if inputs.is_empty() => Expr::Const(false),
            None => {
                for output in reader.outputs(transition, "") {
                    unwritten.insert(node_names[output].clone());
                }
                continue;
            }
        };
        for output in reader.outputs(transition, "") {
            let expr = renamed(&on, &|s| index[s]);
            found
                .entry(node_names[output].clone())
                .or_default()
                .push(expr);
        }
    }
    let found = found
        .into_iter()
        .map(|(name, terms)| (name, Expr::Or(terms)))
        .collect();
    (found, unwritten)
}

fn real_file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/interop/real/sbml")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The imported file as a scenario, exported as SBML, and the import's notes.
fn exported(name: &str, text: &str) -> (String, Vec<String>) {
    let network = import(Path::new(name), text).unwrap_or_else(|e| panic!("{e}"));
    let toml =
        crate::interop::scenario_text(&network, crate::interop::Format::Sbml, Path::new(name))
            .unwrap_or_else(|e| panic!("{e}"));
    let scenario = crate::scenario::parse(Path::new("imported.toml"), &toml, None)
        .unwrap_or_else(|e| panic!("{e}"));
    (export(&scenario).text, network.notes)
}

/// Whether the import said it merged gates of `target` into one of unknown sign (a scenario
/// links a set of nodes to a target once), which the export cannot write as logic.
fn merged_at_import(notes: &[String], target: &str) -> bool {
    let end = format!(" -? {target}' whose sign is unknown");
    notes.iter().any(|n| n.contains(&end))
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

/// How one file's functions fared through import, export and re-import.
#[derive(Debug, Default)]
struct Kept {
    compared: usize,
    too_wide: usize,
    /// Functions the export could not write, or wrote changed, because the import merged gates
    /// over one node set into a gate of unknown sign and said so in a note.
    noted: usize,
    changed: Vec<String>,
}

/// Compares every output's truth table before and after export; a function that changed is
/// named in `changed`.
fn compare_functions(name: &str, text: &str) -> Kept {
    let mut names = Names::default();
    let (before, _) = functions(text, &mut names);
    let (exported, notes) = exported(name, text);
    let (after, unwritten) = functions(&exported, &mut names);
    let targets: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut kept = Kept::default();
    let never = Expr::Const(false);
    for target in targets {
        if unwritten.contains(target) || merged_at_import(&notes, target) {
            kept.noted += 1;
            continue;
        }
        let (old, new) = (
            before.get(target).unwrap_or(&never),
            after.get(target).unwrap_or(&never),
        );
        let mut species = species_of(old);
        species.extend(species_of(new));
        species.sort_unstable();
        species.dedup();
        match (truth_table(old, &species), truth_table(new, &species)) {
            (Some(a), Some(b)) if a == b => kept.compared += 1,
            (Some(_), Some(_)) => kept
                .changed
                .push(format!("{target}: {old:?} became {new:?}")),
            _ => kept.too_wide += 1,
        }
    }
    kept
}

#[test]
fn real_models_keep_every_function_through_export() {
    let (mut compared, mut too_wide) = (0, 0);
    for name in REAL_MODELS {
        let kept = compare_functions(name, &real_file(name));
        assert!(
            kept.changed.is_empty(),
            "{name}: functions changed on export:\n{}",
            kept.changed.join("\n")
        );
        assert_eq!(kept.noted, 0, "{name}");
        compared += kept.compared;
        too_wide += kept.too_wide;
    }
    assert!(compared >= 50, "only {compared} functions compared");
    assert_eq!(too_wide, 0);
}

/// The same check over every `.sbml` file of a folder of your own, with a table per file:
/// `CLAIMSIM_SBML_CORPUS=DIR cargo test --release --lib sbml_corpus -- --ignored --nocapture`.
/// (The 131 models of biodivine-lib-param-bn's sbml_models/: docs/interop.md, "Real files".)
#[test]
#[ignore = "needs CLAIMSIM_SBML_CORPUS=DIR, a folder of SBML qual files"]
fn sbml_corpus_keeps_every_function_through_export() {
    let dir = std::env::var("CLAIMSIM_SBML_CORPUS").expect("set CLAIMSIM_SBML_CORPUS=DIR");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("a readable folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sbml" || x == "xml"))
        .collect();
    files.sort();
    let (mut changed, mut failed, mut totals) = (0, 0, Kept::default());
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        if let Err(e) = import(path, &text) {
            failed += 1;
            println!("{name}: import failed: {e}");
            continue;
        }
        let kept = compare_functions(&name, &text);
        println!(
            "{name}: {} functions kept, {} too wide to tabulate, {} merged at import (noted), {} changed",
            kept.compared,
            kept.too_wide,
            kept.noted,
            kept.changed.len()
        );
        for change in &kept.changed {
            println!("    {change}");
        }
        changed += kept.changed.len();
        totals.compared += kept.compared;
        totals.too_wide += kept.too_wide;
        totals.noted += kept.noted;
    }
    println!(
        "{} files: {failed} failed to import; {} functions kept, {} too wide, {} merged at import (noted), {changed} silently changed",
        files.len(),
        totals.compared,
        totals.too_wide,
        totals.noted
    );
    assert_eq!((failed, changed), (0, 0));
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
