//! The Monte Carlo engine every method shares.
//!
//! Draws are numbered; draw `i` uses random stream `i` ([`streams`]). Draws are evaluated in
//! fixed blocks of [`BLOCK_DRAWS`] indices, blocks run in parallel with rayon (one wave of as
//! many blocks as threads at a time, so at most that many block summaries are in memory besides
//! the total, whatever the sample count), and block results are merged strictly in block order. Because neither the block partition nor the merge order
//! depends on the thread count, the same seed gives bit-identical results on any number of
//! threads. Summaries are streaming ([`stats`]), so memory does not grow with the sample count.
//!
//! The run stops after exactly `samples` accepted draws: the block in which the target is
//! reached is evaluated again, stopping at the target, which replays the same streams. A cap on
//! draws (`max_draws`) ends runs whose acceptance is too low with an error naming the reason.
//! A run whose whole first block failed to settle (dynamic methods) ends there the same way:
//! such draws are the most expensive to make, and none of 2048 settling means the rest will not.
//! So does a run that cannot reach `samples` within `max_draws` even at the upper end of a
//! 99.9 % confidence interval on the acceptance seen so far ([`cannot_finish`]): a network that
//! accepts nothing is refused after tens of thousands of draws, not after `max_draws`. Both
//! rules look only at blocks merged in order, so they too do not depend on the thread count.

pub mod bands;
pub mod budget;
pub mod correlation;
pub mod exact;
pub mod progress;
mod sink;
pub mod stats;
pub mod streams;
pub mod watch;

use rand::rngs::ChaCha8Rng;
use rayon::prelude::*;
use streams::Streams;

pub use progress::{Progress, Quiet};
pub use sink::SampleSink;
pub use watch::{Snapshot, Watch};

/// Draws per block: small enough to balance two threads on short runs, large enough that the
/// per-block merge is negligible.
pub const BLOCK_DRAWS: u64 = 2048;

/// Why a draw was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// Some eigenvalue has a non-negative real part.
    Unstable,
    /// The community matrix (or an intervention's) could not be inverted.
    Singular,
    /// Neither stability test could decide (numerically on the boundary).
    Undecided,
    /// A dynamic run did not settle: fcm found no fixed point within its iteration cap, or the
    /// ode integrator could not reach the end time.
    NotConverged,
    /// A `condition = true` expectation was violated; the index is the expectation's.
    Condition(usize),
}

/// A method's per-draw evaluation. Implementations record accepted draws into their summary.
pub trait Sampler: Sync {
    /// Scratch space reused across draws by one worker (no allocation per draw).
    type Workspace: Send;
    /// What a block of draws produces; merged in block order.
    /// Serialisable so that a shard can hand its part of a draw budget to `merge` ([`budget`]).
    type Summary: Send + serde::Serialize + serde::de::DeserializeOwned;

    fn workspace(&self) -> Self::Workspace;
    fn empty_summary(&self) -> Self::Summary;
    /// Evaluates one draw; on acceptance records it into `summary`.
    fn draw(
        &self,
        rng: &mut ChaCha8Rng,
        workspace: &mut Self::Workspace,
        summary: &mut Self::Summary,
    ) -> Result<(), Rejection>;
    /// Completes a block's summary once its draws are made, before anyone reads or merges it:
    /// a method may leave per-draw records that are the same in every draw to this point.
    fn finish_block(&self, summary: &mut Self::Summary) {
        let _ = summary;
    }
    /// Adds `other` (the next block in order) into `into`.
    fn merge(&self, into: &mut Self::Summary, other: Self::Summary);
    /// Draws per block. A constant of the method, so results never depend on the thread count;
    /// expensive methods use smaller blocks so that the last, re-run block costs little.
    fn block_draws(&self) -> u64 {
        BLOCK_DRAWS
    }
}

/// Counts of what happened to the draws.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Acceptance {
    /// Draws made.
    pub draws: u64,
    /// Draws whose community matrix was stable (press) or whose run completed (ode, fcm).
    pub stable: u64,
    /// Draws kept: stable and consistent with every condition.
    pub accepted: u64,
    pub unstable: u64,
    pub singular: u64,
    pub undecided: u64,
    /// Draws whose dynamic run did not settle (ode, fcm).
    pub not_converged: u64,
    /// Draws rejected by each condition expectation, by expectation index.
    pub rejected_by_condition: Vec<(usize, u64)>,
}

