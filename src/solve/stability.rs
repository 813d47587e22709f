//! Stability test for the press Monte Carlo: does every eigenvalue of a small dense real matrix
//! have a negative real part?
//!
//! Each draw needs a yes/no answer, not the eigenvalues, so the test runs a cascade of checks
//! from cheapest to dearest; each one either decides soundly or hands over to the next. All
//! work buffers live in a [`StabilityWorkspace`], so a call never allocates.
//!
//! 0. **Gershgorin rows, unscaled**: if every row disc lies strictly in the open left half-plane
//!    (checked on the matrix as given, with the rounding of the absolute row sums), `Stable`.
//!    Most blocks of a self-limited network are settled here, before any copy (a non-finite
//!    entry never passes: its row sum or diagonal fails the comparison).
//! 1. **Non-finite entries**: `Undecided` ([`DecidedBy::NonFinite`]); the question has no answer.
//! 2. **Scaling** by a power of two so the largest entry is about 1. This is exact and does not
//!    change the signs of real parts; it keeps the characteristic polynomial in range.
//! 3. **Trace** = sum of the eigenvalues. If it is `>= 0` beyond its rounding bound, some
//!    eigenvalue has real part `>= 0`: `Unstable`.
//! 4. **Gershgorin columns**: if every column disc lies strictly in the open left half-plane
//!    (checked with the rounding of the absolute column sums), `Stable`.
//! 5. **Certified Routh-Hurwitz** (up to 23 rows; beyond, its bounds certify nothing and the
//!    matrix goes to QR). Householder reduction to Hessenberg form `H`, characteristic
//!    polynomial of `H` by the Hessenberg determinant recurrence, then the Routh array. Every
//!    coefficient and Routh entry carries a rigorous absolute bound on its rounding error: for
//!    the recurrence, `gamma_D` times the same recurrence run on absolute values (`D` = the
//!    longest chain of roundings); for each Routh step, first-order-exact propagation plus the
//!    step's own rounding. A sign is used only when the value exceeds twice its bound (the
//!    factor 2 absorbs the rounding of the bound arithmetic itself). Decisions:
//!    a coefficient certainly `<= 0` => `Unstable`; all Routh pivots certainly `> 0` => `Stable`;
//!    pivots certainly positive up to one certainly `<= 0` => a Hurwitz determinant is `<= 0` =>
//!    `Unstable`. Anything else (a pivot whose sign the bound does not fix) hands over to QR.
//!    The verdict is thus exact for the computed `H`, which is exactly similar to `A + E` with
//!    `|E|_F = O(n^2 u |A|_F)` (Householder backward stability): the same kind of guarantee
//!    as the QR below. Pushing `E` itself through to the coefficients was tried: the only cheap
//!    rigorous bound, `C(n,k) ((|A|_2 + |E|_2)^k - |A|_2^k)` over the principal minors, grows
//!    like `(|A|_2 / |lambda|)^k` and stops Routh deciding anything beyond `n` of about 12.
//! 6. **Bounded Francis double-shift QR** on `H` (eigenvalues only, stopping at the first
//!    eigenvalue deflated right of the band of step 7, at most `30 n` sweeps,
//!    exceptional shifts every 10 sweeps without deflation). If it does not converge, it is
//!    retried on `H + s I` for three shifts `s` (scaled by the RMS row norm) and the real parts
//!    are shifted back: at most `120 n` sweeps in all, so a call always returns.
//! 7. **QR decision rule**. QR is backward stable: it returns the exact eigenvalues of a matrix
//!    within about `n u |A|_F` of `A` (`u` the unit roundoff), and a simple eigenvalue moves by
//!    at most its condition number `kappa` times that. Rule, with
//!    `tol = 2^14 n u (|A|_F + |s| sqrt(n))` (about `1.8e-12 n |A|_F`; `s` the retry shift):
//!    `max Re < -tol` => `Stable`, `max Re > tol` => `Unstable`, otherwise `Undecided` (this
//!    includes an eigenvalue computed exactly on the imaginary axis, which is "not stable" but
//!    cannot be told apart from a tiny negative real part). The factor `2^14` covers eigenvalue
//!    condition numbers up to about `10^4`: in the reference test, two real eigenvalues `9e-5`
//!    apart left the rightmost one uncertain by about `1e-12 |A|_F` in both nalgebra and this
//!    QR, which a band of `64 n u |A|_F` did not cover. A worse-conditioned eigenvalue within
//!    `kappa n u |A|_F` of the axis can still get the wrong verdict (as from any eigensolver).
//!    A Monte Carlo draw lands that close with negligible probability; a structurally marginal
//!    matrix (an exact zero or imaginary eigenvalue) lands in the band, or, when the eigenvalue
//!    is defective, its computed copies spread around it and usually reach the right half-plane
//!    (`Unstable`, which is correct).
//!
//! `Undecided` therefore means: non-finite input, the QR band, or QR failing on every shift.
//! Callers should count and report it, not fold it into either class.
//!
//! The Hessenberg form is not balanced (no diagonal similarity scaling, unlike LAPACK `geev`):
//! community matrices are reasonably scaled, and the bounds above stay valid either way.
//! Entries below about `1e-290` times the largest one may underflow after scaling and are then
//! treated as rounding noise.

/// Verdict of the stability test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stability {
    /// Every eigenvalue has a strictly negative real part.
    Stable,
    /// Some eigenvalue has a real part `>= 0`.
    Unstable,
    /// Neither could be established (see the module documentation).
    Undecided,
}

/// Which step of the cascade produced the verdict (for profiling and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecidedBy {
    /// The matrix has a NaN or infinite entry (verdict `Undecided`).
    NonFinite,
    /// The trace is certainly `>= 0` (verdict `Unstable`), or `n = 0` (vacuously `Stable`).
    Trace,
    /// All row or all column Gershgorin discs are in the left half-plane (verdict `Stable`).
    Gershgorin,
    /// The certified Routh-Hurwitz test.
    Routh,
    /// The bounded QR on the matrix itself.
    Qr,
    /// The bounded QR on a shifted matrix `A + s I`, after the unshifted one did not converge.
    QrShifted,
    /// Nothing decided: QR's rightmost real part is inside its band, or QR never converged.
    None,
}

use super::sized::{by_size, unrolled_steps};

/// Unit roundoff of f64 (half the machine epsilon).
const U: f64 = f64::EPSILON / 2.0;

/// A sign is trusted only if the value exceeds `SAFETY` times its error bound; the slack covers
/// the rounding of the bound computations themselves (relative `O(n^2 u)`, far below 1).
const SAFETY: f64 = 2.0;

/// Width of the QR undecided band, in units of `n u |A|_F` (see the module documentation).
const QR_BAND_C: f64 = 16384.0;

