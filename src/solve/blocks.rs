//! The press community matrix cut into the strongly connected components of its graph.
//!
//! Ordered by strongly connected components (SCCs), upstream components first, a community
//! matrix is block lower-triangular: its eigenvalues are those of its diagonal blocks, its
//! determinant is the product of theirs, and `W x = -s` is solved one block after another,
//! forward, each block's right-hand side taking the responses of the blocks upstream of it. A
//! network of many small feedback loops joined feed-forward then costs what its largest loop
//! costs, not what its node count costs; blocks that nothing pressed reaches are not solved,
//! nor factored unless their stability test fails to call them stable (a stable `m x m` block's
//! determinant is non-zero with the sign `(-1)^m`, all the determinant test asks).
//!
//! A [`Structure`] is that ordering for one version of the network: the full network, or the
//! network as an intervention changes it (knocked-out nodes, blocked links) or any other set of
//! removed links. Blocks with the same nodes and the same entries are shared between structures
//! through one [`BlockSet`], so a draw evaluates each distinct block once ([`BlockWorkspace`]),
//! lazily: a knockout re-evaluates only the blocks it changes.
//!
//! [`Partition::Whole`] keeps every node (but knocked-out ones) in one block in the original
//! order: the dense reference path the component path is tested against.

use super::lu::{lu_factor_in_place, lu_solve_in_place, lu_solve_pair_in_place};
use super::stability::{Stability, StabilityWorkspace, classify};
use crate::sample::Rejection;
use std::collections::HashMap;

/// How the nodes are cut into blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partition {
    /// One block per strongly connected component (the fast path).
    Components,
    /// One block of all nodes in their original order (the dense reference path).
    Whole,
}

/// What a version of the network leaves out of the full matrix.
#[derive(Debug, Clone, Copy, Default)]
pub struct Changes<'a> {
    /// Row-major cells (`to * n + from`) set to zero: blocked or held-out links.
    pub removed: &'a [usize],
    /// Knocked-out nodes: clamped one unit below their equilibrium. A knocked-out node loses its
    /// row (it no longer responds; its diagonal becomes -1 and its right-hand side 1, so its
    /// change is -1), and keeps its column: its loss acts on every target, removed cell or not.
    pub knockout: &'a [usize],
}

/// One diagonal block: its nodes and where each matrix entry lands in it.
#[derive(Debug, Clone, PartialEq)]
struct BlockKind {
    /// Node indices, in block order.
    nodes: Vec<usize>,
    /// (row-major position, value) of fixed entries: the -1 diagonal of a knocked-out node.
    fixed: Vec<(usize, f64)>,
    /// (entry index, row-major position in the block) of the entries inside the block, split
    /// for [`write_cells`]: the first entry of each cell not fixed, and the others, each in
    /// the entries' order.
    first_fill: Vec<(usize, usize)>,
    more_fill: Vec<(usize, usize)>,
}

impl BlockKind {
    fn new(nodes: Vec<usize>, fill: &[(usize, usize)], fixed: Vec<(usize, f64)>) -> Self {
        let m = nodes.len();
        let mut written = vec![false; m * m];
        for &(at, _) in &fixed {
            written[at] = true;
        }
        let (first_fill, more_fill) = fill
            .iter()
            .partition(|&&(_, at)| !std::mem::replace(&mut written[at], true));
        BlockKind {
            nodes,
            fixed,
            first_fill,
            more_fill,
        }
    }
}

/// The distinct blocks of every structure of one model.
#[derive(Debug, Clone, Default)]
pub struct BlockSet {
    kinds: Vec<BlockKind>,
    by_nodes: HashMap<Vec<usize>, Vec<usize>>,
    /// Per kind: whether some solve uses it ([`Structure::mark_solved`]), so a draw factors it.
    /// Other blocks are only tested for stability: a stable block's determinant is non-zero and
    /// has the sign `(-1)^m`, so its factorisation would tell nothing more.
    solved: Vec<bool>,
    /// Per kind: where its matrix starts in a [`BlockWorkspace`]'s arena (kinds only ever
    /// append, so an offset never moves), and the arena's length.
    offsets: Vec<usize>,
    arena_len: usize,
}

