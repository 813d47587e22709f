//! The draw-budget mode (`run --draws N`): exactly draw indices `0..N`, however many are
//! accepted, in blocks of the method's fixed size, each block with its own random streams
//! (draw `i` uses stream `i`, as in every mode).
//!
//! Block summaries are combined along one fixed binary tree, never left to right: blocks `2i`
//! and `2i + 1` make node `(1, i)`, nodes `(l, 2i)` and `(l, 2i + 1)` make node `(l + 1, i)`,
//! always as `merge(left, right)`; the complete nodes left at the end (one per set bit of the
//! block count, largest first) are combined from the right: `merge(a, merge(b, c))`. Floating-
//! point sums are not associative, so the tree is what lets a shard hand over its part: a shard
//! runs a contiguous range of blocks and keeps the complete tree nodes it can build ([`Node`],
//! at most about two per level), and [`combine`] feeds every shard's nodes, in block order, into
//! the same tree. Each node is then made from the same two operands in one process and in a
//! merge of any number of shards, so the final summary has the same bits, and it does not
//! depend on the thread count either (threads only decide which blocks run at once).
//!
//! Memory is bounded by the blocks in flight (one per thread) plus one node per level of the
//! tree, about `log2(blocks)`: some 20 summaries for 10^9 press draws.

use super::streams::Streams;
use super::{Acceptance, Quiet, Sampler, run_block};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// One complete node of the combining tree: blocks `index * 2^level .. (index + 1) * 2^level`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Node<S> {
    pub level: u32,
    pub index: u64,
    pub acceptance: Acceptance,
    pub summary: S,
}

impl<S> Node<S> {
    /// The blocks this node covers.
    pub fn blocks(&self) -> Range<u64> {
        let width = 1u64 << self.level;
        self.index * width..(self.index + 1) * width
    }

    /// Whether `self` is the left sibling of `right` in the tree.
    fn is_left_sibling_of(&self, right: &Node<S>) -> bool {
        self.level == right.level && self.index.is_multiple_of(2) && self.index + 1 == right.index
    }
}

/// The tree's complete nodes so far, left to right: pushing a node joins it with its left
/// sibling as long as there is one (binary addition with carries).
pub struct Fold<S> {
    stack: Vec<Node<S>>,
}

impl<S> Default for Fold<S> {
    fn default() -> Self {
        Fold { stack: Vec::new() }
    }
}

impl<S> Fold<S> {
    /// Adds the next node in block order; `merge(left, right)` adds `right` into `left`.
    pub fn push(&mut self, mut node: Node<S>, merge: &mut impl FnMut(&mut S, S)) {
        while let Some(left) = self.stack.pop_if(|left| left.is_left_sibling_of(&node)) {
            let mut joined = Node {
                level: left.level + 1,
                index: left.index / 2,
                acceptance: left.acceptance,
                summary: left.summary,
            };
            joined.acceptance.add(&node.acceptance);
            merge(&mut joined.summary, node.summary);
            node = joined;
        }
        self.stack.push(node);
    }

    /// The complete nodes, left to right: what a shard hands over.
    pub fn into_nodes(self) -> Vec<Node<S>> {
        self.stack
    }

