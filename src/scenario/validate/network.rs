//! The `network` string and `[[link]]` settings: parsing link lines, duplicate links, link
//! weights and ode parameters, and the `[evidence]` rules.

use super::*;

pub(super) struct NetworkLine {
    pub(super) link: LinkLine,
    pub(super) start: Pos,
}

impl NetworkLine {
    /// The file position of something found at `column` (0-based) of this line.
    pub(super) fn at(&self, column: usize, width: usize) -> Pos {
        self.start.shifted(column, width)
    }
}

/// Links and node names as they accumulate from the network and `[[link]]` settings.
pub(super) struct NetworkBuilder {
    pub(super) node_names: Vec<String>,
    /// Index by name: a scan per link made checking 20k links take seconds.
    pub(super) node_index: HashMap<String, usize>,
    pub(super) links: Vec<Link>,
    /// Index by canonical text (the first link with it): a scan per `[[link]]` table made a
    /// file of 40k links with settings take seconds to check.
    link_index: HashMap<String, usize>,
    pub(super) groups: Vec<String>,
    group_index: HashMap<String, usize>,
}

impl NetworkBuilder {
    pub(super) fn from_lines(lines: &[NetworkLine]) -> Self {
        let mut builder = NetworkBuilder {
            node_names: Vec::new(),
            node_index: HashMap::new(),
            links: Vec::new(),
            link_index: HashMap::new(),
            groups: Vec::new(),
            group_index: HashMap::new(),
        };
        for line in lines {
            let link = builder.link(line);
            let index = builder.links.len();
            builder.link_index.entry(link.text.clone()).or_insert(index);
            builder.links.push(link);
        }
        builder
    }

    pub(super) fn node(&mut self, name: &str) -> usize {
        if let Some(&i) = self.node_index.get(name) {
            return i;
        }
        self.node_names.push(name.to_string());
        self.node_index
            .insert(name.to_string(), self.node_names.len() - 1);
        self.node_names.len() - 1
    }

    pub(super) fn link(&mut self, line: &NetworkLine) -> Link {
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

    pub(super) fn group(&mut self, name: &str) -> usize {
        if let Some(&i) = self.group_index.get(name) {
            return i;
        }
        self.groups.push(name.to_string());
        self.group_index
            .insert(name.to_string(), self.groups.len() - 1);
        self.groups.len() - 1
    }

    pub(super) fn link_index(&self, text: &str) -> Option<usize> {
        self.link_index.get(text).copied()
    }

    pub(super) fn node_index(&self, name: &str) -> Option<usize> {
        self.node_index.get(name).copied()
    }
}

impl Checker<'_> {
    // ---- network -------------------------------------------------------------------------

    pub(super) fn network(&mut self, network: Option<&Spanned<String>>) -> Vec<NetworkLine> {
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
    pub(super) fn first_content_position(&self, span: Range<usize>) -> Pos {
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

    pub(super) fn source_text(&self, span: Range<usize>) -> String {
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

    pub(super) fn duplicate_links(&mut self, lines: &[NetworkLine]) {
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

    pub(super) fn link_settings(&mut self, settings: &[RawLink], builder: &mut NetworkBuilder) {
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
    pub(super) fn resolve_link(
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
                    let help = match self
                        .close_match(&canonical, builder.links.iter().map(|l| l.text.as_str()))
                    {
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

    pub(super) fn apply_link_setting(
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
    pub(super) fn check_ec50_domain(&mut self, setting: &RawLink, link: &Link) {
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
    pub(super) fn dist(
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

    pub(super) fn evidence_rules(
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

    pub(super) fn probability(&mut self, value: &Spanned<f64>) -> Option<f64> {
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
}
