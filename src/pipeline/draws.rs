//! How a run draws: until its sample target is accepted (the default), or exactly a budget of
//! draw indices (`run --draws N`, [`sample::budget`]), in one process, as one shard of it, or
//! from the shards' parts in a merge.
//!
//! A scenario's report takes several sampler runs (the scenario, its held-out variants, the
//! run without evidence rules), always in the same order for the same scenario and options. A
//! shard records each run's share of the budget as a [`Call`], in that order, and a merge hands
//! every run the shares of all shards for its call, so the merge rebuilds each summary exactly.

use super::too_few_accepted;
use crate::error::Error;
use crate::sample::budget::{self, Share};
use crate::sample::{self, Acceptance, Progress, Sampler, TooFewAccepted};
use crate::scenario::Scenario;
use crate::shard::{Part, Results};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The most draws a budget may ask for (as `max_draws`).
pub const MAX_DRAWS: u64 = 1_000_000_000_000;

/// How the sampler runs of a pipeline run draw.
pub enum Sampling {
    /// Until `samples` draws are accepted, or `max_draws` are made.
    Target,
    /// Exactly draws `0..N`, in this process.
    Budget(u64),
    /// The blocks of one shard of a budget of `draws`; each sampler run's share is recorded.
    Shard {
        draws: u64,
        index: u64,
        count: u64,
        calls: Vec<Call>,
    },
    /// A merge: each sampler run takes every shard's share of it, in call order.
    Merged { draws: u64, calls: VecDeque<Call> },
}

/// One sampler run's part in a shard: its [`Share`]s as JSON values (so a part read back
/// writes the very same text, which its seal needs): one in a shard's part, every shard's
/// one after the other in a merge.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Call {
    /// The method that ran (press, ode, fcm).
    pub method: String,
    /// Blocks in the whole budget for this run (block sizes depend on the method and network).
    pub blocks: u64,
    pub shares: Vec<serde_json::Value>,
}

impl Call {
    /// Whether the shares cover exactly `blocks`, in order.
    pub fn covers(&self, blocks: Range<u64>) -> bool {
        let mut next = blocks.start;
        for share in &self.shares {
            let (Some(start), Some(end)) = (share["start"].as_u64(), share["end"].as_u64()) else {
                return false;
            };
            if start != next || end < start {
                return false;
            }
            next = end;
        }
        next == blocks.end
    }
}

impl Sampling {
    /// Draws with `model` as this sampling says; `observe` sees each block's summary in block
    /// order (the whole run only: shards and merges keep no raw samples).
    pub(super) fn draw<M: Sampler>(
        &mut self,
        model: &M,
        method: &str,
        scenario: &Scenario,
        progress: &dyn Progress,
        observe: &mut dyn FnMut(&M::Summary),
    ) -> Result<(M::Summary, Acceptance), Error> {
        let sim = &scenario.simulation;
        let result = match self {
            Sampling::Target => sample::run_observed(
                model,
                sim.samples,
                sim.seed,
                sim.max_draws,
                observe,
                progress,
            )
            .map_err(|e| too_few_accepted(scenario, &e))?,
            Sampling::Budget(draws) => budget::run(model, sim.seed, *draws, observe),
            Sampling::Shard {
                draws,
                index,
                count,
                calls,
            } => {
                return Ok(draw_shard(
                    model,
                    method,
                    sim.seed,
                    *draws,
                    [*index, *count],
                    calls,
                ));
            }
            Sampling::Merged { draws, calls } => merged(model, method, *draws, calls)?,
        };
        if result.1.accepted == 0 {
            let e = TooFewAccepted {
                wanted: 1,
                acceptance: result.1,
                cancelled: false,
            };
            return Err(too_few_accepted(scenario, &e));
        }
        Ok(result)
    }

    /// The calls a shard recorded.
    pub fn into_calls(self) -> Vec<Call> {
        match self {
            Sampling::Shard { calls, .. } => calls,
            Sampling::Merged { calls, .. } => calls.into(),
            _ => Vec::new(),
        }
    }
}

