//! Dense LU factorisation with partial pivoting, for the press solve `W x = -s`.
//!
//! The press Monte Carlo factors one small community matrix per draw and then solves once per
//! press vector, so the factorisation works in place on a caller-owned row-major buffer and
//! never allocates. Its second job is the cheapest stability filter there is: a stable `W` has
//! `(-1)^n det W > 0`, and the sign of the determinant falls out of the factorisation for free.
//!
//! Conventions (LAPACK `getrf`/`getrs` style, re-derived):
//! - `a` is `n x n`, row-major; on return it holds `U` on and above the diagonal and the unit
//!   lower-triangular `L` (without its ones) below it, for the row-permuted matrix `P A = L U`.
//! - `piv[k]` is the row swapped with row `k` at step `k` (swaps are applied in order `k = 0..n`).
//!
//! Sizes up to 16 run instances specialised for their size (`sized.rs`): the same
//! operations in the same order, so the same results to the bit.

use super::sized::{by_size, unrolled_steps};

/// LU factorisation with partial pivoting, in place.
///
/// Returns `None` when the matrix has a non-finite entry, or when a pivot is exactly zero or not
/// finite (singular, or overflow during elimination); the contents of `a` and `piv` are then
/// unspecified. Otherwise returns `Some(sign)`, the sign of `det(A)` as `+1.0` or `-1.0`.
/// A tiny but non-zero pivot is *not* rejected: near-singularity is the caller's judgement.
///
/// # Panics
/// If `a.len() != n * n` or `piv.len() < n`.
pub fn lu_factor_in_place(a: &mut [f64], n: usize, piv: &mut [usize]) -> Option<f64> {
    assert_eq!(a.len(), n * n, "matrix buffer must be n*n");
    assert!(piv.len() >= n, "pivot buffer must hold n entries");
    by_size!(n, factor_sized(a, piv), factor(a, n, piv))
}

/// [`factor`] for a size known at compile time, on the buffer viewed as `N` rows of `N`, one
/// elimination step per column written out ([`factor_step`] with a constant `k`): with
/// every loop bound a constant the compiler unrolls the short loops and drops the bounds
/// checks and slice bookkeeping of the general body, which took ~1,050 instructions for a
/// 5x5 block. The same operations in the same order as [`factor`], so the same results to
/// the bit.
fn factor_sized<const N: usize>(a: &mut [f64], piv: &mut [usize]) -> Option<f64> {
    let Ok(rows) = <&mut [[f64; N]; N]>::try_from(a.as_chunks_mut::<N>().0) else {
        unreachable!("lu_factor_in_place checked the sizes");
    };
    let Ok(piv) = <&mut [usize; N]>::try_from(&mut piv[..N]) else {
        unreachable!("lu_factor_in_place checked the sizes");
    };
    if !rows
        .as_flattened()
        .iter()
        .fold(true, |ok, x| ok & x.is_finite())
    {
        return None;
    }
    let mut sign = 1.0;
    unrolled_steps!(k < N => sign = factor_step::<N>(rows, piv, k, sign)?);
    Some(sign)
}

/// Step `k` of [`factor_sized`]: pivot, swap, eliminate below; the determinant's sign so far,
/// or `None` on a zero or non-finite pivot.
#[inline(always)]
fn factor_step<const N: usize>(
    rows: &mut [[f64; N]; N],
    piv: &mut [usize; N],
    k: usize,
    mut sign: f64,
) -> Option<f64> {
    let mut p = k;
    let mut best_abs = rows[k][k].abs();
    for (i, row) in rows.iter().enumerate().skip(k + 1) {
        if row[k].abs() > best_abs {
            best_abs = row[k].abs();
            p = i;
        }
    }
    piv[k] = p;
    if p != k {
        rows.swap(k, p);
        sign = -sign;
    }
    let (top, below) = rows.split_at_mut(k + 1);
    let pivot_row = &top[k];
    let pivot = pivot_row[k];
    if pivot == 0.0 || !pivot.is_finite() {
        return None;
    }
    sign = if pivot < 0.0 { -sign } else { sign };
    let inv_pivot = 1.0 / pivot;
    for row in below {
        let l = row[k] * inv_pivot;
        row[k] = l;
        // Skip rows with a zero multiplier, as the general body does.
        if l != 0.0 {
            for (x, &u) in row[k + 1..].iter_mut().zip(&pivot_row[k + 1..]) {
                *x -= l * u;
            }
        }
    }
    Some(sign)
}

