//! The scenario format: a TOML file with a signed network, interventions and expectations.
//!
//! Reading goes file -> [`raw`] structs (positions kept) -> [`validate`] -> [`Scenario`]; every
//! problem found on the way is reported with its line and column.

pub mod activity;
pub mod catalogue;
pub mod combine;
pub mod community;
pub mod dist;
pub mod embed;
pub mod evidence;
pub mod links;
pub mod model;
pub mod overrides;
pub mod raw;
pub mod validate;

pub use model::*;
pub use validate::ClaimLookup;

use crate::diagnostic::{Diagnostic, SourceMap};
use crate::error::Error;
use crate::scenario::catalogue::CatalogueFinder;
use std::path::Path;

/// Reads, parses and validates a scenario file, resolving its claim ids with `claims`.
pub fn load(path: &Path, claims: &CatalogueFinder) -> Result<Scenario, Error> {
    let text = read_scenario_text(path)?;
    let catalogue = claims.for_scenario(path)?;
    parse(
        path,
        &text,
        catalogue.as_deref().map(|c| c as &dyn ClaimLookup),
    )
}

/// Scenario files are a few kilobytes; anything past this is not one (and reading on would
/// only fill memory).
pub const MAX_SCENARIO_BYTES: u64 = 16 << 20;

/// The text of a scenario file: a regular file of at most [`MAX_SCENARIO_BYTES`], in UTF-8.
pub fn read_scenario_text(path: &Path) -> Result<String, Error> {
    use std::io::Read;
    crate::discover::regular_file(path)?;
    let read_error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut text = String::new();
    file.take(MAX_SCENARIO_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(read_error)?;
    if text.len() as u64 > MAX_SCENARIO_BYTES {
        return Err(read_error(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "larger than {} MB, which no scenario file is (they are a few KB)",
                MAX_SCENARIO_BYTES >> 20
            ),
        )));
    }
    Ok(text)
}

/// Parses and validates scenario text; `path` is used in messages and as the scenario's origin.
pub fn parse(path: &Path, text: &str, claims: Option<&dyn ClaimLookup>) -> Result<Scenario, Error> {
    let source = SourceMap::new(text);
    let raw: raw::RawScenario = toml::from_str(text)
        .map_err(|e| Error::invalid(path, &source, vec![toml_problem(&e, &source)]))?;
    validate::validate(path, raw, &source, claims)
        .map_err(|problems| Error::invalid(path, &source, problems))
}

/// Turns a TOML syntax or shape error into a positioned problem with advice.
pub fn toml_problem(error: &toml::de::Error, source: &SourceMap) -> Diagnostic {
    let message = error.message().trim().to_string();
    let help = if message.contains("unknown field") {
        "check the key's spelling against docs/scenario-format.md"
    } else if message.contains("missing field") {
        "add the missing key (docs/scenario-format.md lists what each table needs)"
    } else if message.contains("invalid type") {
        "check the value's type: numbers unquoted, names and distributions in quotes"
    } else {
        "fix the TOML syntax here (strings in quotes, one key = value per line, multi-line strings in \"\"\")"
    };
    let diagnostic = match error.span() {
        Some(span) => Diagnostic::at(source.pos(span.start, span.len()), message),
        None => Diagnostic::whole_file(message),
    };
    diagnostic.help(help)
}
