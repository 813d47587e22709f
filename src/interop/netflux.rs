//! Netflux spreadsheets (.xlsx or .xls, read with calamine): a `species` sheet (ID, name, Yinit,
//! Ymax, tau) and a `reactions` sheet (ID, Rule, Weight, n, EC50), each with a title row, a header
//! row and one entry per row. Columns are found by their headers, so extra columns and a
//! different order are fine.
//!
//! Rules read `A => B`, `!A => B`, `A & !B => C`, or the newer `A AND NOT B -> C`; one product per
//! reaction. A rule without reactants (`=> A`) is an input: its weight becomes the node's basal
//! `input`. Excel stores a cell typed as `=> A` as a formula (`> A`) with no value; such a cell is
//! read back from its formula. Species IDs name the nodes; a different name becomes the label.
//! Weight, n and EC50 go to `[[link]]` tables when they differ from the defaults both tools share
//! (1, 1.4, 0.5); tau and Ymax go to `[nodes]`; Yinit is kept as a comment.

use super::network::{NetLink, NetworkBuilder};
use super::{Network, whole_file};
use crate::diagnostic::{Diagnostic, FileDiagnostics, Pos, SourceMap, did_you_mean};
use crate::error::Error;
use crate::scenario::links::Arrow;
use calamine::{Data, Range, Reader};
use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// Netflux's reaction defaults, which are also the scenario format's for the ode method.
const DEFAULT_WEIGHT: f64 = 1.0;
const DEFAULT_N: f64 = 1.4;
const DEFAULT_EC50: f64 = 0.5;

/// Reads a Netflux workbook.
pub fn import(path: &Path, bytes: &[u8]) -> Result<Network, Error> {
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        whole_file(
            path,
            format!("cannot read the file as a spreadsheet: {e}"),
            "Netflux models are .xlsx (or .xls) workbooks; save the model from Excel or LibreOffice",
        )
    })?;
    let species = Sheet::load(&mut workbook, path, "species", &["id"])?;
    let reactions = Sheet::load(&mut workbook, path, "reactions", &["rule"])?;
    let mut builder = NetworkBuilder::new();
    builder.title(&file_title(path));
    let ids = read_species(&species, &mut builder)?;
    read_reactions(&reactions, &ids, &mut builder)?;
    Ok(builder.finish())
}

fn file_title(path: &Path) -> String {
    path.file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}

/// One sheet: its cells, the formulas behind them, and where its header row is.
struct Sheet {
    name: String,
    /// `file.xlsx[sheet]`, the "file" in messages.
    shown_as: PathBuf,
    cells: Range<Data>,
    formulas: Option<Range<String>>,
    header_row: u32,
    /// Lower-case header text to column.
    columns: HashMap<String, u32>,
}

impl Sheet {
    /// Loads the sheet named `wanted` (any case) and finds the header row, the first of its
    /// first ten rows that holds every header in `required`.
    fn load<R: std::io::Read + std::io::Seek>(
        workbook: &mut calamine::Sheets<R>,
        path: &Path,
        wanted: &str,
        required: &[&str],
    ) -> Result<Sheet, Error> {
        let names = workbook.sheet_names();
        let Some(name) = names.iter().find(|n| n.trim().eq_ignore_ascii_case(wanted)) else {
            return Err(whole_file(
                path,
                format!(
                    "no sheet named '{wanted}' (the sheets are: {})",
                    names.join(", ")
                ),
                "a Netflux model has a 'species' sheet and a 'reactions' sheet",
            ));
        };
        let cells = workbook.worksheet_range(name).map_err(|e| {
            whole_file(
                path,
                format!("cannot read sheet '{name}': {e}"),
                "save the workbook again from a spreadsheet program",
            )
        })?;
        let formulas = workbook.worksheet_formula(name).ok();
        let mut sheet = Sheet {
            name: name.clone(),
            shown_as: PathBuf::from(format!("{}[{name}]", path.display())),
            cells,
            formulas,
            header_row: 0,
            columns: HashMap::new(),
        };
        sheet.find_header(required)?;
        Ok(sheet)
    }

