//! Polygon filling on PNG charts: plotters' scanline rasteriser, rewritten to draw the same
//! pixels with less work.
//!
//! Network boxes, arrow heads and every line thicker than a pixel (plotters turns a thick
//! path into a polygon) are filled by `plotters_backend::rasterizer::fill_polygon`. Per scan
//! line it rebuilds its list of edges, clones them while pairing, recomputes each edge's
//! crossing inside its sort's comparisons and sends every span through the backend's generic
//! `draw_line`: a fifth of a chart's instructions. [`fill_polygon`] follows it step by step
//! (the same sweep direction, the same edge order from the same stable sorts, the same `f64`
//! crossings, the same pairing rules, the same span ends and anti-aliased end pixels, with the
//! same quirks) but keeps one edge list, computes each crossing once per line and writes
//! opaque spans straight into the canvas; translucent spans still go through the bitmap
//! backend, whose blend of a span differs from its blend of a pixel.

use super::text::{CachedText, DrawingError};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, DrawingBackend};
use std::cmp::Ordering;

type Result = std::result::Result<(), DrawingError>;

/// An edge crossing the scan lines: plotters' `Edge` with its crossing kept.
struct Edge {
    /// Scan lines stepped since the edge began, of `length`.
    step: u32,
    length: u32,
    begin: i32,
    end: i32,
    /// Where the edge crosses the current scan line (plotters' `get_slave_pos`).
    crossing: f64,
}

impl Edge {
    /// The edge from `from` to `to` (in sweep, across coordinates), or none when it lies along
    /// one scan line.
    fn new(mut from: BackendCoord, mut to: BackendCoord) -> Option<Edge> {
        if from.0 == to.0 {
            return None;
        }
        if from.0 > to.0 {
            std::mem::swap(&mut from, &mut to);
        }
        let mut edge = Edge {
            step: 0,
            length: (to.0 - from.0) as u32,
            begin: from.1,
            end: to.1,
            crossing: 0.0,
        };
        edge.cross();
        Some(edge)
    }

    /// Scan lines left before the edge ends (0 on its last line).
    fn left(&self) -> u32 {
        self.length - self.step
    }

    fn cross(&mut self) {
        self.crossing = f64::from(self.begin)
            + (i64::from(self.end - self.begin) * i64::from(self.step)) as f64
                / f64::from(self.length);
    }
}

/// Fills the polygon through `vertices` in the colour of `style`, pixel for pixel as plotters'
/// `fill_polygon` does on the bitmap backend.
pub(super) fn fill_polygon(
    canvas: &mut CachedText<'_>,
    vertices: &[BackendCoord],
    style: &impl BackendStyle,
) -> Result {
    let Some(((min_x, max_x), (min_y, max_y))) = spans(vertices) else {
        return Ok(());
    };
    // All points on one vertical or horizontal line: plotters draws that line, in the style
    // (with its stroke width).
    if min_x == max_x || min_y == max_y {
        return canvas.draw_line((min_x, min_y), (max_x, max_y), style);
    }
    // Sweep along the longer side; coordinates below are (along the sweep, across it).
    let horizontal = max_x - min_x > max_y - min_y;
    let oriented = |(x, y): BackendCoord| if horizontal { (x, y) } else { (y, x) };
    let mut edges: Vec<(BackendCoord, BackendCoord)> = vertices
        .iter()
        .zip(vertices.iter().cycle().skip(1))
        .map(|(&a, &b)| (oriented(a), oriented(b)))
        .collect();
    // Stable, by where each edge begins along the sweep, as plotters sorts them.
    edges.sort_by_key(|(a, b)| a.0.min(b.0));
    let (low, high) = if horizontal {
        (min_x, max_x)
    } else {
        (min_y, max_y)
    };
    let color = style.color();
    let mut next = 0;
    let mut active: Vec<Edge> = Vec::new();
    let mut spans = Vec::new();
    for line in low..=high {
        active.retain_mut(|edge| {
            let going = edge.left() > 0;
            if going {
                edge.step += 1;
                edge.cross();
            }
            going
        });
        while let Some(&(a, b)) = edges.get(next) {
            if a.0.min(b.0) > line {
                break;
            }
            active.extend(Edge::new(a, b));
            next += 1;
        }
        // Stable, as plotters' `sort` of its edges (a crossing is never NaN: lengths are > 0).
        active.sort_by(|a, b| {
            a.crossing
                .partial_cmp(&b.crossing)
                .unwrap_or(Ordering::Equal)
        });
        pairs(&active, &mut spans);
        for &(from, to) in &spans {
            if horizontal {
                vertical_span(canvas, line, (from, to), color)?;
            } else {
                horizontal_span(canvas, line, (from, to), color)?;
            }
        }
    }
    Ok(())
}

