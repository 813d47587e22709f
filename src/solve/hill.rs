//! The Netflux normalized-Hill activation curve (Kraeutler et al. 2010) and the draw of its
//! parameters inside their valid domain.
//!
//! `f(x) = w B x^n / (K^n + x^n)` with `B = (EC50^n - 1) / (2 EC50^n - 1)` and `K^n = B - 1`,
//! so that `f(0) = 0`, `f(EC50) = w / 2` and `f(1) = w`. The curve only exists while
//! `EC50^n < 1/2` (otherwise `B` is infinite or negative). Levels below 0 count as 0 and the
//! result is capped at `w`, because node levels above 1 (over-expression, `ymax > 1`) must not
//! give a reaction more than full activation.

use crate::scenario::dist::Dist;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use statrs::distribution::ContinuousCDF;

/// The largest `EC50^n` used. The exact bound 1/2 makes `B` infinite; the margin keeps it finite
/// (below about 1e9) while moving EC50 by less than one part in 1e9.
const MAX_EC50_POW_N: f64 = 0.5 * (1.0 - 1e-9);

/// One reaction's curve, with `B` and `K^n` worked out once per draw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hill {
    n: f64,
    b: f64,
    /// `K^n = B - 1`: the curve needs only this power of K.
    kn: f64,
}

impl Hill {
    /// The curve for Hill coefficient `n` and half-maximal level `ec50`; `None` outside the
    /// domain `n > 0`, `0 < EC50`, `EC50^n < 1/2`.
    pub fn new(n: f64, ec50: f64) -> Option<Hill> {
        let ec50_n = ec50.powf(n);
        let valid = n > 0.0 && ec50 > 0.0 && ec50_n <= MAX_EC50_POW_N;
        valid.then(|| Hill::from_power(n, ec50_n))
    }

    /// The curve for `n` and `EC50^n`, which the caller has checked.
    fn from_power(n: f64, ec50_n: f64) -> Hill {
        let b = (ec50_n - 1.0) / (2.0 * ec50_n - 1.0);
        Hill { n, b, kn: b - 1.0 }
    }

    /// The Hill coefficient.
    pub fn n(&self) -> f64 {
        self.n
    }

    /// `f(x) / w`, the fraction of full activation in [0, 1].
    #[inline]
    pub fn fraction(&self, x: f64) -> f64 {
        if x > 0.0 {
            // exp(n ln x) is faster than glibc's pow and as accurate (1e-15) for levels.
            self.fraction_of_power((self.n * x.ln()).exp())
        } else {
            // Also catches NaN, so a broken state never activates anything.
            0.0
        }
    }

    /// `f(x) / w` from `x^n` (for callers that compute the power faster, [`PowerTable`]).
    #[inline]
    pub fn fraction_of_power(&self, x_n: f64) -> f64 {
        (self.b * x_n / (self.kn + x_n)).min(1.0)
    }

    /// `f(x)` for weight `w`.
    pub fn activation(&self, x: f64, w: f64) -> f64 {
        w * self.fraction(x)
    }
}

/// `x^n` for one fixed `n`, from tables instead of a libm `pow` call (which is most of the ode
/// method's time). With `x = 2^e m`, `m` in [1, 2): `x^n = 2^(e n) m0^n (1 + d)^n`, where `m0`
/// is `m` cut to 10 bits, `d = (m - m0) / m0 < 2^-10`, and `(1 + d)^n` is its binomial series
/// to `d^5`, whose next term is below `(n d)^6 / 720`: under an ulp for `n` up to
/// [`MAX_TABLE_EXPONENT`], beyond which `pow` falls back to `powf`. Both tables come from
/// `powf`, and the result is within 4 ulps of `x.powf(n)` (tested from 1e-30 to 4).
#[derive(Debug, Clone)]
pub struct PowerTable {
    n: f64,
    /// `2^(e n)` for every exponent of a normal double, `e` from -1022 to 1023 (arrays, so the
    /// masked indices below need no bounds checks).
    by_exponent: Box<[f64; EXPONENTS]>,
    /// `(m0^n, 1 / m0)` for `m0 = 1 + j / 1024`.
    by_mantissa: Box<[(f64, f64); MANTISSAS]>,
    /// Binomial coefficients `C(n, k)` for k = 1..5.
    series: [f64; 5],
}

