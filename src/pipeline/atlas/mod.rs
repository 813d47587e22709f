//! The literature atlas: the whole claims catalogue as one signed network, and every claim
//! tested against the rest of it.
//!
//! Every claim is a link regulator -> target between canonical names ([`aliases`]): `+` raises,
//! `-` lowers, `?` and `±` are links of unknown sign. The claims on one canonical pair make one
//! link: raising when all of them raise, lowering when all lower, unknown sign otherwise.
//!
//! A claim with a direction is tested by removing it (the pair's link is rebuilt from the other
//! claims on the pair, or dropped when there are none) and pressing its regulator with the press
//! method: P(target moves the claimed way) gives the class, with the paths that carry it. The
//! press runs on the part of the network that can carry the effect: the nodes both reachable
//! from the regulator and reaching the target. Every loop through such a node lies inside that
//! set, and no other node feeds it, so the target's response there is the same as in the whole
//! atlas (the network is block-triangular around it). Parts larger than
//! [`AtlasSettings::max_nodes`] are reported as too large instead of run.

pub mod aliases;
pub mod conflicts;
pub mod scenarios;

use crate::analysis::Verdict;
use crate::analysis::paths::{NetSign, SignedPath, signed_paths};
use crate::error::Error;
use crate::scenario::catalogue::{Catalogue, Claim, ModelSystem};
use crate::scenario::evidence::STRENGTH_ORDER;
use crate::scenario::{self, ClaimLookup, Scenario};
use aliases::Aliases;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// Which claims enter the atlas.
#[derive(Debug, Clone, Default)]
pub struct ClaimFilter {
    /// Claims of this cancer (case-insensitive) and `general` ones.
    pub cancer: Option<String>,
    /// Claims whose model system is at least this strong (the order of
    /// [`STRENGTH_ORDER`]: clinical > animal > in-vitro > review > title-only > inferred).
    pub model: Option<ModelSystem>,
    /// Claims from this seed file (its file name, or the start of it, e.g. `001`).
    pub seed: Option<String>,
}

impl ClaimFilter {
    pub fn admits(&self, claim: &Claim) -> bool {
        let cancer = self.cancer.as_ref().is_none_or(|c| {
            claim.cancer.eq_ignore_ascii_case(c.trim()) || claim.cancer == "general"
        });
        let model = self
            .model
            .is_none_or(|m| strength(claim.model) <= strength(m));
        let seed = self.seed.as_ref().is_none_or(|s| {
            let file = Path::new(s)
                .file_name()
                .map_or(s.clone(), |f| f.to_string_lossy().into_owned());
            claim.seed.starts_with(&file)
        });
        cancer && model && seed
    }

    /// The filter as the user gave it, for titles; empty when it admits everything.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = &self.cancer {
            parts.push(format!("cancer {c} (and general)"));
        }
        if let Some(m) = self.model {
            parts.push(format!("model {} or stronger", m.as_str()));
        }
        if let Some(s) = &self.seed {
            parts.push(format!("seed {s}"));
        }
        parts.join(", ")
    }
}

/// Rank of a model system, 0 the strongest.
fn strength(model: ModelSystem) -> usize {
    STRENGTH_ORDER
        .iter()
        .position(|&m| m == model)
        .unwrap_or(STRENGTH_ORDER.len())
}

/// How the atlas is run.
#[derive(Debug, Clone)]
pub struct AtlasSettings {
    pub samples: u64,
    pub seed: u64,
    pub max_draws: u64,
    /// Probability from which a direction counts as predicted.
    pub support: f64,
    /// Largest part of the network a claim is tested on.
    pub max_nodes: usize,
    /// Paths listed per claim.
    pub max_paths: usize,
    pub filter: ClaimFilter,
    /// Worker threads; `None` uses the current pool. Results do not depend on it.
    pub threads: Option<usize>,
}

impl Default for AtlasSettings {
    fn default() -> Self {
        AtlasSettings {
            samples: 2_000,
            seed: 1,
            max_draws: 200_000,
            support: 0.8,
            max_nodes: 24,
            max_paths: 5,
            filter: ClaimFilter::default(),
            threads: None,
        }
    }
}

