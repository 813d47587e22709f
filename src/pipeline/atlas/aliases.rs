//! Canonical names (`seeds/aliases.toml`): the catalogue's claims name one thing in many ways
//! ("MSC-derived exosomes", "MSC exosomes", "exosomes (MSC context)"), and the atlas can only
//! join claims into paths when such names are one node.
//!
//! ```toml
//! # canonical name = [the names that mean it]
//! [alias]
//! "MSC exosomes" = ["MSC-derived exosomes", "exosomes (MSC context)"]
//!
//! # pairs that look alike but were checked and are different things
//! [distinct]
//! pairs = [["MSCs", "MSC exosomes"]]
//! ```
//!
//! Names match ignoring case and runs of white space. [`near_duplicates`] lists names that look
//! alike (string similarity of their normalised forms) and are neither merged nor marked distinct:
//! the to-do list of whoever keeps the table.

use crate::diagnostic::{Diagnostic, SourceMap};
use crate::error::Error;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use toml::Spanned;

/// Where the table lives relative to a folder above the scenarios, next to the catalogue.
pub const ALIASES_PATH: &str = "seeds/aliases.toml";

/// The alias table beside a catalogue (`aliases.toml` in the catalogue's folder), if there is one.
pub fn beside(catalogue: &Path) -> Option<std::path::PathBuf> {
    let candidate = catalogue.with_file_name("aliases.toml");
    candidate.is_file().then_some(candidate)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAliases {
    #[serde(default)]
    alias: BTreeMap<String, Vec<Spanned<String>>>,
    #[serde(default)]
    distinct: RawDistinct,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistinct {
    #[serde(default)]
    pairs: Vec<[String; 2]>,
}

/// The canonical-name table.
#[derive(Debug, Clone, Default)]
pub struct Aliases {
    /// Matching key of every variant and canonical name -> canonical name.
    canonical: HashMap<String, String>,
    /// Matching keys of pairs checked to be different, smaller key first.
    distinct: HashSet<(String, String)>,
}

impl Aliases {
    /// Reads a table file.
    pub fn load(path: &Path) -> Result<Aliases, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Aliases::parse(path, &text)
    }

    /// Parses table text; `path` is used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Aliases, Error> {
        let source = SourceMap::new(text);
        let raw: RawAliases = toml::from_str(text).map_err(|e| {
            Error::invalid(
                path,
                &source,
                vec![crate::scenario::toml_problem(&e, &source)],
            )
        })?;
        let mut canonical: HashMap<String, String> = raw
            .alias
            .keys()
            .map(|name| (key(name), name.trim().to_string()))
            .collect();
        let mut problems = Vec::new();
        for (name, variants) in &raw.alias {
            for variant in variants {
                let at = source.pos(variant.span().start, variant.span().len());
                match canonical.get(&key(variant.get_ref())) {
                    Some(other) if key(other) == key(name) => {}
                    Some(other) => problems.push(
                        Diagnostic::at(
                            at,
                            format!("\"{}\" is already a name of \"{other}\"", variant.get_ref()),
                        )
                        .help(format!(
                            "a name belongs to one canonical name: remove it here or under \"{other}\" (merge the two groups if they mean one thing)"
                        )),
                    ),
                    None => {
                        canonical.insert(key(variant.get_ref()), name.trim().to_string());
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(Error::invalid(path, &source, problems));
        }
        let distinct = raw
            .distinct
            .pairs
            .iter()
            .map(|[a, b]| ordered(key(a), key(b)))
            .collect();
        Ok(Aliases {
            canonical,
            distinct,
        })
    }

    /// The canonical name for `name`: its group's name when it has one, else itself, trimmed.
    pub fn canonical<'a>(&'a self, name: &'a str) -> &'a str {
        self.canonical
            .get(&key(name))
            .map_or(name.trim(), String::as_str)
    }

    /// How many names the table maps (canonical names included).
    pub fn len(&self) -> usize {
        self.canonical.len()
    }

    pub fn is_empty(&self) -> bool {
        self.canonical.is_empty()
    }

    fn marked_distinct(&self, a: &str, b: &str) -> bool {
        self.distinct.contains(&ordered(key(a), key(b)))
    }
}

/// The matching key of a name: lower case, white space collapsed.
fn key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn ordered(a: String, b: String) -> (String, String) {
    if a <= b { (a, b) } else { (b, a) }
}

/// Two names that look alike and are neither merged nor marked distinct.
#[derive(Debug, Clone, PartialEq)]
pub struct NearDuplicate {
    pub a: String,
    pub b: String,
    /// Dice similarity of the names' character bigrams after normalisation, in [0, 1].
    pub similarity: f64,
}

/// Names compared at most: the comparison is quadratic, and a catalogue past this size needs a
/// smarter index, not a slower check.
pub const MAX_COMPARED_NAMES: usize = 5_000;

/// Similarity from which two names are listed.
pub const NEAR_DUPLICATE_THRESHOLD: f64 = 0.75;

/// Pairs of (already canonical) names whose normalised forms are at least
/// [`NEAR_DUPLICATE_THRESHOLD`] alike, most alike first; the first [`MAX_COMPARED_NAMES`]
/// names are compared, and the second value says whether names were left out.
pub fn near_duplicates(names: &[&str], aliases: &Aliases) -> (Vec<NearDuplicate>, bool) {
    let compared = &names[..names.len().min(MAX_COMPARED_NAMES)];
    let grams: Vec<Vec<[char; 2]>> = compared.iter().map(|n| bigrams(&normalised(n))).collect();
    let mut found = Vec::new();
    for i in 0..compared.len() {
        for j in i + 1..compared.len() {
            let similarity = dice(&grams[i], &grams[j]);
            if similarity >= NEAR_DUPLICATE_THRESHOLD
                && !aliases.marked_distinct(compared[i], compared[j])
            {
                found.push(NearDuplicate {
                    a: compared[i].to_string(),
                    b: compared[j].to_string(),
                    similarity,
                });
            }
        }
    }
    found.sort_by(|x, y| {
        y.similarity
            .total_cmp(&x.similarity)
            .then_with(|| x.a.cmp(&y.a))
            .then_with(|| x.b.cmp(&y.b))
    });
    (found, names.len() > compared.len())
}

/// A name reduced to what tells names apart: lower case, British spelling, letters and digits
/// only, and without the words that only qualify ("the", "of", "signalling").
pub fn normalised(name: &str) -> String {
    const FILLER: [&str; 8] = [
        "the",
        "of",
        "a",
        "an",
        "and",
        "in",
        "signalling",
        "signaling",
    ];
    let lower = name.to_lowercase().replace("tumor", "tumour");
    let words: Vec<String> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !FILLER.contains(w))
        .map(|w| {
            w.strip_suffix('s')
                .filter(|s| s.len() > 2)
                .unwrap_or(w)
                .to_string()
        })
        .collect();
    words.join(" ")
}

/// Sorted character bigrams of the text padded with a space at each end (so that one-letter
/// names have bigrams too), so that two names compare by one merge.
fn bigrams(text: &str) -> Vec<[char; 2]> {
    let chars: Vec<char> = format!(" {text} ").chars().collect();
    let mut grams: Vec<[char; 2]> = chars.windows(2).map(|w| [w[0], w[1]]).collect();
    grams.sort_unstable();
    grams
}

/// The Sørensen–Dice coefficient of two sorted bigram multisets.
fn dice(a: &[[char; 2]], b: &[[char; 2]]) -> f64 {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = r#"
[alias]
"MSC exosomes" = ["MSC-derived exosomes", "exosomes from MSCs"]

[distinct]
pairs = [["tumour growth", "Tumour cell growth"]]
"#;

    #[test]
    fn variants_map_to_their_canonical_name_ignoring_case_and_spaces() {
        let a = Aliases::parse(Path::new("aliases.toml"), TABLE).unwrap();
        assert_eq!(a.canonical("MSC-derived exosomes"), "MSC exosomes");
        assert_eq!(a.canonical("exosomes  from msCs "), "MSC exosomes");
        assert_eq!(a.canonical("MSC exosomes"), "MSC exosomes");
        assert_eq!(a.canonical(" VEGF "), "VEGF");
    }

    #[test]
    fn a_name_in_two_groups_is_an_error_with_its_line() {
        let text = format!("{TABLE}\n[alias.\"MSCs\"]\n");
        assert!(Aliases::parse(Path::new("aliases.toml"), &text).is_err());
        let text = TABLE.replace(
            "[distinct]",
            "\"mesenchymal stem cells\" = [\"MSC-derived exosomes\"]\n\n[distinct]",
        );
        let err = Aliases::parse(Path::new("aliases.toml"), &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("aliases.toml:5:29"), "{err}");
        assert!(
            err.contains("\"MSC-derived exosomes\" is already a name of \"MSC exosomes\""),
            "{err}"
        );
    }

    #[test]
    fn near_duplicates_are_listed_unless_merged_or_marked_distinct() {
        let a = Aliases::parse(Path::new("aliases.toml"), TABLE).unwrap();
        let names = [
            "tumour growth",
            "tumor growths",
            "tumour cell growth",
            "tumour cell proliferation",
            "VEGF",
            "apoptosis",
        ];
        let (pairs, truncated) = near_duplicates(&names, &a);
        assert!(!truncated);
        let listed: Vec<(&str, &str)> =
            pairs.iter().map(|p| (p.a.as_str(), p.b.as_str())).collect();
        assert_eq!(listed[0], ("tumour growth", "tumor growths"));
        assert!((pairs[0].similarity - 1.0).abs() < 1e-12);
        // Alike, but checked and marked distinct.
        assert!(dice(&bigrams("tumour growth"), &bigrams("tumour cell growth")) > 0.8);
        assert!(!listed.contains(&("tumour growth", "tumour cell growth")));
        assert!(!listed.iter().any(|(x, y)| *x == "VEGF" || *y == "VEGF"));
        let (single_letters, _) = near_duplicates(&["P", "Q"], &a);
        assert!(single_letters.is_empty(), "{single_letters:?}");
    }
}
