//! Which optional links a draw includes (`present`, `group`), for the ode and fcm methods:
//! each link is in with probability `present`, and the links of one group share one draw.
//! The draws are made in link order, a group's at its first link, so they are a pure function
//! of the draw's random stream.

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
        let links = scenario
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
        LinkPresence { links, groups }
    }

    pub fn workspace(&self) -> PresenceDraw {
        PresenceDraw {
            present: vec![true; self.links.len()],
            group: vec![None; self.groups],
        }
    }

    /// Draws which links are present.
    pub fn draw(&self, rng: &mut ChaCha8Rng, ws: &mut PresenceDraw) {
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
