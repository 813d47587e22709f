//! Finding scenario files: the paths given, with folders searched recursively for `*.toml`
//! (hidden folders, `target` and claims catalogues are skipped), in a stable sorted order.

use crate::error::Error;
use std::path::{Path, PathBuf};

/// File name of the claims catalogue, which is not a scenario.
const CATALOGUE_FILE: &str = "claims.toml";

/// Every scenario file under the given paths. A folder with none is an error.
pub fn scenario_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let before = files.len();
            walk(path, &mut files)?;
            if files.len() == before {
                return Err(Error::NoScenarios { path: path.clone() });
            }
        } else if path.exists() {
            files.push(path.clone());
        } else {
            return Err(Error::Read {
                path: path.clone(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"),
            });
        }
    }
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), Error> {
    let read_error = |source| Error::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(read_error)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(read_error)?;
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if path.is_dir() {
            walk(&path, files)?;
        } else if name.ends_with(".toml") && name != CATALOGUE_FILE {
            files.push(path);
        }
    }
    Ok(())
}
