//! A function reduced to the species it depends on: its truth table over its species shows
//! which ones never change its value (`A or (A and B)` ignores B), and those are replaced by a
//! constant before the function is made into links, so no link stands for an input the logic
//! does not use and export writes back the same function.

use super::*;

/// Functions over more species than this are not tabulated (2^16 = 65,536 rows is quick; each
/// species more doubles it); they are read as written, with a note.
pub(super) const MAX_TABLE_SPECIES: usize = 16;

impl Expr {
    /// The value when each species is on or off as `on` says.
    pub(super) fn eval(&self, on: &impl Fn(usize) -> bool) -> bool {
        match self {
            Expr::Const(value) => *value,
            Expr::Lit(s, wanted) => on(*s) == *wanted,
            Expr::Not(inner) => !inner.eval(on),
            Expr::And(parts) => parts.iter().all(|p| p.eval(on)),
            Expr::Or(parts) => parts.iter().any(|p| p.eval(on)),
            Expr::Xor(parts) => parts.iter().filter(|p| p.eval(on)).count() % 2 == 1,
        }
    }
}

/// The species of `expr`, sorted.
pub(super) fn species_of(expr: &Expr) -> Vec<usize> {
    let mut found = HashSet::new();
    collect_species(expr, &mut found);
    let mut species: Vec<usize> = found.into_iter().collect();
    species.sort_unstable();
    species
}

/// The value of `expr` for every assignment of `species` (row bit k: `species[k]` on).
/// `None` over [`MAX_TABLE_SPECIES`].
pub(super) fn truth_table(expr: &Expr, species: &[usize]) -> Option<Vec<bool>> {
    if species.len() > MAX_TABLE_SPECIES {
        return None;
    }
    let bit: HashMap<usize, usize> = species.iter().enumerate().map(|(k, &s)| (s, k)).collect();
    let rows = 1usize << species.len();
    Some(
        (0..rows)
            .map(|row| expr.eval(&|s| bit.get(&s).is_some_and(|&k| row >> k & 1 == 1)))
            .collect(),
    )
}

/// The species of `expr` whose value never changes it; `None` when there are too many
/// species to tabulate.
pub(super) fn ignored_species(expr: &Expr) -> Option<Vec<usize>> {
    let species = species_of(expr);
    let table = truth_table(expr, &species)?;
    let ignored = species
        .iter()
        .enumerate()
        .filter(|&(k, _)| {
            (0..table.len())
                .filter(|row| row >> k & 1 == 0)
                .all(|row| table[row] == table[row | 1 << k])
        })
        .map(|(_, &s)| s)
        .collect();
    Some(ignored)
}

/// `expr` with the `ignored` species set off and the constants that leaves folded away; the
/// same function when it does not depend on them.
pub(super) fn without(expr: &Expr, ignored: &[usize]) -> Expr {
    match expr {
        Expr::Lit(s, on) if ignored.contains(s) => Expr::Const(!on),
        Expr::Const(_) | Expr::Lit(..) => expr.clone(),
        Expr::Not(inner) => match without(inner, ignored) {
            Expr::Const(value) => Expr::Const(!value),
            other => Expr::Not(Box::new(other)),
        },
        Expr::And(parts) => fold(parts, ignored, false, Expr::And),
        Expr::Or(parts) => fold(parts, ignored, true, Expr::Or),
        Expr::Xor(parts) => {
            let mut flip = false;
            let mut kept = Vec::new();
            for part in parts.iter().map(|p| without(p, ignored)) {
                match part {
                    Expr::Const(value) => flip ^= value,
                    other => kept.push(other),
                }
            }
            let xor = match kept.len() {
                0 => Expr::Const(false),
                1 => kept.pop().unwrap_or(Expr::Const(false)),
                _ => Expr::Xor(kept),
            };
            match (flip, xor) {
                (false, xor) => xor,
                (true, Expr::Const(value)) => Expr::Const(!value),
                (true, xor) => Expr::Not(Box::new(xor)),
            }
        }
    }
}

