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

// ---- output paths that cannot escape ---------------------------------------------------------

/// A small valid scenario with `title`; claims are not cited, so no catalogue is needed.
fn tiny_scenario(title: &str) -> String {
    format!(
        "title = \"{title}\"\nnetwork = \"\"\"\nA -> B\n\"\"\"\n[[intervention]]\nname = \"press A\"\npress = {{ A = 1.0 }}\n[[expect]]\nintervention = \"press A\"\nnode = \"B\"\nchange = \"up\"\n[simulation]\nsamples = 200\n"
    )
}

/// Runs `claimsim batch` with `args` in `dir` without charts and returns its standard error.
fn batch_in(dir: &Path, args: &[&str]) -> String {
    let output = claimsim()
        .current_dir(dir)
        .arg("batch")
        .args(args)
        .arg("--no-plots")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_absolute_scenario_path_writes_inside_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = dir.path().join("abs/dir");
    std::fs::create_dir_all(&scenarios).unwrap();
    let file = scenarios.join("a.toml");
    std::fs::write(&file, tiny_scenario("a")).unwrap();
    batch_in(dir.path(), &[file.to_str().unwrap(), "-o", "out"]);
    assert!(dir.path().join("out/a/summary.json").is_file());
    let top: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(top.iter().all(|name| !name.contains("abs")), "{top:?}");
}

#[test]
fn colliding_slugs_get_their_own_folders_and_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = dir.path().join("s");
    std::fs::create_dir_all(scenarios.join("a")).unwrap();
    std::fs::write(scenarios.join("a--b.toml"), tiny_scenario("flat")).unwrap();
    std::fs::write(scenarios.join("a/b.toml"), tiny_scenario("nested")).unwrap();
    let stderr = batch_in(dir.path(), &["s", "-o", "out"]);
    assert!(stderr.contains("writes to 'a--b-2'"), "{stderr}");
    let title = |slug: &str| {
        let text = std::fs::read_to_string(dir.path().join("out").join(slug).join("summary.json"))
            .unwrap();
        text.contains("\"flat\"")
    };
    assert!(
        title("a--b") != title("a--b-2"),
        "both folders hold one scenario"
    );
}

#[test]
fn a_javascript_file_name_is_a_relative_link() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("s")).unwrap();
    let name = "javascript:alert(1).toml";
    std::fs::write(dir.path().join("s").join(name), tiny_scenario("js")).unwrap();
    batch_in(dir.path(), &["s", "-o", "out"]);
    let html = std::fs::read_to_string(dir.path().join("out/index.html")).unwrap();
    assert!(!html.contains("href=\"javascript:"), "{html}");
    assert!(
        html.contains("href=\"./javascript%3Aalert%281%29/summary.json\""),
        "{html}"
    );
}

#[test]
fn formula_cells_are_neutralised_in_csv() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("s")).unwrap();
    std::fs::write(
        dir.path().join("s/=HYPERLINK(x).toml"),
        tiny_scenario("formula"),
    )
    .unwrap();
    batch_in(dir.path(), &["s", "-o", "out"]);
    let csv = std::fs::read_to_string(dir.path().join("out/summary.csv")).unwrap();
    let row = csv.lines().nth(1).unwrap();
    assert!(row.starts_with("'=HYPERLINK(x),"), "{csv}");
    assert!(claimsim::report::csv::safe_cell("-0.25") == "-0.25");
    assert!(claimsim::report::csv::safe_cell("@cmd") == "'@cmd");
}

#[test]
fn escape_sequences_in_titles_never_reach_the_terminal() {
    let (_dir, path) = file(
        "esc.toml",
        tiny_scenario("\\u001b]0;owned\\u0007red").as_bytes(),
    );
    let output = claimsim().arg("run").arg(&path).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains('\u{1b}') && !stdout.contains('\u{7}'));
    assert!(stdout.contains("\\u{1b}]0;owned\\u{7}red"), "{stdout}");
}

// ---- .xls (old Excel) workbooks ---------------------------------------------------------------

/// A BIFF record: type, length, data.
fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut out = typ.to_le_bytes().to_vec();
    out.extend((data.len() as u16).to_le_bytes());
    out.extend(data);
    out
}

