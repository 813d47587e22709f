//! Drawing pieces several charts share: text with consistent anchoring, the title block, the
//! legend row, and the grid of a label column beside one panel per intervention.

use super::PlotError;
use super::style::{self, INK, MUTED, Theme};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Margin around every chart, at design size.
pub const MARGIN: f64 = 28.0;

/// Draws one line of text. `y` is the vertical centre of the line for `VPos::Center`: the
/// glyphs are nudged down because plotters centres the font's box, which sits above the
/// letters' visual middle.
pub fn text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    content: &str,
    (x, y): (i32, i32),
    font: &FontDesc,
    colour: RGBColor,
    anchor: (HPos, VPos),
) -> Result<(), PlotError> {
    let nudge = if matches!(anchor.1, VPos::Center) {
        (font.get_size() * 0.1).round() as i32
    } else {
        0
    };
    let style = TextStyle::from(font.clone())
        .color(&colour)
        .pos(Pos::new(anchor.0, anchor.1));
    area.draw(&Text::new(content.to_string(), (x, y + nudge), style))?;
    Ok(())
}

/// Draws lines of text as a block whose vertical centre is `y`.
pub fn text_block<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lines: &[String],
    (x, y): (i32, i32),
    font: &FontDesc,
    colour: RGBColor,
    h_pos: HPos,
) -> Result<(), PlotError> {
    let line = style::line_height(font);
    let top = f64::from(y) - line * lines.len() as f64 / 2.0;
    for (i, content) in lines.iter().enumerate() {
        let centre = (top + line * (i as f64 + 0.5)).round() as i32;
        text(
            area,
            content,
            (x, centre),
            font,
            colour,
            (h_pos, VPos::Center),
        )?;
    }
    Ok(())
}

/// Draws the title and subtitle at the top left and returns the y just below them.
pub fn header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    title: &str,
    subtitle: &str,
) -> Result<i32, PlotError> {
    let (width, _) = root.dim_in_pixel();
    let left = theme.ipx(MARGIN);
    let room = f64::from(width) - 2.0 * theme.px(MARGIN);
    let mut y = theme.px(MARGIN) * 0.8;
    for (font, colour, content) in [
        (theme.title(), INK, title),
        (theme.subtitle(), MUTED, subtitle),
    ] {
        let lines = style::wrap(content, &font, room, 2)?;
        let height = style::line_height(&font) * lines.len() as f64;
        text_block(
            root,
            &lines,
            (left, (y + height / 2.0).round() as i32),
            &font,
            colour,
            HPos::Left,
        )?;
        y += height + theme.px(4.0);
    }
    Ok((y + theme.px(8.0)).round() as i32)
}

/// A small picture in a legend.
#[derive(Debug, Clone, Copy)]
pub enum Swatch {
    /// A filled square.
    Fill(RGBColor),
    /// A thick horizontal bar.
    Bar(RGBColor),
    /// An error bar with end caps.
    Whisker,
    /// A short vertical stroke.
    Tick,
    /// A hollow diamond.
    Diamond,
    /// A dashed vertical line.
    DashedRule,
    /// An empty square with a thick outline, standing for outlined cells.
    Outline,
    /// A word in bold, standing for emphasised labels or for what a column shows.
    Bold(&'static str),
    /// A verdict's mark in its colour (see [`super::claims::mark`]).
    Verdict(crate::analysis::Verdict),
    /// The held-out probability's ring (see [`super::claims::held_out_ring`]).
    Ring,
    /// claims.png's grey bar at the probability over all draws.
    GreyTick,
    /// A thick bar over a thinner, paler one: a claim's row in outcomes.png.
    Split,
}

/// Draws legend entries in one row centred on `centre_x`, returns nothing; each entry is a
/// swatch followed by its label.
pub fn legend_row<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    entries: &[(Swatch, String)],
    (centre_x, y): (i32, i32),
) -> Result<(), PlotError> {
    let font = theme.tick();
    let swatch = theme.px(22.0);
    let gap = theme.px(8.0);
    let spacing = theme.px(30.0);
    let swatch_width = |kind: &Swatch| match kind {
        Swatch::Bold(word) => style::text_width(word, &theme.bold(16.0)),
        _ => Ok(swatch),
    };
    let mut widths = Vec::new();
    for (kind, label) in entries {
        widths.push(swatch_width(kind)? + gap + style::text_width(label, &font)?);
    }
    let total: f64 = widths.iter().sum::<f64>() + spacing * (entries.len().max(1) - 1) as f64;
    let mut x = f64::from(centre_x) - total / 2.0;
    for ((kind, label), width) in entries.iter().zip(widths) {
        draw_swatch(root, theme, *kind, (x.round() as i32, y))?;
        let label_x = (x + swatch_width(kind)? + gap).round() as i32;
        text(
            root,
            label,
            (label_x, y),
            &font,
            INK,
            (HPos::Left, VPos::Center),
        )?;
        x += width + spacing;
    }
    Ok(())
}