/// An AND (`absorbing` false) or OR (`absorbing` true) without its constant parts: the
/// absorbing constant decides it, the other one drops out.
fn fold(parts: &[Expr], ignored: &[usize], absorbing: bool, build: fn(Vec<Expr>) -> Expr) -> Expr {
    let mut kept = Vec::new();
    for part in parts.iter().map(|p| without(p, ignored)) {
        match part {
            Expr::Const(value) if value == absorbing => return Expr::Const(absorbing),
            Expr::Const(_) => {}
            other => kept.push(other),
        }
    }
    match kept.len() {
        0 => Expr::Const(!absorbing),
        1 => kept.pop().unwrap_or(Expr::Const(!absorbing)),
        _ => build(kept),
    }
}

/// An OR of ANDs as a cover by prime implicants, none of them covered by the others: the same
/// function with the fewest, shortest ANDs this finds (`!A&B | A&!B&C | A&B` becomes `B | A&C`),
/// so that two ANDs over the same species, which a scenario cannot hold apart, are rarer.
/// Returned unchanged when it has more than [`MAX_TABLE_SPECIES`] species or the consensus
/// passes [`MAX_TERMS`] terms.
pub(super) fn prime_cover(terms: &[Conj]) -> Vec<Conj> {
    let mut species: Vec<usize> = terms.iter().flatten().map(|&(s, _)| s).collect();
    species.sort_unstable();
    species.dedup();
    if species.len() > MAX_TABLE_SPECIES {
        return terms.to_vec();
    }
    let Some(primes) = consensus_closure(terms) else {
        return terms.to_vec();
    };
    irredundant(primes, &species)
}

/// Blake's canonical form: consensus terms added and absorbed terms removed until nothing
/// changes; every term left is a prime implicant. `None` past [`MAX_TERMS`] terms.
fn consensus_closure(terms: &[Conj]) -> Option<Vec<Conj>> {
    let mut all: Vec<Conj> = Vec::new();
    for term in terms {
        absorb_into(&mut all, term.clone());
    }
    let mut changed = true;
    while changed {
        changed = false;
        for i in 0..all.len() {
            for j in i + 1..all.len() {
                let (Some(x), Some(y)) = (all.get(i), all.get(j)) else {
                    continue;
                };
                if let Some(new) = consensus(x, y) {
                    changed |= absorb_into(&mut all, new);
                    if all.len() > MAX_TERMS {
                        return None;
                    }
                }
            }
        }
    }
    Some(all)
}

/// Adds `term` unless a term already there is part of it; removes the terms it is part of. Whether it was added.
fn absorb_into(all: &mut Vec<Conj>, term: Conj) -> bool {
    let within = |small: &Conj, big: &Conj| small.iter().all(|l| big.contains(l));
    if all.iter().any(|t| within(t, &term)) {
        return false;
    }
    all.retain(|t| !within(&term, t));
    all.push(term);
    true
}

/// The consensus of two ANDs that clash in exactly one species: both without it, joined.
fn consensus(x: &Conj, y: &Conj) -> Option<Conj> {
    let clashes: Vec<usize> = x
        .iter()
        .filter(|&&(s, on)| y.contains(&(s, !on)))
        .map(|&(s, _)| s)
        .collect();
    let [clash] = clashes.as_slice() else {
        return None;
    };
    let mut joined: Conj = x.iter().filter(|l| l.0 != *clash).copied().collect();
    for &literal in y.iter().filter(|l| l.0 != *clash) {
        if !joined.contains(&literal) {
            joined.push(literal);
        }
    }
    Some(joined)
}

