//! Limits on what an import may ask of the machine, checked before the file is opened for real:
//! the bytes read, the bytes an .xlsx archive unpacks to, and the cells its sheets span.
//!
//! A spreadsheet library fills a dense grid from the first to the last cell of a sheet and
//! unpacks every archive member into memory, so a 5.7 KB workbook with cells at A1 and
//! XFD1048576 asked for 550 GB, and a 3 MB zip bomb for 4.2 GB. Here the archive is streamed
//! once through a counter and each sheet's cell positions through a small XML reader, so a
//! refusal costs a few megabytes whatever the file claims.

use std::io::{Cursor, Read};

/// How much an import may read and allocate; each limit has a flag that raises it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of the file, and of everything an .xlsx archive unpacks to (`--max-size`, in MB).
    pub max_bytes: u64,
    /// Cells between the first and last used cell of one sheet (`--max-cells`).
    pub max_cells: u64,
}

impl Default for Limits {
    /// Netflux and Mental Modeler models are kilobytes and a few hundred cells; a 100k-edge
    /// SBML file is 35 MB. These limits keep an import's memory to a few hundred MB at most.
    fn default() -> Self {
        Limits {
            max_bytes: 64 * 1024 * 1024,
            max_cells: 250_000,
        }
    }
}

impl Limits {
    /// The message for input over `max_bytes`.
    pub fn too_big(&self, what: &str) -> String {
        format!(
            "{what} is larger than the limit of {} MB; pass --max-size MB to raise it",
            self.max_bytes / (1024 * 1024)
        )
    }
}

/// Checks an .xlsx archive or an .xls compound file ([`super::xls_bounds`]) against `limits`
/// without holding more than a buffer of it; any other bytes pass (the spreadsheet reader
/// reports what it cannot read).
pub fn check_workbook(bytes: &[u8], limits: &Limits) -> Result<(), String> {
    if super::xls_bounds::is_xls(bytes) {
        return super::xls_bounds::check(bytes, limits);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Ok(());
    }
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut unpacked: u64 = 0;
    for index in 0..archive.len() {
        let Ok(member) = archive.by_index(index) else {
            continue;
        };
        let name = member.name().map(|n| n.into_owned()).unwrap_or_default();
        let budget = limits.max_bytes.saturating_sub(unpacked);
        let mut counted = Counted {
            inner: member.take(budget + 1),
            count: 0,
        };
        if is_sheet(&name) {
            check_sheet_span(&mut counted, &name, limits)?;
        }
        let _ = std::io::copy(&mut counted, &mut std::io::sink());
        unpacked += counted.count;
        if unpacked > limits.max_bytes {
            return Err(limits.too_big(&format!("the unpacked workbook (at member '{name}')")));
        }
    }
    Ok(())
}

fn is_sheet(name: &str) -> bool {
    name.starts_with("xl/worksheets/") && name.ends_with(".xml")
}

/// A reader that counts the bytes it passes on.
struct Counted<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// Refuses a sheet whose used cells span more than `max_cells` (rows × columns), reading the
/// `r` positions of its `<row>` and `<c>` tags as they stream past. A position left out follows
/// the one before, as in the spreadsheet reader. Text between tags is skipped unread, so a
/// 3 GB string costs nothing here.
fn check_sheet_span(reader: impl Read, name: &str, limits: &Limits) -> Result<(), String> {
    let mut span = Span::default();
    let (mut row, mut col): (u64, Option<u64>) = (0, None);
    let mut on_tag = |tag: &[u8]| -> Result<(), String> {
        match tag_name(tag) {
            b"row" => {
                row = attribute(tag, b"r")
                    .and_then(|p| std::str::from_utf8(p).ok()?.trim().parse::<u64>().ok())
                    .map_or(row + 1, |r| r.saturating_sub(1));
                col = None;
            }
            b"c" => {
                let (r, c) = attribute(tag, b"r")
                    .and_then(cell_position)
                    .unwrap_or((row, col.map_or(0, |c| c + 1)));
                (row, col) = (r, Some(c));
                span.add(r, c);
                span.check(name, limits)?;
            }
            _ => {}
        }
        Ok(())
    };
    for_each_start_tag(reader, &mut on_tag)
}

/// Longest start tag kept whole; a longer one (only attributes could make it so) is skipped.
const MAX_TAG: usize = 4096;

/// Calls `on_tag` with the inside of each start or empty tag (`c r="A1"/`), in a fixed buffer.
fn for_each_start_tag(
    mut reader: impl Read,
    on_tag: &mut dyn FnMut(&[u8]) -> Result<(), String>,
) -> Result<(), String> {
    let mut chunk = [0u8; 64 * 1024];
    let mut tag: Vec<u8> = Vec::with_capacity(MAX_TAG);
    let mut in_tag = false;
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) | Err(_) => return Ok(()),
            Ok(n) => n,
        };
        for &byte in &chunk[..n] {
            match (in_tag, byte) {
                (false, b'<') => {
                    in_tag = true;
                    tag.clear();
                }
                (true, b'>') => {
                    in_tag = false;
                    if tag.len() < MAX_TAG && !tag.starts_with(b"/") {
                        on_tag(&tag)?;
                    }
                }
                (true, _) if tag.len() < MAX_TAG => tag.push(byte),
                _ => {}
            }
        }
    }
}

