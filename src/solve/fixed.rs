//! Networks with nothing random (imported fuzzy cognitive maps: every weight fixed, every sign
//! known, every link present): every press draw is the same matrix, so one test decides. An
//! unstable one would otherwise be drawn until `max_draws` (minutes on a 70-node map) before
//! failing with a message about acceptance; here it fails at once and names the feedback loop
//! to blame.
//!
//! The eigenvalues of a matrix cut into strongly connected components (block triangular) are
//! those of its diagonal blocks, so the component holding the eigenvalue with the largest real
//! part is the feedback loop that makes the network unstable.

use super::blocks::strong_components;
use nalgebra::DMatrix;

/// The feedback component of a fixed network that makes it unstable.
#[derive(Debug, Clone, PartialEq)]
pub struct Instability {
    /// Its nodes, by index.
    pub nodes: Vec<usize>,
    /// The largest real part of its eigenvalues (0 or more).
    pub growth: f64,
}

/// The unstable feedback component of the `n`-node matrix given as (row-major cell, value)
/// entries, the one with the largest growth rate; `None` when every eigenvalue has a negative
/// real part.
pub fn instability(n: usize, entries: &[(usize, f64)]) -> Option<Instability> {
    let mut targets = vec![Vec::new(); n];
    for &(cell, value) in entries {
        if value != 0.0 {
            targets[cell % n].push(cell / n);
        }
    }
    let mut matrix = DMatrix::<f64>::zeros(n, n);
    for &(cell, value) in entries {
        matrix[(cell / n, cell % n)] += value;
    }
    strong_components(&targets)
        .into_iter()
        .map(|nodes| {
            let block = DMatrix::from_fn(nodes.len(), nodes.len(), |i, j| {
                matrix[(nodes[i], nodes[j])]
            });
            let growth = block
                .complex_eigenvalues()
                .iter()
                .map(|z| z.re)
                .fold(f64::NEG_INFINITY, f64::max);
            Instability { nodes, growth }
        })
        .filter(|c| c.growth >= 0.0)
        .max_by(|a, b| a.growth.total_cmp(&b.growth))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cells of a 3-node matrix: W[to][from] at to * 3 + from.
    fn cell(to: usize, from: usize) -> usize {
        to * 3 + from
    }

    #[test]
    fn the_positive_loop_is_named_and_a_damped_network_passes() {
        // 0 -> 1 -> 0 with +0.5 each way and no damping on 1: eigenvalues of [[-1, .5], [.5, 0]]
        // are (-1 ± sqrt(2)) / 2, the larger 0.2071; node 2 only receives and is damped.
        let loop_entries = [
            (cell(0, 0), -1.0),
            (cell(1, 0), 0.5),
            (cell(0, 1), 0.5),
            (cell(2, 1), 1.0),
            (cell(2, 2), -1.0),
        ];
        let found = instability(3, &loop_entries).expect("unstable");
        assert_eq!(found.nodes, [0, 1]);
        assert!((found.growth - (2f64.sqrt() - 1.0) / 2.0).abs() < 1e-12);
        let damped: Vec<(usize, f64)> = loop_entries
            .iter()
            .copied()
            .chain([(cell(1, 1), -1.0)])
            .collect();
        assert_eq!(instability(3, &damped), None);
    }
}
