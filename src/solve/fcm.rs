//! The fcm method: fuzzy cognitive maps (Kosko 1986; the fcmpy and Mental Modeler family) under
//! Monte Carlo uncertainty.
//!
//! The state `A` holds one activation per node, in [0, 1] with the sigmoid transfer
//! `1 / (1 + e^(-lambda x))` or in [-1, 1] with `tanh(lambda x)`. With `W[i][j]` the signed
//! weight of the link i -> j (its sampled magnitude times the arrow's sign; `-?` draws its sign
//! with equal odds in every draw), one step is
//! - Kosko: `A_j <- f(sum_i W[i][j] A_i)`;
//! - modified Kosko: `A_j <- f(sum_i W[i][j] A_i + A_j)`;
//! - rescaled: `A_j <- f(sum_i W[i][j] (2 A_i - 1) + (2 A_j - 1))`.
//!
//! A gate (`A & !B -> C`, or a single `!` input) is one term with one weight, and its activation
//! in place of `A_i` is the fuzzy AND of its inputs: the product of their degrees, an input's
//! degree being its activation clamped to [0, 1] and a `!` input's one minus that. So a drug
//! behind a gate acts only when it is given and the gate's other inputs let it through, as in
//! the ode method (docs/methods.md, fcm "Gates").
//!
//! Every node starts at its `input` level (0 without one). Held nodes keep their value every
//! step: pressed nodes at the press level, knocked-out nodes at 0, nodes with an `input` at it,
//! and nodes with no incoming link in the draw at their start level (an exogenous node must not
//! drift to `f(0)`). A blocked link is removed. The map is iterated until no node moves by more
//! than [`CONVERGENCE`], at most [`MAX_ITERATIONS`] steps; a draw in which the baseline or any
//! intervention has not converged by then (an oscillating map) is counted as not converged and
//! left out, never waited on.
//!
//! A node's change is its equilibrium under the intervention minus its baseline equilibrium
//! (not a percentage of it, which blows up near zero); below [`ZERO_CHANGE`] it is none.

use super::outcome::{Comparisons, LevelSummary};
use super::presence::{LinkPresence, PresenceDraw};
use super::press::default_weight;
use crate::sample::{Rejection, Sampler};
use crate::scenario::dist::Dist;
use crate::scenario::links::Arrow;
use crate::scenario::{FcmRule, FcmTransfer, GateInput, Intervention, Scenario};
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

/// The map has converged when no node moves by more than this in one step (fcmpy's default).
pub const CONVERGENCE: f64 = 1e-5;

/// Steps allowed before a run counts as not converged.
pub const MAX_ITERATIONS: usize = 1000;

/// Changes smaller than this count as no change. Stopping at steps of 1e-5 leaves each
/// equilibrium off by up to `1e-5 rho / (1 - rho)` for a map contracting at rate `rho`, a few
/// times 1e-5 for typical maps; comparing two such equilibria needs a margin above that.
pub const ZERO_CHANGE: f64 = 1e-4;

/// One term of a node's update: a plain link i -> j, or a gate of several (or `!`) inputs.
#[derive(Debug, Clone)]
struct Edge {
    /// The first input: a plain link's only one (read without going through `inputs`).
    from: usize,
    /// Its inputs: one plain input for a link, several for a gate.
    inputs: Vec<GateInput>,
    gate: bool,
    arrow: Arrow,
    magnitude: Dist,
    link: usize,
}

impl Edge {
    /// The activation the term carries: the input's own, or a gate's fuzzy AND.
    #[inline]
    fn activation(&self, state: &[f64]) -> f64 {
        if !self.gate {
            return state[self.from];
        }
        self.inputs
            .iter()
            .map(|input| {
                let degree = state[input.node].clamp(0.0, 1.0);
                if input.negated { 1.0 - degree } else { degree }
            })
            .product()
    }
}

/// The baseline or one intervention, prepared for iteration.
#[derive(Debug, Clone)]
struct Run {
    /// Per node: the value it is clamped at, if any.
    clamp: Vec<Option<f64>>,
    /// Per node: its start value.
    start: Vec<f64>,
    /// Per link.
    blocked: Vec<bool>,
}

