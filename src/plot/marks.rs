//! Shapes of the network drawing: links with their heads (arrow, tee, open circle), AND
//! junctions, rounded node boxes, the cross of a blocked link and the labels on links.

use super::PlotError;
use super::parts;
use super::paths::{Point, end_direction, pixels, rounded_rectangle, shortened};
use super::style::{self, INK, MUTED, Theme, WHITE};
use crate::scenario::links::Arrow;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Length and half width of an arrow head, at design size.
const HEAD_LENGTH: f64 = 16.0;
const HEAD_HALF_WIDTH: f64 = 7.0;
/// Radius of an AND junction, at design size.
pub const JUNCTION_RADIUS: f64 = 12.0;

/// How a link is stroked.
#[derive(Debug, Clone, Copy)]
pub struct Stroke {
    pub colour: RGBColor,
    /// Dash and gap lengths at design size, if dashed.
    pub dash: Option<(f64, f64)>,
}

/// Draws a line along `path` with the head of its arrow kind at the end.
pub fn arrow_path<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    path: &[Point],
    arrow: Arrow,
    stroke: Stroke,
) -> Result<(), PlotError> {
    if path.len() < 2 {
        return Ok(());
    }
    let head = theme.px(HEAD_LENGTH);
    let (ux, uy) = end_direction(path, head);
    let tip = path[path.len() - 1];
    let cut = match arrow {
        Arrow::Raises => head * 0.8,
        Arrow::Lowers => theme.px(2.0),
        Arrow::Unknown => theme.px(12.0),
    };
    let body = pixels(&shortened(path, cut));
    let style = stroke
        .colour
        .stroke_width(theme.px(2.5).round().max(1.0) as u32);
    match stroke.dash {
        Some((dash, gap)) => {
            root.draw(&DashedPathElement::new(
                body,
                theme.ipx(dash),
                theme.ipx(gap),
                style,
            ))?;
        }
        None => {
            root.draw(&PathElement::new(body, style))?;
        }
    }
    let (nx, ny) = (-uy, ux);
    match arrow {
        Arrow::Raises => {
            let w = theme.px(HEAD_HALF_WIDTH);
            let base = (tip.0 - ux * head, tip.1 - uy * head);
            let triangle = [
                tip,
                (base.0 + nx * w, base.1 + ny * w),
                (base.0 - nx * w, base.1 - ny * w),
            ];
            root.draw(&Polygon::new(pixels(&triangle), stroke.colour.filled()))?;
        }
        Arrow::Lowers => {
            let (w, t) = (theme.px(10.0), theme.px(2.2));
            let bar = [
                (tip.0 + nx * w, tip.1 + ny * w),
                (tip.0 + nx * w - ux * 2.0 * t, tip.1 + ny * w - uy * 2.0 * t),
                (tip.0 - nx * w - ux * 2.0 * t, tip.1 - ny * w - uy * 2.0 * t),
                (tip.0 - nx * w, tip.1 - ny * w),
            ];
            root.draw(&Polygon::new(pixels(&bar), stroke.colour.filled()))?;
        }
        Arrow::Unknown => {
            let r = theme.px(6.0);
            let c = (tip.0 - ux * r, tip.1 - uy * r);
            let at = (c.0.round() as i32, c.1.round() as i32);
            root.draw(&Circle::new(at, r.round() as i32, WHITE.filled()))?;
            root.draw(&Circle::new(
                at,
                r.round() as i32,
                stroke.colour.stroke_width(theme.ipx(2.0).max(1) as u32),
            ))?;
        }
    }
    Ok(())
}

pub fn junction<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    centre: Point,
) -> Result<(), PlotError> {
    let at = (centre.0.round() as i32, centre.1.round() as i32);
    let r = theme.ipx(JUNCTION_RADIUS);
    root.draw(&Circle::new(at, r, WHITE.filled()))?;
    root.draw(&Circle::new(
        at,
        r,
        INK.stroke_width(theme.ipx(2.0).max(1) as u32),
    ))?;
    parts::text(
        root,
        "&",
        at,
        &theme.bold(14.0),
        INK,
        (HPos::Center, VPos::Center),
    )
}

/// A small × marking a blocked link.
pub fn cross<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (x, y): Point,
) -> Result<(), PlotError> {
    let r = theme.px(7.0);
    let style = INK.stroke_width(theme.ipx(2.5).max(1) as u32);
    for (dx, dy) in [(r, r), (r, -r)] {
        let line = [(x - dx, y - dy), (x + dx, y + dy)];
        root.draw(&PathElement::new(pixels(&line), style))?;
    }
    Ok(())
}

/// A small label on a white ground, centred on a point of a line.
pub fn tag<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    label: &str,
    (x, y): Point,
) -> Result<(), PlotError> {
    let font = theme.small();
    let half_w = style::text_width(label, &font)? / 2.0 + theme.px(4.0);
    let half_h = style::line_height(&font) / 2.0;
    let corners = [(x - half_w, y - half_h), (x + half_w, y + half_h)];
    let [a, b] = [pixels(&corners[..1])[0], pixels(&corners[1..])[0]];
    root.draw(&Rectangle::new([a, b], WHITE.mix(0.9).filled()))?;
    let at = (x.round() as i32, y.round() as i32);
    parts::text(root, label, at, &font, MUTED, (HPos::Center, VPos::Center))
}

/// A box with rounded corners, filled and outlined: nodes and their legend sample.
pub fn rounded_box<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (corner, opposite): (Point, Point),
    radius: f64,
    fill: RGBColor,
    (border, width): (RGBColor, f64),
) -> Result<(), PlotError> {
    let outline = rounded_rectangle(corner, opposite, radius);
    root.draw(&Polygon::new(outline.clone(), fill.filled()))?;
    let mut closed = outline.clone();
    closed.push(outline[0]);
    root.draw(&PathElement::new(
        closed,
        border.stroke_width(width.round().max(1.0) as u32),
    ))?;
    Ok(())
}
