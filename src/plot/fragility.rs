//! fragility.png: a sweep's most fragile claims. One row per claim, ranked by how many single
//! perturbations (one node knocked out or one link blocked) flip its verdict: a pale bar for
//! the perturbations tried, over it the flips split into knockouts and blocks, the count and
//! share in figures, and the verdict the claim had unperturbed. With several methods a claim
//! gets one line per method. Long claims wrap onto two lines and long lists go onto more
//! pages (`fragility-1.png`, `fragility-2.png`, ...) instead of shrinking the text.

use super::parts::{self, Swatch};
use super::style::{self, INK, LIGHT, MUTED, Theme};
use super::{Chart, PlotError};
use crate::analysis::Verdict;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Flips by knockout and by block.
pub const KNOCKOUT: RGBColor = style::BLUE;
pub const BLOCK: RGBColor = RGBColor(204, 121, 167);

/// The most rows (in design pixels) one page holds before the next page starts.
const PAGE_ROWS: f64 = 1800.0;
const ENTRY_PITCH: f64 = 26.0;
/// A claim's text: two lines of claim and one of scenario.
const TEXT_HEIGHT: f64 = 3.0 * 20.0;
const ROW_PADDING: f64 = 14.0;
const TOP_ROOM: f64 = 150.0;
const BOTTOM_ROOM: f64 = 160.0;
const VERDICT_HEAD: &str = "verdict unperturbed";

/// One method's count for one claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The method's name when the sweep ran several.
    pub method: Option<String>,
    /// The verdict without any perturbation.
    pub verdict: Verdict,
    pub tried: usize,
    pub knockouts: usize,
    pub blocks: usize,
}

impl Entry {
    pub fn flips(&self) -> usize {
        self.knockouts + self.blocks
    }
}

/// A claim's row: its words, its scenario and one entry per method.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub claim: String,
    pub scenario: String,
    pub entries: Vec<Entry>,
}

impl Row {
    fn height(&self) -> f64 {
        (self.entries.len() as f64 * ENTRY_PITCH).max(TEXT_HEIGHT) + ROW_PADDING
    }
}

/// One page of the chart.
#[derive(Debug, Clone)]
pub struct FragilityChart {
    pub title: String,
    pub subtitle: String,
    /// Rank of the first row (1 on the first page).
    pub first_rank: usize,
    pub rows: Vec<Row>,
    /// The axis' end: the most perturbations any claim of the sweep was tried with, so that
    /// every page has the same scale.
    pub axis_max: usize,
}

/// Splits ranked rows (most flips first) into pages; no pages when there are no rows.
/// `subtitle` says what was run; each page's title counts the pages.
pub fn pages(rows: Vec<Row>, subtitle: &str) -> Vec<FragilityChart> {
    let axis_max = rows
        .iter()
        .flat_map(|r| r.entries.iter().map(|e| e.tried))
        .max()
        .unwrap_or(1)
        .max(1);
    let mut split: Vec<Vec<Row>> = Vec::new();
    let mut used = f64::INFINITY;
    for row in rows {
        if used + row.height() > PAGE_ROWS {
            split.push(Vec::new());
            used = 0.0;
        }
        used += row.height();
        split.last_mut().expect("a page was pushed").push(row);
    }
    let count = split.len();
    let mut first_rank = 1;
    split
        .into_iter()
        .enumerate()
        .map(|(i, rows)| {
            let page = FragilityChart {
                title: if count == 1 {
                    "Most fragile claims".to_string()
                } else {
                    format!("Most fragile claims, page {} of {count}", i + 1)
                },
                subtitle: subtitle.to_string(),
                first_rank,
                axis_max,
                rows,
            };
            first_rank += page.rows.len();
            page
        })
        .collect()
}

impl FragilityChart {
    /// Pixel size for a canvas `width` wide: as tall as its rows and its legend need.
    pub fn size(&self, width: u32) -> (u32, u32) {
        let theme = Theme::for_width(width);
        let rows: f64 = self.rows.iter().map(Row::height).sum();
        let lines = self.legend_lines(&theme, width).map_or(2, |l| l.len());
        let legend = parts::LEGEND_PITCH * lines.saturating_sub(2) as f64;
        let height = theme.px(TOP_ROOM + rows + BOTTOM_ROOM + legend);
        (width, height.ceil() as u32)
    }

    fn legend_lines(
        &self,
        theme: &Theme,
        width: u32,
    ) -> Result<Vec<Vec<(Swatch, String)>>, PlotError> {
        let bars = vec![
            (Swatch::Bar(KNOCKOUT), "flipped by a knockout".to_string()),
            (Swatch::Bar(BLOCK), "flipped by a blocked link".to_string()),
            (Swatch::Bar(LIGHT), "perturbations tried".to_string()),
        ];
        parts::legend_lines(theme, width, &[bars])
    }
}

/// Where the columns sit, in pixels.
struct Columns {
    rank: i32,
    text: (i32, i32),
    method: Option<i32>,
    plot: (i32, i32),
    figures: i32,
    verdict: i32,
}

