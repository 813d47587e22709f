//! Streaming, mergeable summaries of Monte Carlo responses.
//!
//! A [`ResponseSummary`] condenses the stream of `f64` responses of one
//! quantity (one intervention at one node) into bounded memory:
//!
//! * direction counts (`Up` / `Down` / `Zero`, as classified by the caller),
//!   usable with [`wilson_interval`] to put confidence bounds on
//!   probabilities such as P(up);
//! * the number of non-finite responses, which are kept out of the mean and
//!   the quantiles;
//! * the mean of the finite responses (compensated summation within a block, exact
//!   summation of the block sums);
//! * exact minimum and maximum;
//! * a DDSketch-style logarithmic histogram from which quantiles are read.
//!
//! # Determinism
//!
//! Samples are summarised in fixed blocks, and [`ResponseSummary::merge`] is
//! associative and commutative: merging the same block summaries in any order
//! and grouping gives the same bits, and the same serialised text. Counts and
//! histogram buckets add exactly; the extremes are taken in IEEE-754's total
//! order (so `-0.0` is below `+0.0` whichever block came first); and a block's
//! compensated sum goes into an exact accumulator ([`ExactSum`]), rounded once
//! when the mean is read. So counts, extremes and every quantile of a merged
//! summary are those of one summary fed the concatenated stream (up to the
//! sign of a zero extreme), whatever the block partition, and the mean depends
//! on the partition only through each block's own compensated sum (blocks are
//! fixed draw ranges, so it is reproducible), never on the merge order. That
//! is what lets shards of a draw budget merge into one running total.
//! Bucket assignment and quantile estimation use only IEEE-754 basic
//! arithmetic and bit manipulation (no `ln` or `exp`, whose libm
//! implementations differ between platforms), so results are also
//! bit-identical across platforms.
//!
//! # Buckets
//!
//! A magnitude `x = 2^e (1 + s)` is mapped to `e + P(s)`, where the cubic `P`
//! approximates `log2(1 + s)` (DDSketch's "cubically interpolated" mapping):
//! as cheap as a few multiplications, non-decreasing and exact at powers of
//! two.
//! Buckets are equal-width slices of that scale, narrow enough that each
//! spans a magnitude ratio of at most `gamma = (1 + a) / (1 - a)`, so the
//! harmonic mean of a bucket's bounds is within relative distance `a` of
//! every value in it.
//!
//! # Quantile accuracy
//!
//! `quantile(q)` estimates the value of rank `floor(q * (n - 1))` (0-based,
//! ascending) among the `n` finite responses: the "lower" empirical quantile,
//! always an actually observed value. Because the bucket index is a
//! non-decreasing function of the value, the estimate always comes from the
//! bucket holding exactly that order statistic `x`, and:
//!
//! * ranks `0` and `n - 1` return the exact minimum and maximum;
//! * otherwise `|estimate - x| <= RELATIVE_ACCURACY * |x|` (0.5 %) whenever
//!   `|x| >= 1e-300` and `x` lies within the bucket window of its sign (next
//!   point); values with `|x| < 1e-300` (including exact zeros) are returned
//!   as `0.0`, an absolute error below 1e-300;
//! * each sign keeps at most 4096 consecutive buckets, which covers a ratio of
//!   at least 4e17 between the largest and smallest magnitude of that sign
//!   (responses typically span 1e-6..1e6, a ratio of 1e12, which fits with
//!   room to spare). When a sign's magnitudes span more than that, the
//!   lowest-magnitude buckets are collapsed into the lowest kept one, so
//!   order statistics with `|x| < max|x| / 4e17` (same sign) are reported
//!   with a magnitude of about `max|x| / 4e17`: too large, but off by at most
//!   that much in absolute terms;
//! * every estimate is clamped into `[min, max]`, which can only move it
//!   closer to the true value.
//!
//! # Memory
//!
//! Two bucket stores (one per sign), each dense over the bucket range
//! actually seen, about 70 `u64` counts per factor of 2: 1e-6..1e6 takes
//! some 2 800 buckets (22 KiB). The 4096-bucket cap bounds a store at 32 KiB
//! plus allocation slack (under 64 KiB) for any input, plus a fixed handful
//! of scalars.

use super::exact::ExactSum;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::iter;

/// Guaranteed relative accuracy of [`ResponseSummary::quantile`] estimates
/// (see the module documentation for the exact statement and its limits).
pub const RELATIVE_ACCURACY: f64 = 0.005;

/// Standard normal 97.5 % quantile: the `z` of two-sided 95 % intervals,
/// for [`wilson_interval`].
pub const Z95: f64 = 1.959963984540054;

/// Accuracy the buckets are designed for: a hair tighter than the documented
/// [`RELATIVE_ACCURACY`] so that rounding in the bucket mapping and its
/// inverse (about 1e-13 relative) cannot push an estimate past the
/// documented bound.
const DESIGN_ACCURACY: f64 = RELATIVE_ACCURACY * (1.0 - 1e-9);

/// `ln(gamma)`, where `gamma = (1 + a) / (1 - a)` is the ratio between
/// consecutive bucket bounds for design accuracy `a`. Computed as
/// `2 * atanh(a)` from its power series because `f64::ln` is not a `const
/// fn`; the terms shrink by `a^2 = 2.5e-5`, so eight terms are exact to the
/// last bit.
const LN_GAMMA: f64 = {
    let a2 = DESIGN_ACCURACY * DESIGN_ACCURACY;
    let mut power = DESIGN_ACCURACY;
    let mut sum = 0.0;
    let mut k = 0;
    while k < 8 {
        sum += power / (2 * k + 1) as f64;
        power *= a2;
        k += 1;
    }
    2.0 * sum
};

