//! The ode method: logic-based differential equations (Netflux; Kraeutler, Tan & Saucerman
//! 2010) under Monte Carlo uncertainty.
//!
//! Every node follows `dy/dt = (F(y) ymax - y) / tau`. `F` combines the node's reactions by OR,
//! `1 - prod(1 - term)` (the pairwise `a + b - a b`): one reaction per link, plus the node's
//! input reaction (its `input` level, or the press level under a press) and its dose input.
//! A link `A -> B` has term `f(A)` (normalized Hill, [`super::hill`]), `A -| B` has `w - f(A)`.
//! A gate `A & !B -> C` multiplies its input terms `f(A)` and `w - f(B)` and divides by
//! `w^(k-1)` (Netflux v1; the Python port's `w^(k-2)` agrees only at `w = 1`); `-|` on a gate
//! gives `w - AND`. A `-?` link draws its sign (+ or - with equal odds) in every draw.
//!
//! Each draw samples every parameter that has a distribution (link weight, n, EC50; node tau,
//! ymax) and whether optional links are present, then runs:
//! 1. settle: from every node at 0, no intervention, to `t_end`: the baseline state;
//! 2. baseline: from the baseline state, no intervention, to `t_end`;
//! 3. each intervention from the baseline state to `t_end`: presses set the input reaction,
//!    knockouts set `ymax = 0`, blocks set the link's `w = 0`, doses add a decaying input.
//!
//! Any run that comes to rest (every `|dy/dt|` below [`STEADY_RATE`]) after its last dose stops
//! there and holds its state, so a baseline run from a resting baseline state costs nothing.
//!
//! A node's change is its final level under the intervention minus its final level in the
//! baseline run (or the `versus` intervention's). Changes below [`ZERO_CHANGE`] count as none;
//! nodes the intervention cannot reach along the links are exactly unchanged.

use super::dopri::{Dopri, Failure, Span, System, Tolerance};
use super::hill::{Hill, PowerTable, draw_hill};
use super::outcome::{Comparisons, LevelSummary};
use super::presence::{LinkPresence, PresenceDraw};
use crate::error::Error;
use crate::sample::bands::Bands;
use crate::sample::{Rejection, Sampler};
use crate::scenario::dist::Dist;
use crate::scenario::links::Arrow;
use crate::scenario::{Intervention, Scenario};
use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use statrs::distribution::ContinuousCDF;

/// Local error tolerance of the integrator (per node: 1e-7 absolute plus 1e-7 relative).
/// Measured against runs at 1e-12, mean levels and changes of every shipped scenario and the
/// test networks agree within 1.1e-7 (docs/methods.md), a tenth of [`ZERO_CHANGE`].
pub const TOLERANCE: Tolerance = Tolerance {
    relative: 1e-7,
    absolute: 1e-7,
};

/// Tolerance of the settle run, which only finds the baseline state: the baseline and every
/// intervention start from that same state, so its error is shared by both sides of every change
/// and decays over the runs (measured: final errors unchanged from settling at 1e-8), at a
/// fifth fewer steps.
pub const SETTLE_TOLERANCE: Tolerance = Tolerance {
    relative: 1e-6,
    absolute: 1e-6,
};

/// Changes smaller than this count as no change. Levels are fractions of full activity, so an
/// absolute cut is meaningful here (unlike press, whose responses have no scale). It is more
/// than eight times the integration error of the final levels, so integration noise never
/// reads as a change, and a millionth of full activity is below anything a claim is about.
pub const ZERO_CHANGE: f64 = 1e-6;

/// A run whose every `|dy/dt|` is below this is at rest and holds its state: over `t_end` = 30
/// it could drift by at most 3e-9, far below [`ZERO_CHANGE`].
pub const STEADY_RATE: f64 = 1e-10;

/// Integrator steps (accepted or rejected) allowed per run; a draw that needs more is counted
/// as not converged. Smooth runs to t = 30 take about 30 to 100.
const STEPS_PER_RUN: u32 = 20_000;

