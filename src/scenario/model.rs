//! The validated scenario: what every solver, analysis and report works from.
//!
//! Nodes and links are referred to by index; every name has been resolved and every parameter
//! checked, so downstream code never has to handle a malformed scenario.

use super::catalogue::{Claim, ScenarioClaims};
use super::dist::Dist;
use super::links::Arrow;
use super::validate::ClaimLookup;
use crate::error::{Error, Problem};
use std::path::PathBuf;

/// A scenario, validated.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub path: PathBuf,
    pub title: String,
    pub description: String,
    pub cancer: String,
    pub tags: Vec<String>,
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
    pub interventions: Vec<Intervention>,
    pub expectations: Vec<Expectation>,
    pub simulation: Simulation,
    /// The claims the file embeds in `[[claim]]` tables (a self-contained copy); cited ids
    /// resolve against these before the catalogue.
    pub claims: Vec<Claim>,
}

impl Scenario {
    /// The index of a node by its exact name.
    pub fn node_index(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.name == name)
    }

    /// The index of an intervention by name.
    pub fn intervention_index(&self, name: &str) -> Option<usize> {
        self.interventions.iter().position(|i| i.name == name)
    }

    /// The distinct (intervention, versus) pairs the expectations compare, in the order they
    /// first appear: each gets the paired difference of every node recorded.
    pub fn versus_pairs(&self) -> Vec<(usize, usize)> {
        let mut pairs = Vec::new();
        for e in &self.expectations {
            if let Some(v) = e.versus
                && !pairs.contains(&(e.intervention, v))
            {
                pairs.push((e.intervention, v));
            }
        }
        pairs
    }

    /// Every signed edge, with gates read as their separate links (press and fcm).
    pub fn edges(&self) -> impl Iterator<Item = Edge> + '_ {
        self.links.iter().enumerate().flat_map(|(link, l)| {
            l.inputs.iter().map(move |input| Edge {
                from: input.node,
                to: l.target,
                arrow: if input.negated {
                    l.arrow.negated()
                } else {
                    l.arrow
                },
                link,
            })
        })
    }

    /// The name to show for a node in charts and tables.
    pub fn display_name(&self, node: usize) -> &str {
        let n = &self.nodes[node];
        n.label.as_deref().unwrap_or(&n.name)
    }

    /// Checks the press levels of every intervention against the method that will run: the
    /// method may have been chosen after the file was checked (`--method ode`).
    pub fn check_press_levels(&self, method: Method) -> Result<(), Error> {
        let problems: Vec<Problem> = self
            .interventions
            .iter()
            .flat_map(|i| i.press.iter().map(move |&(node, level)| (i, node, level)))
            .filter_map(|(i, node, level)| {
                let problem = method.press_level_problem(level)?;
                Some(problem.context(format!(
                    "in '{}': intervention \"{}\" presses {}: ",
                    self.path.display(),
                    i.name,
                    self.nodes[node].name
                )))
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::usages(problems))
        }
    }

    /// Whether the evidence rules made any link uncertain.
    pub fn has_evidence_presence(&self) -> bool {
        self.links.iter().any(|l| l.present_from_evidence)
    }

    /// The scenario with the evidence rules switched off: every link whose presence came from
    /// its claims' grades is present always (`--no-evidence`).
    pub fn without_evidence(&self) -> Scenario {
        let mut plain = self.clone();
        for link in plain.links.iter_mut().filter(|l| l.present_from_evidence) {
            link.present = 1.0;
            link.present_from_evidence = false;
        }
        plain
    }

    /// The links citing any of `claims`: an expectation's own links, on whose presence its
    /// verdict is conditioned and which its held-out verdict removes.
    pub fn links_citing(&self, claims: &[String]) -> Vec<usize> {
        self.links
            .iter()
            .enumerate()
            .filter(|(_, l)| l.claims.iter().any(|c| claims.contains(c)))
            .map(|(i, _)| i)
            .collect()
    }

    /// The links citing any of `claims` that a draw may leave out (present below 1).
    pub fn uncertain_links_citing(&self, claims: &[String]) -> Vec<usize> {
        let mut links = self.links_citing(claims);
        links.retain(|&l| self.links[l].present < 1.0);
        links
    }

    /// Cited claim ids the scenario does not embed: what needs a catalogue.
    pub fn unembedded_claims(&self) -> Vec<&str> {
        let mut ids = self.cited_claims();
        ids.retain(|id| !self.claims.iter().any(|c| c.id == *id));
        ids
    }

    /// The claims this scenario's ids resolve against: its own, then `catalogue`.
    pub fn claim_lookup<'a>(
        &'a self,
        catalogue: Option<&'a dyn ClaimLookup>,
    ) -> ScenarioClaims<'a> {
        ScenarioClaims {
            embedded: &self.claims,
            catalogue,
        }
    }

    /// Distinct claim ids cited anywhere in the scenario, in order of first citation.
    pub fn cited_claims(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        let all = self
            .links
            .iter()
            .flat_map(|l| l.claims.iter())
            .chain(self.expectations.iter().flat_map(|e| e.claims.iter()));
        for id in all {
            if !seen.contains(&id.as_str()) {
                seen.push(id);
            }
        }
        seen
    }
}

