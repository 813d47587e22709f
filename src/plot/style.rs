//! The look every chart shares: the embedded font (registered once), the Okabe-Ito
//! colour-blind-safe palette, sizes that scale with the canvas, and text fitting (wrapping and
//! abbreviating names so that no label overlaps or is clipped).

use super::PlotError;
use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor, register_font};
use std::sync::OnceLock;

/// Okabe-Ito blue: up, activation.
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
/// Okabe-Ito vermillion: down, inhibition.
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
/// Text and outlines: softer than pure black.
pub const INK: RGBColor = RGBColor(34, 34, 34);
/// Secondary text, unknown-sign links.
pub const MUTED: RGBColor = RGBColor(105, 105, 105);
/// "No change" bars.
pub const NEUTRAL: RGBColor = RGBColor(196, 196, 196);
/// Grid lines and disabled elements.
pub const LIGHT: RGBColor = RGBColor(226, 226, 226);
/// Node fill when there is nothing to colour by.
pub const PAPER: RGBColor = RGBColor(245, 245, 245);
pub const WHITE: RGBColor = RGBColor(255, 255, 255);

/// Colours for series that are told apart by colour alone (one per intervention): the rest of
/// the Okabe-Ito palette, in an order where neighbours contrast, then blue and vermillion.
pub const SERIES: [RGBColor; 7] = [
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    BLUE,
    VERMILLION,
    RGBColor(240, 228, 66),
];

/// Direction colours, shared so that every chart says "up" and "down" the same way.
pub const UP: RGBColor = BLUE;
pub const DOWN: RGBColor = VERMILLION;

/// The canvas size when none is asked for.
pub const DEFAULT_SIZE: (u32, u32) = (1600, 1000);

/// Registers DejaVu Sans as "sans-serif", plotters' default family, so every caption, tick
/// label and legend finds a font without system font libraries. Safe to call often: only the
/// first call registers.
pub fn register_fonts() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            let invalid = |_| "the embedded DejaVu Sans font is not a valid TrueType font";
            register_font("sans-serif", FontStyle::Normal, font_bytes(false)).map_err(invalid)?;
            register_font("sans-serif", FontStyle::Bold, font_bytes(true)).map_err(invalid)?;
            Ok(())
        })
        .clone()
        .map_err(PlotError::new)
}

/// The embedded DejaVu Sans, bold or regular: what [`register_fonts`] registers and what PNG
/// text is drawn with (`text`).
pub fn font_bytes(bold: bool) -> &'static [u8] {
    if bold {
        dejavu::sans::bold()
    } else {
        dejavu::sans::regular()
    }
}

/// Font sizes and spacing for one canvas: designed at 1600x1000 and scaled with the canvas so
/// that a larger picture is the same chart, not a chart with tiny text.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    scale: f64,
}

impl Theme {
    pub fn new((width, height): (u32, u32)) -> Theme {
        let scale = (f64::from(width) / 1600.0).min(f64::from(height) / 1000.0);
        Theme {
            scale: scale.clamp(0.4, 4.0),
        }
    }

    /// The theme of a chart whose height follows its content (one row per claim): sizes
    /// follow the width alone, so a long chart is taller, never smaller-printed.
    pub fn for_width(width: u32) -> Theme {
        Theme::new((width, u32::MAX))
    }

    /// A length designed for 1600x1000, on this canvas.
    pub fn px(&self, design: f64) -> f64 {
        design * self.scale
    }

    /// A length in whole pixels, for plotters' integer coordinates.
    pub fn ipx(&self, design: f64) -> i32 {
        self.px(design).round() as i32
    }

