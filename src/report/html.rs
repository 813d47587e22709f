//! `index.html` of a batch: one self-contained page (inline CSS, no scripts, no network) with
//! the verdict counts, every scenario's claims and verdicts, its charts, and the failures.

use super::batch::{
    Failed, Ran, claim_tallies, evidence_changes, paraphrase, support_counts, verdict_counts,
};
use super::numbers;
use super::words::claim_words;
use crate::analysis::agreement::agreement;
use crate::analysis::held_out::Support;
use crate::analysis::{ExpectationReport, Verdict};
use crate::scenario::catalogue::Catalogue;
use std::fmt::Write;

pub(crate) const STYLE: &str = "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:2rem auto;max-width:72rem;color:#222;line-height:1.45;padding:0 1rem}\
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin:2.2rem 0 .3rem;border-top:1px solid #ddd;padding-top:1.2rem}\
.meta{color:#666;font-size:.9rem}table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}\
th,td{border-bottom:1px solid #e4e4e4;padding:.3rem .6rem;text-align:left;vertical-align:top}th{background:#f5f5f5}\
td.p{text-align:right;font-variant-numeric:tabular-nums}\
.supported{color:#fff;background:#009E73}.contradicted{color:#fff;background:#D55E00}.ambivalent{color:#222;background:#F0E442}.not-expressible{color:#222;background:#ddd}\
.corroborated{color:#fff;background:#0072B2}.restated{color:#222;background:#d9d9d9}.disputed{color:#fff;background:#CC79A7}.untestable{color:#222;background:#f2f2f2}\
.verdict{border-radius:.25rem;padding:.05rem .45rem;font-size:.85rem;white-space:nowrap}\
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(34rem,1fr));gap:.8rem}.charts img{width:100%;border:1px solid #ddd}.charts a.claims{grid-column:1/-1}\
table.overview td:first-child{max-width:30rem}nav ul{columns:2;padding-left:1.2rem}\
.failed{background:#fff3ee;border-left:4px solid #D55E00;padding:.4rem .8rem}pre{white-space:pre-wrap;font-size:.82rem}\
nav a{margin-right:.8rem}div.wide{overflow-x:auto;max-width:100%}.n{white-space:nowrap}td{overflow-wrap:break-word}";

/// A scenario's chart files (relative to the index), in display order.
pub struct Charts<'a> {
    pub slug: &'a str,
    pub files: Vec<String>,
}

/// Parts of the page other modules write: `top` goes above the contents (the conflicts
/// between scenarios), `bottom` after the scenarios (the literature atlas).
#[derive(Debug, Clone, Default)]
pub struct Sections {
    pub top: String,
    pub bottom: String,
}

/// The whole page.
pub fn index_html(
    title: &str,
    ran: &[Ran],
    failed: &[Failed],
    charts: &[Charts],
    catalogue: Option<&Catalogue>,
    sections: &Sections,
) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>\n",
        escape(title)
    );
    let _ = writeln!(out, "<h1>{}</h1>", escape(title));
    write_totals(&mut out, ran, failed);
    write_failures(&mut out, failed);
    write_overview(&mut out, ran);
    out.push_str(&sections.top);
    write_contents(&mut out, ran);
    for r in ran {
        let files = charts
            .iter()
            .find(|c| c.slug == r.slug)
            .map_or(&[][..], |c| c.files.as_slice());
        write_scenario(&mut out, r, files);
    }
    write_claims_table(&mut out, ran, catalogue);
    out.push_str(&sections.bottom);
    out.push_str("</body></html>\n");
    out
}

fn write_totals(out: &mut String, ran: &[Ran], failed: &[Failed]) {
    let _ = write!(
        out,
        "<p class=\"meta\">{} scenario{} run, {} failed. Files: <a href=\"./summary.csv\">summary.csv</a>, <a href=\"./claims.csv\">claims.csv</a>.</p>\n<table><tr><th>method</th><th>supported</th><th>ambivalent</th><th>contradicted</th><th>not expressible</th></tr>\n",
        ran.len(),
        if ran.len() == 1 { "" } else { "s" },
        failed.len()
    );
    for (method, [supported, contradicted, ambivalent, inexpressible]) in verdict_counts(ran) {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"p\">{supported}</td><td class=\"p\">{ambivalent}</td><td class=\"p\">{contradicted}</td><td class=\"p\">{inexpressible}</td></tr>",
            escape(&method)
        );
    }
    out.push_str("</table>\n");
    write_support_totals(out, ran);
}

