//! The press method (qualitative press perturbation, as in loop analysis and QPress).
//!
//! Each draw builds a community matrix `W` (`W[i][j]` is the direct effect of node j on node i)
//! from the link signs and sampled magnitudes, keeps it only when it is stable (every eigenvalue
//! with a negative real part) and solves `W x = -s` for each intervention's press vector `s`:
//! `x` is the change of every node's equilibrium under the sustained press.
//!
//! The matrix is cut into the strongly connected components of its graph ([`super::blocks`]):
//! the stability test, the determinant test and the LU factorisation run per diagonal block,
//! and the response is solved block by block, skipping blocks no press reaches. One
//! factorisation of each block serves every press-only intervention; an intervention that
//! changes the network re-evaluates only the blocks it changes. [`Partition::Whole`] keeps the
//! dense path (one block) as the reference it is tested against.
//!
//! Semantics beyond plain presses (documented in docs/methods.md):
//! - Self-limitation: with `all`, every node without an explicit self-link gets `-|magnitude|` on
//!   its diagonal (`self_limited = false` exempts a node); with `explicit` only self-links and
//!   nodes marked `self_limited = true` are damped.
//! - `-?` links draw their sign (+ or - with equal odds) in every draw.
//! - A knockout clamps the node one unit below its equilibrium: it stops responding, its row and
//!   column leave the system, and its loss acts on its targets as a press. A blocked link is
//!   removed. Such interventions get their own factorisation and stability test per draw; draws
//!   in which the modified network is unstable are left out of that intervention only.
//! - A node's change counts as zero when the node cannot be reached from the perturbed nodes,
//!   or when it is below [`RELATIVE_ZERO`] times the largest change in that draw (QPress uses
//!   an absolute 1e-5 cut, which calls clearly positive responses zero in near-singular draws).

pub use super::blocks::Partition;
use super::blocks::{BlockSet, BlockWorkspace, Changes, Solve, Structure};
use super::presence::{LinkPresence, OwnLinks, PresenceDraw};
use crate::sample::correlation::Correlations;
use crate::sample::stats::{Direction, ResponseSummary};
use crate::sample::{BLOCK_DRAWS, Rejection, Sampler};
use crate::scenario::dist::Dist;
use crate::scenario::links::Arrow;
use crate::scenario::{Change, Expectation, Scenario, SelfLimitation};
use rand::rngs::ChaCha8Rng;
use rand::{Rng, RngExt};

/// The work of a draw (see [`Sampler::block_draws`]) up to which blocks keep [`BLOCK_DRAWS`]
/// draws: about that of a 16-node network in one feedback component.
const SMALL_NETWORK_WORK: u64 = 4096;

/// The fewest draws per block: enough that the per-block set-up stays negligible.
const MIN_BLOCK_DRAWS: u64 = 16;

/// Changes smaller than this fraction of the largest change in a draw count as zero.
pub const RELATIVE_ZERO: f64 = 1e-9;

/// How a magnitude is drawn: uniform ones inline (the common, hot case), others via statrs.
#[derive(Debug, Clone)]
enum Magnitude {
    Uniform { low: f64, width: f64 },
    Other(Dist),
}

impl Magnitude {
    fn new(dist: &Dist) -> Self {
        match dist.as_uniform() {
            Some((low, high)) => Magnitude::Uniform {
                low,
                width: high - low,
            },
            None => Magnitude::Other(dist.clone()),
        }
    }

    #[inline]
    fn draw(&self, rng: &mut ChaCha8Rng) -> f64 {
        match self {
            Magnitude::Uniform { low, width } => low + width * rng.random::<f64>(),
            Magnitude::Other(d) => d.sample(rng).abs(),
        }
    }
}

/// The sign of a matrix entry.
#[derive(Debug, Clone, Copy, PartialEq)]
enum EntrySign {
    Fixed(f64),
    Random,
}

/// One non-zero entry of the community matrix.
#[derive(Debug, Clone)]
struct Entry {
    /// Row-major index into W.
    flat: usize,
    sign: EntrySign,
    magnitude: Magnitude,
    /// Link it comes from (`None` for default self-damping).
    link: Option<usize>,
}

/// An entry of a matrix whose entries all have a uniform magnitude and a known sign (the
/// common case), resolved once so that a draw reads plain numbers: `sign * (low + width u)`.
#[derive(Debug, Clone, Copy)]
struct UniformEntry {
    low: f64,
    width: f64,
    sign: f64,
    /// Its link, or [`NO_LINK`] for default self-damping.
    link: usize,
}

