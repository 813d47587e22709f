//! The claims catalogue (`seeds/claims.toml`): every causal claim taken from the source
//! reviews, with where it comes from, so each link of a scenario can cite its evidence.
//!
//! A scenario's claim ids resolve against the nearest `seeds/claims.toml` in a folder above it,
//! or against a catalogue given explicitly (`--claims FILE`).

use crate::diagnostic::{Diagnostic, SourceMap};
use crate::error::Error;
use crate::scenario::{ClaimLookup, Scenario};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use toml::Spanned;

/// Where the catalogue lives relative to a folder above the scenarios.
pub const CATALOGUE_PATH: &str = "seeds/claims.toml";

/// The experimental system behind a claim, which sets how much weight its link deserves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModelSystem {
    InVitro,
    Animal,
    Clinical,
    Review,
    /// A link the catalogue's authors infer; no seed states it outright.
    Inferred,
    /// Stated only in the title of a reference the seed cites.
    TitleOnly,
}

impl ModelSystem {
    pub const NAMES: [&'static str; 6] = [
        "in-vitro",
        "animal",
        "clinical",
        "review",
        "inferred",
        "title-only",
    ];

    pub fn parse(text: &str) -> Option<ModelSystem> {
        match text {
            "in-vitro" => Some(ModelSystem::InVitro),
            "animal" => Some(ModelSystem::Animal),
            "clinical" => Some(ModelSystem::Clinical),
            "review" => Some(ModelSystem::Review),
            "inferred" => Some(ModelSystem::Inferred),
            "title-only" => Some(ModelSystem::TitleOnly),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// One claim of the catalogue.
#[derive(Debug, Clone)]
pub struct Claim {
    pub id: String,
    /// File name of the source review in the seeds folder.
    pub seed: String,
    /// Where in the seed: section and a short cue.
    pub locator: String,
    pub regulator: String,
    pub target: String,
    /// `+`, `-`, `?` or `±`.
    pub sign: String,
    pub cancer: String,
    pub cell_line: Option<String>,
    pub model: ModelSystem,
    pub study: Option<String>,
    /// The claim in the project's own words.
    pub paraphrase: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    #[serde(default)]
    claim: Vec<RawClaim>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaim {
    id: Spanned<String>,
    seed: String,
    locator: String,
    regulator: String,
    target: String,
    sign: Spanned<String>,
    cancer: String,
    cell_line: Option<String>,
    model: Spanned<String>,
    study: Option<String>,
    paraphrase: String,
}

/// Signs a claim may have: raises, lowers, direction not stated, both stated, and `0` for a
/// stated absence of effect (safety claims such as "no adverse reactions").
pub const SIGNS: [&str; 5] = ["+", "-", "?", "±", "0"];

/// A loaded catalogue.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub path: PathBuf,
    pub claims: Vec<Claim>,
    index: HashMap<String, usize>,
}

impl Catalogue {
    /// Reads and checks a catalogue file.
    pub fn load(path: &Path) -> Result<Catalogue, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Catalogue::parse(path, &text)
    }

    /// Parses catalogue text; `path` is used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Catalogue, Error> {
        let source = SourceMap::new(text);
        let raw: RawCatalogue = toml::from_str(text).map_err(|e| {
            Error::invalid(
                path,
                &source,
                vec![crate::scenario::toml_problem(&e, &source)],
            )
        })?;
        let mut problems = Vec::new();
        let mut claims = Vec::new();
        let mut index = HashMap::new();
        for raw_claim in raw.claim {
            let id = raw_claim.id.get_ref().trim().to_string();
            if let Some(&first) = index.get(&id) {
                let first: &Claim = &claims[first];
                problems.push(
                    Diagnostic::at(
                        source.pos(raw_claim.id.span().start, raw_claim.id.span().len()),
                        format!("duplicate claim id '{id}'"),
                    )
                    .help(format!(
                        "ids must be unique; '{}' already names: {}",
                        id, first.paraphrase
                    )),
                );
                continue;
            }
            if let Some(claim) = check_claim(raw_claim, &source, &mut problems) {
                index.insert(id, claims.len());
                claims.push(claim);
            }
        }
        if !problems.is_empty() {
            return Err(Error::invalid(path, &source, problems));
        }
        Ok(Catalogue {
            path: path.to_path_buf(),
            claims,
            index,
        })
    }

    pub fn get(&self, id: &str) -> Option<&Claim> {
        self.index.get(id).map(|&i| &self.claims[i])
    }

    /// The nearest `seeds/claims.toml` in `start` or a folder above it.
    pub fn find_above(start: &Path) -> Option<PathBuf> {
        let start = std::path::absolute(start).ok()?;
        start
            .ancestors()
            .map(|dir| dir.join(CATALOGUE_PATH))
            .find(|candidate| candidate.is_file())
    }
}

impl ClaimLookup for Catalogue {
    fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    fn origin(&self) -> String {
        self.path.display().to_string()
    }

