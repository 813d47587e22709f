//! Charts: every chart renders for the library scenarios as a valid PNG of the asked size (read
//! from the PNG signature and IHDR header) or as SVG; `run -o` and `graph -o` write them; a
//! forty-node network with long names renders too; the sensitivities behind sensitivity.png
//! are in the JSON and point at the links a claim rests on; timecourse.png comes with ode runs
//! and methods.png with `--method all`, and only then.

use crate::util::{claimsim, data, root, scenario_file};
use claimsim::plot::{self, ChartFormat, PlotOptions};
use claimsim::scenario::Scenario;
use std::path::Path;

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Width and height from a PNG's IHDR chunk, which must come first.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(PNG_SIGNATURE), "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR", "IHDR is not the first chunk");
    let be =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (be(16), be(20))
}

fn library(name: &str) -> Scenario {
    let file = root().join("scenarios").join(name);
    let claims = claimsim::scenario::catalogue::CatalogueFinder::new(None).unwrap();
    let mut scenario = claimsim::scenario::load(&file, &claims).unwrap();
    // Charts do not need many samples; keep the tests fast.
    scenario.simulation.samples = 500;
    scenario
}

/// The charts of a run, without the per-intervention networks (`network-<slug>`, tested on
/// their own below), so the lists stay short.
fn charts(scenario: &Scenario, options: &PlotOptions) -> Vec<plot::RenderedChart> {
    let options = PlotOptions {
        every_network: false,
        ..*options
    };
    let reports = claimsim::run(scenario, &claimsim::RunOptions::default()).unwrap();
    plot::render_charts(scenario, &reports, &options).unwrap()
}

fn press_only(name: &str) -> Scenario {
    let mut scenario = library(name);
    scenario.simulation.method = claimsim::scenario::Method::Press;
    scenario
}

/// Every chart but claims.png, whose height follows its rows.
fn fixed_size(charts: &[plot::RenderedChart]) -> impl Iterator<Item = &plot::RenderedChart> {
    charts.iter().filter(|c| !c.file_name.starts_with("claims"))
}

/// Checks the size of a chart of `scenario` drawn at `base`: outcomes and effects get three
/// quarters more height for their second row of "A vs B" panels when claims compare
/// interventions, sensitivity grows taller when its panels need more rows or longer labels,
/// methods grows when a cell needs more room for its value and mark; the rest keep `base`.
fn assert_size(scenario: &Scenario, chart: &plot::RenderedChart, (w, h): (u32, u32)) {
    let size = png_size(&chart.bytes);
    let name = &chart.file_name;
    let paired = ["outcomes", "effects"].iter().any(|c| name.starts_with(c));
    if paired && !scenario.versus_pairs().is_empty() {
        assert_eq!(size, (w, h + h * 3 / 4), "{name}");
    } else if name.starts_with("sensitivity") {
        assert!(size.0 == w && size.1 >= h, "{name} is {size:?}");
    } else if name.starts_with("methods") {
        assert!(size.0 >= w && size.1 >= h, "{name} is {size:?}");
    } else {
        assert_eq!(size, (w, h), "{name}");
    }
}

fn names(charts: &[plot::RenderedChart]) -> Vec<&str> {
    charts.iter().map(|c| c.file_name.as_str()).collect()
}

#[test]
fn every_chart_is_a_png_of_the_default_size_for_library_scenarios() {
    for name in [
        "breast-cancer/msc-mir100-vegf.toml",
        "glioblastoma/anti-mir9-temozolomide.toml",
        "leukemia/cml-mir365-imatinib.toml",
    ] {
        // The press charts; the drug scenarios run every method since issue 13.
        let scenario = press_only(name);
        let rendered = charts(&scenario, &PlotOptions::default());
        assert_eq!(
            names(&rendered),
            [
                "claims.png",
                "outcomes.png",
                "effects.png",
                "network.png",
                "sensitivity.png"
            ]
        );
        for chart in fixed_size(&rendered) {
            assert_size(&scenario, chart, (1600, 1000));
        }
    }
}

#[test]
fn charts_take_the_size_asked_for() {
    let options = PlotOptions {
        size: (1000, 640),
        ..PlotOptions::default()
    };
    let scenario = library("leukemia/cml-mir365-imatinib.toml");
    let rendered = charts(&scenario, &options);
    for chart in fixed_size(&rendered) {
        assert_size(&scenario, chart, (1000, 640));
    }
    assert_eq!(
        png_size(&rendered[0].bytes).0,
        1000,
        "claims.png takes the width"
    );
}