/// Time-course grid points per run, before dose times are added.
const GRID_POINTS: (usize, usize) = (11, 61);
/// Time-course series (run x node x point) kept; the grid is coarsened to stay within it, so
/// that the bands of every block in flight stay small (256 bytes per series).
const SERIES_BUDGET: usize = 4096;
/// Dose times added to a run's time grid, at most.
const DOSE_POINTS: usize = 24;
/// Doses allowed before `t_end` in one intervention: each one restarts the integrator.
const MAX_DOSES: usize = 1000;

/// One link as a reaction. Reactions are ordered by target node.
#[derive(Debug, Clone)]
struct Reaction {
    /// The link it comes from (for presence and blocks).
    link: usize,
    /// How many of [`OdeModel::inputs`] are this reaction's (they follow the previous
    /// reaction's).
    input_count: usize,
    arrow: Arrow,
    weight: Dist,
    /// The distributions of n and EC50 when the curve is drawn per draw (it is worked out once
    /// in [`Slot`] when both are fixed).
    drawn_curve: Option<(Dist, Dist)>,
}

/// One input of a reaction.
#[derive(Debug, Clone, Copy)]
struct Input {
    /// Where its fraction `f(x)/w` is computed.
    slot: usize,
    negated: bool,
}

/// One activation fraction `f(x)/w` computed per evaluation and shared by every input with the
/// same node and the same fixed curve (by default every link has the Netflux curve, so there is
/// one per source node).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Slot {
    node: usize,
    curve: SlotCurve,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum SlotCurve {
    /// A fixed curve, its powers from [`OdeModel::tables`].
    Fixed { hill: Hill, table: usize },
    /// The curve drawn for this reaction.
    OfReaction(usize),
}

/// One dose entering a node.
#[derive(Debug, Clone, Copy)]
struct DoseEvent {
    time: f64,
    /// Index into [`Run::schedules`].
    schedule: usize,
    amount: f64,
}

/// The baseline or one intervention, prepared for integration.
#[derive(Debug, Clone)]
struct Run {
    /// Per node: the level of its input reaction (0: none).
    input: Vec<f64>,
    knocked: Vec<bool>,
    /// Per link.
    blocked: Vec<bool>,
    /// Per dose schedule, ordered by node: the node and its decay rate `ln 2 / half-life`.
    schedules: Vec<(usize, f64)>,
    /// Doses before `t_end`, in time order.
    events: Vec<DoseEvent>,
    /// Time-course points: 0, the grid, and the first dose times.
    times: Vec<f64>,
    /// Index of this run's first series in the bands.
    offset: usize,
}

/// The ode method for one scenario, ready to draw.
#[derive(Debug, Clone)]
pub struct OdeModel {
    n: usize,
    t_end: f64,
    reactions: Vec<Reaction>,
    /// How many reactions target each node (they follow the previous node's).
    reaction_counts: Vec<usize>,
    /// Per reaction, how many of [`Self::inputs`] are its own (they follow the previous
    /// reaction's): [`Reaction::input_count`], apart so the evaluation reads a dense list.
    input_counts: Vec<usize>,
    /// The inputs of every reaction, in reaction order.
    inputs: Vec<Input>,
    slots: Vec<Slot>,
    /// One power table per distinct fixed Hill coefficient.
    tables: Vec<PowerTable>,
    presence: LinkPresence,
    tau: Vec<Dist>,
    ymax: Vec<Dist>,
    /// Run 0 is the baseline, run k + 1 intervention k.
    runs: Vec<Run>,
    comparisons: Comparisons,
    /// Per time-course series, the largest level it can take.
    ceilings: Vec<f64>,
}

