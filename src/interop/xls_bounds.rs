//! Bounds for an .xls workbook, checked before the spreadsheet reader sees it. An .xls file is
//! an OLE compound file (MS-CFB): sectors chained through an allocation table, one of whose
//! streams, `Workbook`, holds BIFF records (MS-XLS).
//!
//! The reader trusts the file. It follows a sector chain that loops until the stream's claimed
//! length (up to 4 GB), indexes past the allocation table or slices past the file's end (a
//! panic), reads a table sector once for every time the file lists it, slices the stream at a
//! sheet offset past its end (a panic), reserves rows × columns cells for a DIMENSIONS record
//! whose last row comes before its first (2^32 rows once the subtraction wraps: an abort), and
//! fills a dense grid between a sheet's farthest cells (65,536 × 256 cells). Here every chain
//! is walked once with a step bound, and the records are read for sheet offsets and cell
//! positions only, so a refusal costs about what the file weighs.

use super::bounds::{Limits, Span};

const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// Sector ids from here up are markers, not sectors.
const RESERVED: u32 = 0xFFFF_FFFA;
/// Ids of the allocation table's own sectors are below this in the DIFAT.
const DIFAT_SECTOR: u32 = 0xFFFF_FFFC;
/// Streams shorter than this live in the mini stream, in 64-byte sectors.
const MINI_CUTOFF: u64 = 4096;
const MINI_SECTOR: usize = 64;

// BIFF record types.
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const CONTINUE: u16 = 0x003C;
const BOUND_SHEET: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;
const FORMULA: u16 = 0x0006;
const STRING: u16 = 0x0207;
const MUL_RK: u16 = 0x00BD;
/// Records that hold one cell at (row, column) in their first four bytes.
const ONE_CELL: [u16; 6] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD];

/// True for an OLE compound file (what .xls workbooks are).
pub fn is_xls(bytes: &[u8]) -> bool {
    bytes.starts_with(&SIGNATURE)
}

/// Refuses an .xls file whose structure would make the reader loop, panic or allocate beyond
/// `limits`; a file the reader refuses cleanly by itself passes.
pub fn check(bytes: &[u8], limits: &Limits) -> Result<(), String> {
    let Some(file) = Compound::open(bytes).map_err(damaged)? else {
        return Ok(());
    };
    let Some(stream) = file.workbook().map_err(damaged)? else {
        return Ok(());
    };
    check_records(&stream, limits)
}

fn damaged(problem: String) -> String {
    format!(
        "the .xls file is damaged: {problem}; open it in Excel or LibreOffice and save it again"
    )
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn u32s(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes.chunks_exact(4).map(|c| u32_at(c, 0))
}

/// A compound file's sectors, allocation tables, directory and mini stream.
struct Compound<'a> {
    /// Everything after the header: sector `id` starts at `id * size`.
    body: &'a [u8],
    size: usize,
    fat: Vec<u32>,
    mini_fat: Vec<u32>,
    mini_stream: Vec<u8>,
    entries: Vec<Entry>,
}

/// A directory entry.
struct Entry {
    name: String,
    start: u32,
    len: u64,
}

/// Which sectors a chain runs through.
#[derive(Clone, Copy)]
enum Sectors {
    Main,
    Mini,
}

