//! Nodes, interventions, expectations and the claim ids they cite.

use super::*;

impl Checker<'_> {
    // ---- nodes ---------------------------------------------------------------------------

    pub(super) fn nodes(
        &mut self,
        raw: &BTreeMap<Spanned<String>, RawNode>,
        names: &[String],
    ) -> Vec<Node> {
        let mut nodes: Vec<Node> = names.iter().map(|n| default_node(n)).collect();
        for (key, settings) in raw {
            let name = crate::scenario::links::normalize_name(key.get_ref());
            let Some(index) = names.iter().position(|n| *n == name) else {
                let help = self.unknown_node_help(&name, names);
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

    pub(super) fn node_settings(&mut self, node: &mut Node, settings: &RawNode) {
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

    pub(super) fn interventions(
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

    pub(super) fn presses(
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
            } else if let Some(problem) = simulation.method.press_level_problem(value) {
                let help = problem.help.unwrap_or_default();
                self.error(level.span(), problem.message, help);
            } else {
                presses.push((index, value));
            }
        }
        presses
    }

    pub(super) fn dose(
        &mut self,
        dose: &Spanned<RawDose>,
        builder: &NetworkBuilder,
    ) -> Option<Dose> {
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
    pub(super) fn known_node(
        &mut self,
        name: &Spanned<String>,
        builder: &NetworkBuilder,
        what: &str,
    ) -> Option<usize> {
        let normalized = crate::scenario::links::normalize_name(name.get_ref());
        let found = builder.node_index(&normalized);
        if found.is_none() {
            let help = self.unknown_node_help(&normalized, &builder.node_names);
            self.error(
                name.span(),
                format!("{what} names unknown node '{normalized}'"),
                help,
            );
        }
        found
    }

    // ---- expectations --------------------------------------------------------------------

    pub(super) fn expectations(
        &mut self,
        raw: &[RawExpect],
        names: &[String],
        interventions: &[Intervention],
    ) -> Vec<Expectation> {
        raw.iter()
            .filter_map(|e| self.expectation(e, names, interventions))
            .collect()
    }

    pub(super) fn expectation(
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
        let node_name = crate::scenario::links::normalize_name(raw.node.get_ref());
        let node = names.iter().position(|n| *n == node_name);
        if node.is_none() {
            let help = self.unknown_node_help(&node_name, names);
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

    pub(super) fn known_intervention(
        &mut self,
        name: &Spanned<String>,
        interventions: &[Intervention],
    ) -> Option<usize> {
        let wanted = name.get_ref().trim();
        let found = interventions.iter().position(|i| i.name == wanted);
        if found.is_none() {
            let names: Vec<&str> = interventions.iter().map(|i| i.name.as_str()).collect();
            let help = match self.close_match(wanted, names.iter().copied()) {
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

    /// The `[[claim]]` tables the file embeds: fields checked, ids unique, and each one the
    /// catalogue also has identical to the catalogue's (a stale or edited copy would otherwise
    /// quietly change what an id means).
    pub(super) fn embedded_claims(
        &mut self,
        raw: Vec<RawClaim>,
        catalogue: Option<&dyn ClaimLookup>,
    ) -> Vec<Claim> {
        let checked = check_claims(raw, self.source, &mut self.problems);
        let mut claims = Vec::with_capacity(checked.len());
        for (span, claim) in checked {
            let listed = catalogue.and_then(|c| c.claim(&claim.id).map(|listed| (c, listed)));
            if let Some((catalogue, listed)) = listed
                && let Some(field) = first_difference(&claim, listed)
            {
                self.error(
                    span,
                    format!(
                        "embedded claim '{}' differs from the catalogue's claim of that id in its {field}",
                        claim.id
                    ),
                    format!(
                        "copy the entry of {} (`claimsim new --from` does), or give the embedded claim an id the catalogue does not use",
                        catalogue.origin()
                    ),
                );
            }
            claims.push(claim);
        }
        claims
    }

    pub(super) fn claim_ids(
        &mut self,
        lines: &[NetworkLine],
        expects: &[RawExpect],
        claims: ScenarioClaims,
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
        // Without a catalogue, ids the file does not embed are kept as given: a scenario copied
        // out of the repository still runs, with a warning (`check --strict` makes it an error).
        for (pos, id) in cited {
            if let Resolution::Unknown = claims.resolve(&id) {
                let origin = claims.catalogue.map(|c| c.origin()).unwrap_or_default();
                let d = Diagnostic::at(pos, format!("unknown claim id '{id}'")).help(format!(
                    "add it to {origin} (or embed it in this file as a [[claim]] table), or fix the id"
                ));
                self.report(d);
            }
        }
    }
}
