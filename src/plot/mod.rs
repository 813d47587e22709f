//! Charts of a run, drawn with plotters and the embedded DejaVu Sans font (no system libraries),
//! as PNG by default or SVG when asked.
//!
//! [`render_charts`] draws a run's charts in memory; the caller writes the bytes (`claimsim
//! run -o DIR` through [`crate::output`]). Each chart lives in its own file and only draws onto a plotters drawing area:
//! - [`outcomes`]: P(down), P(no change), P(up) per node, interventions side by side;
//! - [`effects`]: the distribution of each node's change on a symmetric log scale;
//! - [`network`]: the network with an automatic [`layout`], nodes coloured by the outcome of
//!   the intervention most claims are about, and one `network-<slug>` per intervention with
//!   its presses, knockouts and blocks marked;
//! - [`sensitivity`]: per expectation, the links whose strength drives it (press runs);
//! - [`timecourse`]: ode levels over time, a row per node and a column per intervention (ode runs);
//! - [`methods`]: P(up) − P(down) per node by press, ode and fcm side by side (`--method all`);
//! - [`claims`]: every claim's probability, interval and verdict, as tall as its rows need;
//! - [`fragility`]: a sweep's claims ranked by how many single perturbations flip them.
//!
//! Shared pieces: [`style`] (font, palette, sizes, text fitting), `canvas` (the PNG path:
//! supersampled canvas, downsample, encoding) and `text` (its glyph cache), `parts` (titles,
//! legends, panel grids, axes), `paths` and `marks` (link geometry and shapes of the network).

pub mod atlas;
mod canvas;
mod claim_columns;
pub mod claims;
pub mod effects;
pub mod fragility;
pub mod layout;
mod marks;
pub mod methods;
pub mod network;
pub mod outcomes;
pub mod panels;
mod parts;
mod paths;
pub mod sensitivity;
pub mod style;
mod text;
pub mod timecourse;

use crate::analysis::RunReport;
use crate::error::Error;
use crate::scenario::Scenario;
use plotters::coord::Shift;
use plotters::prelude::*;
use rayon::prelude::*;
use std::path::Path;

/// The file format of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    Png,
    Svg,
}

impl ChartFormat {
    /// The format a path asks for by its extension, if it names a picture.
    pub fn from_path(path: &Path) -> Option<ChartFormat> {
        let extension = path.extension()?.to_string_lossy().to_lowercase();
        match extension.as_str() {
            "png" => Some(ChartFormat::Png),
            "svg" => Some(ChartFormat::Svg),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ChartFormat::Png => "png",
            ChartFormat::Svg => "svg",
        }
    }
}

/// How to draw the charts of a run.
#[derive(Debug, Clone, Copy)]
pub struct PlotOptions {
    pub format: ChartFormat,
    /// Width and height in pixels.
    pub size: (u32, u32),
    /// The intervention the network is coloured by; `None` picks the one most expectations
    /// are about (see [`network::chosen_intervention`]).
    pub intervention: Option<usize>,
    /// Also draw one network per intervention (`network-<slug>.png`); `claimsim serve` draws
    /// only the one it shows.
    pub every_network: bool,
}

impl Default for PlotOptions {
    fn default() -> Self {
        PlotOptions {
            format: ChartFormat::Png,
            size: style::DEFAULT_SIZE,
            intervention: None,
            every_network: true,
        }
    }
}

/// A failure inside plotters (a backend or font error), as text: plotters' error types are
/// generic over the backend, and the user only needs to read what went wrong.
#[derive(Debug, Clone)]
pub struct PlotError(String);

impl PlotError {
    pub fn new(message: impl Into<String>) -> PlotError {
        PlotError(message.into())
    }
}

impl std::fmt::Display for PlotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for PlotError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        PlotError(e.to_string())
    }
}

/// A chart: something that draws itself onto any plotters backend.
pub trait Chart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError>;
}