/// The fcm method for one scenario, ready to draw.
#[derive(Debug, Clone)]
pub struct FcmModel {
    n: usize,
    /// Edges ordered by target node; node j's are `edges[first_edge[j]..first_edge[j + 1]]`.
    edges: Vec<Edge>,
    first_edge: Vec<usize>,
    presence: LinkPresence,
    /// Run 0 is the baseline, run k + 1 intervention k.
    runs: Vec<Run>,
    rule: FcmRule,
    transfer: FcmTransfer,
    lambda: f64,
    comparisons: Comparisons,
}

/// Per-worker scratch space, so a draw allocates nothing.
pub struct FcmWorkspace {
    presence: PresenceDraw,
    /// Per edge: its signed weight in this draw.
    weight: Vec<f64>,
    /// Per edge: in the current run (present and not blocked).
    active: Vec<bool>,
    held: Vec<bool>,
    state: Vec<f64>,
    next: Vec<f64>,
    /// Final levels, `run * n + node`.
    levels: Vec<f64>,
}

impl FcmModel {
    pub fn new(scenario: &Scenario) -> Self {
        let n = scenario.nodes.len();
        let default_weight = default_weight(scenario);
        let mut edges: Vec<(usize, Edge)> = scenario
            .links
            .iter()
            .enumerate()
            .map(|(index, link)| {
                let magnitude = link
                    .weight
                    .clone()
                    .unwrap_or_else(|| default_weight.clone());
                let edge = Edge {
                    from: link.inputs[0].node,
                    inputs: link.inputs.clone(),
                    gate: link.is_gate(),
                    arrow: link.arrow,
                    magnitude,
                    link: index,
                };
                (link.target, edge)
            })
            .collect();
        // Stable: a node's incoming edges keep file order, so draws follow the file.
        edges.sort_by_key(|(to, _)| *to);
        let mut first_edge = vec![0; n + 1];
        for (to, _) in &edges {
            first_edge[to + 1] += 1;
        }
        for j in 0..n {
            first_edge[j + 1] += first_edge[j];
        }
        let sim = &scenario.simulation;
        let mut runs = vec![baseline_run(scenario)];
        runs.extend(
            scenario
                .interventions
                .iter()
                .map(|i| intervention_run(scenario, i)),
        );
        FcmModel {
            n,
            edges: edges.into_iter().map(|(_, e)| e).collect(),
            first_edge,
            presence: LinkPresence::new(scenario),
            runs,
            rule: sim.fcm_rule,
            transfer: sim.fcm_transfer,
            lambda: sim.fcm_lambda,
            comparisons: Comparisons::new(scenario, ZERO_CHANGE, false),
        }
    }

    /// Draws which links are present and every edge's signed weight.
    fn draw_weights(&self, rng: &mut ChaCha8Rng, ws: &mut FcmWorkspace) {
        self.presence.draw(rng, &mut ws.presence);
        for (weight, edge) in ws.weight.iter_mut().zip(&self.edges) {
            let magnitude = edge.magnitude.sample(rng).abs();
            let sign = match edge.arrow {
                Arrow::Raises => 1.0,
                Arrow::Lowers => -1.0,
                Arrow::Unknown if rng.random::<bool>() => 1.0,
                Arrow::Unknown => -1.0,
            };
            *weight = sign * magnitude;
        }
    }

    /// Iterates run `r` to its fixed point; `Err` when it does not settle within the cap.
    fn iterate(&self, r: usize, ws: &mut FcmWorkspace) -> Result<(), Rejection> {
        let run = &self.runs[r];
        self.prepare(run, ws);
        for _ in 0..MAX_ITERATIONS {
            let mut largest_move = 0.0f64;
            for j in 0..self.n {
                let next = if ws.held[j] {
                    ws.state[j]
                } else {
                    self.update(j, ws)
                };
                let moved = (next - ws.state[j]).abs();
                // NaN must count as not settled, and f64::max would drop it.
                largest_move = if moved.is_nan() {
                    f64::INFINITY
                } else {
                    largest_move.max(moved)
                };
                ws.next[j] = next;
            }
            std::mem::swap(&mut ws.state, &mut ws.next);
            if largest_move <= CONVERGENCE {
                let n = self.n;
                ws.levels[r * n..(r + 1) * n].copy_from_slice(&ws.state);
                return Ok(());
            }
        }
        Err(Rejection::NotConverged)
    }

