//! The columns of claims.png: where the claim text, the method, the probability axis, the
//! figures, the held-out probability, the loop-analysis sign and the verdict sit, and their
//! headings. Optional columns take room only when some row has something to put in them.

use super::PlotError;
use super::claims::{AXIS_PAD, Row};
use super::parts;
use super::style::{self, INK, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Which optional columns a chart has.
#[derive(Debug, Clone, Copy)]
pub(super) struct Shown {
    pub(super) methods: bool,
    pub(super) held_out: bool,
    pub(super) loops: bool,
    /// Some claim's probability over all draws differs from the one it is judged on.
    pub(super) unconditional: bool,
}

impl Shown {
    pub(super) fn of(rows: &[Row]) -> Shown {
        let entries = || {
            rows.iter().flat_map(|r| match r {
                Row::Claim { entries, .. } => entries.as_slice(),
                Row::Heading(_) => &[],
            })
        };
        Shown {
            methods: entries().any(|e| e.method.is_some()),
            held_out: entries().any(|e| e.held_out.is_some()),
            loops: entries().any(|e| e.loops.is_some()),
            unconditional: entries().any(|e| e.unconditional.is_some()),
        }
    }
}

/// Where each column sits, in pixels: the left edge of each (the centre of `loops`).
pub(super) struct Columns {
    pub(super) text: (i32, i32),
    pub(super) method: Option<i32>,
    pub(super) plot: (i32, i32),
    pub(super) figures: i32,
    /// The probability over all draws, right of the figures.
    pub(super) unconditional: Option<i32>,
    pub(super) held_out: Option<i32>,
    pub(super) loops: Option<i32>,
    pub(super) verdict: i32,
}

impl Columns {
    pub(super) fn new(theme: &Theme, width: u32, shown: Shown) -> Result<Columns, PlotError> {
        let font = theme.tick();
        let head = theme.panel_title();
        let margin = theme.px(parts::MARGIN);
        let gap = theme.px(24.0);
        let verdict_width = style::text_width("assumed (conditioned on)", &font)?;
        let figures_width = style::text_width("> 0.999 [0.0000, 0.0000]", &font)?;
        let method_width = if shown.methods {
            style::text_width("press", &font)? + gap
        } else {
            0.0
        };
        let right = f64::from(width) - margin;
        let verdict = right - verdict_width;
        let mut next = verdict;
        let mut column = |on: bool, width: f64| {
            on.then(|| {
                next -= gap + width;
                next
            })
        };
        let loops_width = style::text_width("loops", &head)?;
        let loops = column(shown.loops, loops_width).map(|x| x + loops_width / 2.0);
        let held_out = column(shown.held_out, style::text_width("held out", &head)?);
        let all_width = style::text_width("all > 0.999", &font)?;
        let unconditional = column(shown.unconditional, all_width);
        let figures = column(true, figures_width).unwrap_or(next);
        let plot_right = figures - gap;
        let plot_left = plot_right - f64::from(width) * 0.24;
        let method = shown.methods.then_some(plot_left - gap / 2.0);
        let text_right = plot_left - gap - method_width;
        let at = |x: f64| x.round() as i32;
        Ok(Columns {
            text: (at(margin), at(text_right)),
            method: method.map(at),
            plot: (at(plot_left), at(plot_right)),
            figures: at(figures),
            unconditional: unconditional.map(at),
            held_out: held_out.map(at),
            loops: loops.map(at),
            verdict: at(verdict),
        })
    }

    pub(super) fn x(&self, p: f64) -> i32 {
        let (left, right) = self.plot;
        let t = (AXIS_PAD + p.clamp(0.0, 1.0)) / (1.0 + 2.0 * AXIS_PAD);
        (f64::from(left) + t * f64::from(right - left)).round() as i32
    }
}

pub(super) fn column_heads<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    columns: &Columns,
    y: i32,
) -> Result<(), PlotError> {
    let font = theme.panel_title();
    let left = (HPos::Left, VPos::Center);
    parts::text(root, "claim", (columns.text.0, y), &font, INK, left)?;
    let centre = (columns.plot.0 + columns.plot.1) / 2;
    let mut heads = vec![
        ("P with 95 % interval", centre, HPos::Center),
        ("P [95 % interval]", columns.figures, HPos::Left),
        ("verdict", columns.verdict, HPos::Left),
    ];
    heads.extend(columns.held_out.map(|x| ("held out", x, HPos::Left)));
    heads.extend(columns.loops.map(|x| ("loops", x, HPos::Center)));
    for (head, x, h_pos) in heads {
        parts::text(root, head, (x, y), &font, INK, (h_pos, VPos::Center))?;
    }
    Ok(())
}