/// A BIFF8 beginning-of-substream record of kind `dt` (5 workbook globals, 0x10 a sheet).
fn bof(dt: u16) -> Vec<u8> {
    let mut data = 0x0600u16.to_le_bytes().to_vec();
    data.extend(dt.to_le_bytes());
    data.extend([0; 12]);
    record(0x0809, &data)
}

/// A NUMBER cell at (row, col).
fn number(row: u16, col: u16) -> Vec<u8> {
    let mut data = row.to_le_bytes().to_vec();
    data.extend(col.to_le_bytes());
    data.extend(0u16.to_le_bytes());
    data.extend(1.0f64.to_le_bytes());
    record(0x0203, &data)
}

/// A LABEL cell holding `text` (one byte per character) at (row, col).
fn label(row: u16, col: u16, text: &str) -> Vec<u8> {
    let mut data = row.to_le_bytes().to_vec();
    data.extend(col.to_le_bytes());
    data.extend(0u16.to_le_bytes());
    data.extend((text.len() as u16).to_le_bytes());
    data.push(0);
    data.extend(text.as_bytes());
    record(0x0204, &data)
}

/// A workbook stream with one sheet, "species", holding `sheet` (records between its BOF and
/// EOF); `offset` overrides where the sheet entry says the sheet starts.
fn workbook_stream(sheet: &[u8], offset: Option<u32>) -> Vec<u8> {
    let name = b"species";
    let bound = |pos: u32| {
        let mut data = pos.to_le_bytes().to_vec();
        data.extend([0, 0, name.len() as u8, 0]);
        data.extend(name);
        record(0x0085, &data)
    };
    let globals_len = bof(5).len() + bound(0).len() + record(0x000A, &[]).len();
    let mut stream = bof(5);
    stream.extend(bound(offset.unwrap_or(globals_len as u32)));
    stream.extend(record(0x000A, &[]));
    stream.extend(bof(0x10));
    stream.extend(sheet);
    stream.extend(record(0x000A, &[]));
    // At least 4096 bytes, so the stream lives in ordinary sectors.
    stream.resize(stream.len().max(4096), 0);
    stream
}

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

/// An OLE compound file of 512-byte sectors holding `stream` as "Workbook": sector 0 is the
/// allocation table, 1 the directory, 2.. the stream. `next` may rewrite the table's entry
/// for the stream's sectors (to make a chain that loops); `claimed` overrides its length.
fn compound_file(stream: &[u8], next: &dyn Fn(u32) -> u32, claimed: Option<u32>) -> Vec<u8> {
    let sectors = stream.len().div_ceil(512) as u32;
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let mut put = |at: usize, bytes: &[u8]| header[at..at + bytes.len()].copy_from_slice(bytes);
    put(24, &0x3Eu16.to_le_bytes());
    put(26, &3u16.to_le_bytes());
    put(28, &0xFFFEu16.to_le_bytes());
    put(30, &9u16.to_le_bytes());
    put(32, &6u16.to_le_bytes());
    put(44, &1u32.to_le_bytes());
    put(48, &1u32.to_le_bytes());
    put(56, &4096u32.to_le_bytes());
    put(60, &END_OF_CHAIN.to_le_bytes());
    put(68, &END_OF_CHAIN.to_le_bytes());
    for slot in 0..109 {
        let id: u32 = if slot == 0 { 0 } else { u32::MAX };
        put(76 + 4 * slot, &id.to_le_bytes());
    }
    let mut fat = vec![0xFFFF_FFFDu32, END_OF_CHAIN];
    for k in 0..sectors {
        let id = 2 + k;
        fat.push(if k + 1 == sectors {
            next(END_OF_CHAIN)
        } else {
            next(id + 1)
        });
    }
    fat.resize(128, u32::MAX);
    let mut directory = vec![0u8; 512];
    let mut entry = |slot: usize, name: &str, kind: u8, start: u32, len: u32| {
        let at = 128 * slot;
        let units: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        directory[at..at + units.len()].copy_from_slice(&units);
        directory[at + 64..at + 66].copy_from_slice(&(units.len() as u16 + 2).to_le_bytes());
        directory[at + 66] = kind;
        directory[at + 68..at + 80].copy_from_slice(&[0xFF; 12]);
        directory[at + 116..at + 120].copy_from_slice(&start.to_le_bytes());
        directory[at + 120..at + 124].copy_from_slice(&len.to_le_bytes());
    };
    entry(0, "Root Entry", 5, END_OF_CHAIN, 0);
    let len = claimed.unwrap_or(stream.len() as u32);
    entry(1, "Workbook", 2, 2, len);
    let mut file = header;
    file.extend(fat.iter().flat_map(|id| id.to_le_bytes()));
    file.extend(directory);
    file.extend(stream);
    file.resize(512 * (3 + sectors as usize), 0);
    file
}

