//! claims.png: the chart for the slide. One row per expectation, the claim in words ("apoptosis
//! up, anti-miR-9 + TMZ vs TMZ alone [A152, A153]"), the probability of the asserted change as a
//! point with its 95 % interval between the contradiction and support thresholds, the verdict as
//! colour, mark and word, and the probability in figures; when the run has them, the held-out
//! probability (without the links that cite the claim) as a grey ring and a figure, and the sign
//! loop analysis predicts, coloured by whether it agrees. With several methods each claim gets
//! one line per method. The chart grows with its rows instead of shrinking its text; the
//! library-wide chart of a batch is split into pages of at most [`PAGE_ROWS`] design pixels of
//! rows, grouped by scenario.

use super::claim_columns::{Columns, Shown, column_heads};
use super::parts::{self, Swatch};
use super::style::{self, INK, LIGHT, MUTED, Theme};
use super::{Chart, PlotError};
use crate::analysis::held_out::HeldOutVerdict;
use crate::analysis::{ExpectationReport, RunReport, Verdict};
use crate::report::numbers;
use crate::report::words::claim_text;
use crate::scenario::Scenario;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Verdict colours (Okabe-Ito), shared with index.html's badges.
pub const SUPPORTED: RGBColor = RGBColor(0, 158, 115);
pub const CONTRADICTED: RGBColor = RGBColor(213, 94, 0);
pub const AMBIVALENT: RGBColor = RGBColor(230, 159, 0);

/// The most rows (in design pixels) one page holds before the next page starts.
const PAGE_ROWS: f64 = 1800.0;
/// Height of one method's line within a claim, of a claim's two text lines, of a heading.
const ENTRY_PITCH: f64 = 26.0;
const ROW_PADDING: f64 = 14.0;
const HEADING_HEIGHT: f64 = 44.0;
/// Room above the rows (title, subtitle, column heads) and below (axis, legend).
const TOP_ROOM: f64 = 150.0;
const BOTTOM_ROOM: f64 = 160.0;
/// The probability axis runs a little beyond [0, 1] so that marks at 0 or 1 stay clear of the
/// zone edges.
pub(super) const AXIS_PAD: f64 = 0.03;

/// One method's result for one claim.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The method's name when the chart compares several.
    pub method: Option<String>,
    pub probability: f64,
    pub interval: [f64; 2],
    pub verdict: Verdict,
    /// The samples were conditioned on this claim: it holds by construction.
    pub condition: bool,
    /// The probability over all draws, when the claim is judged on the draws with its own
    /// uncertain links and that gives another probability.
    pub unconditional: Option<f64>,
    /// The probability without the links that cite the claim (`None` when it cites none or
    /// no draw could be solved).
    pub held_out: Option<f64>,
    /// Without those links nothing connects the perturbation to the node.
    pub held_out_no_path: bool,
    /// press: the sign loop analysis predicts for the compared change, and how it stands
    /// with the claim.
    pub loops: Option<(String, LoopStance)>,
}

/// How loop analysis's prediction stands with a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoopStance {
    /// A determinate prediction of the asserted change.
    Agrees,
    /// A determinate prediction of another change.
    Disagrees,
    /// No prediction, or one too weak to call (the terms nearly cancel).
    Open,
}

/// A line of the chart: a scenario heading (library-wide chart) or a claim.
#[derive(Debug, Clone)]
pub enum Row {
    Heading(String),
    Claim { text: String, entries: Vec<Entry> },
}

impl Row {
    fn height(&self) -> f64 {
        match self {
            Row::Heading(_) => HEADING_HEIGHT,
            Row::Claim { entries, .. } => {
                (entries.len() as f64 * ENTRY_PITCH).max(2.0 * 20.0) + ROW_PADDING
            }
        }
    }
}

/// A claims chart (one page of it).
#[derive(Debug, Clone)]
pub struct ClaimsChart {
    pub title: String,
    pub subtitle: String,
    /// The support threshold: supported at or above it, contradicted at or below 1 − it.
    pub support: f64,
    pub rows: Vec<Row>,
}

impl ClaimsChart {
    /// The claims of one scenario under each method's report; `None` when it has no claims.
    pub fn for_scenario(scenario: &Scenario, reports: &[RunReport]) -> Option<ClaimsChart> {
        let first = reports.first()?;
        if first.expectations.is_empty() {
            return None;
        }
        let methods: Vec<&str> = reports.iter().map(|r| r.method.as_str()).collect();
        Some(ClaimsChart {
            title: scenario.title.clone(),
            subtitle: subtitle(
                &methods,
                (&first.samples.to_string(), &first.seed.to_string()),
                scenario.simulation.support,
            ),
            support: scenario.simulation.support,
            rows: claim_rows(scenario, reports),
        })
    }

