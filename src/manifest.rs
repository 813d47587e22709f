//! Run manifests and output locks: which files a run wrote into its folder, so a rerun can
//! remove what it no longer writes, `claimsim check-output` can tell a finished folder from an
//! interrupted or tampered one, and two runs never write into one folder at once.
//!
//! A run first rewrites `manifest.json` as unfinished (keeping the previous run's list of files,
//! which it still owns), adds each file to that list before writing it (so a run killed while
//! writing still owns what it wrote: the next run removes the files it does not rewrite),
//! removes the previous run's files it did not rewrite, and last writes the finished manifest
//! with each file's size and hash. A folder whose manifest is missing, unfinished, or disagrees
//! with a file is incomplete.
//!
//! The hash is 64-bit FNV-1a: an integrity check against interrupted or edited files, not a
//! defence against someone forging a file to match it.

use crate::error::Error;
use crate::output::{create_dir, write_atomically};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// The manifest's file name in each output folder.
pub const MANIFEST: &str = "manifest.json";
/// The lock file's name in a folder being written.
pub const LOCK: &str = ".claimsim.lock";

/// What one run wrote into one folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The claimsim version that wrote the folder.
    pub claimsim: String,
    /// The command line, which with the scenario files fixes every setting of the run.
    pub command: Vec<String>,
    /// False while the run is writing (or after it was interrupted).
    pub complete: bool,
    /// The files the run owns, relative to the folder.
    pub files: Vec<FileEntry>,
}

/// One file of a run, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the manifest's folder, with `/` between parts.
    pub path: String,
    pub bytes: u64,
    /// 64-bit FNV-1a of the contents, 16 hex digits; empty for a file an unfinished run was
    /// about to write.
    pub fnv1a64: String,
}

/// 64-bit FNV-1a of `bytes` (an integrity check; see the module header).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(PRIME))
}

/// A run writing into a folder: started with [`RunFolder::begin`], ended with
/// [`RunFolder::finish`].
#[derive(Debug)]
pub struct RunFolder {
    dir: PathBuf,
    command: Vec<String>,
    previous: Vec<FileEntry>,
    /// Files this run is writing or has written, relative to `dir`.
    claimed: Mutex<BTreeSet<String>>,
}

impl RunFolder {
    /// Creates `dir` if needed and marks it unfinished, keeping the files the previous run
    /// owned (so an interrupted run still removes them next time).
    pub fn begin(dir: &Path, command: &[String]) -> Result<RunFolder, Error> {
        create_dir(dir)?;
        let previous = read(dir).map(|m| m.files).unwrap_or_default();
        let folder = RunFolder {
            dir: dir.to_path_buf(),
            command: command.to_vec(),
            previous,
            claimed: Mutex::new(BTreeSet::new()),
        };
        folder.write_manifest(false, folder.previous.clone())?;
        Ok(folder)
    }

    /// Adds `paths` (inside the folder) to the unfinished manifest before they are written, so
    /// that a run killed while writing them still owns them. Safe to call from several threads.
    pub fn claim(&self, paths: &[PathBuf]) -> Result<(), Error> {
        let mut claimed = self.claimed.lock().unwrap_or_else(PoisonError::into_inner);
        let before = claimed.len();
        claimed.extend(
            paths
                .iter()
                .filter_map(|p| p.strip_prefix(&self.dir).ok())
                .map(slash_path)
                .filter(|p| p != MANIFEST),
        );
        if claimed.len() == before {
            return Ok(());
        }
        let mut files = self.previous.clone();
        for path in claimed.iter() {
            if !files.iter().any(|f| f.path == *path) {
                files.push(FileEntry {
                    path: path.clone(),
                    bytes: 0,
                    fnv1a64: String::new(),
                });
            }
        }
        // Written while holding the list, so the last manifest written is the longest.
        self.write_manifest(false, files).map(|_| ())
    }

    /// Claims `path`, then writes it whole (see [`write_atomically`]).
    pub fn write(&self, path: &Path, contents: &[u8]) -> Result<(), Error> {
        self.claim(&[path.to_path_buf()])?;
        write_atomically(path, contents)
    }