impl BlockSet {
    /// The f64 values one worker's [`BlockWorkspace`] holds. Each block takes six dense
    /// `m × m` arrays (its matrix, its LU factors, and the stability test's Hessenberg form,
    /// QR copy and two polynomial tables), so one large feedback block is what counts.
    pub fn workspace_values(&self) -> u64 {
        self.kinds
            .iter()
            .map(|kind| {
                let m = kind.nodes.len() as u64;
                4 * m * m + 2 * (m + 1) * (m + 1) + 12 * m + 16
            })
            .sum()
    }

    /// The index of `kind`, adding it if it is new.
    fn intern(&mut self, kind: BlockKind) -> usize {
        let candidates = self.by_nodes.entry(kind.nodes.clone()).or_default();
        if let Some(&found) = candidates.iter().find(|&&k| self.kinds[k] == kind) {
            return found;
        }
        candidates.push(self.kinds.len());
        self.offsets.push(self.arena_len);
        self.arena_len += kind.nodes.len().pow(2);
        self.kinds.push(kind);
        self.solved.push(false);
        self.kinds.len() - 1
    }

    /// The work of evaluating every block once, in multiply-adds up to a constant: the cube of
    /// each block's size (its factorisation and stability test).
    pub fn cubic_work(&self) -> usize {
        self.kinds.iter().map(|k| k.nodes.len().pow(3)).sum()
    }

    /// The size of the largest block.
    pub fn largest(&self) -> usize {
        self.kinds.iter().map(|k| k.nodes.len()).max().unwrap_or(0)
    }
}

/// An entry from a block upstream into a later block: `rhs[to] -= value * x[from]`.
#[derive(Debug, Clone)]
struct Coupling {
    entry: usize,
    /// Position of the target node in its block.
    to_local: usize,
    from: usize,
}

/// Every block of a structure filled in one pass: [`BlockKind`]'s fill lists with the
/// positions moved to the workspace's arena, block after block.
#[derive(Debug, Clone, Default)]
struct ArenaFill {
    fixed: Vec<(usize, f64)>,
    first: Vec<(usize, usize)>,
    more: Vec<(usize, usize)>,
}

impl ArenaFill {
    fn new(blocks: &[usize], set: &BlockSet) -> Self {
        let mut fill = ArenaFill::default();
        for &kind in blocks {
            let (block, offset) = (&set.kinds[kind], set.offsets[kind]);
            let moved = |&(entry, at): &(usize, usize)| (entry, offset + at);
            fill.fixed
                .extend(block.fixed.iter().map(|&(at, v)| (offset + at, v)));
            fill.first.extend(block.first_fill.iter().map(moved));
            fill.more.extend(block.more_fill.iter().map(moved));
        }
        fill
    }
}

/// One version of the network, its nodes ordered by blocks, upstream blocks first.
#[derive(Debug, Clone)]
pub struct Structure {
    n: usize,
    /// Block kinds in solve order.
    blocks: Vec<usize>,
    /// How a draw fills all of them at once ([`Structure::check`]).
    arena_fill: ArenaFill,
    /// Per block position: the entries coming into it from upstream blocks.
    coupling: Vec<Vec<Coupling>>,
    /// Per node: its block position.
    block_of: Vec<usize>,
}