/// Largest exponent computed from the tables (Hill coefficients are rarely above 4).
pub const MAX_TABLE_EXPONENT: f64 = 8.0;

/// Mantissa bits that index [`PowerTable::by_mantissa`].
const MANTISSA_INDEX_BITS: u32 = 10;
const MANTISSAS: usize = 1 << MANTISSA_INDEX_BITS;
/// Exponents of normal doubles, -1022 to 1023, rounded up to a power of two for the mask.
const MIN_EXPONENT: i32 = -1022;
const EXPONENTS: usize = 2048;

impl PowerTable {
    pub fn new(n: f64) -> Self {
        // e n rounded would cost |e n| ulps (1e-14 at e = -100); with n = high + low, where high
        // keeps 42 bits, e * high is exact (|e| < 2^11) and e * low is tiny.
        let high = f64::from_bits(n.to_bits() & !((1 << 11) - 1));
        let low = n - high;
        let mut by_exponent = Box::new([0.0; EXPONENTS]);
        for (e, entry) in (MIN_EXPONENT..).zip(by_exponent.iter_mut()) {
            let e = f64::from(e);
            *entry = 2f64.powf(e * high) * 2f64.powf(e * low);
        }
        let mut by_mantissa = Box::new([(0.0, 0.0); MANTISSAS]);
        for (j, entry) in (0u32..).zip(by_mantissa.iter_mut()) {
            let m0 = 1.0 + f64::from(j) / MANTISSAS as f64;
            *entry = (m0.powf(n), 1.0 / m0);
        }
        let mut series = [0.0; 5];
        let mut coefficient = 1.0;
        for (k, c) in series.iter_mut().enumerate() {
            coefficient *= (n - k as f64) / (k + 1) as f64;
            *c = coefficient;
        }
        PowerTable {
            n,
            by_exponent,
            by_mantissa,
            series,
        }
    }

    /// The exponent.
    pub fn n(&self) -> f64 {
        self.n
    }

    /// `x^n` for `x > 0` (`powf` for subnormal and non-finite `x`, which levels never are).
    #[inline]
    pub fn pow(&self, x: f64) -> f64 {
        const MANTISSA_BITS: u32 = 52;
        const MANTISSA: u64 = (1 << MANTISSA_BITS) - 1;
        /// The mantissa bits below the table index.
        const BELOW_INDEX: u64 = (1 << (MANTISSA_BITS - MANTISSA_INDEX_BITS)) - 1;
        let bits = x.to_bits();
        let biased = (bits >> MANTISSA_BITS) as usize;
        // Exponent field 0 (subnormal) or all ones (inf, NaN): not worth a table.
        if biased == 0 || biased >= 0x7ff || self.n > MAX_TABLE_EXPONENT {
            return x.powf(self.n);
        }
        // m in [1, 2) and m0, m cut to the indexed bits.
        let m_bits = (bits & MANTISSA) | 1f64.to_bits();
        let m = f64::from_bits(m_bits);
        let m0 = f64::from_bits(m_bits & !BELOW_INDEX);
        let j = ((bits & MANTISSA) >> (MANTISSA_BITS - MANTISSA_INDEX_BITS)) as usize;
        let (m0_n, inverse_m0) = self.by_mantissa[j & (MANTISSAS - 1)];
        let d = (m - m0) * inverse_m0;
        let [c1, c2, c3, c4, c5] = self.series;
        let tail = 1.0 + d * (c1 + d * (c2 + d * (c3 + d * (c4 + d * c5))));
        // The biased exponent b is e = b - 1023, at index e + 1022 = b - 1 of the table.
        self.by_exponent[(biased - 1) & (EXPONENTS - 1)] * m0_n * tail
    }
}

