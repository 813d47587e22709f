//! network.png: the scenario's network with an automatic layout ([`super::layout`]):
//! activation arrows and inhibition tees in distinct colours, dashed unknown-sign and optional
//! links, AND gates as small junctions, pressed nodes outlined, and (after a run) nodes
//! coloured by P(up) - P(down) under one intervention, with a legend.

use super::layout::{self, Placement};
use super::marks::{self, JUNCTION_RADIUS, Stroke, arrow_path, cross, junction, tag};
use super::parts::{self, MARGIN};
use super::paths::{self, Point, bow};
use super::style::{self, INK, LIGHT, MUTED, PAPER, Theme};
use super::{Chart, PlotError};
use crate::analysis::{InterventionReport, RunReport};
use crate::scenario::Scenario;
use crate::scenario::links::Arrow;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

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

/// Method names that end chart file names under `--method all` (`network-ode.png`): an
/// intervention slug never equals one, so `network-<slug>` cannot be read as a method's chart.
const METHOD_WORDS: [&str; 4] = ["press", "ode", "fcm", "all"];

/// One file-name-safe slug per intervention, in order, for `network-<slug>.png`: the name in
/// lower case, runs of anything but ASCII letters and digits as one `-`. A slug that is empty,
/// repeats an earlier one or is a method name gets `-2`, `-3`, ... (`intervention` when empty).
pub fn intervention_slugs(scenario: &Scenario) -> Vec<String> {
    let mut taken: Vec<String> = METHOD_WORDS.iter().map(|w| w.to_string()).collect();
    let mut slugs = Vec::new();
    for intervention in &scenario.interventions {
        let mut wanted = String::new();
        for c in intervention.name.chars() {
            if c.is_ascii_alphanumeric() {
                wanted.push(c.to_ascii_lowercase());
            } else if !wanted.is_empty() && !wanted.ends_with('-') {
                wanted.push('-');
            }
        }
        let mut wanted = wanted.trim_end_matches('-').to_string();
        if wanted.is_empty() {
            wanted = "intervention".to_string();
        }
        let unique = std::iter::once(wanted.clone())
            .chain((2..).map(|k| format!("{wanted}-{k}")))
            .find(|candidate| !taken.contains(candidate))
            .unwrap_or_default();
        taken.push(unique.clone());
        slugs.push(unique);
    }
    slugs
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

/// A node's box: wrapped label lines, the net-change line, size.
struct NodeBox {
    lines: Vec<String>,
    value: Option<String>,
    size: Point,
}

/// Design-size geometry of the drawing.
const PAD_X: f64 = 12.0;
const PAD_Y: f64 = 8.0;
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

/// Where the chart put everything, in canvas pixels, so a page can draw the same picture
/// itself (`claimsim serve`): node boxes (then gate junctions) and each line's path.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Geometry {
    pub size: (u32, u32),
    /// Node label size in pixels.
    pub font_size: f64,
    pub nodes: Vec<Shape>,
    pub lines: Vec<LineShape>,
}

/// A node box (or, after the nodes, a gate junction with no label).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Shape {
    pub centre: Point,
    pub size: Point,
    /// The wrapped label, one string per line.
    pub lines: Vec<String>,
}

/// One drawn line: a link, or one leg of a gate, from vertex to vertex.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LineShape {
    /// The scenario link it draws.
    pub link: usize,
    pub from: usize,
    pub to: usize,
    /// `->`, `-|` or `-?`.
    pub arrow: &'static str,
    pub path: Vec<Point>,
}

impl Chart for NetworkChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        self.draw_measured(root).map(|_| ())
    }
}