/// Per-worker scratch space, so a draw allocates nothing.
pub struct OdeWorkspace {
    presence: PresenceDraw,
    params: Params,
    /// The parameters with the current run's blocks and knockouts applied.
    run_w: Vec<f64>,
    run_ymax: Vec<f64>,
    /// Per dose schedule: the dose input at the start of the current segment.
    dose_level: Vec<f64>,
    /// Per evaluation: each slot's fraction `f(x)/w`.
    fraction: Vec<f64>,
    dopri: Dopri,
    y: Vec<f64>,
    start: Vec<f64>,
    /// Final levels, `run * n + node`.
    levels: Vec<f64>,
    /// Time-course values, by series.
    course: Vec<f64>,
}

/// One draw's parameters.
#[derive(Debug, Clone)]
struct Params {
    /// Per reaction.
    w: Vec<f64>,
    hill: Vec<Hill>,
    inhibits: Vec<bool>,
    /// Per node.
    tau_inv: Vec<f64>,
    ymax: Vec<f64>,
}

/// One run's node levels over time, as quantile bands across samples.
#[derive(Debug, Clone)]
pub struct CourseBands {
    /// Time points, from the start of the run to `t_end`; dose times are among them.
    pub times: Vec<f64>,
    /// Every dose given before `t_end`: (node, time, amount).
    pub doses: Vec<(usize, f64, f64)>,
    /// Per node, per time point: the median, 5 % and 95 % quantiles.
    pub median: Vec<Vec<f64>>,
    pub q05: Vec<Vec<f64>>,
    pub q95: Vec<Vec<f64>>,
}

/// Accumulated results of accepted draws.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct OdeSummary {
    pub levels: LevelSummary,
    /// Time courses of every run, by series.
    pub courses: Bands,
}

impl OdeModel {
    /// Prepares the ode method; fails on presses outside [0, 1] or too many doses.
    pub fn new(scenario: &Scenario) -> Result<Self, Error> {
        let n = scenario.nodes.len();
        let sim = &scenario.simulation;
        let network = reactions(scenario);
        let mut runs = vec![baseline_run(scenario)];
        for intervention in &scenario.interventions {
            runs.push(intervention_run(scenario, intervention)?);
        }
        let grid = (SERIES_BUDGET / (runs.len() * n).max(1)).clamp(GRID_POINTS.0, GRID_POINTS.1);
        let node_ceilings: Vec<f64> = scenario.nodes.iter().map(|v| ceiling(&v.ymax)).collect();
        let mut ceilings = Vec::new();
        for run in &mut runs {
            run.times = time_points(sim.t_end, grid, &run.events);
            run.offset = ceilings.len();
            for _ in &run.times {
                ceilings.extend_from_slice(&node_ceilings);
            }
        }
        let input_counts = network.reactions.iter().map(|r| r.input_count).collect();
        Ok(OdeModel {
            n,
            t_end: sim.t_end,
            reactions: network.reactions,
            reaction_counts: network.reaction_count,
            input_counts,
            inputs: network.inputs,
            slots: network.slots,
            tables: network.tables,
            presence: LinkPresence::new(scenario),
            tau: scenario.nodes.iter().map(|v| v.tau.clone()).collect(),
            ymax: scenario.nodes.iter().map(|v| v.ymax.clone()).collect(),
            runs,
            comparisons: Comparisons::new(scenario, ZERO_CHANGE, true),
            ceilings,
        })
    }

    /// The time courses of a summary as raw bands: the baseline's, then one per intervention.
    pub fn time_courses(&self, courses: &Bands) -> Vec<CourseBands> {
        self.runs
            .iter()
            .map(|run| {
                let band = |node: usize, q: f64| -> Vec<f64> {
                    (0..run.times.len())
                        .map(|p| courses.quantile(run.offset + p * self.n + node, q))
                        .collect()
                };
                let bands = |q: f64| (0..self.n).map(|node| band(node, q)).collect();
                CourseBands {
                    times: run.times.clone(),
                    doses: run
                        .events
                        .iter()
                        .map(|e| (run.schedules[e.schedule].0, e.time, e.amount))
                        .collect(),
                    median: bands(0.5),
                    q05: bands(0.05),
                    q95: bands(0.95),
                }
            })
            .collect()
    }

