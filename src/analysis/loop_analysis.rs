//! Loop analysis: what the signed network alone predicts for a sustained press, the analytic
//! complement of the press method's Monte Carlo (Dambacher, Li & Rossignol 2002, Ecology 83;
//! Dambacher, Luh, Li & Rossignol 2003, Am. Nat. 161).
//!
//! With `A` the community matrix with unit magnitudes (`Scenario::community_matrix`), a press
//! `s` moves the equilibrium by `x = (-A)^-1 s = adj(-A) s / det(-A)`. For a stable system
//! `det(-A) > 0`, so the sign of the response is the sign of the adjoint's entry. Each entry
//! is a sum of terms (a path from the pressed node to the responding node times the feedback of
//! the nodes off the path); with unit magnitudes each term is +1 or -1, so
//! - `adj(-A)[i][j]`, the **net** response, is the number of positive minus negative terms;
//! - `T[i][j]`, the **absolute feedback**, is the number of terms: the permanent of the same
//!   minor of `|A|`, counted exactly with Ryser's inclusion-exclusion (up to [`MAX_NODES`]);
//! - `W = |adj| / T`, the **weighted prediction**, is near 1 when almost every term has the
//!   same sign (the sign then rarely depends on the magnitudes) and near 0 when the terms
//!   cancel. Predictions with `W < 0.5` ([`DETERMINATE`]) are flagged sign-indeterminate.
//!
//! A press of several nodes at levels `l_j` combines columns linearly: net `sum_j l_j adj[i][j]`
//! and total `sum_j |l_j| T[i][j]`. A node with no term at all (`T = 0`: no path from the press,
//! or no feedback to close it) cannot respond; it is predicted `0` with `W = 1`.
//!
//! Unknown signs (NaN entries: `-?` links) are treated like QPress treats them, as either sign:
//! the net response is computed for every assignment of signs to them (at most
//! [`MAX_UNKNOWN_SIGNS`] of them), and a prediction that is not the same under all of them is
//! *not computed*, because it depends on the unknown sign. Predictions that do not involve the
//! unknown link are unaffected.
//!
//! This module computes only; `attach` puts the predictions into a press [`RunReport`].

use super::RunReport;
use crate::scenario::{Intervention, Scenario};
use nalgebra::{DMatrix, DVector};
use serde::Serialize;
use std::num::Wrapping;

/// Largest network whose feedback terms are counted (Ryser's sum has `2^(n-1)` terms per
/// column: 1.6 s for a 20-node network with 28 % of its entries non-zero, on a loaded 2-core
/// machine; a tenth of that per node fewer).
pub const MAX_NODES: usize = 20;
/// Most unknown-sign entries whose sign assignments are enumerated (`2^k` adjoints).
pub const MAX_UNKNOWN_SIGNS: usize = 8;
/// Largest term count (and so adjoint entry) for which double-precision determinants are exact.
const MAX_TERMS: f64 = (1u64 << 40) as f64;
/// Weighted predictions at or above this are called sign-determinate.
pub const DETERMINATE: f64 = 0.5;

/// Why loop analysis was not computed for a network.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LoopAnalysisError {
    #[error(
        "loop analysis counts feedback terms exactly only up to {MAX_NODES} nodes and this network has {0}; the Monte Carlo results do not depend on it"
    )]
    TooManyNodes(usize),
    #[error(
        "loop analysis enumerates the signs of at most {MAX_UNKNOWN_SIGNS} unknown-sign links and this network has {0}; give some of the -? links a sign"
    )]
    TooManyUnknownSigns(usize),
    #[error(
        "loop analysis needs exact term counts and this network has responses with more than 2^40 terms; the Monte Carlo results do not depend on it"
    )]
    TooManyTerms,
    #[error(
        "a community matrix for loop analysis must be square with entries -1, 0, +1 or NaN (unknown sign)"
    )]
    NotSignMatrix,
}