/// Legend entries flowed into rows no wider than the canvas between its margins: each group
/// starts a new row and wraps onto more when it is too wide. Returns the rows, top first.
pub fn legend_lines(
    theme: &Theme,
    width: u32,
    groups: &[Vec<(Swatch, String)>],
) -> Result<Vec<Vec<(Swatch, String)>>, PlotError> {
    let font = theme.tick();
    let room = f64::from(width) - 2.0 * theme.px(MARGIN);
    let spacing = theme.px(30.0);
    let mut lines = Vec::new();
    for group in groups {
        let mut line: Vec<(Swatch, String)> = Vec::new();
        let mut used = 0.0;
        for entry in group {
            let swatch = match entry.0 {
                Swatch::Bold(word) => style::text_width(word, &theme.bold(16.0))?,
                _ => theme.px(22.0),
            };
            let width = swatch + theme.px(8.0) + style::text_width(&entry.1, &font)?;
            if !line.is_empty() && used + spacing + width > room {
                lines.push(std::mem::take(&mut line));
                used = 0.0;
            }
            used += if line.is_empty() {
                width
            } else {
                spacing + width
            };
            line.push(entry.clone());
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    Ok(lines)
}

/// Vertical distance between legend rows at the foot of a chart, in design pixels.
pub const LEGEND_PITCH: f64 = 32.0;

/// Draws legend rows centred at the foot of a `width` × `height` chart, the last one a margin
/// above its bottom edge.
pub fn bottom_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    lines: &[Vec<(Swatch, String)>],
    (width, height): (u32, u32),
) -> Result<(), PlotError> {
    let foot = (width as i32 / 2, height as i32 - theme.ipx(MARGIN));
    legend_rows(root, theme, lines, foot, theme.ipx(LEGEND_PITCH))
}

/// Draws legend rows (from [`legend_lines`]) centred on `centre_x`, the last one at `bottom`,
/// each `pitch` pixels above the next.
pub fn legend_rows<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    lines: &[Vec<(Swatch, String)>],
    (centre_x, bottom): (i32, i32),
    pitch: i32,
) -> Result<(), PlotError> {
    let count = lines.len() as i32;
    for (k, line) in lines.iter().enumerate() {
        let y = bottom - (count - 1 - k as i32) * pitch;
        legend_row(root, theme, line, (centre_x, y))?;
    }
    Ok(())
}

