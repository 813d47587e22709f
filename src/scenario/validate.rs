//! Every check on a scenario, turning the raw file into a [`Scenario`] while collecting all
//! problems with their positions, so one run of `check` lists everything to fix.

use super::dist::{Dist, DistError};
use super::evidence::EvidenceRules;
use super::links::{Arrow, LinkLine, parse_link_line, parse_link_reference};
use super::model::*;
use super::raw::*;
use crate::diagnostic::{Diagnostic, Pos, SourceMap, did_you_mean};
use crate::scenario::catalogue::ModelSystem;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// Answers whether a claim id exists, when a catalogue was found.
pub trait ClaimLookup {
    fn contains(&self, id: &str) -> bool;
    /// Where the catalogue came from, for messages.
    fn origin(&self) -> String;
    /// The model system behind a claim, for evidence rules.
    fn model(&self, id: &str) -> Option<ModelSystem>;
}

/// Default Hill coefficient and EC50 of ode links (Netflux).
const DEFAULT_HILL_N: f64 = 1.4;
const DEFAULT_EC50: f64 = 0.5;

/// Builds the validated scenario, or returns every problem found.
pub fn validate(
    path: &Path,
    raw: RawScenario,
    source: &SourceMap,
    claims: Option<&dyn ClaimLookup>,
) -> Result<Scenario, Vec<Diagnostic>> {
    let mut checker = Checker {
        source,
        problems: Vec::new(),
    };
    let simulation = checker.simulation(raw.simulation.as_ref());
    let network = checker.network(raw.network.as_ref());
    let mut builder = NetworkBuilder::from_lines(&network);
    checker.duplicate_links(&network);
    let rules = checker.evidence_rules(&raw.evidence);
    apply_evidence(&mut builder.links, &rules, claims);
    checker.link_settings(&raw.link, &mut builder);
    let nodes = checker.nodes(&raw.nodes, &builder.node_names);
    let interventions = checker.interventions(&raw.intervention, &builder, &simulation);
    let expectations = checker.expectations(&raw.expect, &builder.node_names, &interventions);
    checker.claim_ids(&network, &raw.expect, claims);
    if !checker.problems.is_empty() {
        return Err(checker.problems);
    }
    Ok(Scenario {
        path: path.to_path_buf(),
        title: raw.title.unwrap_or_else(|| file_stem(path)),
        description: raw.description.unwrap_or_default(),
        cancer: raw.cancer.unwrap_or_default(),
        tags: raw.tags,
        nodes,
        links: builder.links,
        interventions,
        expectations,
        simulation,
    })
}

