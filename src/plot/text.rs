//! Text on PNG charts from a per-thread glyph cache.
//!
//! plotters draws text by rasterising every glyph of every label anew (ab_glyph outlines) and
//! blending it pixel by pixel: in a batch of the library that was two fifths of the charts'
//! work. [`CachedText`] hands everything but text, polygons and opaque rectangles (see
//! `fill`) to the bitmap backend and draws text itself: each glyph is rasterised once per thread, font and size into the list of pixels it
//! covers, and each use blends that list straight into the canvas. It follows plotters' own text
//! drawing step by step (the same anchor from the same layout box, the same kerning and
//! advances in the same `f32` order, the same rounding of each glyph's position, the same
//! colour per pixel), so the pixels are the same as plotters' and text measured for layout
//! (plotters' `box_size`, unchanged) agrees with what is drawn. SVG keeps text as text.

use super::{fill, style};
use ab_glyph::{Font, FontRef, GlyphId, PxScaleFont, ScaleFont};
use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
    FontTransform,
    text_anchor::{HPos, VPos},
};
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::rc::Rc;
use std::sync::OnceLock;

/// An RGB canvas drawn on by plotters' bitmap backend, except for text, which comes from the
/// glyph cache and is blended straight into the pixels.
pub struct CachedText<'a> {
    pixels: &'a mut [u8],
    size: (u32, u32),
}

impl<'a> CachedText<'a> {
    /// A canvas of `size` over `pixels` (RGB, row by row; at least `3 * width * height` bytes).
    pub fn new(pixels: &'a mut [u8], size: (u32, u32)) -> CachedText<'a> {
        CachedText { pixels, size }
    }

    /// plotters' bitmap backend over the same pixels, for everything but text (making one
    /// costs a length check).
    fn bitmap(&mut self) -> BitMapBackend<'_> {
        BitMapBackend::with_buffer(self.pixels, self.size)
    }

    /// Fills the rectangle between two corners (right and bottom edges excluded, clipped to
    /// the canvas) in an opaque colour, as the bitmap backend's `fill_rect_fast` does.
    pub(super) fn fill_opaque(
        &mut self,
        corner: BackendCoord,
        opposite: BackendCoord,
        (r, g, b): (u8, u8, u8),
    ) {
        let (width, height) = (self.size.0 as i32, self.size.1 as i32);
        let (x0, y0) = (
            corner.0.min(opposite.0).max(0),
            corner.1.min(opposite.1).max(0),
        );
        let (x1, y1) = (
            corner.0.max(opposite.0).min(width),
            corner.1.max(opposite.1).min(height),
        );
        if x0 >= x1 || y0 >= y1 {
            return;
        }
        // Eight pixels at a time (24 bytes, whole pixels); a grey is one byte repeated.
        let eight: [u8; 24] = std::array::from_fn(|i| [r, g, b][i % 3]);
        for y in y0..y1 {
            let row = (y * width) as usize;
            let span = &mut self.pixels[(row + x0 as usize) * 3..(row + x1 as usize) * 3];
            if r == g && g == b {
                span.fill(r);
                continue;
            }
            let (runs, rest) = span.as_chunks_mut::<24>();
            runs.fill(eight);
            rest.copy_from_slice(&eight[..rest.len()]);
        }
    }

    /// Blends the pixels of column `x` from `rows` (clipped to the canvas) with the colour at
    /// a weight out of 256 (256 paints it): the bitmap backend's vertical line, one pixel
    /// after another down the column.
    pub(super) fn fill_column(
        &mut self,
        x: i32,
        rows: RangeInclusive<i32>,
        rgb: (u8, u8, u8),
        weight: u16,
    ) {
        let (width, height) = (self.size.0 as i32, self.size.1 as i32);
        let (top, bottom) = ((*rows.start()).max(0), (*rows.end()).min(height - 1));
        if x < 0 || x >= width || top > bottom {
            return;
        }
        let stride = width as usize * 3;
        let first = top as usize * stride + x as usize * 3;
        let column = self.pixels[first..].chunks_mut(stride);
        for pixel in column.take((bottom - top + 1) as usize) {
            if let Some(pixel) = pixel.first_chunk_mut() {
                blend(pixel, rgb, weight);
            }
        }
    }