    /// Pixel size for a canvas `width` wide: as tall as its rows and its legend need.
    pub fn size(&self, width: u32) -> (u32, u32) {
        let theme = Theme::for_width(width);
        let rows: f64 = self.rows.iter().map(Row::height).sum();
        // BOTTOM_ROOM holds two legend lines; more take a line's pitch each. Measuring them
        // needs the font, which no chart may have registered yet (`run -o` sizes this chart
        // first): without it the legend got two lines' room whatever it needed.
        let lines = super::style::register_fonts()
            .and_then(|()| self.legend_lines(&theme, width))
            .map_or(2, |l| l.len());
        let legend = parts::LEGEND_PITCH * lines.saturating_sub(2) as f64;
        let height = theme.px(TOP_ROOM + rows + BOTTOM_ROOM + legend);
        (width, height.ceil() as u32)
    }

    fn legend_lines(
        &self,
        theme: &Theme,
        width: u32,
    ) -> Result<Vec<Vec<(Swatch, String)>>, PlotError> {
        let inexpressible = self.rows.iter().any(|r| match r {
            Row::Claim { entries, .. } => {
                entries.iter().any(|e| e.verdict == Verdict::NotExpressible)
            }
            Row::Heading(_) => false,
        });
        let groups = [legend(inexpressible), extra_legend(Shown::of(&self.rows))];
        parts::legend_lines(theme, width, &groups)
    }
}

/// The library-wide chart of a batch: every scenario's claims under a heading with its title,
/// in pages. Scenarios without claims are left out; no pages when none has any.
pub fn library_pages(runs: &[(&Scenario, &[RunReport])]) -> Vec<ClaimsChart> {
    let mut pages: Vec<Vec<Row>> = Vec::new();
    let mut used = f64::INFINITY;
    for (scenario, reports) in runs {
        if reports.first().is_none_or(|r| r.expectations.is_empty()) {
            continue;
        }
        let heading = Row::Heading(scenario.title.clone());
        let rows = claim_rows(scenario, reports);
        let whole = HEADING_HEIGHT + rows.iter().map(Row::height).sum::<f64>();
        // A scenario that fits on a page is not split: it starts a new page when needed.
        if used + whole > PAGE_ROWS && whole <= PAGE_ROWS {
            used = f64::INFINITY;
        }
        for (k, row) in rows.into_iter().enumerate() {
            // A page starts with the scenario's heading, repeated when the scenario continues.
            if used + row.height() > PAGE_ROWS {
                pages.push(vec![continued(&heading, k)]);
                used = HEADING_HEIGHT;
            } else if k == 0 {
                pages
                    .last_mut()
                    .expect("a page exists once used is finite")
                    .push(heading.clone());
                used += HEADING_HEIGHT;
            }
            used += row.height();
            pages.last_mut().expect("a page was just pushed").push(row);
        }
    }
    let count = pages.len();
    let support = runs.first().map_or(0.8, |(s, _)| s.simulation.support);
    let ran: Vec<(&str, u64, u64)> = runs
        .iter()
        .flat_map(|(_, reports)| reports.iter())
        .map(|r| (r.method.as_str(), r.samples, r.seed))
        .collect();
    let subtitle = library_subtitle(&ran, support);
    pages
        .into_iter()
        .enumerate()
        .map(|(i, rows)| ClaimsChart {
            title: if count == 1 {
                "Claims across the library".to_string()
            } else {
                format!("Claims across the library, page {} of {count}", i + 1)
            },
            subtitle: subtitle.clone(),
            support,
            rows,
        })
        .collect()
}

/// A scenario's heading; "(continued)" when its claims carry on from the previous page.
fn continued(heading: &Row, claims_before: usize) -> Row {
    match heading {
        Row::Heading(title) if claims_before > 0 => Row::Heading(format!("{title} (continued)")),
        other => other.clone(),
    }
}