/// Support classes per method, and how many verdicts the evidence rules change.
fn write_support_totals(out: &mut String, ran: &[Ran]) {
    out.push_str("<p class=\"meta\">Support: each expectation evaluated again on the same draws without the links that cite its own claims. <em>corroborated</em>: the rest of the network predicts it too; <em>restated</em>: only its own links do; <em>disputed</em>: the rest points elsewhere.</p>\n<table><tr><th>method</th>");
    for s in Support::ALL {
        let _ = write!(out, "<th>{}</th>", s.as_str());
    }
    out.push_str("<th>verdicts changed by the evidence rules</th></tr>\n");
    let changes = evidence_changes(ran);
    for (method, counts) in support_counts(ran) {
        let _ = write!(out, "<tr><td>{}</td>", escape(&method));
        for k in counts {
            let _ = write!(out, "<td class=\"p\">{k}</td>");
        }
        let changed = changes.get(&method).copied().unwrap_or(0);
        let _ = writeln!(out, "<td class=\"p\">{changed}</td></tr>");
    }
    out.push_str("</table>\n");
}

fn write_failures(out: &mut String, failed: &[Failed]) {
    for f in failed {
        let _ = writeln!(
            out,
            "<div class=\"failed\"><strong>{} could not run</strong><pre>{}</pre></div>",
            escape(&f.path),
            escape(&f.message)
        );
    }
}

/// The navigation list: every scenario by title, in the order of the sections.
fn write_contents(out: &mut String, ran: &[Ran]) {
    out.push_str("<nav><h2>Scenarios</h2><ul>");
    for r in ran {
        let _ = write!(
            out,
            "<li><a href=\"{}\">{}</a> <span class=\"meta\">{}</span></li>",
            escape(&fragment(r.slug)),
            escape(&r.scenario.title),
            escape(r.slug)
        );
    }
    out.push_str("</ul></nav>\n");
}

/// The overview: one row per scenario with its verdict counts (per method when several ran),
/// its lowest probability, and the methods' agreement; scenarios with a claim not supported
/// come first, lowest P first. The scenario names link to their sections.
fn write_overview(out: &mut String, ran: &[Ran]) {
    // Scenarios may run different methods: name them from the one that ran the most.
    let methods: Vec<&str> = ran
        .iter()
        .max_by_key(|r| r.reports.len())
        .map(|r| r.reports.iter().map(|x| x.method.as_str()).collect())
        .unwrap_or_default();
    let several = methods.len() > 1;
    let mut rows: Vec<&Ran> = ran.iter().collect();
    rows.sort_by(|a, b| {
        let key = |r: &Ran| (all_supported(r), lowest(r).map_or(2.0, |(p, _)| p));
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    });
    let per_method = if several {
        format!(" <span class=\"meta\">({})</span>", methods.join(" / "))
    } else {
        String::new()
    };
    out.push_str("<h2 id=\"overview\">Overview</h2>\n<p class=\"meta\">Scenarios with a claim that is not supported come first, lowest probability first. Where a scenario ran several methods, its counts are per method in the order of the column heads; a single number is its one method's.</p>\n");
    let _ = writeln!(
        out,
        "<table class=\"overview\"><tr><th>scenario</th><th>claims</th><th>supported{per_method}</th><th>ambivalent{per_method}</th><th>contradicted{per_method}</th><th>lowest P</th>{}</tr>",
        if several {
            "<th>methods agree</th>"
        } else {
            ""
        }
    );
    for r in rows {
        write_overview_row(out, r, several);
    }
    out.push_str("</table>\n");
}