fn draw_swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    kind: Swatch,
    (x, y): (i32, i32),
) -> Result<(), PlotError> {
    let size = theme.ipx(22.0);
    let half = size / 2;
    let (mid, right) = (x + half, x + size);
    match kind {
        Swatch::Fill(colour) => {
            root.draw(&Rectangle::new(
                [(x, y - half + 2), (right, y + half - 2)],
                colour.filled(),
            ))?;
        }
        Swatch::Bar(colour) => {
            // As thick as the effect chart's bars at their usual row height.
            let h = theme.ipx(8.0);
            root.draw(&Rectangle::new(
                [(x, y - h), (right, y + h)],
                colour.filled(),
            ))?;
        }
        Swatch::Whisker => whisker(root, theme, (x, right), y)?,
        Swatch::Tick => {
            root.draw(&Rectangle::new(
                [
                    (mid - theme.ipx(1.5), y - half + 2),
                    (mid + theme.ipx(1.5), y + half - 2),
                ],
                INK.filled(),
            ))?;
        }
        Swatch::Diamond => diamond(root, theme, (mid, y))?,
        Swatch::Verdict(verdict) => {
            let colour = super::claims::verdict_colour(verdict);
            super::claims::mark(root, theme, verdict, colour, (mid, y))?;
        }
        Swatch::Outline => {
            let pen = theme.ipx(3.0).max(2);
            root.draw(&Rectangle::new(
                [
                    (x + pen / 2, y - half + pen / 2),
                    (right - pen / 2, y + half - pen / 2),
                ],
                INK.stroke_width(pen as u32),
            ))?;
        }
        Swatch::Ring => super::claims::held_out_ring(root, theme, (mid, y))?,
        Swatch::GreyTick => super::claims::all_draws_tick(root, theme, (mid, y))?,
        Swatch::Split => {
            let (thick, thin) = (theme.ipx(10.0), theme.ipx(6.0));
            let gap = theme.ipx(2.0);
            let top = y - (thick + gap + thin) / 2;
            root.draw(&Rectangle::new(
                [(x, top), (right, top + thick)],
                style::BLUE.filled(),
            ))?;
            root.draw(&Rectangle::new(
                [(x, top + thick + gap), (right, top + thick + gap + thin)],
                style::mix(style::BLUE, style::WHITE, 0.55).filled(),
            ))?;
        }
        Swatch::Bold(word) => {
            let font = theme.bold(16.0);
            text(root, word, (x, y), &font, INK, (HPos::Left, VPos::Center))?;
        }
        Swatch::DashedRule => {
            root.draw(&DashedPathElement::new(
                vec![(mid, y - half), (mid, y + half)],
                theme.ipx(4.0),
                theme.ipx(3.0),
                INK.stroke_width(theme.ipx(2.0).max(1) as u32),
            ))?;
        }
    }
    Ok(())
}

/// A horizontal error bar from `x.0` to `x.1` at height `y`, with end caps.
pub fn whisker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (from, to): (i32, i32),
    y: i32,
) -> Result<(), PlotError> {
    let stroke = INK.stroke_width(theme.ipx(2.0).max(1) as u32);
    // A white halo keeps the whisker legible where it crosses a dark bar.
    let halo = style::WHITE.stroke_width(theme.ipx(5.0).max(3) as u32);
    let cap = theme.ipx(7.0);
    for pen in [halo, stroke] {
        area.draw(&PathElement::new(vec![(from, y), (to, y)], pen))?;
        for x in [from, to] {
            area.draw(&PathElement::new(vec![(x, y - cap), (x, y + cap)], pen))?;
        }
    }
    Ok(())
}

/// A dashed vertical rule at `x` from `top` to `bottom`: a zero line or a threshold.
pub fn dashed_rule<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    x: i32,
    (top, bottom): (i32, i32),
) -> Result<(), PlotError> {
    area.draw(&DashedPathElement::new(
        vec![(x, top), (x, bottom)],
        theme.ipx(6.0),
        theme.ipx(4.0),
        INK.stroke_width(theme.ipx(1.5).max(1) as u32),
    ))?;
    Ok(())
}

