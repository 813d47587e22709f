//! Hostile and careless input (issue 16): every file that once aborted the process, ate the
//! machine or gave a wrong answer without a word, as a test that it now gives a clean error or
//! the right result.

use crate::util::claimsim;
use claimsim::interop::{self, Format, Limits};
use predicates::str::contains;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `name` in a fresh temporary folder.
fn file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// Writes the content of an archive member.
type Member<'a> = &'a dyn Fn(&mut dyn Write);

/// An .xlsx archive holding `members` (name, content), deflated.
fn workbook(members: &[(&str, Member)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, write) in members {
        zip.start_file(*name, options).unwrap();
        write(&mut zip);
    }
    zip.finish().unwrap().into_inner()
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;

/// 100 MB of one letter, written in pieces so the test holds 1 MB.
fn hundred_megabytes(out: &mut dyn Write) {
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..100 {
        out.write_all(&chunk).unwrap();
    }
}

fn import_error(name: &str, bytes: &[u8]) -> String {
    let error = interop::import(Format::Netflux, Path::new(name), bytes)
        .expect_err("the workbook must be refused");
    error.to_string()
}

#[test]
fn a_sparse_workbook_is_refused_before_its_grid_is_allocated() {
    // Cells at A1 and XFD1048576 once asked for a dense range of 550 GB.
    let sheet = |out: &mut dyn Write| {
        out.write_all(
            br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#,
        )
        .unwrap()
    };
    let bytes = workbook(&[
        ("[Content_Types].xml", &|o| {
            o.write_all(CONTENT_TYPES.as_bytes()).unwrap()
        }),
        ("xl/worksheets/sheet1.xml", &sheet),
    ]);
    let message = import_error("sparse.xlsx", &bytes);
    assert!(
        message.contains("1048576 rows by 16384 columns"),
        "{message}"
    );
    assert!(message.contains("--max-cells"), "{message}");
}

#[test]
fn zip_bombs_are_refused_at_the_unpacked_size_limit() {
    let inline_string = |out: &mut dyn Write| {
        out.write_all(br#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#)
            .unwrap();
        hundred_megabytes(out);
        out.write_all(b"</t></is></c></row></sheetData></worksheet>")
            .unwrap();
    };
    let shared_string = |out: &mut dyn Write| {
        out.write_all(b"<sst><si><t>").unwrap();
        hundred_megabytes(out);
        out.write_all(b"</t></si></sst>").unwrap();
    };
    for (member, write) in [
        ("xl/worksheets/sheet1.xml", &inline_string as Member),
        ("xl/sharedStrings.xml", &shared_string),
    ] {
        let bytes = workbook(&[(member, write)]);
        assert!(bytes.len() < 1 << 20, "a bomb: {} bytes", bytes.len());
        let message = import_error("bomb.xlsx", &bytes);
        assert!(message.contains("limit of 64 MB"), "{message}");
        assert!(message.contains("--max-size"), "{message}");
        assert!(message.contains(member), "{message}");
    }
}

#[test]
fn limits_can_be_raised_and_lowered() {
    let (_dir, path) = file("net.sif", b"A\t1\tB\n");
    let bytes = std::fs::read(&path).unwrap();
    let tight = Limits {
        max_bytes: 3,
        max_cells: 1,
    };
    let error = interop::import_within(Format::Sif, &path, &bytes, &tight).unwrap_err();
    assert!(error.to_string().contains("--max-size"), "{error}");
    assert!(interop::import_within(Format::Sif, &path, &bytes, &Limits::default()).is_ok());
}

#[test]
fn reading_a_device_stops_at_the_size_limit() {
    claimsim()
        .args(["import", "/dev/zero", "--from", "sif", "--max-size", "1"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(contains("larger than the limit of 1 MB"));
}

/// An SBML qual model with one transition whose function term is `math`.
fn sbml_with_math(species: usize, math: &str) -> String {
    let ids: Vec<String> = (0..species).map(|i| format!("S{i}")).collect();
    let declared: String = ids
        .iter()
        .map(|id| format!("<qual:qualitativeSpecies qual:id=\"{id}\" qual:maxLevel=\"1\"/>"))
        .collect();
    let inputs: String = ids
        .iter()
        .map(|id| format!("<qual:input qual:id=\"in_{id}\" qual:qualitativeSpecies=\"{id}\"/>"))
        .collect();
    format!(
        "<?xml version=\"1.0\"?><sbml xmlns:qual=\"http://www.sbml.org/sbml/level3/version1/qual/version1\"><model>\
         <qual:listOfQualitativeSpecies>{declared}<qual:qualitativeSpecies qual:id=\"T\"/></qual:listOfQualitativeSpecies>\
         <qual:listOfTransitions><qual:transition qual:id=\"t\"><qual:listOfInputs>{inputs}</qual:listOfInputs>\
         <qual:listOfOutputs><qual:output qual:qualitativeSpecies=\"T\"/></qual:listOfOutputs>\
         <qual:listOfFunctionTerms><qual:defaultTerm qual:resultLevel=\"0\"/><qual:functionTerm qual:resultLevel=\"1\">\
         <math xmlns=\"http://www.w3.org/1998/Math/MathML\">{math}</math></qual:functionTerm></qual:listOfFunctionTerms>\
         </qual:transition></qual:listOfTransitions></model></sbml>"
    )
}

#[test]
fn deeply_nested_sbml_is_refused_not_a_stack_overflow() {
    let math = format!(
        "{}<ci>S0</ci>{}",
        "<apply><not/>".repeat(20_000),
        "</apply>".repeat(20_000)
    );
    let (_dir, path) = file("deep.sbml", sbml_with_math(1, &math).as_bytes());
    claimsim()
        .arg("import")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(contains("nests deeper than 64 levels"));
}

#[test]
fn a_long_xor_is_refused_as_it_grows() {
    let args: String = (0..26).map(|i| format!("<ci>S{i}</ci>")).collect();
    let math = format!("<apply><xor/>{args}</apply>");
    let (_dir, path) = file("xor.sbml", sbml_with_math(26, &math).as_bytes());
    claimsim()
        .arg("import")
        .arg(&path)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(contains("too large to read as links"));
}

#[test]
fn sif_with_carriage_returns_alone_reads_line_by_line() {
    let (_dir, path) = file("mac.sif", b"A 1 B\rB -1 C\r");
    let bytes = std::fs::read(&path).unwrap();
    let network = interop::import(Format::Sif, &path, &bytes).unwrap();
    assert_eq!(network.link_texts(), ["A -> B", "B -| C"]);
    let (_dir, path) = file("mac.txt", b"A -> B\rB -* C\r");
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(Format::detect(&path, &bytes).unwrap(), Format::Qpress);
}

#[test]
fn control_characters_never_reach_the_written_scenario() {
    let text = "A\u{7}x -> B # a note\u{1}with\u{1b}[31m controls ''''\nB -* C\n";
    let network = interop::import(Format::Qpress, Path::new("c.txt"), text.as_bytes()).unwrap();
    let written = interop::scenario_text(&network, Format::Qpress, Path::new("c\u{1b}.txt"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !written.chars().any(|c| c.is_control() && c != '\n'),
        "{written:?}"
    );
    assert!(written.contains("a note with [31m controls"), "{written}");
}
