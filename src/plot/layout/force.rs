//! The force-directed layout (Fruchterman-Reingold from a circle) and the box geometry shared
//! with the layered one: fitting into the area, pushing overlapping boxes apart, snapping.

use super::*;

/// Fruchterman-Reingold from a circle (in the greedy cycle order, so loops start as rings),
/// then overlap removal and fitting into the area.
pub(super) fn force_directed(
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
pub(super) fn spring(
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
    let rounds = if n > QUICK_LAYOUT_VERTICES {
        QUICK_SPRING_ROUNDS
    } else {
        400
    };
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
pub(super) fn delta(a: (f64, f64), b: (f64, f64), i: usize, j: usize) -> (f64, f64) {
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
pub(super) fn fit_into(
    position: &mut [(f64, f64)],
    sizes: &[(f64, f64)],
    (width, height): (f64, f64),
) {
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
pub(super) fn overlaps(
    position: &[(f64, f64)],
    sizes: &[(f64, f64)],
) -> Vec<(usize, usize, f64, f64)> {
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
pub(super) fn push_apart(
    position: &mut [(f64, f64)],
    sizes: &[(f64, f64)],
    area: (f64, f64),
) -> bool {
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
pub(super) fn snap_to_grid(
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
pub(super) fn width_weight(sizes: &[(f64, f64)], i: usize, j: usize) -> f64 {
    let w = sizes[i].0 + sizes[j].0;
    let h = sizes[i].1 + sizes[j].1;
    (w / h.max(1.0)).clamp(1.0, 3.0)
}