/// The sign a claim states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimSign {
    Raises,
    Lowers,
    /// `?`: an effect of unstated direction.
    Unstated,
    /// `±`: both directions stated.
    Both,
}

impl ClaimSign {
    fn parse(sign: &str) -> ClaimSign {
        match sign {
            "+" => ClaimSign::Raises,
            "-" => ClaimSign::Lowers,
            "±" => ClaimSign::Both,
            _ => ClaimSign::Unstated,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            ClaimSign::Raises => "+",
            ClaimSign::Lowers => "-",
            ClaimSign::Unstated => "?",
            ClaimSign::Both => "±",
        }
    }
}

/// One claim placed in the atlas.
#[derive(Debug, Clone)]
pub struct AtlasClaim {
    pub claim: Claim,
    pub regulator: usize,
    pub target: usize,
    pub sign: ClaimSign,
}

/// The catalogue as one network over canonical names.
#[derive(Debug, Clone)]
pub struct Atlas {
    /// Canonical node names, sorted.
    pub nodes: Vec<String>,
    pub claims: Vec<AtlasClaim>,
    /// Claims the filter left out.
    pub filtered_out: usize,
}

impl Atlas {
    /// Places the catalogue's claims that pass `filter` on canonical names.
    pub fn build(catalogue: &Catalogue, aliases: &Aliases, filter: &ClaimFilter) -> Atlas {
        let admitted: Vec<&Claim> = catalogue
            .claims
            .iter()
            .filter(|c| filter.admits(c))
            .collect();
        let mut index: BTreeMap<String, usize> = admitted
            .iter()
            .flat_map(|c| {
                [
                    aliases.canonical(&c.regulator),
                    aliases.canonical(&c.target),
                ]
            })
            .map(|name| (name.to_string(), 0))
            .collect();
        for (i, slot) in index.values_mut().enumerate() {
            *slot = i;
        }
        let claims = admitted
            .iter()
            .map(|c| AtlasClaim {
                claim: (*c).clone(),
                regulator: index[aliases.canonical(&c.regulator)],
                target: index[aliases.canonical(&c.target)],
                sign: ClaimSign::parse(&c.sign),
            })
            .collect();
        Atlas {
            nodes: index.into_keys().collect(),
            claims,
            filtered_out: catalogue.claims.len() - admitted.len(),
        }
    }

    /// The signed links, one per canonical pair, built from every claim but `left_out`.
    fn links_without(&self, left_out: Option<usize>) -> Vec<PairLink> {
        let mut pairs: BTreeMap<(usize, usize), PairLink> = BTreeMap::new();
        for (i, c) in self.claims.iter().enumerate() {
            if Some(i) == left_out || c.regulator == c.target {
                continue;
            }
            let link = pairs
                .entry((c.regulator, c.target))
                .or_insert_with(|| PairLink {
                    from: c.regulator,
                    to: c.target,
                    sign: c.sign,
                    claims: Vec::new(),
                });
            if link.sign != c.sign {
                link.sign = ClaimSign::Both;
            }
            link.claims.push(i);
        }
        pairs.into_values().collect()
    }
}

/// The link of one canonical pair.
#[derive(Debug, Clone)]
struct PairLink {
    from: usize,
    to: usize,
    /// Raises or Lowers when every claim agrees; otherwise read as unknown.
    sign: ClaimSign,
    /// Indices into [`Atlas::claims`].
    claims: Vec<usize>,
}

impl PairLink {
    fn arrow(&self) -> &'static str {
        match self.sign {
            ClaimSign::Raises => "->",
            ClaimSign::Lowers => "-|",
            ClaimSign::Unstated | ClaimSign::Both => "-?",
        }
    }
}

/// What the rest of the atlas says about a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// The rest of the atlas predicts the claimed direction (P ≥ support).
    Corroborated,
    /// The rest predicts the opposite (P(not the claimed direction) ≥ support).
    Contradicted,
    /// Paths exist but point both ways.
    Ambivalent,
    /// No other path from the regulator reaches the target.
    Independent,
    /// The part of the atlas that carries the effect is larger than the bound.
    TooLarge,
    /// The claim states no direction (`?`, `±`), or acts on itself after aliasing.
    Untestable,
    /// The press run could not accept enough draws.
    Failed,
}

