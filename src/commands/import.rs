//! `claimsim import`: read a network written for another tool and write it as a scenario file
//! that checks clean, saying on standard error what could not be carried over.

use crate::cli::ImportArgs;
use claimsim::error::Error;
use claimsim::interop::{self, Format};
use claimsim::output::write_atomically;
use std::process::ExitCode;

pub fn run(args: &ImportArgs) -> Result<ExitCode, Error> {
    let bytes = std::fs::read(&args.file).map_err(|source| Error::Read {
        path: args.file.clone(),
        source,
    })?;
    let format = match args.from {
        Some(format) => format,
        None => Format::detect(&args.file, &bytes)?,
    };
    let network = interop::import(format, &args.file, &bytes)?;
    let text = interop::scenario_text(&network, format, &args.file)?;
    match &args.output {
        Some(path) => write_atomically(path, text.as_bytes())?,
        None => print!("{text}"),
    }
    eprintln!(
        "imported {} nodes and {} links from {} ({})",
        network.nodes.len(),
        network.links.len(),
        args.file.display(),
        format.display_name()
    );
    if !network.notes.is_empty() {
        eprintln!(
            "not carried over, or read in a particular way (also listed in the file's header):"
        );
        for note in &network.notes {
            eprintln!("  - {note}");
        }
    }
    if let Some(path) = &args.output {
        eprintln!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
