//! Signed paths and feedback loops: why a perturbation of X moves Y the way it does.
//!
//! A path's net sign is the product of its links' signs (unknown when any link's sign is). Paths
//! of opposite sign into one node are what make press results ambivalent; feedback loops that a
//! path crosses can amplify, damp or reverse it. Enumeration is capped so that dense networks
//! answer quickly; the result says when a cap was hit.

use crate::scenario::Scenario;
use crate::scenario::links::Arrow;

/// Most paths listed before the search stops.
pub const MAX_PATHS: usize = 200;
/// Most loops listed before the search stops.
pub const MAX_LOOPS: usize = 200;

/// The net effect of a path or loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetSign {
    Raises,
    Lowers,
    Unknown,
}

impl NetSign {
    fn of(arrows: impl Iterator<Item = Arrow>) -> NetSign {
        let mut sign = 1i8;
        for a in arrows {
            match a.sign() {
                0 => return NetSign::Unknown,
                s => sign *= s,
            }
        }
        if sign > 0 {
            NetSign::Raises
        } else {
            NetSign::Lowers
        }
    }

    pub fn verb(self) -> &'static str {
        match self {
            NetSign::Raises => "raises",
            NetSign::Lowers => "lowers",
            NetSign::Unknown => "has an unknown effect on",
        }
    }
}

/// One signed edge taken along a path: the edge index into `Scenario::edges()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub from: usize,
    pub to: usize,
    pub arrow: Arrow,
    pub link: usize,
}

/// A simple path from one node to another.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedPath {
    pub steps: Vec<Step>,
    pub sign: NetSign,
}

impl SignedPath {
    /// The nodes along the path, in order.
    pub fn nodes(&self) -> Vec<usize> {
        let mut nodes: Vec<usize> = self.steps.iter().map(|s| s.from).collect();
        nodes.extend(self.steps.last().map(|s| s.to));
        nodes
    }
}

/// Most search steps before giving up: keeps dense networks from taking exponential time.
const MAX_STEPS: usize = 1_000_000;

/// A capped depth-first search for simple paths ending at `goal`.
struct Search<'a> {
    adjacency: &'a [Vec<Step>],
    /// Nodes that may not be entered (on the trail, or excluded).
    blocked: Vec<bool>,
    /// Nodes from which the goal can be reached: the only ones worth entering.
    useful: Vec<bool>,
    trail: Vec<Step>,
    found: Vec<SignedPath>,
    room: usize,
    steps: usize,
}

impl Search<'_> {
    /// Extends the trail from `at`; returns true when a cap stopped the search.
    fn walk(&mut self, at: usize, goal: usize) -> bool {
        for step in &self.adjacency[at] {
            self.steps += 1;
            if self.found.len() >= self.room || self.steps > MAX_STEPS {
                return true;
            }
            if step.to == goal {
                self.trail.push(step.clone());
                self.found.push(SignedPath {
                    sign: NetSign::of(self.trail.iter().map(|s| s.arrow)),
                    steps: self.trail.clone(),
                });
                self.trail.pop();
            } else if !self.blocked[step.to] && self.useful[step.to] {
                self.blocked[step.to] = true;
                self.trail.push(step.clone());
                let capped = self.walk(step.to, goal);
                self.trail.pop();
                self.blocked[step.to] = false;
                if capped {
                    return true;
                }
            }
        }
        false
    }
}

/// All simple paths from `from` to `to` (up to [`MAX_PATHS`]), and whether a cap was hit.
pub fn signed_paths(scenario: &Scenario, from: usize, to: usize) -> (Vec<SignedPath>, bool) {
    let adjacency = adjacency(scenario);
    let mut blocked = vec![false; scenario.nodes.len()];
    blocked[from] = true;
    let mut search = Search {
        useful: reaches(&adjacency, to),
        adjacency: &adjacency,
        blocked,
        trail: Vec::new(),
        found: Vec::new(),
        room: MAX_PATHS,
        steps: 0,
    };
    let capped = search.walk(from, to);
    let mut found = search.found;
    found.sort_by_key(|p| p.steps.len());
    (found, capped)
}

