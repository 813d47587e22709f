//! `claimsim merge PARTS... -o OUT`: checks that the part files are one job's complete set of
//! shards and writes the output the unsharded command would have written (docs/cluster.md).

use crate::cli::MergeArgs;
use claimsim::error::Error;
use claimsim::shard::{self, Part, Results};
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(args: &MergeArgs) -> Result<ExitCode, Error> {
    let mut parts = Vec::with_capacity(args.parts.len());
    for path in &args.parts {
        let bytes = std::fs::read(path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        parts.push((path.clone(), Part::from_file(path, &bytes)?));
    }
    let parts: Vec<(PathBuf, Part)> = shard::check_set(parts)?;
    match parts[0].1.results {
        Results::Sweep(_) => super::sweep::merge(parts, &args.output),
    }
}
