//! Which optional links a draw includes (`present`, `group`), for the ode and fcm methods:
//! each link is in with probability `present`, and the links of one group share one draw.
//! The draws are made in link order, a group's at its first link, so they are a pure function
//! of the draw's random stream.
//!
//! [`OwnLinks`] says, per expectation, whether a draw has every optional link citing the
//! expectation's own claims: its verdict counts only those draws (docs/methods.md "Evidence").

use crate::scenario::Scenario;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

#[derive(Debug, Clone, Copy)]
enum Chance {
    Always,
    Alone(f64),
    Group { group: usize, chance: f64 },
}

/// The presence rules of a scenario's links.
#[derive(Debug, Clone)]
pub struct LinkPresence {
    links: Vec<Chance>,
    groups: usize,
    /// Every link is always present: a draw has nothing to draw.
    fixed: bool,
}

/// Scratch space for [`LinkPresence::draw`].
#[derive(Debug, Clone)]
pub struct PresenceDraw {
    /// Per link: in this draw or not.
    pub present: Vec<bool>,
    group: Vec<Option<bool>>,
}

impl LinkPresence {
    pub fn new(scenario: &Scenario) -> Self {
        let links: Vec<Chance> = scenario
            .links
            .iter()
            .map(|l| match l.group {
                Some(group) => Chance::Group {
                    group,
                    chance: l.present,
                },
                None if l.present >= 1.0 => Chance::Always,
                None => Chance::Alone(l.present),
            })
            .collect();
        let groups = scenario
            .links
            .iter()
            .filter_map(|l| l.group)
            .max()
            .map_or(0, |g| g + 1);
        let fixed = links.iter().all(|c| matches!(c, Chance::Always));
        LinkPresence {
            links,
            groups,
            fixed,
        }
    }

    /// Whether link `k` is in every draw.
    /// Whether every link is always present (no draw changes `present`, all true).
    pub fn all_always(&self) -> bool {
        self.fixed
    }

    pub fn always(&self, k: usize) -> bool {
        matches!(self.links[k], Chance::Always)
    }

    pub fn workspace(&self) -> PresenceDraw {
        PresenceDraw {
            present: vec![true; self.links.len()],
            group: vec![None; self.groups],
        }
    }

    /// Draws which links are present.
    pub fn draw(&self, rng: &mut ChaCha8Rng, ws: &mut PresenceDraw) {
        if self.fixed {
            // `present` is all true from the workspace on, and no draw changes it.
            return;
        }
        ws.group.fill(None);
        for (present, chance) in ws.present.iter_mut().zip(&self.links) {
            *present = match *chance {
                Chance::Always => true,
                Chance::Alone(p) => rng.random::<f64>() < p,
                Chance::Group { group, chance } => {
                    *ws.group[group].get_or_insert_with(|| rng.random::<f64>() < chance)
                }
            };
        }
    }
}

/// Per expectation, the optional links (present with probability below 1) that cite its own
/// claims. An expectation's verdict says what the network implies if its claim holds, so it is
/// judged on the draws in which all of these are present; the presence draws themselves are
/// untouched, so the streams, and every other result, stay as they are.
#[derive(Debug, Clone, Default)]
pub struct OwnLinks {
    per_expectation: Vec<Vec<usize>>,
}

impl OwnLinks {
    pub fn new(scenario: &Scenario) -> Self {
        let per_expectation = scenario
            .expectations
            .iter()
            .map(|e| scenario.uncertain_links_citing(&e.claims))
            .collect();
        OwnLinks { per_expectation }
    }

    /// Whether expectation `k`'s own links are all present in a draw.
    #[inline]
    pub fn hold(&self, k: usize, present: &[bool]) -> bool {
        self.per_expectation[k].iter().all(|&l| present[l])
    }
}