impl Acceptance {
    fn count(&mut self, outcome: Result<(), Rejection>) {
        self.draws += 1;
        match outcome {
            Ok(()) => {
                self.stable += 1;
                self.accepted += 1;
            }
            Err(Rejection::Unstable) => self.unstable += 1,
            Err(Rejection::Singular) => self.singular += 1,
            Err(Rejection::Undecided) => self.undecided += 1,
            Err(Rejection::NotConverged) => self.not_converged += 1,
            Err(Rejection::Condition(e)) => {
                self.stable += 1;
                match self.rejected_by_condition.iter_mut().find(|(i, _)| *i == e) {
                    Some((_, n)) => *n += 1,
                    None => self.rejected_by_condition.push((e, 1)),
                }
            }
        }
    }

    fn add(&mut self, other: &Acceptance) {
        self.draws += other.draws;
        self.stable += other.stable;
        self.accepted += other.accepted;
        self.unstable += other.unstable;
        self.singular += other.singular;
        self.undecided += other.undecided;
        self.not_converged += other.not_converged;
        for &(e, n) in &other.rejected_by_condition {
            match self.rejected_by_condition.iter_mut().find(|(i, _)| *i == e) {
                Some((_, m)) => *m += n,
                None => self.rejected_by_condition.push((e, n)),
            }
        }
        self.rejected_by_condition.sort_unstable();
    }

    /// The commonest reason for rejection, with its count.
    pub fn main_rejection(&self) -> Option<(Rejection, u64)> {
        let mut reasons = vec![
            (Rejection::Unstable, self.unstable),
            (Rejection::Singular, self.singular),
            (Rejection::Undecided, self.undecided),
            (Rejection::NotConverged, self.not_converged),
        ];
        reasons.extend(
            self.rejected_by_condition
                .iter()
                .map(|&(e, n)| (Rejection::Condition(e), n)),
        );
        reasons
            .into_iter()
            .filter(|&(_, n)| n > 0)
            .max_by_key(|&(_, n)| n)
    }
}

/// The run reached `max_draws` before `samples` draws were accepted, or was cancelled.
#[derive(Debug, Clone)]
pub struct TooFewAccepted {
    pub wanted: u64,
    pub acceptance: Acceptance,
    /// Stopped by its watcher ([`Progress::cancelled`]), not for lack of accepted draws.
    pub cancelled: bool,
}

/// What one block produced.
struct BlockResult<S> {
    summary: S,
    acceptance: Acceptance,
}

/// Runs draws until `samples` are accepted or `max_draws` are made.
pub fn run<M: Sampler>(
    method: &M,
    samples: u64,
    seed: u64,
    max_draws: u64,
) -> Result<(M::Summary, Acceptance), TooFewAccepted> {
    run_observed(method, samples, seed, max_draws, &mut |_| {}, &Quiet)
}

