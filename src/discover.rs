//! Finding scenario files: the paths given, with folders searched recursively for `*.toml`
//! (hidden folders, `target` and claims catalogues are skipped), in a stable sorted order.
//!
//! The search never loops and never blocks: a folder reached again through a symbolic link is
//! searched once, and anything that is not a regular file (a FIFO, a device such as a link to
//! /dev/zero, a socket, a broken link) is skipped with a note instead of being read.

use crate::error::Error;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// File name of the claims catalogue, which is not a scenario.
const CATALOGUE_FILE: &str = "claims.toml";

/// Folders nested deeper than this below a given path are not searched (a note says so).
const MAX_DEPTH: usize = 64;

/// The scenario files found, and what was passed over on the way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovery {
    pub files: Vec<PathBuf>,
    /// One line per thing skipped, to show the user (`note: skipped …`).
    pub notes: Vec<String>,
}

/// Every scenario file under the given paths. A folder with none is an error, as is a path
/// given by name that does not exist or is not a regular file.
pub fn scenario_files(paths: &[PathBuf]) -> Result<Discovery, Error> {
    let mut found = Discovery::default();
    for path in paths {
        if path.is_dir() {
            let before = found.files.len();
            let mut walk = Walk {
                found: &mut found,
                visited: HashSet::new(),
            };
            walk.folder(path, 0)?;
            if found.files.len() == before {
                return Err(Error::NoScenarios { path: path.clone() });
            }
        } else {
            regular_file(path)?;
            found.files.push(path.clone());
        }
    }
    Ok(found)
}

/// Refuses a path that is missing or is not a regular file (reading a FIFO would block, and
/// a device such as /dev/zero never ends).
pub fn regular_file(path: &Path) -> Result<(), Error> {
    let refuse = |why: &str| Error::Read {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, why.to_string()),
    };
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(_) => Err(refuse("not a regular file (a FIFO, device or socket)")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(refuse("no such file or folder")),
        Err(source) => Err(Error::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

struct Walk<'a> {
    found: &'a mut Discovery,
    /// Folders already searched, by their resolved path: a link loop ends here.
    visited: HashSet<PathBuf>,
}

impl Walk<'_> {
    fn folder(&mut self, dir: &Path, depth: usize) -> Result<(), Error> {
        let resolved = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if !self.visited.insert(resolved) {
            self.note(dir, "a link back to a folder already searched");
            return Ok(());
        }
        if depth > MAX_DEPTH {
            self.note(dir, &format!("nested more than {MAX_DEPTH} folders deep"));
            return Ok(());
        }
        for path in sorted_entries(dir)? {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.starts_with('.') || name == "target" {
                continue;
            }
            self.entry(&path, &name, depth)?;
        }
        Ok(())
    }

    fn entry(&mut self, path: &Path, name: &str, depth: usize) -> Result<(), Error> {
        let looks_like_scenario = name.ends_with(".toml") && name != CATALOGUE_FILE;
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => self.folder(path, depth + 1)?,
            Ok(meta) if meta.is_file() && looks_like_scenario => {
                self.found.files.push(path.to_path_buf());
            }
            Ok(meta) if meta.is_file() => {}
            Ok(_) if looks_like_scenario => {
                self.note(path, "not a regular file (a FIFO, device or socket)")
            }
            Err(_) if looks_like_scenario => self.note(path, "a broken link"),
            _ => {}
        }
        Ok(())
    }

    fn note(&mut self, path: &Path, why: &str) {
        self.found
            .notes
            .push(format!("note: skipped '{}': {why}", path.display()));
    }
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, Error> {
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
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn link_loops_are_searched_once_and_devices_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("a")).unwrap();
        std::fs::write(root.join("a/one.toml"), "network = \"A -> B\"").unwrap();
        std::os::unix::fs::symlink(root, root.join("a/loop")).unwrap();
        std::os::unix::fs::symlink(".", root.join("a/self")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join("zero.toml")).unwrap();
        std::os::unix::fs::symlink("missing", root.join("broken.toml")).unwrap();
        let found = scenario_files(&[root.to_path_buf()]).unwrap();
        assert_eq!(found.files, vec![root.join("a/one.toml")]);
        let notes = found.notes.join("\n");
        assert!(notes.contains("zero.toml': not a regular file"), "{notes}");
        assert!(notes.contains("broken.toml': a broken link"), "{notes}");
        assert!(
            notes.contains("a link back to a folder already searched"),
            "{notes}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_device_given_by_name_is_refused_not_read() {
        let error = scenario_files(&[PathBuf::from("/dev/zero")]).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
    }
}