impl Class {
    pub const ALL: [Class; 7] = [
        Class::Corroborated,
        Class::Contradicted,
        Class::Ambivalent,
        Class::Independent,
        Class::TooLarge,
        Class::Untestable,
        Class::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Class::Corroborated => "corroborated",
            Class::Contradicted => "contradicted",
            Class::Ambivalent => "ambivalent",
            Class::Independent => "independent",
            Class::TooLarge => "too-large",
            Class::Untestable => "untestable",
            Class::Failed => "failed",
        }
    }

    /// Whether a press run gave the class.
    pub fn was_tested(self) -> bool {
        matches!(
            self,
            Class::Corroborated | Class::Contradicted | Class::Ambivalent | Class::Independent
        )
    }
}

/// The test of one claim.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimTest {
    pub id: String,
    pub regulator: String,
    pub target: String,
    /// The names as the catalogue writes them, when aliasing changed them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regulator_as_written: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_as_written: Option<String>,
    pub sign: String,
    pub cancer: String,
    pub model: String,
    pub seed: String,
    pub class: Class,
    /// P(target moves the claimed way) on the rest of the atlas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// P(it does not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_opposite: Option<f64>,
    /// Nodes of the part of the atlas the claim was tested on.
    pub subnetwork_nodes: usize,
    /// The signed paths that carry the effect, shortest first, e.g.
    /// `MSC exosomes -> miR-100 -| mTOR  [A437; A146]`.
    pub paths: Vec<String>,
    /// How many paths there are in all (up to the enumeration cap).
    pub path_count: usize,
    /// Why the claim was not tested, or why its run failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Tests every claim of the atlas against the rest, in parallel; the result is in claim order
/// and does not depend on the thread count.
pub fn test_claims(
    atlas: &Atlas,
    catalogue: &Catalogue,
    settings: &AtlasSettings,
) -> Vec<ClaimTest> {
    (0..atlas.claims.len())
        .into_par_iter()
        .map(|i| test_claim(atlas, i, catalogue, settings))
        .collect()
}

/// Tests claim `i` of the atlas against the rest.
pub fn test_claim(
    atlas: &Atlas,
    i: usize,
    catalogue: &Catalogue,
    settings: &AtlasSettings,
) -> ClaimTest {
    let c = &atlas.claims[i];
    let mut test = untested(atlas, c);
    if c.regulator == c.target {
        test.note = Some("regulator and target are one canonical name".to_string());
        return test;
    }
    let change = match c.sign {
        ClaimSign::Raises => scenario::Change::Up,
        ClaimSign::Lowers => scenario::Change::Down,
        ClaimSign::Unstated | ClaimSign::Both => {
            test.note = Some(format!("sign {} states no direction", c.sign.symbol()));
            return test;
        }
    };
    let links = atlas.links_without(Some(i));
    let part = carrying_part(atlas.nodes.len(), &links, c.regulator, c.target);
    test.subnetwork_nodes = part.len();
    if part.is_empty() {
        test.class = Class::Independent;
        test.note = Some("no other path from the regulator to the target".to_string());
        return test;
    }
    if part.len() > settings.max_nodes {
        test.class = Class::TooLarge;
        test.note = Some(format!(
            "{} nodes can carry the effect (more than {}); raise --max-nodes to test it",
            part.len(),
            settings.max_nodes
        ));
        return test;
    }
    let sub = match subnetwork(atlas, &links, &part, c, change, catalogue, settings) {
        Ok(sub) => sub,
        Err(e) => {
            test.class = Class::Failed;
            test.note = Some(first_line(&e.to_string()));
            return test;
        }
    };
    let (Some(from), Some(to)) = (sub.node_index("n0"), sub.node_index("n1")) else {
        test.class = Class::Failed;
        test.note = Some("the subnetwork lost its regulator or target".to_string());
        return test;
    };
    let (paths, _) = signed_paths(&sub, from, to);
    test.path_count = paths.len();
    test.paths = paths
        .iter()
        .take(settings.max_paths)
        .map(|p| path_text(&sub, p))
        .collect();
    match super::run(&sub, &super::RunOptions::default()) {
        Ok(reports) => {
            let e = &reports[0].expectations[0];
            test.probability = Some(e.probability);
            test.p_opposite = Some(e.p_opposite);
            test.class = match e.verdict {
                Verdict::Supported => Class::Corroborated,
                Verdict::Contradicted => Class::Contradicted,
                // press cannot judge a claim that hinges on a gate: no evidence either way.
                Verdict::Ambivalent | Verdict::NotExpressible => Class::Ambivalent,
            };
        }
        Err(e) => {
            test.class = Class::Failed;
            test.note = Some(first_line(&e.to_string()));
        }
    }
    test
}

