//! timecourse.png (ode): small multiples of node levels over time, one row per node and one
//! column per intervention, so no intervention's line or band hides another's. Each cell has
//! the intervention's median and 5-95 % band in its colour over the median without
//! intervention (thin grey, for reference), and its dose times as dashed lines. Column heads
//! carry the interventions' full names. Only ode runs record time courses.

use super::outcomes::{self, run_facts};
use super::parts::{self, Swatch};
use super::style::{self, INK, MUTED, Theme};
use super::{Chart, PlotError};
use crate::analysis::RunReport;
use crate::analysis::levels::{NodeCourse, TimeCourse};
use crate::scenario::Scenario;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

/// More rows than this would be too small to read at the default size: the other nodes are
/// left out (those claims are about come first), and the subtitle says how many.
pub const MAX_ROWS: usize = 8;

/// Height of the time axis under the bottom row, at design size.
const X_AXIS: f64 = 44.0;

/// The run without intervention is drawn in grey, behind the interventions.
const BASELINE: RGBColor = RGBColor(120, 120, 120);

/// The time-course chart of one ode run.
pub struct TimecourseChart<'a> {
    scenario: &'a Scenario,
    report: &'a RunReport,
    /// The run without intervention, drawn in every cell for reference.
    baseline: Option<&'a TimeCourse>,
    /// One column each: the interventions that have a time course (the baseline alone when
    /// none has).
    series: Vec<Series<'a>>,
    /// Node indices of the rows, in reading order.
    nodes: Vec<usize>,
}

/// One time course with its legend name and colour.
struct Series<'a> {
    name: &'a str,
    colour: RGBColor,
    course: &'a TimeCourse,
}

impl<'a> TimecourseChart<'a> {
    /// `None` when the report has no time courses (press and fcm runs).
    pub fn new(scenario: &'a Scenario, report: &'a RunReport) -> Option<Self> {
        let baseline = report.baseline.as_ref()?.time_course.as_ref();
        let interventions = report.interventions.iter().filter_map(|i| {
            let course = i.time_course.as_ref()?;
            Some((i.name.as_str(), course))
        });
        let mut series: Vec<Series> = interventions
            .enumerate()
            .map(|(k, (name, course))| Series {
                name,
                colour: style::SERIES[k % style::SERIES.len()],
                course,
            })
            .collect();
        if series.is_empty() {
            series.push(Series {
                name: "no intervention",
                colour: BASELINE,
                course: baseline?,
            });
        }
        let mut nodes = outcomes::display_order(scenario);
        nodes.truncate(MAX_ROWS);
        Some(TimecourseChart {
            scenario,
            report,
            baseline,
            series,
            nodes,
        })
    }

    /// The column heads: the interventions' names, in order.
    pub fn columns(&self) -> Vec<&str> {
        self.series.iter().map(|s| s.name).collect()
    }

    /// The row heads: the nodes' display names, in order.
    pub fn rows(&self) -> Vec<&str> {
        self.nodes
            .iter()
            .map(|&v| self.scenario.display_name(v))
            .collect()
    }

    fn subtitle(&self) -> String {
        let shown = if self.nodes.len() < self.scenario.nodes.len() {
            format!(
                " · {} of {} nodes shown, those claims are about first",
                self.nodes.len(),
                self.scenario.nodes.len()
            )
        } else {
            String::new()
        };
        format!(
            "Level of each node (row) over time under each intervention (column): median and 5-95 % band across samples, the median without intervention in grey · {}{shown}",
            run_facts(self.report)
        )
    }

    fn time_unit(&self) -> &str {
        &self.series[0].course.time_unit
    }

    fn courses(&self) -> impl Iterator<Item = &TimeCourse> {
        self.series.iter().map(|s| s.course).chain(self.baseline)
    }

    /// The common axes of every panel: time from the first to the last point, levels from 0 to
    /// at least 1 (the ode levels' usual range), so panels compare at a glance.
    fn ranges(&self) -> ((f64, f64), (f64, f64)) {
        let times = self.courses().flat_map(|c| c.times.iter());
        let (t0, t1) = times.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &t| {
            (lo.min(t), hi.max(t))
        });
        let highest = self
            .courses()
            .flat_map(|c| &c.nodes)
            .flat_map(|n| n.q95.iter().copied())
            .filter(|v| v.is_finite())
            .fold(1.0_f64, f64::max);
        let t1 = if t1 > t0 { t1 } else { t0 + 1.0 };
        ((t0, t1), (0.0, highest * 1.04))
    }

    fn legend(&self) -> Vec<(Swatch, String)> {
        let mut entries = vec![
            (
                Swatch::Bar(INK),
                "median, in the column's colour".to_string(),
            ),
            (Swatch::Fill(style::LIGHT), "5-95 % band".to_string()),
        ];
        if self.baseline.is_some() && self.series[0].name != "no intervention" {
            entries.push((
                Swatch::Bar(BASELINE),
                "median without intervention".to_string(),
            ));
        }
        if self.series.iter().any(|s| !s.course.doses.is_empty()) {
            entries.push((Swatch::DashedRule, "dose".to_string()));
        }
        entries
    }
}

