//! Sharding and merge (docs/cluster.md): `--shard K/N` runs the K-th of N deterministic parts
//! of a job and writes a *part file*; `claimsim merge` checks a set of parts and rebuilds the
//! output one process would have written.
//!
//! A part file is JSON: `{"fnv1a64": "...", "part": {...}}`, the hash taken over the `part`
//! object exactly as written, so a truncated or edited part is refused as corrupt. The part
//! records what fixes its numbers: the claimsim version, the command, its settings as given
//! (paths, options, seed), the size and hash of every input file it read, the shard and the
//! total number of work units, and its results. Numbers are written as text in Rust's
//! shortest round-trip form ([`exact`]), so reading a part back gives the same bits.
//!
//! This module only computes: callers read and write the files.

use crate::error::Error;
use crate::manifest::fnv1a64;
use crate::pipeline::batch::BatchOutcome;
use crate::pipeline::draws::Call;
use crate::pipeline::sweep::UnitOutcome;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The part file format's name, in every part.
pub const FORMAT: &str = "claimsim-part";
/// The part file format's version; a claimsim reads only its own. Version 2: a `run --draws`
/// part holds one share per sampler run, its sums exact (version 1 held tree nodes).
pub const FORMAT_VERSION: u32 = 2;

/// The K-th of N parts of a job (K counts from 0, as Slurm array indices and Kubernetes
/// completion indices do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// The whole job as one part.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parses `K/N` with 0 <= K < N.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let help = "write --shard K/N with 0 <= K < N, e.g. --shard 0/4 ... --shard 3/4 (K counts from 0, like SLURM_ARRAY_TASK_ID)";
        let (k, n) = text
            .split_once('/')
            .ok_or_else(|| format!("'{text}' is not K/N; {help}"))?;
        let parse = |s: &str| s.trim().parse::<u64>().ok();
        match (parse(k), parse(n)) {
            (Some(index), Some(count)) if count > 0 && index < count => Ok(Shard { index, count }),
            _ => Err(format!("'{text}' is not a shard; {help}")),
        }
    }

    /// Whether work unit `unit` (its position in the job's ordered list) is this shard's:
    /// units are dealt round-robin, so every shard gets a mix of early and late units.
    pub fn owns(&self, unit: usize) -> bool {
        unit as u64 % self.count == self.index
    }

    /// `K/N`, as typed.
    pub fn label(&self) -> String {
        format!("{}/{}", self.index, self.count)
    }
}

/// The settings a job ran with, as given on its command line: two parts merge only when
/// these are equal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Scenario files or folders, as given (relative to the folder the shard ran in).
    pub paths: Vec<String>,
    /// `--claims`, as given.
    pub claims: Option<String>,
    pub method: Option<String>,
    pub samples: Option<u64>,
    pub seed: Option<u64>,
    pub press: Vec<String>,
    pub knockout: Vec<String>,
    pub block: Vec<String>,
    pub weight: Vec<String>,
    pub intervention: Option<String>,
    pub no_evidence: bool,
    /// `batch --no-plots`, `--no-atlas`, `--svg` (false for a sweep).
    pub no_plots: bool,
    pub no_atlas: bool,
    /// `run --draws N` (absent for other commands).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draws: Option<u64>,
    /// `--svg` of `run` or `batch` (left out of the file when false: parts without it drew PNG).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub svg: bool,
    /// `sweep --pairs` (left out of the file when false, so parts without it read the same).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pairs: bool,
}

/// One input file a part's numbers depend on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    pub path: String,
    pub bytes: u64,
    /// 64-bit FNV-1a of the contents, 16 hex digits (as in manifest.json).
    pub fnv1a64: String,
}

impl Input {
    pub fn of(path: &Path, contents: &[u8]) -> Input {
        Input {
            path: path.display().to_string(),
            bytes: contents.len() as u64,
            fnv1a64: format!("{:016x}", fnv1a64(contents)),
        }
    }
}

/// What a part computed, by command.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "command", content = "units", rename_all = "lowercase")]
pub enum Results {
    /// `sweep`: each unit's outcome, by its position in the work list.
    Sweep(Vec<(usize, UnitOutcome)>),
    /// `batch`: each scenario's reports (or error), by its position in the list of files.
    Batch(Vec<(usize, BatchOutcome)>),
    /// `run --draws`: each sampler run's share of this shard's blocks, in call order.
    Run(Vec<Call>),
}

