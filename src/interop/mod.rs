//! Reading and writing the network formats the field already uses: QPress text digraphs and
//! Dia diagrams, Cytoscape SIF, SBML Level 3 qual, Netflux spreadsheets and Mental Modeler projects (read), and
//! QPress, SIF, SBML qual and Graphviz DOT (written).
//!
//! Importers turn a file into a [`Network`] (through [`network::NetworkBuilder`], which holds the
//! rules every format shares); [`writer`] turns that into a commented scenario file. Exporters
//! work from a validated [`Scenario`], like the `graph` command. Both directions report what the
//! other side cannot hold. Bad input is an [`Error::Invalid`] with positioned diagnostics, as
//! for a bad scenario.

pub mod bounds;
pub mod dia;
pub mod dot;
pub mod mentalmodeler;
pub mod netflux;
pub mod network;
pub mod qpress;
pub mod sbml;
pub mod sif;
pub mod writer;
mod xls_bounds;

pub use bounds::Limits;
pub use network::Network;

use crate::diagnostic::{Diagnostic, FileDiagnostics, SourceMap};
use crate::error::Error;
use crate::scenario::Scenario;
use std::path::Path;

/// A network format claimsim reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// QPress text digraph: `A -> B`, `A -* B`, `A *-> B`, `A --* B` (read and write)
    Qpress,
    /// Dia diagram as QPress's model.dia reads it, gzipped or plain XML (read)
    Dia,
    /// Cytoscape SIF: `source interaction target`, 1/-1/0 or words (read and write)
    Sif,
    /// SBML Level 3 qual: qualitative species and transitions (read and write)
    Sbml,
    /// Netflux spreadsheet (.xlsx, .xls) with species and reactions sheets (read)
    Netflux,
    /// Mental Modeler project (.mmp, JSON or XML) (read)
    #[value(name = "mentalmodeler", alias = "mmp")]
    MentalModeler,
    /// Graphviz DOT (write)
    Dot,
}

impl Format {
    /// The format's name in messages and file headers.
    pub fn display_name(self) -> &'static str {
        match self {
            Format::Qpress => "QPress digraph",
            Format::Dia => "Dia diagram",
            Format::Sif => "Cytoscape SIF",
            Format::Sbml => "SBML qual",
            Format::Netflux => "Netflux spreadsheet",
            Format::MentalModeler => "Mental Modeler",
            Format::Dot => "Graphviz DOT",
        }
    }

    pub fn can_import(self) -> bool {
        self != Format::Dot
    }

    pub fn can_export(self) -> bool {
        matches!(
            self,
            Format::Qpress | Format::Sif | Format::Sbml | Format::Dot
        )
    }

    /// The format a file name's extension stands for, when it names one.
    pub fn from_extension(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_string_lossy().to_lowercase();
        match extension.as_str() {
            "qpress" | "digraph" => Some(Format::Qpress),
            "dia" => Some(Format::Dia),
            "sif" => Some(Format::Sif),
            "sbml" => Some(Format::Sbml),
            "xlsx" | "xlsm" | "xls" => Some(Format::Netflux),
            "mmp" => Some(Format::MentalModeler),
            "dot" | "gv" => Some(Format::Dot),
            _ => None,
        }
    }

    /// The format of a file to import: its extension when that names one, else its content.
    pub fn detect(path: &Path, bytes: &[u8]) -> Result<Format, Error> {
        if let Some(format) = Format::from_extension(path).filter(|f| f.can_import()) {
            return Ok(format);
        }
        sniff(bytes).ok_or_else(|| {
            Error::usage(
                format!(
                    "cannot tell the format of '{}' from its name or content",
                    path.display()
                ),
                "pass --from qpress, dia, sif, sbml, netflux or mentalmodeler",
            )
        })
    }
}