fn file_stem(path: &Path) -> String {
    path.file_stem().map_or_else(
        || "scenario".to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// One parsed network line with the file position of its first character.
struct NetworkLine {
    link: LinkLine,
    start: Pos,
}

impl NetworkLine {
    /// The file position of something found at `column` (0-based) of this line.
    fn at(&self, column: usize, width: usize) -> Pos {
        self.start.shifted(column, width)
    }
}

/// Links and node names as they accumulate from the network and `[[link]]` settings.
struct NetworkBuilder {
    node_names: Vec<String>,
    /// Index by name: a scan per link made checking 20k links take seconds.
    node_index: HashMap<String, usize>,
    links: Vec<Link>,
    groups: Vec<String>,
}

impl NetworkBuilder {
    fn from_lines(lines: &[NetworkLine]) -> Self {
        let mut builder = NetworkBuilder {
            node_names: Vec::new(),
            node_index: HashMap::new(),
            links: Vec::new(),
            groups: Vec::new(),
        };
        for line in lines {
            let link = builder.link(line);
            builder.links.push(link);
        }
        builder
    }

    fn node(&mut self, name: &str) -> usize {
        if let Some(&i) = self.node_index.get(name) {
            return i;
        }
        self.node_names.push(name.to_string());
        self.node_index
            .insert(name.to_string(), self.node_names.len() - 1);
        self.node_names.len() - 1
    }

    fn link(&mut self, line: &NetworkLine) -> Link {
        let inputs = line
            .link
            .inputs
            .iter()
            .map(|input| GateInput {
                node: self.node(&input.node.text),
                negated: input.negated,
            })
            .collect();
        Link {
            text: line.link.canonical(),
            inputs,
            target: self.node(&line.link.target.text),
            arrow: line.link.arrow,
            claims: line.link.claims.iter().map(|c| c.text.clone()).collect(),
            weight: None,
            present: 1.0,
            present_from_evidence: false,
            group: None,
            hill_n: Dist::Fixed(DEFAULT_HILL_N),
            ec50: Dist::Fixed(DEFAULT_EC50),
            line: line.start.line,
        }
    }

    fn group(&mut self, name: &str) -> usize {
        match self.groups.iter().position(|g| g == name) {
            Some(i) => i,
            None => {
                self.groups.push(name.to_string());
                self.groups.len() - 1
            }
        }
    }

    fn link_index(&self, text: &str) -> Option<usize> {
        self.links.iter().position(|l| l.text == text)
    }

    fn node_index(&self, name: &str) -> Option<usize> {
        self.node_index.get(name).copied()
    }
}

struct Checker<'a> {
    source: &'a SourceMap,
    problems: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn pos(&self, span: Range<usize>) -> Pos {
        self.source.pos(span.start, span.end - span.start)
    }

    /// The line of the table header above the key at `span` ([`SourceMap::table_line`]).
    fn table_line(&self, span: Range<usize>) -> usize {
        self.source.table_line(self.pos(span).line)
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.problems.push(diagnostic);
    }

    fn error(&mut self, span: Range<usize>, message: impl Into<String>, help: impl Into<String>) {
        let diagnostic = Diagnostic::at(self.pos(span), message).help(help);
        self.report(diagnostic);
    }

    // ---- network -------------------------------------------------------------------------

    fn network(&mut self, network: Option<&Spanned<String>>) -> Vec<NetworkLine> {
        let Some(network) = network else {
            self.report(
                Diagnostic::whole_file("the scenario has no `network`").help(
                    "add network = \"\"\"\\nA -> B\\n\"\"\" with one link per line (see docs/scenario-format.md)",
                ),
            );
            return Vec::new();
        };
        let first = self.first_content_position(network.span());
        let mut lines = Vec::new();
        for (k, text) in network.get_ref().lines().enumerate() {
            let start = if k == 0 {
                first
            } else {
                Pos::new(first.line + k, 1, 1)
            };
            // Columns in `Pos` are 1-based, columns from the line parser 0-based.
            let start = Pos::new(start.line, start.column, 1);
            match parse_link_line(text) {
                Ok(Some(link)) => lines.push(NetworkLine { link, start }),
                Ok(None) => {}
                Err(e) => {
                    let diagnostic =
                        Diagnostic::at(start.shifted(e.column, e.width), e.message).help(e.help);
                    self.report(diagnostic);
                }
            }
        }
        if lines.is_empty() && self.problems.is_empty() {
            self.error(
                network.span(),
                "the network has no links",
                "write at least one link such as 'miR-100 -| mTOR', one per line",
            );
        }
        lines
    }

    /// Where the first character of a string value's content sits in the file: after the
    /// quotes, and on the next line when a multi-line string starts with a line break.
    fn first_content_position(&self, span: Range<usize>) -> Pos {
        let raw = self.source_text(span.clone());
        let quote_len = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
            3
        } else {
            1
        };
        let after_quotes = &raw[quote_len.min(raw.len())..];
        let skip_break = if after_quotes.starts_with("\r\n") {
            2
        } else {
            usize::from(after_quotes.starts_with('\n'))
        };
        self.source
            .pos(span.start + quote_len.min(raw.len()) + skip_break, 1)
    }

    fn source_text(&self, span: Range<usize>) -> String {
        let start = self.source.pos(span.start, 0);
        let end = self.source.pos(span.end, 0);
        (start.line..=end.line)
            .filter_map(|l| self.source.line(l))
            .collect::<Vec<_>>()
            .join("\n")
            .chars()
            .skip(start.column - 1)
            .collect()
    }

    fn duplicate_links(&mut self, lines: &[NetworkLine]) {
        let mut seen: HashMap<(Vec<String>, String), &NetworkLine> = HashMap::new();
        for line in lines {
            let inputs = line
                .link
                .inputs
                .iter()
                .map(|i| i.node.text.clone())
                .collect();
            let key = (inputs, line.link.target.text.clone());
            match seen.get(&key) {
                Some(first) => {
                    let help = if first.link.arrow == line.link.arrow {
                        "remove one of the two lines, or merge their claim ids".to_string()
                    } else {
                        format!(
                            "the two lines give opposite or different signs; for a disputed sign keep one line with '-?', e.g. '{}'",
                            LinkLine {
                                arrow: Arrow::Unknown,
                                ..line.link.clone()
                            }
                        )
                    };
                    let message = format!(
                        "duplicate link '{}': line {} already links these nodes",
                        line.link.canonical(),
                        first.start.line
                    );
                    self.report(
                        Diagnostic::at(line.at(0, line.link.canonical().chars().count()), message)
                            .help(help),
                    );
                }
                None => {
                    seen.insert(key, line);
                }
            }
        }
    }

    fn link_settings(&mut self, settings: &[RawLink], builder: &mut NetworkBuilder) {
        let mut configured: HashMap<usize, Range<usize>> = HashMap::new();
        for setting in settings {
            let Some(index) = self.resolve_link(&setting.link, builder, "[[link]]") else {
                continue;
            };
            if let Some(first) = configured.insert(index, setting.link.span()) {
                let line = self.pos(first).line;
                self.error(
                    setting.link.span(),
                    format!(
                        "a second [[link]] for '{}' (the first is on line {line})",
                        builder.links[index].text
                    ),
                    "give each link's settings in one [[link]] table",
                );
            }
            self.apply_link_setting(setting, index, builder);
        }
    }

    /// Finds the link a `[[link]]` or `block` entry names, reporting text that matches none.
    fn resolve_link(
        &mut self,
        text: &Spanned<String>,
        builder: &NetworkBuilder,
        what: &str,
    ) -> Option<usize> {
        match parse_link_reference(text.get_ref()) {
            Err(e) => {
                self.error(text.span(), format!("{what} text: {}", e.message), e.help);
                None
            }
            Ok(link) => {
                let canonical = link.canonical();
                let found = builder.link_index(&canonical);
                if found.is_none() {
                    let help = match did_you_mean(
                        &canonical,
                        builder.links.iter().map(|l| l.text.as_str()),
                    ) {
                        Some(close) => format!(
                            "did you mean '{close}'? the text must match a link of `network`"
                        ),
                        None => "the text must match a link of `network` (spacing does not matter)"
                            .to_string(),
                    };
                    self.error(
                        text.span(),
                        format!("{what} '{canonical}' matches no link in the network"),
                        help,
                    );
                }
                found
            }
        }
    }

    fn apply_link_setting(
        &mut self,
        setting: &RawLink,
        index: usize,
        builder: &mut NetworkBuilder,
    ) {
        if let Some(weight) = &setting.weight {
            builder.links[index].weight = self.dist(weight, "weight", (0.0, f64::INFINITY));
        }
        if let Some(d) = setting
            .n
            .as_ref()
            .and_then(|n| self.dist(n, "n", (f64::MIN_POSITIVE, f64::INFINITY)))
        {
            builder.links[index].hill_n = d;
        }
        if let Some(d) = setting
            .ec50
            .as_ref()
            .and_then(|e| self.dist(e, "ec50", (f64::MIN_POSITIVE, 1.0)))
        {
            builder.links[index].ec50 = d;
        }
        self.check_ec50_domain(setting, &builder.links[index]);
        if let Some(p) = setting.present.as_ref().and_then(|p| self.probability(p)) {
            builder.links[index].present = p;
            builder.links[index].present_from_evidence = false;
        }
        if let Some(group) = &setting.group {
            builder.links[index].group = Some(builder.group(group.get_ref()));
        }
    }

    /// The Netflux activation formula is defined only for EC50^n < 1/2. EC50 < 1, so the
    /// smallest EC50^n comes from the smallest EC50 and the largest n.
    fn check_ec50_domain(&mut self, setting: &RawLink, link: &Link) {
        if setting.ec50.is_none() && setting.n.is_none() {
            return;
        }
        let (ec50_low, _) = link.ec50.support();
        let (_, n_high) = link.hill_n.support();
        let smallest = ec50_low.powf(n_high);
        if smallest < 0.5 {
            return;
        }
        let span = setting
            .ec50
            .as_ref()
            .or(setting.n.as_ref())
            .map_or(setting.link.span(), |s| s.span());
        let message = match (link.ec50.as_fixed(), link.hill_n.as_fixed()) {
            (Some(e), Some(n)) => format!(
                "ec50 = {e} with n = {n} gives EC50^n = {smallest:.3}, but the activation curve needs EC50^n < 0.5"
            ),
            _ => format!(
                "no value of ec50 ({}) with n ({}) satisfies EC50^n < 0.5",
                link.ec50, link.hill_n
            ),
        };
        self.error(
            span,
            message,
            "lower ec50 (below 0.61 at n = 1.4) or raise n so that EC50^n < 0.5",
        );
    }

    /// Parses a number-or-distribution value, checking it stays within `range` if given.
    fn dist(
        &mut self,
        value: &Spanned<NumberOrText>,
        key: &str,
        (min, max): (f64, f64),
    ) -> Option<Dist> {
        let parsed = match value.get_ref() {
            NumberOrText::Number(v) => Dist::fixed(*v),
            NumberOrText::Text(t) => Dist::parse(t),
        };
        match parsed {
            Err(DistError { message, help }) => {
                self.error(value.span(), format!("{key}: {message}"), help);
                None
            }
            Ok(d) => {
                let (lo, hi) = d.support();
                if lo < min || hi > max {
                    let help = describe_range(key, min, max);
                    self.error(
                        value.span(),
                        format!("{key} = {d} can fall outside its valid range"),
                        help,
                    );
                    return None;
                }
                Some(d)
            }
        }
    }

    // ---- evidence ------------------------------------------------------------------------

    fn evidence_rules(
        &mut self,
        raw: &BTreeMap<Spanned<String>, RawEvidenceRule>,
    ) -> EvidenceRules {
        let mut rules = EvidenceRules::default();
        for (key, setting) in raw {
            let Some(model) = ModelSystem::parse(key.get_ref()) else {
                self.error(
                    key.span(),
                    format!("[evidence] key '{}' is not a model system", key.get_ref()),
                    format!("use one of: {}", ModelSystem::NAMES.join(", ")),
                );
                continue;
            };
            if let Some(weight) = &setting.weight {
                self.error(
                    weight.span(),
                    format!("[evidence] {}: a grade sets how likely a link is present, not its weight", key.get_ref()),
                    "remove `weight` here; give a link's magnitude with `weight` in its [[link]] table or for all links in [simulation]",
                );
            }
            if let Some(p) = setting.present.as_ref().and_then(|p| self.probability(p)) {
                rules.set_present(model, p);
            }
        }
        rules
    }

    fn probability(&mut self, value: &Spanned<f64>) -> Option<f64> {
        let p = *value.get_ref();
        if (0.0..=1.0).contains(&p) {
            Some(p)
        } else {
            self.error(
                value.span(),
                format!("present = {p} is not a probability"),
                "give present as a number from 0 to 1",
            );
            None
        }
    }

    // ---- nodes ---------------------------------------------------------------------------

    fn nodes(&mut self, raw: &BTreeMap<Spanned<String>, RawNode>, names: &[String]) -> Vec<Node> {
        let mut nodes: Vec<Node> = names.iter().map(|n| default_node(n)).collect();
        for (key, settings) in raw {
            let name = super::links::normalize_name(key.get_ref());
            let Some(index) = names.iter().position(|n| *n == name) else {
                let help = suggest_node(&name, names);
                self.error(
                    key.span(),
                    format!("[nodes.\"{name}\"] names a node that is not in the network"),
                    help,
                );
                continue;
            };
            self.node_settings(&mut nodes[index], settings);
        }
        nodes
    }

    fn node_settings(&mut self, node: &mut Node, settings: &RawNode) {
        node.label = settings.label.clone();
        node.self_limited = settings.self_limited;
        if let Some(input) = &settings.input {
            let level = *input.get_ref();
            if (0.0..=1.0).contains(&level) {
                node.input = Some(level);
            } else {
                self.error(
                    input.span(),
                    format!("input = {level} is outside [0, 1]"),
                    "an input is a basal activity level from 0 (off) to 1 (fully on)",
                );
            }
        }
        if let Some(d) = settings
            .tau
            .as_ref()
            .and_then(|t| self.dist(t, "tau", (f64::MIN_POSITIVE, f64::INFINITY)))
        {
            node.tau = d;
        }
        if let Some(d) = settings
            .ymax
            .as_ref()
            .and_then(|y| self.dist(y, "ymax", (0.0, f64::INFINITY)))
        {
            node.ymax = d;
        }
    }

    // ---- interventions -------------------------------------------------------------------

    fn interventions(
        &mut self,
        raw: &[RawIntervention],
        builder: &NetworkBuilder,
        simulation: &Simulation,
    ) -> Vec<Intervention> {
        let mut interventions: Vec<Intervention> = Vec::new();
        for entry in raw {
            let name = entry.name.get_ref().trim().to_string();
            if name.is_empty() {
                self.error(
                    entry.name.span(),
                    "an intervention needs a name",
                    "give it a short name such as \"TMZ alone\"",
                );
            } else if interventions.iter().any(|i| i.name == name) {
                self.error(
                    entry.name.span(),
                    format!("two interventions are named '{name}'"),
                    "give every intervention its own name",
                );
            }
            let intervention = Intervention {
                name,
                press: self.presses(entry, builder, simulation),
                knockout: entry
                    .knockout
                    .iter()
                    .filter_map(|n| self.known_node(n, builder, "knockout"))
                    .collect(),
                block: entry
                    .block
                    .iter()
                    .filter_map(|t| self.resolve_link(t, builder, "block"))
                    .collect(),
                doses: entry
                    .doses
                    .iter()
                    .filter_map(|d| self.dose(d, builder))
                    .collect(),
                line: self.table_line(entry.name.span()),
            };
            interventions.push(intervention);
        }
        interventions
    }

    fn presses(
        &mut self,
        entry: &RawIntervention,
        builder: &NetworkBuilder,
        simulation: &Simulation,
    ) -> Vec<(usize, f64)> {
        let mut presses = Vec::new();
        for (node, level) in &entry.press {
            let Some(index) = self.known_node(node, builder, "press") else {
                continue;
            };
            let value = *level.get_ref();
            if !value.is_finite() {
                self.error(
                    level.span(),
                    "a press level must be a finite number",
                    "use e.g. 1.0 for a sustained increase",
                );
            } else if simulation.method.includes_ode() && !(0.0..=1.0).contains(&value) {
                self.error(
                    level.span(),
                    format!("press level {value} is outside [0, 1], which the ode method needs"),
                    "ode presses are input levels from 0 to 1; use a level in that range, or method = \"press\"",
                );
            } else {
                presses.push((index, value));
            }
        }
        presses
    }

    fn dose(&mut self, dose: &Spanned<RawDose>, builder: &NetworkBuilder) -> Option<Dose> {
        let node = self.known_node(&dose.get_ref().node, builder, "dose")?;
        let d = dose.get_ref();
        let count = d.count.unwrap_or(1);
        let every = d.every.unwrap_or(0.0);
        let bad = [
            (!(d.at.is_finite() && d.at >= 0.0), "at must be a time >= 0"),
            (
                !(d.amount.is_finite() && d.amount > 0.0),
                "amount must be > 0",
            ),
            (
                !(d.half_life.is_finite() && d.half_life > 0.0),
                "half_life must be > 0",
            ),
            (!(every.is_finite() && every >= 0.0), "every must be >= 0"),
            (
                count > 1 && every <= 0.0,
                "repeated doses (count > 1) need every > 0",
            ),
            (count == 0, "count must be at least 1"),
        ];
        let problems: Vec<&str> = bad.iter().filter(|(b, _)| *b).map(|(_, m)| *m).collect();
        if !problems.is_empty() {
            self.error(dose.span(), format!("invalid dose: {}", problems.join("; ")), "write doses = [{ node = \"X\", at = 0, amount = 1, half_life = 12, every = 24, count = 3 }]");
            return None;
        }
        Some(Dose {
            node,
            at: d.at,
            amount: d.amount,
            half_life: d.half_life,
            every,
            count,
        })
    }

    /// Resolves a node name given in an intervention, with a suggestion when it is unknown.
    fn known_node(
        &mut self,
        name: &Spanned<String>,
        builder: &NetworkBuilder,
        what: &str,
    ) -> Option<usize> {
        let normalized = super::links::normalize_name(name.get_ref());
        let found = builder.node_index(&normalized);
        if found.is_none() {
            let help = suggest_node(&normalized, &builder.node_names);
            self.error(
                name.span(),
                format!("{what} names unknown node '{normalized}'"),
                help,
            );
        }
        found
    }

    // ---- expectations --------------------------------------------------------------------

    fn expectations(
        &mut self,
        raw: &[RawExpect],
        names: &[String],
        interventions: &[Intervention],
    ) -> Vec<Expectation> {
        raw.iter()
            .filter_map(|e| self.expectation(e, names, interventions))
            .collect()
    }

    fn expectation(
        &mut self,
        raw: &RawExpect,
        names: &[String],
        interventions: &[Intervention],
    ) -> Option<Expectation> {
        let intervention = self.known_intervention(&raw.intervention, interventions);
        let versus = match &raw.versus {
            Some(v) => Some(self.known_intervention(v, interventions)?),
            None => None,
        };
        let node_name = super::links::normalize_name(raw.node.get_ref());
        let node = names.iter().position(|n| *n == node_name);
        if node.is_none() {
            let help = suggest_node(&node_name, names);
            self.error(
                raw.node.span(),
                format!("expectation names unknown node '{node_name}'"),
                help,
            );
        }
        let change = match raw.change.get_ref().as_str() {
            "up" => Some(Change::Up),
            "down" => Some(Change::Down),
            "none" => Some(Change::None),
            other => {
                self.error(
                    raw.change.span(),
                    format!("change = \"{other}\" is not a direction"),
                    "write change = \"up\", \"down\" or \"none\"",
                );
                None
            }
        };
        Some(Expectation {
            intervention: intervention?,
            versus,
            node: node?,
            change: change?,
            claims: raw
                .claims
                .iter()
                .map(|c| c.get_ref().trim().to_string())
                .collect(),
            condition: raw.condition,
            what_if: raw.what_if,
            line: self.table_line(raw.node.span()),
        })
    }

    fn known_intervention(
        &mut self,
        name: &Spanned<String>,
        interventions: &[Intervention],
    ) -> Option<usize> {
        let wanted = name.get_ref().trim();
        let found = interventions.iter().position(|i| i.name == wanted);
        if found.is_none() {
            let names: Vec<&str> = interventions.iter().map(|i| i.name.as_str()).collect();
            let help = match did_you_mean(wanted, names.iter().copied()) {
                Some(close) => format!("did you mean \"{close}\"?"),
                None if names.is_empty() => "add an [[intervention]] with this name".to_string(),
                None => format!("the interventions are: {}", quoted_list(&names)),
            };
            self.error(
                name.span(),
                format!("no intervention is named \"{wanted}\""),
                help,
            );
        }
        found
    }

    // ---- claims --------------------------------------------------------------------------

    fn claim_ids(
        &mut self,
        lines: &[NetworkLine],
        expects: &[RawExpect],
        claims: Option<&dyn ClaimLookup>,
    ) {
        let mut cited: Vec<(Pos, String)> = Vec::new();
        for line in lines {
            for claim in &line.link.claims {
                cited.push((
                    line.at(claim.column, claim.text.chars().count()),
                    claim.text.clone(),
                ));
            }
        }
        for expect in expects {
            for claim in &expect.claims {
                cited.push((self.pos(claim.span()), claim.get_ref().trim().to_string()));
            }
        }
        // Without a catalogue the ids are kept as given: a scenario copied out of the
        // repository still runs, with a warning (`check --strict` makes it an error).
        let Some(catalogue) = claims else {
            return;
        };
        for (pos, id) in cited {
            if !catalogue.contains(&id) {
                let d = Diagnostic::at(pos, format!("unknown claim id '{id}'"))
                    .help(format!("add it to {} or fix the id", catalogue.origin()));
                self.report(d);
            }
        }
    }

    // ---- simulation ----------------------------------------------------------------------

    fn simulation(&mut self, raw: Option<&RawSimulation>) -> Simulation {
        let mut sim = Simulation::default();
        let Some(raw) = raw else { return sim };
        if let Some(m) = &raw.method {
            match Method::parse(m.get_ref()) {
                Some(method) => sim.method = method,
                None => self.error(
                    m.span(),
                    format!("unknown method \"{}\"", m.get_ref()),
                    "use method = \"press\", \"ode\", \"fcm\" or \"all\"",
                ),
            }
        }
        sim.samples = self
            .positive_count(raw.samples.as_ref(), "samples")
            .unwrap_or(sim.samples);
        sim.max_draws = self
            .positive_count(raw.max_draws.as_ref(), "max_draws")
            .unwrap_or_else(|| default_max_draws(sim.samples));
        if let Some(seed) = &raw.seed {
            match u64::try_from(*seed.get_ref()) {
                Ok(s) => sim.seed = s,
                Err(_) => self.error(
                    seed.span(),
                    "seed must be a whole number >= 0",
                    "use e.g. seed = 1",
                ),
            }
        }
        if let Some(d) = raw
            .max_draws
            .as_ref()
            .filter(|_| sim.max_draws < sim.samples)
        {
            self.error(d.span(), format!("max_draws ({}) is below samples ({})", sim.max_draws, sim.samples), "max_draws caps the draws made to reach `samples` accepted ones: set it at least as large");
        }
        self.simulation_choices(raw, &mut sim);
        self.simulation_numbers(raw, &mut sim);
        sim
    }

    fn simulation_choices(&mut self, raw: &RawSimulation, sim: &mut Simulation) {
        if let Some(s) = &raw.self_limitation {
            match s.get_ref().as_str() {
                "all" => sim.self_limitation = SelfLimitation::All,
                "explicit" => sim.self_limitation = SelfLimitation::Explicit,
                other => self.error(
                    s.span(),
                    format!("unknown self_limitation \"{other}\""),
                    "use \"all\" (every node self-damped) or \"explicit\" (only self-links)",
                ),
            }
        }
        if let Some(r) = &raw.fcm_rule {
            match r.get_ref().as_str() {
                "kosko" => sim.fcm_rule = FcmRule::Kosko,
                "modified-kosko" => sim.fcm_rule = FcmRule::ModifiedKosko,
                "rescaled" => sim.fcm_rule = FcmRule::Rescaled,
                other => self.error(
                    r.span(),
                    format!("unknown fcm_rule \"{other}\""),
                    "use \"kosko\", \"modified-kosko\" or \"rescaled\"",
                ),
            }
        }
        if let Some(t) = &raw.fcm_transfer {
            match t.get_ref().as_str() {
                "sigmoid" => sim.fcm_transfer = FcmTransfer::Sigmoid,
                "tanh" => sim.fcm_transfer = FcmTransfer::Tanh,
                other => self.error(
                    t.span(),
                    format!("unknown fcm_transfer \"{other}\""),
                    "use \"sigmoid\" or \"tanh\"",
                ),
            }
        }
        if let Some(unit) = &raw.time_unit {
            sim.time_unit = unit.clone();
        }
    }

    fn simulation_numbers(&mut self, raw: &RawSimulation, sim: &mut Simulation) {
        if let Some(s) = &raw.support {
            let v = *s.get_ref();
            if v > 0.5 && v <= 1.0 {
                sim.support = v;
            } else {
                self.error(
                    s.span(),
                    format!("support = {v} must be above 0.5 and at most 1"),
                    "support is the probability a direction needs to count as supported, e.g. 0.8",
                );
            }
        }
        if let Some(w) = &raw.weight {
            sim.weight = self.dist(w, "weight", (0.0, f64::INFINITY));
        }
        if let Some(t) = &raw.t_end {
            let v = *t.get_ref();
            if v.is_finite() && v > 0.0 {
                sim.t_end = v;
            } else {
                self.error(
                    t.span(),
                    format!("t_end = {v} must be a positive time"),
                    "use e.g. t_end = 30.0",
                );
            }
        }
        if let Some(l) = &raw.fcm_lambda {
            let v = *l.get_ref();
            if v.is_finite() && v > 0.0 {
                sim.fcm_lambda = v;
            } else {
                self.error(
                    l.span(),
                    format!("fcm_lambda = {v} must be positive"),
                    "use e.g. fcm_lambda = 1.0",
                );
            }
        }
    }

    fn positive_count(&mut self, value: Option<&Spanned<i64>>, key: &str) -> Option<u64> {
        let value = value?;
        match u64::try_from(*value.get_ref()) {
            Ok(v) if v > 0 => Some(v),
            _ => {
                self.error(
                    value.span(),
                    format!("{key} must be a whole number above 0"),
                    format!("use e.g. {key} = 10000"),
                );
                None
            }
        }
    }
}

