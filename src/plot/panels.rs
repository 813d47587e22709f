//! The panels of outcomes.png and effects.png: one per intervention against no intervention,
//! and, when expectations compare two interventions (`versus`), a second row with one
//! "A vs B" panel per pair showing the paired difference the claims are judged on.
//!
//! A claim is judged on the draws in which its own uncertain links are present (docs/methods.md,
//! "A verdict takes its own claim as given"), while a panel counts every draw. So that a panel
//! never shows a different P from its claim, the row of a node a judged, conditioned claim is
//! about gets the claim's own shares too ([`Given`]); the chart draws both, labelled.

use super::PlotError;
use super::parts::{self, PanelGrid};
use super::style::{MUTED, Theme};
use crate::analysis::held_out::DirectionCounts;
use crate::analysis::{ExpectationReport, NodeOutcome, RunReport};
use crate::sample::stats::{Z95, wilson_interval};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// One panel: a title over one outcome per node.
pub struct Panel<'r> {
    /// The intervention or "A vs B", with its sample count when some draws could not be
    /// solved.
    pub title: String,
    pub nodes: &'r [NodeOutcome],
    /// A comparison of two interventions rather than of one with no intervention.
    pub versus: bool,
    /// The shares the claims about this panel's nodes are judged on, where they differ from
    /// the panel's (claims whose own links are uncertain).
    pub given: Vec<Given>,
}

/// P(down), P(no change), P(up) of one bar, with the 95 % Wilson intervals of down and up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shares {
    pub down: f64,
    pub zero: f64,
    pub up: f64,
    pub down_ci: [f64; 2],
    pub up_ci: [f64; 2],
}

impl Shares {
    pub fn of(outcome: &NodeOutcome) -> Shares {
        Shares {
            down: outcome.p_down,
            zero: outcome.p_zero,
            up: outcome.p_up,
            down_ci: outcome.p_down_ci,
            up_ci: outcome.p_up_ci,
        }
    }

    fn counted(c: DirectionCounts) -> Shares {
        let n = c.up + c.down + c.zero;
        let share = |k: u64| {
            if n == 0 {
                f64::NAN
            } else {
                k as f64 / n as f64
            }
        };
        let interval = |k: u64| {
            let (lo, hi) = wilson_interval(k, n, Z95);
            [lo, hi]
        };
        Shares {
            down: share(c.down),
            zero: share(c.zero),
            up: share(c.up),
            down_ci: interval(c.down),
            up_ci: interval(c.up),
        }
    }

    /// The share of a change: "up", "down" or "none".
    pub fn of_change(&self, change: &str) -> f64 {
        match change {
            "up" => self.up,
            "down" => self.down,
            _ => self.zero,
        }
    }
}

/// One node's shares on the draws in which a claim's own uncertain links are present: what
/// the claim's verdict is judged on.
#[derive(Debug, Clone)]
pub struct Given {
    pub node: String,
    pub shares: Shares,
    /// The change's quantiles on these draws (effects.png); `None` in reports written before
    /// they were kept.
    pub spread: Option<NodeOutcome>,
    /// The claim ids of the expectations judged on these draws.
    pub claims: Vec<String>,
}

impl Panel<'_> {
    /// What the row of `node` shows: the claims' shares first (each set of conditioning
    /// links once), then the shares over all draws.
    pub fn shown(&self, node: usize) -> Vec<(Shares, Option<&Given>)> {
        let outcome = &self.nodes[node];
        let mut bars: Vec<(Shares, Option<&Given>)> = self
            .given
            .iter()
            .filter(|g| g.node == outcome.node)
            .map(|g| (g.shares, Some(g)))
            .collect();
        bars.push((Shares::of(outcome), None));
        bars
    }

    /// What the row of `node` shows in effects.png: the change on the claims' draws first
    /// (each set of conditioning links once), then over all draws, which is last and marked
    /// `true`.
    pub fn spreads(&self, node: usize) -> Vec<(&NodeOutcome, bool)> {
        let outcome = &self.nodes[node];
        let mut spreads: Vec<(&NodeOutcome, bool)> = self
            .given
            .iter()
            .filter(|g| g.node == outcome.node)
            .filter_map(|g| Some((g.spread.as_ref()?, false)))
            .collect();
        spreads.push((outcome, true));
        spreads
    }
}