    /// Blends one pixel of text with a [`weight`] as the bitmap backend's `draw_pixel` does.
    fn blend(&mut self, (x, y): (i32, i32), rgb: (u8, u8, u8), weight: u16) {
        let base = (y as usize * self.size.0 as usize + x as usize) * 3;
        if let Some(pixel) = self
            .pixels
            .get_mut(base..)
            .and_then(<[u8]>::first_chunk_mut)
        {
            blend(pixel, rgb, weight);
        }
    }

    /// Draws one glyph's pixels at `(x, y)` (its pen position on the canvas), unrotated and
    /// wholly inside the canvas: no per-pixel transform or bounds test, and the weights of an
    /// opaque colour straight from the glyph.
    fn glyph_inside(
        &mut self,
        glyph: &Glyph,
        (x, y): (i32, i32),
        color: BackendColor,
        on_white: &OnWhite,
    ) {
        let width = self.size.0 as isize;
        let origin = y as isize * width + x as isize;
        let opaque = color.alpha == 1.0;
        for pixel in &glyph.pixels {
            let weight = if opaque {
                pixel.weight
            } else {
                weight(color.alpha * f64::from(pixel.coverage))
            };
            // Not negative: the glyph is inside the canvas.
            let base = (origin + pixel.y as isize * width + pixel.x as isize) as usize * 3;
            if let Some(at) = self
                .pixels
                .get_mut(base..)
                .and_then(<[u8]>::first_chunk_mut)
            {
                if *at == [255; 3] {
                    *at = on_white[usize::from(weight)];
                } else {
                    blend(at, color.rgb, weight);
                }
            }
        }
    }
}

/// What a colour blended at each weight (0 to 256) makes of a white pixel: most text is
/// drawn on white, and a lookup is cheaper than the blend.
type OnWhite = [[u8; 3]; 257];

fn on_white(rgb: (u8, u8, u8)) -> OnWhite {
    std::array::from_fn(|weight| {
        let mut pixel = [255; 3];
        blend(&mut pixel, rgb, weight as u16);
        pixel
    })
}

/// The bitmap backend's blend of a pixel of alpha `alpha` as a weight out of 256: opaque
/// (256) above 255/256, else `floor(alpha * 256)`; 0 changes nothing.
fn weight(alpha: f64) -> u16 {
    if alpha >= 1.0 - 1.0 / 256.0 {
        256
    } else if alpha > 0.0 {
        // `as` truncates, which is floor for the positive values here.
        (alpha * 256.0) as u16
    } else {
        0
    }
}

/// Moves each channel toward the colour by `floor(difference * weight / 256)`, in integers,
/// as the bitmap backend blends (a weight of 256 gives the colour itself).
fn blend(pixel: &mut [u8; 3], (r, g, b): (u8, u8, u8), weight: u16) {
    if weight == 256 {
        *pixel = [r, g, b];
        return;
    }
    let weight = i32::from(weight);
    for (old, new) in pixel.iter_mut().zip([r, g, b]) {
        // Toward the colour by the floor of the moved fraction: no branch per channel.
        let difference = i32::from(new) - i32::from(*old);
        let step = (difference.abs() * weight) >> 8;
        *old = (i32::from(*old) + difference.signum() * step) as u8;
    }
}

type BitmapError = <BitMapBackend<'static> as DrawingBackend>::ErrorType;

/// A drawing error of the bitmap backend.
pub(super) type DrawingError = DrawingErrorKind<BitmapError>;