/// Draws a reaction's `(n, EC50)` inside the valid domain.
///
/// `n` is drawn from its distribution restricted to values for which some EC50 of the EC50
/// distribution is valid (`n > ln(1/2) / ln(EC50_min)`), then EC50 from its distribution
/// restricted to `EC50^n < 1/2`, both by inverse-CDF sampling of the truncated distribution:
/// exact, one uniform number each, no rejection loop. Validation guarantees both ranges hold
/// some probability; should rounding leave one empty, the value is clamped to the range.
pub fn draw_hill(n: &Dist, ec50: &Dist, rng: &mut ChaCha8Rng) -> Hill {
    let (ec50_low, _) = ec50.support();
    let n_low = if ec50_low > 0.0 && ec50_low < 1.0 {
        MAX_EC50_POW_N.ln() / ec50_low.ln()
    } else {
        0.0
    };
    let n_value = draw_within(n, n_low, f64::INFINITY, rng);
    let ec50_high = MAX_EC50_POW_N.powf(1.0 / n_value);
    let ec50_value = draw_within(ec50, 0.0, ec50_high, rng);
    // The clamps in draw_within put both values inside the domain, so this cannot fail; the
    // fallback is the Netflux default curve rather than a panic.
    Hill::new(n_value, ec50_value).unwrap_or_default()
}

impl Default for Hill {
    /// The Netflux default curve: n = 1.4, EC50 = 0.5.
    fn default() -> Self {
        Hill::from_power(1.4, 0.5f64.powf(1.4))
    }
}

/// A draw from `dist` restricted to `(low, high)`: plain sampling when the support lies inside,
/// inverse-CDF sampling of the truncated distribution otherwise.
fn draw_within(dist: &Dist, low: f64, high: f64, rng: &mut ChaCha8Rng) -> f64 {
    let (min, max) = dist.support();
    if min > low && max < high {
        return dist.sample(rng);
    }
    let u: f64 = rng.random();
    let value = match dist {
        Dist::Fixed(v) => *v,
        Dist::Uniform(d) => truncated(d, low, high, u),
        Dist::Normal(d) => truncated(d, low, high, u),
        Dist::LogNormal(d) => truncated(d, low, high, u),
        Dist::Beta(d) => truncated(d, low, high, u),
        Dist::Triangular(d) => truncated(d, low, high, u),
    };
    // Strictly inside: the bounds themselves are outside the domain. (max/min rather than
    // clamp, which panics should rounding ever cross the bounds.)
    value.max(low.next_up()).min(high.next_down())
}

