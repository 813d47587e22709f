//! timecourse.png (ode): small multiples of node levels over time, one panel per node, each
//! with the median and 5-95 % band of the run without intervention and of every intervention,
//! and the dose times as dashed lines. Only ode runs record time courses.

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

/// More panels than this would be too small to read at the default size: the rest are left
/// out, and the subtitle says how many.
pub const MAX_PANELS: usize = 12;

/// The run without intervention is drawn in grey, behind the interventions.
const BASELINE: RGBColor = RGBColor(120, 120, 120);

/// The time-course chart of one ode run.
pub struct TimecourseChart<'a> {
    scenario: &'a Scenario,
    report: &'a RunReport,
    /// The time courses drawn: the baseline's first, then the interventions that have one.
    series: Vec<Series<'a>>,
    /// Node indices of the panels, in reading order.
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
        let mut series = Vec::new();
        if let Some(course) = report.baseline.as_ref()?.time_course.as_ref() {
            series.push(Series {
                name: "no intervention",
                colour: BASELINE,
                course,
            });
        }
        let interventions = report.interventions.iter().filter_map(|i| {
            let course = i.time_course.as_ref()?;
            Some((i.name.as_str(), course))
        });
        for (k, (name, course)) in interventions.enumerate() {
            series.push(Series {
                name,
                colour: style::SERIES[k % style::SERIES.len()],
                course,
            });
        }
        if series.is_empty() {
            return None;
        }
        let mut nodes = outcomes::display_order(scenario);
        nodes.truncate(MAX_PANELS);
        Some(TimecourseChart {
            scenario,
            report,
            series,
            nodes,
        })
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
            "Level of each node over time: median and 5-95 % band across samples, without intervention and under each intervention · {}{shown}",
            run_facts(self.report)
        )
    }

    fn time_unit(&self) -> &str {
        &self.series[0].course.time_unit
    }

    /// The common axes of every panel: time from the first to the last point, levels from 0 to
    /// at least 1 (the ode levels' usual range), so panels compare at a glance.
    fn ranges(&self) -> ((f64, f64), (f64, f64)) {
        let times = self.series.iter().flat_map(|s| s.course.times.iter());
        let (t0, t1) = times.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &t| {
            (lo.min(t), hi.max(t))
        });
        let highest = self
            .series
            .iter()
            .flat_map(|s| &s.course.nodes)
            .flat_map(|n| n.q95.iter().copied())
            .filter(|v| v.is_finite())
            .fold(1.0_f64, f64::max);
        let t1 = if t1 > t0 { t1 } else { t0 + 1.0 };
        ((t0, t1), (0.0, highest * 1.04))
    }

    fn legend(&self, theme: &Theme, width: f64) -> Result<Vec<(Swatch, String)>, PlotError> {
        let mut entries = Vec::new();
        let has_doses = self.series.iter().any(|s| !s.course.doses.is_empty());
        // Room per entry, so that a long intervention name is shortened rather than run off
        // the canvas.
        let count = self.series.len() + 1 + usize::from(has_doses);
        let room = (width / count as f64 - theme.px(60.0)).max(theme.px(60.0));
        for s in &self.series {
            let name = style::abbreviate(s.name, &theme.tick(), room)?;
            entries.push((Swatch::Bar(s.colour), name));
        }
        entries.push((Swatch::Fill(style::LIGHT), "5-95 % band".to_string()));
        if has_doses {
            entries.push((
                Swatch::DashedRule,
                "dose, in its intervention's colour".to_string(),
            ));
        }
        Ok(entries)
    }
}

/// Rows and columns for `n` panels on a wide canvas: at most four columns.
fn grid(n: usize) -> (usize, usize) {
    let columns = match n {
        0..=3 => n.max(1),
        4 => 2,
        5..=9 => 3,
        _ => 4,
    };
    (n.div_ceil(columns), columns)
}

impl Chart for TimecourseChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let theme = Theme::new(root.dim_in_pixel());
        let (width, height) = root.dim_in_pixel();
        let top = parts::header(root, &theme, &self.scenario.title, &self.subtitle())?;
        let legend_y = height as i32 - theme.ipx(parts::MARGIN);
        let margin = theme.ipx(parts::MARGIN);
        let area = root.margin(
            top.max(0) as u32,
            (height as i32 - legend_y + theme.ipx(24.0)).max(0) as u32,
            (margin / 2).max(0) as u32,
            margin.max(0) as u32,
        );
        let (rows, columns) = grid(self.nodes.len());
        let ranges = self.ranges();
        for (k, (panel, &node)) in area
            .split_evenly((rows, columns))
            .iter()
            .zip(&self.nodes)
            .enumerate()
        {
            let place = Place {
                bottom_row: k + columns >= self.nodes.len(),
                left_column: k % columns == 0,
            };
            self.panel(panel, &theme, node, ranges, place)?;
        }
        let legend = self.legend(&theme, f64::from(width))?;
        parts::legend_row(root, &theme, &legend, (width as i32 / 2, legend_y))
    }
}

