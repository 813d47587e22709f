//! The text of `claimsim explain`: the paths, the loops they cross, and the account.

use crate::analysis::explain::Explanation;
use crate::analysis::paths::{NetSign, SignedPath};
use crate::scenario::Scenario;
use std::fmt::Write;

/// Paths shown in full before the rest are only counted.
const SHOWN_PATHS: usize = 20;

pub fn to_text(scenario: &Scenario, e: &Explanation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "How {} responds to {} in \"{}\"\n",
        scenario.display_name(e.target),
        e.perturbation(scenario),
        scenario.title
    );
    let _ = writeln!(out, "Paths ({}):", e.paths.len());
    for (k, p) in e.paths.iter().take(SHOWN_PATHS).enumerate() {
        let loops = if p.loops.is_empty() {
            String::new()
        } else {
            format!(
                "  crosses {}",
                p.loops
                    .iter()
                    .map(|l| format!("L{}", l + 1))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let claims = path_claims(scenario, &p.path);
        let cite = if claims.is_empty() {
            String::new()
        } else {
            format!("  [{}]", claims.join(", "))
        };
        let _ = writeln!(
            out,
            "  {:>2}. {:<7} {}{cite}{loops}",
            k + 1,
            word(p.effect),
            chain(scenario, &p.path)
        );
    }
    if e.paths.len() > SHOWN_PATHS {
        let _ = writeln!(out, "  ... and {} more", e.paths.len() - SHOWN_PATHS);
    }
    write_loops(&mut out, scenario, e);
    let _ = writeln!(out, "\nWhy:");
    for sentence in &e.account {
        let _ = writeln!(out, "  {sentence}");
    }
    out
}

fn write_loops(out: &mut String, scenario: &Scenario, e: &Explanation) {
    let crossed = e.crossed_loops();
    if crossed.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nFeedback loops crossed:");
    for l in crossed {
        let lp = &e.loops[l];
        let kind = match lp.sign {
            NetSign::Raises => "positive",
            NetSign::Lowers => "negative",
            NetSign::Unknown => "unknown",
        };
        let _ = writeln!(out, "  L{} ({kind}): {}", l + 1, chain(scenario, lp));
    }
}

fn word(sign: NetSign) -> &'static str {
    match sign {
        NetSign::Raises => "raises",
        NetSign::Lowers => "lowers",
        NetSign::Unknown => "unknown",
    }
}

/// `A -| B -> C` along the path.
fn chain(scenario: &Scenario, path: &SignedPath) -> String {
    let mut text = path
        .steps
        .first()
        .map_or(String::new(), |s| scenario.nodes[s.from].name.clone());
    for step in &path.steps {
        let _ = write!(
            text,
            " {} {}",
            step.arrow.symbol(),
            scenario.nodes[step.to].name
        );
    }
    text
}

fn path_claims(scenario: &Scenario, path: &SignedPath) -> Vec<String> {
    let mut claims: Vec<String> = Vec::new();
    for step in &path.steps {
        for c in &scenario.links[step.link].claims {
            if !claims.contains(c) {
                claims.push(c.clone());
            }
        }
    }
    claims
}