/// Recognises a format from the first bytes and lines of a file.
fn sniff(bytes: &[u8]) -> Option<Format> {
    // xlsx files are zip archives; xls files are OLE compound documents.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Some(Format::Netflux);
    }
    if dia::looks_like(bytes) {
        return Some(Format::Dia);
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let text = unix_line_ends(text);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with('{') {
        return Some(Format::MentalModeler);
    }
    if text.starts_with('<') {
        let head: String = text.chars().take(4096).collect();
        return if head.to_ascii_lowercase().contains("<mentalmodeler") {
            Some(Format::MentalModeler)
        } else if head.contains("<sbml") {
            Some(Format::Sbml)
        } else {
            None
        };
    }
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .take(50)
        .collect();
    let qpress = lines.iter().filter(|l| qpress::looks_like(l)).count();
    let sif = lines.iter().filter(|l| sif::looks_like(l)).count();
    match qpress.cmp(&sif) {
        std::cmp::Ordering::Greater => Some(Format::Qpress),
        std::cmp::Ordering::Less => Some(Format::Sif),
        std::cmp::Ordering::Equal => None,
    }
}

/// Reads a network from a file's bytes in `format`, within the default [`Limits`].
pub fn import(format: Format, path: &Path, bytes: &[u8]) -> Result<Network, Error> {
    import_within(format, path, bytes, &Limits::default())
}

/// Reads a network from a file's bytes in `format`, refusing input over `limits` before it
/// allocates for it.
pub fn import_within(
    format: Format,
    path: &Path,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Network, Error> {
    let refuse = |message: String| {
        whole_file(
            path,
            message,
            "a model file this big is more likely damaged or hostile than real; raise the limit only for a file you trust",
        )
    };
    if bytes.len() as u64 > limits.max_bytes {
        return Err(refuse(limits.too_big("the file")));
    }
    match format {
        Format::Netflux => {
            bounds::check_workbook(bytes, limits).map_err(refuse)?;
            netflux::import(path, bytes)
        }
        Format::Dia => dia::import(path, bytes, limits),
        Format::Dot => Err(Error::usage(
            "claimsim writes DOT but does not read it",
            "import from qpress, dia, sif, sbml, netflux or mentalmodeler",
        )),
        text_format => {
            let text = utf8_text(path, bytes)?;
            match text_format {
                Format::Qpress => qpress::import(path, &unix_line_ends(text)),
                Format::Sif => sif::import(path, &unix_line_ends(text)),
                Format::Sbml => sbml::import(path, text),
                _ => mentalmodeler::import(path, text),
            }
        }
    }
}

/// The scenario file for an imported network, checked the way `claimsim check` would: an
/// importer that wrote a file that does not check clean has a bug, reported as such.
pub fn scenario_text(network: &Network, format: Format, path: &Path) -> Result<String, Error> {
    let source = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let text = writer::scenario_toml(network, format.display_name(), &source);
    match crate::scenario::parse(Path::new("imported.toml"), &text, None) {
        Ok(_) => Ok(text),
        Err(e) => Err(Error::run_failed(
            format!(
                "the scenario written from '{}' does not check clean\n{e}",
                path.display()
            ),
            "this is a claimsim bug: please report it with the file",
        )),
    }
}

/// A file written in another format, with what that format could not hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    pub text: String,
    pub notes: Vec<String>,
}

/// Refuses formats claimsim only reads, before any work is done.
pub fn exportable(format: Format) -> Result<Format, Error> {
    if format.can_export() {
        return Ok(format);
    }
    Err(Error::usage(
        format!(
            "claimsim reads {} files but does not write them",
            format.display_name()
        ),
        "export to qpress, sif, sbml or dot",
    ))
}

/// Writes a scenario's network in `format`.
pub fn export(format: Format, scenario: &Scenario) -> Result<Exported, Error> {
    Ok(match exportable(format)? {
        Format::Qpress => qpress::export(scenario),
        Format::Sif => sif::export(scenario),
        Format::Sbml => sbml::export(scenario),
        _ => Exported {
            text: dot::to_dot(scenario),
            notes: lost_settings(
                scenario,
                Keeps {
                    presence: true,
                    claims_and_labels: true,
                },
            ),
        },
    })
}