/// Feedback loops (simple cycles of two or more nodes; self-links are self-limitation), each
/// listed once starting from its smallest node index, up to [`MAX_LOOPS`].
pub fn feedback_loops(scenario: &Scenario) -> (Vec<SignedPath>, bool) {
    let adjacency = adjacency(scenario);
    let n = scenario.nodes.len();
    let mut loops = Vec::new();
    for start in 0..n {
        // Only nodes above `start` may appear, so each cycle is found from its smallest node.
        let mut search = Search {
            useful: reaches(&adjacency, start),
            adjacency: &adjacency,
            blocked: (0..n).map(|i| i <= start).collect(),
            trail: Vec::new(),
            found: Vec::new(),
            room: MAX_LOOPS - loops.len(),
            steps: 0,
        };
        let capped = search.walk(start, start);
        loops.extend(search.found);
        if capped || loops.len() >= MAX_LOOPS {
            return (loops, true);
        }
    }
    (loops, false)
}

/// Which nodes have a path to `goal`.
fn reaches(adjacency: &[Vec<Step>], goal: usize) -> Vec<bool> {
    let mut reached = vec![false; adjacency.len()];
    reached[goal] = true;
    let mut changed = true;
    while changed {
        changed = false;
        for (node, steps) in adjacency.iter().enumerate() {
            if !reached[node] && steps.iter().any(|s| reached[s.to]) {
                reached[node] = true;
                changed = true;
            }
        }
    }
    reached
}

/// Outgoing signed edges per node, without self-links.
fn adjacency(scenario: &Scenario) -> Vec<Vec<Step>> {
    let mut adjacency = vec![Vec::new(); scenario.nodes.len()];
    for edge in scenario.edges().filter(|e| e.from != e.to) {
        adjacency[edge.from].push(Step {
            from: edge.from,
            to: edge.to,
            arrow: edge.arrow,
            link: edge.link,
        });
    }
    adjacency
}

/// The loops that share at least one node with the path.
pub fn loops_crossed<'a>(path: &SignedPath, loops: &'a [SignedPath]) -> Vec<&'a SignedPath> {
    let on_path = path.nodes();
    loops
        .iter()
        .filter(|l| l.nodes().iter().any(|n| on_path.contains(n)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn scenario(network: &str) -> Scenario {
        let text = format!("network = \"\"\"\n{network}\n\"\"\"\n");
        crate::scenario::parse(Path::new("t.toml"), &text, None).unwrap()
    }

    #[test]
    fn paths_of_opposite_sign_are_found_with_their_net_signs() {
        let s = scenario("X -| A\nA -| Y\nX -> Y\nX -> W\nW -| Y\nY -| X");
        let (x, y) = (s.node_index("X").unwrap(), s.node_index("Y").unwrap());
        let (paths, capped) = signed_paths(&s, x, y);
        assert!(!capped);
        let signs: Vec<NetSign> = paths.iter().map(|p| p.sign).collect();
        assert_eq!(signs, [NetSign::Raises, NetSign::Raises, NetSign::Lowers]);
        let (loops, _) = feedback_loops(&s);
        assert_eq!(
            loops.len(),
            3,
            "X -> Y -| X, X -| A -| Y -| X, X -> W -| Y -| X"
        );
        assert_eq!(loops_crossed(&paths[0], &loops).len(), 3);
    }

    #[test]
    fn unknown_signs_make_the_path_unknown_and_self_links_are_not_loops() {
        let s = scenario("A -? B\nB -> C\nB -| B");
        let (paths, _) = signed_paths(&s, 0, 2);
        assert_eq!(paths[0].sign, NetSign::Unknown);
        assert!(feedback_loops(&s).0.is_empty());
    }

    #[test]
    fn dense_networks_stop_at_the_cap() {
        let mut lines = Vec::new();
        for i in 0..12 {
            for j in 0..12 {
                if i != j {
                    lines.push(format!("n{i} -> n{j}"));
                }
            }
        }
        let s = scenario(&lines.join("\n"));
        let (paths, capped) = signed_paths(&s, 0, 1);
        assert!(capped && paths.len() == MAX_PATHS);
        assert!(feedback_loops(&s).1);
    }
}
