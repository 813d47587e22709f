//! The seed corpus: the repository's own files of each kind (tests/data, scenarios/, seeds/)
//! plus the reproducers of issue 16, built here rather than stored (some are megabytes
//! unpacked).

use crate::mutate::gzip;
use crate::targets::Target;
use std::io::Write;
use std::path::Path;

/// Every seed of `target`: the repository's files, then the generated reproducers.
pub fn corpus(target: Target, root: &Path) -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = target
        .seed_files(root)
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .collect();
    seeds.extend(reproducers(target));
    if seeds.is_empty() {
        seeds.push(b"A -> B\n".to_vec());
    }
    seeds
}

fn reproducers(target: Target) -> Vec<Vec<u8>> {
    match target {
        Target::Scenario => scenario_reproducers(),
        Target::Sif => vec![
            b"A 1 B\rB -1 C\r".to_vec(),
            b"A\x07x\t1\tB\x1b[31m\nB\t-1\tC\n".to_vec(),
            edges(2000, |i| format!("n{i}\t1\tn{}\n", i + 1)),
        ],
        Target::Qpress => vec![
            "A\u{7}x -> B # a note\u{1}with\u{1b}[31m controls ''''\nB -* C\n".into(),
            b"A -> B\rB -* C\r".to_vec(),
            edges(2000, |i| format!("n{i} -> n{}\n", i + 1)),
        ],
        Target::Sbml => sbml_reproducers(),
        Target::Netflux => netflux_reproducers(),
        Target::Mentalmodeler => vec![
            br#"{"concepts":[{"id":"1","name":"A\u0007\u001b[31m"},{"id":"2","name":"B"}],"relationships":[{"sourceID":"1","targetID":"2","influence":"1e308"}]}"#.to_vec(),
            br#"<mentalmodeler><concepts><concept><id>1</id><name>A&#27;</name></concept></concepts></mentalmodeler>"#.to_vec(),
        ],
        Target::Dia => {
            let deep = format!("<dia:diagram>{}</dia:diagram>", "<dia:object>".repeat(20_000));
            vec![deep.clone().into_bytes(), gzip(deep.as_bytes())]
        }
        Target::Canary => vec![b"hello, canary".to_vec()],
    }
}

fn edges(n: usize, line: impl Fn(usize) -> String) -> Vec<u8> {
    (0..n).map(line).collect::<String>().into_bytes()
}

fn scenario_reproducers() -> Vec<Vec<u8>> {
    let typos: String = (0..200)
        .map(|i| {
            format!("[[expect]]\nintervention = \"x\"\nnode = \"gnee{i:04}\"\nchange = \"up\"\n")
        })
        .collect();
    let links: String = (0..200)
        .map(|i| format!("gene{i:04} -> gene{:04}\n", i + 1))
        .collect();
    vec![
        b"network = \"A -> B\"\n[[intervention]]\nname = \"p\"\npress = { A = 1e305 }\n".to_vec(),
        format!(
            "network = \"\"\"\n{links}\"\"\"\n[[intervention]]\nname = \"x\"\npress = {{ gene0000 = 1 }}\n{typos}"
        )
        .into_bytes(),
        b"title = \"\x1b]0;owned\x07\x1b[2J\"\nnetwork = \"A -> B\"\n[simulation]\nsamples = 1000000000000\nmax_draws = 9e18\n".to_vec(),
        format!("title = \"{}\"\nnetwork = \"A -> \"\n", "x".repeat(50_000)).into_bytes(),
        b"network = \"\"\"\nA -> B\nB -> C\nC -> D\n\"\"\"\n[[link]]\nlink = \"B -> C\"\nweight = \"uniform(1e200, 2e200)\"\n".to_vec(),
    ]
}

/// An SBML qual model with one transition whose function term is `math` over `species` inputs.
fn sbml_with_math(species: usize, math: &str) -> Vec<u8> {
    let declared: String = (0..species)
        .map(|i| format!("<qual:qualitativeSpecies qual:id=\"S{i}\" qual:maxLevel=\"1\"/>"))
        .collect();
    let inputs: String = (0..species)
        .map(|i| format!("<qual:input qual:id=\"in_S{i}\" qual:qualitativeSpecies=\"S{i}\"/>"))
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
    .into_bytes()
}

fn sbml_reproducers() -> Vec<Vec<u8>> {
    let deep = format!(
        "{}<ci>S0</ci>{}",
        "<apply><not/>".repeat(20_000),
        "</apply>".repeat(20_000)
    );
    let xor: String = (0..26).map(|i| format!("<ci>S{i}</ci>")).collect();
    vec![
        sbml_with_math(1, &deep),
        sbml_with_math(26, &format!("<apply><xor/>{xor}</apply>")),
        sbml_with_math(
            2,
            "<apply><and/><ci>S0</ci><apply><not/><ci>S1</ci></apply></apply>",
        ),
    ]
}

fn workbook(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in members {
        zip.start_file(*name, options).expect("a zip in memory");
        zip.write_all(content).expect("a zip in memory");
    }
    zip.finish().expect("a zip in memory").into_inner()
}

fn netflux_reproducers() -> Vec<Vec<u8>> {
    let types: &[u8] = br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;
    let sparse: &[u8] = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#;
    // 70 MB of one letter in a shared string: over the 64 MB unpacked limit.
    let mut bomb = b"<sst><si><t>".to_vec();
    bomb.resize(bomb.len() + (70 << 20), b'a');
    bomb.extend_from_slice(b"</t></si></sst>");
    vec![
        workbook(&[
            ("[Content_Types].xml", types),
            ("xl/worksheets/sheet1.xml", sparse),
        ]),
        workbook(&[("xl/sharedStrings.xml", &bomb)]),
    ]
}
