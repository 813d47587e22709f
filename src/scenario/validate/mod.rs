//! Every check on a scenario, turning the raw file into a [`Scenario`] while collecting all
//! problems with their positions, so one run of `check` lists everything to fix.
//!
//! One file per part of the file: `network` (links, their settings and the evidence rules),
//! `entries` (nodes, interventions, expectations, cited claims) and `simulation`.

use super::dist::{Dist, DistError};
use super::evidence::EvidenceRules;
use super::links::{Arrow, LinkLine, parse_link_line, parse_link_reference};
use super::model::*;
use super::raw::*;
use crate::diagnostic::{Diagnostic, MAX_SHOWN, Pos, SourceMap, did_you_mean};
use crate::scenario::catalogue::{
    Claim, ModelSystem, RawClaim, Resolution, ScenarioClaims, check_claims, first_difference,
};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

mod entries;
mod network;
mod simulation;

use network::{NetworkBuilder, NetworkLine};

/// A claims catalogue, as far as validation needs it.
pub trait ClaimLookup {
    /// The claim of that id, if the catalogue has it.
    fn claim(&self, id: &str) -> Option<&Claim>;
    /// Where the catalogue came from, for messages.
    fn origin(&self) -> String;
    fn contains(&self, id: &str) -> bool {
        self.claim(id).is_some()
    }
    /// The model system behind a claim, for evidence rules.
    fn model(&self, id: &str) -> Option<ModelSystem> {
        self.claim(id).map(|c| c.model)
    }
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
    let embedded = checker.embedded_claims(raw.claim, claims);
    let lookup = ScenarioClaims {
        embedded: &embedded,
        catalogue: claims,
    };
    apply_evidence(&mut builder.links, &rules, lookup);
    checker.link_settings(&raw.link, &mut builder);
    let nodes = checker.nodes(&raw.nodes, &builder.node_names);
    let interventions = checker.interventions(&raw.intervention, &builder, &simulation);
    let expectations = checker.expectations(&raw.expect, &builder.node_names, &interventions);
    checker.claim_ids(&network, &raw.expect, lookup);
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
        claims: embedded,
    })
}

fn file_stem(path: &Path) -> String {
    path.file_stem().map_or_else(
        || "scenario".to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// One parsed network line with the file position of its first character.
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

    /// The likely intended name for a typo, searched only while the problems found so far are
    /// still shown ([`MAX_SHOWN`]): past that, a suggestion would never be read, and a file
    /// of thousands of typos must not cost thousands of searches.
    fn close_match<'n>(
        &self,
        word: &str,
        candidates: impl IntoIterator<Item = &'n str>,
    ) -> Option<&'n str> {
        if self.problems.len() >= MAX_SHOWN {
            return None;
        }
        did_you_mean(word, candidates)
    }

    /// The help for an unknown node name.
    fn unknown_node_help(&self, name: &str, names: &[String]) -> String {
        let close = self.close_match(name, names.iter().map(String::as_str));
        suggest_node(close, name, names)
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.problems.push(diagnostic);
    }

    fn error(&mut self, span: Range<usize>, message: impl Into<String>, help: impl Into<String>) {
        let diagnostic = Diagnostic::at(self.pos(span), message).help(help);
        self.report(diagnostic);
    }
}

/// Sets each claim-citing link's presence from the grades of the distinct claims it cites.
fn apply_evidence(links: &mut [Link], rules: &EvidenceRules, claims: ScenarioClaims) {
    for link in links {
        let mut ids: Vec<&str> = link.claims.iter().map(String::as_str).collect();
        ids.sort_unstable();
        ids.dedup();
        let cited: Vec<ModelSystem> = ids
            .iter()
            .filter_map(|id| claims.get(id).map(|c| c.model))
            .collect();
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

fn suggest_node(close: Option<&str>, name: &str, names: &[String]) -> String {
    match close {
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
    if let (false, Some(id)) = (catalogue_found, scenario.unembedded_claims().first()) {
        let message = format!("claim '{id}' is cited but no claims catalogue was found");
        let citing = scenario
            .links
            .iter()
            .find(|l| l.claims.iter().any(|c| c == id));
        let diagnostic = match citing {
            Some(link) => {
                Diagnostic::at(Pos::new(link.line, 1, link.text.chars().count()), message)
            }
            None => Diagnostic::whole_file(message),
        };
        problems.push(diagnostic.help(
            "put the catalogue at seeds/claims.toml in a folder above the scenario, or pass --claims FILE, or embed the claim as a [[claim]] table (`claimsim new --from SCENARIO COPY` writes a copy with every cited claim embedded)",
        ));
    }
    problems
}
