//! Exact sums of `f64`s, so that merging summaries is associative and commutative.
//!
//! Floating-point addition rounds, so `(a + b) + c` and `a + (b + c)` may differ in the last
//! bits, and a total built from block sums would depend on how the blocks were grouped (one
//! process, or a merge of shards). An [`ExactSum`] holds the sum of any number of `f64`s
//! without rounding: every finite `f64` is an integer multiple of 2^-1074, so the sum is one
//! (signed) integer in units of 2^-1074, kept as base-2^32 digits over the range its terms
//! actually reach (a few digits for realistic responses, at most about 70 for any input). Adding
//! and merging are exact, hence independent of order and grouping, and the form is canonical,
//! so equal sums also serialise to the same text. [`value`](ExactSum::value) rounds once, to
//! the nearest `f64` (ties to even).
//!
//! Samplers keep their cheap per-draw float sums inside a block (a block's draws come in a
//! fixed order); only block sums go into an `ExactSum`, once per block, so the per-draw path
//! does not pay for exactness.

use serde::{Deserialize, Serialize};
use std::iter;

/// Bits per digit: a digit plus a carry fits in `i64` with room to spare.
const DIGIT_BITS: u32 = 32;
const DIGIT_MASK: i64 = (1 << DIGIT_BITS) - 1;
/// Binary exponent of the unit, 2^-1074, the smallest subnormal.
const UNIT_EXPONENT: i32 = -1074;
/// Digits an exact sum can need: finite `f64`s reach 2^1024 = 2^2098 units, and 2^64 terms
/// add 64 bits more (70 · 32 = 2240 bits).
const MAX_DIGITS: i32 = 70;

/// The exact sum of `f64` terms. Non-finite terms (an overflowed block sum) are added as floats
/// on their own (`±inf` and NaN add associatively) and make the value non-finite.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Stored")]
pub struct ExactSum {
    /// Digit `k` weighs 2^(32 (offset + k)) units.
    #[serde(rename = "at")]
    offset: i32,
    /// Base-2^32 digits, lowest first; none zero at the low end, none equal to the sign's fill
    /// digit (0, or `u32::MAX` when negative) at the high end.
    digits: Vec<u32>,
    /// Two's complement: the value is the digits minus 2^(32 (offset + digits.len())) units.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    negative: bool,
    /// The float sum of the non-finite terms; 0 when there were none.
    #[serde(
        default,
        with = "crate::shard::exact",
        skip_serializing_if = "is_plain_zero"
    )]
    special: f64,
}

fn is_plain_zero(x: &f64) -> bool {
    x.to_bits() == 0
}

/// What a part file holds, checked before it becomes an [`ExactSum`].
#[derive(Deserialize)]
struct Stored {
    at: i32,
    digits: Vec<u32>,
    #[serde(default)]
    negative: bool,
    #[serde(default, with = "crate::shard::exact")]
    special: f64,
}

impl TryFrom<Stored> for ExactSum {
    type Error = String;

    fn try_from(s: Stored) -> Result<ExactSum, String> {
        let sum = ExactSum {
            offset: s.at,
            digits: s.digits,
            negative: s.negative,
            special: s.special,
        };
        let top = i64::from(sum.offset) + sum.digits.len() as i64;
        let mut canonical = sum.clone();
        canonical.trim();
        if sum.offset < 0 || top > i64::from(MAX_DIGITS) || canonical != sum {
            return Err(format!(
                "an exact sum's digits (at {}, {} digits) are not in canonical form",
                s.at,
                sum.digits.len()
            ));
        }
        Ok(sum)
    }
}