/// The tag's local name: `c` for `x:c r="A1"`.
fn tag_name(tag: &[u8]) -> &[u8] {
    let end = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(tag.len());
    let name = &tag[..end];
    name.iter()
        .rposition(|b| *b == b':')
        .map_or(name, |colon| &name[colon + 1..])
}

/// The value of attribute `key` in a tag, quoted with `"` or `'`.
fn attribute<'t>(tag: &'t [u8], key: &[u8]) -> Option<&'t [u8]> {
    let mut rest = tag;
    while let Some(at) = rest
        .windows(key.len() + 1)
        .position(|w| &w[..key.len()] == key && w[key.len()] == b'=')
    {
        let preceded_by_space = at > 0 && rest[at - 1].is_ascii_whitespace();
        let value = &rest[at + key.len() + 1..];
        if preceded_by_space {
            let quote = *value.first()?;
            let inner = &value[1..];
            let close = inner.iter().position(|b| *b == quote)?;
            return Some(&inner[..close]);
        }
        rest = value;
    }
    None
}

/// The rectangle from the first to the last cell seen.
#[derive(Default)]
pub(super) struct Span {
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
}

impl Span {
    pub(super) fn add(&mut self, row: u64, col: u64) {
        let widen = |range: Option<(u64, u64)>, v: u64| {
            Some(range.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
        };
        self.rows = widen(self.rows, row);
        self.cols = widen(self.cols, col);
    }

    fn extent(range: Option<(u64, u64)>) -> u64 {
        range.map_or(0, |(lo, hi)| hi - lo + 1)
    }

    fn cells(&self) -> u64 {
        Span::extent(self.rows).saturating_mul(Span::extent(self.cols))
    }

    fn describe(&self) -> String {
        format!(
            "{} rows by {} columns",
            Span::extent(self.rows),
            Span::extent(self.cols)
        )
    }

    /// Refuses a span of sheet `name` over the cell limit.
    pub(super) fn check(&self, name: &str, limits: &Limits) -> Result<(), String> {
        if self.cells() <= limits.max_cells {
            return Ok(());
        }
        Err(format!(
            "sheet '{name}' spans {} (more than the limit of {} cells); pass --max-cells N to raise it, or delete the stray cells far from the model",
            self.describe(),
            limits.max_cells
        ))
    }
}

/// `(row, column)`, 0-based, of a cell reference such as `XFD1048576`, read as calamine reads
/// it: any number of letters, either case, so `nullA2` is column 6,775,185 (a fuzzed workbook
/// of 71 KB with that reference made calamine allocate 1.9 GB before this counted it).
fn cell_position(reference: &[u8]) -> Option<(u64, u64)> {
    let letters = reference
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    let (col_part, row_part) = reference.split_at(letters);
    if letters == 0 || row_part.is_empty() {
        return None;
    }
    let col = col_part.iter().fold(0u64, |acc, b| {
        acc.saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A' + 1))
    });
    let row: u64 = std::str::from_utf8(row_part).ok()?.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_read_as_positions() {
        assert_eq!(cell_position(b"A1"), Some((0, 0)));
        assert_eq!(cell_position(b"c5"), Some((4, 2)));
        assert_eq!(cell_position(b"XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_position(b"A0"), None);
        assert_eq!(cell_position(b"12"), None);
        // calamine reads any number of letters; so must the bound.
        let null_a = ((((14 * 26 + 21) * 26 + 12) * 26 + 12) * 26) + 1;
        assert_eq!(cell_position(b"nullA2"), Some((1, null_a - 1)));
        assert!(cell_position(b"ZZZZZZZZZZZZZZZZZZZZ1").is_some());
    }

    #[test]
    fn spans_count_rows_times_columns_and_implied_positions() {
        let limits = Limits {
            max_bytes: 1 << 20,
            max_cells: 6,
        };
        let two_by_three =
            br#"<sheetData><row r="1"><c r="A1"/><c/><c/></row><row><c r="A2"/></row></sheetData>"#;
        assert!(check_sheet_span(&two_by_three[..], "s", &limits).is_ok());
        let far =
            br#"<sheetData><row r="1"><c r="A1"/></row><row r="9"><c r="C9"/></row></sheetData>"#;
        let message = check_sheet_span(&far[..], "s", &limits).unwrap_err();
        assert!(message.contains("9 rows by 3 columns"), "{message}");
        assert!(message.contains("--max-cells"), "{message}");
        let stray = br#"<sheetData><row r="2"><c r="A2"/><c r="nullA2"/></row></sheetData>"#;
        let message = check_sheet_span(&stray[..], "s", &limits).unwrap_err();
        assert!(message.contains("1 rows by 6775185 columns"), "{message}");
    }

    #[test]
    fn attributes_and_names_are_read_from_tags() {
        assert_eq!(tag_name(b"x:c r=\"A1\"/"), b"c");
        assert_eq!(tag_name(b"row"), b"row");
        assert_eq!(attribute(b"c t=\"s\" r='B2'", b"r"), Some(&b"B2"[..]));
        assert_eq!(attribute(b"c xr=\"B2\"", b"r"), None);
    }
}