/// The `link` of a [`UniformEntry`] that comes from no link.
const NO_LINK: usize = usize::MAX;

impl UniformEntry {
    /// The resolved form of every entry, if every one is uniform with a known sign.
    fn resolve(entries: &[Entry]) -> Option<Vec<UniformEntry>> {
        entries
            .iter()
            .map(|e| match (&e.magnitude, e.sign) {
                (&Magnitude::Uniform { low, width }, EntrySign::Fixed(sign)) => {
                    Some(UniformEntry {
                        low,
                        width,
                        sign,
                        link: e.link.unwrap_or(NO_LINK),
                    })
                }
                _ => None,
            })
            .collect()
    }
}

/// One intervention prepared for solving.
#[derive(Debug, Clone)]
struct PressIntervention {
    /// Right-hand side of `W x = rhs`: minus the press level per node, 1 for knocked-out nodes.
    rhs: Vec<f64>,
    /// The network it solves: `None` for the full network, else its own changed structure.
    structure: Option<Structure>,
    /// Per block of its structure: whether the perturbation reaches it (others stay at zero).
    live: Vec<bool>,
    /// Nodes reachable from the perturbed nodes along the links.
    reachable: Vec<bool>,
    /// The same nodes as indices, and the others: those never move, so their summaries are
    /// filled once per block ([`Sampler::finish_block`]), not once per draw.
    reached: Vec<usize>,
    unreached: Vec<usize>,
}

/// The press method for one scenario, ready to draw.
#[derive(Debug, Clone)]
pub struct PressModel {
    n: usize,
    entries: Vec<Entry>,
    /// The same entries resolved, when all are uniform with a known sign.
    uniform: Option<Vec<UniformEntry>>,
    /// Every link always present and behind at most one entry: a draw then sets each link's
    /// strength once and never clears it ([`fill_uniform_always`]).
    plain_links: bool,
    /// The full network in blocks, and the blocks of every structure.
    structure: Structure,
    blocks: BlockSet,
    presence: LinkPresence,
    own_links: OwnLinks,
    links: usize,
    interventions: Vec<PressIntervention>,
    /// The interventions that only press (they solve the full network), ascending.
    on_full_network: Vec<usize>,
    expectations: Vec<Expectation>,
    /// The (intervention, versus) pairs whose paired difference is recorded for every node.
    pairs: Vec<(usize, usize)>,
    /// Keep every accepted draw's responses in the block summary (`--samples-out`).
    keep_samples: bool,
}

/// Per-worker scratch space, so a draw allocates nothing.
pub struct PressWorkspace {
    /// Signed value of every matrix entry in this draw (0 when its link is absent).
    values: Vec<f64>,
    blocks: BlockWorkspace,
    presence: PresenceDraw,
    responses: Vec<f64>,
    valid: Vec<bool>,
    /// Per intervention: its largest change in this draw (in magnitude), the scale below
    /// which a change counts as zero; set with the responses.
    scale: Vec<f64>,
    /// Sampled strength of each link in this draw, for the sensitivity: its magnitude, signed
    /// when the sign is drawn too (`-?`), 0 when the link is absent.
    link_strength: Vec<f64>,
    /// The draw's random words for [`fill_uniform`], 8 bytes per entry.
    random_bytes: Vec<u8>,
}

/// Accumulated results of accepted draws.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PressSummary {
    /// Per intervention, per node.
    pub responses: Vec<Vec<ResponseSummary>>,
    /// Per expectation: the compared change (minus the `versus` response if any).
    pub expectations: Vec<ResponseSummary>,
    /// Per expectation: the same, in the draws where every link citing its claims is present
    /// ([`OwnLinks`]); its verdict is read from these.
    pub conditional: Vec<ResponseSummary>,
    /// Per versus pair ([`Scenario::versus_pairs`]), per node: the response under the
    /// intervention minus that under its `versus`, in the draws where both could be solved.
    pub comparisons: Vec<Vec<ResponseSummary>>,
    /// When samples are kept: one row per accepted draw of this block, each row the responses
    /// of every intervention's nodes (NaN where the intervention could not be solved). Not
    /// merged, so memory stays bounded: observe blocks to write them out. Nor handed over by a
    /// shard.
    #[serde(skip)]
    pub samples: Vec<f64>,
    /// Per expectation: its claim-oriented change against every link's magnitude.
    pub sensitivity: Vec<Correlations>,
    /// Per intervention: draws recorded in this block whose unreachable nodes' exact zeros
    /// are still to be added ([`Sampler::finish_block`] adds them and clears this).
    #[serde(skip)]
    pending_zeros: Vec<u64>,
}