/// The primes without those the others cover, trying the longest first.
fn irredundant(mut primes: Vec<Conj>, species: &[usize]) -> Vec<Conj> {
    let bit: HashMap<usize, usize> = species.iter().enumerate().map(|(k, &s)| (s, k)).collect();
    let holds =
        |term: &Conj, row: usize| term.iter().all(|&(s, on)| (row >> bit[&s] & 1 == 1) == on);
    let rows = 1usize << species.len();
    let mut count: Vec<usize> = (0..rows)
        .map(|row| primes.iter().filter(|t| holds(t, row)).count())
        .collect();
    let mut order: Vec<usize> = (0..primes.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(primes[k].len()));
    let mut dropped = vec![false; primes.len()];
    for k in order {
        let own: Vec<usize> = (0..rows).filter(|&row| holds(&primes[k], row)).collect();
        if own.iter().all(|&row| count[row] >= 2) {
            own.iter().for_each(|&row| count[row] -= 1);
            dropped[k] = true;
        }
    }
    let mut kept = dropped.iter();
    primes.retain(|_| !kept.next().copied().unwrap_or(false));
    primes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: usize) -> Expr {
        Expr::Lit(s, true)
    }

    #[test]
    fn a_or_a_and_b_ignores_b() {
        let e = Expr::Or(vec![lit(0), Expr::And(vec![lit(0), lit(1)])]);
        assert_eq!(ignored_species(&e), Some(vec![1]));
        assert_eq!(without(&e, &[1]), lit(0));
    }

    #[test]
    fn every_used_species_is_kept() {
        // A xor B, and (A and !C) or (C and B): every species matters.
        let xor = Expr::Xor(vec![lit(0), lit(1)]);
        assert_eq!(ignored_species(&xor), Some(vec![]));
        let mux = Expr::Or(vec![
            Expr::And(vec![lit(0), Expr::Lit(2, false)]),
            Expr::And(vec![lit(2), lit(1)]),
        ]);
        assert_eq!(ignored_species(&mux), Some(vec![]));
    }

    #[test]
    fn reduction_keeps_the_function() {
        // (A and (B or !B)) xor (C and !C) = A.
        let e = Expr::Xor(vec![
            Expr::And(vec![lit(0), Expr::Or(vec![lit(1), Expr::Lit(1, false)])]),
            Expr::And(vec![lit(2), Expr::Lit(2, false)]),
        ]);
        let ignored = ignored_species(&e).unwrap();
        assert_eq!(ignored, [1, 2]);
        let reduced = without(&e, &ignored);
        assert_eq!(reduced, lit(0));
        let species = [0, 1, 2];
        assert_eq!(truth_table(&reduced, &species), truth_table(&e, &species));
    }

    #[test]
    fn covers_are_prime_and_irredundant() {
        // !A&B | A&!B&C | A&B  =  B | A&C
        let terms = vec![
            vec![(0, false), (1, true)],
            vec![(0, true), (1, false), (2, true)],
            vec![(0, true), (1, true)],
        ];
        let cover = prime_cover(&terms);
        assert_eq!(cover, [vec![(1, true)], vec![(0, true), (2, true)]]);
        // Fission yeast's Cdc25: !C2&C25&!PP | C2&!C25&!PP | C2&C25, three species sets.
        let cdc25 = vec![
            vec![(0, false), (1, true), (2, false)],
            vec![(0, true), (1, false), (2, false)],
            vec![(0, true), (1, true)],
        ];
        let mut cover = prime_cover(&cdc25);
        cover.sort();
        assert_eq!(
            cover,
            [
                vec![(0, true), (1, true)],
                vec![(0, true), (2, false)],
                vec![(1, true), (2, false)]
            ]
        );
    }

    #[test]
    fn large_functions_are_not_tabulated() {
        let wide = Expr::Or((0..=MAX_TABLE_SPECIES).map(lit).collect());
        assert_eq!(ignored_species(&wide), None);
        let just_fits = Expr::Or((0..MAX_TABLE_SPECIES).map(lit).collect());
        assert_eq!(ignored_species(&just_fits), Some(vec![]));
    }
}