fn write_overview_row(out: &mut String, r: &Ran, several: bool) {
    let claims = r.reports.first().map_or(0, |x| x.expectations.len());
    let count = |verdict: Verdict| -> String {
        r.reports
            .iter()
            .map(|x| {
                x.expectations
                    .iter()
                    .filter(|e| e.verdict == verdict)
                    .count()
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let lowest = lowest(r).map_or("–".to_string(), |(p, method)| {
        let method = if several {
            format!(" ({method})")
        } else {
            String::new()
        };
        format!("{}{method}", numbers::probability(p))
    });
    let _ = write!(
        out,
        "<tr><td><a href=\"{slug}\">{}</a></td><td class=\"p\">{claims}</td><td class=\"p\">{}</td><td class=\"p\">{}</td><td class=\"p\">{}</td><td class=\"p\">{lowest}</td>",
        escape(&r.scenario.title),
        count(Verdict::Supported),
        count(Verdict::Ambivalent),
        count(Verdict::Contradicted),
        slug = escape(&fragment(r.slug))
    );
    if several {
        let agreed = agreement(r.reports).map_or(String::new(), |a| {
            format!("{} of {}", a.agreed, a.expectations.len())
        });
        let _ = write!(out, "<td class=\"p\">{agreed}</td>");
    }
    out.push_str("</tr>\n");
}

/// Whether every claim is supported by every method that could judge it (press cannot judge
/// an interaction: its "not expressible" rows are neither support nor doubt).
fn all_supported(r: &Ran) -> bool {
    r.reports
        .iter()
        .flat_map(|x| &x.expectations)
        .filter(|e| e.verdict.is_judged())
        .all(|e| e.verdict == Verdict::Supported)
}

/// The lowest probability of an asserted change among the judged claims (not conditioned on,
/// not "not expressible") and its method.
fn lowest<'a>(r: &'a Ran) -> Option<(f64, &'a str)> {
    r.reports
        .iter()
        .flat_map(|x| x.expectations.iter().map(move |e| (e, x.method.as_str())))
        .filter(|(e, _)| !e.condition && e.verdict.is_judged() && e.probability.is_finite())
        .map(|(e, m)| (e.probability, m))
        .min_by(|a, b| a.0.total_cmp(&b.0))
}

/// A scenario's claims, one row each, with every method's probability and verdict side by side
/// and, when several methods ran, whether they agree.
fn write_verdicts(out: &mut String, r: &Ran) {
    let Some(first) = r.reports.first() else {
        return;
    };
    if first.expectations.is_empty() {
        out.push_str("<p class=\"meta\">No claims.</p>\n");
        return;
    }
    let several = r.reports.len() > 1;
    out.push_str(
        "<div class=\"wide\"><table class=\"verdicts\"><tr><th>claims</th><th>asserted change</th>",
    );
    for report in r.reports {
        let _ = write!(
            out,
            "<th>{m}: P [95 % interval], verdict</th><th>{m}: held out, support</th>",
            m = escape(&report.method)
        );
    }
    if several {
        out.push_str("<th>methods</th>");
    }
    out.push_str("</tr>\n");
    let agreement = agreement(r.reports);
    for (k, e) in first.expectations.iter().enumerate() {
        let node = r
            .scenario
            .node_index(&e.node)
            .map_or(e.node.as_str(), |v| r.scenario.display_name(v));
        let claim = claim_words(node, e);
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td>",
            escape(&e.claims.join(", ")),
            escape(&claim)
        );
        for report in r.reports {
            match report.expectations.get(k) {
                Some(x) => {
                    let _ = write!(
                        out,
                        "<td class=\"p\">{}</td><td>{} {}</td>",
                        verdict_cell(x),
                        held_out_cell(x),
                        support_cell(x),
                    );
                }
                None => out.push_str("<td></td><td></td>"),
            }
        }
        if let Some(a) = agreement.as_ref().and_then(|a| a.expectations.get(k)) {
            let _ = write!(
                out,
                "<td>{}</td>",
                if a.agree {
                    "agree"
                } else {
                    "<strong>differ</strong>"
                }
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table></div>\n");
}

/// The probability, its interval and the verdict badge; below them the probability over all
/// draws when the claim is judged on the draws with its own links and that differs.
fn verdict_cell(e: &ExpectationReport) -> String {
    let mut cell = format!(
        "<span class=\"n\">{} {}</span> <span class=\"verdict {v}\">{v}</span>",
        numbers::probability(e.probability),
        numbers::interval(e.probability_ci),
        v = e.verdict.as_str(),
    );
    if let Some(all) = e.unconditional_if_different() {
        let _ = write!(
            cell,
            "<br><span class=\"meta\" title=\"P over all draws, the claim's own uncertain links ({}) absent in some: probability_unconditional\">all draws&nbsp;{}</span>",
            escape(&e.conditioned_on.join("; ")),
            numbers::probability(all)
        );
    }
    cell
}

/// claims.csv as a table: per claim and method, the scenarios that cite it and how its
/// expectations fare.
fn write_claims_table(out: &mut String, ran: &[Ran], catalogue: Option<&Catalogue>) {
    let tallies = claim_tallies(ran);
    if tallies.is_empty() {
        return;
    }
    out.push_str("<h2 id=\"claims\">Claims</h2>\n<p class=\"meta\">Every cited claim and how the expectations citing it fare (the table of <a href=\"./claims.csv\">claims.csv</a>); what-if expectations are counted apart.</p>\n");
    out.push_str("<table><tr><th>claim</th><th>method</th><th>scenarios</th><th>supported</th><th>ambivalent</th><th>contradicted</th><th>what-if</th><th>paraphrase</th></tr>\n");
    for ((claim, method), t) in &tallies {
        let paraphrase = paraphrase(ran, catalogue, claim);
        let scenarios: Vec<String> = t
            .scenarios
            .iter()
            .map(|s| format!("<a href=\"{}\">{}</a>", escape(&fragment(s)), escape(s)))
            .collect();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"p\">{}</td><td class=\"p\">{}</td><td class=\"p\">{}</td><td class=\"p\">{}</td><td>{}</td></tr>",
            escape(claim),
            escape(method),
            scenarios.join(" "),
            t.supported,
            t.ambivalent,
            t.contradicted,
            t.what_if,
            escape(paraphrase)
        );
    }
    out.push_str("</table>\n");
}

fn write_scenario(out: &mut String, r: &Ran, charts: &[String]) {
    let s = r.scenario;
    let _ = writeln!(
        out,
        "<h2 id=\"{}\">{}</h2>",
        escape(r.slug),
        escape(&s.title)
    );
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} · {} nodes, {} links · <a href=\"{}\">summary.json</a> · <a href=\"{}\">outcomes.csv</a></p>",
        escape(&s.path.display().to_string()),
        s.nodes.len(),
        s.links.len(),
        escape(&href(&format!("{}/summary.json", r.slug))),
        escape(&href(&format!("{}/outcomes.csv", r.slug)))
    );
    if !s.description.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(&s.description));
    }
    write_verdicts(out, r);
    let (networks, charts): (Vec<_>, Vec<_>) = charts
        .iter()
        .partition(|file| intervention_network(r, file).is_some());
    if !charts.is_empty() {
        out.push_str("<div class=\"charts\">");
        for file in charts {
            let _ = write!(
                out,
                "<a href=\"{link}\"{class}><img src=\"{link}\" alt=\"{alt}\" loading=\"lazy\"></a>",
                link = escape(&href(file)),
                alt = escape(file),
                class = if is_claims_chart(file) {
                    " class=\"claims\""
                } else {
                    ""
                }
            );
        }
        out.push_str("</div>\n");
    }
    write_network_links(out, r, &networks);
}

