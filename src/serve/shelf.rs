//! The scenarios a server offers: found under one folder at start-up, validated once, and
//! afterwards named only by their id (the path under that folder without `.toml`). No request
//! can reach the file system: an id that is not on the shelf is simply unknown.

use crate::discover::scenario_files;
use crate::error::Error;
use crate::scenario::Scenario;
use crate::scenario::catalogue::CatalogueFinder;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// One scenario on offer.
#[derive(Debug, Clone)]
pub struct Shelved {
    pub id: String,
    /// The folder it sits in, relative to the served folder ("" at the top).
    pub folder: String,
    pub scenario: Scenario,
}

/// Every valid scenario under the served folder, by id, and the files that were left out.
#[derive(Debug, Default)]
pub struct Shelf {
    scenarios: BTreeMap<String, Shelved>,
    /// Files that did not load, with the reason (reported at start-up).
    pub skipped: Vec<String>,
}

/// One row of the scenario list.
#[derive(Debug, Serialize)]
pub struct Entry<'a> {
    pub id: &'a str,
    pub folder: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub cancer: &'a str,
    pub nodes: usize,
    pub expectations: usize,
}

impl Shelf {
    /// Loads every scenario file under `dir`; a file with problems is skipped and named in
    /// [`Shelf::skipped`], so one broken file does not close the classroom. A folder with no
    /// valid scenario at all is an error.
    pub fn load(dir: &Path, claims: &CatalogueFinder) -> Result<Shelf, Error> {
        let mut shelf = Shelf::default();
        for path in scenario_files(&[dir.to_path_buf()])? {
            match crate::scenario::load(&path, claims) {
                Ok(scenario) => shelf.add(dir, &path, scenario),
                Err(error) => shelf.skipped.push(error.to_string()),
            }
        }
        if shelf.scenarios.is_empty() {
            return Err(Error::NoScenarios {
                path: dir.to_path_buf(),
            });
        }
        Ok(shelf)
    }

    fn add(&mut self, dir: &Path, path: &Path, scenario: Scenario) {
        let relative = path.strip_prefix(dir).unwrap_or(path).with_extension("");
        let parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let id = parts.join("/");
        let folder = parts[..parts.len().saturating_sub(1)].join("/");
        self.scenarios.insert(
            id.clone(),
            Shelved {
                id,
                folder,
                scenario,
            },
        );
    }

    pub fn get(&self, id: &str) -> Option<&Shelved> {
        self.scenarios.get(id)
    }

    pub fn len(&self) -> usize {
        self.scenarios.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scenarios.is_empty()
    }

    /// The list, sorted by folder then id.
    pub fn entries(&self) -> Vec<Entry<'_>> {
        self.scenarios
            .values()
            .map(|s| Entry {
                id: &s.id,
                folder: &s.folder,
                title: &s.scenario.title,
                description: &s.scenario.description,
                cancer: &s.scenario.cancer,
                nodes: s.scenario.nodes.len(),
                expectations: s.scenario.expectations.len(),
            })
            .collect()
    }
}