/// Coefficients of `P(s) = ((A s + B) s + C) s`, the stand-in for
/// `log2(1 + s)` on `[0, 1)`: `P(0) = 0` and `P(1) = 1` make
/// [`approx_log2`] continuous across powers of two, and
/// `P'(s) (1 + s) = 10/7 + (2/35) s (3 s - 2)^2 >= 10/7`, so it grows at
/// least `10/7` per unit of `ln(x)`.
const CUBIC_A: f64 = 6.0 / 35.0;
const CUBIC_B: f64 = -3.0 / 5.0;
const CUBIC_C: f64 = 10.0 / 7.0;

/// Buckets per unit of [`approx_log2`]. Because that scale grows at least
/// `10/7` per unit of `ln(x)`, a bucket `1 / BUCKETS_PER_LOG2` wide spans at
/// most `0.7 / BUCKETS_PER_LOG2 = LN_GAMMA` in `ln(x)`: a ratio of `gamma`.
/// About 70 buckets per factor of 2.
const BUCKETS_PER_LOG2: f64 = 0.7 / LN_GAMMA;

/// Magnitudes below this are counted as zero by the sketch. It keeps bucket
/// indices in a small range and keeps subnormals, which no realistic response
/// distinguishes from zero, out of the bit-level [`approx_log2`].
const ZERO_FLOOR: f64 = 1e-300;

/// Bias of the IEEE-754 binary64 exponent field.
const EXPONENT_BIAS: i32 = 1023;

/// Most buckets kept per sign. 4096 buckets span 58.5 factors of 2 (a ratio
/// of at least 4.1e17), enough for every realistic response range; the cap
/// only bounds memory for pathological inputs.
const MAX_BUCKETS: usize = 4096;

/// Distance between the highest and lowest bucket index a store may hold.
const WINDOW_SPAN: i32 = MAX_BUCKETS as i32 - 1;

/// Classification of one response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// The response is an increase.
    Up,
    /// The response is a decrease.
    Down,
    /// No response: structurally unreachable, or negligible relative to the
    /// other responses.
    Zero,
}

/// Streaming summary of one quantity: direction counts, non-finite count,
/// mean, exact extremes and a relative-error quantile sketch.
///
/// Build one per block with [`record`](Self::record), then fold the blocks
/// together in a fixed order with [`merge`](Self::merge).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResponseSummary {
    /// Responses per [`Direction`], indexed by `direction as usize`: an
    /// array rather than a `match` because callers' directions are often
    /// unpredictable, and a mispredicted branch costs more than the rest of
    /// `record`.
    direction_counts: [u64; 3],
    n_nonfinite: u64,
    /// Running sum of the finite responses (compensated summation) ...
    #[serde(with = "crate::shard::exact")]
    sum: f64,
    /// ... and the low-order bits it lost, added back when reading the mean.
    #[serde(with = "crate::shard::exact")]
    compensation: f64,
    /// The exact sum of the merged blocks' sums (the two fields above are one block's).
    merged: ExactSum,
    /// Exact extremes of the finite responses; `+inf` / `-inf` while empty.
    #[serde(with = "crate::shard::exact")]
    min: f64,
    #[serde(with = "crate::shard::exact")]
    max: f64,
    /// Finite responses with `|x| < ZERO_FLOOR`.
    n_sketch_zero: u64,
    /// Bucketed magnitudes of the finite responses with `|x| >= ZERO_FLOOR`,
    /// indexed by sign bit: `[positive, negative]`. Indexing instead of
    /// branching on the sign for the same reason as `direction_counts`.
    stores: [BucketStore; 2],
}

impl Default for ResponseSummary {
    fn default() -> Self {
        Self::new()
    }
}

impl ResponseSummary {
    /// An empty summary.
    pub fn new() -> Self {
        Self {
            direction_counts: [0; 3],
            n_nonfinite: 0,
            sum: 0.0,
            compensation: 0.0,
            merged: ExactSum::default(),
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            n_sketch_zero: 0,
            stores: [BucketStore::default(), BucketStore::default()],
        }
    }

    /// Records one response and its direction class.
    ///
    /// The caller decides the class: `Zero` means structurally unreachable or
    /// negligible relative to the other responses; the value is still
    /// recorded for the mean and quantiles. A non-finite `x` (NaN or ±inf)
    /// counts towards its direction and [`n_nonfinite`](Self::n_nonfinite),
    /// but not towards the mean or the quantiles.
    pub fn record(&mut self, x: f64, direction: Direction) {
        self.direction_counts[direction as usize] += 1;
        if !x.is_finite() {
            self.n_nonfinite += 1;
            return;
        }
        self.add_to_sum(x);
        if x < self.min {
            self.min = x;
        }
        if x > self.max {
            self.max = x;
        }
        let magnitude = x.abs();
        if magnitude < ZERO_FLOOR {
            self.n_sketch_zero += 1;
        } else {
            let sign = usize::from(x.is_sign_negative());
            self.stores[sign].increment(bucket_index(magnitude));
        }
    }

    /// Records `count` exact zeros (`+0.0`, [`Direction::Zero`]): the same summary as
    /// `count` calls of [`record`](Self::record), to the bit, without the per-value work.
    /// After the first zero, more zeros change only the counts: adding `+0.0` to the running
    /// sum again leaves the sum and its compensation as they are, and `0.0` is already within
    /// the extremes.
    pub fn record_zeros(&mut self, count: u64) {
        if count == 0 {
            return;
        }
        self.record(0.0, Direction::Zero);
        self.direction_counts[Direction::Zero as usize] += count - 1;
        self.n_sketch_zero += count - 1;
    }

    /// Adds `other` into `self`. Associative and commutative to the last bit
    /// (see the module documentation): counts, extremes and quantiles come
    /// out as for the concatenated stream, and both summaries' block sums go
    /// into the exact accumulator.
    pub fn merge(&mut self, other: &Self) {
        for (mine, theirs) in self.direction_counts.iter_mut().zip(other.direction_counts) {
            *mine += theirs;
        }
        self.n_nonfinite += other.n_nonfinite;
        add_block_sum(&mut self.merged, self.sum, self.compensation);
        (self.sum, self.compensation) = (0.0, 0.0);
        add_block_sum(&mut self.merged, other.sum, other.compensation);
        self.merged.merge(&other.merged);
        // The total order, so that the sign of a zero extreme does not
        // depend on which block came first.
        if other.min.total_cmp(&self.min).is_lt() {
            self.min = other.min;
        }
        if other.max.total_cmp(&self.max).is_gt() {
            self.max = other.max;
        }
        self.n_sketch_zero += other.n_sketch_zero;
        for (mine, theirs) in self.stores.iter_mut().zip(&other.stores) {
            mine.merge(theirs);
        }
    }