/// The per-intervention networks as a list of links: one thumbnail each would bury the
/// other charts.
fn write_network_links(out: &mut String, r: &Ran, files: &[&String]) {
    if files.is_empty() {
        return;
    }
    out.push_str("<p class=\"meta\">The network under each intervention (its presses, knockouts and blocks marked): ");
    // In the scenario's order of interventions (and of methods), not the files' names.
    let mut links: Vec<((usize, usize), String)> = files
        .iter()
        .filter_map(|file| {
            let (order, label) = intervention_network(r, file)?;
            let link = format!("<a href=\"{}\">{}</a>", escape(&href(file)), escape(&label));
            Some((order, link))
        })
        .collect();
    links.sort();
    let links: Vec<String> = links.into_iter().map(|(_, link)| link).collect();
    out.push_str(&links.join(" · "));
    out.push_str("</p>\n");
}

/// The intervention (and method, under `--method all`) a `network-<slug>` chart of run `r`
/// shows: their positions in the run, and a link label; `None` for any other file.
fn intervention_network(r: &Ran, file: &str) -> Option<((usize, usize), String)> {
    let name = file.rsplit('/').next()?;
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let rest = stem.strip_prefix("network-")?;
    let s = r.scenario;
    let slugs = crate::plot::network::intervention_slugs(s);
    let several_methods = r.reports.len() > 1;
    let mut interventions = slugs.iter().zip(&s.interventions).enumerate();
    interventions.find_map(|(k, (slug, i))| {
        if !several_methods {
            return (rest == slug).then(|| ((k, 0), i.name.clone()));
        }
        let method = rest.strip_prefix(slug.as_str())?.strip_prefix('-')?;
        let m = r
            .reports
            .iter()
            .position(|report| report.method == method)?;
        Some(((k, m), format!("{} ({method})", i.name)))
    })
}