#[test]
fn svg_charts_are_svg_documents_with_their_titles() {
    let scenario = press_only("glioblastoma/anti-mir9-temozolomide.toml");
    let options = PlotOptions {
        format: ChartFormat::Svg,
        ..PlotOptions::default()
    };
    let rendered = charts(&scenario, &options);
    assert_eq!(
        names(&rendered),
        [
            "claims.svg",
            "outcomes.svg",
            "effects.svg",
            "network.svg",
            "sensitivity.svg"
        ]
    );
    for chart in &rendered {
        let text = std::str::from_utf8(&chart.bytes).unwrap();
        assert!(text.trim_start().starts_with("<svg"), "{}", chart.file_name);
        assert!(text.contains(r#"width="1600""#));
        assert!(
            text.contains("glioblastoma"),
            "the title names the scenario"
        );
        assert!(text.trim_end().ends_with("</svg>"));
    }
}

#[test]
fn rendering_is_deterministic() {
    let scenario = library("breast-cancer/msc-mir100-vegf.toml");
    let first = charts(&scenario, &PlotOptions::default());
    let second = charts(&scenario, &PlotOptions::default());
    for (a, b) in first.iter().zip(&second) {
        assert!(
            a.bytes == b.bytes,
            "{} differs between renders",
            a.file_name
        );
    }
}

#[test]
fn readouts_come_first_and_pressed_inputs_last() {
    let scenario = library("leukemia/cml-mir365-imatinib.toml");
    let order: Vec<&str> = plot::outcomes::display_order(&scenario)
        .into_iter()
        .map(|v| scenario.nodes[v].name.as_str())
        .collect();
    assert_eq!(
        order[0], "apoptosis",
        "the most downstream readout leads: {order:?}"
    );
    assert!(order[order.len() - 2..].contains(&"imatinib"), "{order:?}");
}

#[test]
fn the_network_is_coloured_by_the_intervention_the_claims_are_about() {
    let scenario = library("glioblastoma/anti-mir9-temozolomide.toml");
    let chosen = plot::network::chosen_intervention(&scenario).unwrap();
    assert_eq!(
        scenario.interventions[chosen].name,
        "anti-miR-9 exosomes + TMZ"
    );
}

/// Forty nodes, long names, gates, unknown signs, optional links and a feedback loop.
fn forty_node_scenario() -> String {
    let names: Vec<String> = (0..40)
        .map(|i| match i % 4 {
            0 => format!("bone-marrow mesenchymal stromal cell exosome cargo number {i}"),
            1 => format!("miR-{i}"),
            2 => format!("HIF-1α target gene {i}"),
            _ => format!("N{i}"),
        })
        .collect();
    let mut lines: Vec<String> = (1..40)
        .map(|i| {
            let arrow = ["->", "-|", "->", "-?"][i % 4];
            format!("{} {arrow} {}", names[(i - 1) / 2], names[i])
        })
        .collect();
    lines.push(format!("{} -| {}", names[30], names[3]));
    lines.push(format!("{} & !{} -> {}", names[5], names[6], names[20]));
    format!(
        r#"title = "Forty nodes with long names to check that every chart stays legible"
network = """
{}
"""
[[link]]
link = "{}"
present = 0.5

[[intervention]]
name = "press the root with a deliberately long intervention name"
press = {{ "{}" = 1.0 }}

[[intervention]]
name = "press another"
press = {{ "{}" = 1.0 }}

[simulation]
samples = 200
max_draws = 10000000
"#,
        lines.join("\n"),
        lines[2],
        names[0],
        names[7]
    )
}

#[test]
fn forty_nodes_with_long_names_render() {
    let (_dir, file) = scenario_file(&forty_node_scenario());
    let claims = claimsim::scenario::catalogue::CatalogueFinder::new(None).unwrap();
    let scenario = claimsim::scenario::load(&file, &claims).unwrap();
    assert_eq!(scenario.nodes.len(), 40);
    for chart in charts(&scenario, &PlotOptions::default()) {
        assert_eq!(png_size(&chart.bytes), (1600, 1000), "{}", chart.file_name);
    }
    let network = plot::render_network(&scenario, ChartFormat::Svg, (1600, 1000)).unwrap();
    assert!(String::from_utf8(network).unwrap().contains("<svg"));
}

fn run_into(dir: &Path, extra: &[&str]) {
    claimsim()
        .arg("run")
        .arg(data("predator-prey.toml"))
        .arg("--claims")
        .arg(data("claims.toml"))
        .args(["-n", "300", "-o"])
        .arg(dir)
        .args(extra)
        .assert()
        .success();
}

/// `run -o` sizes claims.png before drawing any chart: its legend must still be measured with
/// the font (it once got two lines' room, and this scenario's legend takes three).
#[test]
fn run_sizes_claims_png_for_its_whole_legend() {
    let name = "breast-cancer/mir16-mir100-vegf-pair.toml";
    let dir = tempfile::tempdir().unwrap();
    claimsim()
        .arg("run")
        .arg(root().join("scenarios").join(name))
        .args(["-m", "press", "-n", "200", "-o"])
        .arg(dir.path())
        .assert()
        .success();
    let written = png_size(&std::fs::read(dir.path().join("claims.png")).unwrap());
    let mut scenario = press_only(name);
    scenario.simulation.samples = 200;
    let reports = claimsim::run(&scenario, &claimsim::RunOptions::default()).unwrap();
    plot::style::register_fonts().unwrap();
    let chart = plot::claims::ClaimsChart::for_scenario(&scenario, &reports).unwrap();
    assert_eq!(written, chart.size(1600));
}

#[test]
fn run_writes_png_charts_beside_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    run_into(dir.path(), &[]);
    for name in ["outcomes.png", "effects.png", "network.png"] {
        let bytes = std::fs::read(dir.path().join(name)).unwrap();
        assert_eq!(png_size(&bytes), (1600, 1000), "{name}");
    }
    assert!(dir.path().join("summary.json").exists());
}

#[test]
fn run_writes_svg_charts_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    run_into(dir.path(), &["--svg"]);
    for name in ["outcomes.svg", "effects.svg", "network.svg"] {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(text.contains("<svg"), "{name}");
    }
    assert!(!dir.path().join("outcomes.png").exists());
}