/// Sets each claim-citing link's presence from the grades of the distinct claims it cites.
fn apply_evidence(links: &mut [Link], rules: &EvidenceRules, claims: Option<&dyn ClaimLookup>) {
    let Some(claims) = claims else { return };
    for link in links {
        let mut ids: Vec<&str> = link.claims.iter().map(String::as_str).collect();
        ids.sort_unstable();
        ids.dedup();
        let cited: Vec<ModelSystem> = ids.iter().filter_map(|id| claims.model(id)).collect();
        if let Some(p) = rules.presence(&cited) {
            link.present = p;
            link.present_from_evidence = true;
        }
    }
}

/// Draws allowed by default: generous enough that only a near-impossible acceptance hits it.
pub fn default_max_draws(samples: u64) -> u64 {
    samples.saturating_mul(100).max(1_000_000)
}

fn default_node(name: &str) -> Node {
    Node {
        name: name.to_string(),
        label: None,
        self_limited: None,
        input: None,
        tau: Dist::Fixed(1.0),
        ymax: Dist::Fixed(1.0),
    }
}

fn describe_range(key: &str, min: f64, max: f64) -> String {
    match (min > 0.0, max.is_finite()) {
        (_, true) if min <= 0.0 => format!(
            "{key} must stay within [{min}, {max}]: use a bounded distribution such as uniform or beta"
        ),
        (true, true) => format!(
            "{key} must stay above 0 and at most {max}: use a bounded distribution such as uniform or beta"
        ),
        (true, false) => format!(
            "{key} must stay above 0: use a positive distribution such as uniform(a, b) with a > 0 or lognormal"
        ),
        (false, _) => format!(
            "{key} is a magnitude and must not be negative (the arrow gives the sign): use e.g. uniform(0, 1)"
        ),
    }
}