    /// Sets the start state, the active edges and the held nodes of a run.
    fn prepare(&self, run: &Run, ws: &mut FcmWorkspace) {
        for (active, edge) in ws.active.iter_mut().zip(&self.edges) {
            *active = ws.presence.present[edge.link] && !run.blocked[edge.link];
        }
        for j in 0..self.n {
            let incoming = &ws.active[self.first_edge[j]..self.first_edge[j + 1]];
            ws.held[j] = run.clamp[j].is_some() || !incoming.contains(&true);
        }
        ws.state.copy_from_slice(&run.start);
    }

    /// Node j's next value under the update rule.
    #[inline]
    fn update(&self, j: usize, ws: &FcmWorkspace) -> f64 {
        let range = self.first_edge[j]..self.first_edge[j + 1];
        let mut sum = 0.0;
        for ((edge, &w), &active) in self.edges[range.clone()]
            .iter()
            .zip(&ws.weight[range.clone()])
            .zip(&ws.active[range])
        {
            if active {
                let a = edge.activation(&ws.state);
                sum += w * match self.rule {
                    FcmRule::Rescaled => 2.0 * a - 1.0,
                    FcmRule::Kosko | FcmRule::ModifiedKosko => a,
                };
            }
        }
        let own = ws.state[j];
        sum += match self.rule {
            FcmRule::Kosko => 0.0,
            FcmRule::ModifiedKosko => own,
            FcmRule::Rescaled => 2.0 * own - 1.0,
        };
        match self.transfer {
            FcmTransfer::Sigmoid => 1.0 / (1.0 + (-self.lambda * sum).exp()),
            FcmTransfer::Tanh => (self.lambda * sum).tanh(),
        }
    }
}

impl Sampler for FcmModel {
    type Workspace = FcmWorkspace;
    type Summary = LevelSummary;

    fn workspace(&self) -> FcmWorkspace {
        let n = self.n;
        FcmWorkspace {
            presence: self.presence.workspace(),
            weight: vec![0.0; self.edges.len()],
            active: vec![false; self.edges.len()],
            held: vec![false; n],
            state: vec![0.0; n],
            next: vec![0.0; n],
            levels: vec![0.0; n * self.runs.len()],
        }
    }

    fn empty_summary(&self) -> LevelSummary {
        self.comparisons.empty_summary()
    }

    fn draw(
        &self,
        rng: &mut ChaCha8Rng,
        ws: &mut FcmWorkspace,
        summary: &mut LevelSummary,
    ) -> Result<(), Rejection> {
        self.draw_weights(rng, ws);
        for r in 0..self.runs.len() {
            self.iterate(r, ws)?;
        }
        self.comparisons.check_conditions(&ws.levels)?;
        self.comparisons
            .record(&ws.levels, &ws.presence.present, summary);
        Ok(())
    }

    fn merge(&self, into: &mut LevelSummary, other: LevelSummary) {
        into.merge(&other);
    }
}

/// The run without intervention: nodes with an `input` are clamped at it.
fn baseline_run(scenario: &Scenario) -> Run {
    let clamp: Vec<Option<f64>> = scenario.nodes.iter().map(|v| v.input).collect();
    Run {
        start: clamp.iter().map(|c| c.unwrap_or(0.0)).collect(),
        clamp,
        blocked: vec![false; scenario.links.len()],
    }
}

/// An intervention: pressed nodes clamped at the press level, knocked-out nodes at 0 (a
/// knockout overrides a press of the same node). Doses are an ode notion and are ignored here.
fn intervention_run(scenario: &Scenario, intervention: &Intervention) -> Run {
    let mut run = baseline_run(scenario);
    let clamps = intervention
        .press
        .iter()
        .copied()
        .chain(intervention.knockout.iter().map(|&node| (node, 0.0)));
    for (node, level) in clamps {
        run.clamp[node] = Some(level);
        run.start[node] = level;
    }
    for &link in &intervention.block {
        run.blocked[link] = true;
    }
    run
}