impl Structure {
    /// Orders the network that `cells` (the row-major cell of every matrix entry of an `n`-node
    /// network) and `changes` describe, registering its blocks in `set`.
    pub fn new(
        n: usize,
        cells: &[usize],
        changes: Changes,
        partition: Partition,
        set: &mut BlockSet,
    ) -> Self {
        let knocked = |node: usize| changes.knockout.contains(&node);
        // Per entry: part of the changed matrix, or coupling from a knocked-out node, or gone.
        let mut in_matrix = vec![false; cells.len()];
        let mut from_knocked = vec![false; cells.len()];
        for (e, &cell) in cells.iter().enumerate() {
            let (to, from) = (cell / n, cell % n);
            if knocked(to) {
                continue;
            }
            if knocked(from) {
                from_knocked[e] = true;
            } else if !changes.removed.contains(&cell) {
                in_matrix[e] = true;
            }
        }
        let components = match partition {
            Partition::Components => {
                let mut targets = vec![Vec::new(); n];
                for (e, &cell) in cells.iter().enumerate() {
                    if in_matrix[e] || from_knocked[e] {
                        targets[cell % n].push(cell / n);
                    }
                }
                strong_components(&targets)
            }
            Partition::Whole => {
                let (knocked_nodes, rest): (Vec<usize>, Vec<usize>) =
                    (0..n).partition(|&i| knocked(i));
                knocked_nodes
                    .into_iter()
                    .map(|k| vec![k])
                    .chain((!rest.is_empty()).then_some(rest))
                    .collect()
            }
        };
        let mut block_of = vec![0; n];
        let mut local = vec![0; n];
        for (position, nodes) in components.iter().enumerate() {
            for (i, &node) in nodes.iter().enumerate() {
                block_of[node] = position;
                local[node] = i;
            }
        }
        let mut fills = vec![Vec::new(); components.len()];
        let mut coupling = vec![Vec::new(); components.len()];
        for (e, &cell) in cells.iter().enumerate() {
            let (to, from) = (cell / n, cell % n);
            if in_matrix[e] && block_of[to] == block_of[from] {
                let m = components[block_of[to]].len();
                fills[block_of[to]].push((e, local[to] * m + local[from]));
            } else if in_matrix[e] || from_knocked[e] {
                debug_assert!(
                    block_of[from] < block_of[to],
                    "blocks are in topological order"
                );
                coupling[block_of[to]].push(Coupling {
                    entry: e,
                    to_local: local[to],
                    from,
                });
            }
        }
        let kinds = components.into_iter().zip(fills).map(|(nodes, fill)| {
            let fixed = match nodes[..] {
                [k] if knocked(k) => vec![(0, -1.0)],
                _ => Vec::new(),
            };
            BlockKind::new(nodes, &fill, fixed)
        });
        let blocks: Vec<usize> = kinds.map(|k| set.intern(k)).collect();
        Structure {
            n,
            arena_fill: ArenaFill::new(&blocks, set),
            blocks,
            coupling,
            block_of,
        }
    }

    /// Records that a solve on this structure uses the `live` blocks (see
    /// [`Structure::solve`]): a draw factors those.
    pub fn mark_solved(&self, live: &[bool], set: &mut BlockSet) {
        for (&kind, _) in self.blocks.iter().zip(live).filter(|(_, live)| **live) {
            set.solved[kind] = true;
        }
    }

    /// Per block position: whether it holds one of `nodes` (the nodes a press reaches).
    pub fn blocks_holding(&self, nodes: &[bool]) -> Vec<bool> {
        let mut live = vec![false; self.blocks.len()];
        for (node, _) in nodes.iter().enumerate().filter(|(_, r)| **r) {
            live[self.block_of[node]] = true;
        }
        live
    }

    /// The verdict on the full network in a draw, in the order of the dense test: singular
    /// (a zero pivot in some block), then the determinant's sign (a stable matrix has
    /// `(-1)^n det W > 0`), then the stability of every block (unstable before undecided).
    /// A block no solve uses is factored only when it is not stable (a stable one's
    /// determinant is known): the verdict and its reason are those of factoring every block.
    pub fn check(
        &self,
        set: &BlockSet,
        ws: &mut BlockWorkspace,
        values: &[f64],
    ) -> Result<(), Rejection> {
        ws.fill_all(self, values);
        let mut det_sign = 1.0;
        for &kind in &self.blocks {
            det_sign *= ws
                .determinant_sign(set, kind, values)
                .ok_or(Rejection::Singular)?;
        }
        let stable_sign = if self.n.is_multiple_of(2) { 1.0 } else { -1.0 };
        if det_sign != stable_sign {
            return Err(Rejection::Unstable);
        }
        let mut undecided = false;
        for &kind in &self.blocks {
            // Most verdicts are known from the determinant pass: read them directly.
            let known = ws.blocks[kind].verdict;
            match known.unwrap_or_else(|| ws.stability(set, kind, values)) {
                Stability::Stable => {}
                Stability::Unstable => return Err(Rejection::Unstable),
                Stability::Undecided => undecided = true,
            }
        }
        if undecided {
            return Err(Rejection::Undecided);
        }
        Ok(())
    }