/// Where a panel sits: axis descriptions only along the outer edges, where they are read.
#[derive(Clone, Copy)]
struct Place {
    bottom_row: bool,
    left_column: bool,
}

impl TimecourseChart<'_> {
    fn panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
        node: usize,
        ((t0, t1), (y0, y1)): ((f64, f64), (f64, f64)),
        place: Place,
    ) -> Result<(), PlotError> {
        let (panel_width, _) = area.dim_in_pixel();
        let title_font = theme.panel_title();
        let room = f64::from(panel_width) - theme.px(80.0);
        let title = style::abbreviate(self.scenario.display_name(node), &title_font, room)?;
        let mut chart = ChartBuilder::on(area)
            .caption(title, title_font)
            .margin_right(theme.ipx(16.0))
            .margin_top(theme.ipx(4.0))
            .x_label_area_size(theme.ipx(if place.bottom_row { 52.0 } else { 30.0 }))
            .y_label_area_size(theme.ipx(if place.left_column { 62.0 } else { 44.0 }))
            .build_cartesian_2d(t0..t1, y0..y1)?;
        let x_desc = if place.bottom_row {
            format!("time ({})", self.time_unit())
        } else {
            String::new()
        };
        let y_desc = if place.left_column { "level" } else { "" };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(style::LIGHT.mix(0.5))
            .bold_line_style(style::LIGHT)
            .axis_style(MUTED)
            .x_labels(5)
            .y_labels(5)
            .x_label_formatter(&|t| style::format_number(*t))
            .y_label_formatter(&|v| style::format_number(*v))
            .label_style(theme.small().color(&INK))
            .axis_desc_style(theme.label().color(&INK))
            .x_desc(x_desc)
            .y_desc(y_desc)
            .draw()?;
        let name = &self.scenario.nodes[node].name;
        for s in &self.series {
            dose_lines(&mut chart, theme, s, (y0, y1))?;
        }
        let count = self.series.len();
        for (k, s) in self.series.iter().enumerate() {
            if let Some(course) = s.course.nodes.iter().find(|c| &c.node == name) {
                // Earlier series are drawn wider, so that a median another one covers still
                // shows at its edges.
                let pen = theme.px(2.5 + (count - 1 - k).min(2) as f64);
                band(&mut chart, &s.course.times, course, (s.colour, pen))?;
            }
        }
        Ok(())
    }
}

type Panel<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The 5-95 % band, lightly filled so that overlapping bands stay visible, and the median over
/// it drawn `pen` pixels wide.
fn band<DB: DrawingBackend>(
    chart: &mut Panel<'_, DB>,
    times: &[f64],
    course: &NodeCourse,
    (colour, pen): (RGBColor, f64),
) -> Result<(), PlotError> {
    let finite = |(t, v): (&f64, &f64)| v.is_finite().then_some((*t, *v));
    let mut outline: Vec<(f64, f64)> = times.iter().zip(&course.q05).filter_map(finite).collect();
    outline.extend(
        times
            .iter()
            .zip(&course.q95)
            .rev()
            .filter_map(finite)
            .collect::<Vec<_>>(),
    );
    chart.draw_series(std::iter::once(Polygon::new(
        outline,
        colour.mix(0.12).filled(),
    )))?;
    // A faint edge tells overlapping bands apart where their fills blend.
    for edge in [&course.q05, &course.q95] {
        let points: Vec<(f64, f64)> = times.iter().zip(edge).filter_map(finite).collect();
        chart.draw_series(LineSeries::new(points, colour.mix(0.45).stroke_width(1)))?;
    }
    let median: Vec<(f64, f64)> = times
        .iter()
        .zip(&course.median)
        .filter_map(finite)
        .collect();
    chart.draw_series(LineSeries::new(
        median,
        colour.stroke_width(pen.round().max(1.0) as u32),
    ))?;
    Ok(())
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
