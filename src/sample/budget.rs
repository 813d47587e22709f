//! The draw-budget mode (`run --draws N`): exactly draw indices `0..N`, however many are
//! accepted, in blocks of the method's fixed size, each block with its own random streams
//! (draw `i` uses stream `i`, as in every mode).
//!
//! Every summary's merge is associative and commutative to the last bit: counts and sketch
//! buckets add as integers, extremes are taken in a total order, and float sums go block by
//! block into exact accumulators ([`ExactSum`](super::exact::ExactSum)), rounded once when
//! read. So the blocks are simply added into one running total, and a shard, which runs a
//! contiguous range of blocks, hands over one [`Share`]: its range's total with its counts.
//! [`combine`] adds the shards' shares, and the result has the same bits as one process's
//! total, whatever the number of shards and threads (threads only decide which blocks run at
//! once).
//!
//! Memory is the blocks in flight (one per thread) plus the running total, whatever the budget.

use super::streams::Streams;
use super::{Acceptance, Quiet, Sampler, run_block};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// The draws of a contiguous range of blocks, summarised: what a shard hands over.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Share<S> {
    /// The blocks `start..end`.
    pub start: u64,
    pub end: u64,
    pub acceptance: Acceptance,
    pub summary: S,
}

/// Blocks in a budget of `draws` draws.
pub fn block_count<M: Sampler>(method: &M, draws: u64) -> u64 {
    draws.div_ceil(method.block_draws())
}

/// The contiguous blocks shard `index` of `count` runs: `index * blocks / count` up to the next
/// shard's start (empty when there are more shards than blocks).
pub fn shard_blocks(blocks: u64, index: u64, count: u64) -> Range<u64> {
    let start = |k: u64| (u128::from(blocks) * u128::from(k) / u128::from(count)) as u64;
    start(index)..start(index + 1)
}

/// Runs `blocks` of a budget of `draws` draws and adds them into one share. Blocks run in
/// waves of one per thread; each is shown to `observe` in block order.
pub fn run_blocks<M: Sampler>(
    method: &M,
    seed: u64,
    draws: u64,
    blocks: Range<u64>,
    observe: &mut dyn FnMut(&M::Summary),
) -> Share<M::Summary> {
    let streams = Streams::new(seed);
    let in_flight = rayon::current_num_threads().max(1) as u64;
    let mut share = Share {
        start: blocks.start,
        end: blocks.end,
        acceptance: Acceptance::default(),
        summary: method.empty_summary(),
    };
    let mut next = blocks.start;
    while next < blocks.end {
        let wave = in_flight.min(blocks.end - next);
        let results: Vec<_> = (next..next + wave)
            .into_par_iter()
            .map(|b| run_block(method, &streams, b, draws, u64::MAX, &Quiet))
            .collect();
        for result in results {
            observe(&result.summary);
            share.acceptance.add(&result.acceptance);
            method.merge(&mut share.summary, result.summary);
        }
        next += wave;
    }
    share
}

/// Why a set of shares is not a whole budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotWhole(pub String);

/// Adds the shares of a budget of `blocks` blocks, given in block order (one process's, or
/// every shard's one after the other), into the summary and counts of all its draws. The
/// order only serves the check that every block is covered once: the sum does not depend on
/// it.
pub fn combine<M: Sampler>(
    method: &M,
    blocks: u64,
    shares: impl IntoIterator<Item = Share<M::Summary>>,
) -> Result<(M::Summary, Acceptance), NotWhole> {
    let mut summary = method.empty_summary();
    let mut acceptance = Acceptance::default();
    let mut covered = 0u64;
    for share in shares {
        if share.start != covered || share.end < share.start {
            return Err(NotWhole(format!(
                "blocks {}..{} follow block {covered}",
                share.start, share.end
            )));
        }
        covered = share.end;
        acceptance.add(&share.acceptance);
        method.merge(&mut summary, share.summary);
    }
    if covered != blocks {
        return Err(NotWhole(format!(
            "the blocks end at {covered}, not at {blocks}"
        )));
    }
    Ok((summary, acceptance))
}