    /// Draws every parameter: presence, then per link weight, curve and (for `-?`) sign, then
    /// per node tau and ymax.
    fn draw_parameters(&self, rng: &mut ChaCha8Rng, ws: &mut OdeWorkspace) {
        self.presence.draw(rng, &mut ws.presence);
        let p = &mut ws.params;
        for (r, reaction) in self.reactions.iter().enumerate() {
            // Netflux weights are fractions of full activation: above 1 acts as 1.
            let w = reaction.weight.sample(rng).abs().min(1.0);
            p.w[r] = if ws.presence.present[reaction.link] {
                w
            } else {
                0.0
            };
            if let Some((n, ec50)) = &reaction.drawn_curve {
                p.hill[r] = draw_hill(n, ec50, rng);
            }
            p.inhibits[r] = match reaction.arrow {
                Arrow::Raises => false,
                Arrow::Lowers => true,
                Arrow::Unknown => rng.random::<bool>(),
            };
        }
        for i in 0..self.n {
            p.tau_inv[i] = 1.0 / self.tau[i].sample(rng);
            p.ymax[i] = self.ymax[i].sample(rng).max(0.0);
        }
    }

    /// Runs settle, baseline and every intervention of the current draw.
    fn run_all(&self, ws: &mut OdeWorkspace) -> Result<(), Failure> {
        ws.y.fill(0.0);
        self.integrate_run(0, ws, true)?;
        ws.start.copy_from_slice(&ws.y);
        for run in 0..self.runs.len() {
            ws.y.copy_from_slice(&ws.start);
            self.integrate_run(run, ws, false)?;
        }
        Ok(())
    }

    /// Integrates run `r` from `ws.y` over `[0, t_end]`, segment by segment between doses,
    /// storing its final levels and its time course; the `settle` run records no time course
    /// and uses [`SETTLE_TOLERANCE`].
    fn integrate_run(&self, r: usize, ws: &mut OdeWorkspace, settle: bool) -> Result<(), Failure> {
        let n = self.n;
        let run = &self.runs[r];
        let OdeWorkspace {
            params,
            run_w,
            run_ymax,
            dose_level,
            fraction,
            dopri,
            y,
            levels,
            course,
            ..
        } = ws;
        for ((w, reaction), &drawn) in run_w.iter_mut().zip(&self.reactions).zip(&params.w) {
            *w = if run.blocked[reaction.link] {
                0.0
            } else {
                drawn
            };
        }
        for (i, ymax) in run_ymax.iter_mut().enumerate() {
            *ymax = if run.knocked[i] { 0.0 } else { params.ymax[i] };
        }
        dose_level.fill(0.0);
        if !settle {
            course[run.offset..run.offset + n].copy_from_slice(y);
        }
        let mut budget = STEPS_PER_RUN;
        let mut next_point = 1;
        let mut next_event = 0;
        let mut t = 0.0;
        while t < self.t_end {
            while let Some(e) = run.events.get(next_event).filter(|e| e.time <= t) {
                dose_level[e.schedule] += e.amount;
                next_event += 1;
            }
            let end = run.events.get(next_event).map_or(self.t_end, |e| e.time);
            let points = if settle {
                0
            } else {
                run.times[next_point..]
                    .iter()
                    .take_while(|&&time| time <= end)
                    .count()
            };
            let mut equations = Equations {
                model: self,
                run,
                params,
                w: run_w,
                ymax: run_ymax,
                dose_level,
                since: t,
                fraction,
            };
            let first = run.offset + next_point * n;
            let span = Span {
                from: t,
                to: end,
                outputs: &run.times[next_point..next_point + points],
                // After the last dose, a run at rest stays there: stop and hold it.
                rest: (next_event == run.events.len()).then_some(STEADY_RATE),
                tolerance: if settle { SETTLE_TOLERANCE } else { TOLERANCE },
            };
            let reached = dopri.integrate(
                &mut equations,
                span,
                y,
                &mut |p, state| course[first + p * n..first + (p + 1) * n].copy_from_slice(state),
                &mut budget,
            )?;
            next_point += points;
            for (level, &(_, rate)) in dose_level.iter_mut().zip(&run.schedules) {
                *level *= (-rate * (end - t)).exp();
            }
            t = if reached < end { self.t_end } else { end };
        }
        levels[r * n..(r + 1) * n].copy_from_slice(y);
        Ok(())
    }
}