impl NetworkChart<'_> {
    /// Draws the chart and returns where everything went.
    pub fn draw_measured<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<Geometry, PlotError> {
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
        let (boxes, font, mut placed) = self.fit_boxes(&theme, &plan)?;
        let design_sizes: Vec<Point> = boxes
            .iter()
            .map(|b| (b.size.0 / unit, b.size.1 / unit))
            .collect();
        fill_height(&mut placed, &design_sizes, area.1 / unit);
        let offset = (left, f64::from(top) + theme.px(6.0));
        let to_canvas = |p: &Point| (p.0 * unit + offset.0, p.1 * unit + offset.1);
        let centres: Vec<Point> = placed.centres.iter().map(to_canvas).collect();
        let sizes: Vec<Point> = boxes.iter().map(|b| b.size).collect();
        let mut marks = Vec::new();
        let mut line_shapes = Vec::new();
        for (index, route) in placed.routes.iter().enumerate() {
            let route = route.iter().map(to_canvas).collect();
            let (mark, path) =
                self.draw_line(root, &theme, &lines, index, route, (&centres, &sizes))?;
            marks.extend(mark);
            let line = lines[index];
            line_shapes.push(LineShape {
                link: line.link,
                from: line.from,
                to: line.to,
                arrow: line.arrow.symbol(),
                path,
            });
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
        self.draw_legend(root, &theme, (legend_left, f64::from(top)))?;
        let shapes = (centres.iter().zip(&boxes)).map(|(&centre, b)| Shape {
            centre,
            size: b.size,
            lines: b.lines.clone(),
        });
        Ok(Geometry {
            size: (width, height),
            font_size: font.get_size(),
            nodes: shapes.collect(),
            lines: line_shapes,
        })
    }

    fn subtitle(&self) -> String {
        let quick = match self.uses_quick_layout() {
            true => format!(
                " · quick layout (over {} nodes)",
                layout::QUICK_LAYOUT_VERTICES
            ),
            false => String::new(),
        };
        self.subtitle_text() + &quick
    }

    /// True when the network is drawn with the quick layout (over
    /// [`layout::QUICK_LAYOUT_VERTICES`] nodes and gate junctions).
    pub fn uses_quick_layout(&self) -> bool {
        self.scenario.nodes.len() + self.junction_count() > layout::QUICK_LAYOUT_VERTICES
    }

    fn subtitle_text(&self) -> String {
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
        // The quick layout tries the smallest text only: the larger ones would not fit anyway.
        let tries = match plan.is_quick() {
            true => &NODE_TEXT[NODE_TEXT.len() - 1..],
            false => &NODE_TEXT[..],
        };
        for &(size, narrowing) in tries {
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
    ) -> Result<(Option<Mark>, Vec<Point>), PlotError> {
        let line = lines[index];
        let stroke = self.stroke(&line);
        if line.from == line.to {
            let path = paths::self_loop(centres[line.from], sizes[line.from], theme.px(18.0));
            arrow_path(root, theme, &path, line.arrow, stroke)?;
            return Ok((None, path));
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
        let path = paths::detour(&points, ends, (centres, sizes), theme.px(1.0));
        arrow_path(root, theme, &path, line.arrow, stroke)?;
        let link = &self.scenario.links[line.link];
        // A gate's presence is marked once, on the leg into its target.
        let last_leg = line.to < self.scenario.nodes.len();
        let free = |half: Point| paths::free_spot_beside(&path, half, centres, sizes);
        if self.blocked(line.link) && last_leg {
            // The cross goes on the line it cuts.
            let half = (theme.px(8.0), theme.px(8.0));
            let mark = Mark::Cross(paths::free_spot(&path, half, centres, sizes));
            return Ok((Some(mark), path));
        }
        if link.present < 1.0 && last_leg {
            let label = format!("p = {}", link.present);
            let font = theme.small();
            let half = (
                style::text_width(&label, &font)? / 2.0 + theme.px(4.0),
                style::line_height(&font) / 2.0,
            );
            let mark = Mark::Tag(label, free(half));
            return Ok((Some(mark), path));
        }
        Ok((None, path))
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
        let half = (node.size.0 / 2.0, node.size.1 / 2.0);
        let corners = (
            (centre.0 - half.0, centre.1 - half.1),
            (centre.0 + half.0, centre.1 + half.1),
        );
        let border = if self.pressed(v) {
            (INK, theme.px(4.0))
        } else {
            (MUTED, theme.px(1.5))
        };
        marks::rounded_box(root, corners, theme.px(8.0), fill, border)?;
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
            (Arrow::Raises, solid(ACTIVATES), "activates (->)"),
            (Arrow::Lowers, solid(INHIBITS), "inhibits (-|)"),
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
                    colour: ACTIVATES,
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
        let sample = (
            (left, y - theme.px(11.0)),
            (left + theme.px(44.0), y + theme.px(11.0)),
        );
        marks::rounded_box(root, sample, theme.px(6.0), PAPER, (INK, theme.px(4.0)))?;
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
            parts::colour_bar(root, theme, "node colour: P(up) − P(down)", (left, y))?;
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

/// Link colours: kept apart from the up and down colours the nodes are filled with (Paul
/// Tol's green and wine), so a line never reads as a node's change.
pub const ACTIVATES: RGBColor = RGBColor(17, 119, 51);
pub const INHIBITS: RGBColor = RGBColor(136, 34, 85);

pub fn arrow_colour(arrow: Arrow) -> RGBColor {
    match arrow {
        Arrow::Raises => ACTIVATES,
        Arrow::Lowers => INHIBITS,
        Arrow::Unknown => MUTED,
    }
}

/// Spreads the layout vertically to use the height of the drawing area (at most doubling the
/// distances, so a small network does not fly apart), centred in it. Boxes only move apart,
/// so a layout without overlaps keeps none. Design units.
fn fill_height(placed: &mut Placement, sizes: &[Point], height: f64) {
    let ys = placed.centres.iter().map(|c| c.1);
    let (low, high) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| {
        (lo.min(y), hi.max(y))
    });
    let tallest = sizes.iter().map(|s| s.1).fold(0.0, f64::max);
    let span = high - low;
    if !(span.is_finite() && span > 0.0) {
        return;
    }
    let k = ((height - tallest - 8.0) / span).clamp(1.0, 2.0);
    let middle = (low + high) / 2.0;
    let moved = |y: f64| height / 2.0 + (y - middle) * k;
    for c in &mut placed.centres {
        c.1 = moved(c.1);
    }
    for p in placed.routes.iter_mut().flatten() {
        p.1 = moved(p.1);
    }
}

/// "+0.42", "−1.00": the net change written in a node.
pub(super) fn signed(net: f64) -> String {
    if net < -0.005 {
        format!("\u{2212}{:.2}", -net)
    } else if net > 0.005 {
        format!("+{net:.2}")
    } else {
        "0.00".to_string()
    }
}
