//! atlas.png: the literature atlas is too large to draw whole, so the picture shows its
//! conflicts: one panel per canonical pair with raising and lowering claims, the pair and the
//! nodes on the shortest routes between them drawn as a network (the disputed link dashed, as
//! an unknown sign), and below it every claim of the conflict with its context.

use super::network::NetworkChart;
use super::parts::{self, MARGIN, text_block};
use super::style::{self, BLUE, INK, MUTED, Theme, VERMILLION};
use super::{Chart, PlotError};
use crate::pipeline::atlas::conflicts::SignConflict;
use crate::scenario::Scenario;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

/// Most conflicts drawn; the rest are in atlas-conflicts.csv.
pub const MAX_PANELS: usize = 8;

/// Design size of one panel.
pub const PANEL_SIZE: (u32, u32) = (1600, 1250);

/// One conflict and its neighbourhood.
pub struct ConflictPanel<'a> {
    pub conflict: &'a SignConflict,
    pub neighbourhood: Scenario,
}

/// The picture of the atlas's conflicts.
pub struct AtlasChart<'a> {
    pub panels: Vec<ConflictPanel<'a>>,
    /// Conflicts in all (more than the panels when some were left out).
    pub total: usize,
    pub subtitle: String,
}

impl AtlasChart<'_> {
    /// The canvas size that gives every panel its design size.
    pub fn size(&self) -> (u32, u32) {
        let columns = self.columns();
        let rows = self.panels.len().div_ceil(columns).max(1) as u32;
        (PANEL_SIZE.0 * columns as u32, 160 + rows * PANEL_SIZE.1)
    }

    fn columns(&self) -> usize {
        self.panels.len().clamp(1, 2)
    }
}

impl Chart for AtlasChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        root.fill(&style::WHITE)?;
        let theme = Theme::new(root.dim_in_pixel());
        let title = if self.total > self.panels.len() {
            format!(
                "Conflicting claims in the literature atlas ({} of {}, most claims first)",
                self.panels.len(),
                self.total
            )
        } else {
            format!(
                "Conflicting claims in the literature atlas ({})",
                self.total
            )
        };
        let top = parts::header(root, &theme, &title, &self.subtitle)?;
        if self.panels.is_empty() {
            return Ok(());
        }
        let body = root.margin(top as u32, 0, 0, 0);
        let columns = self.columns();
        let rows = self.panels.len().div_ceil(columns);
        let cells = body.split_evenly((rows, columns));
        for (panel, cell) in self.panels.iter().zip(&cells) {
            draw_panel(panel, cell)?;
        }
        Ok(())
    }
}

/// Claim lines below the network, at most this many (the rest are counted).
const MAX_CLAIM_LINES: usize = 12;

fn draw_panel<DB: DrawingBackend>(
    panel: &ConflictPanel,
    cell: &DrawingArea<DB, Shift>,
) -> Result<(), PlotError> {
    let (width, height) = cell.dim_in_pixel();
    let theme = Theme::new((width, height));
    let font = theme.regular(18.0);
    let line = style::line_height(&font);
    let room = f64::from(width) - 2.0 * theme.px(MARGIN);
    let mut lines: Vec<(RGBColor, String)> = Vec::new();
    for p in panel.conflict.claims.iter().take(MAX_CLAIM_LINES) {
        let (colour, verb) = match p.sign.as_str() {
            "+" => (BLUE, "raises"),
            "-" => (VERMILLION, "lowers"),
            _ => (MUTED, "both ways"),
        };
        let text = format!(
            "{} {verb} · {} · {} · seed {} · as written: {} → {}",
            p.id,
            p.cancer,
            p.model,
            p.seed.split('_').next().unwrap_or(&p.seed),
            p.regulator,
            p.target
        );
        for wrapped in style::wrap(&text, &font, room, 1)? {
            lines.push((colour, wrapped));
        }
    }
    let more = panel.conflict.claims.len().saturating_sub(MAX_CLAIM_LINES);
    if more > 0 {
        lines.push((
            MUTED,
            format!("… and {more} more claims (atlas-conflicts.csv)"),
        ));
    }
    let text_height = (line * (lines.len() as f64 + 1.0) + theme.px(MARGIN)).round() as u32;
    let (network, claims) = cell.split_vertically(height.saturating_sub(text_height));
    NetworkChart::new(&panel.neighbourhood, None).draw(&network)?;
    let left = theme.ipx(MARGIN);
    for (k, (colour, text)) in lines.iter().enumerate() {
        let y = (line * (k as f64 + 0.5)).round() as i32;
        let ink = if *colour == MUTED { INK } else { *colour };
        text_block(
            &claims,
            std::slice::from_ref(text),
            (left, y),
            &font,
            ink,
            HPos::Left,
        )?;
    }
    Ok(())
}