/// The largest matrix the certified Routh-Hurwitz pass is tried on. Its rounding bounds grow
/// with the characteristic polynomial's coefficients: on stable predator-prey webs it certified
/// nothing above about 24 nodes, so larger blocks go straight to QR.
const ROUTH_LARGEST: usize = 23;

/// QR iterations allowed per attempt, per row of the matrix (the bound nalgebra users pass).
const QR_ITERATIONS_PER_ROW: usize = 30;

/// Retry shifts for a QR that did not converge, in units of the RMS row norm `|A|_F / sqrt(n)`.
/// They move a symmetric spectrum (a pure cycle) off the configuration that stalls the shifts.
const QR_RETRY_SHIFTS: [f64; 3] = [0.5, -0.5, 1.7];

/// Reusable buffers for [`classify`] and [`max_real_eigenvalue`], sized for one `n`.
pub struct StabilityWorkspace {
    n: usize,
    /// Scaled copy of the matrix, reduced in place to Hessenberg form.
    h: Vec<f64>,
    /// Copy of the Hessenberg form that the QR iteration destroys.
    qr: Vec<f64>,
    /// Householder vector (n) and row/column accumulator (n).
    v: Vec<f64>,
    w: Vec<f64>,
    /// Characteristic polynomials of the leading principal blocks, row `k` = degree-`k`
    /// coefficients in ascending powers; `mag` is the same recurrence on absolute values.
    poly: Vec<f64>,
    mag: Vec<f64>,
    /// Products `h[i-1][k-1] * prod h[m][m-1]` of the recurrence.
    t: Vec<f64>,
    /// Coefficients `a_0 = 1, a_1, .., a_n` of `det(zI - H)` (descending powers) and bounds.
    coef: Vec<f64>,
    coef_err: Vec<f64>,
    /// Two Routh rows (values and bounds).
    routh: [Vec<f64>; 4],
}

impl StabilityWorkspace {
    /// Buffers for `n x n` matrices (about `4 n^2` f64 values); allocation happens only here.
    pub fn new(n: usize) -> Self {
        let half = n / 2 + 2;
        Self {
            n,
            h: vec![0.0; n * n],
            qr: vec![0.0; n * n],
            v: vec![0.0; n],
            w: vec![0.0; n],
            poly: vec![0.0; (n + 1) * (n + 1)],
            mag: vec![0.0; (n + 1) * (n + 1)],
            t: vec![0.0; n],
            coef: vec![0.0; n + 1],
            coef_err: vec![0.0; n + 1],
            routh: std::array::from_fn(|_| vec![0.0; half]),
        }
    }

    /// The matrix size this workspace was made for.
    pub fn n(&self) -> usize {
        self.n
    }
}

/// Decide whether every eigenvalue of the `n x n` row-major matrix `a` has a negative real part.
///
/// Never hangs: every iteration is capped. Non-finite entries give `Undecided`. See the module
/// documentation for the order of the tests and when `Undecided` is returned.
///
/// # Panics
/// If `a.len() != n * n` or the workspace was made for another `n`.
pub fn classify(a: &[f64], n: usize, ws: &mut StabilityWorkspace) -> Stability {
    classify_detailed(a, n, ws).0
}

/// [`classify`], also saying which step decided.
///
/// # Panics
/// If `a.len() != n * n` or the workspace was made for another `n`.
pub fn classify_detailed(
    a: &[f64],
    n: usize,
    ws: &mut StabilityWorkspace,
) -> (Stability, DecidedBy) {
    check_sizes(a, n, ws);
    by_size!(n, classify_sized(a, ws), classify_any::<0>(a, n, ws))
}

/// [`classify_any`] for a size known at compile time.
fn classify_sized<const N: usize>(
    a: &[f64],
    ws: &mut StabilityWorkspace,
) -> (Stability, DecidedBy) {
    classify_any::<N>(&a[..N * N], N, ws)
}

/// The body of [`classify_detailed`], inlined into every specialised size: the cheap tests,
/// the Hessenberg form and Routh-Hurwitz; QR (rarely reached on small blocks) stays one function.
/// `SIZE` is `n` in a specialised instance (its loops over steps are then written out), else 0.
#[inline(always)]
fn classify_any<const SIZE: usize>(
    a: &[f64],
    n: usize,
    ws: &mut StabilityWorkspace,
) -> (Stability, DecidedBy) {
    if n == 0 {
        // No eigenvalues: "all of them" are in the left half-plane.
        return (Stability::Stable, DecidedBy::Trace);
    }
    if row_discs_in_lhp::<SIZE>(a, n) {
        return (Stability::Stable, DecidedBy::Gershgorin);
    }
    let Some(scan) = load_scaled(a, n, ws) else {
        return (Stability::Undecided, DecidedBy::NonFinite);
    };
    if scan.trace_nonnegative {
        return (Stability::Unstable, DecidedBy::Trace);
    }
    if scan.gershgorin_stable {
        return (Stability::Stable, DecidedBy::Gershgorin);
    }
    hessenberg::<SIZE>(&mut ws.h[..n * n], n, &mut ws.v[..n], &mut ws.w[..n]);
    if n <= ROUTH_LARGEST
        && let Some(verdict) = routh_certified::<SIZE>(ws, n)
    {
        return (verdict, DecidedBy::Routh);
    }
    let Some((max_re, shift)) = qr_with_retries(ws, scan.frobenius, true) else {
        return (Stability::Undecided, DecidedBy::None);
    };
    let tol = qr_band(n, scan.frobenius, shift);
    let by = if shift == 0.0 {
        DecidedBy::Qr
    } else {
        DecidedBy::QrShifted
    };
    if max_re < -tol {
        (Stability::Stable, by)
    } else if max_re > tol {
        (Stability::Unstable, by)
    } else {
        (Stability::Undecided, DecidedBy::None)
    }
}

/// Largest real part of the eigenvalues of the `n x n` row-major matrix `a`, from the bounded
/// QR (with shifted retries). `None` if `a` has a non-finite entry, `n = 0`, or QR never
/// converged. Accuracy is that of a backward-stable eigensolver (no balancing).
///
/// # Panics
/// If `a.len() != n * n` or the workspace was made for another `n`.
pub fn max_real_eigenvalue(a: &[f64], n: usize, ws: &mut StabilityWorkspace) -> Option<f64> {
    check_sizes(a, n, ws);
    if n == 0 {
        return None;
    }
    let scan = load_scaled(a, n, ws)?;
    hessenberg::<0>(&mut ws.h, n, &mut ws.v, &mut ws.w);
    let (max_re, _) = qr_with_retries(ws, scan.frobenius, false)?;
    Some(max_re / scan.scale)
}

fn check_sizes(a: &[f64], n: usize, ws: &StabilityWorkspace) {
    assert_eq!(a.len(), n * n, "matrix buffer must be n*n");
    assert_eq!(ws.n, n, "workspace was made for another n");
}