fn first_line(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or("")
        .trim_start_matches("error: ")
        .to_string()
}

fn untested(atlas: &Atlas, c: &AtlasClaim) -> ClaimTest {
    let regulator = atlas.nodes[c.regulator].clone();
    let target = atlas.nodes[c.target].clone();
    let as_written = |written: &str, canonical: &str| {
        (written.trim() != canonical).then(|| written.trim().to_string())
    };
    ClaimTest {
        id: c.claim.id.clone(),
        regulator_as_written: as_written(&c.claim.regulator, &regulator),
        target_as_written: as_written(&c.claim.target, &target),
        regulator,
        target,
        sign: c.sign.symbol().to_string(),
        cancer: c.claim.cancer.clone(),
        model: c.claim.model.as_str().to_string(),
        seed: c.claim.seed.clone(),
        class: Class::Untestable,
        probability: None,
        p_opposite: None,
        subnetwork_nodes: 0,
        paths: Vec::new(),
        path_count: 0,
        note: None,
    }
}

/// The nodes reachable from `from` that also reach `to` (both included), `from` first and `to`
/// second; empty when `to` cannot be reached.
fn carrying_part(n: usize, links: &[PairLink], from: usize, to: usize) -> Vec<usize> {
    let forward = distances(n, from, links.iter().map(|l| (l.from, l.to)));
    if forward[to].is_none() {
        return Vec::new();
    }
    let backward = distances(n, to, links.iter().map(|l| (l.to, l.from)));
    let mut part = vec![from, to];
    part.extend(
        (0..n).filter(|&k| k != from && k != to && forward[k].is_some() && backward[k].is_some()),
    );
    part
}

/// The part of the atlas as a scenario: nodes `n0, n1, ...` (`n0` the regulator, `n1` the target)
/// labelled with their canonical names, one press on the regulator and the claim as the
/// expectation. Written as scenario text so that it goes through the same validation and
/// evidence rules as any scenario.
fn subnetwork(
    atlas: &Atlas,
    links: &[PairLink],
    part: &[usize],
    claim: &AtlasClaim,
    change: scenario::Change,
    catalogue: &Catalogue,
    settings: &AtlasSettings,
) -> Result<Scenario, Error> {
    let title = format!("The atlas without claim {}", claim.claim.id);
    let mut text = network_text(atlas, links, part, &title);
    let _ = write!(
        text,
        "[[intervention]]\nname = \"press\"\npress = {{ n0 = 1.0 }}\n\
         [[expect]]\nintervention = \"press\"\nnode = \"n1\"\nchange = \"{}\"\n\
         [simulation]\nmethod = \"press\"\nsamples = {}\nseed = {}\nmax_draws = {}\nsupport = {}\n",
        change.as_str(),
        settings.samples,
        settings.seed,
        settings.max_draws.max(settings.samples),
        settings.support,
    );
    let path = Path::new("atlas").join(format!("{}.toml", claim.claim.id));
    // The atlas asks what the other claims' signs imply, every link taken as given: the evidence
    // rules (which drop cited links at random) are switched off.
    scenario::parse(&path, &text, Some(catalogue as &dyn ClaimLookup)).map(|s| s.without_evidence())
}

