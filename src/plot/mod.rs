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
//! Shared pieces: [`style`] (font, palette, sizes, text fitting), `text` (PNG text from a
//! glyph cache), `fill` (PNG polygons, plotters' rasteriser made cheaper), `parts` (titles,
//! legends, panel grids, axes), `paths` and `marks` (link geometry and shapes of the network).

pub mod atlas;
mod claim_columns;
pub mod claims;
pub mod effects;
mod fill;
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
use std::cell::RefCell;
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
                size: sensitivity.canvas_size(options.size),
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
        let sized = PlotOptions {
            size: methods.size(options.size),
            ..*options
        };
        charts.push(rendered(file_name, &methods, &sized)?);
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
    offscreen(style::DEFAULT_SIZE, |root| {
        network::NetworkChart::new(scenario, None).draw_measured(root)
    })
}

/// Runs `draw` on an off-screen canvas of `size` and returns what it measured: for charts
/// whose size or tests need their layout.
pub(crate) fn offscreen<T>(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<T, PlotError>,
) -> Result<T, PlotError> {
    style::register_fonts()?;
    let mut svg = String::new();
    let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
    draw(&root)
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
        ChartFormat::Png => {
            // plotters draws lines and shapes without anti-aliasing: draw at twice the size
            // and average each 2x2 block, so edges and curves come out smooth.
            let large = (size.0 * SUPERSAMPLING, size.1 * SUPERSAMPLING);
            with_white_canvas(large.0 as usize * large.1 as usize * 3, |canvas, out| {
                {
                    let root = text::CachedText::new(canvas, large).into_drawing_area();
                    chart.draw(&root)?;
                    root.present()?;
                }
                encode_png(downsampled_whitening(canvas, out, size), size)
            })
        }
    }
}

/// A thread's kept supersampled canvas and the buffer it is reduced into.
struct Canvas {
    pixels: Vec<u8>,
    /// The downsampled picture of the last chart, kept for its allocation: a fresh buffer per
    /// chart was zeroed by `calloc` before every byte of it was written anyway.
    out: Vec<u8>,
    /// Every byte is 255: the downsample whitens what it reads, so the next chart needs no
    /// pass over the whole canvas. False while a chart is being drawn, so a chart that failed
    /// (or panicked) leaves a canvas that is cleared before it is used again.
    white: bool,
}

thread_local! {
    /// The supersampled canvas, kept between the charts one thread draws: a fresh buffer of
    /// 20-40 MB per chart cost page faults and the kernel's zeroing of every page (1.5 s of
    /// system time in a batch of the library, against 0.05 s without charts), and whitening
    /// the whole of it per chart was a tenth of a batch's CPU.
    static CANVAS: RefCell<Canvas> = const {
        RefCell::new(Canvas { pixels: Vec::new(), out: Vec::new(), white: true })
    };
}

/// Canvases above this many bytes (the atlas) are freed after use rather than kept.
const KEPT_CANVAS_BYTES: usize = 64 << 20;

/// Calls `draw` with `len` white (255) bytes of this thread's kept canvas and the kept output
/// buffer; `draw` must leave the canvas white again when it succeeds (no chart is drawn
/// inside another, so the canvas is never borrowed twice).
fn with_white_canvas<T>(
    len: usize,
    draw: impl FnOnce(&mut [u8], &mut Vec<u8>) -> Result<T, PlotError>,
) -> Result<T, PlotError> {
    CANVAS.with_borrow_mut(|canvas| {
        if !canvas.white {
            canvas.pixels.clear();
        }
        if canvas.pixels.len() < len {
            canvas.pixels.resize(len, 255);
        }
        canvas.white = false;
        let result = draw(&mut canvas.pixels[..len], &mut canvas.out);
        canvas.white = result.is_ok();
        if canvas.pixels.capacity() > KEPT_CANVAS_BYTES {
            canvas.pixels = Vec::new();
            canvas.out = Vec::new();
        }
        result
    })
}

/// Linear scale at which PNG charts are drawn before being reduced.
const SUPERSAMPLING: u32 = 2;