/// What one pass over the scaled matrix tells us.
struct Scan {
    /// The power of two the matrix was multiplied by.
    scale: f64,
    /// Frobenius norm of the scaled matrix (it only sets the QR tolerance and retry shifts).
    frobenius: f64,
    trace_nonnegative: bool,
    gershgorin_stable: bool,
}

/// Copies `a`, scaled by a power of two, into `ws.h` and gathers the cheap tests.
/// Returns `None` if an entry is not finite.
#[inline(always)]
fn load_scaled(a: &[f64], n: usize, ws: &mut StabilityWorkspace) -> Option<Scan> {
    let (h, col_abs) = (&mut ws.h[..n * n], &mut ws.w[..n]);
    // Folds without early exit vectorise (`f64::max` is exact, so reordering it is allowed).
    if !a.iter().fold(true, |ok, x| ok & x.is_finite()) {
        return None;
    }
    // Every entry is finite here, so a plain comparison gives `f64::max` without its NaN care.
    let largest = a
        .iter()
        .fold(0.0, |m: f64, x| if x.abs() > m { x.abs() } else { m });
    let scale = pow2_normaliser(largest);
    let (mut trace, mut diag_abs, mut fro_sq) = (0.0, 0.0, 0.0);
    for (i, (src, dst)) in a.chunks_exact(n).zip(h.chunks_exact_mut(n)).enumerate() {
        // Per-row partial sums keep the dependency chains n long, not n^2.
        let mut row_sq = 0.0;
        for (d, &s) in dst.iter_mut().zip(src) {
            let x = s * scale;
            *d = x;
            row_sq += x * x;
        }
        fro_sq += row_sq;
        let d = dst[i];
        trace += d;
        diag_abs += d.abs();
    }
    // The row discs were tried before the copy ([`row_discs_in_lhp`]).
    let sum_up = sum_rounding_up(n);
    let cols_in_lhp = {
        col_abs.fill(0.0);
        for row in h.chunks_exact(n) {
            for (c, x) in col_abs.iter_mut().zip(row) {
                *c += x.abs();
            }
        }
        col_abs
            .iter()
            .enumerate()
            .all(|(i, &c)| h[i * n + i] < 0.0 && c * sum_up < 2.0 * h[i * n + i].abs())
    };
    Some(Scan {
        scale,
        frobenius: fro_sq.sqrt(),
        // Recursive summation of the diagonal errs by at most (n - 1) u sum |d_i|.
        trace_nonnegative: trace >= 2.0 * n as f64 * U * diag_abs,
        gershgorin_stable: cols_in_lhp,
    })
}

/// The factor that turns a computed sum of `n` non-negative terms into an upper bound of the
/// true sum: such a sum errs by less than `(n - 1) u` relatively (an underflowing addition is
/// exact, so this holds at any scale).
#[inline(always)]
fn sum_rounding_up(n: usize) -> f64 {
    1.0 + 2.0 * n as f64 * U
}

/// Whether every Gershgorin row disc of the `n x n` row-major `a` lies in the open left
/// half-plane: disc `i` does iff `d + (row_abs - |d|) < 0`, i.e. `d < 0` and `row_abs < 2|d|`
/// (`2|d|` is exact, `row_abs` is bounded above). On the matrix as given, so a certified
/// block costs one pass and no copy; it stops at the first row that fails. A NaN or infinite
/// entry fails its row. `SIZE` is `n` in a specialised instance, else 0.
#[inline(always)]
fn row_discs_in_lhp<const SIZE: usize>(a: &[f64], n: usize) -> bool {
    let sum_up = sum_rounding_up(n);
    let disc_in_lhp = |i: usize, row: &[f64]| {
        let d = row[i];
        let row_abs = row.iter().fold(0.0, |s: f64, x| s + x.abs());
        d < 0.0 && row_abs * sum_up < 2.0 * d.abs()
    };
    if SIZE == 0 {
        return a
            .chunks_exact(n)
            .enumerate()
            .all(|(i, row)| disc_in_lhp(i, row));
    }
    let (rows, _) = a.as_chunks::<SIZE>();
    rows.iter().enumerate().all(|(i, row)| disc_in_lhp(i, row))
}

/// A power of two `2^-e` with `2^e <= m < 2^(e+1)` for finite `m > 0` (1 for `m = 0`), with `e`
/// clamped to the normal range. Multiplying by it is exact (barring underflow of entries far
/// below the rounding level of the largest one).
#[inline(always)]
fn pow2_normaliser(m: f64) -> f64 {
    if m == 0.0 {
        return 1.0;
    }
    let biased = ((m.to_bits() >> 52) & 0x7ff) as i64; // 0 for subnormal m
    let e = (biased.max(1) - 1023).min(1022);
    f64::from_bits(((1023 - e) as u64) << 52)
}

/// Reduces `h` (row-major `n x n`) to upper Hessenberg form by Householder similarity
/// transforms, in place. Columns that are already reduced are skipped (common for sparse
/// community matrices). `SIZE` is `n` when known at compile time, else 0: a specialised
/// instance writes out its steps, so every loop bound is a constant (the same operations).
#[inline(always)]
fn hessenberg<const SIZE: usize>(h: &mut [f64], n: usize, v: &mut [f64], w: &mut [f64]) {
    if SIZE == 0 {
        for k in 0..n.saturating_sub(2) {
            hessenberg_step(h, n, v, w, k);
        }
    } else {
        unrolled_steps!(k < SIZE.saturating_sub(2) => hessenberg_step(h, SIZE, v, w, k));
    }
}

/// Step `k` of [`hessenberg`]: the reflector that zeroes column `k` below its subdiagonal.
#[inline(always)]
fn hessenberg_step(h: &mut [f64], n: usize, v: &mut [f64], w: &mut [f64], k: usize) {
    let tail_sq: f64 = (k + 2..n).map(|i| h[i * n + k] * h[i * n + k]).sum();
    if tail_sq == 0.0 {
        // Already reduced, up to entries below sqrt(min positive) that squared to zero;
        // dropping those is far inside the backward error of the reduction.
        (k + 2..n).for_each(|i| h[i * n + k] = 0.0);
        return;
    }
    let x0 = h[(k + 1) * n + k];
    let norm = (x0 * x0 + tail_sq).sqrt();
    // Reflect x onto -sign(x0) |x| e1 so that v0 = x0 - alpha does not cancel.
    let alpha = if x0 >= 0.0 { -norm } else { norm };
    let v0 = x0 - alpha;
    let beta = 2.0 / (v0 * v0 + tail_sq);
    let m = n - k - 1;
    let v = &mut v[..m];
    v[0] = v0;
    for (i, vi) in (k + 2..n).zip(&mut v[1..]) {
        *vi = h[i * n + k];
        h[i * n + k] = 0.0;
    }
    h[(k + 1) * n + k] = alpha;
    reflect_rows(h, n, k + 1, v, beta, &mut w[..m]);
    reflect_cols(h, n, k + 1, v, beta);
}

