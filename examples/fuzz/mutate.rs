//! The mutator: coverage-free "havoc" byte mutations (flips, interesting bytes and numbers,
//! inserted format tokens, deleted, duplicated and repeated ranges, splices of two inputs),
//! applied inside the container when an input is a zip archive (.xlsx) or a gzip stream (.dia)
//! so that the XML inside is what gets mutated, not the checksums around it.

use std::io::{Read, Write};

/// SplitMix64: a small deterministic generator, so a seed fixes a run.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

const INTERESTING_BYTES: &[u8] = b"\x00\x01\x7f\x80\xff\r\n\t \"'<>&\\=#[]{}\x1b\xc3\xef";
const INTERESTING_NUMBERS: &[&[u8]] = &[
    b"0",
    b"-0",
    b"-1",
    b"1e308",
    b"1e305",
    b"-1e999",
    b"NaN",
    b"inf",
    b"4294967296",
    b"18446744073709551616",
    b"0.0000001",
    b"1048576",
    b"65535",
    b"2147483647",
    b"9e18",
];

/// A mutant of `input`, no longer than `max_len` unless `input` already was.
pub fn mutate(
    rng: &mut Rng,
    input: &[u8],
    other: &[u8],
    dict: &[&[u8]],
    max_len: usize,
) -> Vec<u8> {
    if !rng.chance(10) {
        if let Some(members) = unzip(input) {
            return rezip(rng, members, other, dict, max_len);
        }
        if let Some(plain) = gunzip(input) {
            let mutated = havoc(rng, &plain, other, dict, max_len);
            return if rng.chance(2) {
                gzip(&mutated)
            } else {
                mutated
            };
        }
    }
    havoc(rng, input, other, dict, max_len)
}

/// One to eight stacked byte mutations.
pub fn havoc(rng: &mut Rng, input: &[u8], other: &[u8], dict: &[&[u8]], max_len: usize) -> Vec<u8> {
    let mut data = input.to_vec();
    let limit = max_len.max(input.len());
    for _ in 0..1 + rng.below(8) {
        one_mutation(rng, &mut data, other, dict);
        data.truncate(limit);
    }
    data
}

