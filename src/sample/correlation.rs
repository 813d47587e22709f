//! Streaming correlations of one quantity `y` with several quantities `x[i]`, in bounded
//! memory and mergeable. Plain sums keep the per-draw cost at three multiply-adds per `x`
//! (the press method records one per link and expectation in every accepted draw); merging
//! adds each block's sums into exact accumulators ([`ExactSum`]), so a merge is associative and
//! commutative to the last bit, and a sum is rounded once when it is read.
//!
//! Sums lose precision when a quantity's spread is tiny next to its mean; such quantities are
//! reported as not varying (no correlation) rather than with a correlation made of rounding.

use super::exact::ExactSum;

/// Relative spread below which a quantity counts as constant.
const CONSTANT: f64 = 1e-10;

/// Sums of `y`, `y²` and, per `x[i]`, of `x`, `x²` and `x·y`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Correlations {
    count: u64,
    #[serde(with = "crate::shard::exact")]
    sum_y: f64,
    #[serde(with = "crate::shard::exact")]
    sum_yy: f64,
    /// Per x: (sum x, sum x², sum x·y).
    #[serde(with = "crate::shard::exact_triples")]
    sums_x: Vec<[f64; 3]>,
    /// The merged blocks' sums, exact, in the order of [`Correlations::block_sums`]; empty
    /// until something is merged (the float sums above are then one block's).
    merged: Vec<ExactSum>,
}

impl Correlations {
    /// Empty sums for `xs` quantities.
    pub fn new(xs: usize) -> Correlations {
        Correlations {
            count: 0,
            sum_y: 0.0,
            sum_yy: 0.0,
            sums_x: vec![[0.0; 3]; xs],
            merged: Vec::new(),
        }
    }

    /// Records one draw: the `x` values (one per quantity) and `y`. Non-finite `y` is skipped.
    pub fn record(&mut self, xs: &[f64], y: f64) {
        if !y.is_finite() {
            return;
        }
        self.count += 1;
        self.sum_y += y;
        self.sum_yy += y * y;
        for (s, &x) in self.sums_x.iter_mut().zip(xs) {
            s[0] += x;
            s[1] += x * x;
            s[2] += x * y;
        }
    }

    /// Adds the draws summarised by `other` (same quantities): both sides' block sums go into
    /// the exact accumulators, so the order of merges does not matter.
    pub fn merge(&mut self, other: &Correlations) {
        self.count += other.count;
        if self.merged.is_empty() {
            self.merged = vec![ExactSum::default(); 2 + 3 * self.sums_x.len()];
        }
        let mine = self.block_sums();
        for ((exact, a), b) in self.merged.iter_mut().zip(mine).zip(other.block_sums()) {
            exact.add(a);
            exact.add(b);
        }
        for (exact, theirs) in self.merged.iter_mut().zip(&other.merged) {
            exact.merge(theirs);
        }
        self.sum_y = 0.0;
        self.sum_yy = 0.0;
        self.sums_x.iter_mut().for_each(|s| *s = [0.0; 3]);
    }

    /// The float sums of the block being recorded: `y`, `y²`, then per x `x`, `x²`, `x·y`.
    fn block_sums(&self) -> Vec<f64> {
        let x = self.sums_x.iter().flatten().copied();
        [self.sum_y, self.sum_yy].into_iter().chain(x).collect()
    }

    /// Sum number `slot` (in the order of [`block_sums`](Self::block_sums)): the block's float
    /// sum `block` plus the merged blocks', rounded once.
    fn total(&self, slot: usize, block: f64) -> f64 {
        match self.merged.get(slot) {
            None => block,
            Some(exact) => {
                let mut sum = exact.clone();
                sum.add(block);
                sum.value()
            }
        }
    }