/// `H[r0.., r0..] -= beta v (v^T H[r0.., r0..])`: the left reflector on the trailing rows
/// (their columns before `r0` are zero or, for column `r0 - 1`, already set).
#[inline(always)]
fn reflect_rows(h: &mut [f64], n: usize, r0: usize, v: &[f64], beta: f64, w: &mut [f64]) {
    w.fill(0.0);
    for (row, &vi) in h[r0 * n..].chunks_exact(n).zip(v) {
        for (wj, &x) in w.iter_mut().zip(&row[r0..]) {
            *wj += vi * x;
        }
    }
    for (row, &vi) in h[r0 * n..].chunks_exact_mut(n).zip(v) {
        let s = beta * vi;
        for (x, &wj) in row[r0..].iter_mut().zip(w.iter()) {
            *x -= s * wj;
        }
    }
}

/// `H[.., c0..] -= beta (H[.., c0..] v) v^T`: the right reflector on every row.
#[inline(always)]
fn reflect_cols(h: &mut [f64], n: usize, c0: usize, v: &[f64], beta: f64) {
    for row in h.chunks_exact_mut(n) {
        let tail = &mut row[c0..];
        let s = beta * tail.iter().zip(v).map(|(x, vi)| x * vi).sum::<f64>();
        for (x, &vi) in tail.iter_mut().zip(v) {
            *x -= s * vi;
        }
    }
}

/// The certified Routh-Hurwitz test on the Hessenberg form in `ws.h`; `None` when the error
/// bounds do not settle it.
#[inline(always)]
fn routh_certified<const SIZE: usize>(ws: &mut StabilityWorkspace, n: usize) -> Option<Stability> {
    char_poly::<SIZE>(ws, n);
    // Longest chain of roundings in the recurrence: d_k = d_{k-1} + k + 1, so n (n + 3) / 2.
    // The computed q_n is within gamma_d * (exact magnitude polynomial) of the exact one, and
    // 2 d u covers gamma_d / (1 - gamma_d) (the computed magnitudes are themselves rounded).
    let round = n as f64 * (n + 3) as f64 * U;
    let last = &ws.poly[n * (n + 1)..(n + 1) * (n + 1)];
    let last_mag = &ws.mag[n * (n + 1)..(n + 1) * (n + 1)];
    let (coef, coef_err) = (&mut ws.coef[..=n], &mut ws.coef_err[..=n]);
    for k in 0..=n {
        // a_k is the coefficient of z^(n-k).
        coef[k] = last[n - k];
        coef_err[k] = round * last_mag[n - k];
    }
    // Stability needs every coefficient > 0: one certainly <= 0 settles it.
    let certainly_nonpositive = coef
        .iter()
        .zip(coef_err.iter())
        .any(|(&a, &e)| a + SAFETY * e <= 0.0);
    if certainly_nonpositive {
        return Some(Stability::Unstable);
    }
    routh_array(ws, n)
}

/// Coefficients of `q_k(z) = det(z I - H[..k, ..k])` for the Hessenberg `ws.h`, by expanding
/// along the last column:
/// `q_k = (z - h[k-1][k-1]) q_{k-1} - sum_{i=1}^{k-1} h[i-1][k-1] (prod_{m=i}^{k-1} h[m][m-1]) q_{i-1}`.
/// `ws.mag` gets the same recurrence on absolute values: it bounds the rounding error.
/// `SIZE` as for [`hessenberg`].
#[inline(always)]
fn char_poly<const SIZE: usize>(ws: &mut StabilityWorkspace, n: usize) {
    let stride = n + 1;
    let (h, poly, mag) = (
        &ws.h[..n * n],
        &mut ws.poly[..stride * stride],
        &mut ws.mag[..stride * stride],
    );
    let t = &mut ws.t[..n];
    poly[0] = 1.0;
    mag[0] = 1.0;
    if SIZE == 0 {
        for k in 1..=n {
            char_poly_step(h, poly, mag, t, n, k);
        }
    } else {
        unrolled_steps!(kk < SIZE => char_poly_step(h, poly, mag, t, SIZE, kk + 1));
    }
}

/// Row `k` of [`char_poly`]: `q_k` and its magnitude bound from the rows before it.
#[inline(always)]
fn char_poly_step(h: &[f64], poly: &mut [f64], mag: &mut [f64], t: &mut [f64], n: usize, k: usize) {
    let stride = n + 1;
    let kk = k - 1;
    let mut sub = 1.0;
    for i in (1..k).rev() {
        sub *= h[i * n + i - 1];
        t[i] = h[(i - 1) * n + kk] * sub;
    }
    let hkk = h[kk * n + kk];
    let (done, rest) = poly.split_at_mut(k * stride);
    let (done_m, rest_m) = mag.split_at_mut(k * stride);
    let (q, m) = (&mut rest[..=k], &mut rest_m[..=k]);
    let (prev, prev_m) = (
        &done[kk * stride..=kk * stride + kk],
        &done_m[kk * stride..],
    );
    // z q_{k-1} - h_kk q_{k-1}
    q[0] = -hkk * prev[0];
    m[0] = hkk.abs() * prev_m[0];
    for j in 1..k {
        q[j] = prev[j - 1] - hkk * prev[j];
        m[j] = prev_m[j - 1] + hkk.abs() * prev_m[j];
    }
    q[k] = prev[kk];
    m[k] = prev_m[kk];
    for i in 1..k {
        let (ti, ti_abs) = (t[i], t[i].abs());
        let lower = &done[(i - 1) * stride..(i - 1) * stride + i];
        let lower_m = &done_m[(i - 1) * stride..(i - 1) * stride + i];
        for ((qj, mj), (&p, &pm)) in q
            .iter_mut()
            .zip(m.iter_mut())
            .zip(lower.iter().zip(lower_m))
        {
            *qj -= ti * p;
            *mj += ti_abs * pm;
        }
    }
}

