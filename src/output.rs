//! Files claimsim writes: folders created with their parents, and files written whole or not at
//! all.
//!
//! A file is first written to a temporary sibling in the target's folder, then renamed over the
//! target, so a reader never sees half a file and an interrupted run leaves the old file in
//! place. The temporary's name is unique (process id and a counter) and it is created
//! exclusively, which never follows a symbolic link planted at that name, and two processes
//! writing into one folder never share a temporary. Renaming replaces a link at the target
//! rather than writing through it.

use crate::error::Error;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// How many names [`AtomicFile::create`] tries when a temporary name is already taken (left
/// behind by a crashed process that had the same id).
const TEMPORARY_ATTEMPTS: u32 = 100;

/// Creates a folder (and its parents) for outputs.
pub fn create_dir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })
}

/// Writes a file whole or not at all (see the module header).
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), Error> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(contents).map_err(|e| file.error(e))?;
    file.commit()
}

/// A file being written: a uniquely named temporary in the target's folder that
/// [`commit`](AtomicFile::commit) renames over the target. Dropped without a commit, it
/// removes the temporary and leaves the target as it was.
#[derive(Debug)]
pub struct AtomicFile {
    target: PathBuf,
    temporary: PathBuf,
    file: Option<File>,
}

impl AtomicFile {
    /// Starts writing `target`.
    pub fn create(target: &Path) -> Result<AtomicFile, Error> {
        let write_error = |source| Error::Write {
            path: target.to_path_buf(),
            source,
        };
        let mut last = None;
        for _ in 0..TEMPORARY_ATTEMPTS {
            let temporary = temporary_path(target);
            match File::options()
                .write(true)
                .create_new(true)
                .open(&temporary)
            {
                Ok(file) => {
                    return Ok(AtomicFile {
                        target: target.to_path_buf(),
                        temporary,
                        file: Some(file),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(write_error(e)),
            }
        }
        Err(write_error(last.unwrap_or_else(|| {
            std::io::Error::other("no free temporary name")
        })))
    }

    /// The error for a failed write to this file, naming the target.
    pub fn error(&self, source: std::io::Error) -> Error {
        Error::Write {
            path: self.target.clone(),
            source,
        }
    }

    /// Closes the temporary and renames it over the target.
    pub fn commit(mut self) -> Result<(), Error> {
        let mut file = self.file.take().expect("an uncommitted file is open");
        file.flush().map_err(|e| self.error(e))?;
        drop(file);
        std::fs::rename(&self.temporary, &self.target).map_err(|e| self.error(e))?;
        self.temporary = PathBuf::new();
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.file.as_mut().map_or(Ok(0), |f| f.write(bytes))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.as_mut().map_or(Ok(()), File::flush)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.temporary.as_os_str().is_empty() {
            // Best effort: the temporary is hidden and uniquely named, so a leftover harms nothing.
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}

/// `.NAME.PID.N.partial` next to `target`: hidden, and unique within and across processes.
fn temporary_path(target: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    target.with_file_name(format!(".{file_name}.{}.{n}.partial", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_the_whole_file_and_leaves_no_temporary() {
        let dir = folder();
        let path = dir.path().join("summary.json");
        write_atomically(&path, b"old").unwrap();
        write_atomically(&path, b"new contents").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new contents");
        assert_eq!(entries(dir.path()), ["summary.json"]);
    }

    #[test]
    fn an_uncommitted_file_leaves_the_target_untouched() {
        let dir = folder();
        let path = dir.path().join("samples.csv");
        write_atomically(&path, b"kept").unwrap();
        {
            let mut file = AtomicFile::create(&path).unwrap();
            file.write_all(b"half a fi").unwrap();
        }
        assert_eq!(std::fs::read(&path).unwrap(), b"kept");
        assert_eq!(entries(dir.path()), ["samples.csv"]);
    }

    #[test]
    fn concurrent_writers_never_share_a_temporary() {
        let dir = folder();
        let path = dir.path().join("index.html");
        std::thread::scope(|scope| {
            for i in 0..8u8 {
                let path = &path;
                scope.spawn(move || write_atomically(path, &[i; 4096]).unwrap());
            }
        });
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes.len(), 4096);
        assert!(
            bytes.iter().all(|&b| b == bytes[0]),
            "one writer's whole file"
        );
        assert_eq!(entries(dir.path()), ["index.html"]);
    }

    #[test]
    fn a_missing_folder_is_a_write_error_naming_the_file() {
        let dir = folder();
        let path = dir.path().join("absent").join("x.csv");
        let error = write_atomically(&path, b"x").unwrap_err();
        assert!(error.to_string().contains("x.csv"), "{error}");
        assert_eq!(error.exit_code(), crate::error::EXIT_RUN_FAILED);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_target_is_replaced_not_written_through() {
        let dir = folder();
        let elsewhere = dir.path().join("elsewhere.txt");
        std::fs::write(&elsewhere, b"not yours").unwrap();
        let path = dir.path().join("out.txt");
        std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
        write_atomically(&path, b"mine").unwrap();
        assert_eq!(std::fs::read(&elsewhere).unwrap(), b"not yours");
        assert!(!std::fs::symlink_metadata(&path).unwrap().is_symlink());
        assert_eq!(std::fs::read(&path).unwrap(), b"mine");
    }
}