/// Like [`run`], and shows every block's summary to `observe`, in block order, before it is
/// merged: the way raw samples reach a file without being kept in memory. `progress` hears of
/// the draws as the workers make them and may cancel the run ([`Progress`]): draws check it one
/// by one, so a cancelled run ends within one draw per thread, with `cancelled` set. A run that
/// is not cancelled gives the same numbers, watched or not.
pub fn run_observed<M: Sampler>(
    method: &M,
    samples: u64,
    seed: u64,
    max_draws: u64,
    observe: &mut dyn FnMut(&M::Summary),
    progress: &dyn Progress,
) -> Result<(M::Summary, Acceptance), TooFewAccepted> {
    let stopped = |acceptance: Acceptance| TooFewAccepted {
        wanted: samples,
        acceptance,
        cancelled: progress.cancelled(),
    };
    let streams = Streams::new(seed);
    let mut total = method.empty_summary();
    let mut acceptance = Acceptance::default();
    let mut next_block = 0u64;
    let block_draws = method.block_draws();
    let block_count = max_draws.div_ceil(block_draws);
    let in_flight = rayon::current_num_threads().max(1) as u64;
    while acceptance.accepted < samples && next_block < block_count {
        let wave = in_flight.min(block_count - next_block);
        let results: Vec<BlockResult<M::Summary>> = (next_block..next_block + wave)
            .into_par_iter()
            .map(|b| run_block(method, &streams, b, max_draws, u64::MAX, progress))
            .collect();
        // A cancelled wave's blocks may be cut short: none of them is merged.
        if progress.cancelled() {
            return Err(stopped(acceptance));
        }
        for (offset, result) in results.into_iter().enumerate() {
            let remaining = samples - acceptance.accepted;
            let result = if result.acceptance.accepted > remaining {
                // The replay's draws were heard once already.
                run_block(
                    method,
                    &streams,
                    next_block + offset as u64,
                    max_draws,
                    remaining,
                    &Quiet,
                )
            } else {
                result
            };
            acceptance.add(&result.acceptance);
            observe(&result.summary);
            method.merge(&mut total, result.summary);
            if acceptance.accepted == samples {
                break;
            }
            if never_settles(&acceptance, block_draws)
                || cannot_finish(&acceptance, samples, max_draws)
            {
                return Err(stopped(acceptance));
            }
        }
        next_block += wave;
    }
    if acceptance.accepted < samples {
        return Err(stopped(acceptance));
    }
    Ok((total, acceptance))
}

/// True after a full first block in which no draw settled. Blocks merge in order, so this is
/// decided on block 0 alone, whatever the thread count.
fn never_settles(so_far: &Acceptance, block_draws: u64) -> bool {
    so_far.draws >= block_draws && so_far.accepted == 0 && so_far.not_converged == so_far.draws
}

/// One-sided normal quantile of the acceptance bound behind [`cannot_finish`] (99.9 %).
const GIVE_UP_Z: f64 = 3.09;

/// True when even an optimistic acceptance rate (the Wilson upper bound at 99.9 % on the draws
/// so far) cannot give the samples still needed within the draws still allowed.
pub fn cannot_finish(so_far: &Acceptance, samples: u64, max_draws: u64) -> bool {
    let draws = so_far.draws as f64;
    if so_far.draws == 0 || so_far.accepted >= samples {
        return false;
    }
    let p = so_far.accepted as f64 / draws;
    let z2 = GIVE_UP_Z * GIVE_UP_Z;
    let centre = p + z2 / (2.0 * draws);
    let spread = GIVE_UP_Z * (p * (1.0 - p) / draws + z2 / (4.0 * draws * draws)).sqrt();
    let upper = ((centre + spread) / (1.0 + z2 / draws)).min(1.0);
    let draws_left = max_draws.saturating_sub(so_far.draws) as f64;
    so_far.accepted as f64 + upper * draws_left < samples as f64
}

/// Evaluates the draws of one block, stopping early after `accept_limit` acceptances or when
/// the run is cancelled, and tells `progress` every [`progress::PROGRESS_DRAWS`] draws and at
/// the end.
fn run_block<M: Sampler>(
    method: &M,
    streams: &Streams,
    block: u64,
    max_draws: u64,
    accept_limit: u64,
    progress: &dyn Progress,
) -> BlockResult<M::Summary> {
    let mut workspace = method.workspace();
    let mut summary = method.empty_summary();
    let mut acceptance = Acceptance::default();
    let mut reported = (0, 0);
    let mut report = |a: &Acceptance| {
        progress.advance(a.draws - reported.0, a.accepted - reported.1);
        reported = (a.draws, a.accepted);
    };
    let start = block * method.block_draws();
    let end = (start + method.block_draws()).min(max_draws);
    for index in start..end {
        if progress.cancelled() {
            break;
        }
        let mut rng = streams.for_draw(index);
        acceptance.count(method.draw(&mut rng, &mut workspace, &mut summary));
        if acceptance.accepted == accept_limit {
            break;
        }
        if acceptance.draws % progress::PROGRESS_DRAWS == 0 {
            report(&acceptance);
        }
    }
    report(&acceptance);
    method.finish_block(&mut summary);
    BlockResult {
        summary,
        acceptance,
    }
}
