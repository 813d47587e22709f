//! The layered (Sugiyama-style) layout: layers by longest path, dummy waypoints on long links,
//! crossing reduction by barycentre sweeps and swaps, and least-squares positions in a layer.

use super::*;

/// A layered layout: real nodes `0..n` and dummy waypoints `n..`, each in one layer.
#[derive(Debug, Clone)]
pub(super) struct Layered {
    n: usize,
    /// Vertices of each layer, in drawing order.
    pub(super) layers: Vec<Vec<usize>>,
    layer_of: Vec<usize>,
    /// Links between adjacent layers (upper, lower), after reversing and splitting.
    segments: Vec<(usize, usize)>,
    /// Per input edge: its dummy vertices from source to target (empty for self-loops and
    /// links between adjacent layers).
    chains: Vec<Vec<usize>>,
}

/// Each node's layer in the layered layout: how far downstream it sits once cycles are
/// broken (0 for the most upstream nodes).
pub fn depths(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let position = inverse(&eades_order(n, edges));
    longest_path_layers(n, &acyclic(edges, &position))
}

/// The links with self-loops dropped and backward ones (in `position` order) reversed.
pub(super) fn acyclic(edges: &[(usize, usize)], position: &[usize]) -> Vec<(usize, usize)> {
    edges
        .iter()
        .filter(|(a, b)| a != b)
        .map(|&(a, b)| {
            if position[a] > position[b] {
                (b, a)
            } else {
                (a, b)
            }
        })
        .collect()
}

impl Layered {
    pub(super) fn new(n: usize, edges: &[(usize, usize)], position: &[usize]) -> Layered {
        let forward = acyclic(edges, position);
        let mut layer_of = longest_path_layers(n, &forward);
        let mut layers: Vec<Vec<usize>> = Vec::new();
        let place = |v: usize, layer: usize, layers: &mut Vec<Vec<usize>>| {
            if layers.len() <= layer {
                layers.resize(layer + 1, Vec::new());
            }
            layers[layer].push(v);
        };
        for (v, &layer) in layer_of.iter().enumerate() {
            place(v, layer, &mut layers);
        }
        let mut segments = Vec::new();
        let mut spans: Vec<((usize, usize), Vec<usize>)> = Vec::new();
        for &(a, b) in &forward {
            if spans.iter().any(|(e, _)| *e == (a, b)) {
                continue;
            }
            let mut chain = Vec::new();
            let mut previous = a;
            for layer in layer_of[a] + 1..layer_of[b] {
                let dummy = layer_of.len();
                layer_of.push(layer);
                place(dummy, layer, &mut layers);
                segments.push((previous, dummy));
                chain.push(dummy);
                previous = dummy;
            }
            segments.push((previous, b));
            spans.push(((a, b), chain));
        }
        let chains = edges
            .iter()
            .map(|&(a, b)| {
                let reversed = position[a] > position[b];
                let key = if reversed { (b, a) } else { (a, b) };
                let mut chain = spans
                    .iter()
                    .find(|(e, _)| *e == key && a != b)
                    .map(|(_, c)| c.clone())
                    .unwrap_or_default();
                if reversed {
                    chain.reverse();
                }
                chain
            })
            .collect();
        let mut layered = Layered {
            n,
            layers,
            layer_of,
            segments,
            chains,
        };
        layered.order_layers();
        layered
    }

    /// Layers along the flow or across it, whichever gives labels more room.
    /// `None` when neither orientation has room for the fullest layer.
    pub(super) fn orientation(&self, (width, height): (f64, f64)) -> Option<LayoutKind> {
        let count = self.layers.len() as f64;
        let widest = self.widest_layer();
        let across = width / count * (1.0 - LINK_SHARE);
        let along = width / widest * 0.85;
        let columns_hold_layer = widest * (NOMINAL_BOX_HEIGHT + NODE_GAP) <= height;
        let rows_hold_layer = widest * (MIN_LABEL_WIDTH + NODE_GAP) <= width;
        let rows_tall_enough = height / count >= 110.0;
        let top_to_bottom = rows_tall_enough && rows_hold_layer;
        // Left to right reads like a causal chain and uses the wide canvas; flow goes down
        // only when columns would be too narrow or too short and rows give more room.
        let columns_narrow = across < PREFERRED_LABEL_WIDTH && along > across * 1.25;
        match (columns_hold_layer, top_to_bottom) {
            (true, true) if columns_narrow => Some(LayoutKind::TopToBottom),
            (true, _) => Some(LayoutKind::LeftToRight),
            (false, true) => Some(LayoutKind::TopToBottom),
            (false, false) => None,
        }
    }