/// Routh array on `ws.coef` with running error bounds (values in `routh[0..2]`, bounds in
/// `routh[2..4]`). Pivot `i` is `Delta_i / Delta_{i-1}` (Hurwitz determinants), so with every
/// earlier pivot certainly positive a pivot certainly `<= 0` means `Delta_i <= 0`: unstable.
#[inline(always)]
fn routh_array(ws: &mut StabilityWorkspace, n: usize) -> Option<Stability> {
    let half = n / 2 + 2;
    let [prev, cur, prev_e, cur_e] = &mut ws.routh;
    let (mut prev, mut cur) = (&mut prev[..half], &mut cur[..half]);
    let (mut prev_e, mut cur_e) = (&mut prev_e[..half], &mut cur_e[..half]);
    let (coef, coef_err) = (&ws.coef[..=n], &ws.coef_err[..=n]);
    // Row 0 = a_0, a_2, ..; row 1 = a_1, a_3, ..; zero-padded.
    for (j, (p, c)) in prev.iter_mut().zip(cur.iter_mut()).enumerate() {
        *p = coef.get(2 * j).copied().unwrap_or(0.0);
        *c = coef.get(2 * j + 1).copied().unwrap_or(0.0);
    }
    for (j, (p, c)) in prev_e.iter_mut().zip(cur_e.iter_mut()).enumerate() {
        *p = coef_err.get(2 * j).copied().unwrap_or(0.0);
        *c = coef_err.get(2 * j + 1).copied().unwrap_or(0.0);
    }
    for i in 1..=n {
        let (p, ep) = (cur[0], cur_e[0]);
        if p + SAFETY * ep <= 0.0 {
            return Some(Stability::Unstable);
        }
        if p <= SAFETY * ep {
            return None;
        }
        if i == n {
            break;
        }
        // Row i+1: r[j] = prev[j+1] - q cur[j+1], q = prev[0] / cur[0]. It overwrites `prev`
        // (slot j is written after slot j+1 was read); only its first (n-i-1)/2 + 1 entries
        // are non-zero.
        let (w, ew) = (prev[0], prev_e[0]);
        // One division per row: it is on the critical path.
        let inv_p = 1.0 / p;
        let q = w * inv_p;
        let q_abs = q.abs();
        // |w/p - w*/p*| <= (ew + |q| ep) / (p - ep), and with ep / p < 1/2 (p > SAFETY ep),
        // 1 / (p - ep) <= (1 + 2 ep / p) / p; plus two roundings for q = w * fl(1/p).
        let eq = (ew + q_abs * ep) * inv_p * (1.0 + 2.0 * ep * inv_p) + 2.0 * U * q_abs;
        let len = (n - i - 1) / 2 + 1;
        for j in 0..len {
            let (x, y) = (prev[j + 1], cur[j + 1]);
            let prod = q * y;
            prev[j] = x - prod;
            prev_e[j] = prev_e[j + 1]
                + q_abs * cur_e[j + 1]
                + eq * (y.abs() + cur_e[j + 1])
                + U * (x.abs() + 2.0 * prod.abs());
        }
        prev[len..].fill(0.0);
        prev_e[len..].fill(0.0);
        std::mem::swap(&mut prev, &mut cur);
        std::mem::swap(&mut prev_e, &mut cur_e);
    }
    Some(Stability::Stable)
}

/// Bounded QR on the Hessenberg form in `ws.h`, then on `H + s I` for the retry shifts.
/// Returns the rightmost real part (of the scaled matrix, shift removed) and the shift used.
#[inline(never)]
fn qr_with_retries(
    ws: &mut StabilityWorkspace,
    frobenius: f64,
    stop_when_unstable: bool,
) -> Option<(f64, f64)> {
    let n = ws.n;
    let rms_row = frobenius / (n as f64).sqrt();
    let max_iter = QR_ITERATIONS_PER_ROW * n;
    for shift in std::iter::once(0.0).chain(QR_RETRY_SHIFTS.iter().map(|c| c * rms_row)) {
        ws.qr.copy_from_slice(&ws.h);
        for i in 0..n {
            ws.qr[i * n + i] += shift;
        }
        // An eigenvalue deflated to the right of the band decides the verdict: stop there.
        let enough = if stop_when_unstable {
            qr_band(n, frobenius, shift) + shift
        } else {
            f64::INFINITY
        };
        if let Some(max_re) = francis_max_real(&mut ws.qr, n, max_iter, enough) {
            return Some((max_re - shift, shift));
        }
    }
    None
}

/// Francis double-shift QR on the upper Hessenberg `h` (destroyed), eigenvalues only: each
/// sweep touches only the active window, which is all the eigenvalues need. Returns the largest
/// real part, or the first deflated real part above `enough` (the verdict needs no more), or
/// `None` after `max_iter` sweeps without full deflation.
fn francis_max_real(h: &mut [f64], n: usize, max_iter: usize, enough: f64) -> Option<f64> {
    let norm: f64 = h.iter().map(|x| x.abs()).sum();
    let mut max_re = f64::NEG_INFINITY;
    let mut hi = n; // active window is rows/columns lo..hi (exclusive)
    let mut sweeps = 0;
    let mut since_deflation = 0;
    while hi > 0 {
        let lo = deflation_point(h, n, hi - 1, norm);
        let size = hi - lo;
        if size <= 2 {
            let last = hi - 1;
            max_re = max_re.max(if size == 1 {
                h[last * n + last]
            } else {
                max_real_2x2(
                    h[lo * n + lo],
                    h[lo * n + last],
                    h[last * n + lo],
                    h[last * n + last],
                )
            });
            if max_re > enough {
                return Some(max_re);
            }
            hi = lo;
            since_deflation = 0;
            continue;
        }
        if sweeps == max_iter {
            return None;
        }
        sweeps += 1;
        since_deflation += 1;
        let (sum, prod) = if since_deflation % 10 == 0 {
            exceptional_shifts(h, n, hi - 1)
        } else {
            wilkinson_shifts(h, n, hi - 1)
        };
        francis_sweep(h, n, lo, hi - 1, sum, prod);
    }
    Some(max_re)
}

/// Start of the unreduced block ending at row `last`: the largest `l <= last` with a negligible
/// `h[l][l-1]` (set to zero), or 0. Negligible means below `u` times its diagonal neighbours.
/// Width of the QR undecided band around the axis for a matrix of Frobenius norm `frobenius`
/// shifted by `shift` (see the module documentation).
fn qr_band(n: usize, frobenius: f64, shift: f64) -> f64 {
    QR_BAND_C * n as f64 * U * (frobenius + shift.abs() * (n as f64).sqrt())
}

fn deflation_point(h: &mut [f64], n: usize, last: usize, norm: f64) -> usize {
    let mut l = last;
    while l > 0 {
        let mut s = h[(l - 1) * n + l - 1].abs() + h[l * n + l].abs();
        if s == 0.0 {
            s = norm;
        }
        if h[l * n + l - 1].abs() <= U * s {
            h[l * n + l - 1] = 0.0;
            break;
        }
        l -= 1;
    }
    l
}

/// Largest real part of the eigenvalues of `[[a, b], [c, d]]`.
fn max_real_2x2(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let mean = 0.5 * (a + d);
    let half_diff = 0.5 * (a - d);
    let disc = half_diff * half_diff + b * c;
    if disc < 0.0 {
        return mean; // complex pair
    }
    // Real pair: take the larger-magnitude root without cancellation, the other from the
    // determinant, so a root near zero keeps its sign.
    let root = disc.sqrt();
    let big = if mean >= 0.0 {
        mean + root
    } else {
        mean - root
    };
    if big == 0.0 {
        return 0.0;
    }
    let small = (a * d - b * c) / big;
    big.max(small)
}