/// Scenario text for the links among `part` (named `n0, n1, ...` in its order, labelled with
/// the canonical names), without interventions.
fn network_text(atlas: &Atlas, links: &[PairLink], part: &[usize], title: &str) -> String {
    let local = |node: usize| part.iter().position(|&k| k == node);
    let mut text = format!("title = {}\nnetwork = \"\"\"\n", quoted(title));
    for link in links {
        if let (Some(a), Some(b)) = (local(link.from), local(link.to)) {
            let ids: Vec<&str> = link
                .claims
                .iter()
                .map(|&k| atlas.claims[k].claim.id.as_str())
                .collect();
            let _ = writeln!(text, "n{a} {} n{b}  [{}]", link.arrow(), ids.join(", "));
        }
    }
    text.push_str("\"\"\"\n");
    for (k, &node) in part.iter().enumerate() {
        let _ = writeln!(text, "[nodes.n{k}]\nlabel = {}", quoted(&atlas.nodes[node]));
    }
    text
}

/// The neighbourhood of a canonical pair for drawing: the pair and the nodes on the shortest
/// routes from one to the other, at most `max_nodes`, as a scenario without interventions.
pub fn neighbourhood(
    atlas: &Atlas,
    regulator: &str,
    target: &str,
    max_nodes: usize,
    catalogue: &Catalogue,
) -> Option<Scenario> {
    let from = atlas.nodes.iter().position(|n| n == regulator)?;
    let to = atlas.nodes.iter().position(|n| n == target)?;
    let links = atlas.links_without(None);
    let n = atlas.nodes.len();
    let ahead = distances(n, from, links.iter().map(|l| (l.from, l.to)));
    let behind = distances(n, to, links.iter().map(|l| (l.to, l.from)));
    let mut on_routes: Vec<(usize, usize)> = (0..n)
        .filter(|&k| k != from && k != to)
        .filter_map(|k| Some((ahead[k]? + behind[k]?, k)))
        .collect();
    on_routes.sort_unstable();
    let mut part = vec![from, to];
    part.extend(
        on_routes
            .iter()
            .take(max_nodes.saturating_sub(2))
            .map(|&(_, k)| k),
    );
    let title = format!("{regulator} → {target}");
    let text = network_text(atlas, &links, &part, &title);
    scenario::parse(
        Path::new("atlas.toml"),
        &text,
        Some(catalogue as &dyn ClaimLookup),
    )
    .ok()
}

/// Links needed to reach every node from `start` along `edges` (`None`: unreachable).
fn distances(
    n: usize,
    start: usize,
    edges: impl Iterator<Item = (usize, usize)>,
) -> Vec<Option<usize>> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (a, b) in edges {
        out[a].push(b);
    }
    let mut distance = vec![None; n];
    distance[start] = Some(0);
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        let next_distance = distance[node].map(|d: usize| d + 1);
        for &next in &out[node] {
            if distance[next].is_none() {
                distance[next] = next_distance;
                queue.push_back(next);
            }
        }
    }
    distance
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A path as readable text: `A -> B -| C  [A437; A146]`.
fn path_text(scenario: &Scenario, path: &SignedPath) -> String {
    let mut text = scenario.display_name(path.steps[0].from).to_string();
    let mut cited = Vec::new();
    for step in &path.steps {
        let _ = write!(
            text,
            " {} {}",
            step.arrow.symbol(),
            scenario.display_name(step.to)
        );
        cited.push(scenario.links[step.link].claims.join(", "));
    }
    let net = match path.sign {
        NetSign::Raises => "net +",
        NetSign::Lowers => "net -",
        NetSign::Unknown => "net ?",
    };
    format!("{text}  ({net}; {})", cited.join("; "))
}

/// Everything an atlas run found: the output schema of `atlas.json`.
#[derive(Debug, Clone, Serialize)]
pub struct AtlasReport {
    /// The catalogue file.
    pub catalogue: String,
    /// The canonical-name table, when one was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aliases: Option<String>,
    /// The claim filter, as text; empty when every claim is in.
    pub filter: String,
    pub samples: u64,
    pub seed: u64,
    pub support: f64,
    pub max_nodes: usize,
    /// Canonical names in the atlas.
    pub nodes: usize,
    /// Canonical regulator -> target pairs (one link each).
    pub links: usize,
    /// Claims in the atlas (after the filter).
    pub claims: usize,
    pub filtered_out: usize,
    /// Claims per class.
    pub counts: BTreeMap<String, usize>,
    pub tests: Vec<ClaimTest>,
    /// Pairs with both raising and lowering claims.
    pub conflicts: Vec<conflicts::SignConflict>,
    /// Ids of the claims the rest of the atlas contradicts.
    pub contradicted: Vec<String>,
    pub claimsim_version: String,
}