impl ExactSum {
    /// Adds `x` exactly.
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            self.special += x;
            return;
        }
        let bits = x.to_bits();
        let biased = ((bits >> 52) & 0x7ff) as i32;
        let fraction = bits & ((1 << 52) - 1);
        // x = mantissa · 2^position units (subnormals have the exponent of the smallest normal).
        let (mantissa, position) = if biased == 0 {
            (fraction, 0)
        } else {
            (fraction | 1 << 52, biased - 1)
        };
        if mantissa == 0 {
            return;
        }
        let wide = u128::from(mantissa) << (position % DIGIT_BITS as i32);
        let chunks = [wide as u32, (wide >> 32) as u32, (wide >> 64) as u32];
        self.add_digits(position / DIGIT_BITS as i32, &chunks, x.is_sign_negative());
    }

    /// Adds `other` exactly.
    pub fn merge(&mut self, other: &ExactSum) {
        if !other.digits.is_empty() {
            self.add_digits(other.offset, &other.digits, false);
        }
        if other.negative {
            self.add_digits(other.top(), &[1], true);
        }
        self.special += other.special;
    }

    /// Whether nothing but zeros was added.
    pub fn is_zero(&self) -> bool {
        self.digits.is_empty() && !self.negative && is_plain_zero(&self.special)
    }

    /// The sum rounded once to the nearest `f64` (ties to even); `±inf` beyond `f64`'s range,
    /// and the non-finite terms' sum when there were any.
    pub fn value(&self) -> f64 {
        if !is_plain_zero(&self.special) {
            return self.special;
        }
        if !self.negative {
            return magnitude_value(&self.digits, self.offset);
        }
        -magnitude_value(&negated(&self.digits), self.offset)
    }

    /// Index just above the highest digit.
    fn top(&self) -> i32 {
        self.offset + self.digits.len() as i32
    }

    /// Adds (or subtracts) `chunks`, base-2^32 digits starting at digit index `at`.
    fn add_digits(&mut self, at: i32, chunks: &[u32], subtract: bool) {
        self.cover(at, at + chunks.len() as i32);
        let start = (at - self.offset) as usize;
        let mut carry = 0i64;
        for (k, digit) in self.digits[start..].iter_mut().enumerate() {
            let chunk = chunks.get(k).map_or(0, |&c| i64::from(c));
            let sum = i64::from(*digit) + if subtract { -chunk } else { chunk } + carry;
            *digit = (sum & DIGIT_MASK) as u32;
            carry = sum >> DIGIT_BITS;
            if k + 1 >= chunks.len() && carry == 0 {
                break;
            }
        }
        // What is left above the digits: the carry plus the sign (0 or -1), in -2..=1.
        let mut above = carry - i64::from(self.negative);
        while above != 0 && above != -1 {
            self.digits.push((above & DIGIT_MASK) as u32);
            above >>= DIGIT_BITS;
        }
        self.negative = above == -1;
        self.trim();
    }

    /// Extends the digits to cover indices `lo..hi`, without changing the value: zeros below,
    /// the sign's fill digit above.
    fn cover(&mut self, lo: i32, hi: i32) {
        if self.digits.is_empty() && !self.negative {
            self.offset = lo;
        }
        if lo < self.offset {
            let mut digits = vec![0; (self.offset - lo) as usize];
            digits.extend_from_slice(&self.digits);
            self.digits = digits;
            self.offset = lo;
        }
        if hi > self.top() {
            let above = (hi - self.top()) as usize;
            self.digits.extend(iter::repeat_n(self.fill(), above));
        }
    }

    /// The digit that repeats forever above the highest one.
    fn fill(&self) -> u32 {
        if self.negative { u32::MAX } else { 0 }
    }

    /// The canonical form: no fill digits on top, no zero digits at the bottom.
    fn trim(&mut self) {
        let fill = self.fill();
        while self.digits.last() == Some(&fill) {
            self.digits.pop();
        }
        let zeros = self.digits.iter().take_while(|&&d| d == 0).count();
        self.digits.drain(..zeros);
        self.offset += zeros as i32;
        if self.digits.is_empty() && !self.negative {
            self.offset = 0;
        }
    }
}

/// The magnitude of a negative sum's digits: 2^(32 len) minus them (which fits in `len`
/// digits, the lowest digit being non-zero; none at all stands for 2^0 = 1 at `offset`).
fn negated(digits: &[u32]) -> Vec<u32> {
    if digits.is_empty() {
        return vec![1];
    }
    let mut carry = 1u64;
    digits
        .iter()
        .map(|&d| {
            let sum = u64::from(!d) + carry;
            carry = sum >> DIGIT_BITS;
            sum as u32
        })
        .collect()
}

