//! Where a chart has drawn on its canvas, band by band, so the downsample reads only there.
//!
//! Reducing the supersampled canvas read every byte of it for every chart (20 MB at the
//! default size): in a batch of the library that pass was bound by memory, not instructions.
//! The backend marks the bounding box of each thing it draws (with margins for stroke widths
//! and anti-aliased edges: a mark may be larger than what is drawn, never smaller); the
//! canvas outside every mark is still white, so the downsample writes white there without
//! reading it.

use std::ops::RangeInclusive;

/// Source rows per band: even, so both rows of a downsampled row fall in one band.
pub(super) const BAND_ROWS: usize = 16;

/// Per band of [`BAND_ROWS`] canvas rows, the columns drawn on, from the first to the last.
#[derive(Debug, Default)]
pub(super) struct Drawn {
    bands: Vec<Option<(i32, i32)>>,
    size: (i32, i32),
}

impl Drawn {
    /// Nothing drawn yet on a canvas of `size`.
    pub(super) fn new(size: (u32, u32)) -> Drawn {
        let bands = (size.1 as usize).div_ceil(BAND_ROWS);
        Drawn {
            bands: vec![None; bands],
            size: (size.0 as i32, size.1 as i32),
        }
    }

    /// Every pixel drawn on (for drawing whose extent is not known).
    pub(super) fn everything(&mut self) {
        self.mark((0, 0), (self.size.0 - 1, self.size.1 - 1), 0);
    }

    /// The rectangle between two corners (in any order, both included), widened by `margin`
    /// on every side and clipped to the canvas.
    pub(super) fn mark(&mut self, a: (i32, i32), b: (i32, i32), margin: i32) {
        let (left, right) = (a.0.min(b.0), a.0.max(b.0));
        let (top, bottom) = (a.1.min(b.1), a.1.max(b.1));
        let (left, right) = (left.saturating_sub(margin), right.saturating_add(margin));
        let (top, bottom) = (top.saturating_sub(margin), bottom.saturating_add(margin));
        let (width, height) = self.size;
        if right < 0 || left >= width || bottom < 0 || top >= height {
            return;
        }
        let (x0, x1) = (left.max(0), right.min(width - 1));
        let bands = top.max(0) as usize / BAND_ROWS..=bottom.min(height - 1) as usize / BAND_ROWS;
        for band in &mut self.bands[bands] {
            *band = Some(match *band {
                Some((first, last)) => (first.min(x0), last.max(x1)),
                None => (x0, x1),
            });
        }
    }

    /// The columns drawn on in canvas row `y`, none when the row is untouched.
    pub(super) fn columns(&self, y: usize) -> Option<RangeInclusive<usize>> {
        let (first, last) = self.bands.get(y / BAND_ROWS).copied().flatten()?;
        Some(first as usize..=last as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_widen_their_bands_and_are_clipped_to_the_canvas() {
        let mut drawn = Drawn::new((100, 40));
        assert_eq!(drawn.columns(0), None);
        drawn.mark((10, 3), (5, 3), 0);
        assert_eq!(drawn.columns(0), Some(5..=10));
        assert_eq!(drawn.columns(15), Some(5..=10));
        assert_eq!(drawn.columns(16), None);
        // A margin reaches the next band; off-canvas parts are clipped.
        drawn.mark((95, 14), (130, 14), 2);
        assert_eq!(drawn.columns(0), Some(5..=99));
        assert_eq!(drawn.columns(16), Some(93..=99));
        // Wholly outside: nothing.
        drawn.mark((-30, 5), (-10, 5), 3);
        drawn.mark((10, 50), (20, 60), 3);
        assert_eq!(drawn.columns(39), None);
        drawn.everything();
        assert_eq!(drawn.columns(39), Some(0..=99));
    }
}
