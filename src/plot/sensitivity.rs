//! sensitivity.png: a tornado chart per expectation of the links whose sampled strength goes
//! most with the claimed change (correlations computed in the analysis), so a reader sees which
//! uncertain links a claim rests on. Links are named by their nodes' display labels, split
//! after the arrow and wrapped (never shortened), so no arrow or name is lost; the canvas grows
//! taller when many claims need more rows of panels or a label more than two lines.

use super::parts::{self, MARGIN, Swatch};
use super::style::{self, DOWN, INK, Theme, UP};
use super::{Chart, PlotError};
use crate::analysis::{ExpectationSensitivity, RunReport};
use crate::report::words::change_word;
use crate::scenario::Scenario;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Links shown per expectation: the strongest associations.
const TOP_LINKS: usize = 8;
/// Panels per row at most.
const COLUMNS: usize = 3;
/// Widest panel, at design size.
const MAX_PANEL_WIDTH: f64 = 900.0;
/// Design heights: the title block, the legend below the panels, and one panel with its
/// three-line title, [`TOP_LINKS`] two-line labels and its axis.
const HEADER: f64 = 110.0;
const FOOTER: f64 = 70.0;
const PANEL_HEIGHT: f64 = 520.0;
/// Axis ends to choose from: the smallest that holds every bar, with ticks at halves.
const AXIS_LIMITS: [f64; 6] = [0.1, 0.2, 0.4, 0.6, 0.8, 1.0];

/// The sensitivity chart of one run; only press runs carry sensitivities.
pub struct SensitivityChart<'a> {
    scenario: &'a Scenario,
    report: &'a RunReport,
}

impl<'a> SensitivityChart<'a> {
    /// `None` when the run has no sensitivities to show.
    pub fn new(scenario: &'a Scenario, report: &'a RunReport) -> Option<Self> {
        report
            .sensitivity
            .iter()
            .any(|e| !e.links.is_empty())
            .then_some(SensitivityChart { scenario, report })
    }

    /// "VEGF down under “MSC exosomes”", with the comparison when there is one.
    fn panel_title(&self, e: &ExpectationSensitivity) -> String {
        let node = self
            .scenario
            .node_index(&e.node)
            .map_or(e.node.as_str(), |v| self.scenario.display_name(v));
        let change = change_word(&e.change);
        match &e.versus {
            Some(versus) => format!("{node} {change} under “{}” vs “{versus}”", e.intervention),
            None => format!("{node} {change} under “{}”", e.intervention),
        }
    }

    /// A link in two parts, split after its arrow so that the arrow is never cut: the inputs
    /// ("cisplatin & !exosome release"), the arrow, and the target, with display labels.
    fn link_parts(&self, text: &str) -> (String, &'static str, String) {
        let scenario = self.scenario;
        let Some(link) = scenario.links.iter().find(|l| l.text == text) else {
            return (text.to_string(), "", String::new());
        };
        let inputs: Vec<String> = link
            .inputs
            .iter()
            .map(|i| {
                let not = if i.negated { "!" } else { "" };
                format!("{not}{}", scenario.display_name(i.node))
            })
            .collect();
        (
            inputs.join(" & "),
            link.arrow.symbol(),
            scenario.display_name(link.target).to_string(),
        )
    }
}

impl SensitivityChart<'_> {
    /// The canvas of this chart drawn at `base`: taller when its panels need more rows than
    /// fit, or when a link label wraps onto more than two lines, so that every link keeps
    /// its whole label.
    pub fn canvas_size(&self, (width, height): (u32, u32)) -> (u32, u32) {
        let theme = Theme::new((width, height));
        let panels = self.shown().len();
        let rows = panels.div_ceil(columns_for(panels)) as f64;
        // Measuring needs the font, which no chart may have registered yet.
        let lines = style::register_fonts()
            .and_then(|()| self.most_label_lines(&theme, width))
            .unwrap_or(2);
        let needed = theme.px(HEADER + FOOTER + rows * panel_height(&theme, lines));
        (width, height.max(needed.ceil() as u32))
    }

    /// The expectations with links to show.
    fn shown(&self) -> Vec<&ExpectationSensitivity> {
        self.report
            .sensitivity
            .iter()
            .filter(|e| !e.links.is_empty())
            .collect()
    }

    /// The most lines any link label of the chart takes on a canvas `width` wide.
    fn most_label_lines(&self, theme: &Theme, width: u32) -> Result<usize, PlotError> {
        let shown = self.shown();
        let (_, panel_width) = panel_grid(theme, width, shown.len());
        let mut most = 1;
        for e in shown {
            for link in e.links.iter().take(TOP_LINKS) {
                let label =
                    self.link_label(&link.link, &theme.tick(), panel_width * LABEL_SHARE)?;
                most = most.max(label.len());
            }
        }
        Ok(most)
    }

    /// A link's label as lines no wider than `room`: the inputs ending in the arrow, then the
    /// target ([`Self::link_parts`]), each wrapped onto as many lines as it needs rather than
    /// shortened; the arrow stays on the line of the last input word.
    pub fn link_label(
        &self,
        text: &str,
        font: &FontDesc,
        room: f64,
    ) -> Result<Vec<String>, PlotError> {
        let (inputs, arrow, target) = self.link_parts(text);
        let arrow = if arrow.is_empty() {
            String::new()
        } else {
            format!(" {arrow}")
        };
        let arrow_width = style::text_width(&arrow, font)?;
        let mut lines = style::wrap(&inputs, font, room - arrow_width, usize::MAX)?;
        if let Some(last) = lines.last_mut() {
            last.push_str(&arrow);
        }
        if !target.is_empty() {
            lines.extend(style::wrap(&target, font, room, usize::MAX)?);
        }
        Ok(lines)
    }
}