/// What a format holds of a scenario beyond its signed links and gates.
#[derive(Debug, Clone, Copy, Default)]
struct Keeps {
    /// Optional links (`present`), as QPress's uncertain edges or DOT's thin edges.
    presence: bool,
    /// Claim ids and node labels, as DOT's tooltips and labels.
    claims_and_labels: bool,
}

/// The one note an export makes about the scenario settings its format has no place for.
fn lost_settings(scenario: &Scenario, keeps: Keeps) -> Vec<String> {
    let links = &scenario.links;
    let nodes = &scenario.nodes;
    let lost = [
        (links.iter().any(|l| l.weight.is_some()), "link weights"),
        (
            !keeps.presence && links.iter().any(|l| l.present < 1.0),
            "optional links (present)",
        ),
        (links.iter().any(|l| l.group.is_some()), "link groups"),
        (
            !keeps.claims_and_labels && links.iter().any(|l| !l.claims.is_empty()),
            "claim ids",
        ),
        (
            !keeps.claims_and_labels && nodes.iter().any(|n| n.label.is_some()),
            "node labels",
        ),
        (
            nodes
                .iter()
                .any(|n| n.input.is_some() || n.self_limited.is_some()),
            "node inputs and self-limitation",
        ),
        (
            nodes
                .iter()
                .any(|n| n.tau.as_fixed() != Some(1.0) || n.ymax.as_fixed() != Some(1.0))
                || links
                    .iter()
                    .any(|l| l.hill_n.as_fixed() != Some(1.4) || l.ec50.as_fixed() != Some(0.5)),
            "ode settings (tau, ymax, n, ec50)",
        ),
        (
            !scenario.interventions.is_empty() || !scenario.expectations.is_empty(),
            "interventions and expectations",
        ),
    ];
    let names: Vec<&str> = lost.iter().filter(|(l, _)| *l).map(|(_, n)| *n).collect();
    if names.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "not written (the format has no place for them): {}",
        names.join(", ")
    )]
}

/// The text of a file that must be UTF-8 (a leading byte-order mark is dropped).
fn utf8_text<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.trim_start_matches('\u{feff}')),
        Err(e) => Err(whole_file(
            path,
            format!(
                "the file is not UTF-8 text (bad byte at offset {})",
                e.valid_up_to()
            ),
            "save the file as UTF-8 text, or pass --from with the right format",
        )),
    }
}

/// The text with classic Mac (CR) and Windows (CR LF) line ends read as LF, so that a file
/// saved with CR alone is read line by line rather than as one line (`A 1 B\rB -1 C` once gave
/// a node called `-1`).
fn unix_line_ends(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    }
}

/// A positioned error for XML that does not parse.
fn xml_syntax_error(path: &Path, text: &str, error: &roxmltree::Error) -> Error {
    let pos = error.pos();
    let message = error.to_string();
    // roxmltree ends its messages with " at ROW:COL", which the diagnostic shows anyway.
    let message = message
        .rsplit_once(" at ")
        .filter(|(_, at)| at.chars().all(|c| c.is_ascii_digit() || c == ':'))
        .map_or(message.as_str(), |(m, _)| m);
    let problem = Diagnostic::at(
        crate::diagnostic::Pos::new(pos.row as usize, pos.col as usize, 1),
        format!("XML syntax: {message}"),
    )
    .help("fix the XML here: every element closed, attribute values in quotes, & written as &amp;");
    invalid(path, text, vec![problem])
}

/// An error about a file as a whole.
fn whole_file(path: &Path, message: String, help: &str) -> Error {
    Error::Invalid(Box::new(FileDiagnostics::new(
        path,
        None,
        vec![Diagnostic::whole_file(message).help(help)],
    )))
}

