//! outcomes.png: for each intervention, one horizontal stacked bar per node of P(down),
//! P(no change) and P(up), with the 95 % Wilson interval of P(down) and P(up) marked where the
//! segments meet. Interventions sit side by side with their rows aligned, so a what-if
//! comparison is one picture.

use super::layout;
use super::panels;
use super::panels::Shares;
use super::parts::{self, PanelGrid, Swatch};
use super::style::{self, DOWN, INK, NEUTRAL, Theme, UP};
use super::{Chart, PlotError};
use crate::analysis::RunReport;
use crate::scenario::Scenario;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// What a split row shows, for the legend.
pub const GIVEN_LEGEND: &str = "a row split in two: upper bar on the draws in which the claim's own uncertain links are present, as its verdict is judged; lower, paler bar on all draws";

/// The outcome chart of one run.
pub struct OutcomesChart<'a> {
    scenario: &'a Scenario,
    report: &'a RunReport,
    order: &'a [usize],
}

impl<'a> OutcomesChart<'a> {
    /// `order`: node indices top to bottom (see [`display_order`]).
    pub fn new(scenario: &'a Scenario, report: &'a RunReport, order: &'a [usize]) -> Self {
        OutcomesChart {
            scenario,
            report,
            order,
        }
    }
}

/// Nodes in reading order: the readouts the expectations are about first, then the other
/// nodes, then the pressed inputs; within a group, the most downstream first (by layer of the
/// layered layout), then file order.
pub fn display_order(scenario: &Scenario) -> Vec<usize> {
    let edges: Vec<(usize, usize)> = scenario.edges().map(|e| (e.from, e.to)).collect();
    let depth = layout::depths(scenario.nodes.len(), &edges);
    let pressed = |v: usize| {
        scenario
            .interventions
            .iter()
            .any(|i| i.press.iter().any(|&(p, _)| p == v))
    };
    let readout = |v: usize| scenario.expectations.iter().any(|e| e.node == v);
    let group = |v: usize| match (readout(v), pressed(v)) {
        (true, _) => 0,
        (false, false) => 1,
        (false, true) => 2,
    };
    let mut order: Vec<usize> = (0..scenario.nodes.len()).collect();
    order.sort_by_key(|&v| (group(v), std::cmp::Reverse(depth[v]), v));
    order
}

/// Row labels in `order`, emphasised for the nodes a claim is about.
pub(super) fn row_labels(scenario: &Scenario, order: &[usize]) -> Vec<(String, bool)> {
    order
        .iter()
        .map(|&v| {
            let readout = scenario.expectations.iter().any(|e| e.node == v);
            (scenario.display_name(v).to_string(), readout)
        })
        .collect()
}

/// The legend entry explaining emphasised row labels, when some are.
pub(super) fn readout_legend(scenario: &Scenario) -> Option<(Swatch, String)> {
    (!scenario.expectations.is_empty())
        .then(|| (Swatch::Bold("bold"), "node a claim is about".to_string()))
}

/// "10000 samples, seed 1" style run facts for subtitles.
pub fn run_facts(report: &RunReport) -> String {
    format!(
        "{} method, {} samples, seed {}",
        report.method, report.samples, report.seed
    )
}

impl Chart for OutcomesChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let theme = Theme::new(root.dim_in_pixel());
        let (width, height) = root.dim_in_pixel();
        let support = self.scenario.simulation.support;
        let subtitle = format!(
            "Probability that each node goes down, stays unchanged or goes up · a direction is supported when its segment crosses the dashed line at {} · {}",
            style::format_number(support),
            run_facts(self.report)
        );
        let top = parts::header(root, &theme, &self.scenario.title, &subtitle)?;
        let rows = panels::panel_rows(self.report);
        let given = rows
            .iter()
            .flat_map(|r| &r.panels)
            .any(|p| !p.given.is_empty());
        // A second legend line explains the split rows of claims judged on some draws only.
        let last_line = height as i32 - theme.ipx(parts::MARGIN);
        let legend_y = last_line - if given { theme.ipx(30.0) } else { 0 };
        let labels = row_labels(self.scenario, self.order);
        let area = (top, legend_y - theme.ipx(24.0));
        let grids = panels::layout(root, &theme, area, &labels, &rows)?;
        for (grid, row) in grids.iter().zip(&rows) {
            grid.draw_frame(root, &theme)?;
            for (panel, column) in grid.panels.iter().zip(&row.panels) {
                self.draw_panel(root, &theme, grid, *panel, column)?;
            }
        }
        let mut legend = vec![
            (Swatch::Fill(DOWN), "down".to_string()),
            (Swatch::Fill(NEUTRAL), "no change".to_string()),
            (Swatch::Fill(UP), "up".to_string()),
            (
                Swatch::Whisker,
                "95 % interval of P(down) and P(up)".to_string(),
            ),
            (
                Swatch::DashedRule,
                format!("support threshold {}", style::format_number(support)),
            ),
        ];
        legend.extend(readout_legend(self.scenario));
        parts::legend_row(root, &theme, &legend, (width as i32 / 2, legend_y))?;
        if given {
            parts::legend_row(
                root,
                &theme,
                &[(Swatch::Split, GIVEN_LEGEND.to_string())],
                (width as i32 / 2, last_line),
            )?;
        }
        Ok(())
    }
}

