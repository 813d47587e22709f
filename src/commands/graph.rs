//! `claimsim graph`: write a scenario's network as DOT or SIF.

use super::write_atomically;
use crate::claims::CatalogueFinder;
use crate::cli::GraphArgs;
use crate::error::Error;
use crate::export::NetworkFormat;
use crate::scenario;
use std::process::ExitCode;

pub fn run(args: &GraphArgs) -> Result<ExitCode, Error> {
    let format = NetworkFormat::from_path(&args.output)?;
    let claims = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let scenario = scenario::load(&args.file, &claims)?;
    write_atomically(&args.output, format.render(&scenario).as_bytes())?;
    eprintln!("wrote {}", args.output.display());
    Ok(ExitCode::SUCCESS)
}
