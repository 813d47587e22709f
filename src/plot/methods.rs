//! methods.png (`--method all`): a heat map of P(up) − P(down) per node (rows, in the order of
//! outcomes.png) and method (columns, grouped by intervention), in the diverging colours of
//! network.png, with each value written in its cell and the claims' verdicts marked on theirs
//! (a cell whose claim is judged on the draws with its own uncertain links shows the value on
//! those draws, marked `*`, so mark and cell agree). It shows at a glance where press, ode and fcm agree and where a conclusion rests on one of
//! them.

use super::network::signed;
use super::outcomes::{self, readout_legend, row_labels};
use super::parts::{self, PanelGrid, Swatch};
use super::style::{self, INK, Theme};
use super::{Chart, PlotError};
use crate::analysis::agreement::{self, Agreement};
use crate::analysis::{ExpectationReport, RunReport, Verdict};
use crate::scenario::Scenario;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

/// Width kept on the right for the colour bar and its labels, at design size.
const BAR_ROOM: f64 = 280.0;

/// The method comparison of several reports of one scenario.
pub struct MethodsChart<'a> {
    scenario: &'a Scenario,
    reports: &'a [RunReport],
    agreement: Agreement,
    order: Vec<usize>,
}

impl<'a> MethodsChart<'a> {
    /// `None` for fewer than two reports: there is nothing to compare.
    pub fn new(scenario: &'a Scenario, reports: &'a [RunReport]) -> Option<Self> {
        Some(MethodsChart {
            scenario,
            reports,
            agreement: agreement::agreement(reports)?,
            order: outcomes::display_order(scenario),
        })
    }

    fn subtitle(&self) -> String {
        let claims = self.agreement.expectations.len();
        let agreed = if claims == 0 {
            "no claims to compare".to_string()
        } else {
            format!(
                "all methods agree on {} of {claims} claims",
                self.agreement.agreed
            )
        };
        // A cell shows the change against no intervention, so only claims about that change
        // are marked; claims against another intervention are in claims.png.
        let versus = if self
            .agreement
            .expectations
            .iter()
            .any(|e| e.versus.is_some())
        {
            " · claims against another intervention are not marked here (see claims.png)"
        } else {
            ""
        };
        let first = &self.reports[0];
        format!(
            "P(up) − P(down) of each node under each intervention by each method ({}) · {agreed}{versus} · {} samples, seed {}",
            self.agreement.methods.join(", "),
            first.samples,
            first.seed
        )
    }

    /// The claim marked on the cell of `node` under intervention `i` by method `m`: one per
    /// cell, among the claims about the change against no intervention there, the one with
    /// the least favourable verdict (the first of those); `None` when no such claim is about
    /// the cell.
    fn marked(&self, i: usize, node: usize, m: usize) -> Option<&ExpectationReport> {
        let intervention = &self.scenario.interventions[i].name;
        let node = &self.scenario.nodes[node].name;
        let about = |e: &&ExpectationReport| {
            e.versus.is_none() && &e.intervention == intervention && &e.node == node
        };
        let claims = self.reports[m].expectations.iter().filter(about);
        // max_by_key keeps the last of equals: reversed, the first.
        claims.rev().max_by_key(|e| unfavourable(e.verdict))
    }

    /// What the cell of `node` under intervention `i` by method `m` shows: P(up) − P(down)
    /// and the mark. Over all draws, except where the marked claim is judged on the draws with
    /// its own uncertain links: then on those, as the claim is judged, so the mark and the cell
    /// agree (`true` then).
    pub fn cell(&self, i: usize, node: usize, m: usize) -> (f64, String, bool) {
        let outcome = &self.reports[m].interventions[i].nodes[node];
        let Some(claim) = self.marked(i, node, m) else {
            return (outcome.p_up - outcome.p_down, String::new(), false);
        };
        let mark = glyph(claim.verdict).to_string();
        match claim
            .conditional
            .as_ref()
            .filter(|_| claim.verdict.is_judged())
        {
            Some(given) => (given.p_up - given.p_down, mark, true),
            None => (outcome.p_up - outcome.p_down, mark, false),
        }
    }
}

