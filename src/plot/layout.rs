//! Automatic network layout, deterministic (no randomness: the same network always gives the
//! same picture).
//!
//! - Mostly a cascade (at most a fifth of the links point backwards once cycles are broken):
//!   a layered, Sugiyama-style layout. Cycles are broken with the Eades-Lin-Smyth heuristic,
//!   nodes are put in layers by longest path (sources moved next to what they feed), long links
//!   get dummy waypoints, layers are ordered by barycentre sweeps and adjacent swaps to cut
//!   crossings, and positions within a layer are the least-squares compromise between
//!   neighbours that keeps boxes apart. Flow runs left to right, or top to bottom when that
//!   leaves more room for labels.
//! - Otherwise: Fruchterman-Reingold force-directed placement from a circle, then boxes are
//!   pushed apart until none overlap.
//!
//! Layout happens in two steps because label width depends on the structure: [`plan`] decides
//! the structure and how wide a label may be, the caller measures its labels, and
//! [`Plan::place`] turns box sizes into positions.

/// The kind of layout chosen for a network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayoutKind {
    /// Layers, flow from left to right.
    LeftToRight,
    /// Layers, flow from top to bottom.
    TopToBottom,
    ForceDirected,
}

/// Where everything goes: box centres and, per input edge, the interior points its line passes
/// through (from its source to its target; empty for a straight line).
#[derive(Debug, Clone)]
pub struct Placement {
    pub kind: LayoutKind,
    pub centres: Vec<(f64, f64)>,
    pub routes: Vec<Vec<(f64, f64)>>,
    /// False when the boxes could not all be placed without overlapping (too many nodes for
    /// the area at this text size).
    pub fits: bool,
}

/// The structure of a layout, before box sizes are known.
#[derive(Debug, Clone)]
pub struct Plan {
    n: usize,
    edges: Vec<(usize, usize)>,
    area: (f64, f64),
    kind: LayoutKind,
    layered: Option<Layered>,
}

/// Gap between boxes along a layer, and between a box and a dummy waypoint, in pixels at
/// design size (scaled by the caller through the area and box sizes).
const NODE_GAP: f64 = 22.0;
const DUMMY_GAP: f64 = 10.0;
/// Gap between a box and a link passing it, so the line stays clearly clear of the box.
const DUMMY_CLEARANCE: f64 = 30.0;
/// Share of the room across the flow that the fullest layer may take by widening its gaps.
const LAYER_FILL: f64 = 0.55;
const MAX_GAP_SCALE: f64 = 8.0;
/// Shortest room between layers for a link and its head.
const MIN_LINK_LENGTH: f64 = 46.0;
/// Height of a typical node box (two lines), to tell whether a layer fits in a column.
const NOMINAL_BOX_HEIGHT: f64 = 50.0;
/// Label width below which a layered layout gives way to a force-directed one.
const MIN_LAYERED_LABEL_WIDTH: f64 = 105.0;
/// Label width below which left-to-right columns count as narrow.
const PREFERRED_LABEL_WIDTH: f64 = 110.0;
/// Extent of a dummy waypoint along its layer.
const DUMMY_EXTENT: f64 = 8.0;
/// Share of a layer's width left free for the links between layers.
const LINK_SHARE: f64 = 0.32;
/// Longest natural link length in force-directed layout.
const MAX_SPRING_LENGTH: f64 = 240.0;
/// Pull towards the centre per pixel of distance, in force-directed layout.
const GRAVITY: f64 = 0.05;
/// Bounds of the label width the plan allows, in pixels.
pub const MIN_LABEL_WIDTH: f64 = 84.0;
pub const MAX_LABEL_WIDTH: f64 = 250.0;

