//! A self-contained copy of a scenario (`claimsim new --from`): its text exactly as written,
//! with every claim it cites appended as a `[[claim]]` table, so that the copy runs, checks
//! (`--strict` too) and gives the same verdicts wherever it is put, with no catalogue above it.

use super::catalogue::Claim;
use super::validate::ClaimLookup;
use crate::error::Error;
use std::path::Path;

/// The text of the copy of the scenario `text` (read from `path`), its claim ids resolved
/// through `catalogue`; claims the file already embeds are kept where they are.
pub fn self_contained(
    path: &Path,
    text: &str,
    catalogue: Option<&dyn ClaimLookup>,
) -> Result<String, Error> {
    let scenario = super::parse(path, text, catalogue)?;
    let lookup = scenario.claim_lookup(catalogue);
    let needed = scenario.unembedded_claims();
    let (found, missing): (Vec<_>, Vec<_>) = needed
        .iter()
        .map(|id| lookup.get(id).ok_or(*id))
        .partition(Result::is_ok);
    if !missing.is_empty() {
        let ids: Vec<&str> = missing.into_iter().filter_map(Result::err).collect();
        return Err(Error::usage(
            format!(
                "{} cites {} that no claims catalogue was found to copy from",
                path.display(),
                ids.join(", ")
            ),
            "run it from a folder below seeds/claims.toml, or pass the catalogue with --claims FILE",
        ));
    }
    let claims: Vec<&Claim> = found.into_iter().filter_map(Result::ok).collect();
    let mut copy = text.to_string();
    if !claims.is_empty() {
        copy.push_str(&appendix(&claims, catalogue));
    }
    Ok(copy)
}

/// The `[[claim]]` tables for `claims`, after a comment saying where they come from.
fn appendix(claims: &[&Claim], catalogue: Option<&dyn ClaimLookup>) -> String {
    let origin = catalogue.map_or_else(String::new, |c| format!(" from {}", c.origin()));
    let mut out = format!(
        "\n# The claims cited above, copied{origin} by `claimsim new --from` so that this\n\
         # file runs without the catalogue (docs/scenario-format.md, \"Embedded claims\").\n"
    );
    for claim in claims {
        out.push('\n');
        out.push_str(&claim_table(claim));
    }
    out
}

/// One claim as a `[[claim]]` table, keys in the catalogue's order.
pub fn claim_table(claim: &Claim) -> String {
    let model = claim.model.as_str().to_string();
    let fields = [
        ("id", Some(&claim.id)),
        ("seed", Some(&claim.seed)),
        ("locator", Some(&claim.locator)),
        ("regulator", Some(&claim.regulator)),
        ("target", Some(&claim.target)),
        ("sign", Some(&claim.sign)),
        ("cancer", Some(&claim.cancer)),
        ("cell_line", claim.cell_line.as_ref()),
        ("model", Some(&model)),
        ("study", claim.study.as_ref()),
        ("paraphrase", Some(&claim.paraphrase)),
    ];
    let mut out = String::from("[[claim]]\n");
    for (key, value) in fields {
        if let Some(value) = value {
            // toml's own quoting: escapes quotes, backslashes and control characters.
            out.push_str(&format!("{key} = {}\n", toml::Value::String(value.clone())));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::catalogue::Catalogue;

    const CATALOGUE: &str = r#"
[[claim]]
id = "A1"
seed = "s.txt"
locator = "Intro \"cue\""
regulator = "A"
target = "B"
sign = "+"
cancer = "general"
model = "animal"
paraphrase = "A raises B."

[[claim]]
id = "A2"
seed = "s.txt"
locator = "Intro"
regulator = "B"
target = "C"
sign = "-"
cancer = "general"
cell_line = "U87"
model = "in-vitro"
paraphrase = "B lowers C."
"#;

    const SCENARIO: &str = "network = \"\"\"\nA -> B [A1]\nB -| C [A2]\n\"\"\"\n\n[[intervention]]\nname = \"a\"\npress = { A = 1 }\n";

    fn catalogue() -> Catalogue {
        Catalogue::parse(Path::new("claims.toml"), CATALOGUE).unwrap()
    }

    #[test]
    fn the_copy_keeps_the_text_and_embeds_every_cited_claim_once() {
        let catalogue = catalogue();
        let copy = self_contained(Path::new("s.toml"), SCENARIO, Some(&catalogue)).unwrap();
        assert!(copy.starts_with(SCENARIO), "{copy}");
        let alone = crate::scenario::parse(Path::new("copy.toml"), &copy, None).unwrap();
        assert_eq!(alone.claims.len(), 2);
        assert_eq!(alone.claims[0].locator, "Intro \"cue\"");
        assert_eq!(alone.claims[1].cell_line.as_deref(), Some("U87"));
        assert!(alone.unembedded_claims().is_empty());
        // Evidence from the embedded grades, as from the catalogue.
        let original = crate::scenario::parse(Path::new("s.toml"), SCENARIO, Some(&catalogue));
        let present =
            |s: &crate::scenario::Scenario| s.links.iter().map(|l| l.present).collect::<Vec<_>>();
        assert_eq!(present(&alone), present(&original.unwrap()));
        // A copy of the copy adds nothing.
        assert_eq!(
            self_contained(Path::new("copy.toml"), &copy, None).unwrap(),
            copy
        );
    }

    #[test]
    fn a_copy_needs_the_catalogue_for_claims_it_does_not_embed() {
        let err = self_contained(Path::new("s.toml"), SCENARIO, None).unwrap_err();
        assert!(err.to_string().contains("A1, A2"), "{err}");
        assert_eq!(err.exit_code(), crate::error::EXIT_INVALID_INPUT);
    }

    /// The copy with one embedded table edited by `edit`, checked against the catalogue.
    fn check_edited(edit: impl Fn(&str) -> String) -> String {
        let catalogue = catalogue();
        let copy = self_contained(Path::new("s.toml"), SCENARIO, Some(&catalogue)).unwrap();
        crate::scenario::parse(Path::new("copy.toml"), &edit(&copy), Some(&catalogue))
            .map(|_| String::new())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn an_embedded_claim_that_differs_from_the_catalogue_is_an_error_at_its_line() {
        assert_eq!(check_edited(str::to_string), "");
        let err = check_edited(|c| c.replace("B lowers C.", "B raises C."));
        assert!(err.contains("embedded claim 'A2' differs from the catalogue's claim of that id in its paraphrase"), "{err}");
        let copy = self_contained(Path::new("s.toml"), SCENARIO, Some(&catalogue())).unwrap();
        let line = 1 + copy.lines().position(|l| l == "id = \"A2\"").unwrap();
        assert!(err.contains(&format!("copy.toml:{line}:")), "{err}");
        assert!(
            err.contains("give the embedded claim an id the catalogue does not use"),
            "{err}"
        );
    }

    #[test]
    fn duplicate_and_malformed_embedded_claims_are_errors() {
        let err = check_edited(|c| c.replace("id = \"A2\"", "id = \"A1\""));
        assert!(err.contains("duplicate claim id 'A1'"), "{err}");
        let err = check_edited(|c| c.replace("model = \"animal\"", "model = \"mouse\""));
        assert!(
            err.contains("model \"mouse\" is not a known model system"),
            "{err}"
        );
        let err = check_edited(|c| {
            c.replace(
                "cancer = \"general\"\nmodel = \"animal\"",
                "model = \"animal\"",
            )
        });
        assert!(err.contains("missing field `cancer`"), "{err}");
    }
}