/// The non-negative value of `digits` (lowest first, digit `k` weighing 2^(32 (offset + k))
/// units), rounded once: the top three digits hold at least 65 significant bits, so the
/// lower digits only matter as a sticky bit below the rounding position.
fn magnitude_value(digits: &[u32], offset: i32) -> f64 {
    let Some(top) = digits.iter().rposition(|&d| d != 0) else {
        return 0.0;
    };
    let low = top.saturating_sub(2);
    let mut mantissa = digits[low..=top]
        .iter()
        .rev()
        .fold(0u128, |m, &d| (m << DIGIT_BITS) | u128::from(d));
    if digits[..low].iter().any(|&d| d != 0) {
        mantissa |= 1;
    }
    // `as` rounds to nearest, ties to even. With `low = 0` nothing is below the mantissa, and a
    // mantissa under 2^52 (a subnormal result) converts exactly; otherwise scaling by a power
    // of two is exact (or overflows to inf, as the rounded sum would).
    let exponent = (offset + low as i32) * DIGIT_BITS as i32 + UNIT_EXPONENT;
    scale(mantissa as f64, exponent)
}

/// `x · 2^exponent` for `exponent >= -1074`, in steps that each stay exact.
fn scale(x: f64, exponent: i32) -> f64 {
    if exponent > 1023 {
        return scale(x * power_of_two(1023), exponent - 1023);
    }
    x * power_of_two(exponent)
}

