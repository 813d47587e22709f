//! Dense kernels specialised for small fixed sizes.
//!
//! Press draws factor and test many small diagonal blocks (most feedback components have 2 to
//! 16 nodes). With the size a compile-time constant, the compiler unrolls the short loops and
//! drops the bounds checks, which roughly halves the instructions of a small block. The
//! specialised kernels run the very same floating-point operations in the same order as the
//! general ones (only the loop bookkeeping changes), so their results are identical to the bit.
//!
//! A kernel is written once as an `#[inline(always)]` body taking the size as an argument; a
//! `const N: usize` wrapper instantiates it per size and [`by_size!`] picks the instance. A
//! constant size alone does not unroll a loop over the steps of an elimination (each step's
//! loops have other lengths), so the step loops of the LU, the Hessenberg reduction and the
//! characteristic polynomial are written out by [`unrolled_steps!`], one copy per step with
//! its index a constant; the LU's instances also work on `[[f64; N]; N]` rows, which removes
//! its remaining bounds checks (5x5: 1,054 instructions before both, 395 after).

/// Calls `$sized::<N>(args)` for `$n` = N in 1..=16, else `$general`.
macro_rules! by_size {
    ($n:expr, $sized:ident($($arg:expr),*), $general:expr) => {
        match $n {
            1 => $sized::<1>($($arg),*),
            2 => $sized::<2>($($arg),*),
            3 => $sized::<3>($($arg),*),
            4 => $sized::<4>($($arg),*),
            5 => $sized::<5>($($arg),*),
            6 => $sized::<6>($($arg),*),
            7 => $sized::<7>($($arg),*),
            8 => $sized::<8>($($arg),*),
            9 => $sized::<9>($($arg),*),
            10 => $sized::<10>($($arg),*),
            11 => $sized::<11>($($arg),*),
            12 => $sized::<12>($($arg),*),
            13 => $sized::<13>($($arg),*),
            14 => $sized::<14>($($arg),*),
            15 => $sized::<15>($($arg),*),
            16 => $sized::<16>($($arg),*),
            _ => $general,
        }
    };
}

/// Runs `$body` once for each `$k` = 0, 1, .. below `$end` (at most 17 steps), in order, each
/// copy with `$k` a literal constant. When `$end` is a constant too, every loop in the body
/// whose bounds depend on `$k` gets constant bounds, which the compiler unrolls and checks
/// once: what a specialised size gains over a loop over the steps.
macro_rules! unrolled_steps {
    ($k:ident < $end:expr => $body:expr) => {
        unrolled_steps!(@ $k, $end, $body, 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
    };
    (@ $k:ident, $end:expr, $body:expr, $($i:literal)*) => {
        $(
            if $i < $end {
                let $k: usize = $i;
                $body;
            }
        )*
    };
}

pub(super) use {by_size, unrolled_steps};