/// The loop analysis of one community matrix.
#[derive(Debug, Clone)]
pub struct LoopAnalysis {
    /// `adj(-A)`: column j is the net response of every node to a press on node j; NaN where it
    /// depends on an unknown sign.
    pub adjoint: DMatrix<f64>,
    /// `T`: the number of terms behind each entry of the adjoint.
    pub feedback_terms: DMatrix<f64>,
    /// `|adj| / T`, 1 where `T = 0`, NaN where the adjoint is.
    pub weighted: DMatrix<f64>,
    /// The adjoint under each assignment of signs to the unknown entries (one when none).
    variants: Vec<DMatrix<f64>>,
}

/// The loop-analysis prediction for one node and press (the `loop_prediction` of the output).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct LoopPrediction {
    /// `+`, `-` or `0`: the sign of `net`; `?` when not computed.
    pub sign: String,
    /// Positive minus negative terms (weighted by press levels).
    pub net: Option<f64>,
    /// Number of terms (weighted by the absolute press levels).
    pub total: Option<f64>,
    /// `|net| / total` (1 when there is no term).
    pub weighted: Option<f64>,
    /// `weighted >= 0.5`.
    pub determinate: bool,
    /// Why there is no prediction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_computed: Option<String>,
}

impl LoopPrediction {
    fn new(net: f64, total: f64) -> Self {
        let weighted = if total == 0.0 { 1.0 } else { net.abs() / total };
        let sign = if net > 0.0 {
            "+"
        } else if net < 0.0 {
            "-"
        } else {
            "0"
        };
        LoopPrediction {
            sign: sign.to_string(),
            net: Some(net),
            total: Some(total),
            weighted: Some(weighted),
            determinate: weighted >= DETERMINATE,
            not_computed: None,
        }
    }

    /// No prediction, for the reason given.
    pub fn not_computed(reason: impl Into<String>) -> Self {
        LoopPrediction {
            sign: "?".to_string(),
            net: None,
            total: None,
            weighted: None,
            determinate: false,
            not_computed: Some(reason.into()),
        }
    }

    /// The same prediction for the opposite press.
    fn negated(mut self) -> Self {
        if let Some(net) = self.net.as_mut() {
            *net = -*net;
            self.sign = match self.sign.as_str() {
                "+" => "-",
                "-" => "+",
                other => other,
            }
            .to_string();
        }
        self
    }
}

/// Loop analysis of a signed community matrix (entries -1, 0, +1, NaN for an unknown sign).
pub fn analyse(community: &DMatrix<f64>) -> Result<LoopAnalysis, LoopAnalysisError> {
    let n = community.nrows();
    let is_sign = |v: &f64| v.is_nan() || *v == 0.0 || v.abs() == 1.0;
    if community.ncols() != n || !community.iter().all(is_sign) {
        return Err(LoopAnalysisError::NotSignMatrix);
    }
    if n > MAX_NODES {
        return Err(LoopAnalysisError::TooManyNodes(n));
    }
    let unknown: Vec<usize> = (0..n * n).filter(|&k| community[k].is_nan()).collect();
    if unknown.len() > MAX_UNKNOWN_SIGNS {
        return Err(LoopAnalysisError::TooManyUnknownSigns(unknown.len()));
    }
    let feedback_terms = minor_permanents(&community.map(|v| u8::from(v != 0.0)));
    // Each adjoint entry is at most its term count: below 2^40 the rounded LU determinants are
    // exact integers.
    if feedback_terms.max() > MAX_TERMS {
        return Err(LoopAnalysisError::TooManyTerms);
    }
    let variants: Vec<DMatrix<f64>> = (0..1usize << unknown.len())
        .map(|assignment| {
            let mut signed = community.clone();
            for (bit, &k) in unknown.iter().enumerate() {
                signed[k] = if assignment >> bit & 1 == 1 {
                    -1.0
                } else {
                    1.0
                };
            }
            adjoint(&(-signed))
        })
        .collect();
    let adjoint = variants[0].zip_map(
        &agreed(&variants),
        |v, same| if same { v } else { f64::NAN },
    );
    let weighted = adjoint.zip_map(
        &feedback_terms,
        |a, t| if t == 0.0 { 1.0 } else { a.abs() / t },
    );
    Ok(LoopAnalysis {
        adjoint,
        feedback_terms,
        weighted,
        variants,
    })
}