/// The mean marker: a white diamond with a dark outline.
pub fn diamond<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (x, y): (i32, i32),
) -> Result<(), PlotError> {
    let r = theme.ipx(7.0);
    let points = vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)];
    area.draw(&Polygon::new(points.clone(), style::WHITE.filled()))?;
    let mut outline = points.clone();
    outline.push(points[0]);
    area.draw(&PathElement::new(
        outline,
        INK.stroke_width(theme.ipx(2.0).max(1) as u32),
    ))?;
    Ok(())
}

/// The frame shared by the outcome and effect charts: a column of row labels on the left and
/// one equally wide panel per intervention, all rows aligned across panels.
pub struct PanelGrid {
    /// Wrapped row labels, top row first, and whether each is emphasised (bold).
    pub labels: Vec<Vec<String>>,
    pub emphasised: Vec<bool>,
    /// Right edge of the label column.
    pub label_right: i32,
    /// Horizontal extent of each panel.
    pub panels: Vec<(i32, i32)>,
    /// Top of the panel titles and of the plotting rows; bottom of the rows.
    pub title_top: i32,
    pub rows_top: i32,
    pub rows_bottom: i32,
    /// Wrapped panel titles (the intervention names), all given the same height.
    pub titles: Vec<Vec<String>>,
}

impl PanelGrid {
    /// Lays out the label column and panels between `top` and `bottom` (pixels), leaving room
    /// under the rows for the x axis. Row labels come with whether to emphasise them.
    pub fn new(
        theme: &Theme,
        width: u32,
        (top, bottom): (i32, i32),
        row_labels: &[(String, bool)],
        panel_titles: &[String],
    ) -> Result<PanelGrid, PlotError> {
        let font = theme.tick();
        let margin = theme.px(MARGIN);
        let max_label = (f64::from(width) * 0.2).max(theme.px(120.0));
        // Two-line labels only where rows are tall enough for them (estimated with two-line
        // panel titles, as most are).
        let title_font = theme.panel_title();
        let rows_estimate =
            f64::from(bottom - top) - theme.px(72.0) - 2.0 * style::line_height(&title_font);
        let pitch_estimate = rows_estimate / row_labels.len().max(1) as f64;
        let label_lines = if pitch_estimate >= 2.2 * style::line_height(&font) {
            2
        } else {
            1
        };
        let mut labels = Vec::new();
        let mut widest: f64 = 0.0;
        for (label, emphasised) in row_labels {
            let font = row_font(theme, *emphasised);
            let lines = style::wrap(label, &font, max_label, label_lines)?;
            for line in &lines {
                widest = widest.max(style::text_width(line, &font)?);
            }
            labels.push(lines);
        }
        let label_right = (margin + widest + theme.px(14.0)).round() as i32;
        let count = panel_titles.len().max(1) as f64;
        let gap = theme.px(34.0);
        let panel_width =
            (f64::from(width) - margin - f64::from(label_right) - gap * (count - 1.0)) / count;
        let panels = (0..panel_titles.len())
            .map(|i| {
                let left = f64::from(label_right) + i as f64 * (panel_width + gap);
                (left.round() as i32, (left + panel_width).round() as i32)
            })
            .collect();
        let mut titles = Vec::new();
        // Up to three lines: an intervention's name is shortened only past that.
        for title in panel_titles {
            titles.push(style::wrap(title, &title_font, panel_width, 3)?);
        }
        let title_lines = titles.iter().map(Vec::len).max().unwrap_or(1) as f64;
        let rows_top =
            top + (style::line_height(&title_font) * title_lines + theme.px(10.0)) as i32;
        Ok(PanelGrid {
            labels,
            emphasised: row_labels.iter().map(|(_, e)| *e).collect(),
            label_right,
            panels,
            title_top: top,
            rows_top,
            rows_bottom: bottom - theme.ipx(62.0),
            titles,
        })
    }

    /// The vertical centre of row `i` and the height of one row.
    pub fn row(&self, i: usize) -> (i32, f64) {
        let pitch = self.pitch();
        let centre = f64::from(self.rows_top) + pitch * (i as f64 + 0.5);
        (centre.round() as i32, pitch)
    }

