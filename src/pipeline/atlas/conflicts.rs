//! Conflicts in the catalogue: claims that give one canonical regulator -> target pair opposite
//! signs, listed with the contexts that may explain them (cancer, model system, seed).

use super::{Atlas, ClaimSign, ClaimTest, Class};
use serde::Serialize;
use std::collections::BTreeMap;

/// One claim as a party to a conflict, with its context.
#[derive(Debug, Clone, Serialize)]
pub struct Party {
    pub id: String,
    pub sign: String,
    /// The names as the catalogue writes them.
    pub regulator: String,
    pub target: String,
    pub cancer: String,
    pub model: String,
    pub seed: String,
    pub paraphrase: String,
}

/// Claims that disagree on the sign of one canonical pair.
#[derive(Debug, Clone, Serialize)]
pub struct SignConflict {
    pub regulator: String,
    pub target: String,
    /// Every claim on the pair: raising, lowering, and those stating both or no direction.
    pub claims: Vec<Party>,
}

impl SignConflict {
    /// How many claims raise and lower.
    pub fn tally(&self) -> (usize, usize) {
        let count = |s: &str| self.claims.iter().filter(|p| p.sign == s).count();
        (count("+"), count("-"))
    }
}

/// The pairs that have both a raising and a lowering claim, most claims first.
pub fn sign_conflicts(atlas: &Atlas) -> Vec<SignConflict> {
    let mut pairs: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, c) in atlas.claims.iter().enumerate() {
        pairs.entry((c.regulator, c.target)).or_default().push(i);
    }
    let mut conflicts: Vec<SignConflict> = pairs
        .into_iter()
        .filter(|(_, claims)| {
            let has = |s| claims.iter().any(|&i| atlas.claims[i].sign == s);
            has(ClaimSign::Raises) && has(ClaimSign::Lowers)
        })
        .map(|((regulator, target), claims)| SignConflict {
            regulator: atlas.nodes[regulator].clone(),
            target: atlas.nodes[target].clone(),
            claims: claims.iter().map(|&i| party(atlas, i)).collect(),
        })
        .collect();
    conflicts.sort_by(|a, b| {
        b.claims
            .len()
            .cmp(&a.claims.len())
            .then_with(|| a.regulator.cmp(&b.regulator))
            .then_with(|| a.target.cmp(&b.target))
    });
    conflicts
}

fn party(atlas: &Atlas, i: usize) -> Party {
    let c = &atlas.claims[i];
    Party {
        id: c.claim.id.clone(),
        sign: c.sign.symbol().to_string(),
        regulator: c.claim.regulator.clone(),
        target: c.claim.target.clone(),
        cancer: c.claim.cancer.clone(),
        model: c.claim.model.as_str().to_string(),
        seed: c.claim.seed.clone(),
        paraphrase: c.claim.paraphrase.clone(),
    }
}

/// The claims the rest of the atlas contradicts, by their test.
pub fn contradicted(tests: &[ClaimTest]) -> Vec<&ClaimTest> {
    tests
        .iter()
        .filter(|t| t.class == Class::Contradicted)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::ClaimFilter;
    use super::super::aliases::Aliases;
    use super::*;
    use crate::scenario::catalogue::Catalogue;
    use std::path::Path;

    #[test]
    fn opposite_signs_on_one_canonical_pair_are_a_conflict_with_contexts() {
        let text = [
            ("B1", "MSC exosomes", "+", "tumour growth", "gastric cancer", "animal"),
            ("B2", "MSC-derived exosomes", "-", "tumour growth", "glioma", "in-vitro"),
            ("B3", "MSC exosomes", "±", "tumour growth", "general", "review"),
            ("B4", "MSC exosomes", "+", "angiogenesis", "general", "review"),
            ("B5", "MSC exosomes", "+", "angiogenesis", "general", "review"),
        ]
        .iter()
        .map(|(id, r, s, t, cancer, model)| {
            format!(
                "[[claim]]\nid = \"{id}\"\nseed = \"002_x.txt\"\nlocator = \"l\"\nregulator = \"{r}\"\ntarget = \"{t}\"\nsign = \"{s}\"\ncancer = \"{cancer}\"\nmodel = \"{model}\"\nparaphrase = \"p\"\n"
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
        let catalogue = Catalogue::parse(Path::new("claims.toml"), &text).unwrap();
        let aliases = Aliases::parse(
            Path::new("aliases.toml"),
            "[alias]\n\"MSC exosomes\" = [\"MSC-derived exosomes\"]\n",
        )
        .unwrap();
        let atlas = Atlas::build(&catalogue, &aliases, &ClaimFilter::default());
        let conflicts = sign_conflicts(&atlas);
        assert_eq!(conflicts.len(), 1, "agreeing claims are no conflict");
        let c = &conflicts[0];
        assert_eq!(
            (c.regulator.as_str(), c.target.as_str()),
            ("MSC exosomes", "tumour growth")
        );
        assert_eq!(c.tally(), (1, 1));
        let contexts: Vec<(&str, &str, &str)> = c
            .claims
            .iter()
            .map(|p| (p.id.as_str(), p.cancer.as_str(), p.model.as_str()))
            .collect();
        assert_eq!(
            contexts,
            [
                ("B1", "gastric cancer", "animal"),
                ("B2", "glioma", "in-vitro"),
                ("B3", "general", "review")
            ]
        );
        assert_eq!(c.claims[1].regulator, "MSC-derived exosomes");
        // Without the alias the two sides are different pairs.
        let apart = Atlas::build(&catalogue, &Aliases::default(), &ClaimFilter::default());
        assert!(sign_conflicts(&apart).is_empty());
    }
}
