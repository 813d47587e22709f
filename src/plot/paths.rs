//! Geometry of the network drawing, in pixels: smooth link paths through waypoints, clipping
//! at box borders, detours around boxes, and points along paths for heads and labels.

/// A point in pixels.
pub type Point = (f64, f64);

/// A polyline along `points`: straight for two points, otherwise a cubic B-spline that starts
/// and ends at the end points and is pulled towards the inner ones (smooth, without the
/// wiggles of a curve forced through every waypoint).
pub fn smooth(points: &[Point]) -> Vec<Point> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let (first, last) = (points[0], points[points.len() - 1]);
    let mut control = vec![first, first];
    control.extend_from_slice(points);
    control.extend([last, last]);
    let mut path = Vec::new();
    for w in control.windows(4) {
        for step in 0..12 {
            let t = f64::from(step) / 12.0;
            let b = [
                (1.0 - t).powi(3) / 6.0,
                (3.0 * t.powi(3) - 6.0 * t * t + 4.0) / 6.0,
                (-3.0 * t.powi(3) + 3.0 * t * t + 3.0 * t + 1.0) / 6.0,
                t.powi(3) / 6.0,
            ];
            let x = (0..4).map(|i| b[i] * w[i].0).sum();
            let y = (0..4).map(|i| b[i] * w[i].1).sum();
            path.push((x, y));
        }
    }
    path.push(last);
    path
}

/// The drawn path along `points` between the boxes of `ends`, clipped to their borders. A
/// straight link that would cross another box bows out, as little as clears every box, so it
/// cannot be mistaken for two links through that node. `unit`: pixels per design pixel.
pub fn detour(
    points: &[Point],
    (from, to): (usize, usize),
    (centres, sizes): (&[Point], &[Point]),
    unit: f64,
) -> Vec<Point> {
    let drawn = |points: &[Point]| {
        let path = clip_start(&smooth(points), centres[from], sizes[from], 3.0 * unit);
        clip_end(&path, centres[to], sizes[to], 4.0 * unit)
    };
    let crosses = |path: &[Point]| {
        let probes = densified(path, 4.0 * unit);
        (0..centres.len())
            .filter(|&v| v != from && v != to)
            .any(|v| {
                probes
                    .iter()
                    .any(|&p| inside(p, centres[v], sizes[v], 4.0 * unit))
            })
    };
    let straight = drawn(points);
    if points.len() > 2 || !crosses(&straight) {
        return straight;
    }
    [1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 4.0, -4.0]
        .iter()
        .map(|k| {
            let control = bow(points[0], points[1], 45.0 * unit * k);
            drawn(&[points[0], control, points[1]])
        })
        .find(|path| !crosses(path))
        .unwrap_or(straight)
}

/// Points along a path no further than `step` apart.
pub fn densified(path: &[Point], step: f64) -> Vec<Point> {
    let mut out = Vec::new();
    for w in path.windows(2) {
        let length = (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1);
        let parts = (length / step).ceil().max(1.0) as usize;
        out.extend((0..parts).map(|i| {
            let t = i as f64 / parts as f64;
            (
                w[0].0 + (w[1].0 - w[0].0) * t,
                w[0].1 + (w[1].1 - w[0].1) * t,
            )
        }));
    }
    out.extend(path.last());
    out
}

/// A control point `offset` to the left of the straight line from `a` to `b`.
pub fn bow(a: Point, b: Point, offset: f64) -> Point {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length = dx.hypot(dy).max(1e-9);
    (
        (a.0 + b.0) / 2.0 + dy / length * offset,
        (a.1 + b.1) / 2.0 - dx / length * offset,
    )
}

/// Whether `p` lies in the box of `size` around `centre`, grown by `margin`.
pub fn inside(p: Point, centre: Point, size: Point, margin: f64) -> bool {
    (p.0 - centre.0).abs() <= size.0 / 2.0 + margin
        && (p.1 - centre.1).abs() <= size.1 / 2.0 + margin
}