/// Decides how to lay out `n` nodes joined by `edges` (source, target) in an area of
/// `(width, height)` pixels at design size (a 1600x1000 canvas; the caller scales). Self-loops
/// are allowed and ignored.
pub fn plan(n: usize, edges: &[(usize, usize)], area: (f64, f64)) -> Plan {
    let order = eades_order(n, edges);
    let position = inverse(&order);
    let links: Vec<(usize, usize)> = edges.iter().copied().filter(|(a, b)| a != b).collect();
    let backwards = links
        .iter()
        .filter(|&&(a, b)| position[a] > position[b])
        .count();
    let force = Plan {
        n,
        edges: edges.to_vec(),
        area,
        kind: LayoutKind::ForceDirected,
        layered: None,
    };
    if backwards * 5 > links.len() {
        return force;
    }
    let layered = Layered::new(n, edges, &position);
    let Some(kind) = layered.orientation(area) else {
        return force;
    };
    let plan = Plan {
        layered: Some(layered),
        kind,
        ..force.clone()
    };
    // A deep cascade leaves layers too narrow for labels: a 2-D spread reads better.
    if plan.label_room() < MIN_LAYERED_LABEL_WIDTH {
        force
    } else {
        plan
    }
}

impl Plan {
    pub fn kind(&self) -> LayoutKind {
        self.kind
    }

    /// The widest a node's label may be without crowding its neighbours.
    pub fn label_width(&self) -> f64 {
        self.label_room().clamp(MIN_LABEL_WIDTH, MAX_LABEL_WIDTH)
    }

    fn label_room(&self) -> f64 {
        let (width, height) = self.area;
        match (&self.layered, self.kind) {
            // Columns take the width their labels need, so one may be wider than average.
            (Some(l), LayoutKind::LeftToRight) => {
                width / l.layers.len() as f64 * (1.0 - LINK_SHARE) * 1.35
            }
            (Some(l), _) => width / l.widest_layer() * 0.85,
            // Force-directed: about as wide as a node's share of a square grid.
            (None, _) => (width * height / self.n.max(1) as f64).sqrt() * 0.8,
        }
    }

    /// Positions for boxes of the given (width, height) sizes, one per node.
    pub fn place(&self, sizes: &[(f64, f64)]) -> Placement {
        match &self.layered {
            Some(l) => l.place(sizes, self.area, self.kind, self.edges.len()),
            None => force_directed(self.n, &self.edges, sizes, self.area),
        }
    }
}

/// Eades-Lin-Smyth greedy ordering: sinks go last, sources first, otherwise the node with the
/// most outgoing minus incoming links goes first. Links that point backwards in this order are
/// few, and reversing them leaves an acyclic graph. Ties go to the lower index.
fn eades_order(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut removed = vec![false; n];
    let (mut front, mut back) = (Vec::new(), Vec::new());
    let degree = |v: usize, removed: &[bool], outgoing: bool| {
        edges
            .iter()
            .filter(|&&(a, b)| a != b && !removed[a] && !removed[b])
            .filter(|&&(a, b)| if outgoing { a == v } else { b == v })
            .count() as i64
    };
    while front.len() + back.len() < n {
        let live: Vec<usize> = (0..n).filter(|&v| !removed[v]).collect();
        let pick = live
            .iter()
            .copied()
            .find(|&v| degree(v, &removed, true) == 0)
            .map(|v| (v, false))
            .or_else(|| {
                live.iter()
                    .copied()
                    .find(|&v| degree(v, &removed, false) == 0)
                    .map(|v| (v, true))
            })
            .unwrap_or_else(|| {
                let best = live
                    .iter()
                    .copied()
                    .max_by_key(|&v| {
                        (
                            degree(v, &removed, true) - degree(v, &removed, false),
                            std::cmp::Reverse(v),
                        )
                    })
                    .unwrap_or(live[0]);
                (best, true)
            });
        removed[pick.0] = true;
        if pick.1 {
            front.push(pick.0);
        } else {
            back.push(pick.0);
        }
    }
    back.reverse();
    front.extend(back);
    front
}

fn inverse(order: &[usize]) -> Vec<usize> {
    let mut position = vec![0; order.len()];
    for (i, &v) in order.iter().enumerate() {
        position[v] = i;
    }
    position
}