impl<'a> Compound<'a> {
    /// Reads the tables and the directory as the reader does; `None` where the reader stops
    /// with an error of its own (not a compound file it reads).
    fn open(bytes: &'a [u8]) -> Result<Option<Compound<'a>>, String> {
        if bytes.len() < 512 || u16_at(bytes, 32) != 6 {
            return Ok(None);
        }
        let size = match u16_at(bytes, 30) {
            0x09 => 512,
            0x0C => 4096,
            _ => return Ok(None),
        };
        let Some(body) = bytes.get(size..) else {
            return Ok(None);
        };
        let mut file = Compound {
            body,
            size,
            fat: Vec::new(),
            mini_fat: Vec::new(),
            mini_stream: Vec::new(),
            entries: Vec::new(),
        };
        let difat = file.difat(bytes)?;
        file.fat = file.fat(&difat)?;
        let directory = file.chain(u32_at(bytes, 48), u64::MAX, Sectors::Main)?;
        file.entries = directory
            .chunks_exact(128)
            .map(|bytes| entry(bytes, size))
            .collect();
        let Some(root) = file.entries.first() else {
            return Ok(None);
        };
        let (root_start, root_len) = (root.start, root.len);
        if u16_at(bytes, 26) != 3 && root_start == END_OF_CHAIN {
            return Ok(None);
        }
        let mini_fat_sectors = u64::from(u32_at(bytes, 64));
        if mini_fat_sectors > 0 {
            file.mini_stream = file.chain(root_start, root_len, Sectors::Main)?;
            let table_len = mini_fat_sectors * size as u64;
            let table = file.chain(u32_at(bytes, 60), table_len, Sectors::Main)?;
            file.mini_fat = u32s(&table).collect();
        }
        Ok(Some(file))
    }

    /// The sector ids of the main allocation table: the header's 109, then the DIFAT chain.
    fn difat(&self, header: &[u8]) -> Result<Vec<u32>, String> {
        let mut difat: Vec<u32> = u32s(&header[76..512]).collect();
        let mut id = u32_at(header, 68);
        let mut steps = 0;
        while id < RESERVED {
            steps += 1;
            if steps > self.sector_count() {
                return Err("its DIFAT chain loops".into());
            }
            difat.extend(u32s(self.sector(id, Sectors::Main)?));
            id = difat.pop().unwrap_or(END_OF_CHAIN);
        }
        Ok(difat)
    }

    /// The main allocation table. The reader reads a table sector once per listing, so a
    /// sector listed a million times would cost a million sectors of memory.
    fn fat(&self, difat: &[u32]) -> Result<Vec<u32>, String> {
        let ids: Vec<u32> = difat
            .iter()
            .copied()
            .filter(|&id| id < DIFAT_SECTOR)
            .collect();
        if ids.len() > self.sector_count() {
            return Err(format!(
                "it lists {} allocation-table sectors and has only {} sectors",
                ids.len(),
                self.sector_count()
            ));
        }
        let mut fat = Vec::new();
        for id in ids {
            fat.extend(u32s(self.sector(id, Sectors::Main)?));
        }
        Ok(fat)
    }

    fn sector_count(&self) -> usize {
        self.body.len().div_ceil(self.size)
    }

    /// Sector `id`: whole, or the part the file holds of the last one.
    fn sector(&self, id: u32, sectors: Sectors) -> Result<&[u8], String> {
        let (data, size) = match sectors {
            Sectors::Main => (self.body, self.size),
            Sectors::Mini => (&self.mini_stream[..], MINI_SECTOR),
        };
        let start = id as usize * size;
        if start >= data.len() {
            return Err(format!("sector {id} lies past the end of the data"));
        }
        Ok(&data[start..data.len().min(start + size)])
    }

    /// The first `len` bytes of the chain from `start`, walked as the reader walks it, with
    /// a step bound: no chain without a loop visits more sectors than there are.
    fn chain(&self, start: u32, len: u64, sectors: Sectors) -> Result<Vec<u8>, String> {
        let (table, count) = match sectors {
            Sectors::Main => (&self.fat, self.sector_count()),
            Sectors::Mini => (&self.mini_fat, self.mini_stream.len().div_ceil(MINI_SECTOR)),
        };
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        let mut out = Vec::new();
        let mut id = start;
        let mut steps = 0;
        while id != END_OF_CHAIN {
            let sector = self.sector(id, sectors)?;
            let take = sector.len().min(len - out.len());
            out.extend_from_slice(&sector[..take]);
            if out.len() >= len {
                break;
            }
            steps += 1;
            if steps > count {
                return Err(format!("a sector chain from sector {start} loops"));
            }
            id = *table
                .get(id as usize)
                .ok_or_else(|| format!("sector {id} has no entry in its allocation table"))?;
        }
        Ok(out)
    }

    /// The workbook stream as the reader picks it (`Workbook`, else `Book`); `None` when
    /// there is neither.
    fn workbook(&self) -> Result<Option<Vec<u8>>, String> {
        let named = |name: &str| {
            self.entries
                .iter()
                .find(|e| e.name.eq_ignore_ascii_case(name))
        };
        let Some(entry) = named("Workbook").or_else(|| named("Book")) else {
            return Ok(None);
        };
        let sectors = match entry.len < MINI_CUTOFF {
            true => Sectors::Mini,
            false => Sectors::Main,
        };
        self.chain(entry.start, entry.len, sectors).map(Some)
    }
}

/// A 128-byte directory entry: its UTF-16 name up to the first NUL, start sector and length
/// (32 bits in files of 512-byte sectors, 64 in the others).
fn entry(bytes: &[u8], sector_size: usize) -> Entry {
    let units: Vec<u16> = bytes[..64]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let mut name = String::from_utf16_lossy(&units);
    if let Some(nul) = name.find('\0') {
        name.truncate(nul);
    }
    let len = match sector_size {
        512 => u64::from(u32_at(bytes, 120)),
        _ => u64::from(u32_at(bytes, 120)) | u64::from(u32_at(bytes, 124)) << 32,
    };
    Entry {
        name,
        start: u32_at(bytes, 116),
        len,
    }
}

/// The records of a BIFF stream as the reader splits them: (type, data). CONTINUE records
/// belong to the record before them; a record running past the stream ends the walk, as it
/// ends the reader's.
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        let (typ, data) = split_record(&mut rest)?;
        while rest.len() > 4 && u16_at(rest, 0) == CONTINUE {
            if split_record(&mut rest).is_none() {
                rest = &[];
            }
        }
        Some((typ, data))
    })
}