impl PressModel {
    /// Bytes one worker's scratch space takes ([`PressWorkspace`]): the dense blocks
    /// ([`BlockSet::workspace_values`]) and a few vectors over the entries, links and nodes.
    /// Allocated per worker thread, so a run needs this times its threads.
    pub fn workspace_bytes(&self) -> u64 {
        let vectors = self.entries.len() + self.links + self.n * self.interventions.len();
        8 * (self.blocks.workspace_values() + vectors as u64)
    }

    /// Prepares the press method for a scenario.
    pub fn new(scenario: &Scenario) -> Self {
        Self::with_partition(scenario, Partition::Components)
    }

    /// Prepares the press method with the given cut of the matrix into blocks: the results are
    /// the same either way, up to rounding; [`Partition::Whole`] is the dense reference.
    pub fn with_partition(scenario: &Scenario, partition: Partition) -> Self {
        let n = scenario.nodes.len();
        let default_weight = default_weight(scenario);
        let mut entries = link_entries(scenario, &default_weight);
        entries.extend(damping_entries(scenario, &default_weight));
        let cells: Vec<usize> = entries.iter().map(|e| e.flat).collect();
        let mut blocks = BlockSet::default();
        let structure = Structure::new(n, &cells, Changes::default(), partition, &mut blocks);
        let presence = LinkPresence::new(scenario);
        let interventions: Vec<PressIntervention> = scenario
            .interventions
            .iter()
            .map(|i| {
                prepare_intervention(scenario, &entries, i, &structure, partition, &mut blocks)
            })
            .collect();
        for intervention in &interventions {
            let solved = intervention.structure.as_ref().unwrap_or(&structure);
            solved.mark_solved(&intervention.live, &mut blocks);
        }
        let expectations = scenario.expectations.clone();
        let mut entries_per_link = vec![0usize; scenario.links.len()];
        for link in entries.iter().filter_map(|e| e.link) {
            entries_per_link[link] += 1;
        }
        let on_full_network = (0..interventions.len())
            .filter(|&k| interventions[k].structure.is_none())
            .collect();
        PressModel {
            on_full_network,
            pairs: scenario.versus_pairs(),
            n,
            plain_links: presence.all_always() && entries_per_link.iter().all(|&c| c <= 1),
            uniform: UniformEntry::resolve(&entries),
            entries,
            structure,
            blocks,
            presence,
            own_links: OwnLinks::new(scenario),
            links: scenario.links.len(),
            interventions,
            expectations,
            keep_samples: false,
        }
    }

    /// Makes every block summary carry its accepted draws' responses (see [`PressSummary`]).
    pub fn keep_samples(mut self) -> Self {
        self.keep_samples = true;
        self
    }

    /// The size of the largest diagonal block of the matrix (the largest feedback component),
    /// which sets the cost of a draw.
    pub fn largest_block(&self) -> usize {
        self.blocks.largest()
    }

    /// The community matrix as (row-major cell, value) pairs when nothing in a draw is random
    /// (every magnitude fixed, every sign known, every link always there), else `None`: then
    /// every draw is the same matrix, and one draw decides ([`super::fixed`]).
    pub fn fixed_entries(&self) -> Option<Vec<(usize, f64)>> {
        self.entries
            .iter()
            .map(|e| {
                let magnitude = match &e.magnitude {
                    Magnitude::Uniform { low, width } if *width == 0.0 => *low,
                    Magnitude::Other(dist) => dist.as_fixed()?.abs(),
                    Magnitude::Uniform { .. } => return None,
                };
                let always = e.link.is_none_or(|l| self.presence.always(l));
                match (e.sign, always) {
                    (EntrySign::Fixed(sign), true) => Some((e.flat, sign * magnitude)),
                    _ => None,
                }
            })
            .collect()
    }

