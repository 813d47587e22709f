//! effects.png: how much each node changes under each intervention: the 5-95 % range of its
//! change over the samples, the median and the mean, on a symmetric log scale (linear near
//! zero, logarithmic beyond) because press responses are heavy-tailed, with the baseline
//! (no change) marked. Panels and rows match outcomes.png, split rows included: a claim judged
//! on the draws with its own uncertain links gets its spread on those draws above the paler one
//! over all draws.

use super::panels;
use super::parts::{self, PanelGrid, Swatch};
use super::style::{self, DOWN, INK, MUTED, NEUTRAL, Theme, UP};
use super::{Chart, PlotError};
use crate::analysis::{NodeOutcome, RunReport};
use crate::scenario::Scenario;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The effect-size chart of one run.
pub struct EffectsChart<'a> {
    scenario: &'a Scenario,
    report: &'a RunReport,
    order: &'a [usize],
}

impl<'a> EffectsChart<'a> {
    /// `order`: node indices top to bottom, as in the outcome chart.
    pub fn new(scenario: &'a Scenario, report: &'a RunReport, order: &'a [usize]) -> Self {
        EffectsChart {
            scenario,
            report,
            order,
        }
    }
}

/// Share of the panel width left free at each end of the axis.
const AXIS_INSET: f64 = 0.04;

/// `sign(x) log10(1 + |x| / c)`: linear for |x| well below `c`, logarithmic above, so both
/// small changes and heavy tails are visible on one axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SymLog {
    /// Where the scale turns from linear to logarithmic.
    pub linear_below: f64,
    /// Largest magnitude shown (the axis is symmetric around zero).
    pub limit: f64,
}

impl SymLog {
    /// A scale for these values: the linear part ends at the power of ten just below the
    /// smaller typical magnitudes (the 10th percentile of the nonzero ones), and the axis
    /// reaches the next power of ten above the largest.
    pub fn fitting(values: impl Iterator<Item = f64>) -> SymLog {
        let mut magnitudes: Vec<f64> = values
            .map(f64::abs)
            .filter(|v| v.is_finite() && *v > 0.0)
            .collect();
        if magnitudes.is_empty() {
            return SymLog {
                linear_below: 1.0,
                limit: 10.0,
            };
        }
        magnitudes.sort_by(f64::total_cmp);
        let small = magnitudes[magnitudes.len() / 10];
        let largest = magnitudes[magnitudes.len() - 1];
        let linear_below = 10f64.powf(small.log10().floor());
        let limit = 10f64.powf(largest.log10().ceil()).max(linear_below * 10.0);
        SymLog {
            linear_below,
            limit,
        }
    }

    pub fn forward(&self, x: f64) -> f64 {
        x.signum() * (1.0 + x.abs() / self.linear_below).log10()
    }

    /// Position of `x` as a fraction of the panel width: the axis ends are inset a little so
    /// that the end labels of neighbouring panels do not run together.
    pub fn fraction(&self, x: f64) -> f64 {
        let end = self.forward(self.limit);
        let centred = self.forward(x.clamp(-self.limit, self.limit)) / (2.0 * end);
        0.5 + centred * (1.0 - 2.0 * AXIS_INSET)
    }

    /// Tick values: zero and powers of ten on both sides, from the decade above the linear
    /// part (the threshold itself sits too close to zero to label) up to the limit, thinned to
    /// at most `max_per_side` per side.
    pub fn ticks(&self, max_per_side: usize) -> Vec<f64> {
        let first = self.linear_below.log10().round() as i32 + 1;
        let last = self.limit.log10().round() as i32;
        let count = (last - first + 1).max(1) as usize;
        let step = count.div_ceil(max_per_side.max(1)).max(1);
        let powers: Vec<f64> = (first..=last.max(first))
            .rev()
            .step_by(step)
            .map(|e| 10f64.powi(e))
            .collect();
        let mut ticks: Vec<f64> = powers.iter().map(|p| -p).collect();
        ticks.push(0.0);
        ticks.extend(powers.iter().rev());
        ticks
    }
}