    /// Number of responses recorded, finite or not
    /// (`n_up() + n_down() + n_zero()`).
    pub fn count(&self) -> u64 {
        self.direction_counts.iter().sum()
    }

    /// Responses recorded as [`Direction::Up`].
    pub fn n_up(&self) -> u64 {
        self.direction_counts[Direction::Up as usize]
    }

    /// Responses recorded as [`Direction::Down`].
    pub fn n_down(&self) -> u64 {
        self.direction_counts[Direction::Down as usize]
    }

    /// Responses recorded as [`Direction::Zero`].
    pub fn n_zero(&self) -> u64 {
        self.direction_counts[Direction::Zero as usize]
    }

    /// Responses that were NaN or infinite; they are excluded from
    /// [`mean`](Self::mean) and [`quantile`](Self::quantile), which therefore
    /// describe `count() - n_nonfinite()` values.
    pub fn n_nonfinite(&self) -> u64 {
        self.n_nonfinite
    }

    /// Mean of the finite responses, their sum rounded once; NaN when there
    /// are none. Infinite if a block's running sum overflows `f64` (only for
    /// responses near 1e308).
    pub fn mean(&self) -> f64 {
        let n = self.n_finite() as f64;
        let mut total = self.merged.clone();
        add_block_sum(&mut total, self.sum, self.compensation);
        total.value() / n
    }

    /// Estimate of the value of rank `floor(q * (n - 1))` (0-based,
    /// ascending) among the `n` finite responses; NaN when `n == 0`.
    ///
    /// Ranks `0` and `n - 1` (so `q = 0` and `q = 1`) are exact; other ranks
    /// are within [`RELATIVE_ACCURACY`] of the true value, with the limits
    /// given in the module documentation.
    ///
    /// # Panics
    ///
    /// If `q` is not in `[0, 1]` (including NaN).
    pub fn quantile(&self, q: f64) -> f64 {
        assert!((0.0..=1.0).contains(&q), "quantile {q} is not in [0, 1]");
        let n = self.n_finite();
        if n == 0 {
            return f64::NAN;
        }
        let rank = (q * (n - 1) as f64).floor() as u64;
        if rank == 0 {
            self.min
        } else if rank == n - 1 {
            self.max
        } else {
            self.sketch_value_at_rank(rank).clamp(self.min, self.max)
        }
    }

    /// Number of finite responses, the population of the mean and quantiles.
    fn n_finite(&self) -> u64 {
        self.count() - self.n_nonfinite
    }

    /// Adds `x` to the running sum and the exact rounding error of that
    /// addition (Knuth's branch-free TwoSum) to the compensation. Unlike
    /// plain Kahan summation this stays exact when `x` is larger than the
    /// sum, as happens with mixed-sign responses.
    fn add_to_sum(&mut self, x: f64) {
        let total = self.sum + x;
        let x_part = total - self.sum;
        let sum_part = total - x_part;
        self.compensation += (self.sum - sum_part) + (x - x_part);
        self.sum = total;
    }

    /// Sketch estimate of the value of ascending rank `rank < n_finite()`:
    /// negatives (largest magnitude first), then zeros, then positives.
    fn sketch_value_at_rank(&self, rank: u64) -> f64 {
        let [positive, negative] = &self.stores;
        let n_negative = negative.total();
        if rank < n_negative {
            let index = negative.index_at_rank(n_negative - 1 - rank);
            return -bucket_value(index);
        }
        let rank = rank - n_negative;
        if rank < self.n_sketch_zero {
            return 0.0;
        }
        bucket_value(positive.index_at_rank(rank - self.n_sketch_zero))
    }
}

/// Adds one block's compensated sum to `exact`. After an overflow the
/// compensation is NaN, and the infinite sum alone carries the sign.
fn add_block_sum(exact: &mut ExactSum, sum: f64, compensation: f64) {
    exact.add(sum);
    if sum.is_finite() {
        exact.add(compensation);
    }
}