    /// Whether a changed network can be solved in a draw: every block stable, and the `live`
    /// ones (those [`Structure::solve`] will use) factored.
    pub fn usable(
        &self,
        set: &BlockSet,
        ws: &mut BlockWorkspace,
        values: &[f64],
        live: &[bool],
    ) -> bool {
        self.blocks.iter().zip(live).all(|(&kind, &live)| {
            ws.stability(set, kind, values) == Stability::Stable
                && (!live || ws.factor(set, kind, values).is_some())
        })
    }

    /// Solves `W x = rhs` block by block (blocks must be factored: call [`Structure::check`] or
    /// [`Structure::usable`] first). Blocks not `live` are left at zero: nothing reaches them.
    pub fn solve(&self, set: &BlockSet, ws: &mut BlockWorkspace, values: &[f64], job: Solve) {
        job.x.fill(0.0);
        for (position, &kind) in self.blocks.iter().enumerate() {
            if job.live[position] {
                let work = &mut ws.blocks[kind];
                let nodes = &set.kinds[kind].nodes;
                self.gather(position, nodes, values, &job, &mut work.rhs);
                lu_solve_in_place(&work.lu, nodes.len(), &work.pivots, &mut work.rhs);
                scatter(&work.rhs, nodes, job.x);
            }
        }
    }

    /// [`Structure::solve`] for two right-hand sides (two interventions on this network): a
    /// block live in both is solved for both at once ([`lu_solve_pair_in_place`]), with the
    /// results of solving each alone, to the bit.
    pub fn solve_pair(
        &self,
        set: &BlockSet,
        ws: &mut BlockWorkspace,
        values: &[f64],
        [mut a, mut b]: [Solve; 2],
    ) {
        a.x.fill(0.0);
        b.x.fill(0.0);
        for (position, &kind) in self.blocks.iter().enumerate() {
            let work = &mut ws.blocks[kind];
            let nodes = &set.kinds[kind].nodes;
            let m = nodes.len();
            match (a.live[position], b.live[position]) {
                (false, false) => continue,
                (true, true) => {
                    self.gather(position, nodes, values, &a, &mut work.rhs);
                    self.gather(position, nodes, values, &b, &mut work.rhs_second);
                    let (lu, piv) = (&work.lu, &work.pivots);
                    lu_solve_pair_in_place(lu, m, piv, &mut work.rhs, &mut work.rhs_second);
                    scatter(&work.rhs, nodes, a.x);
                    scatter(&work.rhs_second, nodes, b.x);
                }
                (only_a, _) => {
                    let job = if only_a { &mut a } else { &mut b };
                    self.gather(position, nodes, values, job, &mut work.rhs);
                    lu_solve_in_place(&work.lu, m, &work.pivots, &mut work.rhs);
                    scatter(&work.rhs, nodes, job.x);
                }
            }
        }
    }

    /// The right-hand side of block `position` (`nodes`): the job's own, minus what flows in
    /// from the blocks upstream, already solved.
    fn gather(&self, position: usize, nodes: &[usize], values: &[f64], job: &Solve, r: &mut [f64]) {
        for (ri, &node) in r.iter_mut().zip(nodes) {
            *ri = job.rhs[node];
        }
        for c in &self.coupling[position] {
            r[c.to_local] -= values[c.entry] * job.x[c.from];
        }
    }
}