    /// The whole: the complete nodes combined from the right, or `None` when there are none.
    pub fn finish(self, merge: &mut impl FnMut(&mut S, S)) -> Option<(S, Acceptance)> {
        let mut nodes = self.stack.into_iter().rev();
        let last = nodes.next()?;
        let mut total = (last.summary, last.acceptance);
        for mut left in nodes {
            left.acceptance.add(&total.1);
            merge(&mut left.summary, total.0);
            total = (left.summary, left.acceptance);
        }
        Some(total)
    }
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

/// Runs `blocks` of a budget of `draws` draws and returns their complete tree nodes, in order.
/// Blocks run in waves of one per thread; each is shown to `observe` in block order.
pub fn run_blocks<M: Sampler>(
    method: &M,
    seed: u64,
    draws: u64,
    blocks: Range<u64>,
    observe: &mut dyn FnMut(&M::Summary),
) -> Vec<Node<M::Summary>> {
    let streams = Streams::new(seed);
    let in_flight = rayon::current_num_threads().max(1) as u64;
    let mut fold = Fold::default();
    let mut merge = |into: &mut M::Summary, other| method.merge(into, other);
    let mut next = blocks.start;
    while next < blocks.end {
        let wave = in_flight.min(blocks.end - next);
        let results: Vec<_> = (next..next + wave)
            .into_par_iter()
            .map(|b| (b, run_block(method, &streams, b, draws, u64::MAX, &Quiet)))
            .collect();
        for (index, result) in results {
            observe(&result.summary);
            let leaf = Node {
                level: 0,
                index,
                acceptance: result.acceptance,
                summary: result.summary,
            };
            fold.push(leaf, &mut merge);
        }
        next += wave;
    }
    fold.into_nodes()
}

/// Why a set of nodes is not a whole budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotWhole(pub String);

/// Combines the nodes of a budget of `blocks` blocks, given in block order (one process's, or
/// every shard's one after the other), into the summary and counts of all its draws.
pub fn combine<M: Sampler>(
    method: &M,
    blocks: u64,
    nodes: impl IntoIterator<Item = Node<M::Summary>>,
) -> Result<(M::Summary, Acceptance), NotWhole> {
    let mut fold = Fold::default();
    let mut merge = |into: &mut M::Summary, other| method.merge(into, other);
    let mut covered = 0u64;
    for node in nodes {
        let range = node.blocks();
        if range.start != covered {
            return Err(NotWhole(format!(
                "blocks {}..{} follow block {covered}",
                range.start, range.end
            )));
        }
        covered = range.end;
        fold.push(node, &mut merge);
    }
    if covered != blocks {
        return Err(NotWhole(format!(
            "the blocks end at {covered}, not at {blocks}"
        )));
    }
    Ok(fold
        .finish(&mut merge)
        .unwrap_or_else(|| (method.empty_summary(), Acceptance::default())))
}

/// All draws of a budget in this process: [`run_blocks`] over every block, then [`combine`].
pub fn run<M: Sampler>(
    method: &M,
    seed: u64,
    draws: u64,
    observe: &mut dyn FnMut(&M::Summary),
) -> (M::Summary, Acceptance) {
    let blocks = block_count(method, draws);
    let nodes = run_blocks(method, seed, draws, 0..blocks, observe);
    combine(method, blocks, nodes).expect("one process's nodes cover every block in order")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A merge that records its operands, so any other order or grouping shows.
    fn join(into: &mut String, other: String) {
        *into = format!("({into}+{other})");
    }

    fn leaves(range: Range<u64>) -> impl Iterator<Item = Node<String>> {
        range.map(|index| Node {
            level: 0,
            index,
            acceptance: Acceptance {
                draws: 1,
                accepted: index % 2,
                ..Acceptance::default()
            },
            summary: index.to_string(),
        })
    }

    fn fold_all(nodes: impl IntoIterator<Item = Node<String>>) -> (String, Acceptance) {
        let mut fold = Fold::default();
        for node in nodes {
            fold.push(node, &mut join);
        }
        fold.finish(&mut join).unwrap()
    }

    #[test]
    fn blocks_combine_along_the_fixed_tree() {
        assert_eq!(fold_all(leaves(0..4)).0, "((0+1)+(2+3))");
        assert_eq!(fold_all(leaves(0..7)).0, "(((0+1)+(2+3))+((4+5)+6))");
        let (_, counts) = fold_all(leaves(0..7));
        assert_eq!((counts.draws, counts.accepted), (7, 3));
    }

    #[test]
    fn shards_give_the_same_grouping_as_one_pass() {
        for blocks in [1u64, 2, 3, 7, 8, 13, 64, 100] {
            let whole = fold_all(leaves(0..blocks));
            for count in [1u64, 2, 3, 4, 7, 150] {
                let mut nodes = Vec::new();
                for index in 0..count {
                    let mut fold = Fold::default();
                    for leaf in leaves(shard_blocks(blocks, index, count)) {
                        fold.push(leaf, &mut join);
                    }
                    nodes.extend(fold.into_nodes());
                }
                let merged = fold_all(nodes);
                assert_eq!(merged.0, whole.0, "{blocks} blocks in {count} shards");
                assert_eq!(merged.1, whole.1);
            }
        }
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