#[test]
fn no_plots_writes_no_charts() {
    let dir = tempfile::tempdir().unwrap();
    run_into(dir.path(), &["--no-plots"]);
    assert!(dir.path().join("summary.json").exists());
    assert!(!dir.path().join("outcomes.png").exists());
    assert!(!dir.path().join("network.png").exists());
}

#[test]
fn graph_draws_the_network_as_png_or_svg_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["net.png", "net.SVG"] {
        let out = dir.path().join(name);
        claimsim()
            .arg("graph")
            .arg(data("mixed.toml"))
            .arg("--claims")
            .arg(data("claims.toml"))
            .arg("-o")
            .arg(&out)
            .assert()
            .success();
        let bytes = std::fs::read(&out).unwrap();
        if name.ends_with("png") {
            assert_eq!(png_size(&bytes), (1600, 1000));
        } else {
            assert!(String::from_utf8(bytes).unwrap().contains("<svg"));
        }
    }
}

#[test]
fn an_unwritable_picture_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    claimsim()
        .arg("graph")
        .arg(data("mixed.toml"))
        .arg("--claims")
        .arg(data("claims.toml"))
        .arg("-o")
        .arg(dir.path().join("missing/folder/net.png"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("could not write"));
}

#[test]
fn a_tiny_canvas_is_refused_with_a_message() {
    let scenario = library("leukemia/cml-mir365-imatinib.toml");
    let error = plot::render_network(&scenario, ChartFormat::Png, (50, 40)).unwrap_err();
    assert!(error.to_string().contains("too small"), "{error}");
}

#[test]
fn without_claims_there_is_no_sensitivity_chart() {
    let (_dir, file) = scenario_file(
        "network = \"\"\"\nA -> B\nB -> C\n\"\"\"\n[[intervention]]\nname = \"press A\"\npress = { A = 1.0 }\n[simulation]\nsamples = 200\n",
    );
    let claims = claimsim::scenario::catalogue::CatalogueFinder::new(None).unwrap();
    let scenario = claimsim::scenario::load(&file, &claims).unwrap();
    let rendered = charts(&scenario, &PlotOptions::default());
    assert_eq!(
        names(&rendered),
        ["outcomes.png", "effects.png", "network.png"]
    );
}

#[test]
fn sensitivity_points_at_the_links_a_claim_rests_on() {
    let json = crate::util::run_json(&data("predator-prey.toml"), &["-n", "2000"]);
    let sensitivity = json["sensitivity"]
        .as_array()
        .expect("sensitivity in the JSON");
    assert_eq!(sensitivity.len(), 1);
    let claim = &sensitivity[0];
    assert_eq!(
        (claim["node"].as_str(), claim["change"].as_str()),
        (Some("A"), Some("down"))
    );
    let links = claim["links"].as_array().unwrap();
    let correlations: Vec<f64> = links
        .iter()
        .map(|l| l["correlation"].as_f64().unwrap())
        .collect();
    assert!(correlations.iter().all(|r| (-1.0..=1.0).contains(r)));
    assert!(
        correlations.windows(2).all(|w| w[0].abs() >= w[1].abs()),
        "ranked by strength: {correlations:?}"
    );
    // Pressing B lowers A only through B -| A: a stronger inhibition lowers A further.
    let inhibition = links.iter().find(|l| l["link"] == "B -| A").unwrap();
    assert!(
        inhibition["correlation"].as_f64().unwrap() > 0.1,
        "{links:?}"
    );
}

#[test]
fn sensitivity_does_not_depend_on_the_thread_count() {
    let one = crate::util::run_json(&data("mixed.toml"), &["-n", "3000", "-j", "1"]);
    let two = crate::util::run_json(&data("mixed.toml"), &["-n", "3000", "-j", "2"]);
    assert_eq!(one["sensitivity"], two["sensitivity"]);
}

/// A dosed chain under the ode method: doses into X at 0.5, 2.5 and 4.5 h, and a press.
const DOSED: &str = r#"
title = "Dosed chain"
network = """
X -> Y
Y -> Z
W -| Z
"""
[[intervention]]
name = "repeated doses of X"
doses = [{ node = "X", at = 0.5, amount = 0.3, half_life = 1.5, every = 2.0, count = 3 }]
[[intervention]]
name = "press W"
press = { W = 0.6 }
[[expect]]
intervention = "repeated doses of X"
node = "Z"
change = "up"
[simulation]
method = "ode"
samples = 100
t_end = 8.0
"#;

fn loaded(text: &str) -> Scenario {
    let (_dir, file) = scenario_file(text);
    let claims = claimsim::scenario::catalogue::CatalogueFinder::new(None).unwrap();
    claimsim::scenario::load(&file, &claims).unwrap()
}