/// The right-hand side of one run in one draw, with its scratch space.
struct Equations<'a> {
    model: &'a OdeModel,
    run: &'a Run,
    params: &'a Params,
    /// Per reaction, with the run's blocks applied.
    w: &'a [f64],
    /// Per node, with the run's knockouts applied.
    ymax: &'a [f64],
    dose_level: &'a [f64],
    /// Start of the current dose segment, when `dose_level` was taken.
    since: f64,
    fraction: &'a mut [f64],
}

impl System for Equations<'_> {
    /// In independent passes (activation fractions, then each node's OR), so the slow
    /// operations of different reactions overlap instead of waiting on each other.
    fn derivative(&mut self, t: f64, y: &[f64], dy: &mut [f64]) {
        let model = self.model;
        let p = self.params;
        for (fraction, slot) in self.fraction.iter_mut().zip(&model.slots) {
            let x = y[slot.node];
            // Levels at or below 0 activate nothing; so does NaN (a broken state).
            *fraction = if x.is_nan() || x <= 0.0 {
                0.0
            } else {
                match slot.curve {
                    SlotCurve::Fixed { hill, table } => {
                        hill.fraction_of_power(model.tables[table].pow(x))
                    }
                    SlotCurve::OfReaction(r) => p.hill[r].fraction(x),
                }
            };
        }
        // Reactions and their inputs are stored in node order: walk them alongside the nodes.
        let mut reactions = model
            .input_counts
            .iter()
            .zip(self.w.iter().zip(&p.inhibits));
        let mut inputs = model.inputs.iter();
        for ((off, &count), &basal) in dy
            .iter_mut()
            .zip(&model.reaction_counts)
            .zip(&self.run.input)
        {
            // The OR of the node's reactions, as the product of their complements.
            let mut product = 1.0 - basal;
            for (&input_count, (&w, &inhibits)) in reactions.by_ref().take(count) {
                // The AND: w times the product of the input fractions, = prod / w^(k-1).
                let and: f64 = inputs
                    .by_ref()
                    .take(input_count)
                    .map(|input| {
                        let f = self.fraction[input.slot];
                        if input.negated { 1.0 - f } else { f }
                    })
                    .product();
                let term = w * if inhibits { 1.0 - and } else { and };
                product *= 1.0 - term;
            }
            *off = product;
        }
        self.apply_doses(t, dy);
        for (((dy, &y), &ymax), &tau_inv) in dy.iter_mut().zip(y).zip(self.ymax).zip(&p.tau_inv) {
            *dy = (ymax * (1.0 - *dy) - y) * tau_inv;
        }
    }
}

impl Equations<'_> {
    /// ORs each dosed node's dose input, the sum of its decaying doses capped at 1 (an input
    /// reaction is at most fully on).
    fn apply_doses(&self, t: f64, dy: &mut [f64]) {
        let schedules = &self.run.schedules;
        let mut k = 0;
        while k < schedules.len() {
            let node = schedules[k].0;
            let mut input = 0.0;
            while k < schedules.len() && schedules[k].0 == node {
                input += self.dose_level[k] * (-schedules[k].1 * (t - self.since)).exp();
                k += 1;
            }
            dy[node] *= 1.0 - input.min(1.0);
        }
    }
}

impl Sampler for OdeModel {
    type Workspace = OdeWorkspace;
    type Summary = OdeSummary;

