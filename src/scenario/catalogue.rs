//! The claims catalogue (`seeds/claims.toml`): every causal claim taken from the source
//! reviews, with where it comes from, so each link of a scenario can cite its evidence.
//!
//! A scenario's claim ids resolve against its own `[[claim]]` tables first (a self-contained
//! copy, `claimsim new --from`), then the nearest `seeds/claims.toml` in a folder above it or a
//! catalogue given explicitly (`--claims FILE`): one merged lookup, [`ScenarioClaims`].

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

/// One `[[claim]]` table as written, in the catalogue or embedded in a scenario.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClaim {
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
        let claims = check_claims(raw.claim, &source, &mut problems);
        if !problems.is_empty() {
            return Err(Error::invalid(path, &source, problems));
        }
        Ok(Catalogue::from_claims(
            path,
            claims.into_iter().map(|(_, c)| c).collect(),
        ))
    }

    /// A catalogue of claims already checked (ids unique).
    pub fn from_claims(path: &Path, claims: Vec<Claim>) -> Catalogue {
        let index = claims
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        Catalogue {
            path: path.to_path_buf(),
            claims,
            index,
        }
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
    fn claim(&self, id: &str) -> Option<&Claim> {
        self.get(id)
    }

    fn origin(&self) -> String {
        self.path.display().to_string()
    }
}

/// Checks `[[claim]]` tables (of the catalogue or of a scenario): fields, and ids unique among
/// them. Each good claim comes back with the span of its id, for later messages.
pub fn check_claims(
    raw: Vec<RawClaim>,
    source: &SourceMap,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(std::ops::Range<usize>, Claim)> {
    let mut claims: Vec<(std::ops::Range<usize>, Claim)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for raw_claim in raw {
        let id = raw_claim.id.get_ref().trim().to_string();
        let span = raw_claim.id.span();
        if let Some(&first) = index.get(&id) {
            let first = &claims[first].1;
            problems.push(
                Diagnostic::at(
                    source.pos(span.start, span.len()),
                    format!("duplicate claim id '{id}'"),
                )
                .help(format!(
                    "ids must be unique; '{}' already names: {}",
                    id, first.paraphrase
                )),
            );
            continue;
        }
        if let Some(claim) = check_claim(raw_claim, source, problems) {
            index.insert(id, claims.len());
            claims.push((span, claim));
        }
    }
    claims
}

/// The first field in which two claims of one id differ, if any.
pub fn first_difference(a: &Claim, b: &Claim) -> Option<&'static str> {
    let fields: [(&str, bool); 10] = [
        ("seed", a.seed == b.seed),
        ("locator", a.locator == b.locator),
        ("regulator", a.regulator == b.regulator),
        ("target", a.target == b.target),
        ("sign", a.sign == b.sign),
        ("cancer", a.cancer == b.cancer),
        ("cell_line", a.cell_line == b.cell_line),
        ("model", a.model == b.model),
        ("study", a.study == b.study),
        ("paraphrase", a.paraphrase == b.paraphrase),
    ];
    fields.iter().find(|(_, same)| !same).map(|(name, _)| *name)
}

/// How a cited claim id resolved.
#[derive(Debug, Clone, Copy)]
pub enum Resolution<'a> {
    Found(&'a Claim),
    /// Neither the scenario nor the catalogue has it.
    Unknown,
    /// Not embedded, and no catalogue to check it against: kept as given.
    Unchecked,
}

/// The claims a scenario's ids resolve against: its own `[[claim]]` tables first, then the
/// catalogue. Validation, the evidence rules, `new --from` and the reports all go through it.
#[derive(Clone, Copy)]
pub struct ScenarioClaims<'a> {
    pub embedded: &'a [Claim],
    pub catalogue: Option<&'a dyn ClaimLookup>,
}

impl<'a> ScenarioClaims<'a> {
    pub fn resolve(&self, id: &str) -> Resolution<'a> {
        if let Some(claim) = self.embedded.iter().find(|c| c.id == id) {
            return Resolution::Found(claim);
        }
        match self.catalogue {
            None => Resolution::Unchecked,
            Some(catalogue) => catalogue
                .claim(id)
                .map_or(Resolution::Unknown, Resolution::Found),
        }
    }

    pub fn get(&self, id: &str) -> Option<&'a Claim> {
        match self.resolve(id) {
            Resolution::Found(claim) => Some(claim),
            Resolution::Unknown | Resolution::Unchecked => None,
        }
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
        // Claims the scenario embeds need no catalogue.
        let cited = scenario.unembedded_claims().len();
        if cited == 0 || self.for_scenario(&scenario.path)?.is_some() {
            return Ok(None);
        }
        Ok(Some(format!(
            "warning: no claims catalogue found for {}: its {cited} cited claim id{} are shown as given, unchecked, and its links are drawn with the default weight instead of the weight their evidence earns\n   = help: put the catalogue at seeds/claims.toml in a folder above the scenario, or pass --claims FILE; `claimsim new --from SCENARIO COPY` writes a copy with its claims embedded (`claimsim check --strict` treats this as an error)",
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
        assert_eq!(c.model("A053"), Some(ModelSystem::InVitro));
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