/// Sum and product of the eigenvalues of the trailing 2x2 block (the standard double shift).
fn wilkinson_shifts(h: &[f64], n: usize, last: usize) -> (f64, f64) {
    let p = last - 1;
    let (a, b) = (h[p * n + p], h[p * n + last]);
    let (c, d) = (h[last * n + p], h[last * n + last]);
    (a + d, a * d - b * c)
}

/// Ad hoc shifts (as in EISPACK/LAPACK) used every 10 sweeps without deflation, to break the
/// cycles the standard shifts can fall into (e.g. a pure cycle matrix).
fn exceptional_shifts(h: &[f64], n: usize, last: usize) -> (f64, f64) {
    let s = h[last * n + last - 1].abs() + h[(last - 1) * n + last - 2].abs();
    let x = 0.75 * s + h[last * n + last];
    (2.0 * x, x * x + 0.4375 * s * s)
}

/// One implicit double-shift sweep on the block `lo..=last` (at least 3x3): a 3x3 reflector
/// from the first column of `(H - s1 I)(H - s2 I)`, then chasing the bulge down.
fn francis_sweep(h: &mut [f64], n: usize, lo: usize, last: usize, sum: f64, prod: f64) {
    let (h00, h01) = (h[lo * n + lo], h[lo * n + lo + 1]);
    let (h10, h11) = (h[(lo + 1) * n + lo], h[(lo + 1) * n + lo + 1]);
    let h21 = h[(lo + 2) * n + lo + 1];
    let mut x = h00 * h00 + h01 * h10 - sum * h00 + prod;
    let mut y = h10 * (h00 + h11 - sum);
    let mut z = h10 * h21;
    for k in lo..last - 1 {
        let r = Reflector::new(x, [y, z]);
        if k > lo {
            // Column k-1 becomes (beta, 0, 0) in rows k..k+3.
            h[k * n + k - 1] = r.beta;
            h[(k + 1) * n + k - 1] = 0.0;
            h[(k + 2) * n + k - 1] = 0.0;
        }
        r.apply_left(h, n, k, k..=last);
        r.apply_right(h, n, k, lo..=(k + 3).min(last));
        x = h[(k + 1) * n + k];
        y = h[(k + 2) * n + k];
        if k + 3 <= last {
            z = h[(k + 3) * n + k];
        }
    }
    // Last step: a 2x2 reflector on rows/columns last-1, last.
    let k = last - 1;
    let r = Reflector::new(x, [y, 0.0]);
    h[k * n + k - 1] = r.beta;
    h[(k + 1) * n + k - 1] = 0.0;
    r.apply_left(h, n, k, k..=last);
    r.apply_right(h, n, k, lo..=last);
}

/// Householder reflector `I - tau [1, v1, v2] [1, v1, v2]^T` mapping `(x, y, z)` to
/// `(beta, 0, 0)`. With `v2 = 0` it acts on two rows only.
struct Reflector {
    beta: f64,
    tau: f64,
    v: [f64; 2],
}

impl Reflector {
    fn new(x: f64, tail: [f64; 2]) -> Self {
        let [y, z] = tail;
        if y == 0.0 && z == 0.0 {
            return Self {
                beta: x,
                tau: 0.0,
                v: [0.0; 2],
            };
        }
        // The matrix is scaled to entries of about 1, so the squares cannot overflow; only
        // when they may have underflowed is it worth rescaling (three more divisions on the
        // critical path of the sweep).
        let sq = x * x + y * y + z * z;
        let norm = if sq > 1e-280 {
            sq.sqrt()
        } else {
            let s = x.abs() + y.abs() + z.abs();
            let (xs, ys, zs) = (x / s, y / s, z / s);
            s * (xs * xs + ys * ys + zs * zs).sqrt()
        };
        let beta = if x >= 0.0 { -norm } else { norm };
        let inv = 1.0 / (x - beta);
        Self {
            beta,
            tau: (beta - x) / beta,
            v: [y * inv, z * inv],
        }
    }

    /// Rows `k..k+3` (or `k..k+2`), the given columns.
    fn apply_left(&self, h: &mut [f64], n: usize, k: usize, cols: std::ops::RangeInclusive<usize>) {
        if self.tau == 0.0 {
            return;
        }
        let [v1, v2] = self.v;
        let three = v2 != 0.0;
        for j in cols {
            let mut s = h[k * n + j] + v1 * h[(k + 1) * n + j];
            if three {
                s += v2 * h[(k + 2) * n + j];
            }
            s *= self.tau;
            h[k * n + j] -= s;
            h[(k + 1) * n + j] -= s * v1;
            if three {
                h[(k + 2) * n + j] -= s * v2;
            }
        }
    }

