//! Evidence rules: how strongly a link is drawn, from the model systems of the claims it cites.
//!
//! A link that cites a clinical finding is drawn stronger, relative to the rest of the network,
//! than one that rests on a review's general statement. The rule of the strongest cited
//! evidence applies (clinical > animal > in-vitro > review). Links that cite no claim, or only
//! claims missing from the catalogue, keep the method default (uniform(0, 1), present always), so
//! models without claims reproduce QPress exactly. A link's own `[[link]]` settings win over
//! any rule, and a scenario can change the rules in an `[evidence]` table:
//!
//! ```toml
//! [evidence]
//! in-vitro = { weight = "uniform(0.2, 1)", present = 0.8 }
//! review = { present = 0.7 }
//! ```

use super::dist::Dist;
use crate::scenario::catalogue::ModelSystem;

/// The weight and presence for links resting on one kind of evidence.
#[derive(Debug, Clone)]
pub struct EvidenceRule {
    pub weight: Dist,
    pub present: f64,
}

/// One rule per model system, indexed by `ModelSystem as usize`.
#[derive(Debug, Clone)]
pub struct EvidenceRules {
    pub rules: [EvidenceRule; 6],
}

/// Strongest first: the order in which cited evidence is preferred.
pub const STRENGTH_ORDER: [ModelSystem; 6] = [
    ModelSystem::Clinical,
    ModelSystem::Animal,
    ModelSystem::InVitro,
    ModelSystem::Review,
    ModelSystem::TitleOnly,
    ModelSystem::Inferred,
];

impl Default for EvidenceRules {
    /// Stronger evidence draws stronger links; every link is present unless the scenario says
    /// otherwise, because dropping links is a modelling choice an author should make explicitly.
    fn default() -> Self {
        let rule = |low: f64| EvidenceRule {
            weight: Dist::parse(&format!("uniform({low}, 1)")).unwrap_or(Dist::Fixed(0.5)),
            present: 1.0,
        };
        // Indexed like ModelSystem: in-vitro, animal, clinical, review, inferred, title-only.
        EvidenceRules {
            rules: [
                rule(0.2),
                rule(0.4),
                rule(0.6),
                rule(0.0),
                rule(0.0),
                rule(0.0),
            ],
        }
    }
}

impl EvidenceRules {
    pub fn rule(&self, model: ModelSystem) -> &EvidenceRule {
        &self.rules[model as usize]
    }

    pub fn rule_mut(&mut self, model: ModelSystem) -> &mut EvidenceRule {
        &mut self.rules[model as usize]
    }

    /// The rule for a link citing evidence of these kinds: the strongest one's.
    pub fn for_evidence(&self, cited: &[ModelSystem]) -> Option<&EvidenceRule> {
        STRENGTH_ORDER
            .iter()
            .find(|m| cited.contains(m))
            .map(|&m| self.rule(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strongest_evidence_wins() {
        let rules = EvidenceRules::default();
        let rule = rules
            .for_evidence(&[ModelSystem::Review, ModelSystem::Animal])
            .unwrap();
        assert_eq!(rule.weight.support(), (0.4, 1.0));
        assert!(rules.for_evidence(&[]).is_none());
        assert_eq!(
            rules.rule(ModelSystem::Clinical).weight.support(),
            (0.6, 1.0)
        );
    }
}