/// The judged claims about a panel comparing `intervention` with `versus` whose own links are
/// uncertain, each set of conditioning links once per node.
fn given(report: &RunReport, intervention: &str, versus: Option<&str>) -> Vec<Given> {
    let mut given: Vec<(Given, &[String])> = Vec::new();
    let about = |e: &&ExpectationReport| {
        e.intervention == intervention
            && e.versus.as_deref() == versus
            && e.verdict.is_judged()
            && !e.conditioned_on.is_empty()
    };
    for e in report.expectations.iter().filter(about) {
        let same = given
            .iter_mut()
            .find(|(g, links)| g.node == e.node && *links == e.conditioned_on.as_slice());
        match same {
            Some((g, _)) => {
                for claim in &e.claims {
                    if !g.claims.contains(claim) {
                        g.claims.push(claim.clone());
                    }
                }
            }
            None => given.push((
                Given {
                    node: e.node.clone(),
                    shares: Shares::counted(e.counts),
                    spread: e.conditional.clone(),
                    claims: e.claims.clone(),
                },
                &e.conditioned_on,
            )),
        }
    }
    given.into_iter().map(|(g, _)| g).collect()
}

/// A row of panels under a caption.
pub struct PanelRow<'r> {
    pub caption: &'static str,
    pub panels: Vec<Panel<'r>>,
}

/// What each row of panels compares.
const AGAINST_BASELINE: &str = "Each intervention compared with no intervention";
const AGAINST_EACH_OTHER: &str = "Interventions compared with each other on the same draws (the change under A minus that under B), as the claims with \"versus\" are judged";

/// The rows of panels of a run: the interventions, then the versus pairs when there are any.
pub fn panel_rows(report: &RunReport) -> Vec<PanelRow<'_>> {
    let interventions = report
        .interventions
        .iter()
        .map(|i| Panel {
            title: counted(&i.name, i.samples, report.samples),
            nodes: &i.nodes,
            versus: false,
            given: given(report, &i.name, None),
        })
        .collect();
    let mut rows = vec![PanelRow {
        caption: AGAINST_BASELINE,
        panels: interventions,
    }];
    if !report.comparisons.is_empty() {
        rows.push(PanelRow {
            caption: AGAINST_EACH_OTHER,
            panels: report
                .comparisons
                .iter()
                .map(|c| Panel {
                    title: counted(&c.title(), c.samples, report.samples),
                    nodes: &c.nodes,
                    versus: true,
                    given: given(report, &c.intervention, Some(&c.versus)),
                })
                .collect(),
        });
    }
    rows
}

/// A panel's name, with its sample count when some draws could not be solved.
fn counted(name: &str, samples: u64, run_samples: u64) -> String {
    if samples < run_samples {
        format!("{name} (n = {samples})")
    } else {
        name.to_string()
    }
}

/// The canvas of a panel chart: `base`, made taller by three quarters when a second row of
/// panels has to fit, so rows keep the height they have in a single-row chart.
pub fn canvas_size(report: &RunReport, base: (u32, u32)) -> (u32, u32) {
    if report.comparisons.is_empty() {
        base
    } else {
        (base.0, base.1 + base.1 * 3 / 4)
    }
}

/// Lays out one [`PanelGrid`] per row between `top` and `bottom`, sharing the height equally;
/// with several rows each gets its caption above it. Returns the grids in row order.
pub fn layout<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (top, bottom): (i32, i32),
    labels: &[(String, bool)],
    rows: &[PanelRow],
) -> Result<Vec<PanelGrid>, PlotError> {
    let (width, _) = root.dim_in_pixel();
    let captioned = rows.len() > 1;
    let share = f64::from(bottom - top) / rows.len().max(1) as f64;
    let mut grids = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let mut row_top = top + (share * i as f64).round() as i32;
        let row_bottom = top + (share * (i + 1) as f64).round() as i32;
        if captioned {
            row_top = caption(root, theme, row.caption, row_top)?;
        }
        let titles: Vec<String> = row.panels.iter().map(|p| p.title.clone()).collect();
        grids.push(PanelGrid::new(
            theme,
            width,
            (row_top, row_bottom),
            labels,
            &titles,
        )?);
    }
    Ok(grids)
}

/// A row's caption at the left margin; returns the y below it.
fn caption<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    content: &str,
    top: i32,
) -> Result<i32, PlotError> {
    let font = theme.bold(17.0);
    let (width, _) = root.dim_in_pixel();
    let room = f64::from(width) - 2.0 * theme.px(parts::MARGIN);
    let lines = super::style::wrap(content, &font, room, 2)?;
    let height = super::style::line_height(&font) * lines.len() as f64;
    let left = theme.ipx(parts::MARGIN);
    let centre = f64::from(top) + theme.px(6.0) + height / 2.0;
    for (k, line) in lines.iter().enumerate() {
        let offset = (k as f64 - (lines.len() as f64 - 1.0) / 2.0) * height / lines.len() as f64;
        parts::text(
            root,
            line,
            (left, (centre + offset).round() as i32),
            &font,
            MUTED,
            (HPos::Left, VPos::Center),
        )?;
    }
    Ok((f64::from(top) + height + theme.px(14.0)).round() as i32)
}