/// Share of a panel's width its link labels may take: bars need little room to compare.
const LABEL_SHARE: f64 = 0.62;

/// Design height of a panel whose longest link label takes `lines` lines: its three-line
/// title, [`TOP_LINKS`] rows with a third of a line between labels, and its axis; at least
/// [`PANEL_HEIGHT`].
fn panel_height(theme: &Theme, lines: usize) -> f64 {
    let line = style::line_height(&theme.tick()) / theme.px(1.0);
    let title = style::line_height(&theme.panel_title()) / theme.px(1.0) * 3.0;
    let row = line * (lines as f64 + 0.35);
    (title + 8.0 + 58.0 + TOP_LINKS as f64 * row).max(PANEL_HEIGHT)
}

/// Panels per row and each panel's width on a canvas `width` wide with `panels` panels.
fn panel_grid(theme: &Theme, width: u32, panels: usize) -> (usize, f64) {
    let columns = columns_for(panels);
    let margin = theme.px(MARGIN);
    let gap = theme.px(PANEL_GAP);
    // Panels no wider than reads well; the grid is centred.
    let cell_w = ((f64::from(width) - 2.0 * margin - gap * (columns - 1) as f64) / columns as f64)
        .min(theme.px(MAX_PANEL_WIDTH));
    (columns, cell_w)
}

/// Space between panels, at design size.
const PANEL_GAP: f64 = 40.0;

/// Panels per row: two up to four panels (wider panels, longer link names), three beyond.
fn columns_for(panels: usize) -> usize {
    match panels {
        0..=2 => panels.max(1),
        3..=4 => 2,
        _ => COLUMNS,
    }
}

impl Chart for SensitivityChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        self.draw_laid_out(root).map(|_| ())
    }
}

/// A link label as drawn: its lines and the height of its row.
#[derive(Debug, Clone)]
pub struct LabelLayout {
    pub lines: Vec<String>,
    pub pitch: f64,
    pub line_height: f64,
}

impl SensitivityChart<'_> {
    /// Every link label as set on a `size` canvas (drawn off-screen), for tests.
    pub fn laid_out(&self, size: (u32, u32)) -> Result<Vec<LabelLayout>, PlotError> {
        super::offscreen(size, |root| self.draw_laid_out(root))
    }

    fn draw_laid_out<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<Vec<LabelLayout>, PlotError> {
        let theme = Theme::new(root.dim_in_pixel());
        let (width, height) = root.dim_in_pixel();
        let subtitle = format!(
            "Which link strengths each claim rests on: correlation over the samples between a link's sampled strength (signed for -? links) and the claimed change; positive: a stronger link pushes the change the claimed way · {}",
            super::outcomes::run_facts(self.report)
        );
        let top = parts::header(root, &theme, &self.scenario.title, &subtitle)?;
        let legend_y = height as i32 - theme.ipx(MARGIN);
        let shown = self.shown();
        let (columns, cell_w) = panel_grid(&theme, width, shown.len());
        let rows = shown.len().div_ceil(columns);
        let gap = theme.px(PANEL_GAP);
        let grid_left =
            (f64::from(width) - cell_w * columns as f64 - gap * (columns - 1) as f64) / 2.0;
        let grid_bottom = f64::from(legend_y) - theme.px(30.0);
        let cell_h = (grid_bottom - f64::from(top) - gap * (rows - 1) as f64) / rows as f64;
        let limit = axis_limit(&shown);
        let mut labels = Vec::new();
        for (i, e) in shown.iter().enumerate() {
            let left = grid_left + (i % columns) as f64 * (cell_w + gap);
            let cell_top = f64::from(top) + (i / columns) as f64 * (cell_h + gap);
            let cell = ((left, cell_top), (cell_w, cell_h));
            labels.extend(self.panel(root, &theme, cell, e, limit)?);
        }
        let legend = [
            (
                Swatch::Fill(UP),
                "stronger link: change goes more the claimed way".to_string(),
            ),
            (
                Swatch::Fill(DOWN),
                "stronger link: change goes against the claim".to_string(),
            ),
        ];
        parts::legend_row(root, &theme, &legend, (width as i32 / 2, legend_y))?;
        Ok(labels)
    }
}