impl Columns {
    fn new(theme: &Theme, width: u32, methods: bool) -> Result<Columns, PlotError> {
        let font = theme.tick();
        let margin = theme.px(parts::MARGIN);
        let gap = theme.px(24.0);
        let right = f64::from(width) - margin;
        let verdict_width = style::text_width("was not expressible", &theme.bold(16.0))?
            .max(style::text_width(VERDICT_HEAD, &theme.panel_title())?);
        let verdict = right - verdict_width;
        let figures = verdict - gap - style::text_width("888 of 888 (100 %)", &font)?;
        let rank_width = style::text_width("888", &font)?;
        let text_left = margin + rank_width + theme.px(10.0);
        let text_right = text_left + (figures - gap - text_left) * 0.5;
        let method_width = if methods {
            style::text_width("press", &font)? + gap
        } else {
            0.0
        };
        let plot_left = text_right + gap + method_width;
        Ok(Columns {
            rank: (margin + rank_width).round() as i32,
            text: (text_left.round() as i32, text_right.round() as i32),
            method: methods.then(|| (plot_left - theme.px(10.0)).round() as i32),
            plot: (plot_left.round() as i32, (figures - gap).round() as i32),
            figures: figures.round() as i32,
            verdict: verdict.round() as i32,
        })
    }

    /// The x of a count on the axis running from 0 to `max`.
    fn x(&self, count: usize, max: usize) -> i32 {
        let (left, right) = self.plot;
        left + ((right - left) as f64 * count as f64 / max.max(1) as f64).round() as i32
    }
}

impl Chart for FragilityChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let (width, height) = root.dim_in_pixel();
        let theme = Theme::for_width(width);
        let top = parts::header(root, &theme, &self.title, &self.subtitle)?;
        let methods = self
            .rows
            .iter()
            .any(|r| r.entries.iter().any(|e| e.method.is_some()));
        let columns = Columns::new(&theme, width, methods)?;
        let rows_top = top + theme.ipx(40.0);
        self.column_heads(root, &theme, &columns, rows_top - theme.ipx(14.0))?;
        let mut y = f64::from(rows_top);
        for (i, row) in self.rows.iter().enumerate() {
            let row_height = theme.px(row.height());
            let band = (y.round() as i32, (y + row_height).round() as i32);
            self.draw_row(root, &theme, &columns, (i, row), band)?;
            y += row_height;
        }
        let ticks: Vec<(i32, String)> = ticks(self.axis_max)
            .into_iter()
            .map(|t| (columns.x(t, self.axis_max), t.to_string()))
            .collect();
        parts::x_axis(
            root,
            &theme,
            (rows_top, y.round() as i32),
            &ticks,
            "single perturbations (knockouts and blocks)",
            columns.plot,
        )?;
        let lines = self.legend_lines(&theme, width)?;
        parts::bottom_legend(root, &theme, &lines, (width, height))
    }
}

