//! The text of `claimsim explain`: the paths, the loops they cross, and the account.

use crate::analysis::explain::{ClaimVerdict, Explanation};
use crate::analysis::paths::{NetSign, SignedPath};
use crate::report::numbers;
use crate::report::words::claim_text;
use crate::scenario::Scenario;
use std::fmt::Write;

/// Paths shown in full before the rest are only counted.
const SHOWN_PATHS: usize = 20;

pub fn to_text(scenario: &Scenario, e: &Explanation) -> String {
    let mut out = String::new();
    if let Some(claim) = &e.claim {
        write_claim(&mut out, scenario, e.target, claim);
    }
    let _ = writeln!(
        out,
        "How {} responds to {} in \"{}\"\n",
        scenario.display_name(e.target),
        e.perturbation(scenario),
        scenario.title
    );
    write_removed(&mut out, scenario, e);
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
        // The word is the path's own sign, as its arrows read; a decreased start runs it
        // backwards, and the line says what that does here.
        let backwards = if p.decreased && p.path.sign != NetSign::Unknown {
            format!(
                "  ({} decreased: {} {})",
                scenario.display_name(p.source),
                word(p.effect),
                scenario.display_name(e.target)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  {:>2}. {:<7} {}{cite}{loops}{backwards}",
            k + 1,
            word(p.path.sign),
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

/// "Claim 3: P-glycoprotein down, A vs B [A148]" and its verdict, before the paths.
fn write_claim(out: &mut String, scenario: &Scenario, node: usize, c: &ClaimVerdict) {
    let e = &c.report;
    let _ = writeln!(
        out,
        "Claim {}: {}",
        c.number,
        claim_text(scenario.display_name(node), e)
    );
    let method = c.method.as_str();
    let run = format!("{method}, {} samples", c.samples);
    let verdict = match &e.not_expressible {
        Some(gate) => format!(
            "not expressible in {method}: {gate}. press reads a gate as separate links, so its P is no verdict here; --method ode or --method fcm judges this claim."
        ),
        None => format!(
            "{}, P = {} {} (support threshold {})",
            e.verdict.as_str(),
            numbers::probability(e.probability),
            numbers::interval(e.probability_ci),
            c.support
        ),
    };
    let _ = writeln!(out, "Verdict ({run}): {verdict}");
    if e.condition {
        let _ = writeln!(
            out,
            "The draws are conditioned on this claim, so it holds by construction."
        );
    }
    out.push('\n');
}

/// "Traced without what the intervention removes: ..." when it removes anything.
fn write_removed(out: &mut String, scenario: &Scenario, e: &Explanation) {
    let mut removed: Vec<String> = e
        .blocked
        .iter()
        .map(|&l| format!("{} (blocked)", scenario.links[l].text))
        .collect();
    removed.extend(
        e.knocked_out
            .iter()
            .map(|&n| format!("{} (knocked out)", scenario.display_name(n))),
    );
    if !removed.is_empty() {
        let _ = writeln!(
            out,
            "Traced without what the intervention removes: {}\n",
            removed.join("; ")
        );
    }
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