/// The smallest and largest x and y of the vertices, none when there are none.
fn spans(vertices: &[BackendCoord]) -> Option<((i32, i32), (i32, i32))> {
    let (&(x, y), rest) = vertices.split_first()?;
    Some(
        rest.iter()
            .fold(((x, x), (y, y)), |((x0, x1), (y0, y1)), &(x, y)| {
                ((x0.min(x), x1.max(x)), (y0.min(y), y1.max(y)))
            }),
    )
}

/// The spans of one scan line, as plotters pairs its sorted edges: two by two, except that
/// an edge ending on this line paired with one that goes on is dropped for the other (the
/// one going on waits for a partner), and two ending edges more than a pixel apart are not
/// filled between. Into `spans`, emptied first.
fn pairs(active: &[Edge], spans: &mut Vec<(f64, f64)>) {
    spans.clear();
    let mut first: Option<&Edge> = None;
    for edge in active {
        let Some(a) = first else {
            first = Some(edge);
            continue;
        };
        let b = edge;
        match (a.left() == 0, b.left() == 0) {
            (true, false) => first = Some(b),
            (false, true) => first = Some(a),
            (true, true) if b.crossing - a.crossing > 1.0 => first = None,
            _ => {
                spans.push((a.crossing, b.crossing));
                first = None;
            }
        }
    }
}

/// A span of a horizontal sweep: column `x` from `from` to `to`, as plotters draws it: the
/// line from `ceil(from)` to `floor(to)`, then the end pixels at `floor(from)` and `ceil(to)`
/// with the covered fractions as alpha.
fn vertical_span(
    canvas: &mut CachedText<'_>,
    x: i32,
    (from, to): (f64, f64),
    color: BackendColor,
) -> Result {
    let (top, bottom) = (from.ceil() as i32, to.floor() as i32);
    if color.alpha >= 1.0 {
        // The bitmap backend's opaque vertical line takes its ends in either order.
        canvas.fill_column(x, top.min(bottom)..=top.max(bottom), color.rgb, 256);
    } else {
        // Its translucent line is a rectangle one pixel wide from `top` to `bottom + 1`,
        // empty when they cross, each pixel blended as one pixel is.
        let alpha = color.alpha.clamp(0.0, 1.0);
        if alpha > 0.0 {
            let weight = (256.0 * alpha).floor() as u16;
            canvas.fill_column(x, top..=bottom, color.rgb, weight);
        }
    }
    canvas.draw_pixel((x, from.floor() as i32), color.mix(from.ceil() - from))?;
    canvas.draw_pixel((x, to.ceil() as i32), color.mix(to - to.floor()))
}