#[test]
fn an_ode_run_has_a_timecourse_chart_as_png_or_svg() {
    let scenario = loaded(DOSED);
    let rendered = charts(&scenario, &PlotOptions::default());
    assert_eq!(
        names(&rendered),
        [
            "claims.png",
            "outcomes.png",
            "effects.png",
            "network.png",
            "timecourse.png"
        ]
    );
    assert_eq!(png_size(&rendered[4].bytes), (1600, 1000));
    let small = PlotOptions {
        size: (1000, 640),
        ..PlotOptions::default()
    };
    let timecourse = charts(&scenario, &small).pop().unwrap();
    assert_eq!(png_size(&timecourse.bytes), (1000, 640));
    let options = PlotOptions {
        format: ChartFormat::Svg,
        ..PlotOptions::default()
    };
    let svg = charts(&scenario, &options).pop().unwrap();
    assert_eq!(svg.file_name, "timecourse.svg");
    let text = String::from_utf8(svg.bytes).unwrap();
    assert!(text.contains("<svg") && text.contains("Dosed chain"));
    assert!(text.contains("time (h)") && text.contains("level"));
}

#[test]
fn every_timecourse_cell_has_the_same_level_lines() {
    // Before, only the left column drew level lines, with light ones every tenth between them:
    // stripes down one column of the figure and none in the others.
    let options = PlotOptions {
        format: ChartFormat::Svg,
        ..PlotOptions::default()
    };
    let svg = charts(&loaded(DOSED), &options).pop().unwrap();
    assert_eq!(svg.file_name, "timecourse.svg");
    let text = String::from_utf8(svg.bytes).unwrap();
    let light = format!("stroke=\"#{:02X}{:02X}{:02X}\"", 226, 226, 226);
    let mut per_column = std::collections::BTreeMap::new();
    for line in text.split("<line ").skip(1).filter(|l| l.contains(&light)) {
        let x1 = line.split("x1=\"").nth(1).unwrap();
        let x: f64 = x1.split('"').next().unwrap().parse().unwrap();
        *per_column.entry(x as i64).or_insert(0) += 1;
    }
    let counts: Vec<i32> = per_column.values().copied().collect();
    assert!(
        counts.len() > 1,
        "level lines in {} column(s)",
        counts.len()
    );
    assert!(
        counts.iter().all(|&c| c == counts[0] && c > 0),
        "{per_column:?}"
    );
}

#[test]
fn method_all_compares_the_methods_in_one_chart() {
    let mut scenario = library("glioblastoma/anti-mir9-temozolomide.toml");
    scenario.simulation.method = claimsim::scenario::Method::All;
    let rendered = charts(&scenario, &PlotOptions::default());
    let names = names(&rendered);
    assert!(names.contains(&"timecourse-ode.png"), "{names:?}");
    assert!(!names.iter().any(|n| n.starts_with("timecourse-press")));
    assert_eq!(names.iter().filter(|n| n.starts_with("methods")).count(), 1);
    assert_eq!(names.iter().filter(|n| n.starts_with("claims")).count(), 1);
    for chart in fixed_size(&rendered) {
        assert_size(&scenario, chart, (1600, 1000));
    }
    let options = PlotOptions {
        format: ChartFormat::Svg,
        ..PlotOptions::default()
    };
    let methods = charts(&scenario, &options).pop().unwrap();
    assert_eq!(methods.file_name, "methods.svg");
    let text = String::from_utf8(methods.bytes).unwrap();
    // Column headings wrap, so the intervention's words are looked for, not the whole name.
    assert!(text.contains("glioblastoma") && text.contains("anti-miR-9"));
    assert!(
        text.contains("not expressible in press (interaction)"),
        "the legend explains '–'"
    );
    assert!(text.contains("claims"), "the subtitle gives the agreement");
}

#[test]
fn forty_nodes_render_under_every_method() {
    let (_dir, file) = scenario_file(&forty_node_scenario());
    let claims = claimsim::scenario::catalogue::CatalogueFinder::new(None).unwrap();
    let mut scenario = claimsim::scenario::load(&file, &claims).unwrap();
    scenario.simulation.method = claimsim::scenario::Method::All;
    let rendered = charts(&scenario, &PlotOptions::default());
    let names = names(&rendered);
    assert!(names.contains(&"methods.png") && names.contains(&"timecourse-ode.png"));
    for chart in fixed_size(&rendered) {
        assert_size(&scenario, chart, (1600, 1000));
    }
}

#[test]
fn run_writes_the_dynamic_charts_only_when_their_data_exists() {
    let (_scenario_dir, file) = scenario_file(DOSED);
    let written = |method: &str| {
        let dir = tempfile::tempdir().unwrap();
        claimsim()
            .arg("run")
            .arg(&file)
            .args(["--method", method, "-n", "100", "-o"])
            .arg(dir.path())
            .assert()
            .success();
        let exists = |name: &str| dir.path().join(name).exists();
        (exists("timecourse.png"), exists("methods.png"), dir)
    };
    let (timecourse, methods, dir) = written("ode");
    assert!(timecourse && !methods);
    let bytes = std::fs::read(dir.path().join("timecourse.png")).unwrap();
    assert_eq!(png_size(&bytes), (1600, 1000));
    let (timecourse, methods, _dir) = written("press");
    assert!(
        !timecourse && !methods,
        "press has no time courses, one method nothing to compare"
    );
    let (_, _, dir) = written("all");
    assert!(dir.path().join("methods.png").exists());
    assert!(dir.path().join("timecourse-ode.png").exists());
    assert!(!dir.path().join("timecourse-fcm.png").exists());
}