    pub fn title(&self) -> FontDesc<'static> {
        self.bold(29.0)
    }

    pub fn subtitle(&self) -> FontDesc<'static> {
        self.regular(18.0)
    }

    /// Axis descriptions and panel titles.
    pub fn label(&self) -> FontDesc<'static> {
        self.regular(18.0)
    }

    pub fn panel_title(&self) -> FontDesc<'static> {
        self.bold(18.0)
    }

    /// Tick labels, node names, legend entries.
    pub fn tick(&self) -> FontDesc<'static> {
        self.regular(16.0)
    }

    /// Numbers inside bars and on links.
    pub fn small(&self) -> FontDesc<'static> {
        self.regular(14.0)
    }

    pub fn regular(&self, design: f64) -> FontDesc<'static> {
        FontDesc::new(FontFamily::SansSerif, self.px(design), FontStyle::Normal)
    }

    pub fn bold(&self, design: f64) -> FontDesc<'static> {
        FontDesc::new(FontFamily::SansSerif, self.px(design), FontStyle::Bold)
    }
}

/// The colour for a net direction in [-1, 1]: vermillion (down) through near-white to blue (up).
pub fn diverging(value: f64) -> RGBColor {
    let v = if value.is_finite() {
        value.clamp(-1.0, 1.0)
    } else {
        0.0
    };
    let end = if v >= 0.0 { UP } else { DOWN };
    mix(RGBColor(247, 247, 247), end, v.abs())
}