impl AtlasReport {
    /// Claims that a press run classified (corroborated, contradicted, ambivalent, independent).
    pub fn tested(&self) -> usize {
        self.tests.iter().filter(|t| t.class.was_tested()).count()
    }

    pub fn count(&self, class: Class) -> usize {
        self.counts.get(class.as_str()).copied().unwrap_or(0)
    }
}

/// Builds the atlas of `catalogue` and tests every claim in it, on `settings.threads` workers.
pub fn run(
    catalogue: &Catalogue,
    aliases: &Aliases,
    aliases_path: Option<&Path>,
    settings: &AtlasSettings,
) -> Result<(Atlas, AtlasReport), Error> {
    if settings.samples == 0 {
        return Err(Error::usage(
            "--samples must be at least 1",
            "pass -n 1 or more",
        ));
    }
    let atlas = Atlas::build(catalogue, aliases, &settings.filter);
    let tests = super::with_threads(settings.threads, || {
        test_claims(&atlas, catalogue, settings)
    })?;
    let report = AtlasReport {
        catalogue: catalogue.path.display().to_string(),
        aliases: aliases_path.map(|p| p.display().to_string()),
        filter: settings.filter.describe(),
        samples: settings.samples,
        seed: settings.seed,
        support: settings.support,
        max_nodes: settings.max_nodes,
        nodes: atlas.nodes.len(),
        links: atlas.links_without(None).len(),
        claims: atlas.claims.len(),
        filtered_out: atlas.filtered_out,
        counts: class_counts(&tests)
            .into_iter()
            .map(|(class, n)| (class.as_str().to_string(), n))
            .collect(),
        conflicts: conflicts::sign_conflicts(&atlas),
        contradicted: conflicts::contradicted(&tests)
            .iter()
            .map(|t| t.id.clone())
            .collect(),
        tests,
        claimsim_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    Ok((atlas, report))
}

/// Claims per class, in [`Class::ALL`] order.
pub fn class_counts(tests: &[ClaimTest]) -> Vec<(Class, usize)> {
    Class::ALL
        .iter()
        .map(|&class| (class, tests.iter().filter(|t| t.class == class).count()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(id: &str, regulator: &str, sign: &str, target: &str, cancer: &str) -> String {
        format!(
            "[[claim]]\nid = \"{id}\"\nseed = \"001_x.txt\"\nlocator = \"l\"\nregulator = \"{regulator}\"\n\
             target = \"{target}\"\nsign = \"{sign}\"\ncancer = \"{cancer}\"\nmodel = \"review\"\nparaphrase = \"p\"\n"
        )
    }

    fn catalogue(claims: &[String]) -> Catalogue {
        Catalogue::parse(Path::new("claims.toml"), &claims.join("\n")).unwrap()
    }

    fn class_of(tests: &[ClaimTest], id: &str) -> Class {
        tests.iter().find(|t| t.id == id).unwrap().class
    }

    #[test]
    fn a_claim_is_corroborated_contradicted_or_independent_by_the_other_paths() {
        let c = catalogue(&[
            // X raises Z directly, and through Y: each route predicts the other.
            claim("C1", "X", "+", "Z", "general"),
            claim("C2", "X", "+", "Y", "general"),
            claim("C3", "Y", "+", "Z", "general"),
            // P lowers Q directly, but the other route says it raises Q.
            claim("D1", "P", "-", "Q", "general"),
            claim("D2", "P", "+", "R", "general"),
            claim("D3", "R", "+", "Q", "general"),
            // U raises V, and nothing else connects them.
            claim("E1", "U", "+", "V", "general"),
            claim("E2", "U", "?", "W", "general"),
        ]);
        let atlas = Atlas::build(&c, &Aliases::default(), &ClaimFilter::default());
        let tests = test_claims(&atlas, &c, &AtlasSettings::default());
        assert_eq!(class_of(&tests, "C1"), Class::Corroborated);
        assert_eq!(class_of(&tests, "D1"), Class::Contradicted);
        assert_eq!(class_of(&tests, "E1"), Class::Independent);
        assert_eq!(class_of(&tests, "E2"), Class::Untestable);
        let c1 = tests.iter().find(|t| t.id == "C1").unwrap();
        assert_eq!(c1.paths, ["X -> Y -> Z  (net +; C2; C3)"]);
        assert_eq!(c1.subnetwork_nodes, 3);
        assert!(c1.probability.unwrap() > 0.999);
    }

    #[test]
    fn aliases_merge_names_into_one_node() {
        let c = catalogue(&[
            claim("A1", "MSC-derived exosomes", "+", "miR-100", "general"),
            claim("A2", "MSC exosomes", "+", "miR-100", "general"),
        ]);
        let aliases = Aliases::parse(
            Path::new("aliases.toml"),
            "[alias]\n\"MSC exosomes\" = [\"MSC-derived exosomes\"]\n",
        )
        .unwrap();
        let atlas = Atlas::build(&c, &aliases, &ClaimFilter::default());
        assert_eq!(atlas.nodes, ["MSC exosomes", "miR-100"]);
        let tests = test_claims(&atlas, &c, &AtlasSettings::default());
        // Each is the other's replicate.
        assert_eq!(class_of(&tests, "A1"), Class::Corroborated);
        assert_eq!(
            tests[0].regulator_as_written.as_deref(),
            Some("MSC-derived exosomes")
        );
        let apart = Atlas::build(&c, &Aliases::default(), &ClaimFilter::default());
        assert_eq!(apart.nodes.len(), 3);
        let tests = test_claims(&apart, &c, &AtlasSettings::default());
        assert_eq!(class_of(&tests, "A1"), Class::Independent);
    }

    #[test]
    fn filters_keep_the_cancer_with_general_claims_and_the_seed() {
        let c = catalogue(&[
            claim("G1", "A", "+", "B", "glioma"),
            claim("G2", "A", "+", "B", "general"),
            claim("G3", "A", "+", "B", "breast cancer"),
        ]);
        let filter = ClaimFilter {
            cancer: Some("Glioma".to_string()),
            ..ClaimFilter::default()
        };
        let atlas = Atlas::build(&c, &Aliases::default(), &filter);
        let ids: Vec<&str> = atlas.claims.iter().map(|a| a.claim.id.as_str()).collect();
        assert_eq!(ids, ["G1", "G2"]);
        assert_eq!(atlas.filtered_out, 1);
        let by_seed = ClaimFilter {
            seed: Some("seeds/002_y.txt".to_string()),
            ..ClaimFilter::default()
        };
        assert!(
            Atlas::build(&c, &Aliases::default(), &by_seed)
                .claims
                .is_empty()
        );
        let by_model = ClaimFilter {
            model: Some(ModelSystem::Animal),
            ..ClaimFilter::default()
        };
        assert!(
            Atlas::build(&c, &Aliases::default(), &by_model)
                .claims
                .is_empty()
        );
    }

    #[test]
    fn parts_above_the_bound_are_reported_not_run() {
        let mut claims = vec![claim("L0", "n0", "+", "n9", "general")];
        for k in 0..9 {
            claims.push(claim(
                &format!("L{}", k + 1),
                &format!("n{k}"),
                "+",
                &format!("n{}", k + 1),
                "general",
            ));
        }
        let c = catalogue(&claims);
        let atlas = Atlas::build(&c, &Aliases::default(), &ClaimFilter::default());
        let settings = AtlasSettings {
            max_nodes: 5,
            ..AtlasSettings::default()
        };
        let test = test_claim(&atlas, 0, &c, &settings);
        assert_eq!(test.class, Class::TooLarge);
        assert_eq!(test.subnetwork_nodes, 10);
    }
}