/// The path from where it leaves the box around `centre` (grown by `margin`).
pub fn clip_start(path: &[Point], centre: Point, size: Point, margin: f64) -> Vec<Point> {
    let Some(exit) = path.iter().position(|&p| !inside(p, centre, size, margin)) else {
        return path.to_vec();
    };
    if exit == 0 {
        return path.to_vec();
    }
    let (a, b) = (path[exit - 1], path[exit]);
    // Bisection on the segment: simple and exact enough at pixel scale.
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..30 {
        let mid = (lo + hi) / 2.0;
        let p = (a.0 + (b.0 - a.0) * mid, a.1 + (b.1 - a.1) * mid);
        if inside(p, centre, size, margin) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let mut clipped = vec![(a.0 + (b.0 - a.0) * hi, a.1 + (b.1 - a.1) * hi)];
    clipped.extend_from_slice(&path[exit..]);
    clipped
}

/// The path up to where it enters the box around `centre` (grown by `margin`).
pub fn clip_end(path: &[Point], centre: Point, size: Point, margin: f64) -> Vec<Point> {
    let reversed: Vec<Point> = path.iter().rev().copied().collect();
    clip_start(&reversed, centre, size, margin)
        .into_iter()
        .rev()
        .collect()
}

/// The point a fraction of the way along a path, by length.
pub fn point_along(path: &[Point], fraction: f64) -> Point {
    let lengths: Vec<f64> = path
        .windows(2)
        .map(|w| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1))
        .collect();
    let mut remaining = lengths.iter().sum::<f64>() * fraction;
    for (w, length) in path.windows(2).zip(&lengths) {
        if remaining <= *length && *length > 0.0 {
            let t = remaining / length;
            return (
                w[0].0 + (w[1].0 - w[0].0) * t,
                w[0].1 + (w[1].1 - w[0].1) * t,
            );
        }
        remaining -= length;
    }
    path.last().copied().unwrap_or((0.0, 0.0))
}

/// A point on the path, as near its middle as possible, where a mark of half-size `half`
/// covers no box.
pub fn free_spot(path: &[Point], half: Point, centres: &[Point], sizes: &[Point]) -> Point {
    let clear = |p: Point| {
        centres.iter().zip(sizes).all(|(c, s)| {
            (p.0 - c.0).abs() > half.0 + s.0 / 2.0 || (p.1 - c.1).abs() > half.1 + s.1 / 2.0
        })
    };
    [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]
        .iter()
        .map(|&f| point_along(path, f))
        .find(|&p| clear(p))
        .unwrap_or_else(|| point_along(path, 0.5))
}

/// Like [`free_spot`], but beside the path rather than on it: the mark's centre is moved off
/// the line along its normal far enough that the mark does not cover the line there, to
/// whichever side covers no box (the path itself when neither does).
pub fn free_spot_beside(path: &[Point], half: Point, centres: &[Point], sizes: &[Point]) -> Point {
    let clear = |p: Point| {
        centres.iter().zip(sizes).all(|(c, s)| {
            (p.0 - c.0).abs() > half.0 + s.0 / 2.0 || (p.1 - c.1).abs() > half.1 + s.1 / 2.0
        })
    };
    for f in [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8] {
        let p = point_along(path, f);
        let q = point_along(path, (f + 0.02).min(1.0));
        let r = point_along(path, (f - 0.02).max(0.0));
        let (dx, dy) = (q.0 - r.0, q.1 - r.1);
        let length = (dx * dx + dy * dy).sqrt();
        if length == 0.0 {
            continue;
        }
        let normal = (-dy / length, dx / length);
        // How far the mark's box reaches along the normal, plus a small gap.
        let reach = normal.0.abs() * half.0 + normal.1.abs() * half.1 + 3.0;
        for side in [1.0, -1.0] {
            let at = (p.0 + side * normal.0 * reach, p.1 + side * normal.1 * reach);
            if clear(at) {
                return at;
            }
        }
    }
    free_spot(path, half, centres, sizes)
}

/// The path cut short by `by` pixels at its end, so a line stops at the base of its head.
pub fn shortened(path: &[Point], by: f64) -> Vec<Point> {
    let mut out = path.to_vec();
    let mut remaining = by;
    while out.len() >= 2 {
        let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
        let length = (b.0 - a.0).hypot(b.1 - a.1);
        if length > remaining {
            let t = (length - remaining) / length;
            let last = out.len() - 1;
            out[last] = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
            return out;
        }
        remaining -= length;
        out.pop();
    }
    out
}