impl DrawingBackend for CachedText<'_> {
    type ErrorType = BitmapError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<BitmapError>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<BitmapError>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<BitmapError>> {
        self.bitmap().draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<BitmapError>> {
        self.bitmap().draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<BitmapError>> {
        let color = style.color();
        if fill && color.alpha >= 1.0 {
            self.fill_opaque(upper_left, bottom_right, color.rgb);
            return Ok(());
        }
        self.bitmap()
            .draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<BitmapError>> {
        self.bitmap().draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<BitmapError>> {
        let vertices: Vec<BackendCoord> = vert.into_iter().collect();
        fill::fill_polygon(self, &vertices, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<BitmapError>> {
        self.bitmap().blit_bitmap(pos, size, src)
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<BitmapError>> {
        // Only the embedded font is cached; any other family goes through plotters as before.
        if style.family().as_str() != EMBEDDED_FAMILY {
            return self.bitmap().draw_text(text, style, pos);
        }
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let ((min_x, min_y), (max_x, max_y)) = style
            .layout_box(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0,
            HPos::Right => -(max_x - min_x),
            HPos::Center => -(max_x - min_x) / 2,
        };
        let dy = match anchor.v_pos {
            VPos::Top => 0,
            VPos::Center => -(max_y - min_y) / 2,
            VPos::Bottom => -(max_y - min_y),
        };
        let transform = style.transform();
        let (width, height) = (self.size.0 as i32, self.size.1 as i32);
        let face = face(style.style(), style.size());
        let on_white = on_white(color.rgb);
        face.borrow_mut().for_each_glyph(text, |pen, glyph| {
            if glyph.pixels.is_empty() {
                return;
            }
            let at = (pos.0 + pen + dx - min_x, pos.1 + dy - min_y);
            let inside = at.0 + glyph.min.0 >= 0
                && at.0 + glyph.max.0 < width
                && at.1 + glyph.min.1 >= 0
                && at.1 + glyph.max.1 < height;
            if matches!(transform, FontTransform::None) && inside {
                self.glyph_inside(glyph, at, color, &on_white);
                return;
            }
            for pixel in &glyph.pixels {
                let (x, y) = transform.transform(pen + pixel.x + dx - min_x, pixel.y + dy - min_y);
                let (x, y) = (pos.0 + x, pos.1 + y);
                if x >= 0 && x < width && y >= 0 && y < height {
                    let weight = weight(color.alpha * f64::from(pixel.coverage));
                    self.blend((x, y), color.rgb, weight);
                }
            }
        });
        Ok(())
    }
}

/// The family [`style::register_fonts`] registers the embedded font as (plotters' default).
const EMBEDDED_FAMILY: &str = "sans-serif";

/// The embedded font of a style, parsed once: bold for bold, regular for every other style,
/// as plotters falls back to the regular font for styles it has no font for.
fn embedded_font(font_style: FontStyle) -> &'static FontRef<'static> {
    static REGULAR: OnceLock<FontRef<'static>> = OnceLock::new();
    static BOLD: OnceLock<FontRef<'static>> = OnceLock::new();
    let (cell, bold) = match font_style {
        FontStyle::Bold => (&BOLD, true),
        _ => (&REGULAR, false),
    };
    cell.get_or_init(|| {
        FontRef::try_from_slice(style::font_bytes(bold))
            .expect("the embedded DejaVu Sans font parses (register_fonts checked it)")
    })
}

/// One glyph at one size: where it sits and the pixels it covers, with their coverage.
struct Glyph {
    id: GlyphId,
    advance: f32,
    /// Pixels relative to the glyph's pen position (the y of plotters' `size / 2 + top`).
    pixels: Vec<GlyphPixel>,
    /// The smallest and largest x and y of `pixels` (inverted when there are none).
    min: (i32, i32),
    max: (i32, i32),
}

/// A pixel a glyph covers.
struct GlyphPixel {
    x: i32,
    y: i32,
    coverage: f32,
    /// The [`weight`] of the coverage in an opaque colour, the common case.
    weight: u16,
}

/// The glyphs of one font at one size, rasterised as they are first drawn.
struct Face {
    font: PxScaleFont<&'static FontRef<'static>>,
    size: f64,
    ascii: Vec<Option<Glyph>>,
    other: HashMap<char, Glyph>,
}

impl Face {
    fn new(font_style: FontStyle, size: f64) -> Face {
        Face {
            font: embedded_font(font_style).as_scaled(size as f32),
            size,
            ascii: (0..128).map(|_| None).collect(),
            other: HashMap::new(),
        }
    }

    fn glyph(&mut self, c: char) -> &Glyph {
        let (font, size) = (&self.font, self.size);
        match self.ascii.get_mut(c as usize) {
            Some(slot) => slot.get_or_insert_with(|| rasterised(font, size, c)),
            None => self
                .other
                .entry(c)
                .or_insert_with(|| rasterised(font, size, c)),
        }
    }

    /// Calls `draw(pen, glyph)` for every glyph of `text`, placed as plotters places them
    /// (text origin at 0, 0): kerning and advances summed in `f32`, each glyph at the
    /// truncated sum.
    fn for_each_glyph(&mut self, text: &str, mut draw: impl FnMut(i32, &Glyph)) {
        let mut pen = 0f32;
        let mut previous: Option<GlyphId> = None;
        for c in text.chars() {
            let (id, advance) = {
                let glyph = self.glyph(c);
                (glyph.id, glyph.advance)
            };
            if let Some(previous) = previous {
                pen += self.font.kern(previous, id);
            }
            previous = Some(id);
            draw(pen as i32, self.glyph(c));
            pen += advance;
        }
    }
}

/// Rasterises `c` as plotters' ab_glyph text drawing does: outlined at the origin, its rows
/// shifted by `size / 2` plus its top, truncated; pixels of zero coverage left out (they
/// change nothing).
fn rasterised(font: &PxScaleFont<&'static FontRef<'static>>, size: f64, c: char) -> Glyph {
    let id = font.glyph_id(c);
    let mut pixels = Vec::new();
    let (mut min, mut max) = ((i32::MAX, i32::MAX), (i32::MIN, i32::MIN));
    if let Some(outline) = font.outline_glyph(font.scaled_glyph(c)) {
        let top = ((size as f32) / 2.0 + outline.px_bounds().min.y) as i32;
        outline.draw(|x, y, coverage| {
            if coverage > 0.0 {
                let (x, y) = (x as i32, y as i32 + top);
                (min, max) = ((min.0.min(x), min.1.min(y)), (max.0.max(x), max.1.max(y)));
                let weight = weight(f64::from(coverage));
                pixels.push(GlyphPixel {
                    x,
                    y,
                    coverage,
                    weight,
                });
            }
        });
    }
    Glyph {
        id,
        advance: font.h_advance(id),
        pixels,
        min,
        max,
    }
}

/// Faces by boldness and the bits of their size.
type Faces = HashMap<(bool, u64), Rc<RefCell<Face>>>;

thread_local! {
    /// The faces this thread has drawn with (a chart uses a handful).
    static FACES: RefCell<Faces> = RefCell::new(HashMap::new());
}

/// Above this many faces a thread's cache starts again (canvases of many different sizes, as
/// in a long `serve` session), so it stays small.
const KEPT_FACES: usize = 64;

/// This thread's face of the embedded font for a style and size.
fn face(font_style: FontStyle, size: f64) -> Rc<RefCell<Face>> {
    let key = (matches!(font_style, FontStyle::Bold), size.to_bits());
    FACES.with_borrow_mut(|faces| {
        if faces.len() >= KEPT_FACES && !faces.contains_key(&key) {
            faces.clear();
        }
        faces
            .entry(key)
            .or_insert_with(|| Rc::new(RefCell::new(Face::new(font_style, size))))
            .clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::coord::Shift;
    use plotters::style::text_anchor::Pos;
    use plotters::style::{FontDesc, FontFamily, FontTransform, RGBAColor};

    const SIZE: (u32, u32) = (320, 260);

    /// Labels that exercise what the drawing must reproduce: sizes from tiny to large and
    /// fractional, bold and a style without its own font (italic), kerning pairs ("AV", "To"),
    /// letters outside ASCII, every anchor, rotation, a translucent colour, text overlapping
    /// text, and text cut at each edge of the canvas.
    fn labels<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>) {
        let font = |size: f64, style: FontStyle| FontDesc::new(FontFamily::SansSerif, size, style);
        let cases: [(&str, f64, FontStyle, (i32, i32)); 9] = [
            ("AVAWAY To Ty Wa", 13.0, FontStyle::Normal, (10, 10)),
            (
                "anti-miR-9 \u{2192} VEGF \u{2212}0.42",
                17.6,
                FontStyle::Normal,
                (10, 34),
            ),
            (
                "P(up) 10\u{207b}\u{2075} \u{2026} \u{2714}",
                22.4,
                FontStyle::Bold,
                (10, 60),
            ),
            ("Italic falls back", 15.5, FontStyle::Italic, (10, 92)),
            ("Large gj", 58.0, FontStyle::Bold, (10, 116)),
            ("tiny 0.123", 7.2, FontStyle::Normal, (200, 10)),
            ("cut left", 20.0, FontStyle::Normal, (-30, 190)),
            ("cut right edge", 20.0, FontStyle::Normal, (250, 200)),
            ("cut bottom", 24.0, FontStyle::Bold, (100, 248)),
        ];
        for (text, size, style, at) in cases {
            root.draw_text(text, &font(size, style).color(&BLACK), at)
                .unwrap();
        }
        let anchored = [
            (
                Pos::new(HPos::Center, VPos::Center),
                FontTransform::None,
                (160, 180),
            ),
            (
                Pos::new(HPos::Right, VPos::Bottom),
                FontTransform::Rotate90,
                (300, 120),
            ),
            (
                Pos::new(HPos::Center, VPos::Top),
                FontTransform::Rotate270,
                (290, 150),
            ),
            (
                Pos::new(HPos::Left, VPos::Center),
                FontTransform::Rotate180,
                (200, 230),
            ),
        ];
        let translucent = RGBAColor(213, 94, 0, 0.55);
        for (pos, transform, at) in anchored {
            let style = font(19.0, FontStyle::Normal)
                .transform(transform)
                .color(&translucent)
                .pos(pos);
            root.draw_text("Claim overlaps", &style, at).unwrap();
        }
    }

    /// The canvas after [`labels`], drawn by plain plotters or through the glyph cache.
    fn canvas(cached: bool) -> Vec<u8> {
        style::register_fonts().unwrap();
        let mut pixels = vec![255u8; (SIZE.0 * SIZE.1 * 3) as usize];
        if cached {
            let root = CachedText::new(&mut pixels, SIZE).into_drawing_area();
            labels(&root);
            root.present().unwrap();
        } else {
            let root = BitMapBackend::with_buffer(&mut pixels, SIZE).into_drawing_area();
            labels(&root);
            root.present().unwrap();
        }
        pixels
    }

    #[test]
    fn cached_text_draws_the_pixels_plotters_draws() {
        let plain = canvas(false);
        assert!(
            plain.iter().filter(|&&b| b < 128).count() > 2000,
            "the labels drew little"
        );
        // Twice through the cache: the second time every glyph comes from it.
        for round in 0..2 {
            let cached = canvas(true);
            let differing = plain.iter().zip(&cached).filter(|(a, b)| a != b).count();
            assert_eq!(differing, 0, "round {round}: {differing} bytes differ");
        }
    }
}