/// The claims chart spans the page: it is the one to read first.
fn is_claims_chart(file: &str) -> bool {
    file.rsplit('/')
        .next()
        .is_some_and(|name| name.starts_with("claims"))
}

/// The support class as a badge, with the verdict without evidence rules when it differs.
fn support_cell(e: &ExpectationReport) -> String {
    let Some(support) = e.support else {
        return String::new();
    };
    let what_if = if e.what_if {
        " <span class=\"meta\">what-if</span>"
    } else {
        ""
    };
    let plain = e
        .without_evidence
        .filter(|w| w.verdict != e.verdict)
        .map_or(String::new(), |w| {
            format!(
                " <span class=\"meta\">without evidence rules: {} ({:.3})</span>",
                w.verdict.as_str(),
                w.probability
            )
        });
    format!(
        "<span class=\"verdict {s}\">{s}</span>{what_if}{plain}",
        s = support.as_str()
    )
}

/// The held-out probability and verdict, e.g. `0.412 ambivalent`, with the removed links on hover.
fn held_out_cell(e: &ExpectationReport) -> String {
    let Some(h) = &e.held_out else {
        return "<span class=\"meta\">no claim</span>".to_string();
    };
    let p = h.probability.map_or("–".to_string(), |p| format!("{p:.3}"));
    format!(
        "<span class=\"n\" title=\"removed: {}\">{p} <span class=\"meta\">{}</span></span>",
        escape(&h.removed.join("; ")),
        h.verdict.as_str()
    )
}

/// Escapes text for HTML content and attribute values.
/// A link to a file below the page's folder, for an `href` or `src` attribute: each path piece
/// percent-encoded and the whole prefixed with `./`, so that a file or folder name such as
/// `javascript:alert(1)` or `a:b` stays a relative path rather than a scheme. Every link the
/// page makes to an output file goes through here.
pub fn href(relative_path: &str) -> String {
    let pieces: Vec<String> = relative_path.split('/').map(percent_encode).collect();
    format!("./{}", pieces.join("/"))
}

/// A fragment link (`#...`) to an element id on the same page.
pub fn fragment(id: &str) -> String {
    format!("#{}", percent_encode(id))
}

/// Bytes other than unreserved ASCII (RFC 3986) as `%XX`.
fn percent_encode(piece: &str) -> String {
    let mut out = String::with_capacity(piece.len());
    for byte in piece.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{escape, fragment, href};

    #[test]
    fn links_are_relative_and_encoded() {
        assert_eq!(
            href("javascript:alert(1)/outcomes.png"),
            "./javascript%3Aalert%281%29/outcomes.png"
        );
        assert_eq!(href("a b/é.csv"), "./a%20b/%C3%A9.csv");
        assert_eq!(fragment("x\"y"), "#x%22y");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