/// The body of [`lu_factor_in_place`] above the specialised sizes, and the reference they are
/// tested against ([`factor_sized`] runs the same operations on fixed-size rows).
#[inline(always)]
fn factor(a: &mut [f64], n: usize, piv: &mut [usize]) -> Option<f64> {
    // An Inf or NaN need not reach a pivot (rows with a zero multiplier skip the update), so
    // reject it explicitly; this scan costs n^2 against the n^3 elimination. A fold (not
    // `all`, which exits early) vectorises.
    if !a.iter().fold(true, |ok, x| ok & x.is_finite()) {
        return None;
    }
    let mut sign = 1.0;
    for k in 0..n {
        let p = pivot_row(a, n, k);
        piv[k] = p;
        if p != k {
            swap_rows(a, n, k, p);
            sign = -sign;
        }
        let pivot = a[k * n + k];
        if pivot == 0.0 || !pivot.is_finite() {
            return None;
        }
        sign = if pivot < 0.0 { -sign } else { sign };
        eliminate_below(a, n, k, 1.0 / pivot);
    }
    Some(sign)
}

/// Row index in `k..n` of the largest `|a[i][k]|` (the first one on ties, as LAPACK does).
#[inline(always)]
fn pivot_row(a: &[f64], n: usize, k: usize) -> usize {
    let mut best = k;
    let mut best_abs = a[k * n + k].abs();
    for i in k + 1..n {
        let v = a[i * n + k].abs();
        if v > best_abs {
            best_abs = v;
            best = i;
        }
    }
    best
}

#[inline(always)]
fn swap_rows(a: &mut [f64], n: usize, r1: usize, r2: usize) {
    let (lo, hi) = (r1.min(r2), r1.max(r2));
    let (head, tail) = a.split_at_mut(hi * n);
    head[lo * n..(lo + 1) * n].swap_with_slice(&mut tail[..n]);
}

/// One elimination step: store the multipliers of column `k` and update the trailing rows.
/// Multiplying by the pivot's reciprocal (one division per column, not per row) is what LAPACK
/// does too; it changes the multipliers by at most one rounding.
#[inline(always)]
fn eliminate_below(a: &mut [f64], n: usize, k: usize, inv_pivot: f64) {
    let (top, below) = a.split_at_mut((k + 1) * n);
    let pivot_tail = &top[k * n + k + 1..(k + 1) * n];
    for row in below.chunks_exact_mut(n) {
        let l = row[k] * inv_pivot;
        row[k] = l;
        // Community matrices are sparse, so many multipliers are exactly zero: skipping their
        // rows measured faster than branch-free updates at n = 8.
        if l != 0.0 {
            for (x, &u) in row[k + 1..].iter_mut().zip(pivot_tail) {
                *x -= l * u;
            }
        }
    }
}

/// Solves `A x = b` in place (`b` becomes `x`) using the factors from [`lu_factor_in_place`].
///
/// Call it once per right-hand side; the factors are only read.
///
/// # Panics
/// If `lu.len() != n * n`, `piv.len() < n` or `b.len() != n`.
pub fn lu_solve_in_place(lu: &[f64], n: usize, piv: &[usize], b: &mut [f64]) {
    assert_eq!(lu.len(), n * n, "matrix buffer must be n*n");
    assert!(piv.len() >= n, "pivot buffer must hold n entries");
    assert_eq!(b.len(), n, "right-hand side must have n entries");
    by_size!(n, solve_sized(lu, piv, b), solve(lu, n, piv, b))
}

/// [`lu_solve_in_place`] for two right-hand sides at once. Each gets exactly the operations it
/// would get alone (so the same results, to the bit); the two chains of divisions of the back
/// substitution, each waiting on its previous step, then overlap.
///
/// # Panics
/// As [`lu_solve_in_place`], for either right-hand side.
pub fn lu_solve_pair_in_place(lu: &[f64], n: usize, piv: &[usize], a: &mut [f64], b: &mut [f64]) {
    assert_eq!(lu.len(), n * n, "matrix buffer must be n*n");
    assert!(piv.len() >= n, "pivot buffer must hold n entries");
    assert!(
        a.len() == n && b.len() == n,
        "right-hand sides must have n entries"
    );
    by_size!(n, solve_pair_sized(lu, piv, a, b), {
        solve(lu, n, piv, a);
        solve(lu, n, piv, b);
    })
}