impl Results {
    pub fn command(&self) -> &'static str {
        match self {
            Results::Sweep(_) => "sweep",
            Results::Batch(_) => "batch",
            Results::Run(_) => "run",
        }
    }

    /// The positions of the units this part holds, in order.
    pub fn unit_positions(&self) -> Vec<usize> {
        match self {
            Results::Sweep(units) => units.iter().map(|(k, _)| *k).collect(),
            Results::Batch(units) => units.iter().map(|(k, _)| *k).collect(),
            Results::Run(_) => Vec::new(),
        }
    }
}

/// One shard's part of a job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Part {
    pub format: String,
    pub format_version: u32,
    /// The claimsim version that computed it.
    pub claimsim: String,
    pub shard: Shard,
    pub settings: Settings,
    /// Every scenario and catalogue file read, in the order read.
    pub inputs: Vec<Input>,
    /// Work units in the whole job (all shards).
    pub total_units: usize,
    pub results: Results,
}

#[derive(Serialize, Deserialize)]
struct Sealed {
    fnv1a64: String,
    part: Part,
}

/// The fields of a part file read before the rest, whose layout may be another version's.
#[derive(Deserialize)]
struct Header {
    part: Format,
}

#[derive(Deserialize)]
struct Format {
    format: String,
    format_version: u32,
}

impl Part {
    /// A part of this claimsim's version.
    pub fn new(
        shard: Shard,
        settings: Settings,
        inputs: Vec<Input>,
        total_units: usize,
        results: Results,
    ) -> Part {
        Part {
            format: FORMAT.to_string(),
            format_version: FORMAT_VERSION,
            claimsim: env!("CARGO_PKG_VERSION").to_string(),
            shard,
            settings,
            inputs,
            total_units,
            results,
        }
    }

    /// The file's contents: the part and the hash that seals it.
    pub fn to_file(&self) -> Result<String, Error> {
        let body = serde_json::to_string(self).map_err(|e| {
            Error::run_failed(
                format!("could not encode the part: {e}"),
                "report this as a bug",
            )
        })?;
        Ok(format!(
            "{{\"fnv1a64\":\"{:016x}\",\"part\":{body}}}\n",
            fnv1a64(body.as_bytes())
        ))
    }

    /// Reads a part file's contents; `path` names it in errors.
    pub fn from_file(path: &Path, contents: &[u8]) -> Result<Part, Error> {
        let corrupt = |why: String| {
            Error::usage(
                format!(
                    "'{}' is not a readable claimsim part: {why}",
                    path.display()
                ),
                "rerun the shard that wrote it (its --shard K/N is in the file name you chose, or in the part); a part is written whole or not at all, so a damaged one was changed after it was written",
            )
        };
        // The version first: another version's results may not even parse as this one's. (A
        // file without these fields is refused as unreadable below.)
        if let Ok(Header { part: header }) = serde_json::from_slice::<Header>(contents) {
            check_format(path, &header)?;
        }
        let sealed: Sealed =
            serde_json::from_slice(contents).map_err(|e| corrupt(format!("{e}")))?;
        let part = sealed.part;
        let body = serde_json::to_string(&part).map_err(|e| corrupt(e.to_string()))?;
        if format!("{:016x}", fnv1a64(body.as_bytes())) != sealed.fnv1a64 {
            return Err(corrupt(
                "its contents do not match its hash (the file was changed or damaged)".into(),
            ));
        }
        Ok(part)
    }
}

/// Refuses a part of another format, or of another version of this one.
fn check_format(path: &Path, header: &Format) -> Result<(), Error> {
    if header.format != FORMAT {
        return Err(Error::usage(
            format!(
                "'{}' is not a readable claimsim part: its format is '{}', not '{FORMAT}'",
                path.display(),
                header.format
            ),
            "pass the part files that `--shard K/N -o FILE` wrote",
        ));
    }
    if header.format_version != FORMAT_VERSION {
        return Err(Error::usage(
            format!(
                "'{}' is a part of format version {}; this claimsim reads version {FORMAT_VERSION}",
                path.display(),
                header.format_version
            ),
            "merge with the claimsim version that wrote the parts, or rerun every shard with this one",
        ));
    }
    Ok(())
}