    fn pitch(&self) -> f64 {
        f64::from(self.rows_bottom - self.rows_top) / self.labels.len().max(1) as f64
    }

    /// Draws the row labels, the panel titles and light bands behind every other row (so a
    /// row can be followed across panels).
    pub fn draw_frame<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> Result<(), PlotError> {
        let band = RGBColor(244, 244, 244);
        for (i, (lines, emphasised)) in self.labels.iter().zip(&self.emphasised).enumerate() {
            let (centre, pitch) = self.row(i);
            if i % 2 == 1 {
                let half = (pitch / 2.0).round() as i32;
                let right = self.panels.last().map_or(self.label_right, |p| p.1);
                root.draw(&Rectangle::new(
                    [
                        (theme.ipx(MARGIN) / 2, centre - half),
                        (right, centre + half),
                    ],
                    band.filled(),
                ))?;
            }
            let x = self.label_right - theme.ipx(12.0);
            let font = row_font(theme, *emphasised);
            text_block(root, lines, (x, centre), &font, INK, HPos::Right)?;
        }
        let title_font = theme.panel_title();
        for ((left, right), lines) in self.panels.iter().zip(&self.titles) {
            let centre = (f64::from(self.rows_top - self.title_top) - theme.px(10.0)) / 2.0;
            let y = self.title_top + centre.round() as i32;
            text_block(
                root,
                lines,
                ((left + right) / 2, y),
                &title_font,
                INK,
                HPos::Center,
            )?;
        }
        Ok(())
    }
}

/// Row labels: bold when emphasised.
fn row_font(theme: &Theme, emphasised: bool) -> FontDesc<'static> {
    if emphasised {
        theme.bold(16.0)
    } else {
        theme.tick()
    }
}

/// A horizontal axis under the rows of one panel: grid lines, ticks at the given pixel
/// positions with their labels, and the axis description centred below. Labels that would
/// collide with their left neighbour are skipped.
pub fn x_axis<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (top, bottom): (i32, i32),
    ticks: &[(i32, String)],
    description: &str,
    (left, right): (i32, i32),
) -> Result<(), PlotError> {
    let font = theme.tick();
    let grid = style::LIGHT.stroke_width(1);
    let ink = MUTED.stroke_width(theme.ipx(1.5).max(1) as u32);
    root.draw(&PathElement::new(
        vec![(left, bottom), (right, bottom)],
        ink,
    ))?;
    let label_y = bottom + theme.ipx(8.0);
    let mut last_right = i32::MIN;
    for (x, label) in ticks {
        root.draw(&PathElement::new(vec![(*x, top), (*x, bottom)], grid))?;
        root.draw(&PathElement::new(
            vec![(*x, bottom), (*x, bottom + theme.ipx(6.0))],
            ink,
        ))?;
        let half = (style::text_width(label, &font)? / 2.0).ceil() as i32;
        if x - half > last_right + theme.ipx(6.0) {
            text(
                root,
                label,
                (*x, label_y),
                &font,
                INK,
                (HPos::Center, VPos::Top),
            )?;
            last_right = x + half;
        }
    }
    let description = style::abbreviate(description, &theme.label(), f64::from(right - left))?;
    let y = label_y + theme.ipx(34.0);
    text(
        root,
        &description,
        ((left + right) / 2, y),
        &theme.label(),
        INK,
        (HPos::Center, VPos::Center),
    )
}

/// A vertical scale from −1 (down) to +1 (up) in the [`style::diverging`] colours, under its
/// caption at `(left, top)`: the key to every chart coloured by P(up) − P(down).
pub fn colour_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    caption: &str,
    (left, top): (f64, f64),
) -> Result<(), PlotError> {
    let font = theme.tick();
    text(
        root,
        caption,
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
        text(
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
