//! The signed structure of a scenario as a community matrix with unit magnitudes, the input of
//! loop analysis (`analysis::loop_analysis`).
//!
//! `A[i][j]` is the sign of the direct effect of node j on node i, with the press method's
//! conventions (docs/methods.md): gates enter as their separate signed links, and the nodes the
//! press method damps by default (`self_limitation`, `self_limited`) get `-1` on the diagonal
//! unless they have an explicit self-link. An entry is NaN when its sign is unknown: a `-?` link,
//! or links of both signs between the same two nodes (whose sum has either sign, depending on
//! magnitudes). Optional links (`present < 1`) are included: the matrix is the network with every
//! link present.

use super::links::Arrow;
use super::{Intervention, Scenario, SelfLimitation};
use nalgebra::DMatrix;

impl Scenario {
    /// The signed community matrix with unit magnitudes: entries -1, 0, +1, or NaN where the
    /// sign is unknown (see the module documentation).
    pub fn community_matrix(&self) -> DMatrix<f64> {
        self.community_matrix_for(&Intervention::default())
    }

    /// The community matrix under an intervention's changes of structure, as the press method
    /// applies them: blocked links are removed, and a knocked-out node's row becomes `-1` on its
    /// diagonal (it no longer responds; its column stays, so held one unit down it acts on its
    /// targets). Presses do not change the matrix.
    pub fn community_matrix_for(&self, intervention: &Intervention) -> DMatrix<f64> {
        let n = self.nodes.len();
        let mut matrix = DMatrix::<f64>::zeros(n, n);
        let mut has_self_link = vec![false; n];
        for edge in self
            .edges()
            .filter(|e| !intervention.block.contains(&e.link))
        {
            let sign = match edge.arrow {
                Arrow::Raises => 1.0,
                Arrow::Lowers => -1.0,
                Arrow::Unknown => f64::NAN,
            };
            let entry = &mut matrix[(edge.to, edge.from)];
            *entry = combine_signs(*entry, sign);
            has_self_link[edge.to] |= edge.to == edge.from;
        }
        let all = self.simulation.self_limitation == SelfLimitation::All;
        for (i, node) in self.nodes.iter().enumerate() {
            if !has_self_link[i] && node.self_limited.unwrap_or(all) {
                matrix[(i, i)] = -1.0;
            }
        }
        for &k in &intervention.knockout {
            matrix.row_mut(k).fill(0.0);
            matrix[(k, k)] = -1.0;
        }
        matrix
    }
}

/// Two parallel links: one sign when they agree, unknown (NaN) when they do not.
fn combine_signs(existing: f64, sign: f64) -> f64 {
    if existing == 0.0 || existing == sign {
        sign
    } else {
        f64::NAN
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::parse;
    use std::path::Path;

    fn scenario(network: &str, extra: &str) -> crate::scenario::Scenario {
        let text = format!("title = \"t\"\nnetwork = \"\"\"\n{network}\n\"\"\"\n{extra}");
        parse(Path::new("t.toml"), &text, None).expect("valid scenario")
    }

    #[test]
    fn signs_damping_and_unknowns() {
        let s = scenario(
            "A -> B\nB -| C\nC -? A\nA & C -| B",
            "[nodes.C]\nself_limited = false\n",
        );
        let a = s.community_matrix();
        // Rows are affected nodes, columns acting ones; A -> B and the gate A & C -| B
        // conflict, so that entry is unknown; the gate also gives C -| B.
        assert_eq!(a[(0, 0)], -1.0);
        assert!(a[(1, 0)].is_nan());
        assert_eq!(a[(2, 1)], -1.0);
        assert!(a[(0, 2)].is_nan());
        assert_eq!(a[(2, 2)], 0.0, "C is exempt from self-limitation");
        assert_eq!(a[(0, 1)], 0.0);
        assert_eq!(a[(1, 2)], -1.0);
    }

    #[test]
    fn gates_explicit_self_links_knockouts_and_blocks() {
        let s = scenario(
            "A & !B -> C\nC -> C\nC -> A",
            "[[intervention]]\nname = \"k\"\nknockout = [\"C\"]\nblock = [\"C -> A\"]\n",
        );
        let a = s.community_matrix();
        assert_eq!(a[(2, 0)], 1.0);
        assert_eq!(a[(2, 1)], -1.0, "a negated gate input lowers");
        assert_eq!(a[(2, 2)], 1.0, "an explicit self-link replaces the damping");
        assert_eq!(a[(0, 2)], 1.0);
        let k = s.community_matrix_for(&s.interventions[0]);
        assert_eq!(k[(2, 0)], 0.0, "the knocked-out node no longer responds");
        assert_eq!(k[(2, 2)], -1.0);
        assert_eq!(k[(0, 2)], 0.0, "the blocked link is gone");
    }
}
