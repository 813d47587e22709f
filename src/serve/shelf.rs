//! The scenarios a server offers: found under one folder at start-up, validated once, and
//! afterwards named only by their id (the path under that folder without `.toml`). No request
//! can reach the file system: an id that is not on the shelf is simply unknown.

use crate::discover::scenario_files;
use crate::error::Error;
use crate::scenario::Scenario;
use crate::scenario::catalogue::{Catalogue, CatalogueFinder};
use crate::scenario::validate::ClaimLookup;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// One scenario on offer.
#[derive(Debug, Clone)]
pub struct Shelved {
    pub id: String,
    /// The folder it sits in, relative to the served folder ("" at the top).
    pub folder: String,
    pub scenario: Scenario,
    /// The file's text as read at start-up (the base of a downloaded what-if).
    pub source: String,
    /// The catalogue its claim ids resolved against, to check a downloaded what-if with.
    pub claims: Option<Arc<Catalogue>>,
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

/// A scenario read from its file, with its text and catalogue.
type Loaded = (Scenario, String, Option<Arc<Catalogue>>);

/// Reads and validates one file, as `claimsim::load` does, keeping its text.
fn read(path: &Path, claims: &CatalogueFinder) -> Result<Loaded, Error> {
    let text = crate::scenario::read_scenario_text(path)?;
    let catalogue = claims.for_scenario(path)?;
    let lookup = catalogue.as_deref().map(|c| c as &dyn ClaimLookup);
    let scenario = crate::scenario::parse(path, &text, lookup)?;
    Ok((scenario, text, catalogue))
}

impl Shelf {
    /// Loads every scenario file under `dir`; a file with problems is skipped and named in
    /// [`Shelf::skipped`], so one broken file does not close the classroom. A folder with no
    /// valid scenario at all is an error.
    pub fn load(dir: &Path, claims: &CatalogueFinder) -> Result<Shelf, Error> {
        let mut shelf = Shelf::default();
        let found = scenario_files(&[dir.to_path_buf()])?;
        shelf.skipped.extend(found.notes);
        for path in found.files {
            match read(&path, claims) {
                Ok(shelved) => shelf.add(dir, &path, shelved),
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

    fn add(&mut self, dir: &Path, path: &Path, (scenario, source, claims): Loaded) {
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
                source,
                claims,
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
