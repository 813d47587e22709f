//! network.png: the scenario's network with an automatic layout ([`super::layout`]):
//! activation arrows and inhibition tees in distinct colours, dashed unknown-sign and optional
//! links, AND gates as small junctions, pressed nodes outlined, and (after a run) nodes
//! coloured by P(up) - P(down) under one intervention, with a legend.

use super::layout::{self, Placement};
use super::parts::{self, MARGIN};
use super::style::{self, BLUE, INK, LIGHT, MUTED, PAPER, Theme, VERMILLION, WHITE};
use super::{Chart, PlotError};
use crate::analysis::{InterventionReport, RunReport};
use crate::scenario::Scenario;
use crate::scenario::links::Arrow;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

type Point = (f64, f64);

/// What the nodes are coloured by: one intervention's outcome.
pub struct Colouring<'a> {
    intervention: usize,
    outcome: &'a InterventionReport,
    facts: String,
}

impl<'a> Colouring<'a> {
    /// Colours by intervention `choice`, or by [`chosen_intervention`] when `None`; `None`
    /// when the run has no interventions.
    pub fn new(
        scenario: &Scenario,
        report: &'a RunReport,
        choice: Option<usize>,
    ) -> Option<Colouring<'a>> {
        let intervention = choice.or_else(|| chosen_intervention(scenario))?;
        Some(Colouring {
            intervention,
            outcome: report.interventions.get(intervention)?,
            facts: super::outcomes::run_facts(report),
        })
    }
}

/// The intervention the most expectations are about (the first on a tie): the treatment the
/// scenario's claims concern.
pub fn chosen_intervention(scenario: &Scenario) -> Option<usize> {
    let count = |i: usize| {
        scenario
            .expectations
            .iter()
            .filter(|e| e.intervention == i)
            .count()
    };
    (0..scenario.interventions.len()).max_by_key(|&i| (count(i), std::cmp::Reverse(i)))
}

/// The network chart; without a colouring it shows structure only (`claimsim graph`).
pub struct NetworkChart<'a> {
    scenario: &'a Scenario,
    colouring: Option<Colouring<'a>>,
}

impl<'a> NetworkChart<'a> {
    pub fn new(scenario: &'a Scenario, colouring: Option<Colouring<'a>>) -> Self {
        NetworkChart {
            scenario,
            colouring,
        }
    }
}

/// One line in the picture: a plain link, or one leg of a gate (input to junction, junction
/// to target). Junctions are vertices numbered after the nodes.
#[derive(Debug, Clone, Copy)]
struct Line {
    from: usize,
    to: usize,
    arrow: Arrow,
    /// The scenario link it draws.
    link: usize,
}

/// A mark on a line, drawn over the nodes: a presence label or the cross of a blocked link.
enum Mark {
    Tag(String, Point),
    Cross(Point),
}

/// How a line is stroked.
#[derive(Debug, Clone, Copy)]
struct Stroke {
    colour: RGBColor,
    /// Dash and gap lengths at design size, if dashed.
    dash: Option<(f64, f64)>,
}

/// A node's box: wrapped label lines, the net-change line, size.
struct NodeBox {
    lines: Vec<String>,
    value: Option<String>,
    size: Point,
}

/// Design-size geometry of the drawing.
const PAD_X: f64 = 12.0;
const PAD_Y: f64 = 8.0;
const JUNCTION_RADIUS: f64 = 12.0;
const HEAD_LENGTH: f64 = 16.0;
const HEAD_HALF_WIDTH: f64 = 7.0;
const LEGEND_WIDTH: f64 = 290.0;
/// Node label sizes and label width factors tried in turn until the layout fits without
/// overlaps.
const NODE_TEXT: [(f64, f64); 5] = [
    (16.0, 1.0),
    (15.0, 0.85),
    (14.0, 0.72),
    (13.0, 0.6),
    (12.0, 0.5),
];