/// After a cell's value: the value is on the draws with its claim's own uncertain links.
const GIVEN_MARK: &str = "*";
const GIVEN_LEGEND: &str =
    "on the draws with the claim's own uncertain links, as its verdict is judged";

impl MethodsChart<'_> {
    /// Whether any cell shows a claim's own draws (so the legend explains `*`).
    fn any_given(&self) -> bool {
        let interventions = self.scenario.interventions.len();
        let nodes = self.scenario.nodes.len();
        (0..self.reports.len())
            .any(|m| (0..interventions).any(|i| (0..nodes).any(|node| self.cell(i, node, m).2)))
    }
}

/// How badly a verdict goes for its claim, for picking the one mark of a cell.
fn unfavourable(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::Supported => 0,
        Verdict::NotExpressible | Verdict::Ambivalent => 1,
        Verdict::Contradicted => 2,
    }
}

fn glyph(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Supported => "✔",
        Verdict::Contradicted => "✘",
        Verdict::Ambivalent => "~",
        Verdict::NotExpressible => "–",
    }
}

impl Chart for MethodsChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        self.draw_laid_out(root).map(|_| ())
    }
}

impl MethodsChart<'_> {
    /// How every cell's text is set on a `size` canvas (drawn off-screen): what a test and
    /// [`MethodsChart::size`] check.
    pub fn laid_out(&self, size: (u32, u32)) -> Result<Vec<CellLayout>, PlotError> {
        super::offscreen(size, |root| self.draw_laid_out(root))
    }

    /// The canvas for this chart from the default `size`: grown until every cell shows its
    /// value, and a marked cell its value and mark, at the tick size (at most
    /// [`MAX_GROWTH_ROUNDS`] rounds; each adds exactly the room the tightest cell lacked, so
    /// one round is enough unless a font scale changes).
    pub fn size(&self, size: (u32, u32)) -> (u32, u32) {
        let mut size = size;
        for _ in 0..MAX_GROWTH_ROUNDS {
            let Ok(cells) = self.laid_out(size) else {
                break;
            };
            let lack = cells
                .iter()
                .filter_map(|c| c.text.as_ref().err())
                .fold(Shortfall::default(), |a, b| a.max(b));
            if lack.width <= 0.0 && lack.height <= 0.0 {
                break;
            }
            // Every column and row shares the growth equally; a pixel more each, so that
            // rounding cell edges to whole pixels cannot take it back.
            let columns = (self.scenario.interventions.len() * self.reports.len()) as f64;
            let rows = self.order.len() as f64;
            let grow = |lack: f64, count: f64| {
                if lack > 0.0 {
                    ((lack + 1.0) * count).ceil() as u32
                } else {
                    0
                }
            };
            size.0 += grow(lack.width, columns);
            size.1 += grow(lack.height, rows);
        }
        size
    }

    fn draw_laid_out<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<Vec<CellLayout>, PlotError> {
        let theme = Theme::new(root.dim_in_pixel());
        let (width, height) = root.dim_in_pixel();
        let top = parts::header(root, &theme, &self.scenario.title, &self.subtitle())?;
        // The legend wraps onto more lines rather than run off the canvas.
        let legend = parts::legend_lines(&theme, width, &[self.legend()])?;
        let last_line = height as i32 - theme.ipx(parts::MARGIN);
        let legend_y = last_line - theme.ipx(30.0) * (legend.len().max(1) as i32 - 1);
        let labels = row_labels(self.scenario, &self.order);
        let titles: Vec<String> = self.reports[0]
            .interventions
            .iter()
            .map(|i| i.name.clone())
            .collect();
        let grid_width = (f64::from(width) - theme.px(BAR_ROOM)).max(f64::from(width) / 2.0);
        let grid = PanelGrid::new(
            &theme,
            grid_width.round() as u32,
            (top, legend_y - theme.ipx(24.0)),
            &labels,
            &titles,
        )?;
        grid.draw_frame(root, &theme)?;
        let mut cells = Vec::new();
        for (i, panel) in grid.panels.iter().enumerate() {
            cells.extend(self.panel(root, &theme, &grid, i, *panel)?);
        }
        let bar_left = grid_width + theme.px(20.0);
        let bar_top = f64::from(grid.rows_top) + theme.px(10.0);
        parts::colour_bar(root, &theme, "cell: P(up) − P(down)", (bar_left, bar_top))?;
        for (k, line) in legend.iter().enumerate() {
            let y = legend_y + theme.ipx(30.0) * k as i32;
            parts::legend_row(root, &theme, line, (width as i32 / 2, y))?;
        }
        Ok(cells)
    }
}