    /// Columns `k..k+3` (or `k..k+2`), the given rows.
    fn apply_right(
        &self,
        h: &mut [f64],
        n: usize,
        k: usize,
        rows: std::ops::RangeInclusive<usize>,
    ) {
        if self.tau == 0.0 {
            return;
        }
        let [v1, v2] = self.v;
        let three = v2 != 0.0;
        for i in rows {
            let row = &mut h[i * n + k..];
            let mut s = row[0] + v1 * row[1];
            if three {
                s += v2 * row[2];
            }
            s *= self.tau;
            row[0] -= s;
            row[1] -= s * v1;
            if three {
                row[2] -= s * v2;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// Tiny xorshift64* so the tests need no external crate.
    struct XorShift(u64);

    impl XorShift {
        fn uniform(&mut self) -> f64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
        }

        /// Signed community matrix: diagonal -U(0,1), each off-diagonal link present with
        /// probability `density`, magnitude U(0,1), random sign.
        fn community(&mut self, n: usize, density: f64) -> Vec<f64> {
            let mut a = vec![0.0; n * n];
            for i in 0..n {
                for j in 0..n {
                    a[i * n + j] = if i == j {
                        -self.uniform()
                    } else if self.uniform() < density {
                        let sign = if self.uniform() < 0.5 { -1.0 } else { 1.0 };
                        sign * self.uniform()
                    } else {
                        0.0
                    };
                }
            }
            a
        }
    }

    fn detailed(a: &[f64], n: usize) -> (Stability, DecidedBy) {
        classify_detailed(a, n, &mut StabilityWorkspace::new(n))
    }

    #[test]
    fn sized_instances_decide_as_the_general_body() {
        // Every size with its own instance, and one past: the same verdict by the same step
        // and the same numbers (the instances run the same operations, with their steps
        // written out), over matrices that reach every step.
        let mut rng = XorShift(0x1234_5678_9abc_def1);
        let mut steps = std::collections::HashSet::new();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for n in 1..=17 {
            let (mut ws, mut general) = (StabilityWorkspace::new(n), StabilityWorkspace::new(n));
            for density in [0.2, 0.5, 0.9] {
                for _ in 0..40 {
                    let a = rng.community(n, density);
                    let sized = classify_detailed(&a, n, &mut ws);
                    assert_eq!(
                        sized,
                        classify_any::<0>(&a, n, &mut general),
                        "n = {n}: {a:?}"
                    );
                    // The same operations: the same Hessenberg form and polynomial, to the bit.
                    assert_eq!(bits(&ws.h), bits(&general.h), "n = {n}: {a:?}");
                    assert_eq!(bits(&ws.coef), bits(&general.coef), "n = {n}: {a:?}");
                    steps.insert(format!("{:?}", sized.1));
                }
            }
        }
        for step in ["Gershgorin", "Routh"] {
            assert!(steps.contains(step), "no matrix reached {step}: {steps:?}");
        }
    }

    fn max_re(a: &[f64], n: usize) -> Option<f64> {
        max_real_eigenvalue(a, n, &mut StabilityWorkspace::new(n))
    }

    /// `n`-cycle permutation matrix plus `diag * I`: eigenvalues `diag + exp(2 pi i k / n)`.
    fn cycle(n: usize, diag: f64) -> Vec<f64> {
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            a[i * n + (i + 1) % n] = 1.0;
            a[i * n + i] = diag;
        }
        a
    }

    /// `Q D Q` with `Q = I - 2 v v^T / v^T v` (orthogonal and symmetric) and `D` block diagonal
    /// with 2x2 blocks `[[re, im], [-im, re]]` (eigenvalues `re +- i im`) and 1x1 blocks `re`.
    fn with_spectrum(blocks: &[(f64, f64)], rng: &mut XorShift) -> (Vec<f64>, usize) {
        let n: usize = blocks
            .iter()
            .map(|&(_, im)| if im == 0.0 { 1 } else { 2 })
            .sum();
        let mut d = vec![0.0; n * n];
        let mut i = 0;
        for &(re, im) in blocks {
            d[i * n + i] = re;
            if im != 0.0 {
                d[i * n + i + 1] = im;
                d[(i + 1) * n + i] = -im;
                d[(i + 1) * n + i + 1] = re;
                i += 1;
            }
            i += 1;
        }
        let v: Vec<f64> = (0..n).map(|_| rng.uniform() - 0.5).collect();
        let vv: f64 = v.iter().map(|x| x * x).sum();
        let q: Vec<f64> = (0..n * n)
            .map(|k| f64::from(u8::from(k / n == k % n)) - 2.0 * v[k / n] * v[k % n] / vv)
            .collect();
        let mul = |x: &[f64], y: &[f64]| -> Vec<f64> {
            (0..n * n)
                .map(|k| (0..n).map(|m| x[k / n * n + m] * y[m * n + k % n]).sum())
                .collect()
        };
        (mul(&mul(&q, &d), &q), n)
    }

    #[test]
    fn hand_worked_two_by_two() {
        // Eigenvalues -1 +- i.
        assert_eq!(
            detailed(&[-1.0, 1.0, -1.0, -1.0], 2),
            (Stability::Stable, DecidedBy::Routh)
        );
        // Eigenvalues 1 and -3.
        assert_eq!(
            detailed(&[-1.0, 2.0, 2.0, -1.0], 2),
            (Stability::Unstable, DecidedBy::Routh)
        );
        let m = max_re(&[-1.0, 2.0, 2.0, -1.0], 2).unwrap();
        assert!((m - 1.0).abs() < 1e-14, "{m}");
    }

    #[test]
    fn cheap_tests_decide_the_obvious_cases() {
        // Zero diagonal: trace 0, so not stable.
        assert_eq!(
            detailed(&[0.0, 1.0, -1.0, 0.0], 2),
            (Stability::Unstable, DecidedBy::Trace)
        );
        assert_eq!(detailed(&[0.0], 1), (Stability::Unstable, DecidedBy::Trace));
        assert_eq!(
            detailed(&[-2.0], 1),
            (Stability::Stable, DecidedBy::Gershgorin)
        );
        // Diagonally dominant rows.
        let a = [-3.0, 1.0, 1.0, 0.5, -2.0, 1.0, 1.0, 1.0, -2.5];
        assert_eq!(detailed(&a, 3), (Stability::Stable, DecidedBy::Gershgorin));
        // Columns dominant although the first row is not.
        let a = [-1.0, 0.9, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, -1.0];
        assert_eq!(detailed(&a, 3).0, Stability::Stable);
        assert_eq!(detailed(&[], 0), (Stability::Stable, DecidedBy::Trace));
    }

    #[test]
    fn exact_zero_eigenvalue_is_certified_unstable() {
        // Eigenvalues 0 and -1: the constant coefficient is exactly 0 with a zero bound.
        assert_eq!(
            detailed(&[0.0, 0.0, 0.0, -1.0], 2),
            (Stability::Unstable, DecidedBy::Routh)
        );
        // Singular 3x3 with a negative trace: the determinant is computed as exactly 0 but its
        // rounding bound is not 0, so Routh passes it on and QR puts it in the band.
        let a = [-1.0, 1.0, 0.0, 1.0, -1.0, 0.0, 0.0, 0.0, -1.0];
        assert_eq!(detailed(&a, 3), (Stability::Undecided, DecidedBy::None));
    }

    #[test]
    fn imaginary_axis_pair_is_never_called_stable() {
        // Eigenvalues +-i and -1.
        let a = [0.0, 1.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, -1.0];
        assert_ne!(detailed(&a, 3).0, Stability::Stable);
        assert!(max_re(&a, 3).unwrap().abs() < 1e-14);
    }

    #[test]
    fn eight_cycle_returns_quickly() {
        // The pure 8-cycle makes nalgebra's unbounded eigenvalue loop spin forever.
        let start = Instant::now();
        let a = cycle(8, 0.0);
        assert_eq!(detailed(&a, 8), (Stability::Unstable, DecidedBy::Trace));
        let m = max_re(&a, 8).expect("bounded QR with retries converges");
        assert!((m - 1.0).abs() < 1e-10, "{m}");
        // With self-damping the trace no longer decides: eigenvalues -0.5 + exp(2 pi i k / 8).
        let a = cycle(8, -0.5);
        assert_eq!(detailed(&a, 8).0, Stability::Unstable);
        assert!((max_re(&a, 8).unwrap() - 0.5).abs() < 1e-10);
        let a = cycle(8, -1.5);
        assert_eq!(detailed(&a, 8).0, Stability::Stable);
        assert!(start.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn cycles_of_every_size_terminate() {
        for n in 2..=40 {
            for diag in [0.0, -0.25, -1.0, -1.5] {
                let a = cycle(n, diag);
                let m = max_re(&a, n).expect("converges with retries");
                assert!(
                    (m - (diag + 1.0)).abs() < 1e-8,
                    "n = {n}, diag = {diag}: {m}"
                );
                let got = detailed(&a, n).0;
                // diag = -1 puts the eigenvalue 1 + diag on the axis: any verdict but Stable.
                match diag + 1.0 {
                    r if r > 0.0 => assert_eq!(got, Stability::Unstable, "n = {n}, diag = {diag}"),
                    r if r < 0.0 => assert_eq!(got, Stability::Stable, "n = {n}, diag = {diag}"),
                    _ => assert_ne!(got, Stability::Stable, "n = {n}, diag = {diag}"),
                }
            }
        }
    }

    #[test]
    fn known_qr_traps_terminate_with_the_right_answer() {
        // nalgebra issue #611: companion matrix of z^11 - c, eigenvalues c^(1/11) e^(2 pi i k/11).
        let (n, c) = (11, 1.774_809_211_101_797_7_f64);
        let mut a = vec![0.0; n * n];
        a[n - 1] = c;
        for i in 1..n {
            a[i * n + i - 1] = 1.0;
        }
        let m = max_re(&a, n).unwrap();
        assert!((m - c.powf(1.0 / 11.0)).abs() < 1e-12, "{m}");
        // Day's example of shifted-QR stagnation, eigenvalues near +-1.
        for delta in [1e-4, 1e-8, 1e-12, 0.0] {
            let a = [
                0.0, 1.0, 0.0, 0.0, 1.0, 0.0, -delta, 0.0, 0.0, delta, 0.0, -1.0, 0.0, 0.0, 1.0,
                0.0,
            ];
            let m = max_re(&a, 4).unwrap();
            assert!((m - 1.0).abs() < 1e-6, "delta {delta}: {m}");
        }
    }

    #[test]
    fn qr_gives_up_when_its_budget_is_spent() {
        let mut ws = StabilityWorkspace::new(8);
        load_scaled(&cycle(8, 0.0), 8, &mut ws).unwrap();
        hessenberg::<0>(&mut ws.h, 8, &mut ws.v, &mut ws.w);
        ws.qr.copy_from_slice(&ws.h);
        assert_eq!(francis_max_real(&mut ws.qr, 8, 0, f64::INFINITY), None);
        // An already triangular matrix needs no sweep at all.
        let mut tri = [-1.0, 5.0, 2.0, 0.0, -2.0, 7.0, 0.0, 0.0, 0.5];
        assert_eq!(francis_max_real(&mut tri, 3, 0, f64::INFINITY), Some(0.5));
        // Asked to stop at the first eigenvalue right of 0, it does not look further.
        let mut tri = [-1.0, 5.0, 2.0, 0.0, 3.0, 7.0, 0.0, 0.0, 0.5];
        assert_eq!(francis_max_real(&mut tri, 3, 0, 0.0), Some(0.5));
    }

    #[test]
    fn non_finite_entries_are_undecided() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let a = [-1.0, bad, 0.0, -1.0];
            assert_eq!(
                detailed(&a, 2),
                (Stability::Undecided, DecidedBy::NonFinite)
            );
            assert_eq!(max_re(&a, 2), None);
        }
    }

    #[test]
    fn verdicts_do_not_depend_on_a_power_of_two_scale() {
        // The row discs are tried on the matrix as given, before the scaling: at any scale where
        // scaling is exact, every step must decide as on the unscaled matrix.
        let mut rng = XorShift(0x0bad_5eed_1234_5678);
        let mut by_rows = 0;
        for n in 2..=9 {
            let mut ws = StabilityWorkspace::new(n);
            for density in [0.3, 0.8] {
                for _ in 0..30 {
                    let a = rng.community(n, density);
                    let want = classify_detailed(&a, n, &mut ws);
                    by_rows += usize::from(want.1 == DecidedBy::Gershgorin);
                    for e in [-900, -300, 300, 900] {
                        let s = 2f64.powi(e);
                        let scaled: Vec<f64> = a.iter().map(|x| x * s).collect();
                        let got = classify_detailed(&scaled, n, &mut ws);
                        assert_eq!(got, want, "n = {n}, scale 2^{e}: {a:?}");
                    }
                }
            }
        }
        assert!(by_rows > 0, "no matrix was decided by its discs");
    }

    #[test]
    fn scale_does_not_matter() {
        let base = [-1.0, 1.0, 0.5, -1.0, -1.0, 0.0, 0.2, 0.7, -0.3];
        let want = detailed(&base, 3);
        for s in [1e-300, 1e-150, 1e-8, 3.0, 1e150, 1e300] {
            let a: Vec<f64> = base.iter().map(|x| x * s).collect();
            assert_eq!(detailed(&a, 3), want, "scale {s}");
        }
    }

    #[test]
    fn known_spectra_are_classified_and_located() {
        let mut rng = XorShift(0x1234_5678_9abc_def1);
        for trial in 0..300 {
            let blocks: Vec<(f64, f64)> = (0..1 + trial % 10)
                .map(|_| {
                    let re = -rng.uniform() * 2.0;
                    let im = if rng.uniform() < 0.5 {
                        0.0
                    } else {
                        rng.uniform() * 3.0
                    };
                    (re, im)
                })
                .collect();
            let right = blocks.iter().map(|b| b.0).fold(f64::NEG_INFINITY, f64::max);
            // Put the rightmost eigenvalue on either side of the axis by a clear margin.
            let shift = if trial % 2 == 0 {
                -right - 0.01
            } else {
                -right + 0.01
            };
            let shifted: Vec<(f64, f64)> =
                blocks.iter().map(|&(re, im)| (re + shift, im)).collect();
            let (a, n) = with_spectrum(&shifted, &mut rng);
            let m = max_re(&a, n).unwrap();
            assert!(
                (m - (right + shift)).abs() < 1e-9,
                "trial {trial}: {m} vs {}",
                right + shift
            );
            let want = if trial % 2 == 0 {
                Stability::Stable
            } else {
                Stability::Unstable
            };
            assert_eq!(detailed(&a, n).0, want, "trial {trial}");
        }
    }

    #[test]
    fn routh_verdicts_agree_with_qr_on_random_community_matrices() {
        let mut rng = XorShift(0xdead_beef_cafe_f00d);
        let mut by_routh = 0;
        for trial in 0..3000 {
            let n = 2 + trial % 14;
            let a = rng.community(n, 0.3);
            let (verdict, by) = detailed(&a, n);
            let m = max_re(&a, n).unwrap();
            match verdict {
                Stability::Stable => assert!(m < 0.0, "trial {trial} ({by:?}): max Re {m}"),
                Stability::Unstable => assert!(m > -1e-12, "trial {trial} ({by:?}): max Re {m}"),
                Stability::Undecided => assert!(m.abs() < 1e-10, "trial {trial}: max Re {m}"),
            }
            by_routh += usize::from(by == DecidedBy::Routh);
        }
        assert!(by_routh > 1000, "Routh decided only {by_routh} of 3000");
    }

    #[test]
    #[should_panic(expected = "workspace was made for another n")]
    fn workspace_size_is_checked() {
        classify(&[-1.0], 1, &mut StabilityWorkspace::new(2));
    }
}