/// The library chart's subtitle: every method any scenario ran, and the samples and seeds
/// (a range where the scenarios' own settings differ), not those of the first scenario alone.
fn library_subtitle(ran: &[(&str, u64, u64)], support: f64) -> String {
    let mut methods: Vec<&str> = Vec::new();
    for &(method, _, _) in ran {
        if !methods.contains(&method) {
            methods.push(method);
        }
    }
    let samples: Vec<u64> = ran.iter().map(|r| r.1).collect();
    let seeds: Vec<u64> = ran.iter().map(|r| r.2).collect();
    let order = |m: &&str| ["press", "ode", "fcm"].iter().position(|x| x == m);
    methods.sort_by_key(order);
    subtitle(&methods, (&span(&samples), &span(&seeds)), support)
}

/// "N" when every value is N, else "N–M".
fn span(values: &[u64]) -> String {
    match (values.iter().min(), values.iter().max()) {
        (Some(lo), Some(hi)) if lo != hi => format!("{lo}–{hi}"),
        (Some(v), _) => v.to_string(),
        _ => String::new(),
    }
}

/// What a claims chart shows and of which runs: `samples` and `seed` as they should read.
fn subtitle(methods: &[&str], (samples, seed): (&str, &str), support: f64) -> String {
    format!(
        "Probability of each claim's asserted change with its 95 % interval: supported at {} or more, contradicted at {} or less · {} method{}, {} samples, seed {}",
        style::format_number(support),
        style::format_number(1.0 - support),
        methods.join(", "),
        if methods.len() == 1 { "" } else { "s" },
        samples,
        seed
    )
}

/// One row per expectation, with one entry per report.
fn claim_rows(scenario: &Scenario, reports: &[RunReport]) -> Vec<Row> {
    let several = reports.len() > 1;
    scenario
        .expectations
        .iter()
        .enumerate()
        .map(|(k, expectation)| {
            let entries = reports
                .iter()
                .filter_map(|r| Some((r, r.expectations.get(k)?)))
                .map(|(r, e)| entry(several.then(|| r.method.clone()), e))
                .collect();
            let node = scenario.display_name(expectation.node);
            Row::Claim {
                text: claim_text(node, &reports[0].expectations[k]),
                entries,
            }
        })
        .collect()
}

fn entry(method: Option<String>, e: &ExpectationReport) -> Entry {
    Entry {
        method,
        probability: e.probability,
        interval: e.probability_ci,
        verdict: e.verdict,
        condition: e.condition,
        unconditional: e.unconditional_if_different(),
        held_out: e.held_out.as_ref().and_then(|h| h.probability),
        held_out_no_path: e
            .held_out
            .as_ref()
            .is_some_and(|h| h.verdict == HeldOutVerdict::NoPath),
        loops: e.loop_prediction.as_ref().map(|l| {
            let asserted = match e.change.as_str() {
                "up" => "+",
                "down" => "-",
                _ => "0",
            };
            let stance = if l.sign == "?" || !l.determinate {
                LoopStance::Open
            } else if l.sign == asserted {
                LoopStance::Agrees
            } else {
                LoopStance::Disagrees
            };
            // A typographic minus reads better than a hyphen in a column of signs.
            (l.sign.replace('-', "−"), stance)
        }),
    }
}

pub fn verdict_colour(verdict: Verdict) -> RGBColor {
    match verdict {
        Verdict::Supported => SUPPORTED,
        Verdict::Contradicted => CONTRADICTED,
        Verdict::Ambivalent => AMBIVALENT,
        Verdict::NotExpressible => MUTED,
    }
}

fn verdict_words(entry: &Entry) -> String {
    if entry.condition {
        return "assumed (conditioned on)".to_string();
    }
    match entry.verdict {
        Verdict::Supported => "✔ supported",
        Verdict::Contradicted => "✘ contradicted",
        Verdict::Ambivalent => "~ ambivalent",
        Verdict::NotExpressible => "– not expressible",
    }
    .to_string()
}

impl Chart for ClaimsChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let (width, height) = root.dim_in_pixel();
        let theme = Theme::for_width(width);
        let top = parts::header(root, &theme, &self.title, &self.subtitle)?;
        let shown = Shown::of(&self.rows);
        let columns = Columns::new(&theme, width, shown)?;
        let rows_top = top + theme.ipx(40.0);
        let rows_bottom = rows_top
            + theme
                .px(self.rows.iter().map(Row::height).sum::<f64>())
                .round() as i32;
        self.draw_zones(root, &theme, &columns, (rows_top, rows_bottom))?;
        column_heads(root, &theme, &columns, rows_top - theme.ipx(14.0))?;
        let mut y = f64::from(rows_top);
        for (i, row) in self.rows.iter().enumerate() {
            let row_height = theme.px(row.height());
            let band = (y.round() as i32, (y + row_height).round() as i32);
            draw_row(root, &theme, &columns, row, band, i)?;
            y += row_height;
        }
        self.draw_axis(root, &theme, &columns, (rows_top, rows_bottom))?;
        let lines = self.legend_lines(&theme, width)?;
        parts::bottom_legend(root, &theme, &lines, (width, height))
    }
}