impl LoopAnalysis {
    /// The prediction for every node under a press of level `press[j]` on each node j.
    pub fn predict(&self, press: &DVector<f64>) -> Vec<LoopPrediction> {
        let nets: Vec<DVector<f64>> = self.variants.iter().map(|v| v * press).collect();
        let totals = &self.feedback_terms * press.abs();
        (0..press.len())
            .map(|i| {
                if nets.iter().any(|net| net[i] != nets[0][i]) {
                    LoopPrediction::not_computed("the sign depends on a -? link")
                } else {
                    LoopPrediction::new(nets[0][i], totals[i])
                }
            })
            .collect()
    }
}

/// Which entries are the same in every matrix.
fn agreed(matrices: &[DMatrix<f64>]) -> DMatrix<bool> {
    let first = &matrices[0];
    DMatrix::from_fn(first.nrows(), first.ncols(), |i, j| {
        matrices.iter().all(|m| m[(i, j)] == first[(i, j)])
    })
}

/// The adjugate (classical adjoint) of a matrix with integer entries: `adj[i][j]` is the
/// cofactor of entry (j, i). Determinants of the minors come from nalgebra's LU and are rounded,
/// exact for integer minors far below 2^40 (the minors here are bounded by the term counts).
fn adjoint(m: &DMatrix<f64>) -> DMatrix<f64> {
    let n = m.nrows();
    if n == 1 {
        return DMatrix::from_element(1, 1, 1.0);
    }
    DMatrix::from_fn(n, n, |i, j| {
        let minor = m.clone().remove_row(j).remove_column(i);
        let sign = if (i + j).is_multiple_of(2) { 1.0 } else { -1.0 };
        sign * minor.determinant().round() + 0.0
    })
}

/// `T[i][j]`: the permanent of the 0/1 matrix `p` without row j and column i (the number of
/// non-zero terms in the matching minor's determinant), by Ryser's formula
/// `perm(B) = (-1)^m sum over column sets S of (-1)^|S| prod over rows of (row sum over S)`.
/// For each left-out column the subsets are walked in Gray-code order, updating the row sums by
/// one column at a time; the product without each row in turn comes from prefix and suffix
/// products or, with one zero row sum, from that row alone (two zeros make every product 0).
/// Exact integers: the sums run in wrapping (modulo 2^64 or 2^128) arithmetic, which gives the
/// exact result whenever the result itself fits, and every permanent here is at most the product
/// of the rows' non-zero counts: `i64` when that product fits, else `i128`.
fn minor_permanents(p: &DMatrix<u8>) -> DMatrix<f64> {
    let n = p.nrows();
    let log2_bound: f64 = (0..n)
        .map(|r| f64::from(p.row(r).iter().map(|&v| u32::from(v)).sum::<u32>().max(1)).log2())
        .sum();
    if log2_bound <= 62.0 {
        permanents_of_minors::<Wrapping<i64>>(p)
    } else {
        permanents_of_minors::<Wrapping<i128>>(p)
    }
}

/// The wrapping integer types Ryser's sum runs in.
trait Count:
    Copy + std::ops::Add<Output = Self> + std::ops::Mul<Output = Self> + std::ops::AddAssign
{
    fn of(x: i32) -> Self;
    fn to_f64(self) -> f64;
}

impl Count for Wrapping<i64> {
    fn of(x: i32) -> Self {
        Wrapping(i64::from(x))
    }
    fn to_f64(self) -> f64 {
        self.0 as f64
    }
}

impl Count for Wrapping<i128> {
    fn of(x: i32) -> Self {
        Wrapping(i128::from(x))
    }
    fn to_f64(self) -> f64 {
        self.0 as f64
    }
}