impl Chart for NetworkChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let theme = Theme::new(root.dim_in_pixel());
        let (width, height) = root.dim_in_pixel();
        let top = parts::header(root, &theme, &self.scenario.title, &self.subtitle())?;
        let left = theme.px(MARGIN);
        let legend_left = f64::from(width) - theme.px(MARGIN + LEGEND_WIDTH);
        let area = (
            legend_left - left - theme.px(24.0),
            f64::from(height) - f64::from(top) - theme.px(MARGIN) - theme.px(6.0),
        );
        let lines = self.lines();
        let vertices = self.scenario.nodes.len() + self.junction_count();
        let edges: Vec<(usize, usize)> = lines.iter().map(|l| (l.from, l.to)).collect();
        // The layout works at design size, so its gaps look the same on any canvas.
        let unit = theme.px(1.0);
        let plan = layout::plan(vertices, &edges, (area.0 / unit, area.1 / unit));
        let (boxes, font, placed) = self.fit_boxes(&theme, &plan)?;
        let offset = (left, f64::from(top) + theme.px(6.0));
        let to_canvas = |p: &Point| (p.0 * unit + offset.0, p.1 * unit + offset.1);
        let centres: Vec<Point> = placed.centres.iter().map(to_canvas).collect();
        let sizes: Vec<Point> = boxes.iter().map(|b| b.size).collect();
        let mut marks = Vec::new();
        for (index, route) in placed.routes.iter().enumerate() {
            let route = route.iter().map(to_canvas).collect();
            let mark = self.draw_line(root, &theme, &lines, index, route, (&centres, &sizes))?;
            marks.extend(mark);
        }
        for (v, centre) in centres.iter().enumerate() {
            if v < self.scenario.nodes.len() {
                self.draw_node(root, &theme, v, &boxes[v], *centre, &font)?;
            } else {
                junction(root, &theme, *centre)?;
            }
        }
        // Marks go on top, placed where they cover no box.
        for mark in marks {
            match mark {
                Mark::Tag(label, at) => tag(root, &theme, &label, at)?,
                Mark::Cross(at) => cross(root, &theme, at)?,
            }
        }
        self.draw_legend(root, &theme, (legend_left, f64::from(top)))
    }
}