/// A span of a vertical sweep: row `y` from `from` to `to`, as plotters draws it: the line
/// from `ceil(from)` to `floor(to)` (nothing when they cross), the pixel at `floor(from)`
/// with the covered fraction as alpha, and plotters' pixel at `ceil(to)` with
/// `floor(to) - to` as alpha (at most 0 for a colour's alpha, so it changes nothing).
fn horizontal_span(
    canvas: &mut CachedText<'_>,
    y: i32,
    (from, to): (f64, f64),
    color: BackendColor,
) -> Result {
    let (left, right) = (from.ceil() as i32, to.floor() as i32);
    if color.alpha >= 1.0 {
        canvas.fill_opaque((left, y), (right + 1, y + 1), color.rgb);
    } else {
        canvas.draw_line((left, y), (right, y), &color)?;
    }
    canvas.draw_pixel((from.floor() as i32, y), color.mix(from.ceil() - from))?;
    canvas.draw_pixel((to.ceil() as i32, y), color.mix(to.floor() - to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    const SIZE: (u32, u32) = (240, 180);

    /// A small deterministic generator (no dependency for tests).
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: i32) -> i32 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            ((self.0 >> 33) % n as u64) as i32
        }
    }

    /// Shapes that exercise the rasteriser: wide and tall (both sweep directions), concave
    /// (several spans per line), slivers thinner than a pixel, shapes cut by every edge of
    /// the canvas or wholly outside it, collinear points (drawn as a thick line), translucent
    /// colours, thick paths (plotters turns them into polygons), filled and outlined
    /// rectangles (grey, coloured, translucent, given by any two corners, cut by the canvas),
    /// then random polygons of 3 to 9 vertices.
    fn shapes<DB: DrawingBackend>(canvas: &mut DB) {
        let solid = |r, g, b| ShapeStyle::from(RGBColor(r, g, b)).filled();
        let translucent = ShapeStyle::from(RGBAColor(213, 94, 0, 0.55)).filled();
        let polygons: [(&[BackendCoord], ShapeStyle); 9] = [
            (&[(10, 10), (200, 30), (40, 50)], solid(0, 114, 178)),
            (&[(20, 20), (35, 170), (5, 120)], solid(204, 121, 167)),
            (
                &[
                    (120, 60),
                    (130, 90),
                    (160, 95),
                    (135, 110),
                    (145, 140),
                    (120, 120),
                    (95, 140),
                    (105, 110),
                    (80, 95),
                    (110, 90),
                ],
                solid(0, 158, 115),
            ),
            (&[(50, 60), (51, 160), (52, 60)], solid(20, 20, 20)),
            (&[(60, 100), (180, 101), (60, 102)], solid(86, 180, 233)),
            (&[(-30, 140), (60, 175), (20, 250)], solid(230, 159, 0)),
            (&[(200, -20), (300, 60), (220, 120)], translucent),
            (&[(-5, -5), (-1, -50), (-40, -3)], solid(0, 0, 0)),
            (
                &[(70, 30), (90, 30), (110, 30)],
                solid(1, 2, 3).stroke_width(3),
            ),
        ];
        for (vertices, style) in polygons {
            canvas
                .fill_polygon(vertices.iter().copied(), &style)
                .unwrap();
        }
        let path = [
            (15, 160),
            (60, 130),
            (62, 131),
            (140, 170),
            (230, 20),
            (180, 15),
        ];
        for (width, style) in [
            (2, solid(40, 40, 40)),
            (3, translucent),
            (7, solid(9, 99, 199)),
        ] {
            canvas
                .draw_path(path.iter().copied(), &style.stroke_width(width))
                .unwrap();
        }
        canvas
            .draw_rect((150, 120), (260, 200), &solid(245, 245, 245), true)
            .unwrap();
        canvas
            .draw_rect((100, 10), (-10, 40), &solid(128, 128, 128), true)
            .unwrap();
        canvas
            .draw_rect((30, 60), (90, 80), &translucent, true)
            .unwrap();
        canvas
            .draw_rect((30, 60), (90, 80), &solid(0, 0, 0), false)
            .unwrap();
        for (corner, opposite) in [((5, 5), (38, 20)), ((250, 150), (230, 170))] {
            let style = solid(0, 114, 178);
            canvas.draw_rect(corner, opposite, &style, true).unwrap();
        }
        let mut random = Lcg(7);
        for i in 0..200 {
            let vertices: Vec<BackendCoord> = (0..3 + random.below(7))
                .map(|_| (random.below(280) - 20, random.below(220) - 20))
                .collect();
            let color = RGBAColor(
                i as u8,
                255 - i as u8,
                77,
                if i % 5 == 0 { 0.4 } else { 1.0 },
            );
            canvas
                .fill_polygon(vertices, &ShapeStyle::from(color).filled())
                .unwrap();
        }
    }

    #[test]
    fn polygons_fill_the_pixels_plotters_fills() {
        let mut plain = vec![255u8; (SIZE.0 * SIZE.1 * 3) as usize];
        shapes(&mut BitMapBackend::with_buffer(&mut plain, SIZE));
        let mut ours = vec![255u8; plain.len()];
        shapes(&mut CachedText::new(&mut ours, SIZE));
        assert!(
            plain.iter().filter(|&&b| b != 255).count() > 20_000,
            "the shapes drew little"
        );
        let differing = plain.iter().zip(&ours).filter(|(a, b)| a != b).count();
        assert_eq!(differing, 0, "{differing} bytes differ");
    }
}