    /// Draws the value of every matrix entry.
    fn fill(&self, rng: &mut ChaCha8Rng, ws: &mut PressWorkspace) {
        self.presence.draw(rng, &mut ws.presence);
        ws.blocks.reset();
        match &self.uniform {
            Some(uniform) if self.plain_links => return fill_uniform_always(uniform, rng, ws),
            Some(uniform) => {
                ws.link_strength.fill(0.0);
                return fill_uniform(uniform, rng, ws);
            }
            None => ws.link_strength.fill(0.0),
        }
        for (entry, value) in self.entries.iter().zip(&mut ws.values) {
            if entry.link.is_some_and(|l| !ws.presence.present[l]) {
                *value = 0.0;
                continue;
            }
            let magnitude = entry.magnitude.draw(rng);
            let sign = match entry.sign {
                EntrySign::Fixed(s) => s,
                EntrySign::Random => {
                    if rng.random::<bool>() {
                        1.0
                    } else {
                        -1.0
                    }
                }
            };
            *value = sign * magnitude;
            if let Some(link) = entry.link {
                // An unknown sign is part of what is uncertain: keep it in the strength.
                let drawn_sign = if entry.sign == EntrySign::Random {
                    sign
                } else {
                    1.0
                };
                ws.link_strength[link] += drawn_sign * magnitude;
            }
        }
    }

    /// Solves every intervention; marks those whose modified network is unusable. Those on
    /// the full network are solved two at a time ([`Structure::solve_pair`]).
    fn solve_all(&self, ws: &mut PressWorkspace) {
        let n = self.n;
        for (k, intervention) in self.interventions.iter().enumerate() {
            let Some(changed) = &intervention.structure else {
                continue;
            };
            let (set, values) = (&self.blocks, &ws.values);
            ws.valid[k] = changed.usable(set, &mut ws.blocks, values, &intervention.live);
            if ws.valid[k] {
                let x = &mut ws.responses[k * n..(k + 1) * n];
                changed.solve(set, &mut ws.blocks, values, self.job(k, x));
            }
        }
        for pair in self.on_full_network.chunks(2) {
            match *pair {
                [k] => {
                    let x = &mut ws.responses[k * n..(k + 1) * n];
                    let job = self.job(k, x);
                    self.structure
                        .solve(&self.blocks, &mut ws.blocks, &ws.values, job);
                }
                [k, j] => {
                    // `on_full_network` is ascending, so `k`'s responses come before `j`'s.
                    let (front, back) = ws.responses.split_at_mut(j * n);
                    let jobs = [self.job(k, &mut front[k * n..]), self.job(j, back)];
                    self.structure
                        .solve_pair(&self.blocks, &mut ws.blocks, &ws.values, jobs);
                }
                _ => unreachable!("chunks of two"),
            }
        }
        for k in 0..self.interventions.len() {
            if self.interventions[k].structure.is_none() {
                ws.valid[k] = true;
            }
            if ws.valid[k] {
                ws.scale[k] = largest(self.responses(ws, k));
            }
        }
    }

    /// Intervention `k`'s solve, into `x` (its `n` responses first).
    fn job<'a>(&'a self, k: usize, x: &'a mut [f64]) -> Solve<'a> {
        let intervention = &self.interventions[k];
        Solve {
            rhs: &intervention.rhs,
            live: &intervention.live,
            x: &mut x[..self.n],
        }
    }

    /// Whether every response of every usable intervention is a finite number.
    fn responses_finite(&self, ws: &PressWorkspace) -> bool {
        (0..self.interventions.len())
            .filter(|&k| ws.valid[k])
            .all(|k| {
                let x = self.responses(ws, k);
                x.iter().fold(true, |finite, v| finite & v.is_finite())
            })
    }

