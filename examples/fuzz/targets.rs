//! What is fuzzed: the scenario parser and each importer, each as a function from bytes to a
//! short outcome signature. A target panics on a finding: a panic inside claimsim, or an
//! import that succeeds but whose written scenario does not check clean (the import
//! self-check `claimsim import` runs).

use claimsim::interop::{self, Format};
use claimsim::scenario;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// The scenario parser and validator, then every export of a scenario that parses (QPress,
    /// SIF, SBML, DOT) and the re-import of those claimsim reads
    Scenario,
    /// QPress text digraphs
    Qpress,
    /// Cytoscape SIF
    Sif,
    /// SBML Level 3 qual
    Sbml,
    /// Netflux workbooks (.xlsx, mutated inside the zip archive; .xls, mutated as bytes)
    Netflux,
    /// Mental Modeler projects (JSON and XML)
    Mentalmodeler,
    /// Dia diagrams (gzipped or plain XML; mutated inside the gzip stream)
    Dia,
    /// The harness's own check: panics on a zero byte, spins forever on the byte 0x01.
    /// `--canary` runs it and fails unless both are found.
    #[value(hide = true)]
    Canary,
}

/// Every real target, in the order a run without names takes them.
pub const ALL: [Target; 7] = [
    Target::Scenario,
    Target::Qpress,
    Target::Sif,
    Target::Sbml,
    Target::Netflux,
    Target::Mentalmodeler,
    Target::Dia,
];

impl Target {
    pub fn name(self) -> &'static str {
        match self {
            Target::Scenario => "scenario",
            Target::Qpress => "qpress",
            Target::Sif => "sif",
            Target::Sbml => "sbml",
            Target::Netflux => "netflux",
            Target::Mentalmodeler => "mentalmodeler",
            Target::Dia => "dia",
            Target::Canary => "canary",
        }
    }

    fn format(self) -> Option<Format> {
        match self {
            Target::Qpress => Some(Format::Qpress),
            Target::Sif => Some(Format::Sif),
            Target::Sbml => Some(Format::Sbml),
            Target::Netflux => Some(Format::Netflux),
            Target::Mentalmodeler => Some(Format::MentalModeler),
            Target::Dia => Some(Format::Dia),
            Target::Scenario | Target::Canary => None,
        }
    }

    /// The file extensions of this target's seed files in the repository.
    fn extensions(self) -> &'static [&'static str] {
        match self {
            Target::Scenario => &["toml"],
            Target::Qpress => &["txt"],
            Target::Sif => &["sif"],
            Target::Sbml => &["sbml"],
            Target::Netflux => &["xlsx", "xls"],
            Target::Mentalmodeler => &["mmp"],
            Target::Dia => &["dia"],
            Target::Canary => &[],
        }
    }

    /// The folders (under the repository root) whose files seed this target.
    fn seed_folders(self) -> &'static [&'static str] {
        match self {
            Target::Scenario => &["tests/data", "scenarios", "seeds", "benches/data/lake.toml"],
            Target::Qpress => &["tests/data/qpress", "tests/data/interop"],
            _ => &["tests/data/interop"],
        }
    }

    /// The repository's files of this target's kind, sorted (so a run is reproducible).
    pub fn seed_files(self, root: &Path) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for folder in self.seed_folders() {
            walk(&root.join(folder), self.extensions(), &mut files);
        }
        files.sort();
        files.dedup();
        files
    }

    /// Tokens the mutator inserts: the syntax each format is built from.
    pub fn dictionary(self) -> &'static [&'static [u8]] {
        match self {
            Target::Scenario => &[
                b"->",
                b"-|",
                b"-?",
                b" & ",
                b"!",
                b"[[intervention]]",
                b"[[expect]]",
                b"[[node]]",
                b"[[link]]",
                b"network = \"\"\"\n",
                b"\"\"\"",
                b"press = { A = 1 }",
                b"change = \"up\"",
                b"uniform(0, 1)",
                b"normal(1, 0.1)",
                b"1e308",
                b"1e999",
                b"nan",
                b"inf",
                b"-0.0",
                b"samples = ",
                b"seed = ",
                b"weight = ",
                b"present = ",
                b"claims = [\"",
                b"\\u0000",
                b"\x1b[31m",
                b"'",
                b"=",
                b"#",
                b"\r",
                b"\t",
            ],
            Target::Qpress | Target::Sif => &[
                b"->",
                b"-*",
                b"*->",
                b"--*",
                b"<>",
                b"-o",
                b"1",
                b"-1",
                b"0",
                b"inhibits",
                b"activates",
                b"\t",
                b"\r",
                b"\r\n",
                b"#",
                b"\"",
                b"\xef\xbb\xbf",
                b"\x00",
            ],
            _ => &[
                b"<apply>",
                b"</apply>",
                b"<not/>",
                b"<and/>",
                b"<or/>",
                b"<xor/>",
                b"<eq/>",
                b"<ci>S0</ci>",
                b"<cn>1</cn>",
                b"qual:",
                b"maxLevel=\"1\"",
                b"&amp;",
                b"&#0;",
                b"<![CDATA[",
                b"]]>",
                b"<!--",
                b"-->",
                b"<!DOCTYPE x [<!ENTITY e \"ee\">]>",
                b"{",
                b"}",
                b"[",
                b"]",
                b"\"concepts\"",
                b"\"relationships\"",
                b"\"influence\"",
                b":",
                b",",
                b"null",
                b"1e308",
                b"-1",
                b"\"",
                b"<c r=\"XFD1048576\">",
                b"t=\"inlineStr\"",
                b"<row r=\"1\">",
                b"<v>",
                b"</v>",
                b"<dia:object",
            ],
        }
    }

    /// Runs one input; panics on a finding. Returns the outcome's signature: inputs with a
    /// signature not seen before join the corpus (a cheap stand-in for coverage).
    pub fn run(self, bytes: &[u8]) -> String {
        match self {
            Target::Scenario => run_scenario(bytes),
            Target::Canary => run_canary(bytes),
            importer => {
                let format = importer.format().expect("an importer has a format");
                let detected = Format::detect(Path::new("fuzz-input"), bytes)
                    .map_or_else(|_| "-".to_string(), |f| format!("{f:?}"));
                let file = format!("fuzz.{}", self.extensions()[0]);
                format!("{detected} {}", import(format, Path::new(&file), bytes))
            }
        }
    }
}