impl ClaimsChart {
    /// Tinted zones where a claim is contradicted (left) and supported (right), with their
    /// thresholds as dashed lines.
    fn draw_zones<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
        columns: &Columns,
        (top, bottom): (i32, i32),
    ) -> Result<(), PlotError> {
        let (left, right) = (columns.x(0.0), columns.x(1.0));
        let low = columns.x(1.0 - self.support);
        let high = columns.x(self.support);
        let tint = |c: RGBColor| style::mix(style::WHITE, c, 0.12).filled();
        root.draw(&Rectangle::new(
            [(left, top), (low, bottom)],
            tint(CONTRADICTED),
        ))?;
        root.draw(&Rectangle::new(
            [(high, top), (right, bottom)],
            tint(SUPPORTED),
        ))?;
        parts::dashed_rule(root, theme, low, (top, bottom))?;
        parts::dashed_rule(root, theme, high, (top, bottom))
    }

    fn draw_axis<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
        columns: &Columns,
        rows: (i32, i32),
    ) -> Result<(), PlotError> {
        let mut ticks: Vec<f64> = vec![0.0, 0.5, 1.0, self.support, 1.0 - self.support];
        ticks.sort_by(f64::total_cmp);
        ticks.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
        let ticks: Vec<(i32, String)> = ticks
            .iter()
            .map(|&p| (columns.x(p), style::format_number(p)))
            .collect();
        parts::x_axis(
            root,
            theme,
            rows,
            &ticks,
            "probability of the asserted change",
            columns.plot,
        )
    }
}

fn draw_row<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    columns: &Columns,
    row: &Row,
    (top, bottom): (i32, i32),
    index: usize,
) -> Result<(), PlotError> {
    let centre = (top + bottom) / 2;
    match row {
        Row::Heading(title) => {
            let font = theme.bold(19.0);
            let room = f64::from(columns.verdict - columns.text.0);
            let title = style::abbreviate(title, &font, room)?;
            let at = (columns.text.0, centre + theme.ipx(4.0));
            parts::text(root, &title, at, &font, INK, (HPos::Left, VPos::Center))?;
            root.draw(&PathElement::new(
                vec![(columns.text.0, bottom - 1), (columns.verdict, bottom - 1)],
                MUTED.stroke_width(1),
            ))
            .map_err(PlotError::from)
        }
        Row::Claim { text, entries } => {
            if index % 2 == 1 {
                let band = RGBColor(246, 246, 246);
                root.draw(&Rectangle::new(
                    [
                        (columns.text.0 - theme.ipx(6.0), top),
                        (columns.plot.0, bottom),
                    ],
                    band.filled(),
                ))?;
            }
            let font = theme.tick();
            let room = f64::from(columns.text.1 - columns.text.0);
            // As many lines as the row holds (a row of several methods holds three or four),
            // so the claim is shortened only when even those are not enough.
            let fit = (f64::from(bottom - top) - theme.px(4.0)) / style::line_height(&font);
            let lines = style::wrap(text, &font, room, (fit.floor() as usize).max(2))?;
            parts::text_block(
                root,
                &lines,
                (columns.text.0, centre),
                &font,
                INK,
                HPos::Left,
            )?;
            let pitch = theme.px(ENTRY_PITCH);
            let first = f64::from(centre) - pitch * (entries.len() as f64 - 1.0) / 2.0;
            for (k, entry) in entries.iter().enumerate() {
                let y = (first + pitch * k as f64).round() as i32;
                draw_entry(root, theme, columns, entry, y)?;
            }
            root.draw(&PathElement::new(
                vec![(columns.text.0, bottom), (columns.plot.1, bottom)],
                LIGHT.stroke_width(1),
            ))
            .map_err(PlotError::from)
        }
    }
}