    /// The responses of intervention `k` in the current draw.
    fn responses<'w>(&self, ws: &'w PressWorkspace, k: usize) -> &'w [f64] {
        &ws.responses[k * self.n..(k + 1) * self.n]
    }

    /// The direction of a node's change in intervention `k`, given the draw's largest change.
    fn direction(&self, ws: &PressWorkspace, k: usize, node: usize, scale: f64) -> Direction {
        if !self.interventions[k].reachable[node] {
            return Direction::Zero;
        }
        classify_change(self.responses(ws, k)[node], scale)
    }

    /// The compared change of an expectation and its direction, if both interventions are valid.
    fn expectation_change(&self, ws: &PressWorkspace, e: &Expectation) -> Option<(f64, Direction)> {
        if !ws.valid[e.intervention] || e.versus.is_some_and(|v| !ws.valid[v]) {
            return None;
        }
        let x = self.responses(ws, e.intervention);
        let Some(v) = e.versus else {
            let direction = self.direction(ws, e.intervention, e.node, ws.scale[e.intervention]);
            return Some((x[e.node], direction));
        };
        let scale = ws.scale[e.intervention].max(ws.scale[v]);
        Some(self.paired_change(ws, (e.intervention, v), e.node, scale))
    }

    /// The response of `node` under intervention `k` minus that under `v`, and its direction
    /// given the larger of the two draws' largest changes (`scale`).
    fn paired_change(
        &self,
        ws: &PressWorkspace,
        (k, v): (usize, usize),
        node: usize,
        scale: f64,
    ) -> (f64, Direction) {
        let difference = self.responses(ws, k)[node] - self.responses(ws, v)[node];
        (difference, classify_change(difference, scale))
    }

    /// Records every node's paired difference for each versus pair both of whose
    /// interventions could be solved in this draw.
    fn record_comparisons(&self, ws: &PressWorkspace, comparisons: &mut [Vec<ResponseSummary>]) {
        for (&(k, v), nodes) in self.pairs.iter().zip(comparisons) {
            if !(ws.valid[k] && ws.valid[v]) {
                continue;
            }
            let scale = ws.scale[k].max(ws.scale[v]);
            for (node, s) in nodes.iter_mut().enumerate() {
                let (difference, direction) = self.paired_change(ws, (k, v), node, scale);
                s.record(difference, direction);
            }
        }
    }

    fn check_conditions(&self, ws: &PressWorkspace) -> Result<(), Rejection> {
        for (index, e) in self
            .expectations
            .iter()
            .enumerate()
            .filter(|(_, e)| e.condition)
        {
            let holds = self
                .expectation_change(ws, e)
                .is_some_and(|(_, direction)| matches_change(direction, e.change));
            if !holds {
                return Err(Rejection::Condition(index));
            }
        }
        Ok(())
    }

    fn record(&self, ws: &PressWorkspace, summary: &mut PressSummary) {
        if self.keep_samples {
            keep_row(ws, self.n, &mut summary.samples);
        }
        for (k, nodes) in summary.responses.iter_mut().enumerate() {
            if !ws.valid[k] {
                continue;
            }
            let (x, scale) = (self.responses(ws, k), ws.scale[k]);
            for &node in &self.interventions[k].reached {
                nodes[node].record(x[node], classify_change(x[node], scale));
            }
            // Unreachable nodes do not move: an exact zero (not rounding noise), added in bulk.
            summary.pending_zeros[k] += 1;
        }
        self.record_comparisons(ws, &mut summary.comparisons);
        for (k, e) in self.expectations.iter().enumerate() {
            if let Some((value, direction)) = self.expectation_change(ws, e) {
                summary.expectations[k].record(value, direction);
                if self.own_links.hold(k, &ws.presence.present) {
                    summary.conditional[k].record(value, direction);
                }
                summary.sensitivity[k].record(&ws.link_strength, oriented(value, e.change));
            }
        }
    }
}

impl Sampler for PressModel {
    type Workspace = PressWorkspace;
    type Summary = PressSummary;

    fn workspace(&self) -> PressWorkspace {
        // Keep in step with `workspace_bytes`.
        let n = self.n;
        PressWorkspace {
            values: vec![0.0; self.entries.len()],
            blocks: BlockWorkspace::new(&self.blocks),
            presence: self.presence.workspace(),
            responses: vec![0.0; n * self.interventions.len()],
            valid: vec![false; self.interventions.len()],
            scale: vec![0.0; self.interventions.len()],
            link_strength: vec![0.0; self.links],
            random_bytes: match self.uniform {
                Some(_) => vec![0; 8 * self.entries.len()],
                None => Vec::new(),
            },
        }
    }

    fn empty_summary(&self) -> PressSummary {
        PressSummary {
            responses: self
                .interventions
                .iter()
                .map(|_| vec![ResponseSummary::new(); self.n])
                .collect(),
            expectations: vec![ResponseSummary::new(); self.expectations.len()],
            conditional: vec![ResponseSummary::new(); self.expectations.len()],
            comparisons: vec![vec![ResponseSummary::new(); self.n]; self.pairs.len()],
            samples: Vec::new(),
            sensitivity: vec![Correlations::new(self.links); self.expectations.len()],
            pending_zeros: vec![0; self.interventions.len()],
        }
    }