#[test]
fn the_claims_chart_states_each_claim_and_its_verdict() {
    let scenario = library("glioblastoma/anti-mir9-temozolomide.toml");
    let options = PlotOptions {
        format: ChartFormat::Svg,
        ..PlotOptions::default()
    };
    let rendered = charts(&scenario, &options);
    let claims = &rendered[0];
    assert_eq!(claims.file_name, "claims.svg");
    let text = String::from_utf8(claims.bytes.clone()).unwrap();
    // The claim may wrap onto two lines: read the texts in order.
    let (texts, _) = svg_texts(&text);
    let words: Vec<&str> = texts.iter().map(|(t, _, _)| t.as_str()).collect();
    assert!(
        words
            .join(" ")
            .contains("apoptosis up, anti-miR-9 exosomes + TMZ vs TMZ alone [A152, A153]"),
        "the claim in words"
    );
    assert!(text.contains("✔ supported"), "the verdict in words");
    // Four claims at fixed row height: taller than a title block, shorter than a default chart.
    let png = &charts(&scenario, &PlotOptions::default())[0];
    let (width, height) = png_size(&png.bytes);
    assert_eq!(width, 1600);
    assert!((400..1000).contains(&height), "{height}");
}

#[test]
fn the_library_claims_chart_pages_instead_of_shrinking() {
    let scenario = library("glioblastoma/anti-mir9-temozolomide.toml");
    let reports = claimsim::run(&scenario, &claimsim::RunOptions::default()).unwrap();
    let one =
        plot::render_library_claims(&[(&scenario, &reports)], &PlotOptions::default()).unwrap();
    assert_eq!(names(&one), ["claims.png"]);
    // 40 copies of a four-claim scenario: 160 rows.
    let runs: Vec<(&Scenario, &[claimsim::analysis::RunReport])> =
        (0..40).map(|_| (&scenario, reports.as_slice())).collect();
    let pages = plot::render_library_claims(&runs, &PlotOptions::default()).unwrap();
    assert!(pages.len() >= 4, "{} pages", pages.len());
    assert_eq!(pages[0].file_name, "claims-1.png");
    let first_height = png_size(&pages[0].bytes).1;
    for page in &pages {
        let (width, height) = png_size(&page.bytes);
        assert_eq!(width, 1600, "{}", page.file_name);
        assert!(height <= 2200, "{} is {height} px tall", page.file_name);
    }
    assert!(
        png_size(&one[0].bytes).1 < first_height,
        "rows keep their height"
    );
}

#[test]
fn the_claims_chart_shows_held_out_and_loop_columns_when_they_exist() {
    let svg_claims = |scenario: &Scenario| {
        let options = PlotOptions {
            format: ChartFormat::Svg,
            ..PlotOptions::default()
        };
        String::from_utf8(charts(scenario, &options).remove(0).bytes).unwrap()
    };
    // press: every claim cites links whose removal cuts the path, and loop analysis runs.
    let press = svg_claims(&press_only("glioblastoma/anti-mir9-temozolomide.toml"));
    assert!(
        press.contains("held out") && press.contains("no path"),
        "held-out column"
    );
    assert!(
        press.contains("loops: the sign loop analysis predicts"),
        "loops legend"
    );
    assert!(
        press.lines().any(|l| l.trim() == "loops"),
        "loops column head"
    );
    // ode has no loop analysis: no column for it.
    let mut ode = library("glioblastoma/anti-mir9-temozolomide.toml");
    ode.simulation.method = claimsim::scenario::Method::Ode;
    let ode = svg_claims(&ode);
    assert!(ode.contains("held out"));
    assert!(!ode.contains("loops"), "no loop prediction, no column");
    // Claims that cite nothing have no held-out result: no column either.
    let uncited = svg_claims(&loaded(DOSED));
    assert!(!uncited.contains("held out") && !uncited.contains("loops"));
}

#[test]
fn sensitivity_keeps_whole_link_labels_with_display_names_and_grows_for_many_panels() {
    let scenario = press_only("hypoxia/hypoxia-exosome-release-cisplatin.toml");
    let svg = PlotOptions {
        format: ChartFormat::Svg,
        ..PlotOptions::default()
    };
    let rendered = charts(&scenario, &svg);
    let chart = rendered
        .iter()
        .find(|c| c.file_name == "sensitivity.svg")
        .unwrap();
    let text = String::from_utf8(chart.bytes.clone()).unwrap();
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    // The source and its arrow (escaped in SVG) on one line, the target's display label on
    // the next.
    assert!(
        lines.contains(&"exosome release by ovarian cancer cells -&gt;"),
        "display label with its arrow"
    );
    assert!(lines.contains(&"cisplatin efflux"));
    assert!(
        text.contains("apoptosis unchanged under"),
        "'unchanged', not 'none'"
    );
    // Nine panels in three rows: taller than the default canvas.
    let png = charts(&scenario, &PlotOptions::default());
    let chart = png
        .iter()
        .find(|c| c.file_name == "sensitivity.png")
        .unwrap();
    assert!(png_size(&chart.bytes).1 > 1000);
}