    fn find_header(&mut self, required: &[&str]) -> Result<(), Error> {
        let (Some(start), Some(end)) = (self.cells.start(), self.cells.end()) else {
            return Err(self.whole_sheet(format!("sheet '{}' is empty", self.name)));
        };
        for row in start.0..=end.0.min(start.0 + 9) {
            let columns: HashMap<String, u32> = (start.1..=end.1)
                .map(|col| (self.text(row, col).trim().to_lowercase(), col))
                .filter(|(header, _)| !header.is_empty())
                .collect();
            if required.iter().all(|r| columns.contains_key(*r)) {
                self.header_row = row;
                self.columns = columns;
                return Ok(());
            }
        }
        Err(self.whole_sheet(format!(
            "sheet '{}' has no header row with {}",
            self.name,
            required
                .iter()
                .map(|r| format!("'{r}'"))
                .collect::<Vec<_>>()
                .join(" and ")
        )))
    }

    fn whole_sheet(&self, message: String) -> Error {
        Error::Invalid(Box::new(FileDiagnostics::new(
            &self.shown_as,
            None,
            vec![Diagnostic::whole_file(message).help(
                "Netflux sheets have a title row, then a header row (species: module, ID, name, Yinit, Ymax, tau; reactions: module, ID, Rule, Weight, n, EC50), then one entry per row",
            )],
        )))
    }

    /// The data rows, after the header.
    fn rows(&self) -> std::ops::RangeInclusive<u32> {
        let last = self.cells.end().map_or(0, |e| e.0);
        self.header_row + 1..=last
    }

    /// The column under the first of `headers` the sheet has.
    fn column(&self, headers: &[&str]) -> Option<u32> {
        headers.iter().find_map(|h| self.columns.get(*h).copied())
    }

    fn value(&self, row: u32, col: u32) -> &Data {
        self.cells.get_value((row, col)).unwrap_or(&Data::Empty)
    }

    fn formula(&self, row: u32, col: u32) -> Option<&str> {
        self.formulas
            .as_ref()?
            .get_value((row, col))
            .map(String::as_str)
            .filter(|f| !f.is_empty())
    }

    /// A cell as shown: its value, or `=formula` when it has no value.
    fn text(&self, row: u32, col: u32) -> String {
        match (self.value(row, col), self.formula(row, col)) {
            (Data::Empty | Data::Error(_), Some(formula)) => format!("={formula}"),
            (Data::Empty, None) => String::new(),
            (value, _) => value.to_string(),
        }
    }

    fn text_at(&self, row: u32, col: Option<u32>) -> String {
        col.map_or_else(String::new, |c| self.text(row, c).trim().to_string())
    }

    /// A number cell: `Ok(None)` when empty.
    fn number(&self, row: u32, col: Option<u32>) -> Result<Option<f64>, String> {
        let Some(col) = col else { return Ok(None) };
        match self.value(row, col) {
            Data::Empty => Ok(None),
            Data::Float(v) if v.is_finite() => Ok(Some(*v)),
            Data::Int(v) => Ok(Some(*v as f64)),
            Data::String(s) if s.trim().is_empty() => Ok(None),
            Data::String(s) => super::finite(s)
                .map(Some)
                .ok_or_else(|| format!("'{}' is not a number", s.trim())),
            other => Err(format!("'{other}' is not a number")),
        }
    }

    /// A number column's value in a row, checked: `Ok(None)` when the column or cell is empty.
    fn checked_number(&self, row: u32, spec: &NumberColumn) -> Result<Option<f64>, Diagnostic> {
        let col = self.column(spec.headers);
        let problem = |message: String| self.problem(row, col.unwrap_or(0), message, spec.help);
        match self.number(row, col) {
            Ok(Some(v)) if !(spec.valid)(v) => {
                Err(problem(format!("{} = {v} is out of range", spec.key)))
            }
            Ok(value) => Ok(value),
            Err(message) => Err(problem(format!("{}: {message}", spec.key))),
        }
    }