impl SensitivityChart<'_> {
    /// One expectation: its title, link labels on the left, bars from zero to the correlation.
    fn panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
        ((left, top), (width, height)): ((f64, f64), (f64, f64)),
        e: &ExpectationSensitivity,
        limit: f64,
    ) -> Result<Vec<LabelLayout>, PlotError> {
        let title_font = theme.panel_title();
        let title = style::wrap(&self.panel_title(e), &title_font, width, 3)?;
        let title_h = style::line_height(&title_font) * 3.0;
        let at = (
            (left + width / 2.0).round() as i32,
            (top + title_h / 2.0).round() as i32,
        );
        parts::text_block(root, &title, at, &title_font, INK, HPos::Center)?;
        let font = theme.tick();
        let links = &e.links[..e.links.len().min(TOP_LINKS)];
        let mut labels = Vec::new();
        let mut widest: f64 = 0.0;
        for link in links {
            let label = self.link_label(&link.link, &font, width * LABEL_SHARE)?;
            for line in &label {
                widest = widest.max(style::text_width(line, &font)?);
            }
            labels.push(label);
        }
        let bars = (
            (left + widest + theme.px(14.0)).round() as i32,
            (left + width - theme.px(10.0)).round() as i32,
        );
        let rows = (
            (top + title_h + theme.px(8.0)).round() as i32,
            (top + height - theme.px(58.0)).round() as i32,
        );
        let x = |r: f64| {
            let fraction = (r.clamp(-limit, limit) / limit + 1.0) / 2.0;
            (f64::from(bars.0) + fraction * f64::from(bars.1 - bars.0)).round() as i32
        };
        let ticks: Vec<(i32, String)> = [-1.0, -0.5, 0.0, 0.5, 1.0]
            .iter()
            .map(|&t| (x(t * limit), style::format_number(t * limit)))
            .collect();
        parts::x_axis(root, theme, rows, &ticks, "correlation", bars)?;
        root.draw(&PathElement::new(
            vec![(x(0.0), rows.0), (x(0.0), rows.1)],
            INK.stroke_width(theme.ipx(1.5).max(1) as u32),
        ))?;
        let pitch = f64::from(rows.1 - rows.0) / TOP_LINKS as f64;
        for (row, (link, label)) in links.iter().zip(&labels).enumerate() {
            let centre = (f64::from(rows.0) + pitch * (row as f64 + 0.5)).round() as i32;
            let at = (bars.0 - theme.ipx(10.0), centre);
            parts::text_block(root, label, at, &font, INK, HPos::Right)?;
            let span = (x(0.0), x(link.correlation));
            let room = (bars.0, (left + width).round() as i32);
            bar(root, theme, span, (centre, pitch), link.correlation, room)?;
        }
        let line_height = style::line_height(&font);
        Ok(labels
            .into_iter()
            .map(|lines| LabelLayout {
                lines,
                pitch,
                line_height,
            })
            .collect())
    }
}

/// The end of the correlation axis, shared by every panel so bars compare: the smallest of
/// [`AXIS_LIMITS`] that holds the largest correlation shown.
fn axis_limit(shown: &[&ExpectationSensitivity]) -> f64 {
    let largest = shown
        .iter()
        .flat_map(|e| e.links.iter().take(TOP_LINKS))
        .map(|l| l.correlation.abs())
        .fold(0.0, f64::max);
    AXIS_LIMITS
        .into_iter()
        .find(|&limit| limit >= largest)
        .unwrap_or(1.0)
}

/// One bar from zero to the correlation, with its value beside the end (inside the bar when
/// the panel, from `room.0` to `room.1`, has no space beyond it).
fn bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (zero, end): (i32, i32),
    (centre, pitch): (i32, f64),
    correlation: f64,
    (room_left, room_right): (i32, i32),
) -> Result<(), PlotError> {
    let half = (pitch * 0.3).clamp(2.0, theme.px(15.0)).round() as i32;
    let colour = if correlation >= 0.0 { UP } else { DOWN };
    let (from, to) = (zero.min(end), zero.max(end).max(zero.min(end) + 1));
    root.draw(&Rectangle::new(
        [(from, centre - half), (to, centre + half)],
        colour.filled(),
    ))?;
    let font = theme.small();
    let value = match correlation {
        r if r <= -0.005 => format!("\u{2212}{:.2}", -r),
        r if r >= 0.005 => format!("+{r:.2}"),
        _ => "0.00".to_string(),
    };
    let needed = style::text_width(&value, &font)?.ceil() as i32 + theme.ipx(8.0);
    let gap = theme.ipx(6.0);
    let placed = if correlation >= 0.0 {
        if to + needed <= room_right {
            (to + gap, HPos::Left, INK)
        } else {
            (to - gap, HPos::Right, style::text_on(colour))
        }
    } else if from - needed >= room_left {
        (from - gap, HPos::Right, INK)
    } else {
        (from + gap, HPos::Left, style::text_on(colour))
    };
    let (x, h_pos, ink) = placed;
    parts::text(root, &value, (x, centre), &font, ink, (h_pos, VPos::Center))
}