/// A node of the network.
#[derive(Debug, Clone)]
pub struct Node {
    pub name: String,
    /// Display name in charts.
    pub label: Option<String>,
    /// press: whether to add a self-damping term; `None` follows `[simulation] self_limitation`.
    pub self_limited: Option<bool>,
    /// ode/fcm: basal input level in [0, 1].
    pub input: Option<f64>,
    /// ode: time constant.
    pub tau: Dist,
    /// ode: maximal activity.
    pub ymax: Dist,
}

/// One input of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GateInput {
    pub node: usize,
    pub negated: bool,
}

/// One line of the network: a plain link (one input) or an AND gate (several inputs).
#[derive(Debug, Clone)]
pub struct Link {
    /// Canonical link text, e.g. `miR-9 -> P-glycoprotein`.
    pub text: String,
    pub inputs: Vec<GateInput>,
    pub target: usize,
    pub arrow: Arrow,
    pub claims: Vec<String>,
    /// Magnitude distribution; `None` uses the method's default.
    pub weight: Option<Dist>,
    /// Probability that the link exists in a sample.
    pub present: f64,
    /// `present` comes from the grades of the cited claims (evidence rules), not the file.
    pub present_from_evidence: bool,
    /// Index into [`Scenario`]'s presence groups: links of one group are present together.
    pub group: Option<usize>,
    /// ode: Hill coefficient.
    pub hill_n: Dist,
    /// ode: half-maximal activation.
    pub ec50: Dist,
    /// Line of the link in the scenario file.
    pub line: usize,
}

impl Link {
    pub fn is_gate(&self) -> bool {
        self.inputs.len() > 1 || self.inputs.iter().any(|i| i.negated)
    }

    pub fn is_self_link(&self) -> bool {
        self.inputs.len() == 1 && self.inputs[0].node == self.target
    }
}

/// A signed edge: one input of a link read as a separate link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub arrow: Arrow,
    /// The link it belongs to.
    pub link: usize,
}

/// A what-if: presses, knockouts, blocked links and doses, compared with the baseline.
#[derive(Debug, Clone, Default)]
pub struct Intervention {
    pub name: String,
    /// (node, level) pairs: a sustained increase (negative: decrease).
    pub press: Vec<(usize, f64)>,
    pub knockout: Vec<usize>,
    /// Link indices removed.
    pub block: Vec<usize>,
    pub doses: Vec<Dose>,
    /// Line of the intervention's `[[intervention]]` header in the scenario file (0 when made on
    /// the command line).
    pub line: usize,
}

impl Intervention {
    /// True when the intervention changes the network's structure, not only its inputs.
    pub fn changes_structure(&self) -> bool {
        !self.knockout.is_empty() || !self.block.is_empty()
    }
}

/// A schedule of doses into a node (ode).
#[derive(Debug, Clone, PartialEq)]
pub struct Dose {
    pub node: usize,
    pub at: f64,
    pub amount: f64,
    pub half_life: f64,
    pub every: f64,
    pub count: u32,
}