/// Cap on the rounds [`MethodsChart::size`] grows the canvas.
const MAX_GROWTH_ROUNDS: usize = 4;

/// How one cell's text was set.
#[derive(Debug, Clone)]
pub struct CellLayout {
    pub intervention: usize,
    pub node: usize,
    pub method: usize,
    /// The text at the tick size, or what the cell lacked to hold it.
    pub text: Result<CellText, Shortfall>,
}

impl MethodsChart<'_> {
    /// One intervention: a column of cells per method, method names under the columns.
    fn panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
        grid: &PanelGrid,
        i: usize,
        (left, right): (i32, i32),
    ) -> Result<Vec<CellLayout>, PlotError> {
        let columns = self.reports.len() as f64;
        let column_width = f64::from(right - left) / columns;
        let column = |m: usize| {
            let x0 = f64::from(left) + column_width * m as f64;
            (x0.round() as i32, (x0 + column_width).round() as i32)
        };
        let ticks: Vec<(i32, String)> = (0..self.reports.len())
            .map(|m| {
                (
                    (column(m).0 + column(m).1) / 2,
                    self.reports[m].method.clone(),
                )
            })
            .collect();
        // The axis first: its grid lines belong behind the cells.
        let rows = (grid.rows_top, grid.rows_bottom);
        parts::x_axis(root, theme, rows, &ticks, "method", (left, right))?;
        let mut cells = Vec::new();
        for m in 0..self.reports.len() {
            let (x0, x1) = column(m);
            for (row, &node) in self.order.iter().enumerate() {
                let (centre, pitch) = grid.row(row);
                let (net, verdicts, given) = self.cell(i, node, m);
                let cell = Cell {
                    x: (x0, x1),
                    centre,
                    pitch,
                    net,
                    verdicts,
                    given,
                };
                cells.push(CellLayout {
                    intervention: i,
                    node,
                    method: m,
                    text: cell.draw(root, theme)?,
                });
            }
        }
        Ok(cells)
    }

    fn legend(&self) -> Vec<(Swatch, String)> {
        let mut entries = Vec::new();
        if !self.agreement.expectations.is_empty() {
            entries.extend([
                (Swatch::Bold("✔"), "claim supported".to_string()),
                (Swatch::Bold("✘"), "contradicted".to_string()),
                (Swatch::Bold("~"), "ambivalent".to_string()),
            ]);
            let inexpressible = self
                .agreement
                .expectations
                .iter()
                .flat_map(|e| &e.methods)
                .any(|m| !m.verdict.is_judged());
            if inexpressible {
                entries.push((
                    Swatch::Bold("–"),
                    "not expressible in press (interaction)".to_string(),
                ));
            }
            entries.push((Swatch::Outline, "cell a claim is about".to_string()));
            if self.any_given() {
                entries.push((Swatch::Bold(GIVEN_MARK), GIVEN_LEGEND.to_string()));
            }
        }
        entries.extend(readout_legend(self.scenario));
        entries
    }
}

/// One cell of the heat map.
struct Cell {
    x: (i32, i32),
    centre: i32,
    pitch: f64,
    net: f64,
    /// Verdict glyphs of the claims about this cell; empty for none.
    verdicts: String,
    /// The value is on the marked claim's own draws ([`GIVEN_MARK`] after it).
    given: bool,
}