impl FragilityChart {
    fn column_heads<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
        columns: &Columns,
        y: i32,
    ) -> Result<(), PlotError> {
        let font = theme.panel_title();
        let bottom = (HPos::Left, VPos::Bottom);
        let heads = [
            (columns.text.0, "claim (scenario)"),
            (columns.plot.0, "flips among the perturbations tried"),
            (columns.figures, "flips"),
            (columns.verdict, VERDICT_HEAD),
        ];
        for (x, head) in heads {
            parts::text(root, head, (x, y), &font, INK, bottom)?;
        }
        Ok(())
    }

    fn draw_row<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
        columns: &Columns,
        (index, row): (usize, &Row),
        (top, bottom): (i32, i32),
    ) -> Result<(), PlotError> {
        let centre = (top + bottom) / 2;
        if index % 2 == 1 {
            root.draw(&Rectangle::new(
                [
                    (columns.text.0 - theme.ipx(6.0), top),
                    (columns.plot.0, bottom),
                ],
                RGBColor(246, 246, 246).filled(),
            ))?;
        }
        let font = theme.tick();
        let rank = (self.first_rank + index).to_string();
        let right = (HPos::Right, VPos::Center);
        parts::text(root, &rank, (columns.rank, centre), &font, MUTED, right)?;
        let room = f64::from(columns.text.1 - columns.text.0);
        let lines = style::wrap(&row.claim, &font, room, 2)?;
        let scenario = style::abbreviate(&row.scenario, &theme.small(), room)?;
        let line = style::line_height(&font);
        let block_top = f64::from(centre) - line * (lines.len() as f64 + 1.0) / 2.0;
        let claim_centre = (block_top + line * lines.len() as f64 / 2.0).round() as i32;
        let left = columns.text.0;
        parts::text_block(root, &lines, (left, claim_centre), &font, INK, HPos::Left)?;
        let scenario_y = (block_top + line * (lines.len() as f64 + 0.5)).round() as i32;
        let left_centre = (HPos::Left, VPos::Center);
        parts::text(
            root,
            &scenario,
            (left, scenario_y),
            &theme.small(),
            MUTED,
            left_centre,
        )?;
        let pitch = theme.px(ENTRY_PITCH);
        let first = f64::from(centre) - pitch * (row.entries.len() as f64 - 1.0) / 2.0;
        for (k, entry) in row.entries.iter().enumerate() {
            let y = (first + pitch * k as f64).round() as i32;
            self.draw_entry(root, theme, columns, entry, y)?;
        }
        root.draw(&PathElement::new(
            vec![(columns.text.0, bottom), (columns.plot.1, bottom)],
            LIGHT.stroke_width(1),
        ))
        .map_err(PlotError::from)
    }

    /// One method's bars, figures and verdict on the line at `y`.
    fn draw_entry<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
        columns: &Columns,
        entry: &Entry,
        y: i32,
    ) -> Result<(), PlotError> {
        let font = theme.tick();
        if let (Some(method), Some(x)) = (&entry.method, columns.method) {
            let right = (HPos::Right, VPos::Center);
            parts::text(root, method, (x, y), &font, MUTED, right)?;
        }
        let max = self.axis_max;
        let (thick, thin) = (theme.ipx(9.0), theme.ipx(5.0));
        let left = columns.plot.0;
        let tried = columns.x(entry.tried, max);
        root.draw(&Rectangle::new(
            [(left, y - thin), (tried, y + thin)],
            LIGHT.filled(),
        ))?;
        let knocked = columns.x(entry.knockouts, max);
        let blocked = columns.x(entry.flips(), max);
        for (from, to, colour) in [(left, knocked, KNOCKOUT), (knocked, blocked, BLOCK)] {
            if to > from {
                root.draw(&Rectangle::new(
                    [(from, y - thick), (to, y + thick)],
                    colour.filled(),
                ))?;
            }
        }
        let share = 100.0 * entry.flips() as f64 / entry.tried.max(1) as f64;
        let figures = format!("{} of {} ({share:.0} %)", entry.flips(), entry.tried);
        let left_centre = (HPos::Left, VPos::Center);
        parts::text(
            root,
            &figures,
            (columns.figures, y),
            &font,
            INK,
            left_centre,
        )?;
        let colour = style::mix(super::claims::verdict_colour(entry.verdict), INK, 0.25);
        let words = format!("was {}", verdict_word(entry.verdict));
        parts::text(
            root,
            &words,
            (columns.verdict, y),
            &theme.bold(16.0),
            colour,
            left_centre,
        )
    }
}

fn verdict_word(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Supported => "supported",
        Verdict::Contradicted => "contradicted",
        Verdict::Ambivalent => "ambivalent",
        Verdict::NotExpressible => "not expressible",
    }
}

/// Whole-number ticks from 0 to `max`, at most about eight, at steps of 1, 2 or 5 times a
/// power of ten.
fn ticks(max: usize) -> Vec<usize> {
    let mut step = 1;
    for scale in std::iter::successors(Some(1usize), |s| s.checked_mul(10)) {
        if let Some(found) = [1, 2, 5].iter().map(|m| m * scale).find(|s| max / s <= 8) {
            step = found;
            break;
        }
    }
    let mut ticks: Vec<usize> = (0..=max).step_by(step).collect();
    let last = ticks.last().copied().unwrap_or(0);
    if last != max && max - last > step / 2 {
        ticks.push(max);
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(flips: usize) -> Row {
        Row {
            claim: "apoptosis up, anti-miR-9 + TMZ vs TMZ alone [A152, A153]".to_string(),
            scenario: "glioblastoma/anti-mir9-temozolomide".to_string(),
            entries: vec![Entry {
                method: None,
                verdict: Verdict::Supported,
                tried: 20,
                knockouts: flips / 2,
                blocks: flips - flips / 2,
            }],
        }
    }

    #[test]
    fn long_lists_go_onto_pages_of_readable_rows_numbered_on() {
        let rows: Vec<Row> = (0..160).map(|k| row(160 - k)).collect();
        let pages = pages(rows, "press");
        assert!(pages.len() > 1, "160 rows do not fit one page");
        assert_eq!(pages.iter().map(|p| p.rows.len()).sum::<usize>(), 160);
        assert_eq!(pages[1].first_rank, pages[0].rows.len() + 1);
        assert!(
            pages[0]
                .title
                .ends_with(&format!("page 1 of {}", pages.len()))
        );
        for page in &pages {
            // The text keeps its size: a page is never taller than its rows allow.
            assert!(page.size(1600).1 < 2600, "{:?}", page.size(1600));
        }
        assert!(super::pages(Vec::new(), "press").is_empty());
    }

    #[test]
    fn ticks_are_round_and_end_at_the_maximum() {
        assert_eq!(ticks(5), [0, 1, 2, 3, 4, 5]);
        assert_eq!(ticks(18), [0, 5, 10, 15, 18]);
        assert_eq!(ticks(40), [0, 5, 10, 15, 20, 25, 30, 35, 40]);
        assert_eq!(ticks(1), [0, 1]);
    }
}
