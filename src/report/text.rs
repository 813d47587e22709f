//! The report a person reads: interventions by nodes with the likely direction and its
//! probability, then (ode, fcm) the median levels, then each claim with its verdict, probability
//! and citation, then how many draws were kept; with several methods, whether they agree.

use super::numbers;
use super::words::change_word;
use crate::analysis::agreement::agreement;
use crate::analysis::loop_analysis::LoopPrediction;
use crate::analysis::{NodeOutcome, RunReport, Verdict};
use std::fmt::Write;

/// Widest node name shown before it is shortened.
const NAME_WIDTH: usize = 28;
/// Longest intervention name used as a column header.
const COLUMN_WIDTH: usize = 24;

/// The whole text report for one or more methods' runs of a scenario.
pub fn to_text(reports: &[RunReport], support: f64) -> String {
    let mut out = String::new();
    for report in reports {
        write_header(&mut out, report);
        write_table(&mut out, report, support);
        write_levels(&mut out, report);
        write_claims(&mut out, report);
        write_acceptance(&mut out, report);
    }
    write_agreement(&mut out, reports);
    out
}

fn write_header(out: &mut String, r: &RunReport) {
    let _ = writeln!(out, "{}", r.scenario);
    let _ = writeln!(
        out,
        "method {} · {} samples · seed {} · {}",
        r.method, r.samples, r.seed, r.file
    );
    if !r.overrides.is_empty() {
        let _ = writeln!(out, "overrides: {}", r.overrides.join(" "));
    }
    out.push('\n');
}