/// Linear blend from `a` (t = 0) to `b` (t = 1).
pub fn mix(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let channel = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    RGBColor(channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
}

/// Ink that reads on a fill: white on dark fills, near-black on light ones.
pub fn text_on(fill: RGBColor) -> RGBColor {
    let luminance =
        0.299 * f64::from(fill.0) + 0.587 * f64::from(fill.1) + 0.114 * f64::from(fill.2);
    if luminance < 140.0 { WHITE } else { INK }
}

/// Width of `text` in pixels.
pub fn text_width(text: &str, font: &FontDesc) -> Result<f64, PlotError> {
    let (width, _) = font
        .box_size(text)
        .map_err(|e| PlotError::new(format!("font error: {e:?}")))?;
    Ok(f64::from(width))
}

/// Height of one line of text in pixels (from the font size, so every line is equally tall
/// whatever letters it holds).
pub fn line_height(font: &FontDesc) -> f64 {
    (font.get_size() * 1.2).ceil()
}

/// Breaks `text` into at most `max_lines` lines no wider than `max_width`, at spaces first,
/// then after hyphens and slashes; what does not fit is shortened in the last line.
pub fn wrap(
    text: &str,
    font: &FontDesc,
    max_width: f64,
    max_lines: usize,
) -> Result<Vec<String>, PlotError> {
    // Lines keep the spaces they were broken at, so that the overflow can be rejoined.
    let mut lines: Vec<String> = Vec::new();
    for word in pieces(text) {
        match lines.last_mut() {
            Some(line) if text_width(format!("{line}{word}").trim(), font)? <= max_width => {
                line.push_str(&word);
            }
            _ => lines.push(word),
        }
    }
    if lines.len() > max_lines.max(1) {
        let rest = lines.split_off(max_lines.max(1) - 1).concat();
        lines.push(rest);
    }
    lines
        .into_iter()
        .map(|line| abbreviate(line.trim(), font, max_width))
        .collect()
}

/// Splits text into pieces that may start a new line: words keep their leading space, and a
/// word with hyphens or slashes also breaks after them ("anti-miR-9" -> "anti-", "miR-", "9").
fn pieces(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, word) in text.split_whitespace().enumerate() {
        let mut current = if i == 0 {
            String::new()
        } else {
            " ".to_string()
        };
        for c in word.chars() {
            current.push(c);
            if matches!(c, '-' | '/') && current.trim().chars().count() > 2 {
                out.push(std::mem::take(&mut current));
            }
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

/// `text` as it is when it fits in `max_width`, otherwise with its middle replaced by an
/// ellipsis: names that share a long beginning often differ at the end ("bone-marrow… 12").
/// The kept end is made of whole words when they take at most half the width.
pub fn abbreviate(text: &str, font: &FontDesc, max_width: f64) -> Result<String, PlotError> {
    if text_width(text, font)? <= max_width {
        return Ok(text.to_string());
    }
    let tail = tail_words(text, font, max_width / 2.0)?;
    let chars: Vec<char> = text.chars().collect();
    let head_room = chars.len().saturating_sub(tail.chars().count());
    let cut = |kept: usize| {
        let head: String = chars[..kept].iter().collect();
        format!("{}…{tail}", head.trim_end())
    };
    // Binary search on how much of the beginning to keep: widths grow with it.
    let (mut lo, mut hi) = (0, head_room);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if text_width(&cut(mid), font)? <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Ok(cut(lo))
}

/// The longest run of whole words at the end of `text` (with a leading space) no wider than
/// `room`, never including the first word; empty when even the last word is wider.
fn tail_words(text: &str, font: &FontDesc, room: f64) -> Result<String, PlotError> {
    let mut tail = String::new();
    for word in text
        .split_whitespace()
        .skip(1)
        .collect::<Vec<_>>()
        .iter()
        .rev()
    {
        let longer = format!(" {word}{tail}");
        if text_width(&longer, font)? > room {
            break;
        }
        tail = longer;
    }
    Ok(tail)
}

/// A number for a label: at most three significant digits, a true minus sign, and powers of
/// ten for very large or small magnitudes.
pub fn format_number(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return "0".to_string();
    }
    let sign = if value < 0.0 { "\u{2212}" } else { "" };
    let magnitude = value.abs();
    let exponent = magnitude.log10().floor() as i32;
    if (-3..4).contains(&exponent) {
        let decimals = (2 - exponent).max(0) as usize;
        let text = format!("{magnitude:.decimals$}");
        let text = if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            text
        };
        return format!("{sign}{text}");
    }
    let mantissa = magnitude / 10f64.powi(exponent);
    let power = format!("10{}", superscript(exponent));
    if (mantissa - 1.0).abs() < 0.05 {
        format!("{sign}{power}")
    } else {
        format!("{sign}{mantissa:.1}×{power}")
    }
}

fn superscript(n: i32) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let digits = n
        .unsigned_abs()
        .to_string()
        .chars()
        .map(|c| DIGITS[c.to_digit(10).unwrap_or(0) as usize])
        .collect::<String>();
    if n < 0 {
        format!("⁻{digits}")
    } else {
        digits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font() -> FontDesc<'static> {
        register_fonts().unwrap();
        Theme::new(DEFAULT_SIZE).tick()
    }

    #[test]
    fn short_text_is_one_line() {
        assert_eq!(wrap("VEGF", &font(), 200.0, 2).unwrap(), vec!["VEGF"]);
    }

    #[test]
    fn long_text_wraps_within_width_and_line_count() {
        let f = font();
        let text = "bone-marrow mesenchymal stromal cell exosomes carrying anti-miR-9 cargo";
        let lines = wrap(text, &f, 160.0, 2).unwrap();
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| text_width(l, &f).unwrap() <= 160.0));
        assert!(
            lines[1].contains('…') && lines[1].ends_with(" cargo"),
            "{lines:?}"
        );
    }

    #[test]
    fn hyphenated_words_break_after_hyphens() {
        let lines = wrap("resistant-cell-derived", &font(), 90.0, 3).unwrap();
        assert!(lines.len() > 1 && lines[0].ends_with('-'), "{lines:?}");
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(10.0), "10");
        assert_eq!(format_number(-0.01), "\u{2212}0.01");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(1e5), "10⁵");
        assert_eq!(format_number(1e-5), "10⁻⁵");
    }

    #[test]
    fn diverging_ends_are_the_direction_colours() {
        assert_eq!(diverging(1.0), UP);
        assert_eq!(diverging(-1.0), DOWN);
        assert_eq!(diverging(f64::NAN), diverging(0.0));
    }
}