    fn draw(
        &self,
        rng: &mut ChaCha8Rng,
        ws: &mut PressWorkspace,
        summary: &mut PressSummary,
    ) -> Result<(), Rejection> {
        self.fill(rng, ws);
        self.structure
            .check(&self.blocks, &mut ws.blocks, &ws.values)?;
        self.solve_all(ws);
        // A response too large for floating point has no direction: never count it as one.
        if !self.responses_finite(ws) {
            return Err(Rejection::Undecided);
        }
        self.check_conditions(ws)?;
        self.record(ws, summary);
        Ok(())
    }

    /// Blocks of [`BLOCK_DRAWS`] on small networks; fewer draws as the estimated work of a draw
    /// grows (its entries plus the cube of every diagonal block), so that a short run on a
    /// large network does not overshoot its target by a whole block of expensive draws. A
    /// function of the network alone, so results still do not depend on the thread count.
    fn block_draws(&self) -> u64 {
        let work = (self.entries.len() + self.blocks.cubic_work()).max(1) as u64;
        (BLOCK_DRAWS * SMALL_NETWORK_WORK / work).clamp(MIN_BLOCK_DRAWS, BLOCK_DRAWS)
    }

    /// Adds the exact zeros of every unreachable node, one per draw recorded: the summary
    /// then holds what recording them draw by draw would have given, to the bit.
    fn finish_block(&self, summary: &mut PressSummary) {
        for (k, intervention) in self.interventions.iter().enumerate() {
            let draws = std::mem::take(&mut summary.pending_zeros[k]);
            if draws == 0 || intervention.unreached.is_empty() {
                continue;
            }
            for &node in &intervention.unreached {
                summary.responses[k][node].record_zeros(draws);
            }
        }
    }

    fn merge(&self, into: &mut PressSummary, other: PressSummary) {
        for (a, b) in into.responses.iter_mut().zip(&other.responses) {
            for (x, y) in a.iter_mut().zip(b) {
                x.merge(y);
            }
        }
        for (x, y) in into.expectations.iter_mut().zip(&other.expectations) {
            x.merge(y);
        }
        for (x, y) in into.conditional.iter_mut().zip(&other.conditional) {
            x.merge(y);
        }
        for (a, b) in into.comparisons.iter_mut().zip(&other.comparisons) {
            for (x, y) in a.iter_mut().zip(b) {
                x.merge(y);
            }
        }
        for (x, y) in into.sensitivity.iter_mut().zip(&other.sensitivity) {
            x.merge(y);
        }
    }
}

/// [`PressModel::fill`] for entries that are all uniform with a known sign: the same random
/// numbers in the same order, and the same values (a known sign adds the plain magnitude to
/// its link's strength). The random words come in one bulk read of the stream (the same words
/// as one `random::<f64>()` per entry: the generator hands out its words in order either way),
/// which spares the generator's bookkeeping per number.
fn fill_uniform(entries: &[UniformEntry], rng: &mut ChaCha8Rng, ws: &mut PressWorkspace) {
    let present = &ws.presence.present;
    let drawn = entries
        .iter()
        .filter(|e| e.link == NO_LINK || present[e.link])
        .count();
    let bytes = &mut ws.random_bytes[..8 * drawn];
    rng.fill_bytes(bytes);
    let mut words = bytes.as_chunks::<8>().0.iter();
    for (e, value) in entries.iter().zip(&mut ws.values) {
        if e.link != NO_LINK && !present[e.link] {
            *value = 0.0;
            continue;
        }
        let word = words.next().expect("one random word per drawn entry");
        let magnitude = e.low + e.width * unit_interval(u64::from_le_bytes(*word));
        *value = e.sign * magnitude;
        if e.link != NO_LINK {
            ws.link_strength[e.link] += magnitude;
        }
    }
}

