//! `claimsim graph`: write a scenario's network as DOT or SIF.

use crate::cli::GraphArgs;
use claimsim::error::Error;
use claimsim::export::NetworkFormat;
use claimsim::output::write_atomically;
use claimsim::plot;
use claimsim::scenario;
use claimsim::scenario::catalogue::CatalogueFinder;
use std::process::ExitCode;

pub fn run(args: &GraphArgs) -> Result<ExitCode, Error> {
    if let Some(format) = plot::ChartFormat::from_path(&args.output) {
        return draw(args, format);
    }
    let format = NetworkFormat::from_path(&args.output)?;
    let claims = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let scenario = scenario::load(&args.file, &claims)?;
    write_atomically(&args.output, format.render(&scenario).as_bytes())?;
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
    Ok(ExitCode::SUCCESS)
}
