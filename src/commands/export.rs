//! `claimsim export`: write a scenario's network as QPress, SIF, SBML qual or DOT, saying on
//! standard error what the format could not hold.

use crate::cli::ExportArgs;
use claimsim::error::Error;
use claimsim::interop::{self, Format};
use claimsim::output::write_atomically;
use claimsim::scenario;
use claimsim::scenario::catalogue::CatalogueFinder;
use std::process::ExitCode;

pub fn run(args: &ExportArgs) -> Result<ExitCode, Error> {
    let format = output_format(args)?;
    let claims = CatalogueFinder::new(args.claims.claims.as_deref())?;
    let scenario = scenario::load(&args.file, &claims)?;
    let exported = interop::export(format, &scenario)?;
    match &args.output {
        Some(path) => {
            write_atomically(path, exported.text.as_bytes())?;
            eprintln!("wrote {} ({})", path.display(), format.display_name());
        }
        None => print!("{}", exported.text),
    }
    for note in &exported.notes {
        eprintln!("  - {note}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `--to`, or the format the output file's extension names.
fn output_format(args: &ExportArgs) -> Result<Format, Error> {
    if let Some(format) = args.to {
        return interop::exportable(format);
    }
    let from_name = args
        .output
        .as_deref()
        .and_then(Format::from_extension)
        .filter(|f| f.can_export());
    from_name.ok_or_else(|| {
        Error::usage(
            "cannot tell which format to write",
            "pass --to qpress, sif, sbml or dot, or name the output *.qpress, *.sif, *.sbml or *.dot",
        )
    })
}
