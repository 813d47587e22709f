//! Where a chart has drawn on its canvas, tile by tile, so the downsample reads only there.
//!
//! Reducing the supersampled canvas read every byte of it for every chart (20 MB at the
//! default size): in a batch of the library that pass was bound by memory, not instructions.
//! The backend marks the bounding box of each thing it draws (with margins for stroke widths
//! and anti-aliased edges: a mark may be larger than what is drawn, never smaller); the
//! canvas outside every mark is still white, so the downsample writes white there without
//! reading it.

/// Source rows per band: even, so both rows of a downsampled row fall in one band.
pub(super) const BAND_ROWS: usize = 16;

/// Per band of [`BAND_ROWS`] canvas rows, the tiles of columns drawn on: one bit per tile of
/// [`Drawn::tile_width`] columns, at most 64 tiles across.
#[derive(Debug, Default)]
pub(super) struct Drawn {
    bands: Vec<u64>,
    size: (i32, i32),
    tile_width: i32,
}

impl Drawn {
    /// Nothing drawn yet on a canvas of `size`.
    pub(super) fn new(size: (u32, u32)) -> Drawn {
        let bands = (size.1 as usize).div_ceil(BAND_ROWS);
        // 64 columns, or as many as 64 tiles need; whole runs of the downsample (16 columns).
        let tile_width = size.0.div_ceil(64).max(64).next_multiple_of(16) as i32;
        Drawn {
            bands: vec![0; bands],
            size: (size.0 as i32, size.1 as i32),
            tile_width,
        }
    }

    /// Columns per tile: a multiple of 16.
    pub(super) fn tile_width(&self) -> usize {
        self.tile_width as usize
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
        let first = left.max(0) / self.tile_width;
        let last = right.min(width - 1) / self.tile_width;
        // Bits first..=last (last < 64).
        let tiles = (u64::MAX >> (63 - last)) & (u64::MAX << first);
        let bands = top.max(0) as usize / BAND_ROWS..=bottom.min(height - 1) as usize / BAND_ROWS;
        for band in &mut self.bands[bands] {
            *band |= tiles;
        }
    }

    /// The tiles drawn on in canvas row `y` (bit `i` for tile `i`), 0 when none.
    pub(super) fn tiles(&self, y: usize) -> u64 {
        self.bands.get(y / BAND_ROWS).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_set_the_tiles_of_their_bands_clipped_to_the_canvas() {
        let mut drawn = Drawn::new((1000, 40));
        assert_eq!(drawn.tile_width(), 64);
        assert_eq!(drawn.tiles(0), 0);
        drawn.mark((70, 3), (5, 3), 0);
        assert_eq!(drawn.tiles(0), 0b11);
        assert_eq!(drawn.tiles(15), 0b11);
        assert_eq!(drawn.tiles(16), 0);
        // A margin reaches the next band and tile; off-canvas parts are clipped.
        drawn.mark((960, 14), (1300, 14), 2);
        assert_eq!(drawn.tiles(0), 0b11 | 1 << 15 | 1 << 14);
        assert_eq!(drawn.tiles(16), 1 << 15 | 1 << 14);
        // Wholly outside: nothing.
        drawn.mark((-30, 5), (-10, 5), 3);
        drawn.mark((10, 50), (20, 60), 3);
        assert_eq!(drawn.tiles(39), 0);
        drawn.everything();
        assert_eq!(drawn.tiles(39), (1 << 16) - 1);
        // A canvas wider than 64 tiles of 64 columns has wider tiles.
        let mut wide = Drawn::new((9000, 16));
        assert_eq!(wide.tile_width(), 144);
        wide.mark((8999, 0), (8999, 0), 0);
        assert_eq!(wide.tiles(0), 1 << 62);
    }
}