fn write_table(out: &mut String, r: &RunReport, support: f64) {
    let Some(first) = r.interventions.first() else {
        let _ = writeln!(
            out,
            "(no interventions: add an [[intervention]] to see what moves)\n"
        );
        return;
    };
    let columns = table_columns(r);
    let names: Vec<String> = columns.iter().map(|(name, _)| name.clone()).collect();
    let headers = column_headers(&names);
    if headers.iter().any(|c| c.starts_with('[')) {
        for (k, name) in names.iter().enumerate() {
            let _ = writeln!(out, "  [{}] {name}", k + 1);
        }
        out.push('\n');
    }
    let width = write_header_row(out, "", &headers);
    for (k, node) in first.nodes.iter().enumerate() {
        let _ = write!(out, "{:NAME_WIDTH$}", shorten(&node.node, NAME_WIDTH));
        for (_, nodes) in &columns {
            let _ = write!(out, "  {:>width$}", cell(&nodes[k], support));
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "\n  ↑ up, ↓ down, · unchanged; the number is its probability; ? marks a direction below the support threshold ({support})"
    );
    if !r.comparisons.is_empty() {
        let _ = writeln!(
            out,
            "  \"A vs B\": the change under A minus the change under B on the same draws, which claims with versus are judged on"
        );
    }
    out.push('\n');
}

/// The columns of the outcome table: every intervention against no intervention, then every
/// versus pair of the expectations ("A vs B").
fn table_columns(r: &RunReport) -> Vec<(String, &[NodeOutcome])> {
    let interventions = r
        .interventions
        .iter()
        .map(|i| (i.name.clone(), &i.nodes[..]));
    let pairs = r.comparisons.iter().map(|c| (c.title(), &c.nodes[..]));
    interventions.chain(pairs).collect()
}

/// Column names as headers; when any is too long to head a column, the columns are numbered
/// `[1]`, `[2]`, ... (the first table lists the names) instead of being cut.
fn column_headers(names: &[String]) -> Vec<String> {
    if names.iter().all(|n| n.chars().count() <= COLUMN_WIDTH) {
        return names.to_vec();
    }
    (1..=names.len()).map(|k| format!("[{k}]")).collect()
}

/// Writes a table's header: `corner` above the node names, then the column titles right-aligned
/// to a common width, which it returns.
fn write_header_row(out: &mut String, corner: &str, columns: &[String]) -> usize {
    let width = columns
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let _ = write!(out, "{corner:NAME_WIDTH$}");
    for c in columns {
        let _ = write!(out, "  {c:>width$}");
    }
    out.push('\n');
    width
}

/// The most likely direction of a node and its probability, e.g. `↓ 0.97`.
fn cell(n: &NodeOutcome, support: f64) -> String {
    if n.p_up.is_nan() {
        return "n/a".to_string();
    }
    let (symbol, p) = [("↑", n.p_up), ("↓", n.p_down), ("·", n.p_zero)]
        .into_iter()
        .fold(("", -1.0), |best, c| if c.1 > best.1 { c } else { best });
    let doubt = if p < support { "?" } else { " " };
    format!("{doubt}{symbol} {p:.2}")
}

/// ode and fcm: the median final level of every node in the baseline and each intervention.
fn write_levels(out: &mut String, r: &RunReport) {
    let Some(baseline) = &r.baseline else {
        return;
    };
    let names: Vec<String> = r.interventions.iter().map(|i| i.name.clone()).collect();
    let columns: Vec<String> = std::iter::once("baseline".to_string())
        .chain(column_headers(&names))
        .collect();
    let width = write_header_row(out, "Median level", &columns);
    for (k, node) in baseline.nodes.iter().enumerate() {
        let _ = write!(out, "{:NAME_WIDTH$}", shorten(&node.node, NAME_WIDTH));
        let _ = write!(out, "  {:>width$.3}", node.level_median);
        for intervention in &r.interventions {
            let level = intervention.nodes[k].level_median.unwrap_or(f64::NAN);
            let _ = write!(out, "  {level:>width$.3}");
        }
        out.push('\n');
    }
    out.push('\n');
}

fn write_claims(out: &mut String, r: &RunReport) {
    if r.expectations.is_empty() {
        return;
    }
    let _ = writeln!(out, "Claims");
    for e in &r.expectations {
        let mark = match e.verdict {
            Verdict::Supported => "✔ supported   ",
            Verdict::Contradicted => "✘ contradicted",
            Verdict::Ambivalent => "~ ambivalent  ",
            Verdict::NotExpressible => "– not expressible in press (interaction):",
        };
        let against = e
            .versus
            .as_ref()
            .map_or(String::new(), |v| format!(" vs \"{v}\""));
        let cite = if e.claims.is_empty() {
            String::new()
        } else {
            format!("  [{}]", e.claims.join(", "))
        };
        let assumed = if e.condition {
            "  (conditioned on)"
        } else {
            ""
        };
        let outcome = match &e.not_expressible {
            Some(gate) => gate.clone(),
            None => format!(
                "P = {} {}",
                numbers::probability(e.probability),
                numbers::interval(e.probability_ci)
            ),
        };
        let _ = writeln!(
            out,
            "  {mark}  {} {} under \"{}\"{against}: {outcome}{cite}{assumed}",
            e.node,
            change_word(&e.change),
            e.intervention,
        );
        if let Some(line) = assessment(e) {
            let _ = writeln!(out, "                  {line}");
        }
        if let Some(prediction) = &e.loop_prediction {
            let _ = writeln!(out, "                  {}", loop_line(prediction));
        }
    }
    out.push('\n');
}

/// The support class, the held-out result and, when it differs, the verdict without the
/// evidence rules, e.g. `restated: held out (1 link removed): no path`.
fn assessment(e: &crate::analysis::ExpectationReport) -> Option<String> {
    let support = e.support?;
    let mut line = support.as_str().to_string();
    if let Some(h) = &e.held_out {
        let removed = match h.removed.len() {
            0 => "nothing removed".to_string(),
            1 => "1 link removed".to_string(),
            k => format!("{k} links removed"),
        };
        let p = h
            .probability
            .map_or(String::new(), |p| format!("P = {p:.3}, "));
        let _ = write!(line, ": held out ({removed}): {p}{}", h.verdict.as_str());
    }
    if let Some(all) = e.unconditional_if_different() {
        let _ = write!(
            line,
            "; if its own {} may be absent too: P = {all:.3}",
            own_links(e.conditioned_on.len()),
        );
    }
    if let Some(w) = e.without_evidence.filter(|w| w.verdict != e.verdict) {
        let _ = write!(
            line,
            "; without evidence rules {} (P = {:.3})",
            w.verdict.as_str(),
            w.probability
        );
    }
    if e.what_if {
        line.push_str("; what-if, not counted for its claims");
    }
    Some(line)
}

fn own_links(count: usize) -> String {
    match count {
        1 => "link".to_string(),
        k => format!("{k} links"),
    }
}

/// What loop analysis predicts for a claim, e.g. `loop analysis: - (W = 1.00: net -2 of 2 terms)`.
fn loop_line(p: &LoopPrediction) -> String {
    let (Some(net), Some(total), Some(w)) = (p.net, p.total, p.weighted) else {
        let reason = p.not_computed.as_deref().unwrap_or("no prediction");
        return format!("loop analysis: not computed ({reason})");
    };
    if total == 0.0 {
        return "loop analysis: 0 (no term: the press cannot move it)".to_string();
    }
    let noun = if total == 1.0 { "term" } else { "terms" };
    let terms = format!(
        "net {} of {} {noun}",
        short_number(net),
        short_number(total)
    );
    if p.determinate {
        format!("loop analysis: {} (W = {w:.2}: {terms})", p.sign)
    } else {
        format!("loop analysis: sign-indeterminate (W = {w:.2}: {terms})")
    }
}

/// Whole numbers without decimals (term counts), others with two.
fn short_number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

fn write_acceptance(out: &mut String, r: &RunReport) {
    let a = &r.acceptance;
    let percent = |k: u64| 100.0 * k as f64 / a.draws.max(1) as f64;
    let _ = write!(
        out,
        "Draws: {} made, {} stable ({:.1} %), {} accepted ({:.1} %)",
        a.draws,
        a.stable,
        percent(a.stable),
        a.accepted,
        percent(a.accepted)
    );
    let rejected: Vec<String> = [
        ("unstable", a.unstable),
        ("singular", a.singular),
        ("undecided", a.undecided),
        ("not converged", a.not_converged.unwrap_or(0)),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(what, n)| format!("{n} {what}"))
    .chain(
        a.rejected_by_condition
            .iter()
            .map(|c| format!("{} against condition #{}", c.draws, c.expectation + 1)),
    )
    .collect();
    if !rejected.is_empty() {
        let _ = write!(out, "; rejected: {}", rejected.join(", "));
    }
    out.push_str("\n\n");
}

/// With several methods: each claim's verdict and probability under each, and whether they agree.
fn write_agreement(out: &mut String, reports: &[RunReport]) {
    let Some(table) = agreement(reports) else {
        return;
    };
    if table.expectations.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "Method agreement ({} of {} claims)",
        table.agreed,
        table.expectations.len()
    );
    for e in &table.expectations {
        let against = e
            .versus
            .as_ref()
            .map_or(String::new(), |v| format!(" vs \"{v}\""));
        let mark = if e.agree { "= agree " } else { "≠ differ" };
        let _ = write!(
            out,
            "  {mark}  {} {} under \"{}\"{against}:",
            e.node,
            change_word(&e.change),
            e.intervention
        );
        for m in &e.methods {
            let _ = if m.verdict.is_judged() {
                write!(
                    out,
                    "  {} {} {:.3}",
                    m.method,
                    m.verdict.as_str(),
                    m.probability
                )
            } else {
                write!(out, "  {} not expressible", m.method)
            };
        }
        out.push('\n');
    }
    out.push('\n');
}

fn shorten(name: &str, width: usize) -> String {
    if name.chars().count() <= width {
        return name.to_string();
    }
    let kept: String = name.chars().take(width - 1).collect();
    format!("{kept}…")
}

/// Text safe to print on a terminal: control characters other than line feed and tab (escape
/// sequences in a title could recolour, retitle or clear the terminal) are shown as `\u{1b}`.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(unsafe_char) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if unsafe_char(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}