/// Every text of an SVG chart, with its horizontal extent in pixels measured with the chart's
/// own font: (content, left, right, canvas width).
pub fn svg_texts(svg: &str) -> (Vec<(String, f64, f64)>, f64) {
    use plotters::style::{FontDesc, FontFamily, FontStyle};
    let attribute = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[start..].split('"').next()?.to_string())
    };
    let canvas = svg.split('>').next().unwrap();
    let width: f64 = attribute(canvas, "width").unwrap().parse().unwrap();
    claimsim::plot::style::register_fonts().unwrap();
    let mut texts = Vec::new();
    for piece in svg.split("<text").skip(1) {
        let (tag, rest) = piece.split_once('>').unwrap();
        let content = rest.split("</text>").next().unwrap().trim();
        let content = content
            .replace("&apos;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        let x: f64 = attribute(tag, "x").unwrap().parse().unwrap();
        // plotters writes a font of size s as font-size s / 1.24.
        let size: f64 = attribute(tag, "font-size").unwrap().parse::<f64>().unwrap() * 1.24;
        let style = if tag.contains("font-weight=\"bold\"") {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        let font = FontDesc::new(FontFamily::SansSerif, size, style);
        let w = claimsim::plot::style::text_width(&content, &font).unwrap();
        if tag.contains("rotate(") {
            // Turned on its side (an axis description): as wide as the font is tall.
            texts.push((content, x, x + size));
            continue;
        }
        let left = match attribute(tag, "text-anchor").as_deref() {
            Some("middle") => x - w / 2.0,
            Some("end") => x - w,
            _ => x,
        };
        texts.push((content, left, left + w));
    }
    (texts, width)
}

/// Fails naming every text of `svg` that runs past the canvas's left or right edge.
pub fn assert_text_inside(svg: &str, chart: &str) {
    let (texts, width) = svg_texts(svg);
    let outside: Vec<String> = texts
        .iter()
        .filter(|(_, left, right)| *left < -0.5 || *right > width + 0.5)
        .map(|(t, left, right)| format!("{t:?} spans {left:.0}..{right:.0}"))
        .collect();
    assert!(
        outside.is_empty(),
        "{chart}: text outside the {width} px canvas: {outside:?}"
    );
}

/// claims.png shows a claim's P over all draws next to the P it is judged on when they
/// differ (issue 14): glioblastoma's P-glycoprotein claim is 1.000 given its links, 0.706
/// over all draws; its legend wraps onto a third line rather than running off the canvas.
#[test]
fn the_claims_chart_shows_p_over_all_draws_where_it_differs_and_keeps_text_inside() {
    let mut scenario = library("glioblastoma/anti-mir9-temozolomide.toml");
    scenario.simulation.method = claimsim::scenario::Method::All;
    let options = PlotOptions {
        format: ChartFormat::Svg,
        ..PlotOptions::default()
    };
    let reports = claimsim::run(&scenario, &claimsim::RunOptions::default()).unwrap();
    let rendered = plot::render_charts(&scenario, &reports, &options).unwrap();
    let svg = String::from_utf8(rendered[0].bytes.clone()).unwrap();
    let (texts, _) = svg_texts(&svg);
    let shown: Vec<&str> = texts.iter().map(|(t, _, _)| t.as_str()).collect();
    let mut expected = 0;
    for e in reports.iter().flat_map(|r| &r.expectations) {
        if let Some(all) = e.unconditional_if_different() {
            let figure = format!("all {}", claimsim::report::numbers::probability(all));
            assert!(shown.contains(&figure.as_str()), "{figure} missing");
            expected += 1;
        }
    }
    assert!(
        expected >= 3,
        "the scenario has claims judged on some draws"
    );
    assert!(shown.iter().any(|t| t.starts_with("all: P over all draws")));
    for chart in &rendered {
        let svg = String::from_utf8(chart.bytes.clone()).unwrap();
        assert_text_inside(&svg, &chart.file_name);
    }
}

/// timecourse.png: one column per intervention, headed by its full name, and one row per node,
/// so no intervention's line can hide another's (issue 14).
#[test]
fn the_timecourse_has_a_column_per_intervention_with_its_full_name() {
    let mut scenario = library("glioblastoma/anti-mir9-temozolomide.toml");
    scenario.simulation.method = claimsim::scenario::Method::Ode;
    let reports = claimsim::run(&scenario, &claimsim::RunOptions::default()).unwrap();
    let chart = plot::timecourse::TimecourseChart::new(&scenario, &reports[0]).unwrap();
    let names: Vec<&str> = reports[0]
        .interventions
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(chart.columns(), names);
    assert_eq!(chart.rows().len(), scenario.nodes.len().min(8));
    let options = PlotOptions {
        format: ChartFormat::Svg,
        ..PlotOptions::default()
    };
    let rendered = plot::render_charts(&scenario, &reports, &options).unwrap();
    let svg = rendered
        .iter()
        .find(|c| c.file_name == "timecourse.svg")
        .unwrap();
    let svg = String::from_utf8(svg.bytes.clone()).unwrap();
    let (texts, _) = svg_texts(&svg);
    let all: Vec<&str> = texts.iter().map(|(t, _, _)| t.as_str()).collect();
    let all = all.join(" ");
    for name in names {
        assert!(all.contains(name), "{name} is not written in full");
    }
    assert_text_inside(&svg, "timecourse.svg");
}

/// network.png (issue 14): link lines are drawn in colours of their own, never in the up and
/// down colours the nodes are filled with, so a line cannot be read as a node's change; the
/// layout uses the height of the canvas; no text runs off it.
#[test]
fn network_lines_do_not_reuse_the_up_down_palette_and_fill_the_canvas() {
    use claimsim::plot::style::{DOWN, UP};
    let scenario = press_only("glioblastoma/anti-mir9-temozolomide.toml");
    let options = PlotOptions {
        format: ChartFormat::Svg,
        ..PlotOptions::default()
    };
    let rendered = charts(&scenario, &options);
    let network = rendered
        .iter()
        .find(|c| c.file_name == "network.svg")
        .unwrap();
    let svg = String::from_utf8(network.bytes.clone()).unwrap();
    let hex =
        |c: plotters::style::RGBColor| format!("stroke=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2);
    for colour in [UP, DOWN] {
        assert!(
            !svg.contains(&hex(colour)),
            "a line drawn in {}",
            hex(colour)
        );
    }
    let activates = hex(claimsim::plot::network::ACTIVATES);
    let inhibits = hex(claimsim::plot::network::INHIBITS);
    assert!(svg.contains(&activates) && svg.contains(&inhibits));
    assert_text_inside(&svg, "network.svg");
    // The boxes spread over the height below the title: none of the bottom quarter is empty.
    let geometry = plot::network_geometry(&scenario).unwrap();
    let lowest = geometry
        .nodes
        .iter()
        .map(|n| n.centre.1 + n.size.1 / 2.0)
        .fold(0.0, f64::max);
    let height = f64::from(geometry.size.1);
    assert!(
        lowest > 0.8 * height,
        "lowest box ends at {lowest} of {height}"
    );
}

/// network-<slug>.png (issue 14): one network per intervention, each naming its intervention
/// and marking what it does (here a knockout), written exactly when the scenario has
/// interventions; under `--method all`, one per intervention and method.
#[test]
fn every_intervention_gets_its_own_network_chart() {
    let scenario = press_only("glioblastoma/anti-mir9-temozolomide.toml");
    let reports = claimsim::run(&scenario, &claimsim::RunOptions::default()).unwrap();
    let options = PlotOptions {
        format: ChartFormat::Svg,
        ..PlotOptions::default()
    };
    let rendered = plot::render_charts(&scenario, &reports, &options).unwrap();
    let networks: Vec<_> = rendered
        .iter()
        .filter(|c| c.file_name.starts_with("network-"))
        .collect();
    let expected = [
        "network-tmz-alone.svg",
        "network-anti-mir-9-exosomes-tmz.svg",
        "network-anti-mir-9-exosomes-alone.svg",
        "network-tmz-p-glycoprotein-high.svg",
        "network-tmz-p-glycoprotein-knocked-out.svg",
    ];
    let found: Vec<&str> = networks.iter().map(|c| c.file_name.as_str()).collect();
    assert_eq!(found, expected);
    for (chart, intervention) in networks.iter().zip(&scenario.interventions) {
        let svg = String::from_utf8(chart.bytes.clone()).unwrap();
        assert!(
            svg.contains(&format!("under “{}”", intervention.name)),
            "{}",
            chart.file_name
        );
        let knocked = !intervention.knockout.is_empty();
        assert_eq!(
            svg.contains("(knocked out)"),
            knocked,
            "{}",
            chart.file_name
        );
        assert_text_inside(&svg, &chart.file_name);
    }
    let png = plot::render_charts(&scenario, &reports, &PlotOptions::default()).unwrap();
    for chart in png.iter().filter(|c| c.file_name.starts_with("network-")) {
        assert_eq!(png_size(&chart.bytes), (1600, 1000), "{}", chart.file_name);
    }
    let mut all = library("glioblastoma/anti-mir9-temozolomide.toml");
    all.simulation.method = claimsim::scenario::Method::All;
    all.simulation.samples = 100;
    let reports = claimsim::run(&all, &claimsim::RunOptions::default()).unwrap();
    let rendered = plot::render_charts(&all, &reports, &PlotOptions::default()).unwrap();
    let count = |suffix: &str| {
        rendered
            .iter()
            .filter(|c| c.file_name.starts_with("network-") && c.file_name.ends_with(suffix))
            // network-press.png is the method's main network chart.
            .filter(|c| c.file_name != format!("network{suffix}"))
            .count()
    };
    let per_method = all.interventions.len();
    assert_eq!(
        [count("-press.png"), count("-ode.png"), count("-fcm.png")],
        [per_method; 3]
    );
}

#[test]
fn intervention_slugs_are_unique_and_never_a_method_name() {
    let scenario = loaded(
        "network = \"A -> B\"\n[[intervention]]\nname = \"Press A!\"\npress = { A = 1.0 }\n\
         [[intervention]]\nname = \"press  a\"\npress = { A = 0.5 }\n\
         [[intervention]]\nname = \"ODE\"\npress = { B = 1.0 }\n\
         [[intervention]]\nname = \"血管\"\npress = { B = 0.5 }\n",
    );
    assert_eq!(
        plot::network::intervention_slugs(&scenario),
        ["press-a", "press-a-2", "ode-2", "intervention"]
    );
}

#[test]
fn run_and_compare_write_one_network_per_intervention_listed_in_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    run_into(dir.path(), &[]);
    for name in ["network-press-a.png", "network-press-b.png"] {
        let bytes = std::fs::read(dir.path().join(name)).unwrap();
        assert_eq!(png_size(&bytes), (1600, 1000), "{name}");
    }
    let manifest = std::fs::read_to_string(dir.path().join("manifest.json")).unwrap();
    assert!(manifest.contains("\"network-press-b.png\""), "{manifest}");
    claimsim()
        .arg("check-output")
        .arg(dir.path())
        .assert()
        .success();
    std::fs::remove_file(dir.path().join("network-press-a.png")).unwrap();
    claimsim()
        .arg("check-output")
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicates::str::contains("network-press-a.png"));
    let svg = tempfile::tempdir().unwrap();
    run_into(svg.path(), &["--svg"]);
    assert!(svg.path().join("network-press-b.svg").exists());
    assert!(!svg.path().join("network-press-b.png").exists());
    let compared = tempfile::tempdir().unwrap();
    claimsim()
        .arg("compare")
        .arg(data("predator-prey.toml"))
        .args(["press A", "press B"])
        .arg("--claims")
        .arg(data("claims.toml"))
        .args(["-n", "300", "-o"])
        .arg(compared.path())
        .assert()
        .success();
    assert!(compared.path().join("network-press-a.png").exists());
    assert!(compared.path().join("network-press-b.png").exists());
}