fn permanents_of_minors<T: Count>(p: &DMatrix<u8>) -> DMatrix<f64> {
    let n = p.nrows();
    let mut terms = DMatrix::<f64>::zeros(n, n);
    if n == 1 {
        terms[(0, 0)] = 1.0;
        return terms;
    }
    let rows_of_column: Vec<Vec<usize>> = (0..n)
        .map(|c| (0..n).filter(|&r| p[(r, c)] != 0).collect())
        .collect();
    let zero = T::of(0);
    for column_out in 0..n {
        let columns: Vec<usize> = (0..n).filter(|&c| c != column_out).collect();
        let m = columns.len();
        let mut sums = vec![0i32; n];
        let mut zeros = n;
        let mut per_row_out = vec![zero; n];
        let mut prefix = vec![zero; n + 1];
        let mut in_set = vec![false; m];
        let mut size = 0usize;
        for gray in 1u64..(1u64 << m) {
            let flip = gray.trailing_zeros() as usize;
            let delta = if in_set[flip] { -1 } else { 1 };
            in_set[flip] = !in_set[flip];
            size = size.wrapping_add_signed(delta as isize);
            for &row in &rows_of_column[columns[flip]] {
                let before = sums[row];
                sums[row] += delta;
                zeros = zeros + usize::from(sums[row] == 0) - usize::from(before == 0);
            }
            if zeros >= 2 {
                continue;
            }
            let sign = T::of(if (m - size).is_multiple_of(2) { 1 } else { -1 });
            add_products_without_each_row(&sums, zeros == 1, sign, &mut prefix, &mut per_row_out);
        }
        for (row_out, value) in per_row_out.iter().enumerate() {
            // Entry (column_out, row_out) of T: the minor without row `row_out`, transposed.
            terms[(column_out, row_out)] = value.to_f64();
        }
    }
    terms
}

/// Adds `sign * prod over rows r != k of sums[r]` to `out[k]`, for every k whose product is
/// not zero; `prefix` is scratch space of `sums.len() + 1`.
fn add_products_without_each_row<T: Count>(
    sums: &[i32],
    one_zero: bool,
    sign: T,
    prefix: &mut [T],
    out: &mut [T],
) {
    if one_zero {
        let zero_row = sums.iter().position(|&s| s == 0).unwrap_or(0);
        let product = sums
            .iter()
            .enumerate()
            .filter(|(r, _)| *r != zero_row)
            .fold(sign, |acc, (_, &s)| acc * T::of(s));
        out[zero_row] += product;
        return;
    }
    prefix[0] = sign;
    for (k, &s) in sums.iter().enumerate() {
        prefix[k + 1] = prefix[k] * T::of(s);
    }
    let mut suffix = T::of(1);
    for k in (0..sums.len()).rev() {
        out[k] += prefix[k] * suffix;
        suffix = suffix * T::of(sums[k]);
    }
}

/// Puts the loop-analysis predictions into a press report: every node under every intervention,
/// and every expectation. A network loop analysis cannot handle gets a `not_computed` reason.
pub fn attach(scenario: &Scenario, report: &mut RunReport) {
    let predictions = InterventionPredictions::new(scenario);
    for (k, intervention) in report.interventions.iter_mut().enumerate() {
        for (node, outcome) in intervention.nodes.iter_mut().enumerate() {
            outcome.loop_prediction = Some(predictions.node(k, node));
        }
    }
    for (e, out) in scenario.expectations.iter().zip(&mut report.expectations) {
        out.loop_prediction = Some(predictions.expectation(e.intervention, e.versus, e.node));
    }
}

/// The loop analysis of each intervention's network and its press vector.
struct InterventionPredictions {
    /// Per intervention: its community matrix, and its analysis (or why there is none).
    networks: Vec<(DMatrix<f64>, Result<LoopAnalysis, LoopAnalysisError>)>,
    presses: Vec<DVector<f64>>,
}

impl InterventionPredictions {
    fn new(scenario: &Scenario) -> Self {
        let base = scenario.community_matrix();
        let base_analysis = analyse(&base);
        let networks = scenario
            .interventions
            .iter()
            .map(|i| {
                if i.changes_structure() {
                    let matrix = scenario.community_matrix_for(i);
                    let analysis = analyse(&matrix);
                    (matrix, analysis)
                } else {
                    (base.clone(), base_analysis.clone())
                }
            })
            .collect();
        let n = scenario.nodes.len();
        let presses = scenario
            .interventions
            .iter()
            .map(|i| press_vector(n, i))
            .collect();
        InterventionPredictions { networks, presses }
    }