/// [`solve_sized`] on two right-hand sides, step by step side by side.
fn solve_pair_sized<const N: usize>(lu: &[f64], piv: &[usize], a: &mut [f64], b: &mut [f64]) {
    let (Ok(rows), Ok(a), Ok(b)) = (
        <&[[f64; N]; N]>::try_from(lu.as_chunks::<N>().0),
        <&mut [f64; N]>::try_from(a),
        <&mut [f64; N]>::try_from(b),
    ) else {
        unreachable!("lu_solve_pair_in_place checked the sizes");
    };
    for (k, &p) in piv[..N].iter().enumerate() {
        a.swap(k, p);
        b.swap(k, p);
    }
    for i in 1..N {
        let (sa, sb) = (dot(&rows[i][..i], &a[..i]), dot(&rows[i][..i], &b[..i]));
        a[i] -= sa;
        b[i] -= sb;
    }
    for i in (0..N).rev() {
        let row = &rows[i][i + 1..];
        let (sa, sb) = (dot(row, &a[i + 1..]), dot(row, &b[i + 1..]));
        a[i] = (a[i] - sa) / rows[i][i];
        b[i] = (b[i] - sb) / rows[i][i];
    }
}

/// [`solve`] for a size known at compile time, on `N` rows of `N` (see [`factor_sized`]).
fn solve_sized<const N: usize>(lu: &[f64], piv: &[usize], b: &mut [f64]) {
    let (Ok(rows), Ok(b)) = (
        <&[[f64; N]; N]>::try_from(lu.as_chunks::<N>().0),
        <&mut [f64; N]>::try_from(b),
    ) else {
        unreachable!("lu_solve_in_place checked the sizes");
    };
    for (k, &p) in piv[..N].iter().enumerate() {
        b.swap(k, p);
    }
    for i in 1..N {
        let s = dot(&rows[i][..i], &b[..i]);
        b[i] -= s;
    }
    for i in (0..N).rev() {
        let s = dot(&rows[i][i + 1..], &b[i + 1..]);
        b[i] = (b[i] - s) / rows[i][i];
    }
}

/// The body of [`lu_solve_in_place`] above the specialised sizes ([`solve_sized`] runs the same
/// operations on fixed-size rows).
#[inline(always)]
fn solve(lu: &[f64], n: usize, piv: &[usize], b: &mut [f64]) {
    for (k, &p) in piv[..n].iter().enumerate() {
        b.swap(k, p);
    }
    // Forward substitution with the unit lower triangle.
    for i in 1..n {
        let s = dot(&lu[i * n..i * n + i], &b[..i]);
        b[i] -= s;
    }
    // Back substitution with the upper triangle.
    for i in (0..n).rev() {
        let s = dot(&lu[i * n + i + 1..(i + 1) * n], &b[i + 1..]);
        b[i] = (b[i] - s) / lu[i * n + i];
    }
}