impl Chart for TimecourseChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let theme = Theme::new(root.dim_in_pixel());
        let (width, height) = root.dim_in_pixel();
        let top = parts::header(root, &theme, &self.scenario.title, &self.subtitle())?;
        let legend_y = height as i32 - theme.ipx(parts::MARGIN);
        let margin = theme.ipx(parts::MARGIN);
        let labels = self.row_labels(&theme)?;
        let label_right = margin + labels.0;
        let heads = self.column_heads(&theme, f64::from(width as i32 - label_right - margin))?;
        let head_font = theme.panel_title();
        let heads_height = (style::line_height(&head_font) * heads.1 as f64).round() as i32;
        let grid_top = top + heads_height + theme.ipx(8.0);
        let grid_bottom = legend_y - theme.ipx(30.0);
        let (rows, columns) = (self.nodes.len(), self.series.len());
        let cell_width = f64::from(width as i32 - margin - label_right) / columns as f64;
        // The bottom row also holds the time axis: its plot is as tall as the others'.
        let axis = theme.px(X_AXIS);
        let cell_height = (f64::from(grid_bottom - grid_top) - axis) / rows.max(1) as f64;
        let ranges = self.ranges();
        for (c, (series, head)) in self.series.iter().zip(&heads.0).enumerate() {
            let left = label_right + (cell_width * c as f64).round() as i32;
            let centre = left + (cell_width / 2.0).round() as i32;
            let y = top + heads_height / 2;
            parts::text_block(root, head, (centre, y), &head_font, INK, HPos::Center)?;
            for (r, &node) in self.nodes.iter().enumerate() {
                let cell_top = grid_top + (cell_height * r as f64).round() as i32;
                let place = Place {
                    bottom_row: r + 1 == rows,
                    left_column: c == 0,
                };
                let height = cell_height + if place.bottom_row { axis } else { 0.0 };
                let cell = root.clone().shrink(
                    (left, cell_top),
                    (cell_width.round() as u32, height.round() as u32),
                );
                self.cell(&cell, &theme, node, series, ranges, place)?;
            }
        }
        for (r, lines) in labels.1.iter().enumerate() {
            let centre = grid_top + (cell_height * (r as f64 + 0.45)).round() as i32;
            let font = theme.bold(15.0);
            parts::text_block(root, lines, (margin, centre), &font, INK, HPos::Left)?;
        }
        parts::legend_row(root, &theme, &self.legend(), (width as i32 / 2, legend_y))
    }
}

impl TimecourseChart<'_> {
    /// The node names wrapped to at most three lines, and the widest line's width.
    fn row_labels(&self, theme: &Theme) -> Result<(i32, Vec<Vec<String>>), PlotError> {
        let font = theme.bold(15.0);
        let room = theme.px(170.0);
        let mut widest: f64 = 0.0;
        let mut labels = Vec::new();
        for name in self.rows() {
            let lines = style::wrap(name, &font, room, 3)?;
            for line in &lines {
                widest = widest.max(style::text_width(line, &font)?);
            }
            labels.push(lines);
        }
        Ok(((widest + theme.px(16.0)).round() as i32, labels))
    }

    /// The interventions' names wrapped to fit their columns (up to three lines, all heads
    /// given the height of the tallest), and that number of lines.
    fn column_heads(
        &self,
        theme: &Theme,
        room: f64,
    ) -> Result<(Vec<Vec<String>>, usize), PlotError> {
        let font = theme.panel_title();
        let width = room / self.series.len() as f64 - theme.px(16.0);
        let mut heads = Vec::new();
        for s in &self.series {
            heads.push(style::wrap(s.name, &font, width, 3)?);
        }
        let lines = heads.iter().map(Vec::len).max().unwrap_or(1);
        Ok((heads, lines))
    }
}

/// Where a cell sits: tick labels and axis descriptions only along the outer edges.
#[derive(Clone, Copy)]
struct Place {
    bottom_row: bool,
    left_column: bool,
}