/// RGB pixels drawn at [`SUPERSAMPLING`] (2) times `size`, each 2x2 block averaged (rounded
/// half up) down to one pixel of `size`, written into `out` (resized to fit); the source is
/// left all white (255) for the next chart. Row by row over exact chunks, so the loop has no
/// per-byte index arithmetic or bounds checks. Runs of 8 output pixels whose source is all
/// white (most of a chart) are written at once and need no whitening; runs of one colour
/// (bars, stripes, boxes) are that colour, with no arithmetic: this pass once took a third of
/// a chart's instructions.
fn downsampled_whitening<'a>(
    pixels: &mut [u8],
    out: &'a mut Vec<u8>,
    (width, height): (u32, u32),
) -> &'a [u8] {
    const _: () = assert!(SUPERSAMPLING == 2, "downsampled averages 2x2 blocks");
    let (width, height) = (width as usize, height as usize);
    let large_row = width * 2 * 3;
    // Every byte is written below, so what a longer kept buffer held does not matter.
    out.resize(width * height * 3, 0);
    let rows = pixels
        .chunks_exact_mut(2 * large_row)
        .zip(out.chunks_exact_mut(width * 3));
    for (two_rows, out_row) in rows {
        let (top, bottom) = two_rows.split_at_mut(large_row);
        let (top_runs, top_rest) = top.as_chunks_mut::<{ RUN * 6 }>();
        let (bottom_runs, bottom_rest) = bottom.as_chunks_mut::<{ RUN * 6 }>();
        let (out_runs, out_rest) = out_row.as_chunks_mut::<{ RUN * 3 }>();
        for ((t, b), o) in top_runs.iter_mut().zip(bottom_runs).zip(out_runs) {
            // A bitwise AND over the run is 255 only when every byte is: vectorises, no branch.
            let white = t.iter().zip(&*b).fold(255, |all, (&x, &y)| all & x & y) == 255;
            if white {
                o.fill(255);
                continue;
            }
            if one_colour(t, b) {
                o.copy_from_slice(&t[..RUN * 3]);
            } else {
                average_run(t, b, o);
            }
            t.fill(255);
            b.fill(255);
        }
        average_blocks(top_rest, bottom_rest, out_rest);
        top_rest.fill(255);
        bottom_rest.fill(255);
    }
    out
}

/// Whether every source pixel of a run has the colour of the first: then each 2x2 average is
/// that colour exactly ((4v + 2) / 4 = v). XORs folded by OR, so it vectorises with no branch.
fn one_colour(top: &[u8; RUN * 6], bottom: &[u8; RUN * 6]) -> bool {
    let along = top[3..].iter().zip(&top[..RUN * 6 - 3]);
    let across = bottom.iter().zip(top);
    along.chain(across).fold(0, |any, (&x, &y)| any | (x ^ y)) == 0
}

/// Output pixels per run of the downsample.
const RUN: usize = 8;

/// [`average_blocks`] for one run of [`RUN`] output pixels, in two passes the compiler can
/// vectorise and unroll (fixed sizes, no bounds checks): top plus bottom, then left plus right.
fn average_run(top: &[u8; RUN * 6], bottom: &[u8; RUN * 6], out: &mut [u8; RUN * 3]) {
    let mut columns = [0u16; RUN * 6];
    for ((sum, &t), &b) in columns.iter_mut().zip(top).zip(bottom) {
        *sum = u16::from(t) + u16::from(b);
    }
    for pixel in 0..RUN {
        for c in 0..3 {
            let sum = columns[pixel * 6 + c] + columns[pixel * 6 + 3 + c];
            out[pixel * 3 + c] = ((sum + 2) / 4) as u8;
        }
    }
}

/// Averages each 2x2 block of source pixels (`top` and `bottom` rows, 2 pixels of 3 bytes per
/// output pixel) into one pixel of `out`, rounding half up.
fn average_blocks(top: &[u8], bottom: &[u8], out: &mut [u8]) {
    let blocks = top.chunks_exact(6).zip(bottom.chunks_exact(6));
    for ((t, b), o) in blocks.zip(out.chunks_exact_mut(3)) {
        for c in 0..3 {
            let sum = u16::from(t[c]) + u16::from(t[c + 3]) + u16::from(b[c]) + u16::from(b[c + 3]);
            o[c] = ((sum + 2) / 4) as u8;
        }
    }
}