/// One method's point, interval, figures and verdict on the line at `y`.
fn draw_entry<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    columns: &Columns,
    entry: &Entry,
    y: i32,
) -> Result<(), PlotError> {
    let font = theme.tick();
    if let (Some(method), Some(x)) = (&entry.method, columns.method) {
        parts::text(
            root,
            method,
            (x, y),
            &font,
            MUTED,
            (HPos::Right, VPos::Center),
        )?;
    }
    let colour = if entry.condition {
        MUTED
    } else {
        verdict_colour(entry.verdict)
    };
    if entry.probability.is_finite() {
        let (lo, hi) = (columns.x(entry.interval[0]), columns.x(entry.interval[1]));
        if hi - lo >= theme.ipx(3.0) {
            parts::whisker(root, theme, (lo, hi), y)?;
        }
        mark(
            root,
            theme,
            entry.verdict,
            colour,
            (columns.x(entry.probability), y),
        )?;
    }
    if let Some(p) = entry.unconditional {
        all_draws_tick(root, theme, (columns.x(p), y))?;
    }
    if let Some(p) = entry.held_out {
        // Drawn over the mark: a ring around it when the held-out P is the same.
        held_out_ring(root, theme, (columns.x(p), y))?;
    }
    draw_side_columns(root, theme, columns, entry, y)?;
    let figures = format!(
        "{} {}",
        numbers::probability(entry.probability),
        numbers::interval(entry.interval)
    );
    let left = (HPos::Left, VPos::Center);
    parts::text(root, &figures, (columns.figures, y), &font, INK, left)?;
    if let (Some(p), Some(x)) = (entry.unconditional, columns.unconditional) {
        let all = format!("all {}", numbers::probability(p));
        parts::text(root, &all, (x, y), &font, MUTED, left)?;
    }
    let words_colour = style::mix(colour, INK, 0.25);
    let words = verdict_words(entry);
    parts::text(
        root,
        &words,
        (columns.verdict, y),
        &theme.bold(16.0),
        words_colour,
        left,
    )
}

/// The verdict's mark: a disc when supported, a cross when contradicted, a diamond when
/// ambivalent, in the verdict's colour with a dark outline.
pub fn mark<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    verdict: Verdict,
    colour: RGBColor,
    (x, y): (i32, i32),
) -> Result<(), PlotError> {
    let r = theme.ipx(8.0);
    let outline = INK.stroke_width(theme.ipx(1.5).max(1) as u32);
    match verdict {
        Verdict::Supported => {
            root.draw(&Circle::new((x, y), r, colour.filled()))?;
            root.draw(&Circle::new((x, y), r, outline))?;
        }
        Verdict::Contradicted => {
            let pen = colour.stroke_width(theme.ipx(4.0).max(2) as u32);
            root.draw(&PathElement::new(vec![(x - r, y - r), (x + r, y + r)], pen))?;
            root.draw(&PathElement::new(vec![(x - r, y + r), (x + r, y - r)], pen))?;
        }
        Verdict::NotExpressible => {
            // Hollow: the probability is shown, but the method does not judge the claim.
            root.draw(&Circle::new((x, y), r, WHITE.filled()))?;
            root.draw(&Circle::new(
                (x, y),
                r,
                colour.stroke_width(outline.stroke_width),
            ))?;
        }
        Verdict::Ambivalent => {
            let points = vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)];
            root.draw(&Polygon::new(points.clone(), colour.filled()))?;
            let mut closed = points.clone();
            closed.push(points[0]);
            root.draw(&PathElement::new(closed, outline))?;
        }
    }
    Ok(())
}

/// The held-out probability and the loop-analysis sign, in their columns.
fn draw_side_columns<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    columns: &Columns,
    entry: &Entry,
    y: i32,
) -> Result<(), PlotError> {
    let font = theme.tick();
    if let Some(x) = columns.held_out {
        let figure = match entry.held_out {
            _ if entry.held_out_no_path => "no path".to_string(),
            Some(p) => numbers::probability(p),
            None => "–".to_string(),
        };
        let left = (HPos::Left, VPos::Center);
        parts::text(root, &figure, (x, y), &font, MUTED, left)?;
    }
    if let (Some(x), Some((sign, stance))) = (columns.loops, &entry.loops) {
        let colour = match stance {
            LoopStance::Agrees => SUPPORTED,
            LoopStance::Disagrees => CONTRADICTED,
            LoopStance::Open => MUTED,
        };
        let font = theme.bold(18.0);
        let centre = (HPos::Center, VPos::Center);
        parts::text(
            root,
            sign,
            (x, y),
            &font,
            style::mix(colour, INK, 0.2),
            centre,
        )?;
    }
    Ok(())
}

