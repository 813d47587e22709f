//! The atlas's files and page parts: `atlas.csv` (one row per claim), `atlas-conflicts.csv`
//! (one row per claim in a sign conflict), `atlas.json`, the terminal summary, the atlas section
//! of an HTML page, and the batch's cross-scenario `conflicts.csv` with its list for the index.

use super::batch::finish;
use super::html::escape;
use crate::pipeline::atlas::aliases::NearDuplicate;
use crate::pipeline::atlas::scenarios::ScenarioConflict;
use crate::pipeline::atlas::{AtlasReport, Class};
use std::fmt::Write;

/// `atlas.csv`.
pub fn atlas_csv(report: &AtlasReport) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "claim",
        "regulator",
        "sign",
        "target",
        "regulator_as_written",
        "target_as_written",
        "cancer",
        "model",
        "seed",
        "class",
        "probability",
        "p_opposite",
        "subnetwork_nodes",
        "paths",
        "shown_paths",
        "note",
    ]);
    let number = |p: Option<f64>| p.map_or(String::new(), |p| format!("{p:.4}"));
    for t in &report.tests {
        let _ = w.write_record([
            t.id.as_str(),
            &t.regulator,
            &t.sign,
            &t.target,
            t.regulator_as_written.as_deref().unwrap_or(""),
            t.target_as_written.as_deref().unwrap_or(""),
            &t.cancer,
            &t.model,
            &t.seed,
            t.class.as_str(),
            &number(t.probability),
            &number(t.p_opposite),
            &t.subnetwork_nodes.to_string(),
            &t.path_count.to_string(),
            &t.paths.join(" | "),
            t.note.as_deref().unwrap_or(""),
        ]);
    }
    finish(w)
}

/// `atlas-conflicts.csv`: every claim of every sign conflict, with its context.
pub fn atlas_conflicts_csv(report: &AtlasReport) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "conflict",
        "regulator",
        "target",
        "claim",
        "sign",
        "cancer",
        "model",
        "seed",
        "regulator_as_written",
        "target_as_written",
        "paraphrase",
    ]);
    for (k, c) in report.conflicts.iter().enumerate() {
        for p in &c.claims {
            let _ = w.write_record([
                &(k + 1).to_string(),
                &c.regulator,
                &c.target,
                &p.id,
                &p.sign,
                &p.cancer,
                &p.model,
                &p.seed,
                &p.regulator,
                &p.target,
                &p.paraphrase,
            ]);
        }
    }
    finish(w)
}

/// `conflicts.csv` of a batch: one row per pair of scenarios that disagree.
pub fn scenario_conflicts_csv(conflicts: &[ScenarioConflict]) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "method",
        "agent",
        "node",
        "raising_scenario",
        "raising_intervention",
        "raising_node",
        "p_up",
        "raising_claims",
        "lowering_scenario",
        "lowering_intervention",
        "lowering_node",
        "p_down",
        "lowering_claims",
    ]);
    for c in conflicts {
        let _ = w.write_record([
            c.method.as_str(),
            &c.agent,
            &c.node,
            &c.raises.scenario,
            &c.raises.intervention,
            &c.raises.node,
            &format!("{:.4}", c.raises.probability),
            &c.raises.claims.join(" "),
            &c.lowers.scenario,
            &c.lowers.intervention,
            &c.lowers.node,
            &format!("{:.4}", c.lowers.probability),
            &c.lowers.claims.join(" "),
        ]);
    }
    finish(w)
}

/// `atlas.json`.
pub fn atlas_json(report: &AtlasReport) -> String {
    serde_json::to_string_pretty(report).unwrap_or_default() + "\n"
}

/// What `claimsim atlas` prints: the counts, the conflicts and the contradicted claims.
pub fn atlas_text(report: &AtlasReport) -> String {
    let mut out = String::new();
    let filter = if report.filter.is_empty() {
        String::new()
    } else {
        format!(" ({})", report.filter)
    };
    let _ = writeln!(
        out,
        "Atlas of {}{filter}: {} claims on {} names and {} links",
        report.catalogue, report.claims, report.nodes, report.links
    );
    let _ = writeln!(
        out,
        "  {} claims tested against the rest: {} corroborated, {} contradicted, {} ambivalent, {} independent",
        report.tested(),
        report.count(Class::Corroborated),
        report.count(Class::Contradicted),
        report.count(Class::Ambivalent),
        report.count(Class::Independent)
    );
    let _ = writeln!(
        out,
        "  not tested: {} without a direction, {} too large (over {} nodes), {} failed",
        report.count(Class::Untestable),
        report.count(Class::TooLarge),
        report.max_nodes,
        report.count(Class::Failed)
    );
    let _ = writeln!(out, "\nConflicts ({})", report.conflicts.len());
    for c in &report.conflicts {
        let (up, down) = c.tally();
        let _ = writeln!(
            out,
            "  {} → {}: {up} raise, {down} lower",
            c.regulator, c.target
        );
        for p in &c.claims {
            let _ = writeln!(
                out,
                "    {} {}  {} · {} · {}",
                p.sign, p.id, p.cancer, p.model, p.seed
            );
        }
    }
    let contradicted: Vec<_> = report
        .tests
        .iter()
        .filter(|t| t.class == Class::Contradicted)
        .collect();
    let _ = writeln!(
        out,
        "\nContradicted by the rest of the atlas ({})",
        contradicted.len()
    );
    for t in contradicted {
        let _ = writeln!(
            out,
            "  {} {} {} {}: P = {:.3}; {}",
            t.id,
            t.regulator,
            t.sign,
            t.target,
            t.probability.unwrap_or(f64::NAN),
            t.paths.first().map_or("", String::as_str)
        );
    }
    out
}

