//! A sweep's `index.html`: one self-contained page (the batch page's style, no scripts, no
//! network) with the counts, links to the CSV files, the fragility chart's pages and the table
//! of the most fragile claims; and the section a batch page gives the sweeps in its folder.

use super::html::{STYLE, escape, href};
use super::sweep::{Fragility, Named, fragilities};
use std::fmt::Write;

/// The most rows the page's table shows; the chart below it and fragility-claims.csv have
/// them all.
const TABLE_ROWS: usize = 30;

/// What the page links besides the sweep's own files.
pub struct PageLinks<'a> {
    /// The fragility chart's files (relative to the page), in page order.
    pub charts: &'a [String],
    /// The batch page of the folder the sweep was written into, relative to the page, when
    /// there is one.
    pub batch: Option<&'a str>,
}

/// The whole page.
pub fn sweep_html(named: &Named, links: &PageLinks) -> String {
    let mut out = String::new();
    let title = "Robustness sweep";
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title><style>{STYLE}</style></head><body>\n<h1>{title}</h1>\n"
    );
    write_counts(&mut out, named, links);
    write_table(&mut out, named, links.charts);
    write_charts(&mut out, links.charts);
    out.push_str("</body></html>\n");
    out
}

fn write_counts(out: &mut String, named: &Named, links: &PageLinks) {
    let (plan, result) = (named.plan, named.result);
    let (singles, pairs) = plan.counts();
    let flips = result.records.iter().filter(|r| r.flipped()).count();
    let all = fragilities(result);
    let fragile = all.iter().filter(|f| !f.flipped_by.is_empty()).count();
    let pairs = if pairs > 0 {
        format!(" and {pairs} pairs of them")
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} scenarios; {} runs: each scenario unperturbed, {singles} single perturbations (one node knocked out or one link blocked){pairs}. {flips} of {} verdicts flipped; <strong>{fragile} of {} expectations</strong> flip under at least one single perturbation. {} knockouts left out, {} runs failed (<a href=\"{}\">skipped.csv</a>).</p>",
        plan.scenarios.len(),
        plan.units.len(),
        result.records.len(),
        all.len(),
        plan.skipped.len(),
        result.failures.len(),
        href("skipped.csv"),
    );
    let _ = write!(
        out,
        "<p class=\"meta\">Files: <a href=\"{}\">fragility.csv</a> (every expectation under every perturbation, verdict and probability before and after), <a href=\"{}\">fragility-claims.csv</a> (per expectation: how many perturbations flip it), <a href=\"{}\">skipped.csv</a>.",
        href("fragility.csv"),
        href("fragility-claims.csv"),
        href("skipped.csv"),
    );
    if let Some(batch) = links.batch {
        let _ = write!(
            out,
            " The batch these scenarios belong to: <a href=\"{}\">its index.html</a>.",
            escape(batch)
        );
    }
    out.push_str("</p>\n");
}

fn write_charts(out: &mut String, charts: &[String]) {
    if charts.is_empty() {
        out.push_str("<p>No single perturbation flips any verdict: nothing to chart.</p>\n");
        return;
    }
    out.push_str(
        "<h2 id=\"chart\">Every claim a single perturbation flips</h2>\n<p class=\"meta\">Pages:",
    );
    for (k, chart) in charts.iter().enumerate() {
        let _ = write!(out, " <a href=\"{}\">{}</a>", href(chart), k + 1);
    }
    out.push_str("</p>\n<div class=\"charts\">");
    for chart in charts {
        let link = href(chart);
        let _ = write!(
            out,
            "<a class=\"claims\" href=\"{link}\"><img src=\"{link}\" alt=\"{}\" loading=\"lazy\"></a>",
            escape(chart)
        );
    }
    out.push_str("</div>\n");
}

/// The most fragile expectations, as fragility-claims.csv ranks them.
fn write_table(out: &mut String, named: &Named, charts: &[String]) {
    let fragile: Vec<Fragility> = fragilities(named.result)
        .into_iter()
        .filter(|f| !f.flipped_by.is_empty())
        .collect();
    if fragile.is_empty() {
        return;
    }
    out.push_str("<h2>Most fragile claims</h2>\n<div class=\"wide\"><table class=\"overview\"><tr><th>#</th><th>scenario</th><th>claim</th><th>method</th><th>unperturbed</th><th>flips</th><th>flipped by</th></tr>\n");
    for (rank, f) in fragile.iter().take(TABLE_ROWS).enumerate() {
        write_row(out, named, rank + 1, f);
    }
    out.push_str("</table></div>\n");
    if fragile.len() > TABLE_ROWS {
        let chart = if charts.is_empty() {
            ""
        } else {
            "<a href=\"#chart\">the chart below</a> and "
        };
        let _ = writeln!(
            out,
            "<p class=\"meta\">{} more in {chart}<a href=\"{}\">fragility-claims.csv</a>.</p>",
            fragile.len() - TABLE_ROWS,
            href("fragility-claims.csv")
        );
    }
}

fn write_row(out: &mut String, named: &Named, rank: usize, f: &Fragility) {
    let claim = named.expectation(f.first).map_or(String::new(), |e| {
        let against = e.versus.as_deref().unwrap_or("no intervention");
        format!(
            "{} {}, {} vs {against} <span class=\"meta\">{}</span>",
            escape(&e.node),
            escape(&e.change),
            escape(&e.intervention),
            escape(&e.claims.join(", "))
        )
    });
    let verdict = f.first.before.as_str();
    let _ = writeln!(
        out,
        "<tr><td class=\"p\">{rank}</td><td>{}</td><td>{claim}</td><td>{}</td><td><span class=\"verdict {verdict}\">{verdict}</span> <span class=\"n\">{:.3}</span></td><td class=\"p n\">{} of {}</td><td>{}</td></tr>",
        escape(&named.names[f.first.scenario]),
        f.first.method.as_str(),
        f.first.p_before,
        f.flipped_by.len(),
        f.tried,
        escape(&f.flipped_by.join("; ")),
    );
}

/// The section a batch page gives the sweeps written into its folder: a link to each one's
/// page, given relative to the batch folder; empty when there are none.
pub fn batch_section(sweeps: &[String]) -> String {
    if sweeps.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<h2>Robustness sweeps</h2>\n<p class=\"meta\">Sweeps written into this folder (<code>claimsim sweep DIR -o OUT/NAME</code>): which claims flip when one node is knocked out or one link blocked.</p>\n<ul>",
    );
    for sweep in sweeps {
        let _ = write!(
            out,
            "<li><a href=\"{}\">{}</a></li>",
            href(&format!("{sweep}/index.html")),
            escape(sweep)
        );
    }
    out.push_str("</ul>\n");
    out
}