/// One right-hand side to solve for ([`Structure::solve`]): `rhs`, the blocks it reaches
/// (`live`), and where the solution goes.
pub struct Solve<'a> {
    pub rhs: &'a [f64],
    pub live: &'a [bool],
    pub x: &'a mut [f64],
}

/// Writes a block's solution `r` to its `nodes` in `x`.
fn scatter(r: &[f64], nodes: &[usize], x: &mut [f64]) {
    for (&ri, &node) in r.iter().zip(nodes) {
        x[node] = ri;
    }
}

/// What a draw knows about one block so far (its matrix is in the workspace's arena).
struct BlockWork {
    lu: Vec<f64>,
    pivots: Vec<usize>,
    rhs: Vec<f64>,
    /// A second right-hand side ([`Structure::solve_pair`]).
    rhs_second: Vec<f64>,
    stability: StabilityWorkspace,
    filled: bool,
    /// `None` before the factorisation; then the determinant's sign, `None` inside if singular.
    factored: Option<Option<f64>>,
    verdict: Option<Stability>,
}

/// Per-worker scratch space for every block of a [`BlockSet`].
pub struct BlockWorkspace {
    blocks: Vec<BlockWork>,
    /// Every block's matrix, row-major, at its kind's offset: one array, so that a draw fills
    /// all blocks of a structure in one pass ([`Structure::check`]).
    arena: Vec<f64>,
    offsets: Vec<usize>,
}

impl BlockWorkspace {
    pub fn new(set: &BlockSet) -> Self {
        let blocks = set
            .kinds
            .iter()
            .map(|kind| {
                let m = kind.nodes.len();
                BlockWork {
                    lu: vec![0.0; m * m],
                    pivots: vec![0; m],
                    rhs: vec![0.0; m],
                    rhs_second: vec![0.0; m],
                    stability: StabilityWorkspace::new(m),
                    filled: false,
                    factored: None,
                    verdict: None,
                }
            })
            .collect();
        BlockWorkspace {
            blocks,
            arena: vec![0.0; set.arena_len],
            offsets: set.offsets.clone(),
        }
    }

    /// Kind `kind`'s matrix and its scratch space.
    #[inline(always)]
    fn block(&mut self, kind: usize) -> (&[f64], &mut BlockWork) {
        let work = &mut self.blocks[kind];
        let m = work.pivots.len();
        let start = self.offsets[kind];
        (&self.arena[start..start + m * m], work)
    }

    /// Fills every block of `structure` in one pass ([`BlockWorkspace::fill`], all at once).
    fn fill_all(&mut self, structure: &Structure, values: &[f64]) {
        let fill = &structure.arena_fill;
        write_cells(
            &mut self.arena,
            &fill.fixed,
            &fill.first,
            &fill.more,
            values,
        );
        for &kind in &structure.blocks {
            self.blocks[kind].filled = true;
        }
    }

    /// Forgets the previous draw.
    pub fn reset(&mut self) {
        for work in &mut self.blocks {
            work.filled = false;
            work.factored = None;
            work.verdict = None;
        }
    }

    /// Fills kind `kind`'s matrix once per draw; returns it with its scratch space.
    #[inline(always)]
    fn fill(&mut self, set: &BlockSet, kind: usize, values: &[f64]) -> (&[f64], &mut BlockWork) {
        if !self.blocks[kind].filled {
            self.fill_block(set, kind, values);
        }
        self.block(kind)
    }

    /// [`fill`](Self::fill)'s work, out of line: blocks of the full network are filled all
    /// at once ([`fill_all`](Self::fill_all)), so only a changed network's come here.
    #[inline(never)]
    fn fill_block(&mut self, set: &BlockSet, kind: usize, values: &[f64]) {
        let block = &set.kinds[kind];
        let m = block.nodes.len();
        let start = self.offsets[kind];
        let matrix = &mut self.arena[start..start + m * m];
        write_cells(
            matrix,
            &block.fixed,
            &block.first_fill,
            &block.more_fill,
            values,
        );
        self.blocks[kind].filled = true;
    }