/// A layered layout: real nodes `0..n` and dummy waypoints `n..`, each in one layer.
#[derive(Debug, Clone)]
struct Layered {
    n: usize,
    /// Vertices of each layer, in drawing order.
    layers: Vec<Vec<usize>>,
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
fn acyclic(edges: &[(usize, usize)], position: &[usize]) -> Vec<(usize, usize)> {
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
    fn new(n: usize, edges: &[(usize, usize)], position: &[usize]) -> Layered {
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
    fn orientation(&self, (width, height): (f64, f64)) -> Option<LayoutKind> {
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
    fn widest_layer(&self) -> f64 {
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
    fn order_layers(&mut self) {
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
                self.sort_by_barycentre(layer, down);
            }
            let crossings = self.crossings();
            if crossings < best_crossings {
                best_crossings = crossings;
                best = self.layers.clone();
            }
        }
        self.layers = best;
        self.transpose();
    }

    fn positions(&self) -> Vec<usize> {
        let mut position = vec![0; self.layer_of.len()];
        for layer in &self.layers {
            for (i, &v) in layer.iter().enumerate() {
                position[v] = i;
            }
        }
        position
    }

    /// Neighbours of `v` in the layer above (`upper`) or below.
    fn neighbours(&self, v: usize, upper: bool) -> impl Iterator<Item = usize> + '_ {
        self.segments.iter().filter_map(move |&(a, b)| {
            if upper && b == v {
                Some(a)
            } else if !upper && a == v {
                Some(b)
            } else {
                None
            }
        })
    }

    fn sort_by_barycentre(&mut self, layer: usize, from_upper: bool) {
        let position = self.positions();
        let mut keyed: Vec<(f64, usize)> = self.layers[layer]
            .iter()
            .map(|&v| {
                let around: Vec<f64> = self
                    .neighbours(v, from_upper)
                    .map(|u| position[u] as f64)
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

    fn crossings(&self) -> usize {
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

    /// Swaps neighbours in a layer while that removes crossings.
    fn transpose(&mut self) {
        for _ in 0..10 {
            let mut improved = false;
            for layer in 0..self.layers.len() {
                for i in 1..self.layers[layer].len() {
                    let before = self.crossings();
                    self.layers[layer].swap(i - 1, i);
                    if self.crossings() < before {
                        improved = true;
                    } else {
                        self.layers[layer].swap(i - 1, i);
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }

    fn place(
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
    fn gap_scale(&self, extent: &impl Fn(usize) -> f64, room: f64) -> f64 {
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
    fn spread_along(&self, extent: &impl Fn(usize) -> f64, room: f64) -> (Vec<f64>, bool) {
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
    fn spread_across(
        &self,
        extent: &impl Fn(usize) -> f64,
        gap_scale: f64,
        room: f64,
    ) -> (Vec<f64>, bool) {
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
                            .flat_map(|&upper| self.neighbours(v, upper))
                            .map(|u| across[u])
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
    fn gap(&self, a: usize, b: usize) -> f64 {
        match (a < self.n, b < self.n) {
            (true, true) => NODE_GAP,
            (false, false) => DUMMY_GAP,
            _ => DUMMY_CLEARANCE,
        }
    }

    /// The positions closest (least squares) to `desired` that keep the layer's order and the
    /// gaps between neighbours: isotonic regression (pool adjacent violators) after removing
    /// the cumulative gaps.
    fn separated(
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
fn longest_path_layers(n: usize, forward: &[(usize, usize)]) -> Vec<usize> {
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
fn isotonic(values: &[f64], weights: &[f64]) -> Vec<f64> {
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

/// Fruchterman-Reingold from a circle (in the greedy cycle order, so loops start as rings),
/// then overlap removal and fitting into the area.
fn force_directed(
    n: usize,
    edges: &[(usize, usize)],
    sizes: &[(f64, f64)],
    (width, height): (f64, f64),
) -> Placement {
    let order = eades_order(n, edges);
    let mut position = vec![(width / 2.0, height / 2.0); n];
    for (i, &v) in order.iter().enumerate() {
        let angle =
            std::f64::consts::TAU * i as f64 / n.max(1) as f64 - std::f64::consts::FRAC_PI_2;
        position[v] = (
            width / 2.0 + width * 0.35 * angle.cos(),
            height / 2.0 + height * 0.35 * angle.sin(),
        );
    }
    let links: Vec<(usize, usize)> = edges.iter().copied().filter(|(a, b)| a != b).collect();
    let mean_width = sizes.iter().map(|s| s.0).sum::<f64>() / n.max(1) as f64;
    spring(&mut position, &links, (width, height), mean_width);
    fit_into(&mut position, sizes, (width, height));
    let fits = push_apart(&mut position, sizes, (width, height))
        || snap_to_grid(&mut position, sizes, (width, height));
    Placement {
        kind: LayoutKind::ForceDirected,
        fits,
        centres: position,
        routes: vec![Vec::new(); edges.len()],
    }
}

/// Fruchterman-Reingold iterations with linear cooling and a weak pull to the centre (so
/// disconnected parts stay in view).
fn spring(
    position: &mut [(f64, f64)],
    links: &[(usize, usize)],
    (width, height): (f64, f64),
    box_width: f64,
) {
    let n = position.len();
    // Natural link length: a node's share of the area, but never so long that a small
    // network drifts apart, nor shorter than a box.
    let k = (0.6 * (width * height / n.max(1) as f64).sqrt())
        .min(MAX_SPRING_LENGTH)
        .max(box_width * 1.1);
    let rounds = 400;
    for round in 0..rounds {
        let temperature = width / 8.0 * (1.0 - round as f64 / rounds as f64) + 1.0;
        let mut shift = vec![(0.0, 0.0); n];
        for i in 0..n {
            for j in 0..n {
                if i == j {
                    continue;
                }
                let (dx, dy) = delta(position[i], position[j], i, j);
                let d = dx.hypot(dy);
                let push = k * k / d;
                shift[i].0 += dx / d * push;
                shift[i].1 += dy / d * push;
            }
            shift[i].0 += (width / 2.0 - position[i].0) * GRAVITY;
            shift[i].1 += (height / 2.0 - position[i].1) * GRAVITY;
        }
        for &(a, b) in links {
            let (dx, dy) = delta(position[a], position[b], a, b);
            let d = dx.hypot(dy);
            let pull = d * d / k;
            shift[a].0 -= dx / d * pull;
            shift[a].1 -= dy / d * pull;
            shift[b].0 += dx / d * pull;
            shift[b].1 += dy / d * pull;
        }
        for (p, (sx, sy)) in position.iter_mut().zip(shift) {
            let length = sx.hypot(sy).max(1e-9);
            let step = length.min(temperature);
            p.0 += sx / length * step;
            p.1 += sy / length * step;
        }
    }
}

/// The vector from `b` to `a`, never zero: coincident points are separated by their indices
/// (deterministically) so forces stay defined.
fn delta(a: (f64, f64), b: (f64, f64), i: usize, j: usize) -> (f64, f64) {
    let (dx, dy) = (a.0 - b.0, a.1 - b.1);
    if dx.hypot(dy) > 1e-6 {
        (dx, dy)
    } else {
        let angle = (i * 7 + j * 13) as f64;
        (angle.cos() * 1e-3, angle.sin() * 1e-3)
    }
}

/// Shifts the centres to the middle of the area, shrinking the drawing evenly (keeping its
/// shape) when its boxes would reach past the area's edges.
fn fit_into(position: &mut [(f64, f64)], sizes: &[(f64, f64)], (width, height): (f64, f64)) {
    let bounds = |axis: fn((f64, f64)) -> f64, size: fn((f64, f64)) -> f64| {
        let low = position
            .iter()
            .map(|&p| axis(p))
            .fold(f64::INFINITY, f64::min);
        let high = position
            .iter()
            .map(|&p| axis(p))
            .fold(f64::NEG_INFINITY, f64::max);
        let margin = sizes.iter().map(|&s| size(s)).fold(0.0, f64::max) / 2.0;
        (low, high, margin)
    };
    let (x0, x1, mx) = bounds(|p| p.0, |s| s.0);
    let (y0, y1, my) = bounds(|p| p.1, |s| s.1);
    let scale_x = (width - 2.0 * mx).max(0.0) / (x1 - x0).max(1e-9);
    let scale_y = (height - 2.0 * my).max(0.0) / (y1 - y0).max(1e-9);
    let scale = scale_x.min(scale_y).min(1.0);
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    for p in position.iter_mut() {
        p.0 = width / 2.0 + (p.0 - cx) * scale;
        p.1 = height / 2.0 + (p.1 - cy) * scale;
    }
}

/// Pairs of boxes (with a gap around each) that overlap.
fn overlaps(position: &[(f64, f64)], sizes: &[(f64, f64)]) -> Vec<(usize, usize, f64, f64)> {
    let mut found = Vec::new();
    for i in 0..position.len() {
        for j in i + 1..position.len() {
            let ox =
                (sizes[i].0 + sizes[j].0) / 2.0 + NODE_GAP - (position[i].0 - position[j].0).abs();
            let oy =
                (sizes[i].1 + sizes[j].1) / 2.0 + NODE_GAP - (position[i].1 - position[j].1).abs();
            if ox > 0.0 && oy > 0.0 {
                found.push((i, j, ox, oy));
            }
        }
    }
    found
}

/// Pushes overlapping boxes apart along the axis that needs the smaller move, keeping every
/// box inside the area; true when no overlap is left.
fn push_apart(position: &mut [(f64, f64)], sizes: &[(f64, f64)], area: (f64, f64)) -> bool {
    for _ in 0..400 {
        let found = overlaps(position, sizes);
        if found.is_empty() {
            return true;
        }
        for (i, j, ox, oy) in found {
            let (dx, dy) = delta(position[i], position[j], i, j);
            if ox / width_weight(sizes, i, j) < oy {
                let m = dx.signum() * ox / 2.0;
                position[i].0 += m;
                position[j].0 -= m;
            } else {
                let m = dy.signum() * oy / 2.0;
                position[i].1 += m;
                position[j].1 -= m;
            }
        }
        for (p, s) in position.iter_mut().zip(sizes) {
            p.0 = p.0.clamp(s.0 / 2.0, (area.0 - s.0 / 2.0).max(s.0 / 2.0));
            p.1 = p.1.clamp(s.1 / 2.0, (area.1 - s.1 / 2.0).max(s.1 / 2.0));
        }
    }
    overlaps(position, sizes).is_empty()
}

/// When pushing cannot untangle a crowded drawing: moves every box to the nearest free cell
/// of a grid whose cells hold the largest box, nodes nearest the centre first, so the picture
/// keeps its rough shape. False when even the tightest grid has fewer cells than nodes.
fn snap_to_grid(
    position: &mut [(f64, f64)],
    sizes: &[(f64, f64)],
    (width, height): (f64, f64),
) -> bool {
    let widest = sizes.iter().map(|s| s.0).fold(0.0, f64::max);
    let tallest = sizes.iter().map(|s| s.1).fold(0.0, f64::max);
    // The widest gaps (room for arrow heads) that still leave a cell for every node.
    let grid = [3.0, 2.0, 1.0].iter().find_map(|&gaps| {
        let (cell_w, cell_h) = (widest + gaps * NODE_GAP, tallest + gaps * NODE_GAP);
        let columns = (width / cell_w).floor().max(1.0) as usize;
        let rows = (height / cell_h).floor().max(1.0) as usize;
        (columns * rows >= position.len()).then_some((cell_w, cell_h, columns, rows))
    });
    let Some((cell_w, cell_h, columns, rows)) = grid else {
        return false;
    };
    // Cells are centred in the area.
    let x0 = (width - columns as f64 * cell_w) / 2.0 + cell_w / 2.0;
    let y0 = (height - rows as f64 * cell_h) / 2.0 + cell_h / 2.0;
    let cells: Vec<(f64, f64)> = (0..rows * columns)
        .map(|c| {
            (
                x0 + (c % columns) as f64 * cell_w,
                y0 + (c / columns) as f64 * cell_h,
            )
        })
        .collect();
    let centre = (width / 2.0, height / 2.0);
    let distance = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).hypot(a.1 - b.1);
    let mut order: Vec<usize> = (0..position.len()).collect();
    order.sort_by(|&a, &b| distance(position[a], centre).total_cmp(&distance(position[b], centre)));
    let mut taken = vec![false; cells.len()];
    for v in order {
        let nearest = (0..cells.len()).filter(|&c| !taken[c]).min_by(|&a, &b| {
            distance(cells[a], position[v]).total_cmp(&distance(cells[b], position[v]))
        });
        if let Some(c) = nearest {
            taken[c] = true;
            position[v] = cells[c];
        }
    }
    true
}

/// Horizontal moves are cheaper when boxes are wide labels in a wide area: weigh the x move
/// by the boxes' aspect so that wide boxes prefer to slide sideways.
fn width_weight(sizes: &[(f64, f64)], i: usize, j: usize) -> f64 {
    let w = sizes[i].0 + sizes[j].0;
    let h = sizes[i].1 + sizes[j].1;
    (w / h.max(1.0)).clamp(1.0, 3.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREA: (f64, f64) = (1290.0, 870.0);

    fn boxes(n: usize) -> Vec<(f64, f64)> {
        vec![(120.0, 44.0); n]
    }

    fn overlapping(placed: &Placement, sizes: &[(f64, f64)]) -> bool {
        let c = &placed.centres;
        (0..c.len()).any(|i| {
            (i + 1..c.len()).any(|j| {
                (c[i].0 - c[j].0).abs() < (sizes[i].0 + sizes[j].0) / 2.0
                    && (c[i].1 - c[j].1).abs() < (sizes[i].1 + sizes[j].1) / 2.0
            })
        })
    }

    /// A 40-node cascade that branches and rejoins, with two feedback links.
    fn cascade() -> Vec<(usize, usize)> {
        let mut edges: Vec<(usize, usize)> = (1..40).map(|i| ((i - 1) / 3, i)).collect();
        edges.extend([(5, 30), (12, 20), (25, 4), (39, 13)]);
        edges
    }

    #[test]
    fn a_chain_flows_left_to_right() {
        let edges = [(0, 1), (1, 2), (2, 3), (0, 4), (4, 3)];
        let plan = plan(5, &edges, AREA);
        assert_eq!(plan.kind(), LayoutKind::LeftToRight);
        let placed = plan.place(&boxes(5));
        assert!(placed.fits);
        for &(a, b) in &edges {
            assert!(placed.centres[a].0 < placed.centres[b].0, "{a} -> {b}");
        }
    }

    #[test]
    fn a_network_of_loops_is_force_directed() {
        let edges = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 1), (1, 0)];
        assert_eq!(plan(4, &edges, AREA).kind(), LayoutKind::ForceDirected);
    }

    #[test]
    fn layout_is_deterministic() {
        let edges = cascade();
        let first = plan(40, &edges, AREA).place(&boxes(40));
        let second = plan(40, &edges, AREA).place(&boxes(40));
        assert_eq!(first.centres, second.centres);
        assert_eq!(first.routes, second.routes);
    }

    #[test]
    fn forty_boxes_fit_without_overlap_inside_the_area() {
        for edges in [cascade(), (0..40).map(|i| (i, (i * 7 + 3) % 40)).collect()] {
            let sizes = boxes(40);
            let placed = plan(40, &edges, AREA).place(&sizes);
            assert!(
                placed.fits && !overlapping(&placed, &sizes),
                "{:?}",
                placed.kind
            );
            for (c, s) in placed.centres.iter().zip(&sizes) {
                assert!(c.0 - s.0 / 2.0 >= -0.5 && c.0 + s.0 / 2.0 <= AREA.0 + 0.5);
                assert!(c.1 - s.1 / 2.0 >= -0.5 && c.1 + s.1 / 2.0 <= AREA.1 + 0.5);
            }
        }
    }

    #[test]
    fn long_links_get_waypoints_in_link_order() {
        // 0 -> 1 -> 2 -> 3 and a long link 0 -> 3, plus a feedback link 3 -> 0.
        let edges = [(0, 1), (1, 2), (2, 3), (0, 3), (3, 0)];
        let placed = plan(4, &edges, AREA).place(&boxes(4));
        let forward = &placed.routes[3];
        let backward = &placed.routes[4];
        assert_eq!(forward.len(), 2);
        assert!(forward[0].0 < forward[1].0, "from source towards target");
        assert_eq!(backward.len(), 2);
        assert!(
            backward[0].0 > backward[1].0,
            "a reversed link still runs source to target"
        );
    }

    #[test]
    fn depths_follow_the_flow_and_sources_sit_next_to_their_targets() {
        let depth = depths(5, &[(0, 1), (1, 2), (2, 3), (4, 3)]);
        assert_eq!(depth, vec![0, 1, 2, 3, 2]);
    }

    #[test]
    fn isotonic_pools_violators() {
        assert_eq!(
            isotonic(&[1.0, 3.0, 2.0], &[1.0, 1.0, 1.0]),
            vec![1.0, 2.5, 2.5]
        );
    }
}