/// [`fill_uniform`] when every link is always present and has at most one entry: no presence
/// to check, and each link's strength is set, not added to a cleared one (the same value:
/// `0.0 + m` is `m` for a magnitude `m >= 0`); links without an entry keep the workspace's 0.
fn fill_uniform_always(entries: &[UniformEntry], rng: &mut ChaCha8Rng, ws: &mut PressWorkspace) {
    let bytes = &mut ws.random_bytes[..8 * entries.len()];
    rng.fill_bytes(bytes);
    let words = bytes.as_chunks::<8>().0;
    for ((e, value), word) in entries.iter().zip(&mut ws.values).zip(words) {
        let magnitude = e.low + e.width * unit_interval(u64::from_le_bytes(*word));
        *value = e.sign * magnitude;
        if e.link != NO_LINK {
            ws.link_strength[e.link] = magnitude;
        }
    }
}

/// A random word as a number in `[0, 1)`, as rand's `random::<f64>()` makes it: the top 53
/// bits times `2^-53`.
#[inline(always)]
fn unit_interval(word: u64) -> f64 {
    const SCALE: f64 = 1.0 / (1u64 << 53) as f64;
    SCALE * (word >> 11) as f64
}

fn keep_row(ws: &PressWorkspace, n: usize, rows: &mut Vec<f64>) {
    for (k, x) in ws.responses.chunks(n.max(1)).enumerate() {
        if ws.valid[k] {
            rows.extend_from_slice(x);
        } else {
            rows.extend(std::iter::repeat_n(f64::NAN, x.len()));
        }
    }
}

/// Whether an observed direction is the asserted change.
pub fn matches_change(direction: Direction, change: Change) -> bool {
    matches!(
        (direction, change),
        (Direction::Up, Change::Up)
            | (Direction::Down, Change::Down)
            | (Direction::Zero, Change::None)
    )
}

/// A compared change as evidence for its claim, on a log-like scale that tames heavy tails:
/// positive when it goes the asserted way, larger the further it goes (for `none`, the
/// smaller the change the better).
fn oriented(value: f64, change: Change) -> f64 {
    match change {
        Change::Up => value.asinh(),
        Change::Down => -value.asinh(),
        Change::None => -value.abs().asinh(),
    }
}

fn classify_change(value: f64, scale: f64) -> Direction {
    if value.abs() <= RELATIVE_ZERO * scale || value == 0.0 {
        Direction::Zero
    } else if value > 0.0 {
        Direction::Up
    } else {
        Direction::Down
    }
}

/// The largest magnitude in `x` (NaNs ignored, 0 if none). Four running maxima, not one: a
/// maximum ignoring NaN is order-free, so the result is the same, and the four chains
/// overlap instead of waiting on each other (on 200 nodes one chain cost more than the rest
/// of recording them).
fn largest(x: &[f64]) -> f64 {
    let (quads, rest) = x.as_chunks::<4>();
    let lanes = quads.iter().fold([0.0f64; 4], |m, q| {
        std::array::from_fn(|i| m[i].max(q[i].abs()))
    });
    let tail = rest.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    lanes.into_iter().fold(tail, f64::max)
}

/// The magnitude of links without their own weight: `[simulation] weight`, else U(0, 1).
pub(super) fn default_weight(scenario: &Scenario) -> Dist {
    scenario
        .simulation
        .weight
        .clone()
        .unwrap_or_else(default_magnitude)
}

/// The magnitude of a link without its own weight or `[simulation] weight`: U(0, 1).
fn default_magnitude() -> Dist {
    Dist::parse("uniform(0, 1)").unwrap_or(Dist::Fixed(0.5))
}

fn link_entries(scenario: &Scenario, default_weight: &Dist) -> Vec<Entry> {
    let n = scenario.nodes.len();
    scenario
        .edges()
        .map(|edge| {
            let weight = scenario.links[edge.link]
                .weight
                .as_ref()
                .unwrap_or(default_weight);
            Entry {
                flat: edge.to * n + edge.from,
                sign: match edge.arrow {
                    Arrow::Raises => EntrySign::Fixed(1.0),
                    Arrow::Lowers => EntrySign::Fixed(-1.0),
                    Arrow::Unknown => EntrySign::Random,
                },
                magnitude: Magnitude::new(weight),
                link: Some(edge.link),
            }
        })
        .collect()
}