    /// The sheet's rows as text lines (cells joined by " | "), so messages can show the row
    /// with a caret under the cell.
    fn source(&self) -> SourceMap {
        let end = self.cells.end().unwrap_or((0, 0));
        let lines: Vec<String> = (0..=end.0)
            .map(|row| {
                (0..=end.1)
                    .map(|col| self.text(row, col))
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .collect();
        SourceMap::new(&lines.join("\n"))
    }

    /// A problem at a cell, pointing at the cell in the row's text.
    fn problem(&self, row: u32, col: u32, message: String, help: impl Into<String>) -> Diagnostic {
        let column: usize = (0..col)
            .map(|c| self.text(row, c).chars().count() + 3)
            .sum();
        let width = self.text(row, col).chars().count().max(1);
        Diagnostic::at(
            Pos::new(row as usize + 1, column + 1, width),
            format!("cell {}: {message}", cell_name(row, col)),
        )
        .help(help)
    }

    fn invalid(&self, problems: Vec<Diagnostic>) -> Error {
        Error::Invalid(Box::new(FileDiagnostics::new(
            &self.shown_as,
            Some(self.source()),
            problems,
        )))
    }
}

/// `C5` for row 4, column 2 (0-based).
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

/// Reads the species sheet into nodes; returns the node of each species ID.
fn read_species(
    sheet: &Sheet,
    builder: &mut NetworkBuilder,
) -> Result<HashMap<String, usize>, Error> {
    let id_col = sheet.column(&["id"]);
    let name_col = sheet.column(&["name"]);
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut problems = Vec::new();
    for row in sheet.rows() {
        let id = sheet.text_at(row, id_col);
        if id.is_empty() {
            continue;
        }
        let col = id_col.unwrap_or(0);
        if ids.contains_key(&id) {
            problems.push(sheet.problem(
                row,
                col,
                format!("species '{id}' is listed twice"),
                "give every species its own ID",
            ));
            continue;
        }
        let node = builder.node(&id);
        ids.insert(id.clone(), node);
        let name = sheet.text_at(row, name_col);
        if !name.is_empty() && name != id && builder.node_mut(node).label.is_none() {
            builder.node_mut(node).label = Some(name);
        }
        for spec in &SPECIES_NUMBERS {
            match sheet.checked_number(row, spec) {
                Ok(Some(v)) => set_species_value(builder, node, spec.key, v),
                Ok(None) => {}
                Err(problem) => problems.push(problem),
            }
        }
    }
    if !problems.is_empty() {
        return Err(sheet.invalid(problems));
    }
    Ok(ids)
}

/// Keeps the values that differ from the defaults (tau 1, Ymax 1, Yinit 0).
fn set_species_value(builder: &mut NetworkBuilder, node: usize, key: &str, value: f64) {
    let settings = builder.node_mut(node);
    match key {
        "tau" if value != 1.0 => settings.tau = Some(value),
        "Ymax" if value != 1.0 => settings.ymax = Some(value),
        "Yinit" if value != 0.0 => {
            settings.initial = Some(value);
            builder.note(
                "initial activities (Yinit) are kept as comments in [nodes.\"ID\"] tables: the scenario format has no key for initial values yet",
            );
        }
        _ => {}
    }
}

/// A number column: the headers it may have, its name in messages, which values are valid, and
/// what it means (the help for a bad value).
struct NumberColumn {
    headers: &'static [&'static str],
    key: &'static str,
    valid: fn(f64) -> bool,
    help: &'static str,
}

const SPECIES_NUMBERS: [NumberColumn; 3] = [
    NumberColumn {
        headers: &["yinit", "y0", "initial"],
        key: "Yinit",
        valid: |v| v >= 0.0,
        help: "Yinit is an initial activity, 0 or more",
    },
    NumberColumn {
        headers: &["ymax"],
        key: "Ymax",
        valid: |v| v >= 0.0,
        help: "Ymax is a maximal activity, 0 or more (1 by default)",
    },
    NumberColumn {
        headers: &["tau"],
        key: "tau",
        valid: |v| v > 0.0,
        help: "tau is a time constant and must be above 0",
    },
];

/// Weight, n and EC50, in this order.
const REACTION_NUMBERS: [NumberColumn; 3] = [
    NumberColumn {
        headers: &["weight", "w"],
        key: "Weight",
        valid: |v| (0.0..=1.0).contains(&v),
        help: "the weight is a reaction strength from 0 to 1",
    },
    NumberColumn {
        headers: &["n"],
        key: "n",
        valid: |v| v > 0.0,
        help: "n is a Hill coefficient and must be above 0",
    },
    NumberColumn {
        headers: &["ec50"],
        key: "EC50",
        valid: |v| v > 0.0 && v <= 1.0,
        help: "EC50 is a half-maximal input, above 0 and at most 1",
    },
];

/// The parameters of one reaction.
struct Parameters {
    weight: f64,
    n: f64,
    ec50: f64,
}

fn read_reactions(
    sheet: &Sheet,
    ids: &HashMap<String, usize>,
    builder: &mut NetworkBuilder,
) -> Result<(), Error> {
    let rule_col = sheet.column(&["rule"]).unwrap_or(0);
    let id_col = sheet.column(&["id"]);
    let mut problems = Vec::new();
    for row in sheet.rows() {
        let rule = sheet.text_at(row, Some(rule_col));
        let id = sheet.text_at(row, id_col);
        if rule.is_empty() {
            if !id.is_empty() {
                problems.push(sheet.problem(
                    row,
                    rule_col,
                    format!("reaction '{id}' has no rule"),
                    "write the rule, e.g. 'A & !B => C', or delete the row",
                ));
            }
            continue;
        }
        let origin = if id.is_empty() {
            format!("reactions row {}", row + 1)
        } else {
            format!("reaction {id}")
        };
        if sheet.formula(row, rule_col).is_some()
            && matches!(sheet.value(row, rule_col), Data::Empty | Data::Error(_))
        {
            builder.note(format!(
                "{origin}: the rule '{rule}' was stored as a formula (Excel treats a cell starting with '=' as one) and was read from the formula"
            ));
        }
        let parsed = parse_rule(&rule).and_then(|r| {
            let (r, plus) = with_plus_as_and(r, ids);
            if plus {
                builder.note(format!(
                    "{origin}: '+' between reactants read as AND (the older Netflux syntax): '{rule}'"
                ));
            }
            resolve(&r, ids)
        });
        let parameters = parameters(sheet, row, &mut problems);
        match (parsed, parameters) {
            (Ok((inputs, target)), Some(p)) => add_reaction(builder, inputs, target, &p, &origin),
            (Err((message, help)), _) => problems.push(sheet.problem(row, rule_col, message, help)),
            (Ok(_), None) => {}
        }
    }
    if problems.is_empty() && !builder.has_links() {
        problems.push(
            Diagnostic::whole_file("the reactions sheet holds no reaction between species")
                .help("write rules such as 'A => B' in the Rule column"),
        );
    }
    if !problems.is_empty() {
        return Err(sheet.invalid(problems));
    }
    Ok(())
}

/// Weight, n and EC50 of a row (defaults when empty); `None` after recording a problem.
fn parameters(sheet: &Sheet, row: u32, problems: &mut Vec<Diagnostic>) -> Option<Parameters> {
    let defaults = [DEFAULT_WEIGHT, DEFAULT_N, DEFAULT_EC50];
    let mut values = defaults;
    let mut ok = true;
    for (k, spec) in REACTION_NUMBERS.iter().enumerate() {
        match sheet.checked_number(row, spec) {
            Ok(v) => values[k] = v.unwrap_or(defaults[k]),
            Err(problem) => {
                problems.push(problem);
                ok = false;
            }
        }
    }
    ok.then_some(Parameters {
        weight: values[0],
        n: values[1],
        ec50: values[2],
    })
}

fn add_reaction(
    builder: &mut NetworkBuilder,
    inputs: Vec<(usize, bool)>,
    target: usize,
    p: &Parameters,
    origin: &str,
) {
    if inputs.is_empty() {
        let node = builder.node_mut(target);
        node.input = Some(node.input.map_or(p.weight, |w| w.max(p.weight)));
        return;
    }
    let mut link = NetLink::new(inputs, target, Arrow::Raises);
    link.weight = (p.weight != DEFAULT_WEIGHT).then_some(p.weight);
    if p.ec50.powf(p.n) >= 0.5 {
        builder.note(format!(
            "{origin}: EC50 = {} with n = {} gives EC50^n >= 0.5, which the scenario's activation curve does not allow; the link keeps n = 1.4, EC50 = 0.5",
            p.ec50, p.n
        ));
    } else {
        link.n = (p.n != DEFAULT_N).then_some(p.n);
        link.ec50 = (p.ec50 != DEFAULT_EC50).then_some(p.ec50);
    }
    builder.add_link(link, origin);
}

type RuleError = (String, &'static str);

/// A rule's reactants (name, negated) and its product.
#[derive(Debug, PartialEq)]
struct Rule<'a> {
    reactants: Vec<(&'a str, bool)>,
    product: &'a str,
}

const RULE_HELP: &str = "write rules as 'A => B', '!A => B' (inhibition), 'A & !B => C' (gate) or '=> A' (input); 'AND', 'NOT' and '->' also work";

/// Splits a rule into reactants (name, negated) and its product.
fn parse_rule(rule: &str) -> Result<Rule<'_>, RuleError> {
    let arrows: Vec<(usize, &str)> = rule
        .match_indices("=>")
        .chain(rule.match_indices("->"))
        .collect();
    let (at, arrow) = match arrows.as_slice() {
        [one] => *one,
        [] => return Err((format!("no '=>' in the rule '{rule}'"), RULE_HELP)),
        _ => {
            return Err((
                format!("more than one '=>' in the rule '{rule}'"),
                "write one reaction per row",
            ));
        }
    };
    let product = rule[at + arrow.len()..].trim();
    if product.is_empty() {
        return Err((
            format!("the rule '{rule}' has no product after '{arrow}'"),
            RULE_HELP,
        ));
    }
    if product.contains(['&', ',', '!']) || product.contains(" AND ") {
        return Err((
            format!("the rule '{rule}' has more than a single product"),
            "Netflux reactions have one product; write one row per product",
        ));
    }
    let left = &rule[..at];
    if left.trim().is_empty() {
        return Ok(Rule {
            reactants: Vec::new(),
            product,
        });
    }
    let mut reactants = Vec::new();
    for part in left.split('&').flat_map(|p| p.split(" AND ")) {
        let part = part.trim();
        let (negated, name) = match part.strip_prefix('!').or(part.strip_prefix("NOT ")) {
            Some(rest) => (true, rest.trim()),
            None => (false, part),
        };
        if name.is_empty() {
            return Err((format!("a reactant of '{rule}' is missing"), RULE_HELP));
        }
        reactants.push((name, negated));
    }
    Ok(Rule { reactants, product })
}

/// Older Netflux files join reactants with `+` for AND (`NE + !B1ARPG => X`). A reactant that
/// is no species ID but splits at `+` into species IDs is read so (IDs such as `Ca2+` stay
/// whole); returns whether any was split.
fn with_plus_as_and<'a>(rule: Rule<'a>, ids: &HashMap<String, usize>) -> (Rule<'a>, bool) {
    let mut reactants = Vec::new();
    let mut split = false;
    for (name, negated) in rule.reactants {
        let parts: Vec<(&str, bool)> = name
            .split('+')
            .enumerate()
            .map(|(k, part)| {
                let part = part.trim();
                match part.strip_prefix('!') {
                    Some(rest) => (rest.trim(), true),
                    None => (part, k == 0 && negated),
                }
            })
            .collect();
        let all_known = parts.iter().all(|(p, _)| ids.contains_key(*p));
        if ids.contains_key(name) || parts.len() < 2 || !all_known {
            reactants.push((name, negated));
        } else {
            reactants.extend(parts);
            split = true;
        }
    }
    let product = rule.product;
    (Rule { reactants, product }, split)
}