impl NetworkChart<'_> {
    fn subtitle(&self) -> String {
        let s = self.scenario;
        match &self.colouring {
            Some(c) => format!(
                "Nodes coloured by P(up) − P(down) under “{}”, compared with no intervention · {}",
                s.interventions[c.intervention].name, c.facts
            ),
            None => format!(
                "Signed influence network · {} · {} · {}",
                count(s.nodes.len(), "node"),
                count(s.links.len(), "link"),
                count(s.interventions.len(), "intervention")
            ),
        }
    }

    fn junction_count(&self) -> usize {
        self.scenario.links.iter().filter(|l| l.is_gate()).count()
    }

    /// The lines to draw, with gates split into legs through their junction vertex.
    fn lines(&self) -> Vec<Line> {
        let mut junction = self.scenario.nodes.len();
        let mut lines = Vec::new();
        for (index, link) in self.scenario.links.iter().enumerate() {
            if !link.is_gate() {
                lines.push(Line {
                    from: link.inputs[0].node,
                    to: link.target,
                    arrow: link.arrow,
                    link: index,
                });
                continue;
            }
            for input in &link.inputs {
                let arrow = if input.negated {
                    Arrow::Lowers
                } else {
                    Arrow::Raises
                };
                lines.push(Line {
                    from: input.node,
                    to: junction,
                    arrow,
                    link: index,
                });
            }
            lines.push(Line {
                from: junction,
                to: link.target,
                arrow: link.arrow,
                link: index,
            });
            junction += 1;
        }
        lines
    }

    /// Wraps the labels at the largest text size and width whose layout fits without
    /// overlaps (the smallest when none does).
    fn fit_boxes(
        &self,
        theme: &Theme,
        plan: &layout::Plan,
    ) -> Result<(Vec<NodeBox>, FontDesc<'static>, Placement), PlotError> {
        let mut last = None;
        for (size, narrowing) in NODE_TEXT {
            let font = theme.regular(size);
            let unit = theme.px(1.0);
            // Narrow, but never so narrow that a single word has to be cut.
            let word = self.longest_word(&font)? / unit + 2.0 * PAD_X;
            let width = (plan.label_width() * narrowing)
                .max(layout::MIN_LABEL_WIDTH)
                .max(word.min(layout::MAX_LABEL_WIDTH));
            let boxes = self.boxes(theme, &font, width * unit)?;
            let sizes: Vec<Point> = boxes
                .iter()
                .map(|b| (b.size.0 / unit, b.size.1 / unit))
                .collect();
            let placed = plan.place(&sizes);
            if placed.fits {
                return Ok((boxes, font, placed));
            }
            last = Some((boxes, font, placed));
        }
        last.ok_or_else(|| PlotError::new("no text size to lay out the network with"))
    }

    /// Width of the widest word of any node label.
    fn longest_word(&self, font: &FontDesc) -> Result<f64, PlotError> {
        let mut widest: f64 = 0.0;
        for v in 0..self.scenario.nodes.len() {
            for word in self.scenario.display_name(v).split_whitespace() {
                widest = widest.max(style::text_width(word, font)?);
            }
        }
        Ok(widest)
    }

    fn boxes(
        &self,
        theme: &Theme,
        font: &FontDesc,
        label_width: f64,
    ) -> Result<Vec<NodeBox>, PlotError> {
        let small = theme.regular(font.get_size() / theme.px(1.0) * 0.85);
        let mut boxes = Vec::new();
        for v in 0..self.scenario.nodes.len() {
            let text_room = label_width - 2.0 * theme.px(PAD_X);
            let mut lines = style::wrap(self.scenario.display_name(v), font, text_room, 3)?;
            if self.knocked_out(v) {
                lines.push("(knocked out)".to_string());
            }
            let value = self.net_change(v).map(signed);
            let mut widest: f64 = 0.0;
            for line in &lines {
                widest = widest.max(style::text_width(line, font)?);
            }
            let mut height = style::line_height(font) * lines.len() as f64;
            if let Some(value) = &value {
                widest = widest.max(style::text_width(value, &small)?);
                height += style::line_height(&small);
            }
            boxes.push(NodeBox {
                lines,
                value,
                size: (
                    (widest + 2.0 * theme.px(PAD_X)).max(theme.px(56.0)),
                    height + 2.0 * theme.px(PAD_Y),
                ),
            });
        }
        let junction = 2.0 * theme.px(JUNCTION_RADIUS);
        boxes.extend((0..self.junction_count()).map(|_| NodeBox {
            lines: Vec::new(),
            value: None,
            size: (junction, junction),
        }));
        Ok(boxes)
    }

    /// P(up) - P(down) of node `v` under the colouring intervention.
    fn net_change(&self, v: usize) -> Option<f64> {
        let c = self.colouring.as_ref()?;
        let outcome = c.outcome.nodes.get(v)?;
        let net = outcome.p_up - outcome.p_down;
        net.is_finite().then_some(net)
    }

    fn pressed(&self, v: usize) -> bool {
        let pressed_in = |i: usize| {
            self.scenario.interventions[i]
                .press
                .iter()
                .any(|&(p, _)| p == v)
        };
        match &self.colouring {
            Some(c) => pressed_in(c.intervention),
            None => (0..self.scenario.interventions.len()).any(pressed_in),
        }
    }

    fn knocked_out(&self, v: usize) -> bool {
        self.colouring.as_ref().is_some_and(|c| {
            self.scenario.interventions[c.intervention]
                .knockout
                .contains(&v)
        })
    }

    fn blocked(&self, link: usize) -> bool {
        self.colouring.as_ref().is_some_and(|c| {
            self.scenario.interventions[c.intervention]
                .block
                .contains(&link)
        })
    }

    fn stroke(&self, line: &Line) -> Stroke {
        let link = &self.scenario.links[line.link];
        if self.blocked(line.link) {
            return Stroke {
                colour: LIGHT,
                dash: None,
            };
        }
        let colour = arrow_colour(line.arrow);
        let dash = match (line.arrow, link.present < 1.0) {
            (Arrow::Unknown, _) => Some((5.0, 5.0)),
            (_, true) => Some((12.0, 7.0)),
            _ => None,
        };
        Stroke { colour, dash }
    }

    fn draw_line<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
        lines: &[Line],
        index: usize,
        route: Vec<Point>,
        (centres, sizes): (&[Point], &[Point]),
    ) -> Result<Option<Mark>, PlotError> {
        let line = lines[index];
        let stroke = self.stroke(&line);
        if line.from == line.to {
            let path = self_loop(theme, centres[line.from], sizes[line.from]);
            arrow_path(root, theme, &path, line.arrow, stroke)?;
            return Ok(None);
        }
        let mut points = vec![centres[line.from]];
        points.extend(route);
        points.push(centres[line.to]);
        // A link with a partner in the opposite direction bows to its own left, so the two
        // do not lie on top of each other.
        let paired = lines.iter().any(|l| l.from == line.to && l.to == line.from);
        if paired && points.len() == 2 {
            points.insert(1, bow(points[0], points[1], theme.px(40.0)));
        }
        let ends = (line.from, line.to);
        let path = detour(theme, &points, ends, (centres, sizes));
        arrow_path(root, theme, &path, line.arrow, stroke)?;
        let link = &self.scenario.links[line.link];
        // A gate's presence is marked once, on the leg into its target.
        let last_leg = line.to < self.scenario.nodes.len();
        let free = |half: Point| free_spot(&path, half, centres, sizes);
        if self.blocked(line.link) && last_leg {
            return Ok(Some(Mark::Cross(free((theme.px(8.0), theme.px(8.0))))));
        }
        if link.present < 1.0 && last_leg {
            let label = format!("p = {}", link.present);
            let font = theme.small();
            let half = (
                style::text_width(&label, &font)? / 2.0 + theme.px(4.0),
                style::line_height(&font) / 2.0,
            );
            return Ok(Some(Mark::Tag(label, free(half))));
        }
        Ok(None)
    }

    fn draw_node<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
        v: usize,
        node: &NodeBox,
        centre: Point,
        font: &FontDesc,
    ) -> Result<(), PlotError> {
        let fill = match self.net_change(v) {
            Some(net) => style::diverging(net),
            None => PAPER,
        };
        let fill = if self.knocked_out(v) { LIGHT } else { fill };
        let (x0, y0) = (centre.0 - node.size.0 / 2.0, centre.1 - node.size.1 / 2.0);
        let (x1, y1) = (centre.0 + node.size.0 / 2.0, centre.1 + node.size.1 / 2.0);
        let outline = rounded_rectangle((x0, y0), (x1, y1), theme.px(8.0));
        root.draw(&Polygon::new(outline.clone(), fill.filled()))?;
        let (border, width) = if self.pressed(v) {
            (INK, theme.px(4.0))
        } else {
            (MUTED, theme.px(1.5))
        };
        let mut closed = outline.clone();
        closed.push(outline[0]);
        root.draw(&PathElement::new(
            closed,
            border.stroke_width(width.round().max(1.0) as u32),
        ))?;
        let ink = style::text_on(fill);
        let small = theme.regular(font.get_size() / theme.px(1.0) * 0.85);
        let value_height = if node.value.is_some() {
            style::line_height(&small)
        } else {
            0.0
        };
        let text_centre = (
            centre.0.round() as i32,
            (centre.1 - value_height / 2.0).round() as i32,
        );
        parts::text_block(root, &node.lines, text_centre, font, ink, HPos::Center)?;
        if let Some(value) = &node.value {
            let block = style::line_height(font) * node.lines.len() as f64;
            let y = centre.1 - value_height / 2.0 + block / 2.0 + value_height / 2.0;
            let at = (centre.0.round() as i32, y.round() as i32);
            parts::text(root, value, at, &small, ink, (HPos::Center, VPos::Center))?;
        }
        Ok(())
    }

    fn draw_legend<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
        (left, top): Point,
    ) -> Result<(), PlotError> {
        let font = theme.tick();
        let row = theme.px(30.0);
        let mut y = top + theme.px(14.0);
        let sample = |y: f64| [(left, y), (left + theme.px(44.0), y)];
        let label_x = (left + theme.px(56.0)).round() as i32;
        let heading = |y: f64, text: &str| {
            parts::text(
                root,
                text,
                (left.round() as i32, y.round() as i32),
                &theme.panel_title(),
                INK,
                (HPos::Left, VPos::Center),
            )
        };
        heading(y, "Links")?;
        y += row;
        let solid = |colour| Stroke { colour, dash: None };
        let mut entries = vec![
            (Arrow::Raises, solid(BLUE), "activates (->)"),
            (Arrow::Lowers, solid(VERMILLION), "inhibits (-|)"),
        ];
        // Only the kinds of link this network has, beyond the two basic ones.
        let links = &self.scenario.links;
        if links.iter().any(|l| l.arrow == Arrow::Unknown) {
            entries.push((
                Arrow::Unknown,
                Stroke {
                    colour: MUTED,
                    dash: Some((5.0, 5.0)),
                },
                "sign unknown (-?)",
            ));
        }
        if links.iter().any(|l| l.present < 1.0) {
            entries.push((
                Arrow::Raises,
                Stroke {
                    colour: BLUE,
                    dash: Some((12.0, 7.0)),
                },
                "optional: present with chance p",
            ));
        }
        let any_blocked = self
            .scenario
            .links
            .iter()
            .enumerate()
            .any(|(i, _)| self.blocked(i));
        if any_blocked {
            entries.push((Arrow::Raises, solid(LIGHT), "blocked by the intervention"));
        }
        for (arrow, stroke, label) in entries {
            let [a, b] = sample(y);
            arrow_path(root, theme, &[a, b], arrow, stroke)?;
            if stroke.colour == LIGHT {
                cross(root, theme, ((a.0 + b.0) / 2.0, y))?;
            }
            parts::text(
                root,
                label,
                (label_x, y.round() as i32),
                &font,
                INK,
                (HPos::Left, VPos::Center),
            )?;
            y += row;
        }
        if self.junction_count() > 0 {
            junction(root, theme, (left + theme.px(22.0), y))?;
            parts::text(
                root,
                "AND gate of its inputs",
                (label_x, y.round() as i32),
                &font,
                INK,
                (HPos::Left, VPos::Center),
            )?;
            y += row;
        }
        y += theme.px(10.0);
        heading(y, "Nodes")?;
        y += row;
        let pressed_label = if self.colouring.is_some() {
            "pressed by the intervention"
        } else {
            "pressed in an intervention"
        };
        legend_box(root, theme, (left, y), INK, theme.px(4.0))?;
        parts::text(
            root,
            pressed_label,
            (label_x, y.round() as i32),
            &font,
            INK,
            (HPos::Left, VPos::Center),
        )?;
        y += row + theme.px(6.0);
        if self.colouring.is_some() {
            y += theme.px(6.0);
            self.colour_bar(root, theme, (left, y))?;
        }
        Ok(())
    }

    /// A vertical scale from -1 (down) to +1 (up) for the node colours.
    fn colour_bar<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
        (left, top): Point,
    ) -> Result<(), PlotError> {
        let font = theme.tick();
        parts::text(
            root,
            "node colour: P(up) − P(down)",
            (left.round() as i32, top.round() as i32),
            &font,
            INK,
            (HPos::Left, VPos::Center),
        )?;
        let top = top + theme.px(22.0);
        let height = theme.px(170.0);
        let width = theme.ipx(26.0);
        let steps = height.round() as i32;
        let x = left.round() as i32;
        for step in 0..steps {
            let value = 1.0 - 2.0 * f64::from(step) / f64::from(steps.max(1));
            let y = top.round() as i32 + step;
            root.draw(&Rectangle::new(
                [(x, y), (x + width, y + 1)],
                style::diverging(value).filled(),
            ))?;
        }
        root.draw(&Rectangle::new(
            [
                (x, top.round() as i32),
                (x + width, (top + height).round() as i32),
            ],
            MUTED.stroke_width(1),
        ))?;
        for (value, label) in [
            (1.0, "+1  always up"),
            (0.0, "0  balanced or no change"),
            (-1.0, "−1  always down"),
        ] {
            let y = (top + height * (1.0 - value) / 2.0).round() as i32;
            root.draw(&PathElement::new(
                vec![(x + width, y), (x + width + theme.ipx(6.0), y)],
                INK.stroke_width(1),
            ))?;
            parts::text(
                root,
                label,
                (x + width + theme.ipx(10.0), y),
                &font,
                INK,
                (HPos::Left, VPos::Center),
            )?;
        }
        Ok(())
    }
}