    /// The sign of the block's determinant (`None` if singular): from its factorisation if a
    /// solve uses the block or it is not stable, else `(-1)^m`, that of every stable `m x m`
    /// matrix (its eigenvalues' product: real ones negative, complex pairs positive).
    fn determinant_sign(&mut self, set: &BlockSet, kind: usize, values: &[f64]) -> Option<f64> {
        if set.solved[kind] || self.stability(set, kind, values) != Stability::Stable {
            return self.factor(set, kind, values);
        }
        Some(if set.kinds[kind].nodes.len().is_multiple_of(2) {
            1.0
        } else {
            -1.0
        })
    }

    /// The sign of the block's determinant (`None` if singular), factoring it once per draw.
    fn factor(&mut self, set: &BlockSet, kind: usize, values: &[f64]) -> Option<f64> {
        let (matrix, work) = self.fill(set, kind, values);
        *work.factored.get_or_insert_with(|| {
            work.lu.copy_from_slice(matrix);
            lu_factor_in_place(&mut work.lu, work.pivots.len(), &mut work.pivots)
        })
    }

    /// The block's stability, tested once per draw.
    fn stability(&mut self, set: &BlockSet, kind: usize, values: &[f64]) -> Stability {
        let (matrix, work) = self.fill(set, kind, values);
        *work.verdict.get_or_insert_with(|| match matrix {
            // The 1x1 case of the cascade: the trace test or the Gershgorin disc decides.
            [d] if *d < 0.0 => Stability::Stable,
            [d] if *d >= 0.0 => Stability::Unstable,
            _ => classify(matrix, work.pivots.len(), &mut work.stability),
        })
    }
}

/// Writes a matrix's cells from a draw's entry `values`: the `fixed` cells, then each cell's
/// first entry, then the others added in order. That is the sum of a cell's entries from zero,
/// as `fill(0.0)` then `+=` would give (`0.0 + x` turns a -0.0 entry into +0.0). Only these
/// cells are ever written: the others keep the zeros of [`BlockWorkspace::new`].
fn write_cells(
    target: &mut [f64],
    fixed: &[(usize, f64)],
    first: &[(usize, usize)],
    more: &[(usize, usize)],
    values: &[f64],
) {
    for &(at, value) in fixed {
        target[at] = value;
    }
    for &(entry, at) in first {
        target[at] = 0.0 + values[entry];
    }
    for &(entry, at) in more {
        target[at] += values[entry];
    }
}