    /// The most crowded layer, counting a dummy waypoint as a fraction of a node.
    pub(super) fn widest_layer(&self) -> f64 {
        self.layers
            .iter()
            .map(|layer| {
                layer
                    .iter()
                    .map(|&v| if v < self.n { 1.0 } else { 0.25 })
                    .sum::<f64>()
            })
            .fold(1.0, f64::max)
    }

    /// Barycentre sweeps down and up, keeping the best order seen, then adjacent swaps.
    pub(super) fn order_layers(&mut self) {
        let adjacency = self.adjacency();
        let mut best = self.layers.clone();
        let mut best_crossings = self.crossings();
        for sweep in 0..24 {
            let down = sweep % 2 == 0;
            let indices: Vec<usize> = if down {
                (1..self.layers.len()).collect()
            } else {
                (0..self.layers.len().saturating_sub(1)).rev().collect()
            };
            for layer in indices {
                self.sort_by_barycentre(layer, down, &adjacency);
            }
            let crossings = self.crossings();
            if crossings < best_crossings {
                best_crossings = crossings;
                best = self.layers.clone();
            }
        }
        self.layers = best;
        self.transpose(&adjacency);
    }

    pub(super) fn positions(&self) -> Vec<usize> {
        let mut position = vec![0; self.layer_of.len()];
        for layer in &self.layers {
            for (i, &v) in layer.iter().enumerate() {
                position[v] = i;
            }
        }
        position
    }

    /// Every vertex's neighbours in the layer above and in the layer below, in segment order.
    /// Built once: looking them up in the segment list for every vertex made a 300-node
    /// drawing take seconds.
    pub(super) fn adjacency(&self) -> Adjacency {
        let count = self.layer_of.len();
        let mut adjacency = Adjacency {
            upper: vec![Vec::new(); count],
            lower: vec![Vec::new(); count],
        };
        for &(a, b) in &self.segments {
            adjacency.lower[a].push(b);
            adjacency.upper[b].push(a);
        }
        adjacency
    }