/// Wilson score interval `(lo, hi)` for `successes` out of `trials` at
/// standard normal quantile `z` (use [`Z95`] for 95 %). Returns `(0, 1)`
/// when `trials == 0`. Unlike the normal approximation it stays inside
/// `[0, 1]` and is sensible for proportions at or near 0 and 1: the lower
/// bound is exactly 0 when `successes == 0` and the upper exactly 1 when
/// `successes == trials`.
///
/// # Panics
///
/// If `successes > trials`, or `z` is negative or not finite.
pub fn wilson_interval(successes: u64, trials: u64, z: f64) -> (f64, f64) {
    assert!(
        successes <= trials,
        "{successes} successes out of only {trials} trials"
    );
    assert!(z.is_finite() && z >= 0.0, "z = {z} must be finite and >= 0");
    if trials == 0 {
        return (0.0, 1.0);
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = z * z;
    let shrink = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / shrink;
    let half_width = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / shrink;
    // Analytically lo = 0 at k = 0 and hi = 1 at k = n; pin them so rounding
    // cannot report e.g. 1e-17 or 0.9999999999999999.
    let lo = if successes == 0 {
        0.0
    } else {
        (center - half_width).max(0.0)
    };
    let hi = if successes == trials {
        1.0
    } else {
        (center + half_width).min(1.0)
    };
    (lo, hi)
}

/// Bucket of magnitude `m >= ZERO_FLOOR`: bucket `i` holds the `m` with
/// `(i - 1) / BUCKETS_PER_LOG2 < approx_log2(m) <= i / BUCKETS_PER_LOG2`.
/// Ranges over about -69 770..=71 680.
fn bucket_index(magnitude: f64) -> i32 {
    let position = approx_log2(magnitude) * BUCKETS_PER_LOG2;
    // Ceiling without `f64::ceil`, which on baseline x86-64 (no SSE4.1) is a
    // libm call costing as much as the rest of `record`: `as` truncates
    // towards zero, which is already the ceiling for negative positions.
    let truncated = position as i32;
    truncated + i32::from(f64::from(truncated) < position)
}

/// Representative magnitude of bucket `index`: the harmonic mean of its
/// bounds `lo < m <= hi`, which is within relative distance
/// `(r - 1) / (r + 1) <= a` of every member, where `r = hi / lo <= gamma`.
fn bucket_value(index: i32) -> f64 {
    let lo = inverse_approx_log2(f64::from(index - 1) / BUCKETS_PER_LOG2);
    // The top bucket's bound may be 2^1024 = inf, but no member exceeds
    // f64::MAX, so the bucket effectively ends there.
    let hi = inverse_approx_log2(f64::from(index) / BUCKETS_PER_LOG2).min(f64::MAX);
    let ratio = hi / lo;
    // 2 lo hi / (lo + hi), arranged so that nothing overflows.
    lo * (2.0 * ratio / (1.0 + ratio))
}

/// A cheap, non-decreasing stand-in for `log2(x)` on normal positive
/// `x = 2^e (1 + s)`: `e + P(s)`, exact at powers of two and within 0.0015 of
/// `log2(x)` elsewhere. Bit manipulation plus a cubic costs a fraction of
/// `f64::ln`, and unlike `ln` it is bit-identical on every platform.
fn approx_log2(x: f64) -> f64 {
    const MANTISSA_BITS: u32 = 52;
    const MANTISSA_MASK: u64 = (1 << MANTISSA_BITS) - 1;
    let bits = x.to_bits();
    let exponent = (bits >> MANTISSA_BITS) as i32 - EXPONENT_BIAS;
    // 1 + s: the mantissa bits under the exponent of 1.0.
    let s = f64::from_bits((bits & MANTISSA_MASK) | 1.0f64.to_bits()) - 1.0;
    f64::from(exponent) + cubic(s)
}

/// Inverse of [`approx_log2`]: the `x` with `approx_log2(x) = y`, for
/// `-1022 <= y < 1025` (`+inf` from `y >= 1024`).
fn inverse_approx_log2(y: f64) -> f64 {
    let exponent = y.floor();
    let target = y - exponent;
    // Newton's method for cubic(s) = target. The cubic is increasing and
    // concave on [0, 1], so after the first step the iterates approach the
    // root from below, and the error (at most 0.1 to start) squares every
    // step: six steps reach full precision.
    let mut s = target;
    for _ in 0..6 {
        s -= (cubic(s) - target) / cubic_slope(s);
    }
    power_of_two(exponent as i32) * (1.0 + s)
}

/// `P(s)`, the cubic approximation of `log2(1 + s)` on `[0, 1)`.
fn cubic(s: f64) -> f64 {
    ((CUBIC_A * s + CUBIC_B) * s + CUBIC_C) * s
}

/// `P'(s)`, for Newton's method in [`inverse_approx_log2`].
fn cubic_slope(s: f64) -> f64 {
    (3.0 * CUBIC_A * s + 2.0 * CUBIC_B) * s + CUBIC_C
}

/// `2^e` for `-1022 <= e <= 1024`, assembled from its bit pattern (exact,
/// and `2^1024` comes out as `+inf`).
fn power_of_two(e: i32) -> f64 {
    f64::from_bits(((e + EXPONENT_BIAS) as u64) << 52)
}

/// Counts per bucket index for one sign, dense over a sliding window of at
/// most [`MAX_BUCKETS`] consecutive indices that ends at the highest index
/// seen. Counts for lower indices are folded into the window's lowest bucket.
/// The final contents depend only on the multiset of indices added (each
/// count lands in `max(i, highest - WINDOW_SPAN)`), never on their order,
/// which is what makes merging exact.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct BucketStore {
    /// `counts[k]` is the count of bucket index `offset + k`. A `VecDeque`
    /// so the window can grow downwards and slide upwards in O(1) per bucket.
    /// When not empty, its first and last buckets are never zero: the window
    /// only grows to reach an index that receives a count.
    counts: VecDeque<u64>,
    offset: i32,
}

impl BucketStore {
    /// Counts one more value in bucket `index` (or in the window's lowest
    /// bucket).
    fn increment(&mut self, index: i32) {
        // Most values land inside the window: one range check (a negative distance fails the
        // conversion) instead of `slot_for`'s growth checks.
        let inside = usize::try_from(index - self.offset)
            .ok()
            .and_then(|slot| self.counts.get_mut(slot));
        if let Some(count) = inside {
            *count += 1;
            return;
        }
        let slot = self.slot_for(index);
        self.counts[slot] += 1;
    }

    /// Adds all of `other`'s counts: the same result as adding them one by
    /// one, but the window is placed once, from `other`'s end buckets (which
    /// hold counts), instead of being checked for every bucket.
    fn merge(&mut self, other: &Self) {
        if other.counts.is_empty() {
            return;
        }
        self.slot_for(other.top());
        self.slot_for(other.offset);
        // Whole runs of buckets at once (the two halves of `other`'s ring buffer), not one
        // ring-buffer lookup per bucket.
        let (front, back) = other.counts.as_slices();
        let start = other.offset - self.offset;
        let mine = self.counts.make_contiguous();
        add_counts(mine, start, front);
        add_counts(mine, start + front.len() as i32, back);
    }

    /// Total count in the store.
    fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Index of the bucket holding the value of ascending rank
    /// `rank < total()`.
    fn index_at_rank(&self, rank: u64) -> i32 {
        let mut remaining = rank;
        let slot = self
            .counts
            .iter()
            .position(|&count| {
                if remaining < count {
                    true
                } else {
                    remaining -= count;
                    false
                }
            })
            .expect("rank is below the store's total");
        self.offset + slot as i32
    }