    /// Pearson's correlation of `x[i]` with `y`, or `None` with fewer than three draws or when
    /// either does not vary (a fixed link strength, or an outcome that is the same every time).
    pub fn correlation(&self, i: usize) -> Option<f64> {
        let n = self.count as f64;
        let block_x = *self.sums_x.get(i)?;
        let [sum_x, sum_xx, sum_xy] = [0, 1, 2].map(|k| self.total(2 + 3 * i + k, block_x[k]));
        let (sum_y, sum_yy) = (self.total(0, self.sum_y), self.total(1, self.sum_yy));
        let spread_x = n * sum_xx - sum_x * sum_x;
        let spread_y = n * sum_yy - sum_y * sum_y;
        if self.count < 3 || spread_x <= CONSTANT * n * sum_xx || spread_y <= CONSTANT * n * sum_yy
        {
            return None;
        }
        let covariance = n * sum_xy - sum_x * sum_y;
        Some((covariance / (spread_x * spread_y).sqrt()).clamp(-1.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draws() -> Vec<([f64; 2], f64)> {
        (0..200)
            .map(|i| {
                let x = (i as f64 * 0.37).sin();
                (
                    [x, (i as f64 * 0.11).cos()],
                    2.0 * x + (i as f64 * 1.3).cos(),
                )
            })
            .collect()
    }

    /// Two-pass Pearson correlation of x[i] with y.
    fn pearson(data: &[([f64; 2], f64)], i: usize) -> f64 {
        let n = data.len() as f64;
        let mx = data.iter().map(|d| d.0[i]).sum::<f64>() / n;
        let my = data.iter().map(|d| d.1).sum::<f64>() / n;
        let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
        for (xs, y) in data {
            sxy += (xs[i] - mx) * (y - my);
            sxx += (xs[i] - mx).powi(2);
            syy += (y - my).powi(2);
        }
        sxy / (sxx * syy).sqrt()
    }

    fn recorded(data: &[([f64; 2], f64)]) -> Correlations {
        let mut c = Correlations::new(2);
        data.iter().for_each(|(xs, y)| c.record(xs, *y));
        c
    }

    #[test]
    fn matches_the_two_pass_formula() {
        let data = draws();
        let c = recorded(&data);
        for i in 0..2 {
            assert!((c.correlation(i).unwrap() - pearson(&data, i)).abs() < 1e-10);
        }
    }

    #[test]
    fn merged_blocks_equal_one_stream() {
        let data = draws();
        let mut merged = Correlations::new(2);
        for block in data.chunks(37) {
            merged.merge(&recorded(block));
        }
        let whole = recorded(&data);
        for i in 0..2 {
            assert!((merged.correlation(i).unwrap() - whole.correlation(i).unwrap()).abs() < 1e-12);
        }
    }

    /// Blocks merged in shuffled orders and groupings give the same bits, even where the
    /// float sums would round differently (values of very different size that cancel).
    #[test]
    fn merging_blocks_in_any_order_gives_the_same_bits() {
        let data: Vec<([f64; 2], f64)> = (0..400)
            .map(|i| {
                let big = if i % 3 == 0 { 1e15 } else { -1e15 };
                (
                    [big + (i as f64 * 0.37).sin(), (i as f64).cos()],
                    big + 0.1 * i as f64,
                )
            })
            .collect();
        let blocks: Vec<Correlations> = data.chunks(13).map(recorded).collect();
        let merge_all = |order: &mut dyn Iterator<Item = &Correlations>| {
            let mut total = Correlations::new(2);
            order.for_each(|block| total.merge(block));
            total
        };
        let forward = merge_all(&mut blocks.iter());
        let backward = merge_all(&mut blocks.iter().rev());
        let evens_first = blocks
            .iter()
            .step_by(2)
            .chain(blocks.iter().skip(1).step_by(2));
        let grouped = {
            let (a, b) = blocks.split_at(blocks.len() / 3);
            let mut total = merge_all(&mut b.iter().rev());
            total.merge(&merge_all(&mut a.iter()));
            total
        };
        for other in [backward, merge_all(&mut evens_first.into_iter()), grouped] {
            assert_eq!(other, forward);
            for i in 0..2 {
                let bits = |c: &Correlations| c.correlation(i).map(f64::to_bits);
                assert_eq!(bits(&other), bits(&forward));
            }
        }
        assert!(forward.correlation(0).is_some());
    }

    #[test]
    fn a_constant_quantity_has_no_correlation() {
        let mut c = Correlations::new(2);
        (0..10).for_each(|i| c.record(&[i as f64, 0.3], 1.0 + i as f64));
        assert!(c.correlation(0).is_some());
        assert_eq!(c.correlation(1), None, "constant x");
        let mut flat = Correlations::new(1);
        (0..10).for_each(|i| flat.record(&[i as f64], 2.5));
        assert_eq!(flat.correlation(0), None, "constant y");
    }
}