    fn predict(&self, k: usize, press: &DVector<f64>, node: usize) -> LoopPrediction {
        match &self.networks[k].1 {
            Ok(analysis) => analysis.predict(press)[node].clone(),
            Err(e) => LoopPrediction::not_computed(e.to_string()),
        }
    }

    fn node(&self, k: usize, node: usize) -> LoopPrediction {
        self.predict(k, &self.presses[k], node)
    }

    /// A `versus` expectation compares two responses. On the same network the difference is
    /// the response to the difference of the presses. On different networks (a knockout or
    /// block on one side) the two responses have different denominators, so only a side with
    /// no term at all (exactly zero) lets the other side's prediction stand.
    fn expectation(&self, k: usize, versus: Option<usize>, node: usize) -> LoopPrediction {
        let Some(v) = versus else {
            return self.node(k, node);
        };
        if self.networks[k].0 == self.networks[v].0 {
            return self.predict(k, &(&self.presses[k] - &self.presses[v]), node);
        }
        let (ours, theirs) = (self.node(k, node), self.node(v, node));
        let no_term = |p: &LoopPrediction| p.total == Some(0.0);
        if no_term(&theirs) {
            ours
        } else if no_term(&ours) {
            theirs.negated()
        } else {
            LoopPrediction::not_computed(
                "the two interventions change the network differently, so the sign of the difference depends on the magnitudes",
            )
        }
    }
}