/// Problems at positions in a text file, the same problem on several lines shown once with a
/// count. Tabs are shown as single spaces so that the caret under the excerpt lines up (a
/// terminal would widen them; columns count them as one).
fn invalid(path: &Path, text: &str, problems: Vec<Diagnostic>) -> Error {
    let problems = grouped(problems);
    Error::invalid(path, &SourceMap::new(&text.replace('\t', " ")), problems)
}

/// One diagnostic per distinct message: the first place is shown and the other lines listed
/// (29 lines using one misspelt word are one mistake, not 29).
fn grouped(problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut repeats: Vec<Vec<usize>> = Vec::new();
    let mut first: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for problem in problems {
        match first.get(&problem.message) {
            Some(&k) if problem.line > 0 => repeats[k].push(problem.line),
            _ => {
                first.insert(problem.message.clone(), out.len());
                out.push(problem);
                repeats.push(Vec::new());
            }
        }
    }
    for (problem, lines) in out.iter_mut().zip(repeats) {
        if !lines.is_empty() {
            let more = if lines.len() == 1 { "line" } else { "lines" };
            problem.message = format!(
                "{} (also on {} more {more}: {})",
                problem.message,
                lines.len(),
                line_list(&lines)
            );
        }
    }
    out
}

/// Line numbers for a message: the first ten, then how many more.
fn line_list(lines: &[usize]) -> String {
    let shown: Vec<String> = lines.iter().take(10).map(usize::to_string).collect();
    match lines.len().saturating_sub(10) {
        0 => shown.join(", "),
        rest => format!("{}, and {rest} more", shown.join(", ")),
    }
}

/// The non-empty pieces of `text` between separator characters, trimmed, with their byte
/// offsets (separators may be several bytes long, so offsets are counted, not assumed).
fn pieces(text: &str, separator: impl Fn(char) -> bool) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut push = |from: usize, to: usize| {
        let piece = &text[from..to];
        let lead = piece.len() - piece.trim_start().len();
        if !piece.trim().is_empty() {
            out.push((from + lead, piece.trim()));
        }
    };
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if separator(c) {
            push(start, i);
            start = i + c.len_utf8();
        }
    }
    push(start, text.len());
    out
}

/// The character column (0-based) of a byte offset in `text`.
fn char_column(text: &str, byte_offset: usize) -> usize {
    text[..byte_offset.min(text.len())].chars().count()
}

/// The number a text holds, if it is a finite one.
fn finite(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_keep_byte_offsets_across_wide_separators() {
        let text = "A\u{3000}-> B\u{a0}C";
        let found = pieces(text, char::is_whitespace);
        assert_eq!(
            found.iter().map(|p| p.1).collect::<Vec<_>>(),
            ["A", "->", "B", "C"]
        );
        for (at, piece) in found {
            assert_eq!(&text[at..at + piece.len()], piece);
        }
    }

    #[test]
    fn formats_come_from_extensions_then_content() {
        let detect = |name: &str, text: &str| Format::detect(Path::new(name), text.as_bytes());
        assert_eq!(detect("m.sif", "").unwrap(), Format::Sif);
        assert_eq!(detect("m.MMP", "").unwrap(), Format::MentalModeler);
        assert_eq!(
            detect("m.txt", "A -* B\nB *-> C\n").unwrap(),
            Format::Qpress
        );
        assert_eq!(
            detect("m.txt", "A\t1\tB\nB\tinhibits\tC\n").unwrap(),
            Format::Sif
        );
        assert_eq!(
            detect("m.xml", "<?xml version='1.0'?>\n<sbml>").unwrap(),
            Format::Sbml
        );
        assert_eq!(
            detect("m.json", " {\"concepts\": []}").unwrap(),
            Format::MentalModeler
        );
        assert_eq!(
            detect("m.bin", "PK\u{3}\u{4}rest").unwrap(),
            Format::Netflux
        );
        assert!(matches!(detect("m.txt", "hello"), Err(Error::Usage(_))));
    }
}
