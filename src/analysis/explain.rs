//! Explanations in plain language: which signed paths lead from the perturbed nodes to a node,
//! which feedback loops they cross, and why the simulated outcome is what it is.

use super::held_out::DirectionCounts;
use super::paths::{NetSign, SignedPath, feedback_loops, loops_crossed, signed_paths};
use super::{ExpectationReport, NodeOutcome};
use crate::report::numbers::probability;
use crate::scenario::{Method, Scenario};

/// A path from one perturbed node, with the sign it has once the press direction is applied.
#[derive(Debug, Clone)]
pub struct SourcedPath {
    pub source: usize,
    pub path: SignedPath,
    /// The path's effect on the target under the perturbation (a negative press flips it).
    pub effect: NetSign,
    /// The path's start is pushed down, so the effect is the opposite of the path's sign.
    pub decreased: bool,
    /// Indices into [`Explanation::loops`] of the loops this path crosses.
    pub loops: Vec<usize>,
}

/// The claim an explanation is about, with the verdict of the run behind it.
#[derive(Debug, Clone)]
pub struct ClaimVerdict {
    /// Its number, counting from 1 in file order.
    pub number: usize,
    /// The claim as `run` reports it: probability, interval, verdict.
    pub report: ExpectationReport,
    pub method: Method,
    pub samples: u64,
    pub support: f64,
}

/// Everything `explain` reports.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// With `--expect N`: the claim explained and the verdict the run gave it.
    pub claim: Option<ClaimVerdict>,
    /// Perturbed nodes and the direction of their push (+1 or -1).
    pub sources: Vec<(usize, f64)>,
    pub target: usize,
    /// Links the intervention blocks and nodes it knocks out: no path listed uses them.
    pub blocked: Vec<usize>,
    pub knocked_out: Vec<usize>,
    pub paths: Vec<SourcedPath>,
    pub loops: Vec<SignedPath>,
    /// True when path or loop enumeration stopped at its cap.
    pub capped: bool,
    /// The account, sentence by sentence.
    pub account: Vec<String>,
}

impl Explanation {
    /// The perturbation in words, e.g. "an increase in miR-100 and a decrease in EGFR": a
    /// singular subject whatever the node names are.
    pub fn perturbation(&self, scenario: &Scenario) -> String {
        self.sources
            .iter()
            .map(|&(s, d)| {
                let kind = if d < 0.0 { "a decrease" } else { "an increase" };
                format!("{kind} in {}", scenario.display_name(s))
            })
            .collect::<Vec<_>>()
            .join(" and ")
    }

