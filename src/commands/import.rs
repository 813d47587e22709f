//! `claimsim import`: read a network written for another tool and write it as a scenario file
//! that checks clean, saying on standard error what could not be carried over.

use crate::cli::ImportArgs;
use claimsim::error::Error;
use claimsim::interop::{self, Format, Limits};
use claimsim::output::write_atomically;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

pub fn run(args: &ImportArgs) -> Result<ExitCode, Error> {
    let limits = Limits {
        max_bytes: args.max_size.saturating_mul(1024 * 1024),
        max_cells: args.max_cells,
    };
    let bytes = read_at_most(&args.file, limits.max_bytes)?;
    let format = match args.from {
        Some(format) => format,
        None => Format::detect(&args.file, &bytes)?,
    };
    let network = interop::import_within(format, &args.file, &bytes, &limits)?;
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

/// The file's bytes, reading one past `limit` at most (so that `/dev/zero` or a huge file is
/// refused by the import's size check rather than read until memory runs out).
fn read_at_most(path: &Path, limit: u64) -> Result<Vec<u8>, Error> {
    let read_error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    Ok(bytes)
}