fn one_mutation(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8], dict: &[&[u8]]) {
    let len = data.len();
    match rng.below(12) {
        0 if len > 0 => {
            let at = rng.below(len);
            data[at] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let at = rng.below(len);
            data[at] = INTERESTING_BYTES[rng.below(INTERESTING_BYTES.len())];
        }
        2 if len > 0 => {
            let (from, to) = range(rng, len, 64);
            data.drain(from..to);
        }
        3 => {
            let at = rng.below(len + 1);
            let bytes: Vec<u8> = (0..1 + rng.below(16)).map(|_| rng.next() as u8).collect();
            data.splice(at..at, bytes);
        }
        4 | 5 if !dict.is_empty() => {
            let at = token_boundary(rng, data);
            let token = dict[rng.below(dict.len())];
            data.splice(at..at, token.iter().copied());
        }
        6 if len > 0 => {
            // Copy a range elsewhere (moves structure around).
            let (from, to) = range(rng, len, 256);
            let chunk = data[from..to].to_vec();
            let at = rng.below(len + 1);
            data.splice(at..at, chunk);
        }
        7 if len > 0 => {
            // Repeat a range many times: deep nesting, long lines, many names.
            let (from, to) = range(rng, len, 64);
            let chunk = data[from..to].to_vec();
            let most = if rng.chance(4) { 2000 } else { 30 };
            let times = 2 + rng.below(most);
            let repeated: Vec<u8> = chunk
                .iter()
                .copied()
                .cycle()
                .take(chunk.len() * times)
                .collect();
            data.splice(to..to, repeated);
        }
        8 => replace_number(rng, data),
        9 if !other.is_empty() => {
            // Splice: this input's head, the other input's tail.
            let cut = rng.below(len + 1);
            let from = rng.below(other.len());
            data.truncate(cut);
            data.extend_from_slice(&other[from..]);
        }
        10 if len > 0 => {
            // Duplicate or delete a whole line.
            let lines: Vec<usize> = std::iter::once(0)
                .chain(
                    data.iter()
                        .enumerate()
                        .filter(|(_, b)| **b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .collect();
            let start = lines[rng.below(lines.len())].min(len);
            let end = data[start..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(len, |p| start + p + 1);
            if rng.chance(2) {
                data.drain(start..end);
            } else {
                let line = data[start..end].to_vec();
                data.splice(start..start, line);
            }
        }
        11 if len > 1 => {
            let cut = rng.below(len);
            data.truncate(cut);
        }
        _ => {
            let at = rng.below(len + 1);
            data.insert(at, INTERESTING_BYTES[rng.below(INTERESTING_BYTES.len())]);
        }
    }
}

/// A range of at most `longest` bytes inside `0..len` (`len` > 0).
fn range(rng: &mut Rng, len: usize, longest: usize) -> (usize, usize) {
    let from = rng.below(len);
    let to = (from + 1 + rng.below(longest)).min(len);
    (from, to)
}

/// A place to insert a token: often just after a space, newline or `>`, else anywhere.
fn token_boundary(rng: &mut Rng, data: &[u8]) -> usize {
    let at = rng.below(data.len() + 1);
    if rng.chance(2) {
        return at;
    }
    data[at..]
        .iter()
        .position(|b| matches!(b, b' ' | b'\n' | b'>' | b','))
        .map_or(at, |p| at + p + 1)
}

/// Replaces a run of digits (or inserts where there is none) with an interesting number.
fn replace_number(rng: &mut Rng, data: &mut Vec<u8>) {
    let number = INTERESTING_NUMBERS[rng.below(INTERESTING_NUMBERS.len())];
    let starts: Vec<usize> = (0..data.len())
        .filter(|&i| data[i].is_ascii_digit() && (i == 0 || !data[i - 1].is_ascii_digit()))
        .collect();
    if starts.is_empty() {
        let at = rng.below(data.len() + 1);
        data.splice(at..at, number.iter().copied());
        return;
    }
    let start = starts[rng.below(starts.len())];
    let end = start
        + data[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit() || **b == b'.')
            .count();
    data.splice(start..end, number.iter().copied());
}

/// The members of a zip archive, when `bytes` is one that unpacks (each at most 4 MB).
fn unzip(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut members = Vec::new();
    for i in 0..archive.len().min(64) {
        let mut file = archive.by_index(i).ok()?;
        let mut content = Vec::new();
        (&mut file).take(4 << 20).read_to_end(&mut content).ok()?;
        let name = String::from_utf8_lossy(file.name_raw()).into_owned();
        members.push((name, content));
    }
    Some(members)
}

/// The archive with one member mutated (or its name, or a member dropped), stored
/// uncompressed so the reader sees exactly the mutant.
fn rezip(
    rng: &mut Rng,
    mut members: Vec<(String, Vec<u8>)>,
    other: &[u8],
    dict: &[&[u8]],
    max_len: usize,
) -> Vec<u8> {
    if !members.is_empty() {
        let pick = rng.below(members.len());
        match rng.below(12) {
            0 => {
                members.remove(pick);
            }
            1 => {
                let name = havoc(rng, members[pick].0.as_bytes(), &[], &[], 256);
                members[pick].0 = String::from_utf8_lossy(&name).into_owned();
            }
            _ => {
                // Prefer the worksheets and shared strings, where the model is.
                let xml: Vec<usize> = (0..members.len())
                    .filter(|&i| members[i].0.contains("sheet") || members[i].0.contains("String"))
                    .collect();
                let pick = if xml.is_empty() || rng.chance(4) {
                    pick
                } else {
                    xml[rng.below(xml.len())]
                };
                members[pick].1 = havoc(rng, &members[pick].1, other, dict, max_len);
            }
        }
    }
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, content) in &members {
        if writer.start_file(name.as_str(), options).is_err() || writer.write_all(content).is_err()
        {
            continue;
        }
    }
    writer.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// The content of a gzip stream, when `bytes` is one (at most 4 MB of it).
fn gunzip(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return None;
    }
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(4 << 20)
        .read_to_end(&mut plain)
        .ok()?;
    Some(plain)
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}