/// Default self-damping for the nodes that get it and have no explicit self-link.
fn damping_entries(scenario: &Scenario, default_weight: &Dist) -> Vec<Entry> {
    let n = scenario.nodes.len();
    let has_self_link: Vec<bool> = (0..n)
        .map(|i| scenario.edges().any(|e| e.from == i && e.to == i))
        .collect();
    let all = scenario.simulation.self_limitation == SelfLimitation::All;
    scenario
        .nodes
        .iter()
        .enumerate()
        .filter(|(i, node)| !has_self_link[*i] && node.self_limited.unwrap_or(all))
        .map(|(i, _)| Entry {
            flat: i * n + i,
            sign: EntrySign::Fixed(-1.0),
            magnitude: Magnitude::new(default_weight),
            link: None,
        })
        .collect()
}

fn prepare_intervention(
    scenario: &Scenario,
    entries: &[Entry],
    intervention: &crate::scenario::Intervention,
    full: &Structure,
    partition: Partition,
    blocks: &mut BlockSet,
) -> PressIntervention {
    let n = scenario.nodes.len();
    let mut rhs = vec![0.0; n];
    for &(node, level) in &intervention.press {
        rhs[node] -= level;
    }
    for &k in &intervention.knockout {
        rhs[k] = 1.0;
    }
    let removed: Vec<usize> = entries
        .iter()
        .filter(|e| e.link.is_some_and(|l| intervention.block.contains(&l)))
        .map(|e| e.flat)
        .collect();
    let structure = (!removed.is_empty() || !intervention.knockout.is_empty()).then(|| {
        let cells: Vec<usize> = entries.iter().map(|e| e.flat).collect();
        let changes = Changes {
            removed: &removed,
            knockout: &intervention.knockout,
        };
        Structure::new(n, &cells, changes, partition, blocks)
    });
    let sources: Vec<usize> = intervention
        .press
        .iter()
        .map(|&(node, _)| node)
        .chain(intervention.knockout.iter().copied())
        .collect();
    let reachable = reachable_from(
        scenario,
        &sources,
        &intervention.block,
        &intervention.knockout,
    );
    let (reached, unreached) = (0..n).partition(|&node| reachable[node]);
    PressIntervention {
        reached,
        unreached,
        rhs,
        live: structure
            .as_ref()
            .unwrap_or(full)
            .blocks_holding(&reachable),
        structure,
        reachable,
    }
}

/// Nodes reachable from `sources` along links that are not blocked and do not pass through a
/// knocked-out node (a knocked-out node still acts on its targets).
fn reachable_from(
    scenario: &Scenario,
    sources: &[usize],
    blocked: &[usize],
    knocked: &[usize],
) -> Vec<bool> {
    let mut reached = vec![false; scenario.nodes.len()];
    let mut stack: Vec<usize> = sources.to_vec();
    for &s in sources {
        reached[s] = true;
    }
    while let Some(node) = stack.pop() {
        for edge in scenario
            .edges()
            .filter(|e| e.from == node && !blocked.contains(&e.link))
        {
            if !reached[edge.to] && !knocked.contains(&edge.to) {
                reached[edge.to] = true;
                stack.push(edge.to);
            }
        }
    }
    reached
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::streams::Streams;

    #[test]
    fn bulk_random_words_are_the_numbers_drawn_one_by_one() {
        // `fill_uniform` reads a draw's words in one go: the same numbers as one
        // `random::<f64>()` per entry, after any number drawn before (the presence draws), across
        // the generator's buffer boundaries, and the stream goes on in step.
        let streams = Streams::new(7);
        for (draw, before) in [(0, 0), (1, 1), (2, 31), (3, 32), (4, 33), (5, 200)] {
            for count in [1, 7, 32, 33, 100, 401] {
                let (mut one_by_one, mut bulk) = (streams.for_draw(draw), streams.for_draw(draw));
                for _ in 0..before {
                    let (a, b): (f64, f64) = (one_by_one.random(), bulk.random());
                    assert_eq!(a.to_bits(), b.to_bits());
                }
                let mut bytes = vec![0u8; 8 * count];
                bulk.fill_bytes(&mut bytes);
                for (i, word) in bytes.as_chunks::<8>().0.iter().enumerate() {
                    let want: f64 = one_by_one.random();
                    let got = unit_interval(u64::from_le_bytes(*word));
                    assert_eq!(got.to_bits(), want.to_bits(), "draw {draw}, word {i}");
                }
                let (a, b): (f64, f64) = (one_by_one.random(), bulk.random());
                assert_eq!(
                    a.to_bits(),
                    b.to_bits(),
                    "draw {draw}: out of step after {count}"
                );
            }
        }
    }
}