/// The direction of change a claim asserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Up,
    Down,
    None,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Up => "up",
            Change::Down => "down",
            Change::None => "none",
        }
    }
}

/// A claim the scenario should reproduce.
#[derive(Debug, Clone)]
pub struct Expectation {
    pub intervention: usize,
    pub versus: Option<usize>,
    pub node: usize,
    pub change: Change,
    pub claims: Vec<String>,
    /// Reject samples that violate it (QPress-style validation).
    pub condition: bool,
    /// A what-if the seeds do not state: it gets a verdict but is no evidence for its claims.
    pub what_if: bool,
    /// Line of its `[[expect]]` header in the scenario file.
    pub line: usize,
}

/// The most samples a run may ask for: 10^9 press draws are already about half an hour of CPU.
pub const MAX_SAMPLES: u64 = 1_000_000_000;
/// The most draws a run may be allowed to make.
pub const MAX_DRAWS: u64 = 1_000_000_000_000;

/// The largest press level accepted: far beyond any meaningful one, far below overflow.
pub const MAX_PRESS_LEVEL: f64 = 1e6;

/// Which solver(s) to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Press,
    Ode,
    Fcm,
    All,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Press => "press",
            Method::Ode => "ode",
            Method::Fcm => "fcm",
            Method::All => "all",
        }
    }

    pub fn parse(text: &str) -> Option<Method> {
        match text {
            "press" => Some(Method::Press),
            "ode" => Some(Method::Ode),
            "fcm" => Some(Method::Fcm),
            "all" => Some(Method::All),
            _ => None,
        }
    }

    /// Whether this choice runs the ode solver (which restricts press levels to [0, 1]).
    pub fn includes_ode(self) -> bool {
        matches!(self, Method::Ode | Method::All)
    }

    /// The one rule on press levels: at most [`MAX_PRESS_LEVEL`] in size for every method
    /// (responses are linear in the level, so larger levels only risk overflow), and for ode an
    /// input level from 0 (off) to 1 (fully on). On a level this method cannot use, the problem
    /// to report.
    pub fn press_level_problem(self, level: f64) -> Option<Problem> {
        if level.is_nan() || level.abs() > MAX_PRESS_LEVEL {
            return Some(
                Problem::new(format!(
                    "press level {level:e} is larger than {MAX_PRESS_LEVEL:e}, where responses overflow"
                ))
                .help("a press response is linear in its level, so use a level near 1 (its sign and the verdicts do not depend on the size)"),
            );
        }
        (self.includes_ode() && !(0.0..=1.0).contains(&level)).then(|| {
            Problem::new(format!(
                "press level {level} is outside [0, 1], which the ode method needs"
            ))
            .help("ode presses are input levels from 0 (off) to 1 (fully on); use a level in that range, or run with --method press")
        })
    }
}

/// press: which nodes get a self-damping term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelfLimitation {
    All,
    Explicit,
}

/// fcm update rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FcmRule {
    Kosko,
    ModifiedKosko,
    Rescaled,
}

/// fcm transfer function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FcmTransfer {
    Sigmoid,
    Tanh,
}

/// `[simulation]` settings with every default filled in.
#[derive(Debug, Clone)]
pub struct Simulation {
    pub method: Method,
    pub samples: u64,
    pub seed: u64,
    pub self_limitation: SelfLimitation,
    pub max_draws: u64,
    pub support: f64,
    pub weight: Option<Dist>,
    pub t_end: f64,
    pub time_unit: String,
    pub fcm_rule: FcmRule,
    pub fcm_transfer: FcmTransfer,
    pub fcm_lambda: f64,
}

impl Default for Simulation {
    fn default() -> Self {
        Simulation {
            method: Method::Press,
            samples: 10_000,
            seed: 1,
            self_limitation: SelfLimitation::All,
            max_draws: 1_000_000,
            support: 0.8,
            weight: None,
            t_end: 30.0,
            time_unit: "h".to_string(),
            fcm_rule: FcmRule::ModifiedKosko,
            fcm_transfer: FcmTransfer::Sigmoid,
            fcm_lambda: 1.0,
        }
    }
}