fn walk(path: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    if meta.is_file() {
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase());
        if ext.is_some_and(|e| extensions.contains(&e.as_str())) {
            out.push(path.to_path_buf());
        }
    } else if meta.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else {
            return;
        };
        for entry in entries.flatten() {
            walk(&entry.path(), extensions, out);
        }
    }
}

/// Imports, and for a network that imports, runs the self-check: the scenario written from it
/// must check clean.
fn import(format: Format, path: &Path, bytes: &[u8]) -> String {
    match interop::import(format, path, bytes) {
        Ok(network) => {
            if let Err(e) = interop::scenario_text(&network, format, path) {
                panic!("import self-check failed: {e}");
            }
            format!(
                "ok nodes~2^{} links~2^{} notes={}",
                log2(network.nodes.len()),
                log2(network.links.len()),
                network.notes.len().min(8)
            )
        }
        Err(e) => format!("err {}", shape(&e.to_string())),
    }
}

fn run_scenario(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let parsed = match scenario::parse(Path::new("fuzz.toml"), &text, None) {
        Ok(parsed) => parsed,
        Err(e) => return format!("err {}", shape(&e.to_string())),
    };
    let lints = claimsim::analysis::lint::warnings(&parsed).len();
    let strict = scenario::validate::strict_problems(&parsed, false).len();
    let mut signature = format!(
        "ok nodes~2^{} lints={} strict={}",
        log2(parsed.nodes.len()),
        lints.min(8),
        strict.min(8)
    );
    for format in [Format::Qpress, Format::Sif, Format::Sbml, Format::Dot] {
        let exported = match interop::export(format, &parsed) {
            Ok(exported) => exported,
            Err(e) => panic!("export to {format:?} of a valid scenario failed: {e}"),
        };
        if format.can_import() {
            let path = PathBuf::from(format!("exported.{format:?}"));
            let again = import(format, &path, exported.text.as_bytes());
            signature.push_str(&format!(" {format:?}:{}", &again[..2]));
        }
    }
    signature
}

fn run_canary(bytes: &[u8]) -> String {
    if bytes.contains(&0) {
        panic!("canary: a zero byte");
    }
    if bytes.contains(&1) {
        // Busy, as a real hang in a parser is: the harness bounds CPU time.
        let mut spins = 0u64;
        loop {
            spins = std::hint::black_box(spins.wrapping_add(1));
        }
    }
    format!("len~2^{}", log2(bytes.len()))
}

fn log2(n: usize) -> u32 {
    usize::BITS - n.leading_zeros()
}

/// An error message's first line without the parts that name the input (quoted names,
/// numbers), so that one kind of error is one signature.
fn shape(message: &str) -> String {
    let mut out = String::new();
    let mut quoted = None;
    for c in message
        .lines()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
    {
        match (quoted, c) {
            (Some(q), c) if c == q => quoted = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => {
                quoted = Some(c);
                out.push('_');
            }
            (None, c) if c.is_ascii_digit() => {
                if !out.ends_with('#') {
                    out.push('#');
                }
            }
            (None, c) => out.push(c),
        }
        if out.len() > 160 {
            break;
        }
    }
    out
}