/// Press level per node; a knocked-out node is held one unit down (a press of -1 on its row
/// of `-1`), whatever else presses it, as in the press method.
fn press_vector(n: usize, intervention: &Intervention) -> DVector<f64> {
    let mut press = DVector::zeros(n);
    for &(node, level) in &intervention.press {
        press[node] += level;
    }
    for &k in &intervention.knockout {
        press[k] = -1.0;
    }
    press
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(rows: &[&[f64]]) -> DMatrix<f64> {
        DMatrix::from_fn(rows.len(), rows.len(), |i, j| rows[i][j])
    }

    /// A food chain R -> C -> P (each consumer eats the level below: +1 on the consumer,
    /// -1 on the prey), only the basal resource R self-limited.
    ///
    ///     A = | -1 -1  0 |     -A = |  1  1  0 |     det(-A) = 1
    ///         |  1  0 -1 |          | -1  0  1 |
    ///         |  0  1  0 |          |  0 -1  0 |
    ///
    /// Cofactors of -A: C11 = 1, C12 = 0, C13 = 1, C21 = 0, C22 = 0, C23 = 1, C31 = 1, C32 = -1,
    /// C33 = 1, so adj(-A) = C^T has columns (press R) (1, 0, 1), (press C) (0, 0, 1),
    /// (press P) (1, -1, 1): pressing the resource raises the resource and the top predator and
    /// leaves the consumer unchanged, the textbook result for odd-length chains. The permanents
    /// of the minors of |A| are 1 wherever the cofactor is non-zero and 0 elsewhere, so every
    /// prediction is completely determined (W = 1).
    #[test]
    fn three_node_chain() {
        let a = matrix(&[&[-1., -1., 0.], &[1., 0., -1.], &[0., 1., 0.]]);
        let result = analyse(&a).unwrap();
        assert_eq!(
            result.adjoint,
            matrix(&[&[1., 0., 1.], &[0., 0., -1.], &[1., 1., 1.]])
        );
        assert_eq!(
            result.feedback_terms,
            matrix(&[&[1., 0., 1.], &[0., 0., 1.], &[1., 1., 1.]])
        );
        assert_eq!(result.weighted, DMatrix::from_element(3, 3, 1.0));
        let press_resource = result.predict(&DVector::from_vec(vec![1.0, 0.0, 0.0]));
        let signs: Vec<&str> = press_resource.iter().map(|p| p.sign.as_str()).collect();
        assert_eq!(signs, ["+", "0", "+"]);
        assert_eq!(
            press_resource[1].total,
            Some(0.0),
            "the consumer has no term"
        );
    }

    /// Prey N (self-limited) and predator P (not): A = [[-1, -1], [1, 0]], -A = [[1, 1],
    /// [-1, 0]], det(-A) = 1, adj(-A) = [[0, -1], [1, 1]]. Pressing the prey feeds the
    /// predator and leaves the prey where it was (top-down control); pressing the predator
    /// lowers the prey and raises the predator. Each non-zero entry is one term: T = |adj|.
    #[test]
    fn predator_prey_pair() {
        let result = analyse(&matrix(&[&[-1., -1.], &[1., 0.]])).unwrap();
        assert_eq!(result.adjoint, matrix(&[&[0., -1.], &[1., 1.]]));
        assert_eq!(result.feedback_terms, matrix(&[&[0., 1.], &[1., 1.]]));
        assert_eq!(result.weighted, DMatrix::from_element(2, 2, 1.0));
    }

    /// Omnivory: P eats C and R, C eats R, only R self-limited.
    ///
    ///     A = | -1 -1 -1 |     -A = |  1  1  1 |     det(-A) = 1 - 1 + 1 = 1
    ///         |  1  0 -1 |          | -1  0  1 |
    ///         |  1  1  0 |          | -1 -1  0 |
    ///
    /// Cofactors: C11 = 1, C12 = -1, C13 = 1, C21 = -1, C22 = 1, C23 = 0, C31 = 1, C32 = -2,
    /// C33 = 1, so adj(-A) = [[1, -1, 1], [-1, 1, -2], [1, 0, 1]]. Permanents of the minors of
    /// |A| = [[1, 1, 1], [1, 0, 1], [1, 1, 0]], transposed: T = [[1, 1, 1], [1, 1, 2],
    /// [1, 2, 1]]. Pressing the consumer C gives the omnivore two terms of opposite sign
    /// (C -> P directly, +1; and C -> R -> P, -1): net 0 of 2, W = 0, sign-indeterminate.
    /// Pressing P lowers C through two terms of the same sign: net -2 of 2, W = 1.
    #[test]
    fn omnivory_module() {
        let a = matrix(&[&[-1., -1., -1.], &[1., 0., -1.], &[1., 1., 0.]]);
        let result = analyse(&a).unwrap();
        assert_eq!(
            result.adjoint,
            matrix(&[&[1., -1., 1.], &[-1., 1., -2.], &[1., 0., 1.]])
        );
        assert_eq!(
            result.feedback_terms,
            matrix(&[&[1., 1., 1.], &[1., 1., 2.], &[1., 2., 1.]])
        );
        assert_eq!(result.weighted[(2, 1)], 0.0);
        assert_eq!(result.weighted[(1, 2)], 1.0);
        let press_consumer = result.predict(&DVector::from_vec(vec![0.0, 1.0, 0.0]));
        assert!(!press_consumer[2].determinate);
        assert_eq!(press_consumer[2].sign, "0");
        assert!(press_consumer[0].determinate);
        // Pressing C and P together adds the columns: R gets -1 + 1 of 2 terms.
        let both = result.predict(&DVector::from_vec(vec![0.0, 1.0, 1.0]));
        assert_eq!((both[0].net, both[0].total), (Some(0.0), Some(2.0)));
        assert_eq!((both[1].net, both[1].total), (Some(-1.0), Some(3.0)));
    }

    /// Brute force: the determinant and permanent of each minor by expanding over permutations.
    fn leibniz(m: &DMatrix<f64>, permanent: bool) -> f64 {
        fn walk(m: &DMatrix<f64>, row: usize, used: &mut Vec<bool>, sign: f64, perm: bool) -> f64 {
            if row == m.nrows() {
                return if perm { 1.0 } else { sign };
            }
            let mut total = 0.0;
            for c in 0..m.ncols() {
                if used[c] || m[(row, c)] == 0.0 {
                    continue;
                }
                // Sign of the permutation: count earlier rows' columns greater than c.
                let inversions = used[c + 1..].iter().filter(|u| **u).count();
                let flip = if inversions.is_multiple_of(2) {
                    1.0
                } else {
                    -1.0
                };
                used[c] = true;
                let entry = if perm { m[(row, c)].abs() } else { m[(row, c)] };
                total += entry * walk(m, row + 1, used, sign * flip, perm);
                used[c] = false;
            }
            total
        }
        walk(m, 0, &mut vec![false; m.ncols()], 1.0, permanent)
    }

    #[test]
    fn matches_expansion_over_permutations_on_random_sign_matrices() {
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % 5
        };
        for n in 2..=6 {
            for _ in 0..20 {
                let a = DMatrix::from_fn(n, n, |_, _| match next() {
                    0 => 1.0,
                    1 => -1.0,
                    _ => 0.0,
                });
                let result = analyse(&a).unwrap();
                let m = -&a;
                for i in 0..n {
                    for j in 0..n {
                        let minor = m.clone().remove_row(j).remove_column(i);
                        let sign = if (i + j).is_multiple_of(2) { 1.0 } else { -1.0 };
                        assert_eq!(result.adjoint[(i, j)], sign * leibniz(&minor, false));
                        assert_eq!(result.feedback_terms[(i, j)], leibniz(&minor, true));
                    }
                }
            }
        }
    }

    /// All-ones matrices: every minor's permanent is (n - 1)!, in the i64 path (n = 13) and the
    /// i128 one (n = 16, where the row-sum bound 16^16 exceeds 2^62).
    #[test]
    fn permanents_of_complete_matrices() {
        for (n, factorial) in [(13, 479_001_600.0), (16, 1_307_674_368_000.0)] {
            let t = minor_permanents(&DMatrix::from_element(n, n, 1u8));
            assert!(t.iter().all(|&v| v == factorial), "n = {n}");
        }
    }

    /// The chain with the predator's gain from the consumer (C -> P) of unknown sign `a`.
    /// Column j of adj(-A) never involves row j, so a press on P is unaffected: (1, -1, 1).
    /// Under a press on R, the responses of R and P are the minors [[0, 1], [-a, 0]] and
    /// [[-1, 0], [0, -a]], both `a`: not computed. C's is 0 for either sign (no term).
    #[test]
    fn unknown_signs_leave_dependent_predictions_out() {
        let a = matrix(&[&[-1., -1., 0.], &[1., 0., -1.], &[0., f64::NAN, 0.]]);
        let result = analyse(&a).unwrap();
        let press_top = result.predict(&DVector::from_vec(vec![0.0, 0.0, 1.0]));
        let signs: Vec<&str> = press_top.iter().map(|p| p.sign.as_str()).collect();
        assert_eq!(signs, ["+", "-", "+"]);
        let press_resource = result.predict(&DVector::from_vec(vec![1.0, 0.0, 0.0]));
        assert!(press_resource[0].not_computed.is_some());
        assert_eq!(press_resource[1].sign, "0");
        assert!(press_resource[2].not_computed.is_some());
        assert!(result.adjoint[(0, 0)].is_nan());
        assert_eq!(result.adjoint[(1, 2)], -1.0);
    }

    #[test]
    fn refuses_large_or_non_sign_matrices() {
        let big = DMatrix::from_element(MAX_NODES + 1, MAX_NODES + 1, 1.0);
        assert_eq!(
            analyse(&big).unwrap_err(),
            LoopAnalysisError::TooManyNodes(MAX_NODES + 1)
        );
        let unknowns = DMatrix::from_element(3, 3, f64::NAN);
        assert_eq!(
            analyse(&unknowns).unwrap_err(),
            LoopAnalysisError::TooManyUnknownSigns(9)
        );
        let complete = DMatrix::from_element(16, 16, 1.0);
        assert_eq!(
            analyse(&complete).unwrap_err(),
            LoopAnalysisError::TooManyTerms,
            "15! terms per entry"
        );
        let weighted = DMatrix::from_element(2, 2, 0.5);
        assert_eq!(
            analyse(&weighted).unwrap_err(),
            LoopAnalysisError::NotSignMatrix
        );
    }
}