/// One rendered chart: its file name and its bytes.
#[derive(Debug, Clone)]
pub struct RenderedChart {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Draws every chart of a run in memory: claims when the scenario has claims, outcomes, effects, network, sensitivity when the run
/// has sensitivities and timecourse when it has time courses (ode). Several reports (one per
/// method) get the method in their file names, and one methods chart compares them; a single
/// report gives plain `outcomes.png` and so on.
pub fn render_charts(
    scenario: &Scenario,
    reports: &[RunReport],
    options: &PlotOptions,
) -> Result<Vec<RenderedChart>, Error> {
    let mut charts = Vec::new();
    // The claims chart first: it is the one that answers the question the scenario asks.
    if let Some(claims) = claims::ClaimsChart::for_scenario(scenario, reports) {
        let file_name = format!("claims.{}", options.format.extension());
        let options = PlotOptions {
            size: claims.size(options.size.0),
            ..*options
        };
        charts.push(rendered(file_name, &claims, &options)?);
    }
    for report in reports {
        let suffix = if reports.len() > 1 {
            format!("-{}", report.method)
        } else {
            String::new()
        };
        let name = |chart: &str| format!("{chart}{suffix}.{}", options.format.extension());
        let order = outcomes::display_order(scenario);
        let outcomes = outcomes::OutcomesChart::new(scenario, report, &order);
        let effects = effects::EffectsChart::new(scenario, report, &order);
        let colouring = network::Colouring::new(scenario, report, options.intervention);
        let network = network::NetworkChart::new(scenario, colouring);
        // A second row of panels for the versus pairs makes these two taller.
        let panels = PlotOptions {
            size: panels::canvas_size(report, options.size),
            ..*options
        };
        charts.push(rendered(name("outcomes"), &outcomes, &panels)?);
        charts.push(rendered(name("effects"), &effects, &panels)?);
        charts.push(rendered(name("network"), &network, options)?);
        if options.every_network {
            for (i, slug) in network::intervention_slugs(scenario).iter().enumerate() {
                let colouring = network::Colouring::new(scenario, report, Some(i));
                let network = network::NetworkChart::new(scenario, colouring);
                charts.push(rendered(
                    name(&format!("network-{slug}")),
                    &network,
                    options,
                )?);
            }
        }
        if let Some(sensitivity) = sensitivity::SensitivityChart::new(scenario, report) {
            let tall = PlotOptions {
                size: sensitivity::canvas_size(report, options.size),
                ..*options
            };
            charts.push(rendered(name("sensitivity"), &sensitivity, &tall)?);
        }
        if let Some(timecourse) = timecourse::TimecourseChart::new(scenario, report) {
            charts.push(rendered(name("timecourse"), &timecourse, options)?);
        }
    }
    if let Some(methods) = methods::MethodsChart::new(scenario, reports) {
        let file_name = format!("methods.{}", options.format.extension());
        charts.push(rendered(file_name, &methods, options)?);
    }
    Ok(charts)
}

/// The library-wide claims chart of a batch, grouped by scenario: `claims.png` when it fits
/// one page, else `claims-1.png`, `claims-2.png`, ...; nothing when no scenario has claims.
pub fn render_library_claims(
    runs: &[(&Scenario, &[RunReport])],
    options: &PlotOptions,
) -> Result<Vec<RenderedChart>, Error> {
    paged("claims", &claims::library_pages(runs), options, |p, w| {
        p.size(w)
    })
}

/// A sweep's chart of its most fragile claims: `fragility.png` when it fits one page, else
/// `fragility-1.png`, `fragility-2.png`, ...; nothing when no claim flips.
pub fn render_fragility(
    rows: Vec<fragility::Row>,
    subtitle: &str,
    options: &PlotOptions,
) -> Result<Vec<RenderedChart>, Error> {
    paged(
        "fragility",
        &fragility::pages(rows, subtitle),
        options,
        |p, w| p.size(w),
    )
}

/// Renders the pages of a chart as `NAME.EXT` when there is one, else `NAME-1.EXT`, ...
fn paged<C: Chart + Sync>(
    name: &str,
    pages: &[C],
    options: &PlotOptions,
    size: impl Fn(&C, u32) -> (u32, u32) + Sync,
) -> Result<Vec<RenderedChart>, Error> {
    let extension = options.format.extension();
    // The pages are drawn in parallel: a library holds a dozen of them, each a tall chart.
    pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| {
            let file_name = if pages.len() == 1 {
                format!("{name}.{extension}")
            } else {
                format!("{name}-{}.{extension}", i + 1)
            };
            let options = PlotOptions {
                size: size(page, options.size.0),
                ..*options
            };
            rendered(file_name, page, &options)
        })
        .collect()
}

/// Draws the network alone, uncoloured (for `claimsim graph FILE -o network.png`).
pub fn render_network(
    scenario: &Scenario,
    format: ChartFormat,
    size: (u32, u32),
) -> Result<Vec<u8>, Error> {
    let options = PlotOptions {
        format,
        size,
        intervention: None,
        every_network: false,
    };
    let chart = network::NetworkChart::new(scenario, None);
    Ok(rendered("network".to_string(), &chart, &options)?.bytes)
}

/// Where network.png puts the uncoloured network's boxes and lines, at the default canvas size,
/// for a page that draws the same picture (`claimsim serve`).
pub fn network_geometry(scenario: &Scenario) -> Result<network::Geometry, PlotError> {
    style::register_fonts()?;
    let mut svg = String::new();
    let root = SVGBackend::with_string(&mut svg, style::DEFAULT_SIZE).into_drawing_area();
    network::NetworkChart::new(scenario, None).draw_measured(&root)
}

fn rendered(
    file_name: String,
    chart: &impl Chart,
    options: &PlotOptions,
) -> Result<RenderedChart, Error> {
    let bytes = render(chart, options.format, options.size).map_err(|e| {
        Error::run_failed(
            format!("could not draw {file_name}: {e}"),
            "run again with --no-plots to skip the charts, and report this as a bug",
        )
    })?;
    Ok(RenderedChart { file_name, bytes })
}

/// Draws a chart onto an in-memory canvas and encodes it.
pub fn render(
    chart: &impl Chart,
    format: ChartFormat,
    size: (u32, u32),
) -> Result<Vec<u8>, PlotError> {
    style::register_fonts()?;
    if size.0 < 200 || size.1 < 150 {
        return Err(PlotError::new(format!(
            "a {}x{} canvas is too small for a chart (at least 200x150)",
            size.0, size.1
        )));
    }
    match format {
        ChartFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                root.fill(&style::WHITE)?;
                chart.draw(&root)?;
                root.present()?;
            }
            Ok(svg.into_bytes())
        }
        ChartFormat::Png => canvas::png(chart, size),
    }
}