/// RGB pixels to PNG bytes. Fast compression: charts are flat colours, which compress well
/// anyway, and rendering a run's charts should take well under a second.
fn encode_png(pixels: &[u8], (width, height): (u32, u32)) -> Result<Vec<u8>, PlotError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let encode_error = |e: png::EncodingError| PlotError::new(format!("PNG encoding: {e}"));
    let mut writer = encoder.write_header().map_err(encode_error)?;
    writer.write_image_data(pixels).map_err(encode_error)?;
    writer.finish().map_err(encode_error)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain definition: every output byte the rounded mean of its 2x2 source bytes.
    fn downsampled_by_definition(pixels: &[u8], (width, height): (usize, usize)) -> Vec<u8> {
        let stride = width * 2 * 3;
        let mut out = Vec::new();
        for y in 0..height {
            for x in 0..width {
                for channel in 0..3 {
                    let at = |dy: usize, dx: usize| {
                        usize::from(pixels[(2 * y + dy) * stride + (2 * x + dx) * 3 + channel])
                    };
                    let sum = at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1);
                    out.push(((sum + 2) / 4) as u8);
                }
            }
        }
        out
    }

    /// A mostly white canvas 21 pixels wide (two runs of 8 and a remainder of 5) with single
    /// black bytes: in the top or bottom row, first or last byte of a run, and in the remainder.
    #[test]
    fn downsampling_white_runs_keeps_every_darker_byte() {
        let (width, height) = (21, 3);
        let stride = width * 2 * 3;
        let mut pixels = vec![255u8; width * height * 4 * 3];
        let darker = [
            0,
            47,
            48 + stride,
            2 * stride + 95,
            2 * stride + 100,
            3 * stride + 50,
        ];
        for at in darker.into_iter().chain([6 * stride - 1]) {
            pixels[at] = 0;
        }
        let expected = downsampled_by_definition(&pixels, (width, height));
        let mut out = Vec::new();
        let out = downsampled_whitening(&mut pixels, &mut out, (width as u32, height as u32));
        assert_eq!(out, expected);
        // Each darker byte lands in its own output byte: (0 + 3 * 255 + 2) / 4 = 191.
        assert_eq!(out.iter().filter(|&&b| b == 191).count(), 7);
        assert!(pixels.iter().all(|&b| b == 255), "the canvas is left white");
    }

    #[test]
    fn downsampling_averages_each_two_by_two_block() {
        // Two runs of 8 and a remainder of 5 per row, on random bytes.
        let (width, height) = (21, 5);
        let mut state = 12345u32;
        let pixels: Vec<u8> = (0..width * height * 4 * 3)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (state >> 16) as u8
            })
            .collect();
        let expected = downsampled_by_definition(&pixels, (width, height));
        let mut canvas = pixels.clone();
        // A kept buffer longer than the picture, of other bytes: every byte is written anew.
        let mut out = vec![7; 4 * expected.len()];
        assert_eq!(
            downsampled_whitening(&mut canvas, &mut out, (width as u32, height as u32)),
            expected
        );
        assert!(canvas.iter().all(|&b| b == 255), "the canvas is left white");
        // Rounding half up: 1 + 1 + 1 + 0 = 3 averages to 0.75, which rounds to 1.
        assert_eq!(
            downsampled_whitening(&mut [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0], &mut out, (1, 1)),
            [1, 1, 1]
        );
    }

    /// Runs of one colour are copied, not averaged: a canvas of one colour with single bytes
    /// off by 40 (first and last byte of a run, top and bottom row, each channel) must still
    /// average exactly, and runs left whole must keep the colour.
    #[test]
    fn downsampling_runs_of_one_colour_matches_the_definition() {
        let (width, height) = (21, 3);
        let stride = width * 2 * 3;
        let colour = [213u8, 94, 7];
        let mut pixels: Vec<u8> = colour.repeat(width * height * 4);
        let off = [
            0,
            1,
            47,
            48 + 2,
            stride + 95,
            3 * stride + 4,
            5 * stride + 50,
        ];
        for at in off {
            pixels[at] += 40;
        }
        let expected = downsampled_by_definition(&pixels, (width, height));
        let mut out = Vec::new();
        let out = downsampled_whitening(&mut pixels, &mut out, (width as u32, height as u32));
        assert_eq!(out, expected);
        let whole_runs = out.chunks_exact(3).filter(|&p| p == colour).count();
        assert!(
            whole_runs > width * height / 2,
            "{whole_runs} pixels kept the colour"
        );
        assert!(pixels.iter().all(|&b| b == 255), "the canvas is left white");
    }

    /// Paints the whole canvas black, then fails or not.
    struct Paint {
        fail: bool,
    }

    impl Chart for Paint {
        fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
            root.fill(&BLACK)?;
            if self.fail {
                Err(PlotError::new("failed on purpose"))
            } else {
                Ok(())
            }
        }
    }

    /// An empty chart.
    struct Blank;

    impl Chart for Blank {
        fn draw<DB: DrawingBackend>(&self, _: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
            Ok(())
        }
    }

    /// The kept canvas is whitened by the downsample; a chart that fails before it must not
    /// leave its pixels under the next chart drawn on the same thread.
    #[test]
    fn kept_canvas_starts_white_after_a_drawn_and_a_failed_chart() {
        let size = (300, 200);
        let blank = encode_png(&vec![255; 300 * 200 * 3], size).unwrap();
        let blank_is_white = || render(&Blank, ChartFormat::Png, size).unwrap() == blank;
        render(&Paint { fail: false }, ChartFormat::Png, size).unwrap();
        assert!(blank_is_white(), "marks of a drawn chart under the next");
        assert!(render(&Paint { fail: true }, ChartFormat::Png, size).is_err());
        assert!(blank_is_white(), "marks of a failed chart under the next");
    }
}