/// Checks that `parts` are the complete, consistent set of one job's shards: same version,
/// command, settings, inputs and shard count, every shard once, each holding exactly its units.
/// Returns them ordered by shard index.
pub fn check_set(mut parts: Vec<(PathBuf, Part)>) -> Result<Vec<(PathBuf, Part)>, Error> {
    let Some((first_path, first)) = parts.first().cloned() else {
        return Err(Error::usage(
            "merge needs at least one part",
            "pass the part files the shards wrote, e.g. claimsim merge parts/*.json -o out",
        ));
    };
    let version = env!("CARGO_PKG_VERSION");
    if first.claimsim != version {
        return Err(Error::usage(
            format!(
                "'{}' was computed by claimsim {}, this is claimsim {version}",
                first_path.display(),
                first.claimsim
            ),
            "sampling can change between versions: merge with the version that ran the shards, or rerun them all with this one",
        ));
    }
    for (path, part) in &parts[1..] {
        check_same(&first_path, &first, path, part)?;
    }
    parts.sort_by_key(|(_, p)| p.shard.index);
    check_shards(&parts)?;
    for (path, part) in &parts {
        check_units(path, part)?;
    }
    Ok(parts)
}

fn differ(a: &Path, b: &Path, what: &str, help: &str) -> Error {
    Error::usage(
        format!(
            "'{}' and '{}' come from different jobs: {what}",
            a.display(),
            b.display()
        ),
        help,
    )
}

fn check_same(a_path: &Path, a: &Part, b_path: &Path, b: &Part) -> Result<(), Error> {
    const RERUN: &str =
        "merge only the parts of one job; rerun the shards that ran with other inputs or options";
    if a.claimsim != b.claimsim {
        let what = format!("claimsim {} and {}", a.claimsim, b.claimsim);
        return Err(differ(a_path, b_path, &what, RERUN));
    }
    if a.results.command() != b.results.command() {
        let what = format!(
            "'{}' and '{}' parts",
            a.results.command(),
            b.results.command()
        );
        return Err(differ(a_path, b_path, &what, RERUN));
    }
    if a.settings != b.settings {
        let what = settings_difference(&a.settings, &b.settings);
        return Err(differ(a_path, b_path, &what, RERUN));
    }
    if a.inputs != b.inputs {
        return Err(differ(
            a_path,
            b_path,
            &inputs_difference(&a.inputs, &b.inputs),
            RERUN,
        ));
    }
    if a.shard.count != b.shard.count || a.total_units != b.total_units {
        let what = format!(
            "one is a shard of {}, the other of {}",
            a.shard.count, b.shard.count
        );
        return Err(differ(a_path, b_path, &what, RERUN));
    }
    Ok(())
}

/// The first setting that differs, in words.
fn settings_difference(a: &Settings, b: &Settings) -> String {
    let a = serde_json::to_value(a).unwrap_or_default();
    let b = serde_json::to_value(b).unwrap_or_default();
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return "their settings differ".to_string();
    };
    // A setting left out of the file (its default) is in only one of them.
    let key = a.keys().chain(b.keys()).find(|k| a.get(*k) != b.get(*k));
    key.map_or("their settings differ".to_string(), |k| {
        let (one, other) = (a.get(k).cloned(), b.get(k).cloned());
        let (one, other) = (one.unwrap_or_default(), other.unwrap_or_default());
        format!("their {k} setting is {one} in one and {other} in the other")
    })
}

/// The first input file that differs, in words.
fn inputs_difference(a: &[Input], b: &[Input]) -> String {
    let changed = a
        .iter()
        .find(|x| !b.contains(x))
        .or_else(|| b.iter().find(|x| !a.contains(x)));
    match changed {
        Some(input) => match (
            a.iter().find(|x| x.path == input.path),
            b.iter().find(|x| x.path == input.path),
        ) {
            (Some(_), Some(_)) => format!("'{}' had different contents when they ran", input.path),
            _ => format!("only one of them read '{}'", input.path),
        },
        None => "they read their inputs in a different order".to_string(),
    }
}