/// The probability over all draws: a short grey bar across the line, under the verdict mark.
pub fn all_draws_tick<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (x, y): (i32, i32),
) -> Result<(), PlotError> {
    let (half_width, half_height) = (theme.ipx(2.0).max(1), theme.ipx(10.0));
    root.draw(&Rectangle::new(
        [
            (x - half_width, y - half_height),
            (x + half_width, y + half_height),
        ],
        RGBColor(140, 140, 140).filled(),
    ))?;
    Ok(())
}

/// The held-out probability's mark: a grey ring, wider than the verdict marks.
pub fn held_out_ring<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    centre: (i32, i32),
) -> Result<(), PlotError> {
    let grey = RGBColor(140, 140, 140);
    let pen = grey.stroke_width(theme.ipx(1.5).max(1) as u32);
    root.draw(&Circle::new(centre, theme.ipx(12.0), pen))?;
    Ok(())
}

/// The second legend row, for the columns only some charts have.
fn extra_legend(shown: Shown) -> Vec<(Swatch, String)> {
    let mut swatches = Vec::new();
    if shown.unconditional {
        swatches.push((
            Swatch::GreyTick,
            "all: P over all draws, the claim's own uncertain links absent in some".to_string(),
        ));
    }
    if shown.held_out {
        swatches.push((
            Swatch::Ring,
            "held out: P without the links that cite the claim (no path: nothing else connects)"
                .to_string(),
        ));
    }
    if shown.loops {
        swatches.push((
            Swatch::Bold("+ − 0 ?"),
            "loops: the sign loop analysis predicts (green agrees, vermillion disagrees, grey undecided)"
                .to_string(),
        ));
    }
    swatches
}

fn legend(inexpressible: bool) -> Vec<(Swatch, String)> {
    let mut swatches = vec![
        (Swatch::Verdict(Verdict::Supported), "supported".to_string()),
        (
            Swatch::Verdict(Verdict::Ambivalent),
            "ambivalent".to_string(),
        ),
        (
            Swatch::Verdict(Verdict::Contradicted),
            "contradicted".to_string(),
        ),
        (Swatch::Whisker, "95 % interval".to_string()),
        (
            Swatch::DashedRule,
            "support and contradiction thresholds".to_string(),
        ),
    ];
    if inexpressible {
        swatches.insert(
            3,
            (
                Swatch::Verdict(Verdict::NotExpressible),
                "not expressible in press (interaction)".to_string(),
            ),
        );
    }
    swatches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expectation(versus: Option<&str>, change: &str) -> ExpectationReport {
        ExpectationReport {
            intervention: "anti-miR-9 + TMZ".to_string(),
            versus: versus.map(str::to_string),
            node: "apoptosis".to_string(),
            change: change.to_string(),
            probability: 1.0,
            probability_ci: [0.9996, 1.0],
            probability_unconditional: 1.0,
            conditioned_on: Vec::new(),
            conditional: None,
            p_opposite: 0.0,
            verdict: Verdict::Supported,
            not_expressible: None,
            claims: vec!["A152".to_string(), "A153".to_string()],
            condition: false,
            what_if: false,
            held_out: None,
            support: None,
            without_evidence: None,
            counts: Default::default(),
            loop_prediction: None,
        }
    }

    #[test]
    fn the_library_subtitle_names_every_method_and_the_range_of_samples() {
        let ran = [("ode", 2000, 1), ("press", 10000, 1), ("ode", 2000, 1)];
        let text = library_subtitle(&ran, 0.8);
        assert!(
            text.contains("press, ode methods, 2000–10000 samples, seed 1"),
            "{text}"
        );
        let one = library_subtitle(&[("press", 10000, 7)], 0.8);
        assert!(one.contains("press method, 10000 samples, seed 7"), "{one}");
    }

    #[test]
    fn claims_read_as_sentences() {
        let e = expectation(Some("TMZ alone"), "up");
        assert_eq!(
            claim_text("apoptosis", &e),
            "apoptosis up, anti-miR-9 + TMZ vs TMZ alone [A152, A153]"
        );
        let e = expectation(None, "none");
        assert_eq!(
            claim_text("apoptosis", &e),
            "apoptosis unchanged, anti-miR-9 + TMZ vs no intervention [A152, A153]"
        );
    }
}