/// All draws of a budget in this process: [`run_blocks`] over every block, then [`combine`]
/// (one share, added to an empty total like every shard's share in a merge).
pub fn run<M: Sampler>(
    method: &M,
    seed: u64,
    draws: u64,
    observe: &mut dyn FnMut(&M::Summary),
) -> (M::Summary, Acceptance) {
    let blocks = block_count(method, draws);
    let share = run_blocks(method, seed, draws, 0..blocks, observe);
    combine(method, blocks, [share]).expect("one process's share covers every block")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::Rejection;
    use crate::sample::correlation::Correlations;
    use crate::sample::stats::{Direction, ResponseSummary};
    use rand::RngExt;
    use rand::rngs::ChaCha8Rng;

    /// Records values whose float sums round differently in every grouping (sizes from 1e-8
    /// to 1e12, both signs, zeros of both signs), and rejects a third of the draws.
    struct Rounding;

    type Summary = (ResponseSummary, Correlations);

    impl Sampler for Rounding {
        type Workspace = ();
        type Summary = Summary;
        fn workspace(&self) {}
        fn empty_summary(&self) -> Summary {
            (ResponseSummary::new(), Correlations::new(1))
        }
        fn draw(&self, rng: &mut ChaCha8Rng, _: &mut (), s: &mut Summary) -> Result<(), Rejection> {
            let (u, v): (f64, f64) = (rng.random(), rng.random());
            if u < 1.0 / 3.0 {
                return Err(Rejection::Unstable);
            }
            let x = match (v * 8.0) as u32 {
                0 => 0.0,
                1 => -0.0,
                k => (v - 0.5) * 10f64.powi(k as i32 * 3 - 8),
            };
            s.0.record(x, Direction::Zero);
            s.1.record(&[u * 1e9], x);
            Ok(())
        }
        fn merge(&self, into: &mut Summary, other: Summary) {
            into.0.merge(&other.0);
            into.1.merge(&other.1);
        }
        fn block_draws(&self) -> u64 {
            100
        }
    }

    fn text(summary: &Summary) -> String {
        serde_json::to_string(summary).unwrap()
    }

    #[test]
    fn shards_merge_to_the_bits_of_one_process() {
        let draws = 2345;
        let (whole, counts) = run(&Rounding, 9, draws, &mut |_| {});
        let blocks = block_count(&Rounding, draws);
        for count in [1u64, 2, 3, 7, 30] {
            let shares = (0..count).map(|k| {
                run_blocks(
                    &Rounding,
                    9,
                    draws,
                    shard_blocks(blocks, k, count),
                    &mut |_| {},
                )
            });
            let (merged, merged_counts) = combine(&Rounding, blocks, shares).unwrap();
            assert_eq!(text(&merged), text(&whole), "{count} shards");
            assert_eq!(merged.0.mean().to_bits(), whole.0.mean().to_bits());
            assert_eq!(merged_counts, counts);
        }
        assert_eq!(counts.draws, draws);
    }

    #[test]
    fn shares_out_of_order_or_missing_are_not_a_whole_budget() {
        let share = |blocks: Range<u64>| run_blocks(&Rounding, 9, 1000, blocks, &mut |_| {});
        let swapped = [share(5..10), share(0..5)];
        assert!(combine(&Rounding, 10, swapped).is_err());
        assert!(combine(&Rounding, 10, [share(0..5)]).is_err());
        assert!(combine(&Rounding, 10, [share(0..5), share(5..10)]).is_ok());
    }

    #[test]
    fn shards_cover_every_block_once() {
        for (blocks, count) in [(10u64, 4u64), (3, 5), (1_000_000, 7)] {
            let ranges: Vec<_> = (0..count).map(|k| shard_blocks(blocks, k, count)).collect();
            assert_eq!(ranges[0].start, 0);
            assert_eq!(ranges.last().unwrap().end, blocks);
            assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
        }
    }
}