/// Every shard 0..N exactly once.
fn check_shards(parts: &[(PathBuf, Part)]) -> Result<(), Error> {
    let count = parts[0].1.shard.count;
    for pair in parts.windows(2) {
        let ((a_path, a), (b_path, b)) = (&pair[0], &pair[1]);
        if a.shard.index == b.shard.index {
            return Err(Error::usage(
                format!(
                    "shard {} is given twice: '{}' and '{}'",
                    a.shard.label(),
                    a_path.display(),
                    b_path.display()
                ),
                "pass each shard's part once (if a shard was rerun, keep one of its files)",
            ));
        }
    }
    let have: Vec<u64> = parts.iter().map(|(_, p)| p.shard.index).collect();
    let missing: Vec<u64> = (0..count).filter(|k| !have.contains(k)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = missing.iter().map(|k| format!("{k}/{count}")).collect();
    let shown = if list.len() > 20 {
        format!("{} and {} more", list[..20].join(", "), list.len() - 20)
    } else {
        list.join(", ")
    };
    Err(Error::usage(
        format!("{} of {count} shards missing: {shown}", missing.len()),
        format!(
            "run the missing shards (same command with --shard {}), then merge all {count} parts; the parts already written need not be rerun",
            list[0]
        ),
    ))
}

/// A part holds exactly the units its shard owns.
fn check_units(path: &Path, part: &Part) -> Result<(), Error> {
    if let Results::Run(calls) = &part.results {
        return check_blocks(path, part, calls);
    }
    let expected: Vec<usize> = (0..part.total_units)
        .filter(|&k| part.shard.owns(k))
        .collect();
    if part.results.unit_positions() != expected {
        return Err(Error::usage(
            format!(
                "'{}' does not hold the work units of shard {} (it was changed after it was written)",
                path.display(),
                part.shard.label()
            ),
            "rerun that shard",
        ));
    }
    Ok(())
}

/// A `run --draws` part holds, for every sampler run, exactly its shard's blocks (contiguous
/// ranges, not dealt round-robin like other work units).
fn check_blocks(path: &Path, part: &Part, calls: &[Call]) -> Result<(), Error> {
    let Shard { index, count } = part.shard;
    let bad = calls.iter().position(|call| {
        !call.covers(crate::sample::budget::shard_blocks(
            call.blocks,
            index,
            count,
        ))
    });
    match bad {
        None => Ok(()),
        Some(k) => Err(Error::usage(
            format!(
                "'{}' does not hold the blocks of shard {} for its sampler run {} (it was changed after it was written)",
                path.display(),
                part.shard.label(),
                k + 1
            ),
            "rerun that shard",
        )),
    }
}

/// Serde helpers writing an `f64` as text in Rust's shortest round-trip form (`0.1`, `NaN`,
/// `inf`), so a part read back holds the very same bits.
pub mod exact {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&value.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        let text = String::deserialize(d)?;
        parse(&text).map_err(serde::de::Error::custom)
    }

    /// A number as [`serialize`] writes it.
    pub fn parse(text: &str) -> Result<f64, String> {
        text.parse::<f64>()
            .map_err(|_| format!("'{text}' is not a number"))
    }
}

/// [`exact`] for every number of a list.
pub mod exact_all {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(values: &[f64], s: S) -> Result<S::Ok, S::Error> {
        let texts: Vec<String> = values.iter().map(f64::to_string).collect();
        texts.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|text| super::exact::parse(text).map_err(serde::de::Error::custom))
            .collect()
    }
}

/// [`exact`] for a list of triples, each written as three numbers in a row.
pub mod exact_triples {
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(values: &[[f64; 3]], s: S) -> Result<S::Ok, S::Error> {
        let flat: Vec<f64> = values.iter().flatten().copied().collect();
        super::exact_all::serialize(&flat, s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<[f64; 3]>, D::Error> {
        let flat = super::exact_all::deserialize(d)?;
        if !flat.len().is_multiple_of(3) {
            return Err(serde::de::Error::custom(
                "a list of triples has a stray number",
            ));
        }
        Ok(flat.chunks(3).map(|c| [c[0], c[1], c[2]]).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_deal_units_round_robin() {
        let s = Shard::parse("1/4").unwrap();
        assert_eq!(s, Shard { index: 1, count: 4 });
        assert!(s.owns(1) && s.owns(5) && !s.owns(4));
        for bad in ["4/4", "1", "a/2", "0/0", "-1/3"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_round_trip_exactly() {
        #[derive(Serialize, Deserialize)]
        struct X(#[serde(with = "exact")] f64);
        for v in [
            0.1,
            1.0 / 3.0,
            f64::MIN_POSITIVE,
            1e300,
            f64::INFINITY,
            -0.0,
        ] {
            let text = serde_json::to_string(&X(v)).unwrap();
            let back: X = serde_json::from_str(&text).unwrap();
            assert_eq!(back.0.to_bits(), v.to_bits(), "{text}");
        }
        let nan: X = serde_json::from_str(&serde_json::to_string(&X(f64::NAN)).unwrap()).unwrap();
        assert!(nan.0.is_nan());
    }
}