    /// Indices of the loops crossed by any path, each once, in order.
    pub fn crossed_loops(&self) -> Vec<usize> {
        let mut all: Vec<usize> = self
            .paths
            .iter()
            .flat_map(|p| p.loops.iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// The simulated chances of each direction of the target's change, and the method behind them.
#[derive(Debug, Clone, Copy)]
pub struct Simulated {
    pub method: Method,
    pub p_up: f64,
    pub p_down: f64,
    pub p_zero: f64,
}

impl Simulated {
    /// A node's outcome under one intervention, as `method` simulated it.
    pub fn of(o: &NodeOutcome, method: Method) -> Simulated {
        Simulated {
            method,
            p_up: o.p_up,
            p_down: o.p_down,
            p_zero: o.p_zero,
        }
    }

    /// The shares of draws in which a compared change went up, down or nowhere.
    pub fn from_counts(counts: DirectionCounts, method: Method) -> Simulated {
        let n = (counts.up + counts.down + counts.zero).max(1) as f64;
        Simulated {
            method,
            p_up: counts.up as f64 / n,
            p_down: counts.down as f64 / n,
            p_zero: counts.zero as f64 / n,
        }
    }
}

/// What to trace: the pushed nodes and their directions (+1 or -1), the node looked at, and
/// what the intervention removes from the network (paths through them carry nothing).
#[derive(Debug, Clone, Default)]
pub struct Trace {
    pub sources: Vec<(usize, f64)>,
    pub target: usize,
    /// Links the intervention blocks.
    pub blocked: Vec<usize>,
    /// Nodes the intervention knocks out (held at zero, so nothing passes through them).
    pub knocked_out: Vec<usize>,
}

impl Trace {
    /// Pushing `sources` and looking at `target` in the whole network.
    pub fn new(sources: Vec<(usize, f64)>, target: usize) -> Trace {
        Trace {
            sources,
            target,
            ..Trace::default()
        }
    }

    /// A path carries the push unless it uses a blocked link or passes through a knocked-out
    /// node (its start may be knocked out: that is the push).
    fn carries(&self, path: &SignedPath) -> bool {
        path.steps
            .iter()
            .all(|s| !self.blocked.contains(&s.link) && !self.knocked_out.contains(&s.to))
    }
}

/// Explains how the push in `trace` moves its target; `outcome` is the simulated result if
/// run, `claim` the claim asked about, if any.
pub fn explain(
    scenario: &Scenario,
    trace: Trace,
    outcome: Option<&Simulated>,
    claim: Option<ClaimVerdict>,
) -> Explanation {
    let (loops, loops_capped) = feedback_loops(scenario);
    let mut paths = Vec::new();
    let mut capped = loops_capped;
    for &(source, direction) in &trace.sources {
        let (found, hit_cap) = signed_paths(scenario, source, trace.target);
        capped |= hit_cap;
        paths.extend(found.into_iter().filter(|p| trace.carries(p)).map(|path| {
            let crossed = loops_crossed(&path, &loops)
                .iter()
                .filter_map(|l| loops.iter().position(|x| x == *l))
                .collect();
            SourcedPath {
                source,
                effect: directed(path.sign, direction),
                decreased: direction < 0.0,
                path,
                loops: crossed,
            }
        }));
    }
    let mut explanation = Explanation {
        claim,
        sources: trace.sources,
        target: trace.target,
        blocked: trace.blocked,
        knocked_out: trace.knocked_out,
        paths,
        loops,
        capped,
        account: Vec::new(),
    };
    explanation.account = account(scenario, &explanation, outcome);
    explanation
}

fn directed(sign: NetSign, direction: f64) -> NetSign {
    match (sign, direction < 0.0) {
        (NetSign::Raises, true) => NetSign::Lowers,
        (NetSign::Lowers, true) => NetSign::Raises,
        (s, _) => s,
    }
}

/// How many paths have each effect (or sign): raises, lowers, unknown.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    raises: usize,
    lowers: usize,
    unknown: usize,
}

impl Tally {
    fn of<'a>(signs: impl Iterator<Item = &'a NetSign>) -> Tally {
        let mut t = Tally::default();
        for sign in signs {
            match sign {
                NetSign::Raises => t.raises += 1,
                NetSign::Lowers => t.lowers += 1,
                NetSign::Unknown => t.unknown += 1,
            }
        }
        t
    }

    fn total(self) -> usize {
        self.raises + self.lowers + self.unknown
    }

    /// Paths of opposite effect, or of unknown effect, make the outcome depend on strengths.
    fn competes(self) -> bool {
        self.raises > 0 && self.lowers > 0 || self.unknown > 0
    }
}

/// The sentences that explain the outcome.
fn account(scenario: &Scenario, e: &Explanation, outcome: Option<&Simulated>) -> Vec<String> {
    let name = |i: usize| scenario.display_name(i).to_string();
    let target = name(e.target);
    if e.paths.is_empty() {
        let from = e
            .sources
            .iter()
            .map(|&(s, _)| name(s))
            .collect::<Vec<_>>()
            .join(" + ");
        let open = if e.blocked.is_empty() && e.knocked_out.is_empty() {
            ""
        } else {
            " that the intervention leaves open"
        };
        return vec![format!(
            "No path{open} leads from {from} to {target}, so {target} cannot respond: its change is zero."
        )];
    }
    let mut sentences: Vec<String> = e
        .sources
        .iter()
        .map(|&(s, d)| source_sentence(scenario, e, s, d))
        .collect();
    let effects = Tally::of(e.paths.iter().map(|p| &p.effect));
    let reaching = e
        .sources
        .iter()
        .filter(|&&(s, _)| e.paths.iter().any(|p| p.source == s))
        .count();
    if reaching > 1 {
        sentences.push(majority_sentence(
            "Together, the perturbation",
            &target,
            effects,
        ));
    }
    if let Some(minority) = minority_sentence(scenario, e, effects) {
        sentences.push(minority);
    }
    if let Some(loops) = loops_sentence(e) {
        sentences.push(loops);
    }
    if let Some(o) = outcome {
        sentences.push(outcome_sentence(
            scenario,
            e,
            o,
            effects,
            scenario.simulation.support,
        ));
    }
    if e.capped {
        sentences
            .push("The network is dense: only the first paths and loops are listed.".to_string());
    }
    sentences
}

/// What one perturbed node does to the target along its paths. A decrease runs each path
/// backwards, so the sentence says both the path's sign and the effect it has here.
fn source_sentence(scenario: &Scenario, e: &Explanation, source: usize, direction: f64) -> String {
    let target = scenario.display_name(e.target);
    let node = scenario.display_name(source);
    let paths: Vec<&SourcedPath> = e.paths.iter().filter(|p| p.source == source).collect();
    let subject = if direction < 0.0 {
        format!("A decrease in {node}")
    } else {
        format!("An increase in {node}")
    };
    if paths.is_empty() {
        return format!("{subject} does not reach {target}: no path leads from {node} to it.");
    }
    if direction >= 0.0 {
        return majority_sentence(&subject, target, Tally::of(paths.iter().map(|p| &p.effect)));
    }
    let signs = Tally::of(paths.iter().map(|p| &p.path.sign));
    let n = signs.total();
    let every = |verb: &str| format!("{subject} {verb} {target} along every path ({n})");
    let which = if n == 1 { "the path" } else { "each path" };
    match (signs.raises, signs.lowers, signs.unknown) {
        (_, 0, 0) => format!(
            "{}: {which} raises {target} when {node} rises, so less {node} means less {target}.",
            every("lowers")
        ),
        (0, _, 0) => format!(
            "{}: {which} lowers {target} when {node} rises, so less {node} means more {target}.",
            every("raises")
        ),
        (0, 0, _) => format!(
            "{}: {which} has a link of unknown sign.",
            every("has an unknown effect on")
        ),
        _ => mixed_decrease(&subject, target, signs),
    }
}

/// "A decrease in X lowers Y along the 2 of 3 paths that raise it, raises it along the 1 that
/// lowers it".
fn mixed_decrease(subject: &str, target: &str, signs: Tally) -> String {
    let n = signs.total();
    let kinds = [
        (signs.raises, "lowers", "raise", "raises"),
        (signs.lowers, "raises", "lower", "lowers"),
        (signs.unknown, "has an unknown effect on", "have", "has"),
    ];
    let mut parts = Vec::new();
    for (k, effect, plural, singular) in kinds.into_iter().filter(|k| k.0 > 0) {
        let object = if parts.is_empty() { target } else { "it" };
        let of = if parts.is_empty() {
            format!("the {k} of {n} paths")
        } else {
            format!("the {k}")
        };
        let sign = if effect.starts_with("has") {
            if k == 1 {
                "has a link of unknown sign".to_string()
            } else {
                "have a link of unknown sign".to_string()
            }
        } else if k == 1 {
            format!("{singular} it")
        } else {
            format!("{plural} it")
        };
        parts.push(format!("{effect} {object} along {of} that {sign}"));
    }
    format!(
        "{subject} works against each path's sign: it {}.",
        parts.join(", ")
    )
}

/// "SUBJECT raises TARGET along 2 of 3 paths, lowers it along 1": most common effect first.
fn majority_sentence(subject: &str, target: &str, effects: Tally) -> String {
    let total = effects.total();
    let along = |k: usize| {
        if k == total {
            format!("along every path ({total})")
        } else {
            format!("along {k} of {total} paths")
        }
    };
    let mut clauses: Vec<(usize, &str)> = [
        (effects.raises, "raises"),
        (effects.lowers, "lowers"),
        (effects.unknown, "has an unknown effect on"),
    ]
    .into_iter()
    .filter(|(k, _)| *k > 0)
    .collect();
    // Most common effect first; it names the target, the others refer back to it.
    clauses.sort_by_key(|(k, _)| std::cmp::Reverse(*k));
    let parts: Vec<String> = clauses
        .iter()
        .enumerate()
        .map(|(i, (k, verb))| {
            if i == 0 {
                format!("{verb} {target} {}", along(*k))
            } else {
                format!("{verb} it along {k}")
            }
        })
        .collect();
    format!("{subject} {}.", parts.join(", "))
}

/// Most minority paths named before the rest are counted.
const NAMED_MINORITY: usize = 3;

/// Names the paths whose effect goes against the majority, by the nodes they pass through.
fn minority_sentence(scenario: &Scenario, e: &Explanation, effects: Tally) -> Option<String> {
    if effects.raises == 0 || effects.lowers == 0 {
        return None;
    }
    let minority = if effects.raises < effects.lowers {
        NetSign::Raises
    } else {
        NetSign::Lowers
    };
    let against: Vec<&SourcedPath> = e.paths.iter().filter(|p| p.effect == minority).collect();
    let several = e.sources.len() > 1;
    let mut named: Vec<String> = against
        .iter()
        .take(NAMED_MINORITY)
        .map(|p| path_phrase(scenario, e, p, several))
        .collect();
    if against.len() > NAMED_MINORITY {
        named.push(format!("{} more", against.len() - NAMED_MINORITY));
    }
    let verb = match (minority, against.len()) {
        (NetSign::Raises, 1) => "raises",
        (NetSign::Raises, _) => "raise",
        (_, 1) => "lowers",
        _ => "lower",
    };
    Some(format!(
        "{} {verb} it: paths of opposite effect compete, so the outcome depends on which is stronger in each sample.",
        capitalise(&named.join("; "))
    ))
}

/// "the path from X through A, B (a path that raises Y, with X decreased)".
fn path_phrase(scenario: &Scenario, e: &Explanation, p: &SourcedPath, several: bool) -> String {
    let source = scenario.display_name(p.source);
    let inner: Vec<&str> = p
        .path
        .nodes()
        .into_iter()
        .skip(1)
        .filter(|&n| n != e.target)
        .map(|n| scenario.display_name(n))
        .collect();
    let from = if several {
        format!(" from {source}")
    } else {
        String::new()
    };
    let mut phrase = if inner.is_empty() {
        format!("the direct link{from}")
    } else {
        format!("the path{from} through {}", inner.join(", "))
    };
    if p.decreased && p.path.sign != NetSign::Unknown {
        phrase.push_str(&format!(
            " (a path that {} {}, with {source} decreased)",
            p.path.sign.verb(),
            scenario.display_name(e.target)
        ));
    }
    phrase
}

/// The feedback loops the paths cross, when they cross any.
fn loops_sentence(e: &Explanation) -> Option<String> {
    let crossed = e.crossed_loops();
    if crossed.is_empty() {
        return None;
    }
    let negative = crossed
        .iter()
        .filter(|&&l| e.loops[l].sign == NetSign::Lowers)
        .count();
    let (count, plural) = (crossed.len(), crossed.len() != 1);
    Some(format!(
        "The paths cross {count} feedback loop{} ({negative} negative, {} positive or unknown); feedback can damp, amplify or reverse a path's effect, depending on the link strengths.",
        if plural { "s" } else { "" },
        count - negative
    ))
}

/// What the run made of it, and what, among the things this explanation lists, keeps it from
/// being certain.
fn outcome_sentence(
    scenario: &Scenario,
    e: &Explanation,
    o: &Simulated,
    effects: Tally,
    support: f64,
) -> String {
    let target = scenario.display_name(e.target);
    let (p, what) = if o.p_zero > o.p_up.max(o.p_down) {
        (o.p_zero, "stays unchanged")
    } else if o.p_up >= o.p_down {
        (o.p_up, "goes up")
    } else {
        (o.p_down, "goes down")
    };
    let side = if p >= support { "at or above" } else { "below" };
    let why = if p >= 1.0 {
        certain_reason(what, effects)
    } else {
        format!(
            "; not certain because {}",
            doubts(scenario, e, o, effects).join("; ")
        )
    };
    format!(
        "Simulated with {}: {target} {what} with P = {} (up {}, down {}, no change {}), {side} the support threshold {support}{why}.",
        o.method.as_str(),
        probability(p),
        probability(o.p_up),
        probability(o.p_down),
        probability(o.p_zero),
    )
}

/// Why an outcome that happens in every draw does.
fn certain_reason(what: &str, effects: Tally) -> String {
    let agreeing = match what {
        "goes up" => effects.raises == effects.total(),
        "goes down" => effects.lowers == effects.total(),
        _ => false,
    };
    if agreeing {
        "; all paths agree, so the structure alone decides it".to_string()
    } else if effects.competes() && what != "stays unchanged" {
        "; the paths that carry it are the stronger in every draw".to_string()
    } else {
        String::new()
    }
}

/// The reasons for doubt that apply: competing paths, links that may be absent, feedback, a
/// nonlinear method. None of them listed is said as such, never blamed on loops that are not
/// there.
fn doubts(scenario: &Scenario, e: &Explanation, o: &Simulated, effects: Tally) -> Vec<String> {
    let mut reasons = Vec::new();
    if effects.raises > 0 && effects.lowers > 0 {
        reasons.push("paths of opposite effect compete".to_string());
    }
    if effects.unknown > 0 {
        reasons.push("some paths have a link of unknown sign".to_string());
    }
    match uncertain_links(scenario, e) {
        0 => {}
        1 => reasons.push(
            "1 link on these paths is uncertain (present in only some draws), and a draw without it cuts its path"
                .to_string(),
        ),
        k => reasons.push(format!(
            "{k} links on these paths are uncertain (each present in only some draws), and a draw without one of them cuts its path"
        )),
    }
    if !e.crossed_loops().is_empty() {
        reasons.push("the feedback loops crossed can reverse a path's effect".to_string());
    }
    if o.method != Method::Press {
        let how = if scenario.links.iter().any(|l| l.is_gate()) {
            "gates and saturation"
        } else {
            "saturation"
        };
        reasons.push(format!(
            "{} responds nonlinearly ({how}), so a path's effect depends on the levels",
            o.method.as_str()
        ));
    }
    if reasons.is_empty() {
        reasons.push(
            "of something the paths and loops listed here do not show (`claimsim run` shows every node)"
                .to_string(),
        );
    }
    reasons
}

/// Distinct links on the paths that are present in only some of the draws counted: a claim's
/// probability counts only the draws with its own links present.
fn uncertain_links(scenario: &Scenario, e: &Explanation) -> usize {
    let assumed: &[String] = e
        .claim
        .as_ref()
        .map_or(&[], |c| c.report.conditioned_on.as_slice());
    let mut links: Vec<usize> = e
        .paths
        .iter()
        .flat_map(|p| p.path.steps.iter().map(|s| s.link))
        .filter(|&l| scenario.links[l].present < 1.0)
        .filter(|&l| !assumed.contains(&scenario.links[l].text))
        .collect();
    links.sort_unstable();
    links.dedup();
    links.len()
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn opposite_paths_are_named_and_called_competing() {
        let text = "network = \"\"\"\nX -| A\nA -| Y\nX -| Wnt\nWnt -| Y\nX -| Y\n\"\"\"\n";
        let s = crate::scenario::parse(Path::new("t.toml"), text, None).unwrap();
        let (x, y) = (s.node_index("X").unwrap(), s.node_index("Y").unwrap());
        let e = explain(&s, Trace::new(vec![(x, 1.0)], y), None, None);
        assert_eq!(e.paths.len(), 3);
        let text = e.account.join(" ");
        assert!(
            text.contains("X raises Y along 2 of 3 paths, lowers it along 1"),
            "{text}"
        );
        assert!(text.contains("The direct link lowers it"), "{text}");
        let e = explain(&s, Trace::new(vec![(x, -1.0)], y), None, None);
        assert_eq!(
            e.account[0],
            "A decrease in X works against each path's sign: it lowers Y along the 2 of 3 paths that raise it, raises it along the 1 that lowers it.",
        );
        assert!(
            e.account[1]
                .starts_with("The direct link (a path that lowers Y, with X decreased) raises it"),
            "the minority path is named by its own sign and its effect: {:?}",
            e.account
        );
    }

    fn parse(text: &str) -> Scenario {
        crate::scenario::parse(Path::new("t.toml"), text, None).unwrap()
    }

    fn simulated(p_up: f64, p_down: f64, method: Method) -> Simulated {
        Simulated {
            method,
            p_up,
            p_down,
            p_zero: 1.0 - p_up - p_down,
        }
    }

    #[test]
    fn a_decrease_along_a_lowering_path_is_said_to_raise() {
        let s = parse("network = \"\"\"\nX -> M\nM -| Y\n\"\"\"\n");
        let (x, y) = (s.node_index("X").unwrap(), s.node_index("Y").unwrap());
        let e = explain(&s, Trace::new(vec![(x, -1.0)], y), None, None);
        assert_eq!(e.paths[0].path.sign, NetSign::Lowers);
        assert_eq!(e.paths[0].effect, NetSign::Raises);
        assert_eq!(
            e.account[0],
            "A decrease in X raises Y along every path (1): the path lowers Y when X rises, so less X means more Y."
        );
    }

    #[test]
    fn doubt_is_blamed_only_on_what_is_there() {
        // One path, no loop, every link certain: press is certain, and says why.
        let s = parse("network = \"\"\"\nX -> M\nM -> Y\n\"\"\"\n");
        let (x, y) = (s.node_index("X").unwrap(), s.node_index("Y").unwrap());
        let e = explain(
            &s,
            Trace::new(vec![(x, 1.0)], y),
            Some(&simulated(1.0, 0.0, Method::Press)),
            None,
        );
        let last = e.account.last().unwrap();
        assert!(
            last.contains("all paths agree, so the structure alone decides it"),
            "{last}"
        );
        assert!(!last.contains("loop"), "no loop to blame: {last}");
        // An uncertain link explains the draws without a change; still no loop named.
        let s = parse(
            "network = \"\"\"\nX -> M\nM -> Y\n\"\"\"\n[[link]]\nlink = \"M -> Y\"\npresent = 0.5\n",
        );
        let e = explain(
            &s,
            Trace::new(vec![(x, 1.0)], y),
            Some(&simulated(0.5, 0.0, Method::Press)),
            None,
        );
        let last = e.account.last().unwrap();
        assert!(last.contains("Y goes up with P = 0.500"), "{last}");
        assert!(
            last.contains("1 link on these paths is uncertain"),
            "{last}"
        );
        assert!(!last.contains("loop"), "no loop to blame: {last}");
        // A loop the path crosses is named when it is there.
        let s = parse("network = \"\"\"\nX -> Y\nY -| X\n\"\"\"\n");
        let (x, y) = (s.node_index("X").unwrap(), s.node_index("Y").unwrap());
        let e = explain(
            &s,
            Trace::new(vec![(x, 1.0)], y),
            Some(&simulated(0.9, 0.1, Method::Press)),
            None,
        );
        let last = e.account.last().unwrap();
        assert!(
            last.contains("the feedback loops crossed can reverse"),
            "{last}"
        );
    }

    #[test]
    fn paths_the_intervention_removes_are_not_traced() {
        let s = parse("network = \"\"\"\nX -> M\nM -> Y\nX -| N\nN -> Y\n\"\"\"\n");
        let (x, y) = (s.node_index("X").unwrap(), s.node_index("Y").unwrap());
        let blocked = Trace {
            blocked: vec![0],
            ..Trace::new(vec![(x, 1.0)], y)
        };
        let e = explain(&s, blocked, None, None);
        assert_eq!(
            e.paths.len(),
            1,
            "X -> M is blocked, so only the path through N is left"
        );
        assert!(
            e.account[0].contains("lowers Y along every path (1)"),
            "{:?}",
            e.account
        );
        let knocked = Trace {
            knocked_out: vec![s.node_index("N").unwrap(), s.node_index("M").unwrap()],
            ..Trace::new(vec![(x, 1.0)], y)
        };
        let e = explain(&s, knocked, None, None);
        assert!(e.paths.is_empty());
        assert!(e.account[0].starts_with("No path that the intervention leaves open"));
    }

    #[test]
    fn unreachable_target_says_so() {
        let text = "network = \"\"\"\nA -> B\nC -> D\n\"\"\"\n";
        let s = crate::scenario::parse(Path::new("t.toml"), text, None).unwrap();
        let e = explain(
            &s,
            Trace::new(vec![(0, 1.0)], s.node_index("D").unwrap()),
            None,
            None,
        );
        assert!(e.account[0].contains("No path leads from A to D"));
    }
}