    /// Highest index in the window (the store must not be empty).
    fn top(&self) -> i32 {
        self.offset + self.counts.len() as i32 - 1
    }

    /// Position in `counts` where a count for `index` belongs, after growing
    /// the window to reach `index`: upwards by sliding (collapsing what falls
    /// off the bottom), downwards only as far as the window cap allows.
    fn slot_for(&mut self, index: i32) -> usize {
        if self.counts.is_empty() {
            self.offset = index;
            self.counts.push_back(0);
        } else if index > self.top() {
            self.collapse_below(index - WINDOW_SPAN);
            let grow = index - self.top();
            self.counts.extend(iter::repeat_n(0, grow as usize));
        } else if index < self.offset {
            let lowest = index.max(self.top() - WINDOW_SPAN);
            // Zeros in front, in bulk: a first value far below the window (rounding noise
            // next to a response) adds thousands of buckets, which one `push_front` each
            // made 5 % of a 200-node press run.
            let added = (self.offset - lowest) as usize;
            self.counts.extend(iter::repeat_n(0, added));
            self.counts.rotate_right(added);
            self.offset = lowest;
        }
        (index.max(self.offset) - self.offset) as usize
    }

    /// Folds every bucket below `floor` into bucket `floor`, which becomes
    /// the lowest bucket of the window.
    fn collapse_below(&mut self, floor: i32) {
        if floor <= self.offset {
            return;
        }
        let n_folded = ((floor - self.offset) as usize).min(self.counts.len());
        let folded: u64 = self.counts.drain(..n_folded).sum();
        self.offset = floor;
        match self.counts.front_mut() {
            Some(lowest) => *lowest += folded,
            None => self.counts.push_back(folded),
        }
    }
}