    fn workspace(&self) -> OdeWorkspace {
        let n = self.n;
        let reactions = self.reactions.len();
        let schedules = self.runs.iter().map(|r| r.schedules.len()).max();
        OdeWorkspace {
            presence: self.presence.workspace(),
            params: Params {
                w: vec![0.0; reactions],
                hill: vec![Hill::default(); reactions],
                inhibits: vec![false; reactions],
                tau_inv: vec![1.0; n],
                ymax: vec![1.0; n],
            },
            run_w: vec![0.0; reactions],
            run_ymax: vec![0.0; n],
            dose_level: vec![0.0; schedules.unwrap_or(0)],
            fraction: vec![0.0; self.slots.len()],
            dopri: Dopri::new(n),
            y: vec![0.0; n],
            start: vec![0.0; n],
            levels: vec![0.0; n * self.runs.len()],
            course: vec![0.0; self.ceilings.len()],
        }
    }

    fn empty_summary(&self) -> OdeSummary {
        OdeSummary {
            levels: self.comparisons.empty_summary(),
            courses: Bands::new(&self.ceilings),
        }
    }

    fn draw(
        &self,
        rng: &mut ChaCha8Rng,
        ws: &mut OdeWorkspace,
        summary: &mut OdeSummary,
    ) -> Result<(), Rejection> {
        self.draw_parameters(rng, ws);
        self.run_all(ws).map_err(|_| Rejection::NotConverged)?;
        self.comparisons.check_conditions(&ws.levels)?;
        self.comparisons
            .record(&ws.levels, &ws.presence.present, &mut summary.levels);
        for (series, &value) in ws.course.iter().enumerate() {
            summary.courses.record(series, value);
        }
        Ok(())
    }

    fn merge(&self, into: &mut OdeSummary, other: OdeSummary) {
        into.levels.merge(&other.levels);
        into.courses.merge(&other.courses);
    }

    /// A draw integrates several runs (about 0.2 ms at 20 nodes), so small blocks keep both
    /// cores busy on short runs and make the re-run of the last block cheap.
    fn block_draws(&self) -> u64 {
        256
    }
}

/// The links as reactions, ready for fast evaluation.
struct Network {
    /// Ordered by target node.
    reactions: Vec<Reaction>,
    reaction_count: Vec<usize>,
    inputs: Vec<Input>,
    slots: Vec<Slot>,
    tables: Vec<PowerTable>,
}

/// The links as reactions, ordered by target; their inputs flattened; the distinct activation
/// fractions those inputs need; and a power table per distinct fixed Hill coefficient.
fn reactions(scenario: &Scenario) -> Network {
    let n = scenario.nodes.len();
    let default_weight = scenario
        .simulation
        .weight
        .clone()
        .unwrap_or(Dist::Fixed(1.0));
    let mut order: Vec<usize> = (0..scenario.links.len()).collect();
    order.sort_by_key(|&l| scenario.links[l].target);
    let mut network = Network {
        reactions: Vec::new(),
        reaction_count: vec![0; n],
        inputs: Vec::new(),
        slots: Vec::new(),
        tables: Vec::new(),
    };
    for (r, &l) in order.iter().enumerate() {
        let link = &scenario.links[l];
        network.reaction_count[link.target] += 1;
        let fixed = match (link.hill_n.as_fixed(), link.ec50.as_fixed()) {
            (Some(n), Some(ec50)) => Hill::new(n, ec50),
            _ => None,
        };
        let slot_curve = match fixed {
            Some(hill) => SlotCurve::Fixed {
                hill,
                table: network.table_for(hill.n()),
            },
            None => SlotCurve::OfReaction(r),
        };
        for g in &link.inputs {
            let slot = network.slot(Slot {
                node: g.node,
                curve: slot_curve,
            });
            network.inputs.push(Input {
                slot,
                negated: g.negated,
            });
        }
        network.reactions.push(Reaction {
            link: l,
            input_count: link.inputs.len(),
            arrow: link.arrow,
            weight: link
                .weight
                .clone()
                .unwrap_or_else(|| default_weight.clone()),
            // A fixed pair outside the domain (only possible past validation) goes through the
            // per-draw path, which clamps it into the domain.
            drawn_curve: fixed
                .is_none()
                .then(|| (link.hill_n.clone(), link.ec50.clone())),
        });
    }
    network
}

