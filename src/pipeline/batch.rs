//! Batch runs over folders of scenarios: every scenario is loaded and run in parallel, a file
//! that fails is recorded and skipped, and the results come back in a stable order. Writing
//! the outputs is the command's job; this module only computes.

use super::RunOptions;
use super::sweep::UnitError;
use crate::analysis::RunReport;
use crate::error::Error;
use crate::scenario::catalogue::CatalogueFinder;
use crate::scenario::{self, Scenario};
use crate::shard::Shard;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

/// One scenario's outcome in a batch.
pub struct BatchItem {
    pub path: PathBuf,
    /// Folder name for this scenario's outputs, unique within the batch.
    pub slug: String,
    /// Why the slug differs from the one the path gives (it was taken), for the terminal.
    pub slug_note: Option<String>,
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
    let slugs = unique_slugs(files.iter().map(|path| slug(path, root)).collect());
    super::with_threads(options.threads, || {
        files
            .par_iter()
            .zip(slugs)
            .map(|(path, (slug, slug_note))| {
                let result = run_one(path, claims, &each);
                progress(path);
                BatchItem {
                    path: path.clone(),
                    slug,
                    slug_note,
                    result,
                }
            })
            .collect()
    })
}

/// One scenario's result as a shard records it in its part file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BatchOutcome {
    Ran(Vec<RunReport>),
    Failed(UnitError),
}

/// Runs the scenarios `shard` owns (the k-th file belongs to shard k mod N), in parallel;
/// returns each with its position in `files`, in order. A scenario's reports do not depend on
/// which others run beside it.
pub fn run_shard(
    files: &[PathBuf],
    claims: &CatalogueFinder,
    options: &RunOptions,
    shard: Shard,
    progress: &(dyn Fn(&Path) + Sync),
) -> Result<Vec<(usize, BatchOutcome)>, Error> {
    options.check()?;
    let each = RunOptions {
        threads: None,
        ..options.clone()
    };
    let mine: Vec<(usize, &PathBuf)> = files
        .iter()
        .enumerate()
        .filter(|(k, _)| shard.owns(*k))
        .collect();
    super::with_threads(options.threads, || {
        mine.par_iter()
            .map(|&(k, path)| {
                let outcome = match run_one(path, claims, &each) {
                    Ok((_, reports)) => BatchOutcome::Ran(reports),
                    Err(error) => BatchOutcome::Failed(UnitError {
                        message: error.to_string(),
                        exit_code: error.exit_code(),
                    }),
                };
                progress(path);
                (k, outcome)
            })
            .collect()
    })
}

/// The batch's items from every scenario's recorded outcome (`outcomes[k]` for `files[k]`):
/// each scenario that ran is loaded again (its charts need it) beside its recorded reports; a
/// recorded failure becomes [`Error::Recorded`].
pub fn items_from(
    files: &[PathBuf],
    root: &Path,
    claims: &CatalogueFinder,
    options: &RunOptions,
    outcomes: Vec<BatchOutcome>,
) -> Vec<BatchItem> {
    let slugs = unique_slugs(files.iter().map(|path| slug(path, root)).collect());
    files
        .iter()
        .zip(slugs)
        .zip(outcomes)
        .map(|((path, (slug, slug_note)), outcome)| {
            let result = match outcome {
                BatchOutcome::Ran(reports) => scenario::load(path, claims)
                    .and_then(|mut s| options.apply(&mut s).map(|()| s))
                    .map(|s| (s, reports)),
                BatchOutcome::Failed(e) => Err(Error::Recorded {
                    message: e.message,
                    exit_code: e.exit_code,
                }),
            };
            BatchItem {
                path: path.clone(),
                slug,
                slug_note,
                result,
            }
        })
        .collect()
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

/// Names at the top of a batch folder that are files of the batch itself, never a scenario's.
const RESERVED: [&str; 5] = [
    "index.html",
    "summary.csv",
    "claims.csv",
    "manifest.json",
    "scenario",
];

/// The scenario's path below the batch root without `.toml`, with folders joined by `--`: one
/// folder name that stays inside the output folder. A path outside the root (an absolute one,
/// or one through `..`) gives its file name alone; control characters become `_`.
pub fn slug(path: &Path, root: &Path) -> String {
    let below_root = if root == Path::new(".") {
        Some(path.strip_prefix(".").unwrap_or(path))
    } else {
        path.strip_prefix(root).ok()
    };
    let below_root =
        below_root.filter(|p| p.components().all(|c| matches!(c, Component::Normal(_))));
    let relative = below_root
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(path.file_name().unwrap_or_default()))
        .with_extension("");
    let parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(
                part.to_string_lossy()
                    .chars()
                    .map(|c| if c.is_control() { '_' } else { c })
                    .collect(),
            ),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        "scenario".to_string()
    } else {
        parts.join("--")
    }
}

/// The slugs made unique, ignoring case (as some file systems do): a slug that repeats an
/// earlier one, or names a file of the batch itself, gets `-2`, `-3`, ... and a note saying so.
pub fn unique_slugs(slugs: Vec<String>) -> Vec<(String, Option<String>)> {
    let mut taken: HashSet<String> = RESERVED.iter().map(|r| r.to_string()).collect();
    slugs
        .into_iter()
        .map(|wanted| {
            if taken.insert(wanted.to_lowercase()) {
                return (wanted, None);
            }
            let unique = (2..)
                .map(|k| format!("{wanted}-{k}"))
                .find(|candidate| taken.insert(candidate.to_lowercase()))
                .unwrap_or_default();
            let note = format!(
                "note: output folder '{wanted}' is taken by another scenario or a batch file; this one writes to '{unique}'"
            );
            (unique, Some(note))
        })
        .collect()
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
        assert_eq!(slug(Path::new("other/b.toml"), root), "b");
        assert_eq!(slug(Path::new("/abs/dir/a.toml"), Path::new(".")), "a");
        assert_eq!(slug(Path::new("dir/a.toml"), Path::new(".")), "dir--a");
        assert_eq!(slug(Path::new("scenarios/../x/c.toml"), root), "c");
        assert_eq!(
            slug(Path::new("scenarios/e\u{1b}[31m.toml"), root),
            "e_[31m"
        );
    }

    #[test]
    fn repeated_slugs_get_suffixes_and_notes() {
        let slugs = unique_slugs(
            ["a--b", "a--b", "A--B", "index.html", "c"]
                .map(String::from)
                .to_vec(),
        );
        let names: Vec<&str> = slugs.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(names, ["a--b", "a--b-2", "A--B-3", "index.html-2", "c"]);
        assert!(slugs[0].1.is_none() && slugs[4].1.is_none());
        assert!(slugs[1].1.as_ref().unwrap().contains("'a--b-2'"));
    }
}