impl OutcomesChart<'_> {
    /// One panel: its axis, the support threshold from each side and one bar per node.
    fn draw_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
        grid: &PanelGrid,
        panel: (i32, i32),
        column: &panels::Panel,
    ) -> Result<(), PlotError> {
        let ticks: Vec<(i32, String)> = [0.0, 0.25, 0.5, 0.75, 1.0]
            .iter()
            .map(|&p| (x_at(panel, p), style::format_number(p)))
            .collect();
        let rows = (grid.rows_top, grid.rows_bottom);
        let description = if column.versus {
            "probability, for A − B"
        } else {
            "probability"
        };
        parts::x_axis(root, theme, rows, &ticks, description, panel)?;
        // Down reads from the left and up from the right: the threshold is marked for both,
        // behind the bars so that it shows between them without crossing their numbers.
        let support = self.scenario.simulation.support;
        for p in [support, 1.0 - support] {
            parts::dashed_rule(root, theme, x_at(panel, p), rows)?;
        }
        for (row, &node) in self.order.iter().enumerate() {
            let (centre, pitch) = grid.row(row);
            let shown = column.shown(node);
            if shown.len() == 1 {
                let half = (pitch * 0.34).clamp(2.0, theme.px(22.0)).round() as i32;
                bar(root, theme, panel, (centre, half), &shown[0].0, false)?;
                continue;
            }
            for ((at, half), (shares, given)) in split_row(theme, centre, pitch, shown.len())
                .into_iter()
                .zip(&shown)
            {
                bar(root, theme, panel, (at, half), shares, given.is_none())?;
            }
        }
        Ok(())
    }
}

fn x_at((left, right): (i32, i32), p: f64) -> i32 {
    (f64::from(left) + p.clamp(0.0, 1.0) * f64::from(right - left)).round() as i32
}

/// Centres and half heights of the bars sharing one row: the claims' bars (thick), then the
/// bar over all draws (thinner), top to bottom.
pub(super) fn split_row(theme: &Theme, centre: i32, pitch: f64, count: usize) -> Vec<(i32, i32)> {
    let claims = (count - 1) as f64;
    // Thick bars 2 units tall, the thin one 1.2, gaps 0.3 between bars.
    let units = claims * 2.0 + 1.2 + claims * 0.3;
    let unit = (pitch * 0.8 / units).min(theme.px(16.0));
    let mut y = f64::from(centre) - unit * units / 2.0;
    let mut bars = Vec::new();
    for k in 0..count {
        let height = if k + 1 < count {
            2.0 * unit
        } else {
            1.2 * unit
        };
        let half = (height / 2.0).max(1.0);
        bars.push(((y + half).round() as i32, half.round() as i32));
        y += height + 0.3 * unit;
    }
    bars
}

/// A lighter tint of a bar colour, for the bar over all draws beside a claim's own.
pub(super) fn pale(colour: RGBColor) -> RGBColor {
    style::mix(colour, style::WHITE, 0.55)
}

/// One stacked bar: down from the left, up from the right, no change between; `faded` for the
/// bar over all draws beside a claim's own.
fn bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    panel: (i32, i32),
    (centre, half): (i32, i32),
    outcome: &Shares,
    faded: bool,
) -> Result<(), PlotError> {
    if !(outcome.down.is_finite() && outcome.up.is_finite()) {
        let font = theme.small();
        let at = ((panel.0 + panel.1) / 2, centre);
        return parts::text(
            root,
            "not solved",
            at,
            &font,
            INK,
            (HPos::Center, VPos::Center),
        );
    }
    let down_end = outcome.down;
    let up_start = 1.0 - outcome.up;
    let segments = [
        (0.0, down_end, DOWN, outcome.down),
        (down_end, up_start, NEUTRAL, outcome.zero),
        (up_start, 1.0, UP, outcome.up),
    ];
    for (from, to, colour, p) in segments {
        let colour = if faded { pale(colour) } else { colour };
        let (x0, x1) = (x_at(panel, from), x_at(panel, to));
        if x1 <= x0 {
            continue;
        }
        root.draw(&Rectangle::new(
            [(x0, centre - half), (x1, centre + half)],
            colour.filled(),
        ))?;
        segment_label(root, theme, (x0, x1), centre, half, colour, p)?;
    }
    let down_ci = (outcome.down, outcome.down_ci[0], outcome.down_ci[1]);
    let up_ci = (outcome.up, 1.0 - outcome.up_ci[1], 1.0 - outcome.up_ci[0]);
    for (p, lo, hi) in [down_ci, up_ci] {
        let (x0, x1) = (x_at(panel, lo), x_at(panel, hi));
        // Intervals mark the end of a segment: none when the segment is absent, nor when
        // the interval is narrower than the pen.
        if p > 0.0 && x1 - x0 >= theme.ipx(3.0) {
            parts::whisker(root, theme, (x0, x1), centre)?;
        }
    }
    Ok(())
}

/// The probability written inside its segment when the segment is wide and tall enough.
fn segment_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (x0, x1): (i32, i32),
    centre: i32,
    half: i32,
    colour: RGBColor,
    p: f64,
) -> Result<(), PlotError> {
    let font = theme.small();
    let label = format!("{p:.2}");
    let room = f64::from(x1 - x0) - theme.px(10.0);
    if style::text_width(&label, &font)? > room || f64::from(2 * half) < font.get_size() {
        return Ok(());
    }
    let at = ((x0 + x1) / 2, centre);
    parts::text(
        root,
        &label,
        at,
        &font,
        style::text_on(colour),
        (HPos::Center, VPos::Center),
    )
}
