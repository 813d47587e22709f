//! `claimsim merge PARTS... -o OUT`: checks that the part files are one job's complete set of
//! shards and writes the output the unsharded command would have written (docs/cluster.md);
//! and what the sharded commands share: the settings and inputs a part records.

use crate::cli::MergeArgs;
use claimsim::error::Error;
use claimsim::output::{create_dir, write_atomically};
use claimsim::pipeline::RunOptions;
use claimsim::pipeline::atlas::aliases;
use claimsim::scenario::Method;
use claimsim::scenario::catalogue::CatalogueFinder;
use claimsim::scenario::overrides::Overrides;
use claimsim::shard::{self, Input, Part, Results, Settings};
use std::path::{Path, PathBuf};
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
        Results::Batch(_) => super::batch::merge(parts, &args.output),
        Results::Run(_) => super::run::merge(parts, &args.output),
    }
}

/// The settings that fix a job's numbers, as a part records them; `flags` are batch's
/// `--no-plots`, `--no-atlas` and `--svg`.
pub(super) fn settings(
    paths: &[PathBuf],
    claims: Option<&Path>,
    options: &RunOptions,
    [no_plots, no_atlas, svg]: [bool; 3],
) -> Settings {
    let o = &options.overrides;
    Settings {
        paths: paths.iter().map(|p| p.display().to_string()).collect(),
        claims: claims.map(|c| c.display().to_string()),
        method: options.method.map(|m| m.as_str().to_string()),
        samples: options.samples,
        seed: options.seed,
        press: o.press.clone(),
        knockout: o.knockout.clone(),
        block: o.block.clone(),
        weight: o.weight.clone(),
        intervention: o.intervention.clone(),
        no_evidence: o.no_evidence,
        no_plots,
        no_atlas,
        draws: None,
        svg,
        pairs: false,
    }
}

/// The options a part's settings stand for (threads left to the merging process).
pub(super) fn options_of(settings: &Settings) -> Result<RunOptions, Error> {
    let method = match &settings.method {
        None => None,
        Some(m) => Some(Method::parse(m).ok_or_else(|| {
            Error::usage(
                format!("the parts name an unknown method '{m}'"),
                "rerun the shards with this claimsim",
            )
        })?),
    };
    Ok(RunOptions {
        method,
        samples: settings.samples,
        seed: settings.seed,
        threads: None,
        overrides: Overrides {
            press: settings.press.clone(),
            knockout: settings.knockout.clone(),
            block: settings.block.clone(),
            weight: settings.weight.clone(),
            intervention: settings.intervention.clone(),
            no_evidence: settings.no_evidence,
        },
        max_memory_mb: None,
    })
}

/// Every scenario file, then every claims catalogue they resolve against and its alias table,
/// as they are now.
pub(super) fn inputs(files: &[PathBuf], claims: &CatalogueFinder) -> Vec<Input> {
    let mut inputs: Vec<Input> = files.iter().map(|f| input(f)).collect();
    let mut extra: Vec<PathBuf> = Vec::new();
    for file in files {
        if let Ok(Some(catalogue)) = claims.for_scenario(file) {
            let aliases = aliases::beside(&catalogue.path);
            for path in std::iter::once(catalogue.path.clone()).chain(aliases) {
                if !extra.contains(&path) {
                    extra.push(path);
                }
            }
        }
    }
    inputs.extend(extra.iter().map(|p| input(p)));
    inputs
}

/// A file's size and hash, named relative to the current folder when it is inside it (so
/// shards whose nodes mount the project at different places still agree).
fn input(path: &Path) -> Input {
    let cwd = std::env::current_dir().unwrap_or_default();
    let shown = path.strip_prefix(&cwd).unwrap_or(path);
    match std::fs::read(path) {
        Ok(bytes) => Input::of(shown, &bytes),
        Err(_) => Input {
            path: shown.display().to_string(),
            bytes: 0,
            fnv1a64: "unreadable".to_string(),
        },
    }
}

/// Writes a shard's part file, creating its folder.
pub(super) fn write_part(output: &Path, part: &Part) -> Result<(), Error> {
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dir(parent)?;
    }
    write_atomically(output, part.to_file()?.as_bytes())
}

/// The inputs as the shards read them must be the inputs as they are now.
pub(super) fn check_inputs(part: &Path, then: &[Input], now: &[Input]) -> Result<(), Error> {
    if then == now {
        return Ok(());
    }
    let what = match then.iter().find(|i| !now.contains(i)) {
        Some(i) if now.iter().any(|n| n.path == i.path) => {
            format!("'{}' changed since the shards read it", i.path)
        }
        Some(i) => format!("'{}' is gone or no longer found", i.path),
        None => match now.iter().find(|i| !then.contains(i)) {
            Some(i) => format!("'{}' is new since the shards ran", i.path),
            None => "the scenario files are found in another order".to_string(),
        },
    };
    Err(Error::usage(
        format!(
            "the inputs of '{}' differ from the files here: {what}",
            part.display()
        ),
        "merge in the folder the shards ran in, with the same files; if the files changed on purpose, rerun every shard",
    ))
}
