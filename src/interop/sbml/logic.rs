//! Function terms as links: a Boolean expression over the inputs rewritten as an OR of ANDs
//! (each AND one link or gate), within a cap on the number of terms.

use super::*;

pub(super) const SUPPORTED: &str = "claimsim reads <and>, <or>, <xor>, <not>, <implies>, comparisons (<eq>, <neq>, <geq>, <gt>, <leq>, <lt>) of a species with a threshold, <ci>, <true/> and <false/>";

/// `threshold OP species` as `species OP' threshold`.
pub(super) fn mirrored(op: &str) -> &str {
    match op {
        "geq" => "leq",
        "leq" => "geq",
        "gt" => "lt",
        "lt" => "gt",
        same => same,
    }
}

/// `species OP level` as the species on or off (or a constant), and whether the threshold is
/// above 1 (a multi-valued level read as on/off).
pub(super) fn literal(op: &str, species: usize, level: f64) -> (Expr, bool) {
    let on = Expr::Lit(species, true);
    let off = Expr::Lit(species, false);
    match op {
        "geq" if level <= 0.0 => (Expr::Const(true), false),
        "geq" => (on, level > 1.0),
        "gt" if level < 0.0 => (Expr::Const(true), false),
        "gt" => (on, level >= 1.0),
        "leq" if level < 0.0 => (Expr::Const(false), false),
        "leq" => (off, level >= 1.0),
        "lt" if level <= 0.0 => (Expr::Const(false), false),
        "lt" => (off, level > 1.0),
        "eq" if level < 0.0 => (Expr::Const(false), false),
        "eq" if level == 0.0 => (off, false),
        "eq" => (on, level > 1.0),
        _ if level < 0.0 => (Expr::Const(true), false),
        _ if level == 0.0 => (on, false),
        _ => (off, level > 1.0),
    }
}

pub(super) fn collect_species(expr: &Expr, into: &mut HashSet<usize>) {
    match expr {
        Expr::Const(_) => {}
        Expr::Lit(s, _) => {
            into.insert(*s);
        }
        Expr::Not(inner) => collect_species(inner, into),
        Expr::And(parts) | Expr::Or(parts) | Expr::Xor(parts) => {
            parts.iter().for_each(|p| collect_species(p, into));
        }
    }
}

/// The links an "on" condition gives: each top-level OR term is a `not(AND of literals)` gate
/// that lowers, or is rewritten as ANDs of literals that raise, which are then reduced to a
/// cover by prime implicants. Raising links come first. `None` when too large.
pub(super) fn links_of(on: &Expr) -> Option<Vec<(Conj, Arrow)>> {
    let mut terms = Vec::new();
    flatten_or(on, &mut terms);
    let mut lowering = Vec::new();
    let mut raising = Vec::new();
    for term in terms {
        match negated_conjunction(term) {
            Some(conj) => lowering.push((conj, Arrow::Lowers)),
            None => raising.extend(dnf(term, true)?),
        }
    }
    let cover = super::reduce::prime_cover(&raising);
    let mut links: Vec<(Conj, Arrow)> = cover.into_iter().map(|c| (c, Arrow::Raises)).collect();
    links.extend(lowering);
    Some(links)
}

pub(super) fn flatten_or<'e>(expr: &'e Expr, into: &mut Vec<&'e Expr>) {
    match expr {
        Expr::Or(parts) => parts.iter().for_each(|p| flatten_or(p, into)),
        other => into.push(other),
    }
}

/// `not(A and !B)` as its literals, which a gate with a lowering arrow carries as it is.
pub(super) fn negated_conjunction(term: &Expr) -> Option<Conj> {
    let Expr::Not(inner) = term else { return None };
    let parts = match inner.as_ref() {
        Expr::And(parts) => parts.as_slice(),
        lit @ Expr::Lit(..) => std::slice::from_ref(lit),
        _ => return None,
    };
    parts
        .iter()
        .map(|p| match p {
            Expr::Lit(s, on) => Some((*s, *on)),
            _ => None,
        })
        .collect()
}

/// The expression (negated when `positive` is false) as an OR of ANDs of literals; an empty
/// AND is "always". Contradictory ANDs are dropped. `None` when over [`MAX_TERMS`].
pub(super) fn dnf(expr: &Expr, positive: bool) -> Option<Vec<Conj>> {
    let terms = match expr {
        Expr::Const(value) => {
            if *value == positive {
                vec![Vec::new()]
            } else {
                Vec::new()
            }
        }
        Expr::Lit(s, on) => vec![vec![(*s, *on == positive)]],
        Expr::Not(inner) => dnf(inner, !positive)?,
        Expr::And(parts) if positive => product(parts, positive)?,
        Expr::Or(parts) if !positive => product(parts, positive)?,
        Expr::And(parts) | Expr::Or(parts) => {
            let mut all = Vec::new();
            for part in parts {
                all.extend(dnf(part, positive)?);
            }
            all
        }
        Expr::Xor(parts) => xor_dnf(parts, positive)?,
    };
    (terms.len() <= MAX_TERMS).then_some(terms)
}

/// The AND (or, negated, the OR) of the parts: every combination of one term of each part.
pub(super) fn product(parts: &[Expr], positive: bool) -> Option<Vec<Conj>> {
    let mut acc: Vec<Conj> = vec![Vec::new()];
    for part in parts {
        acc = cross(&acc, &dnf(part, positive)?)?;
    }
    Some(acc)
}

/// The AND of two ORs of ANDs, refused as soon as it passes [`MAX_TERMS`] (not after).
pub(super) fn cross(a: &[Conj], b: &[Conj]) -> Option<Vec<Conj>> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            if let Some(joined) = join(x, y) {
                out.push(joined);
                if out.len() > MAX_TERMS {
                    return None;
                }
            }
        }
    }
    Some(out)
}

/// Two ANDs as one; `None` when one needs a species on and the other off.
pub(super) fn join(a: &Conj, b: &Conj) -> Option<Conj> {
    let mut joined = a.clone();
    for &(s, on) in b {
        if joined.contains(&(s, !on)) {
            return None;
        }
        if !joined.contains(&(s, on)) {
            joined.push((s, on));
        }
    }
    Some(joined)
}

/// `a xor b xor ...` (negated when `positive` is false) as an OR of ANDs, built one part at a
/// time from both polarities of what came before, so the budget is checked as it grows (writing
/// it out as a nested and/or/not first doubled the tree per part: 26 species took 3.9 GB).
pub(super) fn xor_dnf(parts: &[Expr], positive: bool) -> Option<Vec<Conj>> {
    let (first, rest) = parts.split_first()?;
    let mut on = dnf(first, true)?;
    let mut off = dnf(first, false)?;
    for next in rest {
        let (next_on, next_off) = (dnf(next, true)?, dnf(next, false)?);
        let mut new_on = cross(&on, &next_off)?;
        new_on.extend(cross(&off, &next_on)?);
        let mut new_off = cross(&on, &next_on)?;
        new_off.extend(cross(&off, &next_off)?);
        if new_on.len() > MAX_TERMS || new_off.len() > MAX_TERMS {
            return None;
        }
        (on, off) = (new_on, new_off);
    }
    Some(if positive { on } else { off })
}