/// The nodes a rule's names stand for.
fn resolve(
    rule: &Rule<'_>,
    ids: &HashMap<String, usize>,
) -> Result<(Vec<(usize, bool)>, usize), RuleError> {
    let node = |name: &str| {
        ids.get(name).copied().ok_or_else(|| {
            let close = did_you_mean(name, ids.keys().map(String::as_str));
            let message = match close {
                Some(c) => format!("unknown species '{name}' (did you mean '{c}'?)"),
                None => format!("unknown species '{name}'"),
            };
            let help = if name.contains('+') {
                "every name in a rule must be an ID in the species sheet; '+' between reactants is the older Netflux AND, read only when every part is a species ID: write 'A & B => C'"
            } else {
                "every name in a rule must be an ID in the species sheet"
            };
            (message, help)
        })
    };
    let inputs = rule
        .reactants
        .iter()
        .map(|&(name, negated)| Ok((node(name)?, negated)))
        .collect::<Result<Vec<_>, RuleError>>()?;
    Ok((inputs, node(rule.product)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_in_both_syntaxes() {
        let rule = |reactants: Vec<(&'static str, bool)>, product| Rule { reactants, product };
        let gate = rule(vec![("A", false), ("B", true)], "C");
        assert_eq!(parse_rule("A & !B => C").unwrap(), gate);
        assert_eq!(parse_rule("A AND NOT B -> C").unwrap(), gate);
        assert_eq!(parse_rule("=> A").unwrap(), rule(vec![], "A"));
        assert_eq!(
            parse_rule(" !PKA => PKI ").unwrap(),
            rule(vec![("PKA", true)], "PKI")
        );
    }

    #[test]
    fn bad_rules_say_why() {
        assert!(parse_rule("A B").unwrap_err().0.contains("no '=>'"));
        assert!(
            parse_rule("A => B => C")
                .unwrap_err()
                .0
                .contains("more than one")
        );
        assert!(parse_rule("A =>").unwrap_err().0.contains("no product"));
        assert!(
            parse_rule("A => B & C")
                .unwrap_err()
                .0
                .contains("single product")
        );
        assert!(parse_rule("A & => C").unwrap_err().0.contains("missing"));
    }

    #[test]
    fn plus_is_the_older_and_unless_an_id_holds_it() {
        let ids: HashMap<String, usize> = ["NE", "B1ARPG", "Ca2+", "X"]
            .iter()
            .enumerate()
            .map(|(k, id)| (id.to_string(), k))
            .collect();
        let read = |text| {
            let (rule, split) = with_plus_as_and(parse_rule(text).unwrap(), &ids);
            (resolve(&rule, &ids), split)
        };
        let (gate, split) = read("NE + !B1ARPG => X");
        assert_eq!(gate.unwrap(), (vec![(0, false), (1, true)], 3));
        assert!(split);
        let (whole, split) = read("Ca2+ => X");
        assert_eq!(whole.unwrap(), (vec![(2, false)], 3));
        assert!(!split);
        let (unknown, _) = read("NE + Y => X");
        let (message, help) = unknown.unwrap_err();
        assert!(message.contains("'NE + Y'"), "{message}");
        assert!(help.contains("older Netflux AND"), "{help}");
    }

    #[test]
    fn cell_names_use_spreadsheet_letters() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(4, 2), "C5");
        assert_eq!(cell_name(9, 27), "AB10");
    }
}