/// `F^-1(F(low) + u (F(high) - F(low)))`: the quantile `u` of the distribution truncated to
/// `[low, high]`.
fn truncated<D: ContinuousCDF<f64, f64>>(d: &D, low: f64, high: f64, u: f64) -> f64 {
    let p_low = d.cdf(low.max(d.min()));
    let p_high = d.cdf(high.min(d.max()));
    let p = p_low + u * (p_high - p_low);
    // statrs panics outside [0, 1]; NaN is mapped to the lower end.
    let p = if p.is_finite() {
        p.clamp(0.0, 1.0)
    } else {
        0.0
    };
    d.inverse_cdf(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn netflux_defaults_give_b_and_k_from_the_formula() {
        let h = Hill::new(1.4, 0.5).unwrap();
        let e = 0.5f64.powf(1.4);
        let b = (e - 1.0) / (2.0 * e - 1.0);
        assert!((h.b - b).abs() < 1e-15);
        assert!((h.kn - (b - 1.0)).abs() < 1e-15);
        assert!(b > 2.56 && b < 2.57, "B = {b}");
    }

    #[test]
    fn curve_passes_through_zero_half_and_full() {
        for (n, ec50) in [(1.4, 0.5), (1.0, 0.3), (3.0, 0.7), (0.8, 0.2)] {
            let h = Hill::new(n, ec50).unwrap();
            assert_eq!(h.activation(0.0, 0.8), 0.0);
            assert!((h.activation(ec50, 0.8) - 0.4).abs() < 1e-12, "n {n}");
            assert!((h.activation(1.0, 0.8) - 0.8).abs() < 1e-12, "n {n}");
            assert_eq!(h.activation(-0.3, 1.0), 0.0);
            assert_eq!(h.activation(f64::NAN, 1.0), 0.0);
            assert_eq!(h.activation(5.0, 1.0), 1.0, "capped at w");
        }
    }

    #[test]
    fn power_table_matches_powf() {
        for n in [0.05, 0.5, 1.0, 1.4, 2.7, 4.0, 8.0, 30.0] {
            let table = PowerTable::new(n);
            let mut worst = 0.0f64;
            let mut x: f64 = 1e-30;
            while x < 4.0 {
                let exact = x.powf(n);
                let relative = (table.pow(x) - exact).abs() / exact;
                worst = worst.max(relative);
                x *= 1.000_37;
            }
            assert!(worst < 4.0 * f64::EPSILON, "n {n}: {worst:e}");
            assert_eq!(table.pow(1.0), 1.0);
            let two = 2f64.powf(n);
            assert!(
                (table.pow(2.0) - two).abs() <= 2.0 * f64::EPSILON * two,
                "n {n}"
            );
        }
        let table = PowerTable::new(1.4);
        assert_eq!(
            table.pow(1e-310),
            1e-310f64.powf(1.4),
            "subnormal falls back"
        );
        assert_eq!(table.pow(f64::INFINITY), f64::INFINITY);
    }

    #[test]
    fn rejects_parameters_outside_the_domain() {
        assert!(Hill::new(1.4, 0.62).is_none(), "0.62^1.4 > 1/2");
        assert!(Hill::new(1.4, 0.6).is_some());
        assert!(Hill::new(0.0, 0.5).is_none());
        assert!(Hill::new(1.0, 0.0).is_none());
        assert!(Hill::new(1.0, 0.5).is_none(), "EC50^n = 1/2 exactly");
    }

    #[test]
    fn draws_stay_inside_the_domain_and_keep_the_in_domain_shape() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let n = Dist::parse("uniform(0.5, 3)").unwrap();
        let ec50 = Dist::parse("uniform(0.1, 0.9)").unwrap();
        let mut below_half = 0;
        for _ in 0..20_000 {
            let h = draw_hill(&n, &ec50, &mut rng);
            // Inside the domain exactly when B is finite and above 1 (K^n > 0).
            assert!(h.b > 1.0 && h.b.is_finite() && h.kn > 0.0, "{h:?}");
            assert!((0.5..=3.0).contains(&h.n));
            if h.n < 1.0 {
                below_half += 1;
            }
        }
        // n below ln(1/2)/ln(0.1) = 0.301 is impossible here, so all of [0.5, 1) is allowed:
        // its share of the uniform stays 0.5 / 2.5 = 20 %.
        let share = f64::from(below_half) / 20_000.0;
        assert!((share - 0.2).abs() < 0.015, "{share}");
    }

    #[test]
    fn truncation_removes_only_the_invalid_part() {
        // n fixed at 1.4: EC50 must stay below 0.5^(1/1.4) = 0.6095.
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let n = Dist::Fixed(1.4);
        let ec50 = Dist::parse("uniform(0.4, 0.8)").unwrap();
        let bound = 0.5f64.powf(1.0 / 1.4);
        let mut sum = 0.0;
        for _ in 0..20_000 {
            let _ = draw_hill(&n, &ec50, &mut rng);
            let value = draw_within(&ec50, 0.0, bound, &mut rng);
            assert!(value > 0.4 && value < bound);
            sum += value;
        }
        // Uniform on [0.4, 0.6095]: mean 0.5048.
        let mean = sum / 20_000.0;
        assert!((mean - (0.4 + bound) / 2.0).abs() < 0.003, "{mean}");
    }

    #[test]
    fn truncated_normal_and_beta_stay_in_range() {
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        for text in ["normal(0.5, 0.2)", "beta(2, 2)", "lognormal(-0.7, 0.5)"] {
            let d = Dist::parse(text).unwrap();
            for _ in 0..2000 {
                let v = draw_within(&d, 0.0, 0.55, &mut rng);
                assert!(v > 0.0 && v < 0.55, "{text}: {v}");
            }
        }
    }
}
