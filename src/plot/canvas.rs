//! The PNG path: charts drawn at twice their size on a kept, white RGB canvas, averaged down
//! and encoded.
//!
//! [`Canvas`] is the plotters backend the charts draw on. Shapes go to plotters' bitmap backend
//! (through the same rasterisers, so the pixels are plotters'), text comes from the glyph cache
//! of [`super::text`], and every pixel written marks its tile dirty. The downsample then reads
//! only dirty tiles (most of a chart is white paper) and whitens what it read, so the kept
//! canvas is white again for the next chart without a pass over all of it.

use super::text;
use super::{Chart, PlotError};
use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, rasterizer,
    text_anchor::{HPos, VPos},
};
use std::cell::RefCell;

/// Linear scale at which PNG charts are drawn before being reduced.
const SUPERSAMPLING: u32 = 2;

/// Output pixels per run of the downsample; a tile is one run wide and one run tall, so
/// `TILE` source pixels square.
const RUN: usize = 8;
const TILE: usize = RUN * SUPERSAMPLING as usize;

/// Draws `chart` at twice `size` and returns the PNG of it averaged down to `size`.
pub(super) fn png(chart: &impl Chart, size: (u32, u32)) -> Result<Vec<u8>, PlotError> {
    // plotters draws lines and shapes without anti-aliasing: draw at twice the size and
    // average each 2x2 block, so edges and curves come out smooth.
    let large = (size.0 * SUPERSAMPLING, size.1 * SUPERSAMPLING);
    let pixels = with_white_canvas(large.0 as usize * large.1 as usize * 3, |pixels| {
        let mut dirty = Tiles::new(large);
        {
            let root = Canvas::new(pixels, large, &mut dirty).into_drawing_area();
            chart.draw(&root)?;
            root.present()?;
        }
        Ok(downsampled_whitening(pixels, size, &dirty))
    })?;
    encode_png(&pixels, size)
}

/// Which tiles of `TILE` x `TILE` source pixels have been drawn on.
pub(super) struct Tiles {
    columns: usize,
    rows: usize,
    dirty: Vec<bool>,
}

impl Tiles {
    pub(super) fn new((width, height): (u32, u32)) -> Tiles {
        let columns = (width as usize).div_ceil(TILE);
        let rows = (height as usize).div_ceil(TILE);
        Tiles {
            columns,
            rows,
            dirty: vec![false; columns * rows],
        }
    }

    /// Every tile dirty (after drawing that was not tracked).
    fn all(&mut self) {
        self.dirty.fill(true);
    }

    /// Marks the tiles the pixels from `(x0, y0)` to `(x1, y1)`, corners included and in any
    /// order, touch; parts off the canvas are ignored.
    fn mark(&mut self, (x0, y0): BackendCoord, (x1, y1): BackendCoord) {
        let tile = |v: i32, count: usize| (v.max(0) as usize / TILE).min(count);
        let (left, right) = (x0.min(x1), x0.max(x1));
        let (top, bottom) = (y0.min(y1), y0.max(y1));
        if right < 0 || bottom < 0 {
            return;
        }
        let columns = tile(left, self.columns)..(tile(right, self.columns - 1) + 1);
        for row in tile(top, self.rows)..(tile(bottom, self.rows - 1) + 1) {
            let start = row * self.columns;
            if let Some(tiles) = self
                .dirty
                .get_mut(start + columns.start..start + columns.end.max(columns.start))
            {
                tiles.fill(true);
            }
        }
    }

    fn is_dirty(&self, column: usize, row: usize) -> bool {
        self.dirty[row * self.columns + column]
    }
}

/// An RGB canvas: shapes through plotters' bitmap backend, text from the glyph cache blended
/// straight into the pixels, and each pixel written marked in [`Tiles`].
pub(super) struct Canvas<'a> {
    pixels: &'a mut [u8],
    size: (u32, u32),
    dirty: &'a mut Tiles,
}

impl<'a> Canvas<'a> {
    /// A canvas of `size` over `pixels` (RGB, row by row; at least `3 * width * height` bytes).
    pub(super) fn new(pixels: &'a mut [u8], size: (u32, u32), dirty: &'a mut Tiles) -> Self {
        Canvas {
            pixels,
            size,
            dirty,
        }
    }