    fn model(&self, id: &str) -> Option<ModelSystem> {
        self.get(id).map(|c| c.model)
    }
}

fn check_claim(raw: RawClaim, source: &SourceMap, problems: &mut Vec<Diagnostic>) -> Option<Claim> {
    let at = |span: std::ops::Range<usize>| source.pos(span.start, span.len());
    let sign = raw.sign.get_ref().trim().to_string();
    if !SIGNS.contains(&sign.as_str()) {
        problems.push(
            Diagnostic::at(at(raw.sign.span()), format!("sign \"{sign}\" is not one of + - ? ± 0"))
                .help("use \"+\" (raises), \"-\" (lowers), \"?\" (direction not stated), \"±\" (both stated) or \"0\" (no effect stated)"),
        );
    }
    let model = ModelSystem::parse(raw.model.get_ref().trim());
    if model.is_none() {
        problems.push(
            Diagnostic::at(
                at(raw.model.span()),
                format!(
                    "model \"{}\" is not a known model system",
                    raw.model.get_ref()
                ),
            )
            .help(format!("use one of: {}", ModelSystem::NAMES.join(", "))),
        );
    }
    Some(Claim {
        id: raw.id.into_inner().trim().to_string(),
        seed: raw.seed,
        locator: raw.locator,
        regulator: raw.regulator,
        target: raw.target,
        sign,
        cancer: raw.cancer,
        cell_line: raw.cell_line,
        model: model?,
        study: raw.study,
        paraphrase: raw.paraphrase,
    })
}

/// Finds and caches the catalogue for each scenario, or hands out the one given explicitly.
#[derive(Debug, Default)]
pub struct CatalogueFinder {
    explicit: Option<Arc<Catalogue>>,
    cache: Mutex<HashMap<PathBuf, Arc<Catalogue>>>,
}

impl CatalogueFinder {
    /// Resolves claims against `explicit` when given, else against the nearest catalogue.
    pub fn new(explicit: Option<&Path>) -> Result<CatalogueFinder, Error> {
        let explicit = explicit.map(Catalogue::load).transpose()?.map(Arc::new);
        Ok(CatalogueFinder {
            explicit,
            cache: Mutex::default(),
        })
    }

    /// The catalogue that applies to the scenario at `scenario_path`, if any.
    pub fn for_scenario(&self, scenario_path: &Path) -> Result<Option<Arc<Catalogue>>, Error> {
        if let Some(catalogue) = &self.explicit {
            return Ok(Some(Arc::clone(catalogue)));
        }
        // A bare file name has an empty parent, which would not resolve to the current folder.
        let folder = scenario_path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let Some(found) = Catalogue::find_above(folder) else {
            return Ok(None);
        };
        if let Some(cached) = self.lock().get(&found) {
            return Ok(Some(Arc::clone(cached)));
        }
        let catalogue = Arc::new(Catalogue::load(&found)?);
        self.lock().insert(found, Arc::clone(&catalogue));
        Ok(Some(catalogue))
    }

    /// The warning for a scenario that cites claims when no catalogue applies to it: the ids
    /// are shown as given, unchecked, and its links are drawn with the default weight rather
    /// than the one their evidence earns. `None` when a catalogue applies or nothing is cited.
    pub fn missing_warning(&self, scenario: &Scenario) -> Result<Option<String>, Error> {
        let cited = scenario.cited_claims().len();
        if cited == 0 || self.for_scenario(&scenario.path)?.is_some() {
            return Ok(None);
        }
        Ok(Some(format!(
            "warning: no claims catalogue found for {}: its {cited} cited claim id{} are shown as given, unchecked, and its links are drawn with the default weight instead of the weight their evidence earns\n   = help: put the catalogue at seeds/claims.toml in a folder above the scenario, or pass --claims FILE (`claimsim check --strict` treats this as an error)",
            scenario.path.display(),
            if cited == 1 { "" } else { "s" }
        )))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Arc<Catalogue>>> {
        // A poisoned cache only means another thread panicked mid-insert; the map is still usable.
        self.cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"
[[claim]]
id = "A053"
seed = "001_70321a6be7ec0a3d.txt"
locator = "Drug Resistance"
regulator = "miR-365"
target = "BAX"
sign = "-"
cancer = "CML"
model = "in-vitro"
paraphrase = "miR-365 lowers BAX."
"#;

    #[test]
    fn reads_claims() {
        let c = Catalogue::parse(Path::new("claims.toml"), ONE).unwrap();
        assert_eq!(c.get("A053").unwrap().model, ModelSystem::InVitro);
        assert!(c.contains("A053"));
        assert!(!c.contains("A054"));
    }

    #[test]
    fn rejects_duplicates_bad_signs_and_models() {
        let text = format!(
            "{ONE}{}",
            ONE.replace("sign = \"-\"", "sign = \"down\"")
                .replace("in-vitro", "mouse")
        );
        let err = Catalogue::parse(Path::new("claims.toml"), &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("duplicate claim id 'A053'"), "{err}");
        let text = ONE
            .replace("sign = \"-\"", "sign = \"down\"")
            .replace("in-vitro", "mouse");
        let err = Catalogue::parse(Path::new("claims.toml"), &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("sign \"down\""), "{err}");
        assert!(err.contains("model \"mouse\""), "{err}");
    }
}