/// Adds `counts`, the counts of consecutive buckets the first of which is `start` buckets
/// above `mine[0]`, into `mine` (which reaches their top bucket). Buckets below `mine[0]`, cut
/// off by the window cap, fold into it.
fn add_counts(mine: &mut [u64], start: i32, counts: &[u64]) {
    let below = usize::try_from(-start).unwrap_or(0).min(counts.len());
    let (folded, inside) = counts.split_at(below);
    mine[0] += folded.iter().sum::<u64>();
    let from = usize::try_from(start).unwrap_or(0);
    for (mine, count) in mine[from..from + inside.len()].iter_mut().zip(inside) {
        *mine += count;
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// SplitMix64: a tiny deterministic generator, so the tests need no
    /// dependencies and always see the same data.
    pub(in crate::sample) struct TestRng(pub(in crate::sample) u64);

    impl TestRng {
        pub(in crate::sample) fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        /// Uniform in the open interval (0, 1).
        fn uniform(&mut self) -> f64 {
            ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        }

        /// Standard normal (Box-Muller).
        fn normal(&mut self) -> f64 {
            let (u, v) = (self.uniform(), self.uniform());
            (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
        }

        /// Standard Cauchy: heavy-tailed, both signs, huge range.
        fn cauchy(&mut self) -> f64 {
            (std::f64::consts::PI * (self.uniform() - 0.5)).tan()
        }

        /// Random sign times a magnitude log-uniform in [10^lo, 10^hi].
        fn log_uniform_signed(&mut self, lo: f64, hi: f64) -> f64 {
            let magnitude = 10f64.powf(lo + (hi - lo) * self.uniform());
            if self.next_u64() & 1 == 0 {
                magnitude
            } else {
                -magnitude
            }
        }
    }

    /// Direction as a caller might classify it.
    fn direction_of(x: f64) -> Direction {
        if x > 0.0 {
            Direction::Up
        } else if x < 0.0 {
            Direction::Down
        } else {
            Direction::Zero
        }
    }

    fn summarise(values: &[f64]) -> ResponseSummary {
        let mut summary = ResponseSummary::new();
        for &x in values {
            summary.record(x, direction_of(x));
        }
        summary
    }

    /// Quantile levels 0, 0.001, ..., 1 plus a few awkward ones.
    fn levels() -> impl Iterator<Item = f64> {
        (0..=1000)
            .map(|i| f64::from(i) / 1000.0)
            .chain([1e-9, 0.123_456_789, 0.999_999_999])
    }

    /// Asserts every quantile is within the documented error of the exact
    /// order statistic of rank floor(q (n - 1)), and the extremes are exact.
    fn assert_quantiles_accurate(values: &[f64]) {
        let summary = summarise(values);
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        for q in levels() {
            let exact = sorted[(q * (n - 1) as f64).floor() as usize];
            let estimate = summary.quantile(q);
            let tolerance = if exact.abs() < ZERO_FLOOR {
                ZERO_FLOOR
            } else {
                RELATIVE_ACCURACY * exact.abs()
            };
            assert!(
                (estimate - exact).abs() <= tolerance,
                "q = {q}: estimate {estimate} vs exact {exact}"
            );
        }
        assert_eq!(summary.quantile(0.0), sorted[0]);
        assert_eq!(summary.quantile(1.0), sorted[n - 1]);
    }

    fn generate(n: usize, seed: u64, draw: impl Fn(&mut TestRng) -> f64) -> Vec<f64> {
        let mut rng = TestRng(seed);
        (0..n).map(|_| draw(&mut rng)).collect()
    }

    #[test]
    fn ln_gamma_matches_its_definition() {
        // ln(1 + a) - ln(1 - a), without rounding gamma itself first.
        let reference = DESIGN_ACCURACY.ln_1p() - (-DESIGN_ACCURACY).ln_1p();
        assert!((LN_GAMMA - reference).abs() <= 1e-15 * LN_GAMMA);
    }

    #[test]
    fn approx_log2_is_exact_at_powers_of_two_and_close_elsewhere() {
        for e in -996..=1023 {
            assert_eq!(approx_log2(power_of_two(e)), f64::from(e));
        }
        let mut rng = TestRng(11);
        for _ in 0..100_000 {
            let x = 10f64.powf(-300.0 + 608.0 * rng.uniform());
            assert!((approx_log2(x) - x.log2()).abs() <= 0.0015, "{x}");
            let round_trip = inverse_approx_log2(approx_log2(x));
            assert!((round_trip - x).abs() <= 1e-13 * x, "{x} -> {round_trip}");
        }
    }

    #[test]
    fn approx_log2_never_decreases() {
        let mut rng = TestRng(12);
        let random = (0..1_000_000).map(|_| 10f64.powf(-300.0 + 608.0 * rng.uniform()));
        let powers_of_two = (-996..=1023).map(power_of_two);
        for x in random.chain(powers_of_two) {
            let (below, above) = (x.next_down(), x.next_up());
            assert!(approx_log2(below) <= approx_log2(x), "{x}");
            assert!(approx_log2(x) <= approx_log2(above), "{x}");
        }
    }

    #[test]
    fn every_bucket_spans_at_most_gamma() {
        let gamma = (1.0 + DESIGN_ACCURACY) / (1.0 - DESIGN_ACCURACY);
        for index in bucket_index(ZERO_FLOOR)..=bucket_index(f64::MAX) {
            let lo = inverse_approx_log2(f64::from(index - 1) / BUCKETS_PER_LOG2);
            let hi = inverse_approx_log2(f64::from(index) / BUCKETS_PER_LOG2);
            assert!(hi.min(f64::MAX) / lo <= gamma, "bucket {index}");
        }
    }

    #[test]
    fn bucket_window_spans_at_least_4e17() {
        let bound = |index: i32| inverse_approx_log2(f64::from(index) / BUCKETS_PER_LOG2);
        let lowest = bucket_index(ZERO_FLOOR) + WINDOW_SPAN + 1;
        for top in lowest..bucket_index(1e300) {
            // The window's buckets top - WINDOW_SPAN ..= top hold magnitudes
            // above bound(top - MAX_BUCKETS) and at most bound(top).
            let span = bound(top) / bound(top - MAX_BUCKETS as i32);
            assert!(span >= 4e17, "window ending at {top} spans {span:e}");
        }
    }

    #[test]
    fn every_bucket_value_is_within_accuracy_of_its_members() {
        let mut rng = TestRng(1);
        let check = |x: f64| {
            let estimate = bucket_value(bucket_index(x));
            assert!(
                (estimate - x).abs() <= RELATIVE_ACCURACY * x,
                "{x} -> {estimate}"
            );
        };
        for _ in 0..200_000 {
            check(10f64.powf(-300.0 + 608.0 * rng.uniform()));
        }
        // Values straddling bucket bounds, where rounding matters most.
        for i in (-69_700..=71_600).step_by(7) {
            let bound = inverse_approx_log2(f64::from(i) / BUCKETS_PER_LOG2);
            for x in [bound.next_down(), bound, bound.next_up()] {
                check(x);
            }
        }
        check(ZERO_FLOOR);
        check(f64::MAX * (1.0 - RELATIVE_ACCURACY));
    }

    #[test]
    fn quantiles_near_f64_max_stay_finite() {
        let values = [f64::MAX / 3.0, f64::MAX / 2.0, f64::MAX * 0.999, f64::MAX];
        let summary = summarise(&values);
        for (q, exact) in [(0.34, values[1]), (0.67, values[2])] {
            let estimate = summary.quantile(q);
            assert!((estimate - exact).abs() <= RELATIVE_ACCURACY * exact);
        }
        assert_eq!(summary.quantile(1.0), f64::MAX);
    }

    #[test]
    fn quantiles_of_uniform_data() {
        assert_quantiles_accurate(&generate(100_000, 2, TestRng::uniform));
    }

    #[test]
    fn quantiles_of_normal_data() {
        assert_quantiles_accurate(&generate(100_000, 3, |rng| 5.0 + 2.0 * rng.normal()));
    }

    #[test]
    fn quantiles_of_heavy_tailed_data() {
        assert_quantiles_accurate(&generate(100_000, 4, TestRng::cauchy));
    }

    #[test]
    fn quantiles_of_mixed_sign_data_with_zeros() {
        let values = generate(100_000, 5, |rng| match rng.next_u64() % 10 {
            0 => 0.0,
            1 => 1e-310, // subnormal: below the zero floor
            _ => rng.log_uniform_signed(-6.0, 6.0),
        });
        assert_quantiles_accurate(&values);
    }

    #[test]
    fn quantiles_of_all_zero_data() {
        let summary = summarise(&[0.0; 1000]);
        for q in levels() {
            assert_eq!(summary.quantile(q), 0.0);
        }
        assert_eq!(summary.n_zero(), 1000);
        assert_eq!(summary.mean(), 0.0);
    }

    #[test]
    fn small_samples_return_exact_extremes() {
        let summary = summarise(&[3.0]);
        assert_eq!(summary.quantile(0.0), 3.0);
        assert_eq!(summary.quantile(0.5), 3.0);
        assert_eq!(summary.quantile(1.0), 3.0);
        let summary = summarise(&[-2.0, 7.0]);
        assert_eq!(summary.quantile(0.5), -2.0);
        assert_eq!(summary.quantile(0.99), -2.0);
        assert_eq!(summary.quantile(1.0), 7.0);
    }

    #[test]
    fn empty_summary_is_nan() {
        let summary = ResponseSummary::new();
        assert_eq!(summary.count(), 0);
        assert!(summary.mean().is_nan());
        assert!(summary.quantile(0.0).is_nan());
        assert!(summary.quantile(0.5).is_nan());
        assert!(summary.quantile(1.0).is_nan());
    }

    #[test]
    #[should_panic(expected = "not in [0, 1]")]
    fn quantile_outside_unit_interval_panics() {
        summarise(&[1.0]).quantile(1.5);
    }

    #[test]
    fn counts_directions_and_nonfinite_values() {
        let mut summary = ResponseSummary::new();
        summary.record(1.0, Direction::Up);
        summary.record(2.0, Direction::Up);
        summary.record(-3.0, Direction::Down);
        summary.record(1e-12, Direction::Zero);
        summary.record(f64::NAN, Direction::Zero);
        summary.record(f64::INFINITY, Direction::Up);
        summary.record(f64::NEG_INFINITY, Direction::Down);
        assert_eq!(summary.count(), 7);
        assert_eq!(summary.n_up(), 3);
        assert_eq!(summary.n_down(), 2);
        assert_eq!(summary.n_zero(), 2);
        assert_eq!(summary.n_nonfinite(), 3);
        assert_eq!(summary.mean(), (1.0 + 2.0 - 3.0 + 1e-12) / 4.0);
        assert_eq!(summary.quantile(0.0), -3.0);
        assert_eq!(summary.quantile(1.0), 2.0);
    }

    #[test]
    fn only_nonfinite_values_give_nan_statistics() {
        let summary = summarise(&[f64::NAN, f64::INFINITY]);
        assert_eq!(summary.count(), 2);
        assert_eq!(summary.n_nonfinite(), 2);
        assert!(summary.mean().is_nan());
        assert!(summary.quantile(0.5).is_nan());
    }

    #[test]
    fn mean_is_compensated_and_survives_overflow() {
        // Naive summation loses the ones entirely.
        let mut values = vec![1e16, 1.0, -1e16];
        values.extend([1.0; 9]);
        assert_eq!(summarise(&values).mean(), 10.0 / 12.0);
        assert_eq!(summarise(&[1e308, 1e308]).mean(), f64::INFINITY);
    }

    /// `(index, count)` of the non-empty buckets, ascending.
    fn nonzero_buckets(store: &BucketStore) -> Vec<(i32, u64)> {
        (store.offset..)
            .zip(store.counts.iter().copied())
            .filter(|&(_, count)| count > 0)
            .collect()
    }

    /// The invariant `BucketStore::merge` relies on.
    fn assert_ends_are_nonzero(store: &BucketStore) {
        if let (Some(&first), Some(&last)) = (store.counts.front(), store.counts.back()) {
            assert!(first > 0 && last > 0);
        }
    }

    /// Blocks of irregular sizes, including empty ones, merged in order.
    fn merge_in_blocks(values: &[f64], seed: u64) -> ResponseSummary {
        let mut rng = TestRng(seed);
        let mut merged = ResponseSummary::new();
        let mut rest = values;
        while !rest.is_empty() {
            let size = ((rng.next_u64() % 5000) as usize).min(rest.len());
            let (block, tail) = rest.split_at(size);
            merged.merge(&summarise(block));
            rest = tail;
        }
        merged
    }

    fn assert_merge_matches_single_pass(values: &[f64]) {
        let single = summarise(values);
        let merged = merge_in_blocks(values, 6);
        assert_eq!(merged.count(), single.count());
        assert_eq!(merged.n_up(), single.n_up());
        assert_eq!(merged.n_down(), single.n_down());
        assert_eq!(merged.n_zero(), single.n_zero());
        assert_eq!(merged.n_nonfinite(), single.n_nonfinite());
        assert_eq!(merged.n_sketch_zero, single.n_sketch_zero);
        for (a, b) in merged.stores.iter().zip(&single.stores) {
            assert_eq!(nonzero_buckets(a), nonzero_buckets(b));
            assert_ends_are_nonzero(a);
        }
        for q in levels() {
            assert_eq!(
                merged.quantile(q).to_bits(),
                single.quantile(q).to_bits(),
                "q = {q}"
            );
        }
        let finite = values.iter().filter(|x| x.is_finite());
        let scale = finite.map(|x| x.abs()).sum::<f64>() / values.len() as f64;
        assert!((merged.mean() - single.mean()).abs() <= 1e-12 * scale);
    }

    #[test]
    fn merge_equals_single_pass() {
        let values = generate(200_000, 7, |rng| match rng.next_u64() % 1000 {
            0 => f64::NAN,
            1 => 0.0,
            _ => rng.cauchy(),
        });
        assert_merge_matches_single_pass(&values);
    }

    #[test]
    fn merge_equals_single_pass_when_buckets_collapse() {
        let mut values = generate(200_000, 8, |rng| rng.log_uniform_signed(-300.0, 300.0));
        assert_merge_matches_single_pass(&values);
        // Sorted, each block occupies its own narrow range, so merging
        // slides the window (ascending) or runs into its cap (descending).
        values.sort_by(f64::total_cmp);
        assert_merge_matches_single_pass(&values);
        values.reverse();
        assert_merge_matches_single_pass(&values);
    }

    /// Block summaries merged in shuffled orders and groupings (as a merge of
    /// shards groups them) give the same bits: the same serialised summary,
    /// mean and extremes. The blocks hold zero extremes of both signs and
    /// sums that cancel.
    #[test]
    fn merging_blocks_in_any_order_gives_the_same_bits() {
        let mixed: Vec<ResponseSummary> = (0..60)
            .map(|b| {
                let values: Vec<f64> = match b % 4 {
                    0 => vec![0.0, 1e16, 0.1],
                    1 => vec![-0.0, -1e16, 0.2, -0.0],
                    2 => generate(200, b, |rng| rng.log_uniform_signed(-6.0, 6.0)),
                    _ => generate(50, b, |rng| rng.uniform().abs() * 1e-300),
                };
                summarise(&values)
            })
            .collect();
        let (mean, min) = order_free_bits(mixed);
        assert_eq!(min, (-1e16f64).to_bits());
        assert!(f64::from_bits(mean).is_finite());
        // Only zeros: the negative zero is the minimum, the positive one the
        // maximum, whichever block came first.
        let zeros = (0..20).map(|b| summarise(&[[0.0, -0.0][b % 2]])).collect();
        let (mean, min) = order_free_bits(zeros);
        assert_eq!((mean, min), (0, (-0.0f64).to_bits()));
    }

    /// Merges `blocks` in ten shuffled orders and groupings, asserts that
    /// every total has the same bits, and returns its mean and minimum.
    fn order_free_bits(mut blocks: Vec<ResponseSummary>) -> (u64, u64) {
        let mut rng = TestRng(13);
        let mut reference = None;
        for _ in 0..10 {
            shuffle(&mut rng, &mut blocks);
            let mut groups = Vec::new();
            for group in blocks.chunks(1 + (rng.next_u64() % 7) as usize) {
                let mut summary = ResponseSummary::new();
                group.iter().for_each(|block| summary.merge(block));
                groups.push(summary);
            }
            shuffle(&mut rng, &mut groups);
            let mut total = ResponseSummary::new();
            groups.iter().for_each(|group| total.merge(group));
            let bits = (
                serde_json::to_string(&total).unwrap(),
                total.mean().to_bits(),
                total.quantile(0.0).to_bits(),
                total.quantile(1.0).to_bits(),
            );
            assert_eq!(reference.get_or_insert_with(|| bits.clone()), &bits);
        }
        let (_, mean, min, _) = reference.unwrap();
        (mean, min)
    }

    /// Shuffles `items` (Fisher-Yates).
    pub(in crate::sample) fn shuffle<T>(rng: &mut TestRng, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, (rng.next_u64() % (i as u64 + 1)) as usize);
        }
    }

    #[test]
    fn recording_zeros_at_once_equals_recording_them_one_by_one() {
        let json = |s: &ResponseSummary| serde_json::to_string(s).expect("serialisable");
        // Starting empty, from a negative zero (the sum's sign flips), and from a mix.
        let starts = [vec![], vec![-0.0], vec![1.5, -2.25e-3, 0.0, 7e12, -0.0]];
        for start in starts {
            let mut one_by_one = summarise(&start);
            for count in 0..=40u64 {
                let mut at_once = summarise(&start);
                at_once.record_zeros(count);
                assert_eq!(
                    json(&at_once),
                    json(&one_by_one),
                    "{start:?} + {count} zeros"
                );
                one_by_one.record(0.0, Direction::Zero);
            }
        }
    }

    #[test]
    fn merge_with_empty_summaries_is_identity() {
        let values = generate(1000, 9, TestRng::normal);
        let single = summarise(&values);
        let mut merged = ResponseSummary::new();
        merged.merge(&single);
        merged.merge(&ResponseSummary::new());
        assert_eq!(merged.count(), single.count());
        assert_eq!(merged.mean(), single.mean());
        for q in levels() {
            assert_eq!(merged.quantile(q), single.quantile(q));
        }
    }

    #[test]
    fn memory_stays_bounded_over_the_whole_f64_range() {
        let values = generate(1_000_000, 10, |rng| rng.log_uniform_signed(-300.0, 300.0));
        let mut ascending = values.clone();
        ascending.sort_by(f64::total_cmp);
        // Random order, and sorted order (the window slides on every value).
        for stream in [&values, &ascending] {
            let summary = summarise(stream);
            for store in &summary.stores {
                assert_ends_are_nonzero(store);
                assert!(store.counts.len() <= MAX_BUCKETS);
                assert!(store.counts.capacity() < 2 * MAX_BUCKETS);
            }
            assert_eq!(summary.count(), 1_000_000);
            assert_eq!(summary.quantile(0.0), ascending[0]);
            assert_eq!(summary.quantile(1.0), ascending[999_999]);
            // Order statistics within 4e17 of their sign's largest magnitude
            // keep the full accuracy; here the top and bottom ~1.5 % qualify.
            let n = ascending.len();
            for q in [0.001, 0.01, 0.99, 0.999] {
                let exact = ascending[(q * (n - 1) as f64).floor() as usize];
                let estimate = summary.quantile(q);
                assert!((estimate - exact).abs() <= RELATIVE_ACCURACY * exact.abs());
            }
        }
    }

    #[test]
    fn collapsed_values_are_reported_at_the_window_floor() {
        let mut summary = ResponseSummary::new();
        for x in [1e-200, 1e-100, 1.0, 2.0] {
            summary.record(x, Direction::Up);
        }
        // 1e-100 is far below 2.0 / 4e17: it reads as about 2.0 / 4e17.
        let floor_value = bucket_value(bucket_index(2.0) - WINDOW_SPAN);
        assert_eq!(summary.quantile(1.0 / 3.0), floor_value);
        assert!(floor_value > 1e-18 && floor_value < 1e-17);
        assert_eq!(summary.quantile(0.0), 1e-200);
    }

    #[test]
    fn wilson_interval_matches_hand_computed_values() {
        let close = |(lo, hi): (f64, f64), (want_lo, want_hi): (f64, f64)| {
            assert!((lo - want_lo).abs() < 5e-5, "lo {lo} vs {want_lo}");
            assert!((hi - want_hi).abs() < 5e-5, "hi {hi} vs {want_hi}");
        };
        let (lo, hi) = wilson_interval(0, 10, Z95);
        assert_eq!(lo, 0.0);
        close((lo, hi), (0.0, 0.2775));
        close(wilson_interval(5, 10, Z95), (0.2366, 0.7634));
        let (lo, hi) = wilson_interval(10, 10, Z95);
        assert_eq!(hi, 1.0);
        close((lo, hi), (0.7225, 1.0));
        // z^2 / (n + z^2) for k = 0 in closed form, any n.
        let (_, hi) = wilson_interval(0, 1000, Z95);
        assert!((hi - Z95 * Z95 / (1000.0 + Z95 * Z95)).abs() < 1e-15);
        assert_eq!(wilson_interval(0, 0, Z95), (0.0, 1.0));
        assert_eq!(wilson_interval(3, 10, 0.0), (0.3, 0.3));
    }

    #[test]
    #[should_panic(expected = "successes out of only")]
    fn wilson_interval_rejects_more_successes_than_trials() {
        wilson_interval(11, 10, Z95);
    }
}