/// "1 node", "3 nodes".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn arrow_colour(arrow: Arrow) -> RGBColor {
    match arrow {
        Arrow::Raises => BLUE,
        Arrow::Lowers => VERMILLION,
        Arrow::Unknown => MUTED,
    }
}

/// "+0.42", "−1.00": the net change written in a node.
fn signed(net: f64) -> String {
    if net < -0.005 {
        format!("\u{2212}{:.2}", -net)
    } else if net > 0.005 {
        format!("+{net:.2}")
    } else {
        "0.00".to_string()
    }
}

/// A polyline along `points`: straight for two points, otherwise a cubic B-spline that starts
/// and ends at the end points and is pulled towards the inner ones (smooth, without the
/// wiggles of a curve forced through every waypoint).
fn smooth(points: &[Point]) -> Vec<Point> {
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
/// cannot be mistaken for two links through that node.
fn detour(
    theme: &Theme,
    points: &[Point],
    (from, to): (usize, usize),
    (centres, sizes): (&[Point], &[Point]),
) -> Vec<Point> {
    let drawn = |points: &[Point]| {
        let path = clip_start(&smooth(points), centres[from], sizes[from], theme.px(3.0));
        clip_end(&path, centres[to], sizes[to], theme.px(4.0))
    };
    let crosses = |path: &[Point]| {
        let probes = densified(path, theme.px(4.0));
        (0..centres.len())
            .filter(|&v| v != from && v != to)
            .any(|v| {
                probes
                    .iter()
                    .any(|&p| inside(p, centres[v], sizes[v], theme.px(4.0)))
            })
    };
    let straight = drawn(points);
    if points.len() > 2 || !crosses(&straight) {
        return straight;
    }
    [1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 4.0, -4.0]
        .iter()
        .map(|k| {
            let control = bow(points[0], points[1], theme.px(45.0) * k);
            drawn(&[points[0], control, points[1]])
        })
        .find(|path| !crosses(path))
        .unwrap_or(straight)
}

/// Points along a path no further than `step` apart.
fn densified(path: &[Point], step: f64) -> Vec<Point> {
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
fn bow(a: Point, b: Point, offset: f64) -> Point {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length = dx.hypot(dy).max(1e-9);
    (
        (a.0 + b.0) / 2.0 + dy / length * offset,
        (a.1 + b.1) / 2.0 - dx / length * offset,
    )
}

fn inside(p: Point, centre: Point, size: Point, margin: f64) -> bool {
    (p.0 - centre.0).abs() <= size.0 / 2.0 + margin
        && (p.1 - centre.1).abs() <= size.1 / 2.0 + margin
}

/// The path from where it leaves the box around `centre` (grown by `margin`).
fn clip_start(path: &[Point], centre: Point, size: Point, margin: f64) -> Vec<Point> {
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
fn clip_end(path: &[Point], centre: Point, size: Point, margin: f64) -> Vec<Point> {
    let reversed: Vec<Point> = path.iter().rev().copied().collect();
    clip_start(&reversed, centre, size, margin)
        .into_iter()
        .rev()
        .collect()
}

/// The point a fraction of the way along a path, by length.
fn point_along(path: &[Point], fraction: f64) -> Point {
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
fn free_spot(path: &[Point], half: Point, centres: &[Point], sizes: &[Point]) -> Point {
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

/// The path cut short by `by` pixels at its end, so a line stops at the base of its head.
fn shortened(path: &[Point], by: f64) -> Vec<Point> {
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
fn end_direction(path: &[Point], span: f64) -> Point {
    let end = path[path.len() - 1];
    let back = shortened(path, span);
    let from = back.last().copied().unwrap_or(path[0]);
    let (dx, dy) = (end.0 - from.0, end.1 - from.1);
    let length = dx.hypot(dy).max(1e-9);
    (dx / length, dy / length)
}

fn pixels(path: &[Point]) -> Vec<(i32, i32)> {
    path.iter()
        .map(|p| (p.0.round() as i32, p.1.round() as i32))
        .collect()
}

/// Draws a line along `path` with the head of its arrow kind at the end.
fn arrow_path<DB: DrawingBackend>(
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

/// A loop leaving the top edge of a box and returning at its right edge, around the corner.
fn self_loop(theme: &Theme, centre: Point, size: Point) -> Vec<Point> {
    let corner = (centre.0 + size.0 / 2.0, centre.1 - size.1 / 2.0);
    let r = theme.px(18.0);
    (0..=36)
        .map(|i| {
            let angle = std::f64::consts::PI * (1.0 + 1.5 * f64::from(i) / 36.0);
            (corner.0 + r * angle.cos(), corner.1 + r * angle.sin())
        })
        .collect()
}

/// Corners of a rectangle with rounded corners, as a polygon.
fn rounded_rectangle((x0, y0): Point, (x1, y1): Point, radius: f64) -> Vec<(i32, i32)> {
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

fn junction<DB: DrawingBackend>(
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
fn cross<DB: DrawingBackend>(
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
fn tag<DB: DrawingBackend>(
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

/// A node-like box for the legend, outlined with `border` of `width`.
fn legend_box<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (left, y): Point,
    border: RGBColor,
    width: f64,
) -> Result<(), PlotError> {
    let outline = rounded_rectangle(
        (left, y - theme.px(11.0)),
        (left + theme.px(44.0), y + theme.px(11.0)),
        theme.px(6.0),
    );
    root.draw(&Polygon::new(outline.clone(), PAPER.filled()))?;
    let mut closed = outline.clone();
    closed.push(outline[0]);
    root.draw(&PathElement::new(
        closed,
        border.stroke_width(width.round().max(1.0) as u32),
    ))?;
    Ok(())
}