/// `2^e` for `-1074 <= e <= 1023`, from its bit pattern.
fn power_of_two(e: i32) -> f64 {
    if e >= -1022 {
        f64::from_bits(((e + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (e - UNIT_EXPONENT))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sample::stats::tests::{TestRng, shuffle};

    /// Any finite f64, all exponents alike, both signs.
    fn any_finite(rng: &mut TestRng) -> f64 {
        loop {
            let x = f64::from_bits(rng.next_u64());
            if x.is_finite() {
                return x;
            }
        }
    }

    fn sum_of(terms: &[f64]) -> ExactSum {
        let mut sum = ExactSum::default();
        terms.iter().for_each(|&x| sum.add(x));
        sum
    }

    #[test]
    fn sums_that_cancel_come_out_exact() {
        assert_eq!(sum_of(&[1e16, 1.0, -1e16]).value(), 1.0);
        assert_eq!(sum_of(&[1e300, 1e-300, -1e300]).value(), 1e-300);
        // The doubles nearest 0.1, 0.2 and 0.3 sum to exactly 2^-55 (float addition says 2^-54).
        assert_eq!(sum_of(&[0.1, 0.2, -0.3]).value(), 2f64.powi(-55));
        assert_eq!(0.1 + 0.2 - 0.3, 2f64.powi(-54));
        let cancelled = sum_of(&[f64::MAX, 5e-324, -f64::MAX, -5e-324]);
        assert!(cancelled.is_zero());
        assert_eq!(cancelled, ExactSum::default());
        assert_eq!(sum_of(&[-0.0, 0.0]).value().to_bits(), 0);
    }

    #[test]
    fn values_round_once_to_nearest_even() {
        // 1 + 2^-53 is a tie between 1 and 1 + 2^-52: even wins; a hair more rounds up.
        let eps = f64::EPSILON;
        assert_eq!(sum_of(&[1.0, eps / 2.0]).value(), 1.0);
        assert_eq!(sum_of(&[1.0, eps / 2.0, 1e-300]).value(), 1.0 + eps);
        assert_eq!(sum_of(&[-1.0, -eps / 2.0, -1e-300]).value(), -1.0 - eps);
        assert_eq!(sum_of(&[f64::MAX, f64::MAX]).value(), f64::INFINITY);
        assert_eq!(sum_of(&[5e-324, 5e-324, 5e-324]).value(), 1.5e-323);
        assert_eq!(
            sum_of(&[f64::MIN_POSITIVE, -5e-324]).value(),
            f64::MIN_POSITIVE - 5e-324
        );
        assert_eq!(sum_of(&[-7.25]).value(), -7.25);
    }

    #[test]
    fn one_term_reads_back_as_itself() {
        let mut rng = TestRng(1);
        for _ in 0..100_000 {
            let x = any_finite(&mut rng);
            assert_eq!(sum_of(&[x]).value().to_bits(), (x + 0.0).to_bits(), "{x:e}");
        }
    }

    #[test]
    fn two_terms_round_like_one_float_addition() {
        // a + b in floating point is the exact sum rounded once.
        let mut rng = TestRng(2);
        for _ in 0..100_000 {
            let (a, b) = (any_finite(&mut rng), any_finite(&mut rng) * 1e-10);
            assert_eq!(
                sum_of(&[a, b]).value().to_bits(),
                (a + b).to_bits(),
                "{a:e} {b:e}"
            );
        }
    }

    #[test]
    fn non_finite_terms_make_the_value_non_finite() {
        assert_eq!(sum_of(&[1.0, f64::INFINITY]).value(), f64::INFINITY);
        assert!(
            sum_of(&[f64::INFINITY, 2.0, f64::NEG_INFINITY])
                .value()
                .is_nan()
        );
    }

    /// Merging the same summands, grouped and ordered at random, gives the same sum: the same
    /// bits, and the same canonical form (so a part file holds the same text).
    #[test]
    fn merging_in_any_order_and_grouping_gives_the_same_sum() {
        let mut rng = TestRng(3);
        let mut terms: Vec<f64> = (0..3000)
            .map(|i| match i % 4 {
                0 => any_finite(&mut rng),
                1 => 1e-3 * (rng.next_u64() % 1000) as f64,
                _ => -(1e12 + (rng.next_u64() % 77) as f64),
            })
            .collect();
        // Terms that cancel exactly, wherever they land.
        terms.extend(terms.clone().iter().map(|x| -x).take(500));
        let reference = sum_of(&terms);
        for _ in 0..20 {
            shuffle(&mut rng, &mut terms);
            let mut blocks: Vec<ExactSum> = terms
                .chunks(1 + (rng.next_u64() % 300) as usize)
                .map(sum_of)
                .collect();
            shuffle(&mut rng, &mut blocks);
            let mut total = ExactSum::default();
            for block in &blocks {
                total.merge(block);
            }
            assert_eq!(total, reference);
            assert_eq!(total.value().to_bits(), reference.value().to_bits());
        }
    }

    #[test]
    fn negative_powers_of_the_digit_base_merge_and_read_back() {
        let minus = sum_of(&[-(2f64.powi(32 * 3 - 1074))]);
        assert!(minus.digits.is_empty() && minus.negative);
        let mut total = sum_of(&[1.0]);
        total.merge(&minus);
        total.merge(&minus);
        let expected = 1.0 - 2.0 * 2f64.powi(32 * 3 - 1074);
        assert_eq!(total.value(), expected);
        assert_eq!(minus.value(), -(2f64.powi(32 * 3 - 1074)));
    }

    #[test]
    fn parts_round_trip_and_non_canonical_digits_are_refused() {
        let sum = sum_of(&[-3.5, 1e-20, f64::MAX]);
        let text = serde_json::to_string(&sum).unwrap();
        let back: ExactSum = serde_json::from_str(&text).unwrap();
        assert_eq!(back, sum);
        for bad in [
            r#"{"at":3,"digits":[0,5]}"#,
            r#"{"at":3,"digits":[5,0]}"#,
            r#"{"at":-1,"digits":[5]}"#,
            r#"{"at":69,"digits":[5,6]}"#,
        ] {
            let error = serde_json::from_str::<ExactSum>(bad).unwrap_err();
            assert!(error.to_string().contains("canonical"), "{bad}: {error}");
        }
    }
}
