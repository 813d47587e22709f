//! Batch runs over folders of scenarios: every scenario is loaded and run in parallel, a file
//! that fails is recorded and skipped, and the results come back in a stable order. Writing
//! the outputs is the command's job; this module only computes.

use super::RunOptions;
use crate::analysis::RunReport;
use crate::error::Error;
use crate::scenario::catalogue::CatalogueFinder;
use crate::scenario::{self, Scenario};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// One scenario's outcome in a batch.
pub struct BatchItem {
    pub path: PathBuf,
    /// Folder name for this scenario's outputs, unique within the batch.
    pub slug: String,
    pub result: Result<(Scenario, Vec<RunReport>), Error>,
}

/// Runs every scenario with the same options, scenarios in parallel on `options.threads`
/// workers, calling `progress` after each one finishes (from worker threads).
pub fn run_all(
    files: &[PathBuf],
    root: &Path,
    claims: &CatalogueFinder,
    options: &RunOptions,
    progress: &(dyn Fn(&Path) + Sync),
) -> Result<Vec<BatchItem>, Error> {
    options.check()?;
    // Each scenario runs on the batch's pool rather than a pool of its own.
    let each = RunOptions {
        threads: None,
        ..options.clone()
    };
    super::with_threads(options.threads, || {
        files
            .par_iter()
            .map(|path| {
                let result = run_one(path, claims, &each);
                progress(path);
                BatchItem {
                    path: path.clone(),
                    slug: slug(path, root),
                    result,
                }
            })
            .collect()
    })
}

fn run_one(
    path: &Path,
    claims: &CatalogueFinder,
    options: &RunOptions,
) -> Result<(Scenario, Vec<RunReport>), Error> {
    let mut scenario = scenario::load(path, claims)?;
    options.apply(&mut scenario)?;
    let reports = super::simulate(&scenario, options, None)?;
    Ok((scenario, reports))
}

/// The scenario's path below the batch root without `.toml`, with folders joined by `--`:
/// unique for every file under the root and safe as one folder name.
pub fn slug(path: &Path, root: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path).with_extension("");
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|c| c != "." && c != "..")
        .collect();
    if parts.is_empty() {
        "scenario".to_string()
    } else {
        parts.join("--")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_unique_folder_names() {
        let root = Path::new("scenarios");
        assert_eq!(
            slug(Path::new("scenarios/glioma/a.toml"), root),
            "glioma--a"
        );
        assert_eq!(slug(Path::new("scenarios/a.toml"), root), "a");
        assert_eq!(slug(Path::new("other/b.toml"), root), "other--b");
    }
}