    /// Removes the previous run's files that `written` does not include, then writes the
    /// finished manifest listing `written` (paths inside the folder) with their hashes.
    pub fn finish(self, written: &[PathBuf]) -> Result<Manifest, Error> {
        let mut entries = Vec::with_capacity(written.len());
        for path in written {
            entries.push(self.entry(path)?);
        }
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        entries.dedup_by(|a, b| a.path == b.path);
        let claimed = self.claimed.lock().unwrap_or_else(PoisonError::into_inner);
        let owned: BTreeSet<&String> = self
            .previous
            .iter()
            .map(|f| &f.path)
            .chain(claimed.iter())
            .collect();
        // Temporaries first, so that a folder left with nothing else is removed with its files.
        remove_dead_temporaries(
            &self.dir,
            owned.iter().copied().chain(entries.iter().map(|e| &e.path)),
        );
        for old in owned {
            if !entries.iter().any(|e| e.path == *old) {
                remove_owned(&self.dir, old);
            }
        }
        self.write_manifest(true, entries)
    }

    fn entry(&self, path: &Path) -> Result<FileEntry, Error> {
        let relative = path.strip_prefix(&self.dir).unwrap_or(path);
        let bytes = std::fs::read(path).map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(FileEntry {
            path: slash_path(relative),
            bytes: bytes.len() as u64,
            fnv1a64: format!("{:016x}", fnv1a64(&bytes)),
        })
    }

    fn write_manifest(&self, complete: bool, files: Vec<FileEntry>) -> Result<Manifest, Error> {
        let manifest = Manifest {
            claimsim: env!("CARGO_PKG_VERSION").to_string(),
            command: self.command.clone(),
            complete,
            files,
        };
        let json = serde_json::to_string_pretty(&manifest).expect("a manifest serialises");
        write_atomically(&self.dir.join(MANIFEST), format!("{json}\n").as_bytes())?;
        Ok(manifest)
    }
}

/// The manifest in `dir`, if there is a readable one.
fn read(dir: &Path) -> Option<Manifest> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
    serde_json::from_str(&text).ok()
}

fn slash_path(relative: &Path) -> String {
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// `relative` under `dir` when it stays inside it (plain names only: no root, no `..`).
fn inside(dir: &Path, relative: &str) -> Option<PathBuf> {
    let path = Path::new(relative);
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && !relative.is_empty()).then(|| dir.join(path))
}

/// Removes a file a previous run wrote, and its folder when that is left empty. Never leaves
/// `dir`, never removes anything but a regular file (a manifest edited to name `../x` or a
/// folder removes nothing); best effort, since a file already gone is what we want.
fn remove_owned(dir: &Path, relative: &str) {
    let Some(path) = inside(dir, relative) else {
        return;
    };
    let is_file = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file());
    if is_file && std::fs::remove_file(&path).is_ok() {
        let mut parent = path.parent();
        while let Some(folder) = parent.filter(|p| *p != dir && p.starts_with(dir)) {
            if std::fs::remove_dir(folder).is_err() {
                break;
            }
            parent = folder.parent();
        }
    }
}