#[inline(always)]
fn dot(x: &[f64], y: &[f64]) -> f64 {
    x.iter().zip(y).map(|(a, b)| a * b).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tiny xorshift64* so the tests need no external crate.
    struct XorShift(u64);

    impl XorShift {
        fn next_f64(&mut self) -> f64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    fn mat_vec(a: &[f64], n: usize, x: &[f64]) -> Vec<f64> {
        a.chunks_exact(n).map(|row| dot(row, x)).collect()
    }

    fn factor(a: &[f64], n: usize) -> (Vec<f64>, Vec<usize>, Option<f64>) {
        let mut lu = a.to_vec();
        let mut piv = vec![0; n];
        let sign = lu_factor_in_place(&mut lu, n, &mut piv);
        (lu, piv, sign)
    }

    #[test]
    fn sized_instances_compute_what_the_general_body_does_to_the_bit() {
        let mut rng = XorShift(0x5151_2026_0d0c_0007);
        for n in 1..=17 {
            // Some exact zeros too, as in sparse community matrices.
            let a: Vec<f64> = (0..n * n)
                .map(|_| match rng.next_f64() {
                    u if u < 0.3 => 0.0,
                    u => 4.0 * u - 2.0,
                })
                .collect();
            let (sized, sized_piv, sized_sign) = factor(&a, n);
            let (mut general, mut general_piv) = (a.clone(), vec![0; n]);
            let general_sign = super::factor(&mut general, n, &mut general_piv);
            assert_eq!(sized_sign, general_sign, "n = {n}");
            assert_eq!(sized_piv, general_piv, "n = {n}");
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&sized), bits(&general), "n = {n}");
            if sized_sign.is_none() {
                continue;
            }
            let b: Vec<f64> = (0..n).map(|_| rng.next_f64() - 0.5).collect();
            let (mut x, mut y) = (b.clone(), b);
            lu_solve_in_place(&sized, n, &sized_piv, &mut x);
            solve(&general, n, &general_piv, &mut y);
            assert_eq!(bits(&x), bits(&y), "n = {n}");
        }
    }

    #[test]
    fn a_pair_of_right_hand_sides_gets_what_each_gets_alone_to_the_bit() {
        let mut rng = XorShift(0x0dd5_2026_1207_0002);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for n in 1..=18 {
            let a: Vec<f64> = (0..n * n).map(|_| 4.0 * rng.next_f64() - 2.0).collect();
            let (lu, piv, sign) = factor(&a, n);
            assert!(sign.is_some(), "n = {n}");
            let mut rhs = || (0..n).map(|_| rng.next_f64() - 0.5).collect::<Vec<f64>>();
            let (mut first, mut second) = (rhs(), rhs());
            let (mut alone_first, mut alone_second) = (first.clone(), second.clone());
            lu_solve_pair_in_place(&lu, n, &piv, &mut first, &mut second);
            lu_solve_in_place(&lu, n, &piv, &mut alone_first);
            lu_solve_in_place(&lu, n, &piv, &mut alone_second);
            assert_eq!(bits(&first), bits(&alone_first), "n = {n}");
            assert_eq!(bits(&second), bits(&alone_second), "n = {n}");
        }
    }

    #[test]
    fn solves_a_hand_worked_system() {
        // x = (1, 2, 3); the zero in the corner forces a row swap.
        let a = [0.0, 2.0, 1.0, 1.0, 1.0, 1.0, 2.0, 1.0, 3.0];
        let (lu, piv, sign) = factor(&a, 3);
        // det = 0*(3-1) - 2*(3-2) + 1*(1-2) = -3
        assert_eq!(sign, Some(-1.0));
        let mut b = vec![7.0, 6.0, 13.0];
        lu_solve_in_place(&lu, 3, &piv, &mut b);
        for (x, want) in b.iter().zip([1.0, 2.0, 3.0]) {
            assert!((x - want).abs() < 1e-14, "{b:?}");
        }
    }

    #[test]
    fn solves_random_systems_with_known_solutions() {
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        for n in 1..=40 {
            let a: Vec<f64> = (0..n * n).map(|_| 2.0 * rng.next_f64() - 1.0).collect();
            let x: Vec<f64> = (0..n).map(|_| 2.0 * rng.next_f64() - 1.0).collect();
            let mut b = mat_vec(&a, n, &x);
            let (lu, piv, sign) = factor(&a, n);
            assert!(sign.is_some());
            lu_solve_in_place(&lu, n, &piv, &mut b);
            let err = b
                .iter()
                .zip(&x)
                .map(|(u, v)| (u - v).abs())
                .fold(0.0, f64::max);
            assert!(err < 1e-9, "n = {n}: max error {err}");
        }
    }

    #[test]
    fn det_sign_of_permutation_matrices_is_the_parity() {
        // Cyclic shift of n rows is a product of n - 1 transpositions.
        for n in 1..=9 {
            let mut a = vec![0.0; n * n];
            for i in 0..n {
                a[i * n + (i + 1) % n] = 1.0;
            }
            let want = if (n - 1) % 2 == 0 { 1.0 } else { -1.0 };
            assert_eq!(factor(&a, n).2, Some(want), "n = {n}");
        }
        // A single transposition, and its negation in odd dimension.
        let swap = [0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0];
        assert_eq!(factor(&swap, 3).2, Some(-1.0));
        let neg: Vec<f64> = swap.iter().map(|x| -x).collect();
        assert_eq!(factor(&neg, 3).2, Some(1.0));
    }

    #[test]
    fn det_sign_matches_a_negative_diagonal() {
        // diag(-1, -2, -3, -4): det = 24 > 0, so (-1)^4 det > 0 as a stable matrix needs.
        let mut a = vec![0.0; 16];
        for i in 0..4 {
            a[i * 4 + i] = -(i as f64 + 1.0);
        }
        assert_eq!(factor(&a, 4).2, Some(1.0));
    }

    #[test]
    fn singular_and_non_finite_matrices_give_none() {
        assert_eq!(factor(&[1.0, 2.0, 2.0, 4.0], 2).2, None);
        assert_eq!(factor(&[0.0; 9], 3).2, None);
        assert_eq!(factor(&[1.0, f64::NAN, 0.0, 1.0], 2).2, None);
        assert_eq!(factor(&[1.0, 0.0, 0.0, f64::INFINITY], 2).2, None);
    }

    #[test]
    fn empty_matrix_has_determinant_one() {
        let (lu, piv, sign) = factor(&[], 0);
        assert_eq!(sign, Some(1.0));
        let mut b: [f64; 0] = [];
        lu_solve_in_place(&lu, 0, &piv, &mut b);
    }
}
