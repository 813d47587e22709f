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

mod force;
mod layered;

use force::*;
pub use layered::depths;
use layered::*;

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
/// Above this many vertices (nodes and gate junctions) a network gets the quick layout: one
/// text size instead of trying five, and [`QUICK_SPRING_ROUNDS`] force-directed rounds instead
/// of 400. Each round compares every pair of nodes, so at 300 nodes the full layout took 17 s
/// of CPU; the quick one about a second. Charts say when they use it.
pub const QUICK_LAYOUT_VERTICES: usize = 150;
/// Force-directed rounds of the quick layout.
const QUICK_SPRING_ROUNDS: usize = 100;

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

    /// True when the network is large enough for the quick layout ([`QUICK_LAYOUT_VERTICES`]).
    pub fn is_quick(&self) -> bool {
        self.n > QUICK_LAYOUT_VERTICES
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

    /// 300 nodes in one loop with shortcuts (the size that once took 26 s to draw): laid out,
    /// and the same twice.
    #[test]
    fn a_300_node_network_is_laid_out_the_same_every_time() {
        let mut edges: Vec<(usize, usize)> = (0..300).map(|i| (i, (i + 1) % 300)).collect();
        edges.extend((0..300).step_by(7).map(|i| (i, (i * 13 + 5) % 300)));
        let first = plan(300, &edges, AREA).place(&boxes(300));
        let second = plan(300, &edges, AREA).place(&boxes(300));
        assert_eq!(first.centres.len(), 300);
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