    pub(super) fn sort_by_barycentre(
        &mut self,
        layer: usize,
        from_upper: bool,
        adjacency: &Adjacency,
    ) {
        let position = self.positions();
        let mut keyed: Vec<(f64, usize)> = self.layers[layer]
            .iter()
            .map(|&v| {
                let around: Vec<f64> = adjacency
                    .of(v, from_upper)
                    .iter()
                    .map(|&u| position[u] as f64)
                    .collect();
                let key = if around.is_empty() {
                    position[v] as f64
                } else {
                    around.iter().sum::<f64>() / around.len() as f64
                };
                (key, v)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
        self.layers[layer] = keyed.into_iter().map(|(_, v)| v).collect();
    }

    pub(super) fn crossings(&self) -> usize {
        let position = self.positions();
        let mut total = 0;
        for (i, &(a1, b1)) in self.segments.iter().enumerate() {
            for &(a2, b2) in &self.segments[i + 1..] {
                let same_layers = self.layer_of[a1] == self.layer_of[a2];
                let top = position[a1] as i64 - position[a2] as i64;
                let bottom = position[b1] as i64 - position[b2] as i64;
                if same_layers && top * bottom < 0 {
                    total += 1;
                }
            }
        }
        total
    }

    /// Swaps neighbours in a layer while that removes crossings. A swap of neighbours `u`, `v`
    /// changes only the crossings between their own links, so each is decided on those
    /// ([`pair_crossings`]), not by counting every crossing of the drawing twice: the same
    /// swaps, in a few milliseconds instead of tens of seconds at 300 nodes.
    pub(super) fn transpose(&mut self, adjacency: &Adjacency) {
        let mut position = self.positions();
        for _ in 0..10 {
            let mut improved = false;
            for layer in &mut self.layers {
                for i in 1..layer.len() {
                    let (u, v) = (layer[i - 1], layer[i]);
                    let kept = pair_crossings(u, v, adjacency, &position);
                    if pair_crossings(v, u, adjacency, &position) < kept {
                        layer.swap(i - 1, i);
                        (position[u], position[v]) = (i, i - 1);
                        improved = true;
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }

    pub(super) fn place(
        &self,
        sizes: &[(f64, f64)],
        (width, height): (f64, f64),
        kind: LayoutKind,
        edge_count: usize,
    ) -> Placement {
        let left_to_right = kind == LayoutKind::LeftToRight;
        // Extents of each vertex across the flow (along its layer) and along the flow.
        let across_extent = |v: usize| match (v < self.n, left_to_right) {
            (false, _) => DUMMY_EXTENT,
            (true, true) => sizes[v].1,
            (true, false) => sizes[v].0,
        };
        let along_extent = |v: usize| match (v < self.n, left_to_right) {
            (false, _) => 0.0,
            (true, true) => sizes[v].0,
            (true, false) => sizes[v].1,
        };
        let (room, flow_room) = if left_to_right {
            (height, width)
        } else {
            (width, height)
        };
        let gap_scale = self.gap_scale(&across_extent, room);
        let (across, across_fits) = self.spread_across(&across_extent, gap_scale, room);
        let (along, along_fits) = self.spread_along(&along_extent, flow_room);
        let point = |v: usize| {
            let a = along[self.layer_of[v]];
            if left_to_right {
                (a, across[v])
            } else {
                (across[v], a)
            }
        };
        let all: Vec<(f64, f64)> = (0..self.layer_of.len()).map(point).collect();
        Placement {
            kind,
            centres: all[..self.n].to_vec(),
            routes: (0..edge_count)
                .map(|e| self.chains[e].iter().map(|&d| all[d]).collect())
                .collect(),
            fits: across_fits && along_fits,
        }
    }

    /// How much to widen the gaps within layers so that the fullest layer takes about
    /// [`LAYER_FILL`] of the room: small networks spread out instead of huddling in a strip.
    pub(super) fn gap_scale(&self, extent: &impl Fn(usize) -> f64, room: f64) -> f64 {
        self.layers
            .iter()
            .filter(|layer| layer.len() > 1)
            .map(|layer| {
                let boxes: f64 = layer.iter().map(|&v| extent(v)).sum();
                let gaps: f64 = layer.windows(2).map(|w| self.gap(w[0], w[1])).sum();
                ((room * LAYER_FILL - boxes) / gaps).clamp(1.0, MAX_GAP_SCALE)
            })
            .fold(MAX_GAP_SCALE, f64::min)
    }

    /// Centre of each layer along the flow: layers as wide as their widest box, with the free
    /// room shared equally between them. False when even the narrowest gaps do not fit.
    pub(super) fn spread_along(
        &self,
        extent: &impl Fn(usize) -> f64,
        room: f64,
    ) -> (Vec<f64>, bool) {
        let widths: Vec<f64> = self
            .layers
            .iter()
            .map(|layer| layer.iter().map(|&v| extent(v)).fold(0.0, f64::max))
            .collect();
        let free = room - widths.iter().sum::<f64>();
        let gap = free / widths.len() as f64;
        let mut centres = Vec::with_capacity(widths.len());
        let mut edge = gap / 2.0;
        for w in &widths {
            centres.push(edge + w / 2.0);
            edge += w + gap;
        }
        (centres, gap >= MIN_LINK_LENGTH)
    }

    /// Positions across the flow: start stacked, then alternately pull each vertex towards the
    /// mean of its neighbours in the layer above and below, keeping order and gaps; finally
    /// centred in the room, and squeezed into it when too tall (false: boxes may overlap).
    pub(super) fn spread_across(
        &self,
        extent: &impl Fn(usize) -> f64,
        gap_scale: f64,
        room: f64,
    ) -> (Vec<f64>, bool) {
        let adjacency = self.adjacency();
        let mut across = vec![0.0; self.layer_of.len()];
        for layer in &self.layers {
            let desired = vec![0.0; layer.len()];
            let placed = self.separated(layer, &desired, extent, gap_scale);
            for (v, a) in layer.iter().zip(placed) {
                across[*v] = a;
            }
        }
        // Sweeps alternate between following the layer above and the one below, then settle
        // with both, so chains straighten without favouring either end.
        for round in 0..32 {
            let sides: &[bool] = match round {
                0..24 if round % 2 == 0 => &[true],
                0..24 => &[false],
                _ => &[true, false],
            };
            for layer in &self.layers {
                let desired: Vec<f64> = layer
                    .iter()
                    .map(|&v| {
                        let around: Vec<f64> = sides
                            .iter()
                            .flat_map(|&upper| adjacency.of(v, upper))
                            .map(|&u| across[u])
                            .collect();
                        if around.is_empty() {
                            across[v]
                        } else {
                            around.iter().sum::<f64>() / around.len() as f64
                        }
                    })
                    .collect();
                let placed = self.separated(layer, &desired, extent, gap_scale);
                for (v, a) in layer.iter().zip(placed) {
                    across[*v] = a;
                }
            }
        }
        let (low, high) = (0..self.layer_of.len())
            .map(|v| (across[v] - extent(v) / 2.0, across[v] + extent(v) / 2.0))
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), (a, b)| {
                (l.min(a), h.max(b))
            });
        let span = (high - low).max(1.0);
        let fits = span <= room;
        let squeeze = if fits { 1.0 } else { room / span };
        for a in &mut across {
            *a = room / 2.0 + (*a - (low + high) / 2.0) * squeeze;
        }
        (across, fits)
    }

    /// The gap between neighbours `a` and `b` of a layer at scale 1.
    pub(super) fn gap(&self, a: usize, b: usize) -> f64 {
        match (a < self.n, b < self.n) {
            (true, true) => NODE_GAP,
            (false, false) => DUMMY_GAP,
            _ => DUMMY_CLEARANCE,
        }
    }

    /// The positions closest (least squares) to `desired` that keep the layer's order and the
    /// gaps between neighbours: isotonic regression (pool adjacent violators) after removing
    /// the cumulative gaps.
    pub(super) fn separated(
        &self,
        layer: &[usize],
        desired: &[f64],
        extent: &impl Fn(usize) -> f64,
        gap_scale: f64,
    ) -> Vec<f64> {
        let mut offsets = vec![0.0; layer.len()];
        for i in 1..layer.len() {
            let (a, b) = (layer[i - 1], layer[i]);
            offsets[i] =
                offsets[i - 1] + (extent(a) + extent(b)) / 2.0 + self.gap(a, b) * gap_scale;
        }
        // Real nodes count more than waypoints: boxes should sit where their links want them.
        let weights: Vec<f64> = layer
            .iter()
            .map(|&v| if v < self.n { 1.0 } else { 0.3 })
            .collect();
        let shifted: Vec<f64> = desired.iter().zip(&offsets).map(|(d, o)| d - o).collect();
        isotonic(&shifted, &weights)
            .iter()
            .zip(&offsets)
            .map(|(z, o)| z + o)
            .collect()
    }
}

/// Layer of each node: one more than its deepest predecessor; then each source moves down to
/// just above the first node it feeds, so inputs sit next to their targets.
/// Each vertex's neighbours in the layers above and below ([`Layered::adjacency`]).
pub(super) struct Adjacency {
    upper: Vec<Vec<usize>>,
    lower: Vec<Vec<usize>>,
}

impl Adjacency {
    /// Neighbours of `v` in the layer above (`upper`) or below.
    fn of(&self, v: usize, upper: bool) -> &[usize] {
        match upper {
            true => &self.upper[v],
            false => &self.lower[v],
        }
    }
}

/// Crossings between the links of `left` and those of `right`, two vertices of one layer,
/// when `left` is drawn first: a link down to a vertex further along crosses every link of
/// `right` down to one before it, and the same upwards.
fn pair_crossings(left: usize, right: usize, adjacency: &Adjacency, position: &[usize]) -> usize {
    let crossing = |ends: &[Vec<usize>]| -> usize {
        ends[left]
            .iter()
            .map(|&x| {
                ends[right]
                    .iter()
                    .filter(|&&y| position[x] > position[y])
                    .count()
            })
            .sum()
    };
    crossing(&adjacency.lower) + crossing(&adjacency.upper)
}

pub(super) fn longest_path_layers(n: usize, forward: &[(usize, usize)]) -> Vec<usize> {
    let mut indegree = vec![0usize; n];
    for &(_, b) in forward {
        indegree[b] += 1;
    }
    let mut layer = vec![0usize; n];
    let mut ready: Vec<usize> = (0..n).filter(|&v| indegree[v] == 0).collect();
    let mut remaining = indegree.clone();
    while let Some(v) = ready.first().copied() {
        ready.remove(0);
        for &(a, b) in forward.iter().filter(|(a, _)| *a == v) {
            layer[b] = layer[b].max(layer[a] + 1);
            remaining[b] -= 1;
            if remaining[b] == 0 {
                ready.push(b);
            }
        }
    }
    for v in (0..n).filter(|&v| indegree[v] == 0) {
        if let Some(first) = forward
            .iter()
            .filter(|(a, _)| *a == v)
            .map(|&(_, b)| layer[b])
            .min()
        {
            layer[v] = first - 1;
        }
    }
    layer
}

/// Weighted least-squares non-decreasing fit (pool adjacent violators).
pub(super) fn isotonic(values: &[f64], weights: &[f64]) -> Vec<f64> {
    // Blocks of (mean, total weight, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for (&v, &w) in values.iter().zip(weights) {
        blocks.push((v, w, 1));
        while blocks.len() > 1 && blocks[blocks.len() - 2].0 > blocks[blocks.len() - 1].0 {
            let (m2, w2, c2) = blocks.pop().unwrap_or_default();
            let (m1, w1, c1) = blocks.pop().unwrap_or_default();
            blocks.push(((m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2));
        }
    }
    blocks
        .iter()
        .flat_map(|&(mean, _, count)| std::iter::repeat_n(mean, count))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The swaps as they were once made: every crossing of the drawing counted before and
    /// after each trial swap.
    fn transpose_by_full_count(layered: &mut Layered) {
        for _ in 0..10 {
            let mut improved = false;
            for layer in 0..layered.layers.len() {
                for i in 1..layered.layers[layer].len() {
                    let before = layered.crossings();
                    layered.layers[layer].swap(i - 1, i);
                    if layered.crossings() < before {
                        improved = true;
                    } else {
                        layered.layers[layer].swap(i - 1, i);
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }

    /// A cascade of `n` nodes with pseudo-random extra links forward and a few back.
    fn tangled(n: usize) -> Vec<(usize, usize)> {
        let mut state = 7u64;
        let mut next = |below: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize % below
        };
        let mut edges: Vec<(usize, usize)> = (1..n).map(|i| (next(i), i)).collect();
        for _ in 0..n / 2 {
            let (a, b) = (next(n), next(n));
            edges.push((a.min(b), a.max(b)));
        }
        edges.extend((0..n / 20).map(|k| (n - 1 - k, k)));
        edges
    }

    #[test]
    fn swaps_decided_on_their_own_links_are_the_swaps_of_a_full_count() {
        let n = 120;
        let edges = tangled(n);
        let position = inverse(&eades_order(n, &edges));
        let mut fast = Layered::new(n, &edges, &position);
        // Scramble the layers the same way in both, then untangle each by swaps alone.
        for layer in &mut fast.layers {
            layer.reverse();
        }
        let mut reference = fast.clone();
        assert!(fast.crossings() > 0);
        fast.transpose(&fast.adjacency());
        transpose_by_full_count(&mut reference);
        assert_eq!(fast.layers, reference.layers);
    }
}
