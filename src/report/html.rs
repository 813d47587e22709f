//! `index.html` of a batch: one self-contained page (inline CSS, no scripts, no network) with
//! the verdict counts, every scenario's claims and verdicts, its charts, and the failures.

use super::batch::{Failed, Ran, verdict_counts};
use crate::analysis::ExpectationReport;
use std::fmt::Write;

pub(crate) const STYLE: &str = "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:2rem auto;max-width:72rem;color:#222;line-height:1.45;padding:0 1rem}\
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin:2.2rem 0 .3rem;border-top:1px solid #ddd;padding-top:1.2rem}\
.meta{color:#666;font-size:.9rem}table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}\
th,td{border-bottom:1px solid #e4e4e4;padding:.3rem .6rem;text-align:left;vertical-align:top}th{background:#f5f5f5}\
td.p{text-align:right;font-variant-numeric:tabular-nums}\
.supported{color:#fff;background:#009E73}.contradicted{color:#fff;background:#D55E00}.ambivalent{color:#222;background:#F0E442}\
.verdict{border-radius:.25rem;padding:.05rem .45rem;font-size:.85rem;white-space:nowrap}\
.charts{display:flex;flex-wrap:wrap;gap:.8rem}.charts img{width:34rem;max-width:100%;border:1px solid #ddd}\
.failed{background:#fff3ee;border-left:4px solid #D55E00;padding:.4rem .8rem}pre{white-space:pre-wrap;font-size:.82rem}\
nav a{margin-right:.8rem}";

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
    out.push_str(&sections.top);
    write_contents(&mut out, ran);
    for r in ran {
        let files = charts
            .iter()
            .find(|c| c.slug == r.slug)
            .map_or(&[][..], |c| c.files.as_slice());
        write_scenario(&mut out, r, files);
    }
    out.push_str(&sections.bottom);
    out.push_str("</body></html>\n");
    out
}

fn write_totals(out: &mut String, ran: &[Ran], failed: &[Failed]) {
    let _ = write!(
        out,
        "<p class=\"meta\">{} scenario{} run, {} failed. Files: <a href=\"summary.csv\">summary.csv</a>, <a href=\"claims.csv\">claims.csv</a>.</p>\n<table><tr><th>method</th><th>supported</th><th>ambivalent</th><th>contradicted</th></tr>\n",
        ran.len(),
        if ran.len() == 1 { "" } else { "s" },
        failed.len()
    );
    for (method, [supported, contradicted, ambivalent]) in verdict_counts(ran) {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"p\">{supported}</td><td class=\"p\">{ambivalent}</td><td class=\"p\">{contradicted}</td></tr>",
            escape(&method)
        );
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

fn write_contents(out: &mut String, ran: &[Ran]) {
    out.push_str("<nav>");
    for r in ran {
        let _ = write!(
            out,
            "<a href=\"#{}\">{}</a>",
            escape(r.slug),
            escape(r.slug)
        );
    }
    out.push_str("</nav>\n");
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
        "<p class=\"meta\">{} · {} nodes, {} links · <a href=\"{slug}/summary.json\">summary.json</a> · <a href=\"{slug}/outcomes.csv\">outcomes.csv</a></p>",
        escape(&s.path.display().to_string()),
        s.nodes.len(),
        s.links.len(),
        slug = escape(r.slug)
    );
    if !s.description.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(&s.description));
    }
    write_verdicts(out, r);
    if !charts.is_empty() {
        out.push_str("<div class=\"charts\">");
        for file in charts {
            let _ = write!(
                out,
                "<a href=\"{f}\"><img src=\"{f}\" alt=\"{f}\" loading=\"lazy\"></a>",
                f = escape(file)
            );
        }
        out.push_str("</div>\n");
    }
}

fn write_verdicts(out: &mut String, r: &Ran) {
    let rows: Vec<(&str, &ExpectationReport)> = r
        .reports
        .iter()
        .flat_map(|report| {
            report
                .expectations
                .iter()
                .map(move |e| (report.method.as_str(), e))
        })
        .collect();
    if rows.is_empty() {
        out.push_str("<p class=\"meta\">No expectations.</p>\n");
        return;
    }
    out.push_str("<table><tr><th>claim</th><th>intervention</th><th>node</th><th>change</th><th>method</th><th>P</th><th>95 % CI</th><th>verdict</th></tr>\n");
    for (method, e) in rows {
        let against = e.versus.as_ref().map_or(String::new(), |v| {
            format!(" <span class=\"meta\">vs {}</span>", escape(v))
        });
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}{against}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"p\">{:.3}</td><td class=\"p\">{:.3}–{:.3}</td><td><span class=\"verdict {v}\">{v}</span></td></tr>",
            escape(&e.claims.join(", ")),
            escape(&e.intervention),
            escape(&e.node),
            escape(&e.change),
            escape(method),
            e.probability,
            e.probability_ci[0],
            e.probability_ci[1],
            v = e.verdict.as_str()
        );
    }
    out.push_str("</table>\n");
}

/// Escapes text for HTML content and attribute values.
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
    use super::escape;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
