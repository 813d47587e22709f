//! Evidence rules: how likely a link is to exist, from the grades of the claims it cites.
//!
//! A claim's grade (the `model` field of the catalogue: clinical, animal, in-vitro, review,
//! title-only, inferred) says how much confidence the link deserves, not how strong its effect
//! is: a grade sets the probability that the link is present in a draw, and the magnitude keeps
//! the method's default (so ode's fixed weight 1 stays 1). A link citing several claims is
//! present when any of them holds, `1 - Π(1 - p_i)`. Links citing no claim in the catalogue stay
//! present always, so models without claims reproduce QPress exactly. A link's own `present`
//! wins over the rules, and a scenario can change them in an `[evidence]` table:
//!
//! ```toml
//! [evidence]
//! in-vitro = { present = 0.8 }
//! ```
//!
//! The defaults and their reasons are in docs/methods.md ("Evidence").

use crate::scenario::catalogue::ModelSystem;

/// The grades, strongest first (the order of the default presence probabilities).
pub const STRENGTH_ORDER: [ModelSystem; 6] = [
    ModelSystem::Clinical,
    ModelSystem::Animal,
    ModelSystem::InVitro,
    ModelSystem::Review,
    ModelSystem::TitleOnly,
    ModelSystem::Inferred,
];

/// The presence probability of links resting on each grade, indexed by `ModelSystem as usize`.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceRules {
    pub present: [f64; 6],
}

impl Default for EvidenceRules {
    fn default() -> Self {
        let mut present = [0.0; 6];
        for (grade, p) in [
            (ModelSystem::Clinical, 0.95),
            (ModelSystem::Animal, 0.85),
            (ModelSystem::InVitro, 0.75),
            (ModelSystem::Review, 0.6),
            (ModelSystem::TitleOnly, 0.55),
            (ModelSystem::Inferred, 0.5),
        ] {
            present[grade as usize] = p;
        }
        EvidenceRules { present }
    }
}

impl EvidenceRules {
    pub fn present(&self, grade: ModelSystem) -> f64 {
        self.present[grade as usize]
    }

    pub fn set_present(&mut self, grade: ModelSystem, p: f64) {
        self.present[grade as usize] = p;
    }

    /// The probability that a link citing claims of these grades is present: it is there when
    /// any of them holds, each independently; `None` when it cites no graded claim.
    pub fn presence(&self, cited: &[ModelSystem]) -> Option<f64> {
        if cited.is_empty() {
            return None;
        }
        let all_fail: f64 = cited.iter().map(|&g| 1.0 - self.present(g)).product();
        Some(1.0 - all_fail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_claims_combine_rather_than_take_the_best() {
        let rules = EvidenceRules::default();
        assert_eq!(rules.presence(&[]), None);
        assert_eq!(rules.presence(&[ModelSystem::InVitro]), Some(0.75));
        // Two in-vitro studies: present unless both are wrong, 1 - 0.25².
        let two = rules
            .presence(&[ModelSystem::InVitro, ModelSystem::InVitro])
            .unwrap();
        assert!((two - 0.9375).abs() < 1e-12, "{two}");
        let mixed = rules
            .presence(&[ModelSystem::Review, ModelSystem::Clinical])
            .unwrap();
        assert!((mixed - (1.0 - 0.4 * 0.05)).abs() < 1e-12, "{mixed}");
    }
}