fn xls(sheet: &[u8]) -> Vec<u8> {
    compound_file(&workbook_stream(sheet, None), &|id| id, None)
}

#[test]
fn the_xls_builder_makes_files_the_reader_opens() {
    // Cells close together pass the bounds and reach the reader, which reads the species
    // sheet's header and then finds no reactions sheet: the crafted files below are refused
    // for their flaw, not for being unreadable.
    let cells: Vec<u8> = [label(0, 0, "ID"), number(3, 2)].concat();
    let message = import_error("ok.xls", &xls(&cells));
    assert!(
        message.contains("no sheet named 'reactions' (the sheets are: species)"),
        "{message}"
    );
}

#[test]
fn a_sparse_xls_sheet_is_refused_before_its_grid_is_allocated() {
    // A1 and IV65536: a dense grid of 16.7 million cells in the reader.
    let cells: Vec<u8> = [number(0, 0), number(65535, 255)].concat();
    let message = import_error("sparse.xls", &xls(&cells));
    assert!(
        message.contains("sheet 'species' spans 65536 rows by 256 columns"),
        "{message}"
    );
    assert!(message.contains("--max-cells"), "{message}");
}

#[test]
fn an_xls_range_whose_last_row_comes_first_is_refused_not_an_abort() {
    // DIMENSIONS rows 5..1: the reader's row count wraps to 2^32 and it reserves that many
    // cells (the process aborted).
    let mut data = 5u32.to_le_bytes().to_vec();
    data.extend(1u32.to_le_bytes());
    data.extend([0, 0, 1, 0, 0, 0]);
    let message = import_error("wrapped.xls", &xls(&record(0x0200, &data)));
    assert!(
        message.contains("declares a range of 4294967292 rows"),
        "{message}"
    );
}

#[test]
fn an_xls_sector_chain_that_loops_is_refused() {
    // The stream's last sector points back to its first, and the directory claims 4 GB: the
    // reader would copy the loop until it had 4 GB.
    let stream = workbook_stream(&number(0, 0), None);
    let file = compound_file(
        &stream,
        &|id| if id == END_OF_CHAIN { 2 } else { id },
        Some(u32::MAX - 16),
    );
    let message = import_error("loop.xls", &file);
    assert!(
        message.contains("the .xls file is damaged: a sector chain from sector 2 loops"),
        "{message}"
    );
}

#[test]
fn an_xls_sheet_past_the_end_of_its_stream_is_refused_not_a_panic() {
    let stream = workbook_stream(&number(0, 0), Some(1 << 30));
    let file = compound_file(&stream, &|id| id, None);
    let message = import_error("offset.xls", &file);
    assert!(
        message.contains("sheet 'species' starts at byte 1073741824, past the end"),
        "{message}"
    );
}

#[test]
fn a_real_netflux_xls_model_imports() {
    // The fibroblast model shipped with Netflux itself (tests/data/interop/real/SOURCES).
    let path = crate::util::data("interop/real/netflux/zeigler_fibroblast_jmcc2016.xls");
    let out = tempfile::tempdir().unwrap();
    let written = out.path().join("fibroblast.toml");
    claimsim()
        .arg("import")
        .arg(&path)
        .arg("-o")
        .arg(&written)
        .assert()
        .success()
        .stderr(contains("imported 91 nodes and 131 links"));
    let text = std::fs::read_to_string(&written).unwrap();
    assert!(text.contains("MMP9 & latentTGFB -> TGFB"), "{text}");
}