impl Network {
    /// The index of `slot`, added if new.
    fn slot(&mut self, slot: Slot) -> usize {
        self.slots
            .iter()
            .position(|s| *s == slot)
            .unwrap_or_else(|| {
                self.slots.push(slot);
                self.slots.len() - 1
            })
    }

    /// The index of the power table for exponent `n`, built if new.
    fn table_for(&mut self, n: f64) -> usize {
        self.tables
            .iter()
            .position(|t| t.n() == n)
            .unwrap_or_else(|| {
                self.tables.push(PowerTable::new(n));
                self.tables.len() - 1
            })
    }
}

/// The run without intervention: basal inputs only.
fn baseline_run(scenario: &Scenario) -> Run {
    Run {
        input: scenario
            .nodes
            .iter()
            .map(|v| v.input.unwrap_or(0.0))
            .collect(),
        knocked: vec![false; scenario.nodes.len()],
        blocked: vec![false; scenario.links.len()],
        schedules: Vec::new(),
        events: Vec::new(),
        times: Vec::new(),
        offset: 0,
    }
}

fn intervention_run(scenario: &Scenario, intervention: &Intervention) -> Result<Run, Error> {
    let mut run = baseline_run(scenario);
    // The pipeline checked the levels (Scenario::check_press_levels): ode reads them as inputs.
    for &(node, level) in &intervention.press {
        run.input[node] = level;
    }
    for &node in &intervention.knockout {
        run.knocked[node] = true;
    }
    for &link in &intervention.block {
        run.blocked[link] = true;
    }
    let mut doses: Vec<_> = intervention.doses.iter().collect();
    doses.sort_by_key(|d| d.node);
    run.schedules = doses
        .iter()
        .map(|d| (d.node, std::f64::consts::LN_2 / d.half_life))
        .collect();
    for (schedule, dose) in doses.iter().enumerate() {
        for k in 0..dose.count {
            let time = dose.at + f64::from(k) * dose.every;
            if time >= scenario.simulation.t_end {
                break;
            }
            if run.events.len() == MAX_DOSES {
                return Err(Error::usage(
                    format!(
                        "intervention \"{}\" gives more than {MAX_DOSES} doses before t_end = {} in '{}'",
                        intervention.name,
                        scenario.simulation.t_end,
                        scenario.path.display()
                    ),
                    "lower the dose count or raise `every`",
                ));
            }
            run.events.push(DoseEvent {
                time,
                schedule,
                amount: dose.amount,
            });
        }
    }
    run.events.sort_by(|a, b| a.time.total_cmp(&b.time));
    Ok(run)
}

/// Time points of a run: `grid` evenly spaced from 0 to `t_end`, plus the first
/// [`DOSE_POINTS`] distinct dose times, so the courses show each dose where it happens.
fn time_points(t_end: f64, grid: usize, events: &[DoseEvent]) -> Vec<f64> {
    let mut times: Vec<f64> = (0..grid)
        .map(|k| t_end * k as f64 / (grid - 1) as f64)
        .collect();
    times[grid - 1] = t_end;
    times.extend(
        events
            .iter()
            .map(|e| e.time)
            .filter(|&t| t > 0.0)
            .take(DOSE_POINTS),
    );
    times.sort_by(f64::total_cmp);
    times.dedup();
    times
}

/// The largest level a node with this `ymax` reaches (levels start at 0 and approach at most
/// `ymax`); for an unbounded distribution, its 99.9 % quantile.
fn ceiling(ymax: &Dist) -> f64 {
    let top = match ymax {
        Dist::LogNormal(d) => d.inverse_cdf(0.999),
        other => other.support().1,
    };
    if top.is_finite() { top.max(0.0) } else { 1.0 }
}