fn suggest_node(name: &str, names: &[String]) -> String {
    match did_you_mean(name, names.iter().map(String::as_str)) {
        Some(close) => format!("did you mean '{close}'? nodes come from the links in `network`"),
        None => format!(
            "nodes come from the links in `network`; add a link that uses '{name}', or use one of: {}",
            quoted_list(&names.iter().map(String::as_str).collect::<Vec<_>>())
        ),
    }
}

fn quoted_list(names: &[&str]) -> String {
    const SHOWN: usize = 8;
    let mut list: Vec<String> = names.iter().take(SHOWN).map(|n| format!("'{n}'")).collect();
    if names.len() > SHOWN {
        list.push(format!("and {} more", names.len() - SHOWN));
    }
    list.join(", ")
}

/// `check --strict`: problems that are allowed but weaken a scenario, such as links citing no
/// claim, or claims cited with no catalogue to check them against (`catalogue_found`).
/// Reported as errors so a library can be held to the stricter standard.
pub fn strict_problems(scenario: &Scenario, catalogue_found: bool) -> Vec<Diagnostic> {
    let mut problems: Vec<Diagnostic> = scenario
        .links
        .iter()
        .filter(|l| l.claims.is_empty())
        .map(|l| {
            Diagnostic::at(
                Pos::new(l.line, 1, l.text.chars().count()),
                format!("link '{}' cites no claim", l.text),
            )
            .help("cite the claim ids it comes from at the end of the line, e.g. [A131]")
        })
        .collect();
    if let (false, Some(id)) = (catalogue_found, scenario.cited_claims().first()) {
        let message = format!("claim '{id}' is cited but no claims catalogue was found");
        let citing = scenario.links.iter().find(|l| !l.claims.is_empty());
        let diagnostic = match citing {
            Some(link) => {
                Diagnostic::at(Pos::new(link.line, 1, link.text.chars().count()), message)
            }
            None => Diagnostic::whole_file(message),
        };
        problems.push(diagnostic.help(
            "put the catalogue at seeds/claims.toml in a folder above the scenario, or pass --claims FILE",
        ));
    }
    problems
}