#[test]
fn batch_links_each_intervention_network_from_index_html() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::copy(data("predator-prey.toml"), lib.join("predator-prey.toml")).unwrap();
    std::fs::copy(data("claims.toml"), lib.join("claims.toml")).unwrap();
    let out = dir.path().join("out");
    claimsim()
        .arg("batch")
        .arg(&lib)
        .arg("--claims")
        .arg(lib.join("claims.toml"))
        .args(["-n", "200", "--no-atlas", "-o"])
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("predator-prey/network-press-a.png").exists());
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    for (file, name) in [
        ("network-press-a.png", "press A"),
        ("network-press-b.png", "press B"),
    ] {
        let link = format!("<a href=\"./predator-prey/{file}\">{name}</a>");
        assert!(index.contains(&link), "no {link} in the page");
        assert!(!index.contains(&format!("<img src=\"./predator-prey/{file}\"")));
    }
    assert!(index.contains("<img src=\"./predator-prey/network.png\""));
    claimsim().arg("check-output").arg(&out).assert().success();
}

/// `batch --svg` (issue 14) draws every chart as SVG, the library-wide claims chart included,
/// and index.html links them; `-n` and `--seed` reach each scenario's run.
#[test]
fn batch_draws_svg_charts_when_asked_and_takes_samples_and_seed() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::copy(data("predator-prey.toml"), lib.join("predator-prey.toml")).unwrap();
    let out = dir.path().join("out");
    claimsim()
        .arg("batch")
        .arg(&lib)
        .arg("--claims")
        .arg(data("claims.toml"))
        .args(["-n", "150", "--seed", "9", "--svg", "--no-atlas", "-o"])
        .arg(&out)
        .assert()
        .success();
    let scenario = out.join("predator-prey");
    for name in [
        "claims",
        "outcomes",
        "effects",
        "network",
        "network-press-a",
    ] {
        let text = std::fs::read_to_string(scenario.join(format!("{name}.svg"))).unwrap();
        assert!(text.contains("<svg"), "{name}");
        assert!(!scenario.join(format!("{name}.png")).exists(), "{name}.png");
    }
    assert!(out.join("claims.svg").exists() && !out.join("claims.png").exists());
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("<img src=\"./predator-prey/outcomes.svg\""));
    assert!(!index.contains(".png\""), "index.html links a PNG");
    let summary = std::fs::read_to_string(scenario.join("summary.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(json["samples"], 150, "{summary}");
    assert_eq!(json["seed"], 9, "{summary}");
    claimsim().arg("check-output").arg(&out).assert().success();
}

/// sensitivity.png never shortens a link label (issue 14): "endothelial migration, tube
/// formation / angiogenesis" in the CML scenario, at three panels a row, wraps onto more
/// lines, the canvas grows so the rows hold them, and every label reads as the link does.
#[test]
fn sensitivity_link_labels_are_wrapped_whole_never_shortened() {
    use claimsim::plot::sensitivity::SensitivityChart;
    let scenario = press_only("leukemia/cml-exosome-angiogenesis.toml");
    let reports = claimsim::run(&scenario, &claimsim::RunOptions::default()).unwrap();
    let chart = SensitivityChart::new(&scenario, &reports[0]).unwrap();
    let size = chart.canvas_size(plot::style::DEFAULT_SIZE);
    let labels = chart.laid_out(size).unwrap();
    assert!(labels.len() >= 40, "{} labels", labels.len());
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().concat();
    let whole: Vec<String> = scenario
        .links
        .iter()
        .map(|l| {
            let inputs: Vec<String> = l
                .inputs
                .iter()
                .map(|i| {
                    format!(
                        "{}{}",
                        if i.negated { "!" } else { "" },
                        scenario.display_name(i.node)
                    )
                })
                .collect();
            words(&format!(
                "{} {} {}",
                inputs.join(" & "),
                l.arrow.symbol(),
                scenario.display_name(l.target)
            ))
        })
        .collect();
    let mut longest = 0;
    for label in &labels {
        let text = label.lines.concat();
        assert!(!text.contains('…'), "shortened: {:?}", label.lines);
        assert!(
            whole.contains(&words(&text)),
            "not a whole link: {:?}",
            label.lines
        );
        let needed = label.line_height * label.lines.len() as f64;
        assert!(
            needed <= label.pitch,
            "{:?} needs {needed} of {}",
            label.lines,
            label.pitch
        );
        longest = longest.max(label.lines.len());
    }
    assert!(longest >= 3, "the long names wrap onto a third line");
}