/// A shard's blocks: recorded as a call, and this shard's own total returned (what the rest of
/// the pipeline goes on with; its report is not written anywhere).
fn draw_shard<M: Sampler>(
    model: &M,
    method: &str,
    seed: u64,
    draws: u64,
    [index, count]: [u64; 2],
    calls: &mut Vec<Call>,
) -> (M::Summary, Acceptance) {
    let blocks = budget::block_count(model, draws);
    let mine = budget::shard_blocks(blocks, index, count);
    let share = budget::run_blocks(model, seed, draws, mine, &mut |_| {});
    calls.push(Call {
        method: method.to_string(),
        blocks,
        shares: vec![serde_json::to_value(&share).expect("a summary is plain data")],
    });
    (share.summary, share.acceptance)
}

/// The next call's shares from every shard, combined.
fn merged<M: Sampler>(
    model: &M,
    method: &str,
    draws: u64,
    calls: &mut VecDeque<Call>,
) -> Result<(M::Summary, Acceptance), Error> {
    let blocks = budget::block_count(model, draws);
    let damaged = |why: String| {
        Error::usage(
            format!("the parts do not fit this scenario's {method} run: {why}"),
            "rerun every shard with this claimsim and these files (a part was changed after it was written, or the scenario changed in a way its hash missed)",
        )
    };
    let call = calls
        .pop_front()
        .ok_or_else(|| damaged("they hold fewer sampler runs than it makes".into()))?;
    if call.method != method || call.blocks != blocks {
        return Err(damaged(format!(
            "the parts hold a {} run of {} blocks where a {method} run of {blocks} comes",
            call.method, call.blocks
        )));
    }
    let shares = call
        .shares
        .into_iter()
        .map(serde_json::from_value::<Share<M::Summary>>)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| damaged(e.to_string()))?;
    budget::combine(model, blocks, shares).map_err(|e| damaged(e.0))
}

/// A draw budget on a scenario: refused when 0 or above [`MAX_DRAWS`]; the scenario's
/// `max_draws` becomes the budget, so that a run with none accepted says how many were made.
pub fn set_budget(scenario: &mut Scenario, draws: u64) -> Result<(), Error> {
    if draws == 0 || draws > MAX_DRAWS {
        return Err(Error::usage(
            format!("--draws {draws} is not a draw budget"),
            format!("pass --draws from 1 to {MAX_DRAWS}"),
        ));
    }
    scenario.simulation.max_draws = draws;
    Ok(())
}

/// Every shard's calls, joined call by call in shard order (`parts` are sorted by shard).
pub fn merge_calls(parts: Vec<(PathBuf, Part)>) -> Result<VecDeque<Call>, Error> {
    let mut merged: VecDeque<Call> = VecDeque::new();
    let first = parts
        .first()
        .map(|(path, _)| path.clone())
        .unwrap_or_default();
    for (path, part) in parts {
        let Results::Run(calls) = part.results else {
            return Err(not_a_run_part(&path));
        };
        if merged.is_empty() {
            merged = calls
                .iter()
                .map(|c| Call {
                    method: c.method.clone(),
                    blocks: c.blocks,
                    shares: Vec::new(),
                })
                .collect();
        }
        let fits = |(a, b): (&Call, &Call)| a.method == b.method && a.blocks == b.blocks;
        if calls.len() != merged.len() || !merged.iter().zip(&calls).all(fits) {
            return Err(Error::usage(
                format!(
                    "'{}' holds other sampler runs than '{}'",
                    path.display(),
                    first.display()
                ),
                "rerun every shard with this claimsim and these files (a part was changed after it was written)",
            ));
        }
        for (into, call) in merged.iter_mut().zip(calls) {
            into.shares.extend(call.shares);
        }
    }
    Ok(merged)
}

fn not_a_run_part(path: &Path) -> Error {
    Error::usage(
        format!("'{}' is not a part of `run --draws`", path.display()),
        "merge only the parts of one job",
    )
}

/// After a merge: every call the parts hold was used (otherwise the parts came from a run
/// that sampled differently).
pub fn all_used(sampling: Sampling) -> Result<(), Error> {
    let left = sampling.into_calls().len();
    if left == 0 {
        return Ok(());
    }
    Err(Error::usage(
        format!("the parts hold {left} sampler runs more than this scenario makes"),
        "rerun every shard with this claimsim and these files",
    ))
}