/// Unit direction of the path's end, measured over its last `span` pixels for a steady head
/// on curves.
pub fn end_direction(path: &[Point], span: f64) -> Point {
    let end = path[path.len() - 1];
    let back = shortened(path, span);
    let from = back.last().copied().unwrap_or(path[0]);
    let (dx, dy) = (end.0 - from.0, end.1 - from.1);
    let length = dx.hypot(dy).max(1e-9);
    (dx / length, dy / length)
}

/// Rounded to plotters' integer pixel coordinates.
pub fn pixels(path: &[Point]) -> Vec<(i32, i32)> {
    path.iter()
        .map(|p| (p.0.round() as i32, p.1.round() as i32))
        .collect()
}

/// A loop of radius `r` leaving the top edge of a box and returning at its right edge, around
/// the corner.
pub fn self_loop(centre: Point, size: Point, r: f64) -> Vec<Point> {
    let corner = (centre.0 + size.0 / 2.0, centre.1 - size.1 / 2.0);
    (0..=36)
        .map(|i| {
            let angle = std::f64::consts::PI * (1.0 + 1.5 * f64::from(i) / 36.0);
            (corner.0 + r * angle.cos(), corner.1 + r * angle.sin())
        })
        .collect()
}

/// Corners of a rectangle with rounded corners, as a polygon.
pub fn rounded_rectangle((x0, y0): Point, (x1, y1): Point, radius: f64) -> Vec<(i32, i32)> {
    let r = radius.min((x1 - x0) / 2.0).min((y1 - y0) / 2.0);
    let corners = [
        ((x1 - r, y0 + r), -std::f64::consts::FRAC_PI_2),
        ((x1 - r, y1 - r), 0.0),
        ((x0 + r, y1 - r), std::f64::consts::FRAC_PI_2),
        ((x0 + r, y0 + r), std::f64::consts::PI),
    ];
    let mut points = Vec::new();
    for ((cx, cy), start) in corners {
        for step in 0..=6 {
            let angle = start + std::f64::consts::FRAC_PI_2 * f64::from(step) / 6.0;
            points.push((cx + r * angle.cos(), cy + r * angle.sin()));
        }
    }
    pixels(&points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smooth_paths_keep_their_ends() {
        let path = smooth(&[(0.0, 0.0), (50.0, 40.0), (100.0, 0.0)]);
        assert_eq!(path.first(), Some(&(0.0, 0.0)));
        assert_eq!(path.last(), Some(&(100.0, 0.0)));
        assert!(path.iter().all(|p| p.1 >= 0.0 && p.1 <= 40.0));
    }

    #[test]
    fn clipping_stops_at_the_box_borders() {
        let path = [(0.0, 0.0), (100.0, 0.0)];
        let clipped = clip_end(
            &clip_start(&path, (0.0, 0.0), (20.0, 10.0), 0.0),
            (100.0, 0.0),
            (30.0, 10.0),
            0.0,
        );
        assert!((clipped[0].0 - 10.0).abs() < 1e-6);
        assert!((clipped[clipped.len() - 1].0 - 85.0).abs() < 1e-6);
    }

    #[test]
    fn a_link_bows_around_a_box_in_its_way() {
        let centres = [(0.0, 0.0), (100.0, 0.0), (200.0, 0.0)];
        let sizes = [(20.0, 20.0); 3];
        let path = detour(&[centres[0], centres[2]], (0, 2), (&centres, &sizes), 1.0);
        assert!(path.iter().all(|&p| !inside(p, centres[1], sizes[1], 0.0)));
        assert!(path.len() > 2, "bowed, not straight");
    }

    #[test]
    fn points_along_and_shortening_measure_length() {
        let path = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)];
        assert_eq!(point_along(&path, 0.75), (10.0, 5.0));
        assert_eq!(shortened(&path, 5.0).last(), Some(&(10.0, 5.0)));
        assert_eq!(end_direction(&path, 4.0), (0.0, 1.0));
    }
}