/// The strongly connected components of the graph with the given out-neighbours, each sorted,
/// upstream components first (Tarjan's algorithm, iterative; it finds them downstream first).
pub(super) fn strong_components(targets: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = targets.len();
    let (mut index, mut low) = (vec![UNSEEN; n], vec![0; n]);
    let mut on_stack = vec![false; n];
    let (mut stack, mut components) = (Vec::new(), Vec::new());
    let mut counter = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, next out-neighbour to look at)
        let mut calls = vec![(root, 0)];
        index[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, next)) = calls.last() {
            if let Some(&w) = targets[v].get(next) {
                calls.last_mut().expect("non-empty").1 += 1;
                if index[w] == UNSEEN {
                    index[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                components.push(component);
            }
        }
    }
    components.reverse();
    components
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
        let mut targets = vec![Vec::new(); n];
        for &(from, to) in edges {
            targets[from].push(to);
        }
        targets
    }

    #[test]
    fn components_come_upstream_first() {
        // 3 -> {0, 1} (a loop) -> 2, and 4 alone.
        let g = graph(5, &[(3, 0), (0, 1), (1, 0), (1, 2)]);
        let c = strong_components(&g);
        let position = |node: usize| c.iter().position(|k| k.contains(&node)).unwrap();
        assert_eq!(c.len(), 4);
        assert!(c.contains(&vec![0, 1]));
        assert!(position(3) < position(0) && position(0) < position(2));
    }

    #[test]
    fn a_long_cycle_is_one_component() {
        let n = 5000;
        let edges: Vec<(usize, usize)> = (0..n).map(|i| (i, (i + 1) % n)).collect();
        assert_eq!(
            strong_components(&graph(n, &edges)),
            vec![(0..n).collect::<Vec<_>>()]
        );
    }

    /// A 6-node network of three feedback blocks joined feed-forward: the cycle 0 -> 1 -> 2 -> 0,
    /// then node 3, then the loop 4 -> 5 -> 4 (blocks of odd and even size), every node with a
    /// diagonal entry (the last six entries). Returns the row-major cell of every entry.
    fn three_blocks() -> (usize, Vec<usize>) {
        let n = 6;
        let links = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 5), (5, 4)];
        let cells = links
            .iter()
            .map(|&(from, to)| to * n + from)
            .chain((0..n).map(|i| i * n + i))
            .collect();
        (n, cells)
    }

    #[test]
    fn blocks_no_solve_uses_give_the_verdict_of_factoring_every_block() {
        let (n, cells) = three_blocks();
        let structure = |solved: [bool; 3]| {
            let mut set = BlockSet::default();
            let s = Structure::new(
                n,
                &cells,
                Changes::default(),
                Partition::Components,
                &mut set,
            );
            s.mark_solved(&solved, &mut set);
            (s, set)
        };
        // Only the middle block is solved in one; every block in the other.
        let (some, some_set) = structure([false, true, false]);
        let (all, all_set) = structure([true; 3]);
        let (mut some_ws, mut all_ws) = (
            BlockWorkspace::new(&some_set),
            BlockWorkspace::new(&all_set),
        );
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut uniform = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut seen = HashMap::new();
        let mut skipped = 0;
        for _ in 0..3000 {
            // Signed entries, diagonals mostly negative, a tenth of them exactly zero (singular
            // and marginal blocks).
            let values: Vec<f64> = (0..cells.len())
                .map(|e| match uniform() {
                    u if u < 0.1 => 0.0,
                    u if e >= 7 => -2.0 * u + 0.4,
                    u => 3.0 * u - 1.5,
                })
                .collect();
            some_ws.reset();
            all_ws.reset();
            let verdict = some.check(&some_set, &mut some_ws, &values);
            assert_eq!(
                verdict,
                all.check(&all_set, &mut all_ws, &values),
                "{values:?}"
            );
            *seen.entry(format!("{verdict:?}")).or_insert(0) += 1;
            if verdict.is_ok() {
                skipped += some_ws
                    .blocks
                    .iter()
                    .filter(|w| w.factored.is_none())
                    .count();
            }
        }
        for outcome in ["Ok(())", "Err(Unstable)", "Err(Singular)"] {
            assert!(seen.contains_key(outcome), "never {outcome}: {seen:?}");
        }
        assert!(skipped > 0, "every block was factored");
    }

    #[test]
    fn knockout_splits_its_loop_and_keeps_its_column() {
        // 0 -> 1 -> 2 -> 0 with self-damping; knocking out 1 leaves 1 upstream of 2 -> 0.
        let n = 3;
        // Cells `to * n + from`: 0->1, 1->2, 2->0, and the three diagonals.
        let cells = [3, 7, 2, 0, 4, 8];
        let mut set = BlockSet::default();
        let full = Structure::new(
            n,
            &cells,
            Changes::default(),
            Partition::Components,
            &mut set,
        );
        assert_eq!(full.blocks.len(), 1);
        let knocked = Structure::new(
            n,
            &cells,
            Changes {
                removed: &[],
                knockout: &[1],
            },
            Partition::Components,
            &mut set,
        );
        assert_eq!(knocked.blocks.len(), 3);
        assert_eq!(set.kinds.len(), 4);
        // The knocked node's column reaches node 2 as coupling.
        assert_eq!(knocked.coupling[knocked.block_of[2]].len(), 1);
    }
}