/// What `claimsim atlas --check-aliases` prints.
pub fn near_duplicates_text(pairs: &[NearDuplicate], truncated: bool, names: usize) -> String {
    let mut out = format!(
        "{} pair{} of names look alike and are neither merged nor marked distinct (of {names} names):\n",
        pairs.len(),
        if pairs.len() == 1 { "" } else { "s" }
    );
    for p in pairs {
        let _ = writeln!(out, "  {:.2}  \"{}\"  ~  \"{}\"", p.similarity, p.a, p.b);
    }
    if truncated {
        out.push_str("  (only the first names were compared: the list is not complete)\n");
    }
    if !pairs.is_empty() {
        out.push_str(
            "Merge a pair under [alias] in the alias table, or list it under [distinct] pairs.\n",
        );
    }
    out
}

const ATLAS_STYLE: &str = "<style>.atlas .c-corroborated{color:#fff;background:#009E73}.atlas .c-contradicted{color:#fff;background:#D55E00}\
.atlas .c-ambivalent{color:#222;background:#F0E442}.atlas .c-independent{color:#222;background:#ddd}\
.atlas .class{border-radius:.25rem;padding:.05rem .45rem;font-size:.85rem;white-space:nowrap}\
.atlas td.path{font-size:.82rem;color:#444}.atlas .up{color:#0072B2;font-weight:bold;white-space:nowrap}.atlas .down{color:#D55E00;font-weight:bold;white-space:nowrap}\
.conflicts{background:#fff8e6;border-left:4px solid #E69F00;padding:.4rem .9rem;margin:1rem 0}</style>\n";

/// The atlas as an HTML section: counts, conflicts with contexts, contradicted claims, the
/// picture (`picture`, its file name, when one was drawn) and every claim the press
/// classified. `prefix` is the atlas folder relative to the page ("" when the page sits in it).
pub fn atlas_section_html(report: &AtlasReport, prefix: &str, picture: Option<&str>) -> String {
    let mut out = String::from(ATLAS_STYLE);
    out.push_str("<section class=\"atlas\" id=\"atlas\">\n<h2>The literature atlas</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} claims of {}{} on {} canonical names and {} links. Each claim with a direction is tested by removing it and pressing its regulator in the rest of the atlas ({} samples per claim, seed {}). Files: <a href=\"{p}atlas.csv\">atlas.csv</a>, <a href=\"{p}atlas-conflicts.csv\">atlas-conflicts.csv</a>, <a href=\"{p}atlas.json\">atlas.json</a>.</p>",
        report.claims,
        escape(&report.catalogue),
        if report.filter.is_empty() {
            String::new()
        } else {
            format!(" ({})", escape(&report.filter))
        },
        report.nodes,
        report.links,
        report.samples,
        report.seed,
        p = escape(prefix)
    );
    out.push_str("<table><tr><th>class</th><th>claims</th><th>meaning</th></tr>\n");
    for (class, meaning) in [
        (
            Class::Corroborated,
            "the rest of the atlas predicts the claimed direction",
        ),
        (Class::Contradicted, "the rest predicts the opposite"),
        (Class::Ambivalent, "other paths exist but point both ways"),
        (Class::Independent, "no other path from regulator to target"),
        (Class::TooLarge, "too many nodes carry the effect to test"),
        (Class::Untestable, "the claim states no direction (? or ±)"),
        (Class::Failed, "the press run accepted too few draws"),
    ] {
        let _ = writeln!(
            out,
            "<tr><td><span class=\"class c-{c}\">{c}</span></td><td class=\"p\">{}</td><td>{meaning}</td></tr>",
            report.count(class),
            c = class.as_str()
        );
    }
    out.push_str("</table>\n");
    write_sign_conflicts(&mut out, report);
    if let Some(picture) = picture {
        let _ = writeln!(
            out,
            "<a href=\"{p}\"><img src=\"{p}\" alt=\"the atlas's conflicts and their neighbourhoods\" style=\"max-width:100%;border:1px solid #ddd\" loading=\"lazy\"></a>",
            p = escape(&format!("{prefix}{picture}"))
        );
    }
    write_tested_claims(&mut out, report);
    out.push_str("</section>\n");
    out
}