impl TimecourseChart<'_> {
    /// One cell: one node under one intervention, over the node's median without
    /// intervention.
    fn cell<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
        node: usize,
        series: &Series,
        ((t0, t1), (y0, y1)): ((f64, f64), (f64, f64)),
        place: Place,
    ) -> Result<(), PlotError> {
        let mut chart = ChartBuilder::on(area)
            .margin_right(theme.ipx(12.0))
            .margin_top(theme.ipx(12.0))
            .x_label_area_size(theme.ipx(if place.bottom_row { X_AXIS } else { 0.0 }))
            .y_label_area_size(theme.ipx(if place.left_column { 52.0 } else { 10.0 }))
            .build_cartesian_2d(t0..t1, y0..y1)?;
        let x_desc = if place.bottom_row {
            format!("time ({})", self.time_unit())
        } else {
            String::new()
        };
        let y_desc = if place.left_column { "level" } else { "" };
        let mut mesh = chart.configure_mesh();
        // The same three level lines in every cell (their numbers only in the left column),
        // none between them: light lines every tenth drew stripes across the left column only.
        let y_number = |v: &f64| match place.left_column {
            true => style::format_number(*v),
            false => String::new(),
        };
        mesh.disable_x_mesh()
            .max_light_lines(0)
            .bold_line_style(style::LIGHT)
            .axis_style(MUTED)
            .x_labels(if place.bottom_row { 4 } else { 0 })
            .y_labels(3)
            .x_label_formatter(&|t| style::format_number(*t))
            .y_label_formatter(&y_number)
            .label_style(theme.small().color(&INK))
            .axis_desc_style(theme.small().color(&INK))
            .x_desc(x_desc)
            .y_desc(y_desc);
        mesh.draw()?;
        let name = &self.scenario.nodes[node].name;
        dose_lines(&mut chart, theme, series, (y0, y1))?;
        let reference = self
            .baseline
            .filter(|_| series.colour != BASELINE)
            .and_then(|b| Some((b, b.nodes.iter().find(|c| &c.node == name)?)));
        if let Some((course, node_course)) = reference {
            median_line(
                &mut chart,
                &course.times,
                node_course,
                (BASELINE, theme.px(1.5)),
            )?;
        }
        if let Some(course) = series.course.nodes.iter().find(|c| &c.node == name) {
            band(
                &mut chart,
                &series.course.times,
                course,
                (series.colour, theme.px(2.5)),
            )?;
        }
        Ok(())
    }
}

type Panel<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The 5-95 % band, lightly filled, and the median over it drawn `pen` pixels wide.
fn band<DB: DrawingBackend>(
    chart: &mut Panel<'_, DB>,
    times: &[f64],
    course: &NodeCourse,
    (colour, pen): (RGBColor, f64),
) -> Result<(), PlotError> {
    let mut outline = finite_points(times, &course.q05);
    outline.extend(finite_points(times, &course.q95).into_iter().rev());
    chart.draw_series(std::iter::once(Polygon::new(
        outline,
        colour.mix(0.22).filled(),
    )))?;
    median_line(chart, times, course, (colour, pen))
}

/// The median over time, `pen` pixels wide.
fn median_line<DB: DrawingBackend>(
    chart: &mut Panel<'_, DB>,
    times: &[f64],
    course: &NodeCourse,
    (colour, pen): (RGBColor, f64),
) -> Result<(), PlotError> {
    chart.draw_series(LineSeries::new(
        finite_points(times, &course.median),
        colour.stroke_width(pen.round().max(1.0) as u32),
    ))?;
    Ok(())
}

/// The `(time, value)` points whose value is finite (a series may hold NaN where no draw ran).
fn finite_points(times: &[f64], values: &[f64]) -> Vec<(f64, f64)> {
    times
        .iter()
        .zip(values)
        .filter(|(_, v)| v.is_finite())
        .map(|(t, v)| (*t, *v))
        .collect()
}

/// A dashed vertical line at every dose of one series, in its colour.
fn dose_lines<DB: DrawingBackend>(
    chart: &mut Panel<'_, DB>,
    theme: &Theme,
    series: &Series,
    (y0, y1): (f64, f64),
) -> Result<(), PlotError> {
    let stroke = series.colour.stroke_width(theme.ipx(1.5).max(1) as u32);
    chart.draw_series(series.course.doses.iter().map(|dose| {
        DashedPathElement::new(
            vec![(dose.time, y0), (dose.time, y1)],
            theme.ipx(6.0),
            theme.ipx(4.0),
            stroke,
        )
    }))?;
    Ok(())
}