    /// plotters' bitmap backend over the same pixels (making one costs a length check).
    fn bitmap(&mut self) -> BitMapBackend<'_> {
        BitMapBackend::with_buffer(self.pixels, self.size)
    }

    /// Blends one pixel of text exactly as the bitmap backend's `draw_pixel` does: opaque at
    /// alpha above 255/256, else each channel moved toward the colour by `floor(alpha * 256)`
    /// / 256, in integers.
    fn blend(&mut self, (x, y): (i32, i32), (r, g, b): (u8, u8, u8), alpha: f64) {
        let base = (y as usize * self.size.0 as usize + x as usize) * 3;
        let Some(pixel) = self.pixels.get_mut(base..base + 3) else {
            return;
        };
        if alpha >= 1.0 - 1.0 / 256.0 {
            pixel.copy_from_slice(&[r, g, b]);
        } else if alpha > 0.0 {
            // `as` truncates, which is floor for the positive values here.
            let a = (alpha * 256.0) as u64;
            for (old, new) in pixel.iter_mut().zip([r, g, b]) {
                if new > *old {
                    *old += (u64::from(new - *old) * a / 256) as u8;
                } else {
                    *old -= (u64::from(*old - new) * a / 256) as u8;
                }
            }
        }
    }
}

type BitmapError = <BitMapBackend<'static> as DrawingBackend>::ErrorType;
type Drawn = Result<(), DrawingErrorKind<BitmapError>>;