fn split_record<'s>(rest: &mut &'s [u8]) -> Option<(u16, &'s [u8])> {
    if rest.len() < 4 {
        return None;
    }
    let typ = u16_at(rest, 0);
    let len = usize::from(u16_at(rest, 2));
    let data = rest.get(4..4 + len)?;
    *rest = &rest[4 + len..];
    Some((typ, data))
}

/// Walks the workbook globals for the sheets, then each sheet for its cells.
fn check_records(stream: &[u8], limits: &Limits) -> Result<(), String> {
    let mut sheets = Vec::new();
    for (typ, data) in records(stream) {
        match typ {
            BOUND_SHEET => sheets.push(sheet(data, stream.len(), sheets.len())?),
            EOF => break,
            _ => {}
        }
    }
    for (offset, name) in sheets {
        check_sheet(&stream[offset..], &name, limits)?;
    }
    Ok(())
}

/// A sheet entry's (offset, name), refused when it is too short to read or points past the
/// stream (both make the reader panic).
fn sheet(data: &[u8], stream_len: usize, index: usize) -> Result<(usize, String), String> {
    if data.len() < 6 {
        return Err(damaged(format!(
            "sheet entry {} is {} bytes long, shorter than the 6 it needs",
            index + 1,
            data.len()
        )));
    }
    let name = sheet_name(&data[6..]).unwrap_or_else(|| format!("number {}", index + 1));
    let offset = u32_at(data, 0) as usize;
    if offset > stream_len {
        return Err(damaged(format!(
            "sheet '{name}' starts at byte {offset}, past the end of the {stream_len}-byte workbook stream"
        )));
    }
    Ok((offset, name))
}