impl Chart for EffectsChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let theme = Theme::new(root.dim_in_pixel());
        let (width, height) = root.dim_in_pixel();
        let rows = panels::panel_rows(self.report);
        // One scale for every panel, so that bars compare across them, the claims' own
        // spreads included.
        let scale = SymLog::fitting(rows.iter().flat_map(|row| {
            row.panels.iter().flat_map(|p| {
                let given = p.given.iter().filter_map(|g| g.spread.as_ref());
                p.nodes
                    .iter()
                    .chain(given)
                    .flat_map(|n| [n.q05, n.median, n.q95, n.mean])
            })
        }));
        let subtitle = format!(
            "Change of each node · arbitrary units, symmetric log scale (linear within ±{}) · {}",
            style::format_number(scale.linear_below),
            super::outcomes::run_facts(self.report)
        );
        let top = parts::header(root, &theme, &self.scenario.title, &subtitle)?;
        let given = rows
            .iter()
            .flat_map(|r| &r.panels)
            .any(|p| p.given.iter().any(|g| g.spread.is_some()));
        // A second legend line explains the split rows, as in outcomes.png.
        let last_line = height as i32 - theme.ipx(parts::MARGIN);
        let legend_y = last_line - if given { theme.ipx(30.0) } else { 0 };
        let labels = super::outcomes::row_labels(self.scenario, self.order);
        let area = (top, legend_y - theme.ipx(24.0));
        let grids = panels::layout(root, &theme, area, &labels, &rows)?;
        for (grid, row) in grids.iter().zip(&rows) {
            grid.draw_frame(root, &theme)?;
            for (panel, column) in grid.panels.iter().zip(&row.panels) {
                self.draw_panel(root, &theme, (grid, *panel), &scale, column)?;
            }
        }
        let mut legend = vec![
            (Swatch::Bar(UP), "5–95 % range, median up".to_string()),
            (Swatch::Bar(DOWN), "5–95 % range, median down".to_string()),
        ];
        // Grey bars only appear for nodes whose median change is zero: explained when drawn.
        let centred = rows.iter().flat_map(|r| &r.panels).any(|p| {
            p.nodes
                .iter()
                .any(|n| n.median == 0.0 && (n.q05 != 0.0 || n.q95 != 0.0))
        });
        if centred {
            legend.push((Swatch::Bar(NEUTRAL), "5–95 % range, median 0".to_string()));
        }
        legend.extend([
            (Swatch::Tick, "median".to_string()),
            (Swatch::Diamond, "mean".to_string()),
            (Swatch::DashedRule, "no change".to_string()),
        ]);
        legend.extend(super::outcomes::readout_legend(self.scenario));
        parts::legend_row(root, &theme, &legend, (width as i32 / 2, legend_y))?;
        if given {
            let split = [(Swatch::Split, super::outcomes::GIVEN_LEGEND.to_string())];
            parts::legend_row(root, &theme, &split, (width as i32 / 2, last_line))?;
        }
        Ok(())
    }
}

impl EffectsChart<'_> {
    /// One panel: its axis, the zero line and one spread per node.
    fn draw_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
        (grid, panel): (&PanelGrid, (i32, i32)),
        scale: &SymLog,
        column: &panels::Panel,
    ) -> Result<(), PlotError> {
        let at = |x: f64| pixel(panel, scale.fraction(x));
        let per_side = (f64::from(panel.1 - panel.0) / theme.px(110.0)).floor() as usize;
        let ticks: Vec<(i32, String)> = scale
            .ticks(per_side.max(1))
            .into_iter()
            .map(|t| (at(t), style::format_number(t)))
            .collect();
        let rows = (grid.rows_top, grid.rows_bottom);
        let description = if column.versus {
            "change under A minus change under B"
        } else {
            "change from no intervention"
        };
        parts::x_axis(root, theme, rows, &ticks, description, panel)?;
        parts::dashed_rule(root, theme, at(0.0), rows)?;
        for (row, &node) in self.order.iter().enumerate() {
            let (centre, pitch) = grid.row(row);
            let shown = column.spreads(node);
            if shown.len() == 1 {
                let half = (pitch * 0.16).clamp(2.0, theme.px(10.0)).round() as i32;
                spread(root, theme, &at, (centre, half, pitch), (shown[0].0, false))?;
                continue;
            }
            // A claim judged on some draws only: its spread above, the one over all draws
            // below it, paler (as outcomes.png splits the row).
            let bars = super::outcomes::split_row(theme, centre, pitch, shown.len());
            for ((at_y, half), (outcome, all)) in bars.into_iter().zip(shown) {
                let pitch = f64::from(4 * half);
                spread(root, theme, &at, (at_y, half, pitch), (outcome, all))?;
            }
        }
        Ok(())
    }
}