/// Removes the temporaries (`.NAME.PID.N.partial`, see [`crate::output`]) that processes no
/// longer running left beside `files` (a run killed mid-write leaves one).
fn remove_dead_temporaries<'a>(dir: &Path, files: impl Iterator<Item = &'a String>) {
    let folders: BTreeSet<PathBuf> = files
        .filter_map(|path| inside(dir, path))
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .chain(std::iter::once(dir.to_path_buf()))
        .collect();
    for folder in folders {
        let Ok(listing) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in listing.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let dead = temporary_pid(&name).is_some_and(|pid| !process_alive(pid));
            if dead && entry.file_type().is_ok_and(|t| t.is_file()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// The process id in a temporary's name `.NAME.PID.N.partial`.
fn temporary_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(".partial")?;
    let mut parts = rest.rsplitn(3, '.');
    let counter = parts.next()?;
    let pid = parts.next()?;
    parts.next()?;
    counter.parse::<u64>().ok()?;
    pid.parse().ok()
}

/// Why a folder is not a finished run's output, one sentence each; empty when it is.
pub fn check(dir: &Path) -> Vec<String> {
    let text = match std::fs::read_to_string(dir.join(MANIFEST)) {
        Ok(text) => text,
        Err(e) => {
            return vec![format!(
                "no readable {MANIFEST} in {} ({e}): the run that wrote it did not finish, \
                 or claimsim did not write it",
                dir.display()
            )];
        }
    };
    let manifest: Manifest = match serde_json::from_str(&text) {
        Ok(m) => m,
        Err(e) => return vec![format!("{} is not a claimsim manifest: {e}", MANIFEST)],
    };
    if !manifest.complete {
        // Its list holds files it was about to write: there is nothing to compare them with.
        return vec![format!(
            "the run `{}` did not finish (it was interrupted or is still writing); run it again",
            manifest.command.join(" ")
        )];
    }
    let mut problems = Vec::new();
    problems.extend(manifest.files.iter().filter_map(|f| check_file(dir, f)));
    problems
}

fn check_file(dir: &Path, entry: &FileEntry) -> Option<String> {
    let Some(path) = inside(dir, &entry.path) else {
        return Some(format!("{}: a path outside the folder", entry.path));
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => return Some(format!("{}: missing ({e})", entry.path)),
    };
    let hash = format!("{:016x}", fnv1a64(&bytes));
    (bytes.len() as u64 != entry.bytes || hash != entry.fnv1a64).then(|| {
        format!(
            "{}: changed since it was written ({} bytes, hash {hash}; the manifest says {} \
             bytes, hash {})",
            entry.path,
            bytes.len(),
            entry.bytes,
            entry.fnv1a64
        )
    })
}

/// A folder held by this process while it writes: `.claimsim.lock` holding the process id,
/// removed when dropped.
#[derive(Debug)]
pub struct OutputLock {
    path: PathBuf,
}

/// How many times [`OutputLock::acquire`] takes over a stale lock before giving up (another
/// process racing for the same stale lock).
const LOCK_ATTEMPTS: u32 = 3;

impl OutputLock {
    /// Takes the lock on `dir` (created if needed). A lock held by a live process is an error
    /// naming it; one left by a process that is gone is taken over, and the returned note says
    /// so.
    pub fn acquire(dir: &Path) -> Result<(OutputLock, Option<String>), Error> {
        create_dir(dir)?;
        let path = dir.join(LOCK);
        let mut note = None;
        for _ in 0..LOCK_ATTEMPTS {
            match std::fs::File::options()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    use std::io::Write;
                    let lock = OutputLock { path: path.clone() };
                    writeln!(file, "{}", std::process::id()).map_err(|source| Error::Write {
                        path: path.clone(),
                        source,
                    })?;
                    return Ok((lock, note));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path).unwrap_or_default();
                    let holder = holder.trim().parse::<u32>().ok();
                    if let Some(pid) = holder.filter(|&pid| process_alive(pid)) {
                        return Err(held_error(dir, &path, pid));
                    }
                    note = Some(format!(
                        "note: took over the lock on {} left by a process that is gone{}",
                        dir.display(),
                        holder
                            .map(|p| format!(" (process {p})"))
                            .unwrap_or_default()
                    ));
                    let _ = std::fs::remove_file(&path);
                }
                Err(source) => return Err(Error::Write { path, source }),
            }
        }
        Err(Error::run_failed(
            format!("could not take the lock {}", path.display()),
            "another claimsim is starting to write into this folder; wait for it or choose another output folder",
        ))
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Best effort: a lock left behind is taken over by the next run, with a note.
        let _ = std::fs::remove_file(&self.path);
    }
}

fn held_error(dir: &Path, lock: &Path, pid: u32) -> Error {
    Error::run_failed(
        format!(
            "{} is being written by another claimsim (process {pid}, lock file {})",
            dir.display(),
            lock.display()
        ),
        format!(
            "wait for that run to finish, or choose another output folder with -o; delete the \
             lock file only if process {pid} is not claimsim"
        ),
    )
}