/// Each method does what plotters' bitmap backend does, with this canvas as the backend the
/// rasterisers draw on (so that their pixels and spans come back here to be marked), and the
/// bitmap's own fast paths for spans, filled rectangles and single pixels.
impl DrawingBackend for Canvas<'_> {
    type ErrorType = BitmapError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn {
        self.dirty.mark(point, point);
        self.bitmap().draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn {
        let straight = from.0 == to.0 || from.1 == to.1;
        if straight && style.stroke_width() == 1 {
            self.dirty.mark(from, to);
            return self.bitmap().draw_line(from, to, style);
        }
        rasterizer::draw_line(self, from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        if fill {
            self.dirty.mark(upper_left, bottom_right);
            return self
                .bitmap()
                .draw_rect(upper_left, bottom_right, style, fill);
        }
        rasterizer::draw_rect(self, upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        // plotters' default, which the bitmap backend uses.
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let points: Vec<BackendCoord> = path.into_iter().collect();
        if style.stroke_width() == 1 {
            for segment in points.windows(2) {
                self.draw_line(segment[0], segment[1], style)?;
            }
            return Ok(());
        }
        let outline = rasterizer::polygonize(&points, style.stroke_width());
        self.fill_polygon(outline, &style.color())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        rasterizer::draw_circle(self, center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawn {
        let vertices: Vec<_> = vert.into_iter().collect();
        rasterizer::fill_polygon(self, &vertices, style)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, (w, h): (u32, u32), src: &[u8]) -> Drawn {
        self.dirty.mark(pos, (pos.0 + w as i32, pos.1 + h as i32));
        self.bitmap().blit_bitmap(pos, (w, h), src)
    }

    /// plotters' text drawing (the default of its backend trait) with the glyphs from the
    /// cache: the same anchor from the same layout box, the same placement and colour per pixel.
    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Drawn {
        let Some(face) = text::face(style.family(), style.style(), style.size()) else {
            // A font the cache does not have: plotters draws it, anywhere.
            self.dirty.all();
            return self.bitmap().draw_text(text, style, pos);
        };
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let ((min_x, min_y), (max_x, max_y)) = style
            .layout_box(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -(max_x - min_x),
            HPos::Center => -(max_x - min_x) / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -(max_y - min_y) / 2,
            VPos::Bottom => -(max_y - min_y),
        };
        let transform = style.transform();
        let (width, height) = (self.size.0 as i32, self.size.1 as i32);
        face.borrow_mut().for_each_pixel(text, |x, y, coverage| {
            let (x, y) = transform.transform(x + dx - min_x, y + dy - min_y);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if x >= 0 && x < width && y >= 0 && y < height {
                self.dirty.mark((x, y), (x, y));
                self.blend((x, y), color.rgb, color.alpha * f64::from(coverage));
            }
        });
        Ok(())
    }
}

/// A thread's kept supersampled canvas.
struct KeptCanvas {
    pixels: Vec<u8>,
    /// Every byte is 255: the downsample whitens what it reads. False while a chart is being
    /// drawn, so a chart that failed (or panicked) leaves a canvas that is cleared before it is
    /// used again.
    white: bool,
}

thread_local! {
    /// The supersampled canvas, kept between the charts one thread draws: a fresh buffer of
    /// 20-40 MB per chart cost page faults and the kernel's zeroing of every page (1.5 s of
    /// system time in a batch of the library, against 0.05 s without charts), and whitening
    /// the whole of it per chart was a tenth of a batch's CPU.
    static CANVAS: RefCell<KeptCanvas> = const {
        RefCell::new(KeptCanvas { pixels: Vec::new(), white: true })
    };
}

/// Canvases above this many bytes (the atlas) are freed after use rather than kept.
const KEPT_CANVAS_BYTES: usize = 64 << 20;

/// Calls `draw` with `len` white (255) bytes of this thread's kept canvas; `draw` must leave
/// them white again when it succeeds (no chart is drawn inside another, so the canvas is
/// never borrowed twice).
fn with_white_canvas<T>(
    len: usize,
    draw: impl FnOnce(&mut [u8]) -> Result<T, PlotError>,
) -> Result<T, PlotError> {
    CANVAS.with_borrow_mut(|canvas| {
        if !canvas.white {
            canvas.pixels.clear();
        }
        if canvas.pixels.len() < len {
            canvas.pixels.resize(len, 255);
        }
        canvas.white = false;
        let result = draw(&mut canvas.pixels[..len]);
        canvas.white = result.is_ok();
        if canvas.pixels.capacity() > KEPT_CANVAS_BYTES {
            canvas.pixels = Vec::new();
        }
        result
    })
}

/// RGB pixels drawn at [`SUPERSAMPLING`] (2) times `size`, each 2x2 block averaged (rounded
/// half up) down to one pixel of `size`; the source is left all white (255) for the next
/// chart. Runs of [`RUN`] output pixels in clean tiles are white without being read (most of a
/// chart); dirty ones are read, and written at once when white after all. This pass once took
/// a third of a chart's instructions.
fn downsampled_whitening(pixels: &mut [u8], (width, height): (u32, u32), dirty: &Tiles) -> Vec<u8> {
    const _: () = assert!(SUPERSAMPLING == 2, "downsampled averages 2x2 blocks");
    let (width, height) = (width as usize, height as usize);
    let large_row = width * 2 * 3;
    let mut out = Vec::with_capacity(width * height * 3);
    for (y, two_rows) in pixels
        .chunks_exact_mut(2 * large_row)
        .take(height)
        .enumerate()
    {
        let tile_row = y / RUN;
        let (top, bottom) = two_rows.split_at_mut(large_row);
        let (top_runs, top_rest) = top.as_chunks_mut::<{ RUN * 6 }>();
        let (bottom_runs, bottom_rest) = bottom.as_chunks_mut::<{ RUN * 6 }>();
        for (column, (t, b)) in top_runs.iter_mut().zip(bottom_runs).enumerate() {
            if !dirty.is_dirty(column, tile_row) {
                out.extend_from_slice(&[255; RUN * 3]);
                continue;
            }
            // A bitwise AND over the run is 255 only when every byte is: vectorises, no branch.
            let white = t.iter().zip(&*b).fold(255, |all, (&x, &y)| all & x & y) == 255;
            if white {
                out.extend_from_slice(&[255; RUN * 3]);
            } else {
                out.extend_from_slice(&average_run(t, b));
                t.fill(255);
                b.fill(255);
            }
        }
        let mut rest = [0u8; RUN * 3];
        let rest = &mut rest[..top_rest.len() / 2];
        average_blocks(top_rest, bottom_rest, rest);
        out.extend_from_slice(rest);
        top_rest.fill(255);
        bottom_rest.fill(255);
    }
    out
}

/// [`average_blocks`] for one run of [`RUN`] output pixels, in two passes the compiler can
/// vectorise and unroll (fixed sizes, no bounds checks): top plus bottom, then left plus right.
fn average_run(top: &[u8; RUN * 6], bottom: &[u8; RUN * 6]) -> [u8; RUN * 3] {
    let mut columns = [0u16; RUN * 6];
    for ((sum, &t), &b) in columns.iter_mut().zip(top).zip(bottom) {
        *sum = u16::from(t) + u16::from(b);
    }
    let mut out = [0u8; RUN * 3];
    for pixel in 0..RUN {
        for c in 0..3 {
            let sum = columns[pixel * 6 + c] + columns[pixel * 6 + 3 + c];
            out[pixel * 3 + c] = ((sum + 2) / 4) as u8;
        }
    }
    out
}
/// Averages each 2x2 block of source pixels (`top` and `bottom` rows, 2 pixels of 3 bytes per
/// output pixel) into one pixel of `out`, rounding half up.
fn average_blocks(top: &[u8], bottom: &[u8], out: &mut [u8]) {
    let blocks = top.chunks_exact(6).zip(bottom.chunks_exact(6));
    for ((t, b), o) in blocks.zip(out.chunks_exact_mut(3)) {
        for c in 0..3 {
            let sum = u16::from(t[c]) + u16::from(t[c + 3]) + u16::from(b[c]) + u16::from(b[c + 3]);
            o[c] = ((sum + 2) / 4) as u8;
        }
    }
}

/// RGB pixels to PNG bytes. Fast compression: charts are flat colours, which compress well
/// anyway, and rendering a run's charts should take well under a second.
fn encode_png(pixels: &[u8], (width, height): (u32, u32)) -> Result<Vec<u8>, PlotError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let encode_error = |e: png::EncodingError| PlotError::new(format!("PNG encoding: {e}"));
    let mut writer = encoder.write_header().map_err(encode_error)?;
    writer.write_image_data(pixels).map_err(encode_error)?;
    writer.finish().map_err(encode_error)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::render;
    use crate::plot::{ChartFormat, style};
    use plotters::coord::Shift;

    /// Tiles of a canvas `width` x `height` (output pixels), all marked dirty.
    fn all_dirty(width: usize, height: usize) -> Tiles {
        let mut tiles = Tiles::new((2 * width as u32, 2 * height as u32));
        tiles.all();
        tiles
    }

    /// The plain definition: every output byte the rounded mean of its 2x2 source bytes.
    fn downsampled_by_definition(pixels: &[u8], (width, height): (usize, usize)) -> Vec<u8> {
        let stride = width * 2 * 3;
        let mut out = Vec::new();
        for y in 0..height {
            for x in 0..width {
                for channel in 0..3 {
                    let at = |dy: usize, dx: usize| {
                        usize::from(pixels[(2 * y + dy) * stride + (2 * x + dx) * 3 + channel])
                    };
                    let sum = at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1);
                    out.push(((sum + 2) / 4) as u8);
                }
            }
        }
        out
    }

    /// A mostly white canvas 21 pixels wide (two runs of 8 and a remainder of 5) with single
    /// black bytes: in the top or bottom row, first or last byte of a run, and in the remainder.
    #[test]
    fn downsampling_white_runs_keeps_every_darker_byte() {
        let (width, height) = (21, 3);
        let stride = width * 2 * 3;
        let mut pixels = vec![255u8; width * height * 4 * 3];
        let darker = [
            0,
            47,
            48 + stride,
            2 * stride + 95,
            2 * stride + 100,
            3 * stride + 50,
        ];
        for at in darker.into_iter().chain([6 * stride - 1]) {
            pixels[at] = 0;
        }
        let expected = downsampled_by_definition(&pixels, (width, height));
        let out = downsampled_whitening(
            &mut pixels,
            (width as u32, height as u32),
            &all_dirty(width, height),
        );
        assert_eq!(out, expected);
        // Each darker byte lands in its own output byte: (0 + 3 * 255 + 2) / 4 = 191.
        assert_eq!(out.iter().filter(|&&b| b == 191).count(), 7);
        assert!(pixels.iter().all(|&b| b == 255), "the canvas is left white");
    }

    #[test]
    fn downsampling_averages_each_two_by_two_block() {
        // Two runs of 8 and a remainder of 5 per row, on random bytes.
        let (width, height) = (21, 5);
        let mut state = 12345u32;
        let pixels: Vec<u8> = (0..width * height * 4 * 3)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (state >> 16) as u8
            })
            .collect();
        let expected = downsampled_by_definition(&pixels, (width, height));
        let mut canvas = pixels.clone();
        assert_eq!(
            downsampled_whitening(
                &mut canvas,
                (width as u32, height as u32),
                &all_dirty(width, height)
            ),
            expected
        );
        assert!(canvas.iter().all(|&b| b == 255), "the canvas is left white");
        // Rounding half up: 1 + 1 + 1 + 0 = 3 averages to 0.75, which rounds to 1.
        assert_eq!(
            downsampled_whitening(
                &mut [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0],
                (1, 1),
                &all_dirty(1, 1)
            ),
            [1, 1, 1]
        );
    }

    /// Paints the whole canvas black, then fails or not.
    struct Paint {
        fail: bool,
    }

    impl Chart for Paint {
        fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
            root.fill(&BLACK)?;
            if self.fail {
                Err(PlotError::new("failed on purpose"))
            } else {
                Ok(())
            }
        }
    }

    /// An empty chart.
    struct Blank;

    impl Chart for Blank {
        fn draw<DB: DrawingBackend>(&self, _: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
            Ok(())
        }
    }

    /// The kept canvas is whitened by the downsample; a chart that fails before it must not
    /// leave its pixels under the next chart drawn on the same thread.
    #[test]
    fn kept_canvas_starts_white_after_a_drawn_and_a_failed_chart() {
        let size = (300, 200);
        let blank = encode_png(&vec![255; 300 * 200 * 3], size).unwrap();
        let blank_is_white = || render(&Blank, ChartFormat::Png, size).unwrap() == blank;
        render(&Paint { fail: false }, ChartFormat::Png, size).unwrap();
        assert!(blank_is_white(), "marks of a drawn chart under the next");
        assert!(render(&Paint { fail: true }, ChartFormat::Png, size).is_err());
        assert!(blank_is_white(), "marks of a failed chart under the next");
    }

    /// Shapes of every kind the charts draw, some cut by the canvas edges: lines of width 1
    /// (straight, diagonal, steep) and wider, rectangles filled and outlined, translucent
    /// fills, circles, polygons, paths of width 1 and wider (with a sharp turn), single pixels,
    /// a bitmap and text.
    fn shapes<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>) {
        let blue = RGBColor(0, 114, 178);
        let lines: [((i32, i32), (i32, i32), u32); 6] = [
            ((3, 5), (300, 5), 1),
            ((40, 20), (41, 190), 1),
            ((10, 30), (250, 97), 1),
            ((200, 10), (215, 230), 1),
            ((-20, 150), (330, 120), 3),
            ((60, 60), (61, 240), 5),
        ];
        for (from, to, width) in lines {
            root.draw(&PathElement::new(
                vec![from, to],
                Color::stroke_width(&blue, width),
            ))
            .unwrap();
        }
        let path = vec![(20, 200), (120, 140), (30, 150), (290, 250)];
        root.draw(&PathElement::new(
            path.clone(),
            Color::stroke_width(&BLACK, 4),
        ))
        .unwrap();
        root.draw(&PathElement::new(path, RED)).unwrap();
        root.draw(&Rectangle::new([(100, 100), (180, 170)], GREEN.filled()))
            .unwrap();
        root.draw(&Rectangle::new(
            [(150, 20), (330, 60)],
            BLUE.mix(0.3).filled(),
        ))
        .unwrap();
        root.draw(&Rectangle::new(
            [(5, 210), (90, 258)],
            Color::stroke_width(&BLACK, 2),
        ))
        .unwrap();
        root.draw(&Circle::new((250, 180), 30, RED.mix(0.6).filled()))
            .unwrap();
        root.draw(&Circle::new((310, 250), 25, Color::stroke_width(&BLACK, 3)))
            .unwrap();
        root.draw(&Polygon::new(
            vec![(130, 190), (170, 255), (110, 240)],
            CYAN,
        ))
        .unwrap();
        for point in [(0, 0), (319, 259), (161, 3), (17, 77)] {
            root.draw_pixel(point, &MAGENTA).unwrap();
        }
        root.draw(&BitMapElement::with_owned_buffer((270, 70), (20, 10), vec![9u8; 600]).unwrap())
            .unwrap();
        let font = FontDesc::new(FontFamily::SansSerif, 21.0, FontStyle::Bold);
        root.draw_text("P(up) 0.42", &font.color(&BLACK), (180, 110))
            .unwrap();
    }

    /// The tiles a canvas marks as it is drawn on cover every pixel drawn: averaging only the
    /// marked tiles gives the same picture as averaging all of plain plotters' canvas, and
    /// leaves the canvas white.
    #[test]
    fn marked_tiles_cover_every_drawn_pixel() {
        style::register_fonts().unwrap();
        let size = (320u32, 260u32);
        let small = (size.0 / 2, size.1 / 2);
        let bytes = (size.0 * size.1 * 3) as usize;
        let mut plain = vec![255u8; bytes];
        {
            let root = BitMapBackend::with_buffer(&mut plain, size).into_drawing_area();
            shapes(&root);
        }
        let expected = downsampled_whitening(
            &mut plain,
            small,
            &all_dirty(small.0 as usize, small.1 as usize),
        );
        let mut pixels = vec![255u8; bytes];
        let mut tiles = Tiles::new(size);
        {
            let root = Canvas::new(&mut pixels, size, &mut tiles).into_drawing_area();
            shapes(&root);
        }
        assert!(tiles.dirty.iter().any(|&d| !d), "some tiles are clean");
        let out = downsampled_whitening(&mut pixels, small, &tiles);
        let differing = out.iter().zip(&expected).filter(|(a, b)| a != b).count();
        assert_eq!(differing, 0, "{differing} bytes differ from plain plotters");
        assert!(pixels.iter().all(|&b| b == 255), "the canvas is left white");
    }
}
