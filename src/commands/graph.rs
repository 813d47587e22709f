//! `claimsim graph`: draw a scenario's network (PNG, SVG) or hand it to interop as DOT or SIF,
//! by the output's extension.

use crate::cli::GraphArgs;
use claimsim::error::Error;
use claimsim::interop::{self, Format};
use claimsim::output::write_atomically;
use claimsim::plot;
use claimsim::scenario;
use claimsim::scenario::catalogue::CatalogueFinder;
use std::path::Path;
use std::process::ExitCode;

pub fn run(args: &GraphArgs) -> Result<ExitCode, Error> {
    if let Some(format) = plot::ChartFormat::from_path(&args.output) {
        return draw(args, format);
    }
    let format = text_format(&args.output)?;
    let claims = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let scenario = scenario::load(&args.file, &claims)?;
    let exported = interop::export(format, &scenario)?;
    write_atomically(&args.output, exported.text.as_bytes())?;
    eprintln!("wrote {}", args.output.display());
    Ok(ExitCode::SUCCESS)
}

/// Draws the network as a picture (*.png or *.svg).
fn draw(args: &GraphArgs, format: plot::ChartFormat) -> Result<ExitCode, Error> {
    let claims = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let scenario = scenario::load(&args.file, &claims)?;
    let bytes = plot::render_network(&scenario, format, plot::style::DEFAULT_SIZE)?;
    write_atomically(&args.output, &bytes)?;
    eprintln!("wrote {}", args.output.display());
    if plot::network::NetworkChart::new(&scenario, None).uses_quick_layout() {
        eprintln!(
            "note: {} nodes: drawn with the quick layout used above {} (the smallest text, fewer force-directed rounds); for a finer drawing write a .dot file and lay it out with Graphviz",
            scenario.nodes.len(),
            plot::layout::QUICK_LAYOUT_VERTICES
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// DOT or SIF, from the output's extension.
fn text_format(path: &Path) -> Result<Format, Error> {
    Format::from_extension(path)
        .filter(|f| matches!(f, Format::Dot | Format::Sif))
        .ok_or_else(|| {
            Error::usage(
                format!(
                    "cannot tell the graph format of '{}' from its extension",
                    path.display()
                ),
                "name the output *.dot (Graphviz) or *.sif (Cytoscape), or *.png or *.svg for a drawing",
            )
        })
}