fn pixel((left, right): (i32, i32), fraction: f64) -> i32 {
    (f64::from(left) + fraction * f64::from(right - left)).round() as i32
}

/// One node's change: the 5-95 % bar (`half` its half height) coloured by the median's
/// direction, the median as a stroke and the mean as a diamond; `faded` for the bar over all
/// draws beside a claim's own.
fn spread<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    at: &impl Fn(f64) -> i32,
    (centre, half, pitch): (i32, i32, f64),
    (outcome, faded): (&NodeOutcome, bool),
) -> Result<(), PlotError> {
    let values = [outcome.q05, outcome.median, outcome.q95, outcome.mean];
    if values.iter().any(|v| !v.is_finite()) {
        return Ok(());
    }
    if values.iter().all(|&v| v == 0.0) {
        // Unreached nodes: say so rather than leave an empty row.
        let at = (at(0.0) + theme.ipx(10.0), centre);
        let font = theme.small();
        return parts::text(
            root,
            "no change",
            at,
            &font,
            MUTED,
            (HPos::Left, VPos::Center),
        );
    }
    let colour = match outcome.median {
        m if m > 0.0 => UP,
        m if m < 0.0 => DOWN,
        _ => NEUTRAL,
    };
    let colour = if faded {
        super::outcomes::pale(colour)
    } else {
        colour
    };
    let (x0, x1) = (at(outcome.q05), at(outcome.q95));
    root.draw(&Rectangle::new(
        [(x0, centre - half), (x1.max(x0 + 1), centre + half)],
        colour.filled(),
    ))?;
    let tick = (pitch * 0.3).clamp(3.0, theme.px(13.0)).round() as i32;
    let median = at(outcome.median);
    let stroke = theme.ipx(1.5).max(1);
    root.draw(&Rectangle::new(
        [
            (median - stroke, centre - tick),
            (median + stroke, centre + tick),
        ],
        INK.filled(),
    ))?;
    parts::diamond(root, theme, (at(outcome.mean), centre))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symlog_is_symmetric_monotonic_and_centred() {
        let scale = SymLog::fitting([0.05, -3.0, 250.0, 1e4].into_iter());
        assert_eq!(scale.linear_below, 0.01);
        assert_eq!(scale.limit, 1e4);
        assert_eq!(scale.fraction(0.0), 0.5);
        assert!((scale.fraction(-7.0) + scale.fraction(7.0) - 1.0).abs() < 1e-12);
        let points: Vec<f64> = [-1e4, -10.0, -0.001, 0.0, 0.001, 10.0, 1e4]
            .iter()
            .map(|&x| scale.fraction(x))
            .collect();
        assert!(points.windows(2).all(|w| w[0] < w[1]));
        assert!(points[0] >= 0.0 && points[6] <= 1.0);
    }

    #[test]
    fn ticks_are_zero_and_symmetric_decades() {
        let scale = SymLog {
            linear_below: 0.1,
            limit: 1e5,
        };
        let ticks = scale.ticks(3);
        assert!(ticks.contains(&0.0));
        assert_eq!(ticks.len(), 7);
        assert!(ticks.iter().zip(ticks.iter().rev()).all(|(a, b)| *a == -*b));
    }

    #[test]
    fn all_zero_changes_get_a_unit_scale() {
        let scale = SymLog::fitting([0.0, 0.0].into_iter());
        assert_eq!((scale.linear_below, scale.limit), (1.0, 10.0));
    }
}