/// A sheet's name (a short string: length, a flag for two-byte characters, the characters).
fn sheet_name(bytes: &[u8]) -> Option<String> {
    let (&len, rest) = bytes.split_first()?;
    let (&flags, chars) = rest.split_first()?;
    let len = usize::from(len);
    let name: String = match flags & 1 {
        0 => chars.get(..len)?.iter().map(|&b| char::from(b)).collect(),
        _ => {
            let units: Vec<u16> = chars
                .get(..2 * len)?
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
    };
    // The name goes into a message: no control characters.
    Some(
        name.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect(),
    )
}

/// Refuses a sheet whose declared or used range spans more than `limits.max_cells`. Records
/// of substreams nested in the sheet (embedded charts) are skipped, as the reader skips them.
fn check_sheet(from: &[u8], name: &str, limits: &Limits) -> Result<(), String> {
    let mut span = Span::default();
    let mut depth = 0usize;
    let mut seen_bof = false;
    let mut formula_at = (0, 0);
    for (typ, data) in records(from) {
        if depth > 0 {
            match typ {
                BOF => depth += 1,
                EOF => depth -= 1,
                _ => {}
            }
            continue;
        }
        match typ {
            BOF if seen_bof => depth += 1,
            BOF => seen_bof = true,
            EOF => break,
            DIMENSIONS => check_dimensions(data, name, limits)?,
            STRING => span.add(formula_at.0, formula_at.1),
            FORMULA if data.len() >= 20 => {
                formula_at = position(data);
                span.add(formula_at.0, formula_at.1);
            }
            MUL_RK => add_mul_rk(data, &mut span),
            t if ONE_CELL.contains(&t) && data.len() >= 4 => {
                let (row, col) = position(data);
                span.add(row, col);
            }
            _ => {}
        }
        span.check(name, limits)?;
    }
    Ok(())
}

/// (row, column) in a cell record's first four bytes.
fn position(data: &[u8]) -> (u64, u64) {
    (u64::from(u16_at(data, 0)), u64::from(u16_at(data, 2)))
}

/// A run of number cells in one row: row, first column, the values, last column.
fn add_mul_rk(data: &[u8], span: &mut Span) {
    if data.len() < 6 {
        return;
    }
    let (row, first) = position(data);
    let last = u64::from(u16_at(data, data.len() - 2));
    if last >= first && data.len() as u64 == 6 + 6 * (last - first + 1) {
        span.add(row, first);
        span.add(row, last);
    }
}

/// Refuses a DIMENSIONS record whose range, computed as the reader computes it (32-bit
/// arithmetic that wraps), spans more than the cell limit: the reader reserves that many.
fn check_dimensions(data: &[u8], name: &str, limits: &Limits) -> Result<(), String> {
    let Some((rows, cols)) = dimensions(data) else {
        return Ok(());
    };
    if rows.saturating_mul(cols) <= limits.max_cells {
        return Ok(());
    }
    let plural = |count: u64, what: &str| match count {
        1 => format!("1 {what}"),
        _ => format!("{count} {what}s"),
    };
    Err(format!(
        "sheet '{name}' declares a range of {} by {} (more than the limit of {} cells); pass --max-cells N to raise it, or save the file again from Excel or LibreOffice",
        plural(rows, "row"),
        plural(cols, "column"),
        limits.max_cells
    ))
}

/// (rows, columns) the reader reserves for a DIMENSIONS record, `None` for a length it refuses.
fn dimensions(data: &[u8]) -> Option<(u64, u64)> {
    let (first_row, last_row, mut first_col, last_col) = match data.len() {
        10 => (
            u32::from(u16_at(data, 0)),
            u32::from(u16_at(data, 2)),
            u32::from(u16_at(data, 4)),
            u32::from(u16_at(data, 6)),
        ),
        14 | 16 => (
            u32_at(data, 0),
            u32_at(data, 4),
            u32::from(u16_at(data, 8)),
            u32::from(u16_at(data, 10)),
        ),
        _ => return None,
    };
    if first_col > 0xFF || last_col < first_col {
        first_col = 0;
    }
    let (end_row, end_col) = match last_row >= 1 && last_col >= 1 {
        true => (last_row - 1, last_col - 1),
        false => (first_row, first_col),
    };
    let rows = end_row.wrapping_sub(first_row).wrapping_add(1);
    let cols = end_col.wrapping_sub(first_col).wrapping_add(1);
    Some((u64::from(rows), u64::from(cols)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dimensions_record(first_row: u32, last_row: u32, first_col: u16, last_col: u16) -> Vec<u8> {
        let mut data = Vec::new();
        data.extend(first_row.to_le_bytes());
        data.extend(last_row.to_le_bytes());
        data.extend(first_col.to_le_bytes());
        data.extend(last_col.to_le_bytes());
        data.extend([0, 0]);
        data
    }

    #[test]
    fn dimensions_are_read_as_the_reader_reads_them() {
        // Rows 0..=9, columns 0..=2: last row and column are one past the end.
        assert_eq!(dimensions(&dimensions_record(0, 10, 0, 3)), Some((10, 3)));
        // A last row before the first wraps to about 2^32 rows in the reader.
        let (rows, _) = dimensions(&dimensions_record(5, 1, 0, 1)).unwrap();
        assert_eq!(rows, u64::from(u32::MAX) - 3);
        assert_eq!(dimensions(&[0; 12]), None);
    }

    #[test]
    fn a_wrapped_dimensions_record_is_refused() {
        let message =
            check_dimensions(&dimensions_record(5, 1, 0, 1), "s", &Limits::default()).unwrap_err();
        assert!(message.contains("4294967292 rows"), "{message}");
        assert!(message.contains("--max-cells"), "{message}");
    }

    #[test]
    fn records_take_their_continue_records_along() {
        let stream = [
            0x85, 0, 2, 0, 1, 2, // a record of 2 bytes
            0x3C, 0, 1, 0, 9, // its continuation
            0x0A, 0, 0, 0, // EOF
        ];
        let seen: Vec<(u16, Vec<u8>)> = records(&stream).map(|(t, d)| (t, d.to_vec())).collect();
        assert_eq!(seen, vec![(0x85, vec![1, 2]), (0x0A, vec![])]);
    }
}