fn write_sign_conflicts(out: &mut String, report: &AtlasReport) {
    let _ = writeln!(
        out,
        "<h3>Conflicting claims ({})</h3>",
        report.conflicts.len()
    );
    if report.conflicts.is_empty() {
        out.push_str(
            "<p class=\"meta\">No canonical pair has both raising and lowering claims.</p>\n",
        );
        return;
    }
    out.push_str("<table><tr><th>regulator → target</th><th>claim</th><th>sign</th><th>cancer</th><th>model</th><th>seed</th><th>as written</th></tr>\n");
    for c in &report.conflicts {
        for (k, p) in c.claims.iter().enumerate() {
            let pair = if k == 0 {
                format!(
                    "<td rowspan=\"{}\">{} → {}</td>",
                    c.claims.len(),
                    escape(&c.regulator),
                    escape(&c.target)
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "<tr>{pair}<td title=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"path\">{} → {}</td></tr>",
                escape(&p.paraphrase),
                escape(&p.id),
                sign_html(&p.sign),
                escape(&p.cancer),
                escape(&p.model),
                escape(&p.seed),
                escape(&p.regulator),
                escape(&p.target)
            );
        }
    }
    out.push_str("</table>\n");
}

fn sign_html(sign: &str) -> String {
    match sign {
        "+" => "<span class=\"up\">+ raises</span>".to_string(),
        "-" => "<span class=\"down\">− lowers</span>".to_string(),
        other => escape(other),
    }
}

fn write_tested_claims(out: &mut String, report: &AtlasReport) {
    let shown: Vec<_> = report
        .tests
        .iter()
        .filter(|t| t.probability.is_some())
        .collect();
    let _ = writeln!(
        out,
        "<h3>Claims with other paths ({})</h3><p class=\"meta\">Contradicted first. The {} independent claims and the untested ones are in atlas.csv.</p>",
        shown.len(),
        report.count(Class::Independent)
    );
    let mut shown = shown;
    shown.sort_by_key(|t| match t.class {
        Class::Contradicted => 0,
        Class::Ambivalent => 1,
        _ => 2,
    });
    out.push_str("<table><tr><th>claim</th><th>regulator</th><th>sign</th><th>target</th><th>P</th><th>class</th><th>paths that carry it</th></tr>\n");
    for t in shown {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"p\">{:.3}</td><td><span class=\"class c-{c}\">{c}</span></td><td class=\"path\">{}{}</td></tr>",
            escape(&t.id),
            escape(&t.regulator),
            sign_html(&t.sign),
            escape(&t.target),
            t.probability.unwrap_or(f64::NAN),
            t.paths
                .iter()
                .map(|p| escape(p))
                .collect::<Vec<_>>()
                .join("<br>"),
            if t.path_count > t.paths.len() {
                format!("<br>… {} paths in all", t.path_count)
            } else {
                String::new()
            },
            c = t.class.as_str()
        );
    }
    out.push_str("</table>\n");
}

/// The list of cross-scenario conflicts for the top of the batch index.
pub fn scenario_conflicts_html(conflicts: &[ScenarioConflict]) -> String {
    let mut out = String::from(ATLAS_STYLE);
    let _ = writeln!(
        out,
        "<div class=\"conflicts atlas\" id=\"conflicts\"><strong>{} conflict{} between scenarios</strong> (<a href=\"./conflicts.csv\">conflicts.csv</a>): one agent moves one node up in one scenario and down in another (each where \"no change\" is not supported and at least the support share of the draws that move it go that way).",
        conflicts.len(),
        if conflicts.len() == 1 { "" } else { "s" }
    );
    if conflicts.is_empty() {
        out.push_str("</div>\n");
        return out;
    }
    out.push_str("<table><tr><th>method</th><th>agent</th><th>node</th><th>raised in</th><th>P(up)</th><th>lowered in</th><th>P(down)</th></tr>\n");
    for c in conflicts {
        let side = |s: &crate::pipeline::atlas::scenarios::Side| {
            let claims = if s.claims.is_empty() {
                String::new()
            } else {
                format!(" [{}]", s.claims.join(", "))
            };
            format!(
                "<a href=\"#{slug}\">{slug}</a> <span class=\"meta\">“{}”, {}{}</span>",
                escape(&s.intervention),
                escape(&s.node),
                escape(&claims),
                slug = escape(&s.scenario)
            )
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"p up\">{:.3}</td><td>{}</td><td class=\"p down\">{:.3}</td></tr>",
            escape(&c.method),
            escape(&c.agent),
            escape(&c.node),
            side(&c.raises),
            c.raises.probability,
            side(&c.lowers),
            c.lowers.probability
        );
    }
    out.push_str("</table></div>\n");
    out
}

/// `atlas.html`: the atlas section as a page of its own, showing `picture` when one was drawn.
pub fn atlas_page(report: &AtlasReport, picture: Option<&str>) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>claimsim literature atlas</title><style>{}</style></head><body>\n{}</body></html>\n",
        super::html::STYLE,
        atlas_section_html(report, "", picture)
    )
}