impl Cell {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> Result<Result<CellText, Shortfall>, PlotError> {
        // A hairline of white between cells keeps neighbouring equal colours apart.
        let gap = theme.ipx(1.0).max(1);
        let half = (self.pitch / 2.0).round() as i32;
        let (x0, x1) = (self.x.0 + gap, self.x.1 - gap);
        let (y0, y1) = (self.centre - half + gap, self.centre + half - gap);
        let fill = if self.net.is_finite() {
            style::diverging(self.net)
        } else {
            style::PAPER
        };
        root.draw(&Rectangle::new([(x0, y0), (x1, y1)], fill.filled()))?;
        if !self.verdicts.is_empty() {
            // On the cell's edge, over the hairlines, so the outline takes no room from the
            // text; thinner in short rows.
            let pen = (self.pitch * 0.1)
                .clamp(2.0, theme.px(3.0).max(2.0))
                .round() as i32;
            let (top, bottom) = (self.centre - half, self.centre + half);
            root.draw(&Rectangle::new(
                [
                    (self.x.0 + pen / 2, top + pen / 2),
                    (self.x.1 - pen / 2, bottom - pen / 2),
                ],
                INK.stroke_width(pen as u32),
            ))?;
        }
        self.label(root, theme, fill)
    }

    /// The value, and the verdict glyphs after it or under it, at the tick size.
    fn label<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
        fill: RGBColor,
    ) -> Result<Result<CellText, Shortfall>, PlotError> {
        let value = match (self.net.is_finite(), self.given) {
            (false, _) => "n/a".to_string(),
            (true, false) => signed(self.net),
            (true, true) => format!("{}{GIVEN_MARK}", signed(self.net)),
        };
        let font = if self.verdicts.is_empty() {
            theme.tick()
        } else {
            theme.bold(16.0)
        };
        let room = f64::from(self.x.1 - self.x.0) - theme.px(10.0);
        let measure = |text: &str| style::text_width(text, &font);
        let laid = cell_text(&value, &self.verdicts, (room, self.pitch), &font, measure)?;
        if let Ok(text) = &laid {
            let lines = match text {
                CellText::OneLine(line) => vec![line.clone()],
                CellText::TwoLines(value, glyphs) => vec![value.clone(), glyphs.clone()],
            };
            let at = ((self.x.0 + self.x.1) / 2, self.centre);
            parts::text_block(root, &lines, at, &font, style::text_on(fill), HPos::Center)?;
        }
        Ok(laid)
    }
}

/// A cell's text as set.
#[derive(Debug, Clone, PartialEq)]
pub enum CellText {
    /// The value, with the glyphs after it when there are any.
    OneLine(String),
    /// The value over the glyphs.
    TwoLines(String, String),
}

/// What a cell lacked to show its text: width and height in pixels (0 for enough).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Shortfall {
    pub width: f64,
    pub height: f64,
}

impl Shortfall {
    fn max(self, other: &Shortfall) -> Shortfall {
        Shortfall {
            width: self.width.max(other.width),
            height: self.height.max(other.height),
        }
    }
}

/// Sets a cell's `value` and verdict `glyphs` (empty for none) in `font` in a cell `room`
/// wide and `pitch` tall: on one line where the row has room around it, else the value over
/// the glyphs, else one line filling the row. Never at a smaller size and never the glyphs
/// without the value: when nothing fits, what the two-line form (or, with no glyphs, the
/// value) lacked.
pub fn cell_text(
    value: &str,
    glyphs: &str,
    (room, pitch): (f64, f64),
    font: &FontDesc,
    measure: impl Fn(&str) -> Result<f64, PlotError>,
) -> Result<Result<CellText, Shortfall>, PlotError> {
    let size = font.get_size();
    let tight_row = size * 1.05;
    let value_width = measure(value)?;
    if glyphs.is_empty() {
        if value_width <= room && pitch >= tight_row {
            return Ok(Ok(CellText::OneLine(value.to_string())));
        }
        return Ok(Err(Shortfall {
            width: (value_width - room).max(0.0),
            height: (tight_row - pitch).max(0.0),
        }));
    }
    let full = format!("{value} {glyphs}");
    let full_fits = measure(&full)? <= room;
    let widest_line = value_width.max(measure(glyphs)?);
    let two_rows = 2.0 * style::line_height(font) + size * 0.2;
    let laid = if full_fits && pitch >= size * 1.8 {
        Ok(CellText::OneLine(full))
    } else if widest_line <= room && pitch >= two_rows {
        Ok(CellText::TwoLines(value.to_string(), glyphs.to_string()))
    } else if full_fits && pitch >= tight_row {
        Ok(CellText::OneLine(full))
    } else {
        Err(Shortfall {
            width: (widest_line - room).max(0.0),
            height: (two_rows - pitch).max(0.0),
        })
    };
    Ok(laid)
}