/// Whether process `pid` is running. Where `/proc` is not available every holder counts as
/// alive, so a lock is only taken over where that can be checked.
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command() -> Vec<String> {
        vec!["claimsim".into(), "run".into()]
    }

    #[test]
    fn fnv1a64_matches_the_published_test_vectors() {
        // From the FNV reference (isthe.com/chongo/tech/comp/fnv): "" and "a".
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn a_rerun_removes_only_the_files_it_owned_and_did_not_rewrite() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("mine-by-hand.txt"), "keep").unwrap();
        let first = RunFolder::begin(d, &command()).unwrap();
        for name in ["a.csv", "b.png"] {
            std::fs::write(d.join(name), name).unwrap();
        }
        first.finish(&[d.join("a.csv"), d.join("b.png")]).unwrap();
        let second = RunFolder::begin(d, &command()).unwrap();
        std::fs::write(d.join("a.csv"), "again").unwrap();
        let manifest = second.finish(&[d.join("a.csv")]).unwrap();
        assert!(!d.join("b.png").exists());
        assert!(d.join("mine-by-hand.txt").exists());
        assert_eq!(manifest.files.len(), 1);
        assert!(check(d).is_empty(), "{:?}", check(d));
    }

    #[test]
    fn files_an_interrupted_run_wrote_are_removed_by_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("sub")).unwrap();
        let killed = RunFolder::begin(d, &command()).unwrap();
        killed.write(&d.join("sub/new.png"), b"x").unwrap();
        killed.claim(&[d.join("never-written.csv")]).unwrap();
        drop(killed); // as if killed: no finish
        assert!(check(d)[0].contains("did not finish"), "{:?}", check(d));
        let rerun = RunFolder::begin(d, &command()).unwrap();
        std::fs::write(d.join("a.csv"), "a").unwrap();
        let manifest = rerun.finish(&[d.join("a.csv")]).unwrap();
        assert!(!d.join("sub/new.png").exists());
        assert!(!d.join("sub").exists(), "its emptied folder goes too");
        assert_eq!(manifest.files.len(), 1);
        assert!(check(d).is_empty(), "{:?}", check(d));
    }

    #[test]
    fn temporaries_left_by_dead_processes_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let dead = ".a.csv.4294967294.3.partial";
        let live = format!(".a.csv.{}.0.partial", std::process::id());
        for name in [dead, live.as_str(), ".a.csv.x.partial", "notes.partial"] {
            std::fs::write(d.join(name), "half").unwrap();
        }
        let run = RunFolder::begin(d, &command()).unwrap();
        std::fs::write(d.join("a.csv"), "a").unwrap();
        run.finish(&[d.join("a.csv")]).unwrap();
        assert!(!d.join(dead).exists());
        for kept in [live.as_str(), ".a.csv.x.partial", "notes.partial"] {
            assert!(d.join(kept).exists(), "{kept}");
        }
        assert_eq!(temporary_pid(".sub.summary.json.12.7.partial"), Some(12));
        assert_eq!(temporary_pid(".x.12.partial"), None);
    }

    #[test]
    fn a_manifest_naming_paths_outside_its_folder_removes_nothing_there() {
        let outer = tempfile::tempdir().unwrap();
        let d = outer.path().join("out");
        std::fs::create_dir(&d).unwrap();
        std::fs::write(outer.path().join("precious"), "x").unwrap();
        let forged = r#"{"claimsim":"0","command":[],"complete":true,
            "files":[{"path":"../precious","bytes":1,"fnv1a64":"0"}]}"#;
        std::fs::write(d.join(MANIFEST), forged).unwrap();
        RunFolder::begin(&d, &command())
            .unwrap()
            .finish(&[])
            .unwrap();
        assert!(outer.path().join("precious").exists());
    }

    #[test]
    fn check_reports_a_changed_a_missing_file_and_an_unfinished_run() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let run = RunFolder::begin(d, &command()).unwrap();
        std::fs::write(d.join("a.csv"), "1,2").unwrap();
        std::fs::write(d.join("b.csv"), "3").unwrap();
        run.finish(&[d.join("a.csv"), d.join("b.csv")]).unwrap();
        assert!(check(d).is_empty());
        std::fs::write(d.join("a.csv"), "1,3").unwrap();
        std::fs::remove_file(d.join("b.csv")).unwrap();
        let problems = check(d);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("a.csv: changed"), "{problems:?}");
        assert!(problems[1].starts_with("b.csv: missing"), "{problems:?}");
        let _interrupted = RunFolder::begin(d, &command()).unwrap();
        assert!(check(d).iter().any(|p| p.contains("did not finish")));
    }

    #[test]
    fn a_lock_held_by_a_live_process_refuses_and_a_dead_ones_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let (held, _) = OutputLock::acquire(dir.path()).unwrap();
        let error = OutputLock::acquire(dir.path()).unwrap_err().to_string();
        assert!(
            error.contains("being written by another claimsim"),
            "{error}"
        );
        drop(held);
        assert!(!dir.path().join(LOCK).exists());
        // Process ids are below 2^22 on Linux, so this one is not running.
        std::fs::write(dir.path().join(LOCK), "4294967294\n").unwrap();
        let (_lock, note) = OutputLock::acquire(dir.path()).unwrap();
        assert!(note.unwrap().contains("4294967294"));
    }
}
