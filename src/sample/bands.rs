//! Streaming quantile bands for many bounded series at once: the ode time courses, where every
//! (run, node, time point) is one series and a chart needs its median and 5-95 % band.
//!
//! [`ResponseSummary`](super::stats::ResponseSummary) keeps relative accuracy over any range but
//! costs kilobytes per series; a time course has thousands of series, and a block summary exists
//! for every block in flight. Node levels are bounded (0 to the node's largest `ymax`), so a
//! fixed-range histogram of [`BINS`] bins per series is enough: quantiles are read to within one
//! bin (`upper / 128`, under 0.8 % of the range), which is finer than a chart shows.
//!
//! Counts are `u16` while a summary holds one block (at most `BLOCK_DRAWS` = 2048 records per
//! series, far below 65 535), which halves the memory of every block in flight; merging converts
//! the accumulating summary to `u32`. Merging adds integer counts, so the result is identical for
//! any block partition and thread count.

/// Bins per series.
pub const BINS: usize = 128;

/// Per-bin counts: compact while one block is recorded, wide once blocks are merged.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
enum Counts {
    Block(Vec<u16>),
    Merged(Vec<u32>),
}

/// Histograms of many series, each over `[0, upper]` of its own.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Bands {
    /// Bins per unit of level, per series (`BINS / upper`).
    #[serde(with = "crate::shard::exact_all")]
    scale: Vec<f64>,
    counts: Counts,
}

impl Bands {
    /// Empty bands for series whose values lie in `[0, upper[s]]` (values outside are counted
    /// in the end bins).
    pub fn new(upper: &[f64]) -> Self {
        Bands {
            scale: upper
                .iter()
                .map(|&u| if u > 0.0 { BINS as f64 / u } else { 0.0 })
                .collect(),
            counts: Counts::Block(vec![0; upper.len() * BINS]),
        }
    }

    /// Number of series.
    pub fn series(&self) -> usize {
        self.scale.len()
    }

    /// Counts `value` in series `s`. NaN is not counted.
    #[inline]
    pub fn record(&mut self, s: usize, value: f64) {
        if value.is_nan() {
            return;
        }
        // `as` saturates: negative values land in bin 0, huge ones are capped below.
        let bin = ((value * self.scale[s]) as usize).min(BINS - 1);
        match &mut self.counts {
            Counts::Block(c) => c[s * BINS + bin] = c[s * BINS + bin].saturating_add(1),
            Counts::Merged(c) => c[s * BINS + bin] = c[s * BINS + bin].saturating_add(1),
        }
    }

    /// Adds `other`'s counts (same layout) into `self`, which from then on counts in `u32`.
    pub fn merge(&mut self, other: &Bands) {
        let mut wide = match std::mem::replace(&mut self.counts, Counts::Merged(Vec::new())) {
            Counts::Block(c) => c.into_iter().map(u32::from).collect(),
            Counts::Merged(c) => c,
        };
        for (index, total) in wide.iter_mut().enumerate() {
            // Saturating: 4 billion samples of one series is beyond any run, but never wraps.
            *total = total.saturating_add(u32::try_from(other.count(index)).unwrap_or(u32::MAX));
        }
        self.counts = Counts::Merged(wide);
    }

    /// The `q` quantile of series `s`, as the value of rank `floor(q (n - 1))` like
    /// [`ResponseSummary::quantile`](super::stats::ResponseSummary::quantile), placed within its
    /// bin by linear interpolation; NaN when the series is empty.
    pub fn quantile(&self, s: usize, q: f64) -> f64 {
        let bins = (s * BINS..(s + 1) * BINS).map(|index| self.count(index));
        let total: u64 = bins.clone().sum();
        if total == 0 || self.scale[s] == 0.0 {
            return if total == 0 { f64::NAN } else { 0.0 };
        }
        let rank = (q.clamp(0.0, 1.0) * (total - 1) as f64).floor() as u64;
        let mut below = 0u64;
        for (bin, count) in bins.enumerate() {
            if rank < below + count {
                // The bin's values spread evenly: the (rank - below)-th of `count`, at its centre.
                let within = (rank - below) as f64 + 0.5;
                return (bin as f64 + within / count as f64) / self.scale[s];
            }
            below += count;
        }
        BINS as f64 / self.scale[s]
    }

    /// The count at flat index `index` (series * BINS + bin).
    fn count(&self, index: usize) -> u64 {
        match &self.counts {
            Counts::Block(c) => u64::from(c[index]),
            Counts::Merged(c) => u64::from(c[index]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_within_one_bin_of_the_exact_order_statistic() {
        let values: Vec<f64> = (0..1000)
            .map(|i| (f64::from(i) * 0.618_033_988_7).fract())
            .collect();
        let mut bands = Bands::new(&[1.0]);
        for &v in &values {
            bands.record(0, v);
        }
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        for q in [0.0, 0.05, 0.5, 0.95, 1.0] {
            let exact = sorted[(q * 999.0) as usize];
            let got = bands.quantile(0, q);
            assert!(
                (got - exact).abs() <= 1.0 / BINS as f64,
                "q {q}: {got} vs {exact}"
            );
        }
    }

    #[test]
    fn a_constant_series_reads_back_inside_its_bin() {
        let mut bands = Bands::new(&[1.0, 2.0]);
        for _ in 0..50 {
            bands.record(0, 0.3);
            bands.record(1, 1.9);
        }
        assert!((bands.quantile(0, 0.5) - 0.3).abs() < 1.0 / BINS as f64);
        assert!((bands.quantile(1, 0.05) - 1.9).abs() < 2.0 / BINS as f64);
        assert!(Bands::new(&[1.0]).quantile(0, 0.5).is_nan());
    }

    #[test]
    fn merging_blocks_equals_one_pass() {
        let mut one = Bands::new(&[1.0; 3]);
        let mut merged = Bands::new(&[1.0; 3]);
        for block in 0..5 {
            let mut part = Bands::new(&[1.0; 3]);
            for i in 0..300 {
                let v = f64::from(block * 300 + i) / 1500.0;
                for s in 0..3 {
                    part.record(s, v * (s + 1) as f64 / 3.0);
                    one.record(s, v * (s + 1) as f64 / 3.0);
                }
            }
            merged.merge(&part);
        }
        for s in 0..3 {
            for q in [0.05, 0.5, 0.95] {
                assert_eq!(merged.quantile(s, q), one.quantile(s, q));
            }
        }
    }

    #[test]
    fn out_of_range_values_land_in_the_end_bins() {
        let mut bands = Bands::new(&[1.0]);
        bands.record(0, -0.5);
        bands.record(0, 7.0);
        bands.record(0, f64::NAN);
        assert!(bands.quantile(0, 0.0) < 1.0 / BINS as f64);
        assert!(bands.quantile(0, 1.0) > 1.0 - 1.0 / BINS as f64);
    }
}
