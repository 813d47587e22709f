//! An explicit Runge–Kutta integrator with error control: the Dormand–Prince 5(4) pair
//! (Dormand & Prince 1980) with local extrapolation, first-same-as-last stages, and Shampine's
//! (1986) quartic dense output for values between steps.
//!
//! It is written for the ode method's small, smooth systems: the state lives in caller-owned
//! buffers allocated once per worker, so a step allocates nothing. Every component's local error
//! is kept below `absolute + relative * |y|` (max norm, stricter than the usual RMS norm, so no
//! node can hide its error behind the others). Every integration is capped: a budget of steps
//! shared by the caller, and a floor on the step size, turn a pathological system into an error
//! instead of a hang.

/// The right-hand side `dy/dt = f(t, y)` of a system; `&mut self` lets it keep scratch space.
pub trait System {
    fn derivative(&mut self, t: f64, y: &[f64], dy: &mut [f64]);
}

/// Local error tolerances.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    pub relative: f64,
    pub absolute: f64,
}

/// Why an integration stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The step budget ran out before the end time.
    TooManySteps,
    /// The step size fell below what double precision can resolve at this time.
    StepTooSmall,
    /// The state or its derivative stopped being finite.
    NotFinite,
}

/// Butcher tableau of Dormand–Prince 5(4).
const C: [f64; 7] = [0.0, 1.0 / 5.0, 3.0 / 10.0, 4.0 / 5.0, 8.0 / 9.0, 1.0, 1.0];
const A2: [f64; 1] = [1.0 / 5.0];
const A3: [f64; 2] = [3.0 / 40.0, 9.0 / 40.0];
const A4: [f64; 3] = [44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0];
const A5: [f64; 4] = [
    19372.0 / 6561.0,
    -25360.0 / 2187.0,
    64448.0 / 6561.0,
    -212.0 / 729.0,
];
const A6: [f64; 5] = [
    9017.0 / 3168.0,
    -355.0 / 33.0,
    46732.0 / 5247.0,
    49.0 / 176.0,
    -5103.0 / 18656.0,
];
/// Fifth-order weights (stage 2 has weight 0; stage 7 is the FSAL stage).
const B: [f64; 6] = [
    35.0 / 384.0,
    0.0,
    500.0 / 1113.0,
    125.0 / 192.0,
    -2187.0 / 6784.0,
    11.0 / 84.0,
];
/// Fifth- minus fourth-order weights, over all seven stages: the local error estimate.
const E: [f64; 7] = [
    -71.0 / 57600.0,
    0.0,
    71.0 / 16695.0,
    -71.0 / 1920.0,
    17253.0 / 339200.0,
    -22.0 / 525.0,
    1.0 / 40.0,
];
/// Shampine's dense output: `y(t + x h) = y + h sum_s k_s sum_j P[s][j] x^(j+1)`; at `x = 1`
/// the rows sum to the weights `B` (checked in the tests).
const P: [[f64; 4]; 7] = [
    [
        1.0,
        -8048581381.0 / 2820520608.0,
        8663915743.0 / 2820520608.0,
        -12715105075.0 / 11282082432.0,
    ],
    [0.0, 0.0, 0.0, 0.0],
    [
        0.0,
        131558114200.0 / 32700410799.0,
        -68118460800.0 / 10900136933.0,
        87487479700.0 / 32700410799.0,
    ],
    [
        0.0,
        -1754552775.0 / 470086768.0,
        14199869525.0 / 1410260304.0,
        -10690763975.0 / 1880347072.0,
    ],
    [
        0.0,
        127303824393.0 / 49829197408.0,
        -318862633887.0 / 49829197408.0,
        701980252875.0 / 199316789632.0,
    ],
    [
        0.0,
        -282668133.0 / 205662961.0,
        2019193451.0 / 616988883.0,
        -1453857185.0 / 822651844.0,
    ],
    [
        0.0,
        40617522.0 / 29380423.0,
        -110615467.0 / 29380423.0,
        69997945.0 / 29380423.0,
    ],
];

/// What to integrate: from `from` to `to`, reporting the state at `outputs`.
#[derive(Debug, Clone, Copy)]
pub struct Span<'a> {
    pub from: f64,
    pub to: f64,
    /// Times (ascending, within `(from, to]`) at which to report the state.
    pub outputs: &'a [f64],
    /// Stop early once every `|dy/dt|` is at most this rate: the system is at rest.
    pub rest: Option<f64>,
    pub tolerance: Tolerance,
}

/// Step-size controller: safety factor and bounds on the change per step.
const SAFETY: f64 = 0.9;
const MAX_GROWTH: f64 = 10.0;
const MIN_SHRINK: f64 = 0.2;

/// Scratch space for one worker: seven stage derivatives and two states.
#[derive(Debug, Clone)]
pub struct Dopri {
    k: [Vec<f64>; 7],
    stage: Vec<f64>,
    y_new: Vec<f64>,
    dense: Vec<f64>,
    /// The tolerance of the current integration.
    tolerance: Tolerance,
}

impl Dopri {
    /// An integrator for systems of `n` equations.
    pub fn new(n: usize) -> Self {
        Dopri {
            k: std::array::from_fn(|_| vec![0.0; n]),
            stage: vec![0.0; n],
            y_new: vec![0.0; n],
            dense: vec![0.0; n],
            tolerance: Tolerance {
                relative: 0.0,
                absolute: 0.0,
            },
        }
    }

    /// `f(t1, y(t1))` after the last [`integrate`](Self::integrate): how far the end state is
    /// from rest.
    pub fn last_derivative(&self) -> &[f64] {
        &self.k[0]
    }

    /// Integrates `y` in place over `span`. Calls `output(index, state)` for every time of
    /// `span.outputs`; the state at `span.to` itself is exact, the others come from the dense
    /// output. Every accepted or rejected step costs one unit of `budget`. Returns the time
    /// reached: `span.to`, or earlier when the system came to rest.
    pub fn integrate<S: System>(
        &mut self,
        system: &mut S,
        span: Span,
        y: &mut [f64],
        output: &mut impl FnMut(usize, &[f64]),
        budget: &mut u32,
    ) -> Result<f64, Failure> {
        let Span {
            from: t0,
            to: t1,
            outputs,
            rest,
            tolerance,
        } = span;
        self.tolerance = tolerance;
        system.derivative(t0, y, &mut self.k[0]);
        if !all_finite(&self.k[0]) {
            return Err(Failure::NotFinite);
        }
        let mut t = t0;
        let mut next_output = 0;
        let mut h = self.initial_step(system, t0, t1, y);
        let mut rejected = false;
        while t < t1 {
            if rest.is_some_and(|rate| max_norm(self.k[0].iter().copied()) <= rate) {
                // At rest: the state no longer moves, so it is every remaining output.
                for index in next_output..outputs.len() {
                    output(index, y);
                }
                return Ok(t);
            }
            if *budget == 0 {
                return Err(Failure::TooManySteps);
            }
            *budget -= 1;
            let last = t + h >= t1 || t1 - (t + h) < 1e-12 * t1.abs().max(1.0);
            if last {
                h = t1 - t;
            }
            if h <= f64::EPSILON * 16.0 * t.abs().max(1.0) {
                return Err(Failure::StepTooSmall);
            }
            let error = self.step(system, t, h, y);
            if !error.is_finite() {
                rejected = true;
                h *= MIN_SHRINK;
                continue;
            }
            if error > 1.0 {
                rejected = true;
                h *= (SAFETY * error.powf(-0.2)).max(MIN_SHRINK);
                continue;
            }
            let t_new = if last { t1 } else { t + h };
            while next_output < outputs.len() && outputs[next_output] <= t_new {
                let state = self.dense_state(y, t, h, outputs[next_output], t_new);
                output(next_output, state);
                next_output += 1;
            }
            y.copy_from_slice(&self.y_new);
            // First same as last: the derivative at the new state is stage 7.
            self.k.swap(0, 6);
            t = t_new;
            let growth = if error == 0.0 {
                MAX_GROWTH
            } else {
                (SAFETY * error.powf(-0.2)).min(MAX_GROWTH)
            };
            h *= if rejected { growth.min(1.0) } else { growth };
            rejected = false;
        }
        Ok(t1)
    }

    /// One trial step from `(t, y)` of size `h`: fills the stages and `y_new`, returns the error
    /// norm (below 1 to accept).
    fn step<S: System>(&mut self, system: &mut S, t: f64, h: f64, y: &[f64]) -> f64 {
        self.stage_derivative(system, t, h, y, &A2);
        self.stage_derivative(system, t, h, y, &A3);
        self.stage_derivative(system, t, h, y, &A4);
        self.stage_derivative(system, t, h, y, &A5);
        self.stage_derivative(system, t, h, y, &A6);
        // Stage 2 has weight 0 in both the solution and the error estimate.
        let [k0, _, k2, k3, k4, k5, k6] = &mut self.k;
        let factors = [B[0], B[2], B[3], B[4], B[5]].map(|b| h * b);
        weighted_sum(
            &mut self.y_new,
            y,
            factors,
            [&k0[..], &k2[..], &k3[..], &k4[..], &k5[..]],
        );
        system.derivative(t + h, &self.y_new, k6);
        // The error estimate h sum_s E_s k_s, component by component.
        let factors = [E[0], E[2], E[3], E[4], E[5], E[6]].map(|e| h * e);
        let k = [&k0[..], &k2[..], &k3[..], &k4[..], &k5[..], &k6[..]];
        let tol = self.tolerance;
        let n = y.len();
        let (y_new, k) = (&self.y_new[..n], k.map(|k| &k[..n]));
        let mut worst = 0.0f64;
        for i in 0..n {
            let mut e = 0.0;
            for (factor, k) in factors.iter().zip(&k) {
                e += factor * k[i];
            }
            let scale = tol.absolute + tol.relative * y[i].abs().max(y_new[i].abs());
            let ratio = (e / scale).abs();
            // NaN must reject the step, and f64::max would drop it.
            worst = if ratio.is_nan() {
                f64::NAN
            } else {
                worst.max(ratio)
            };
        }
        worst
    }

    /// Stage `s = J`: `k_s = f(t + c_s h, y + h sum_j a_j k_j)` for the `J` weights `a`.
    fn stage_derivative<S: System, const J: usize>(
        &mut self,
        system: &mut S,
        t: f64,
        h: f64,
        y: &[f64],
        a: &[f64; J],
    ) {
        let (done, rest) = self.k.split_at_mut(J);
        let k: [&[f64]; J] = std::array::from_fn(|j| done[j].as_slice());
        weighted_sum(&mut self.stage, y, a.map(|a| h * a), k);
        system.derivative(t + C[J] * h, &self.stage, &mut rest[0]);
    }

    /// The state at `time` within the accepted step `[t, t + h]` (exact at its end).
    fn dense_state(&mut self, y: &[f64], t: f64, h: f64, time: f64, t_end: f64) -> &[f64] {
        if time >= t_end {
            return &self.y_new;
        }
        let x = ((time - t) / h).clamp(0.0, 1.0);
        if x == 0.0 {
            self.dense.copy_from_slice(y);
            return &self.dense;
        }
        // Stage 2 has weight 0 at every x.
        let factors = [0, 2, 3, 4, 5, 6].map(|s| {
            let p = &P[s];
            h * (x * (p[0] + x * (p[1] + x * (p[2] + x * p[3]))))
        });
        let [k0, _, k2, k3, k4, k5, k6] = &self.k;
        let k = [&k0[..], &k2[..], &k3[..], &k4[..], &k5[..], &k6[..]];
        weighted_sum(&mut self.dense, y, factors, k);
        &self.dense
    }

    /// Hairer, Nørsett & Wanner's starting step: from the sizes of `y`, `f` and an estimate of
    /// the second derivative, so the first step is neither wasted nor rejected. Uses `stage`
    /// and `k[1]` as scratch.
    fn initial_step<S: System>(&mut self, system: &mut S, t0: f64, t1: f64, y: &[f64]) -> f64 {
        let span = t1 - t0;
        let tol = self.tolerance;
        let scale = |v: f64| tol.absolute + tol.relative * v.abs();
        let d0 = max_norm(y.iter().map(|&v| v / scale(v)));
        let d1 = max_norm(y.iter().zip(&self.k[0]).map(|(&v, &f)| f / scale(v)));
        let h0 = if d0 < 1e-5 || d1 < 1e-5 {
            1e-6 * span
        } else {
            0.01 * d0 / d1
        }
        .min(span);
        for ((s, &v), &f) in self.stage.iter_mut().zip(y).zip(&self.k[0]) {
            *s = v + h0 * f;
        }
        let (first, rest) = self.k.split_at_mut(1);
        system.derivative(t0 + h0, &self.stage, &mut rest[0]);
        let d2 = max_norm(
            y.iter()
                .zip(&first[0])
                .zip(&rest[0])
                .map(|((&v, &f0), &f1)| (f1 - f0) / scale(v)),
        ) / h0;
        let h1 = if d1.max(d2) <= 1e-15 {
            (h0 * 1e-3).max(1e-6 * span)
        } else {
            (0.01 / d1.max(d2)).powf(0.2)
        };
        let h = (100.0 * h0).min(h1).min(span);
        if h.is_finite() && h > 0.0 { h } else { span }
    }
}

/// `out = y + sum_j factors[j] k[j]`, in one pass over the components (one pass per stage cost
/// a reload of `out` per stage); each sum runs `y` first, then the terms in stage order, as the
/// per-stage passes did, so the results are the same to the bit.
fn weighted_sum<const J: usize>(out: &mut [f64], y: &[f64], factors: [f64; J], k: [&[f64]; J]) {
    let n = out.len();
    let (y, k) = (&y[..n], k.map(|k| &k[..n]));
    for (i, out) in out.iter_mut().enumerate() {
        let mut sum = y[i];
        for (factor, k) in factors.iter().zip(&k) {
            sum += factor * k[i];
        }
        *out = sum;
    }
}

fn max_norm(values: impl Iterator<Item = f64>) -> f64 {
    values.fold(0.0, |m, v| m.max(v.abs()))
}

fn all_finite(values: &[f64]) -> bool {
    values.iter().all(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// dy/dt = -k y (one component per rate), exact y0 e^(-k t).
    struct Decay(Vec<f64>);

    impl System for Decay {
        fn derivative(&mut self, _t: f64, y: &[f64], dy: &mut [f64]) {
            for ((d, &v), &k) in dy.iter_mut().zip(y).zip(&self.0) {
                *d = -k * v;
            }
        }
    }

    /// The harmonic oscillator y'' = -y: exact (cos t, -sin t) from (1, 0).
    struct Oscillator;

    impl System for Oscillator {
        fn derivative(&mut self, _t: f64, y: &[f64], dy: &mut [f64]) {
            dy[0] = y[1];
            dy[1] = -y[0];
        }
    }

    const TIGHT: Tolerance = Tolerance {
        relative: 1e-9,
        absolute: 1e-12,
    };

    /// `weighted_sum` must give exactly what one pass per stage term gave (`out = y`, then
    /// `out += factor * k` stage by stage), so that it changed no result.
    #[test]
    fn one_pass_sums_equal_the_per_stage_passes_to_the_bit() {
        // Values of many magnitudes and both signs, where a different summation order rounds
        // differently.
        let value = |i: usize, j: usize| {
            let x = ((i * 7 + j * 13) % 17) as f64 - 8.0;
            x * 10f64.powi((i + 3 * j) as i32 % 9 - 4) / 3.0
        };
        let n = 23;
        let y: Vec<f64> = (0..n).map(|i| value(i, 5)).collect();
        let k: Vec<Vec<f64>> = (0..6)
            .map(|j| (0..n).map(|i| value(i, j)).collect())
            .collect();
        let factors = [0.3, -1.7e-3, 2.9, 1.0 / 3.0, -0.123, 7.7e2];
        let mut per_stage = y.clone();
        for (k, &factor) in k.iter().zip(&factors) {
            for (o, &v) in per_stage.iter_mut().zip(k) {
                *o += factor * v;
            }
        }
        let mut fused = vec![0.0; n];
        let stages = std::array::from_fn(|j| k[j].as_slice());
        weighted_sum(&mut fused, &y, factors, stages);
        for (i, (a, b)) in fused.iter().zip(&per_stage).enumerate() {
            assert_eq!(a.to_bits(), b.to_bits(), "component {i}: {a:e} vs {b:e}");
        }
    }

    #[test]
    fn dense_output_weights_reach_the_step_weights_at_the_end() {
        for (s, row) in P.iter().enumerate() {
            let at_one: f64 = row.iter().sum();
            let b = if s < 6 { B[s] } else { 0.0 };
            assert!((at_one - b).abs() < 1e-15, "stage {s}: {at_one} vs {b}");
        }
        // The fifth-order weights are consistent: they sum to 1.
        assert!((B.iter().sum::<f64>() - 1.0).abs() < 1e-15);
        assert!(E.iter().sum::<f64>().abs() < 1e-15);
    }

    /// A span with no early stop.
    fn span(from: f64, to: f64, outputs: &[f64]) -> Span<'_> {
        Span {
            from,
            to,
            outputs,
            rest: None,
            tolerance: TIGHT,
        }
    }

    #[test]
    fn decay_matches_the_closed_form_at_every_output() {
        let rates = [1.0, 0.3, 2.5];
        let start = [1.0, 2.0, 0.5];
        let mut solver = Dopri::new(3);
        let mut y = start.to_vec();
        let outputs: Vec<f64> = (1..=30).map(|i| f64::from(i) * 0.5).collect();
        let mut worst = 0.0f64;
        let mut seen = 0;
        let mut budget = 10_000;
        let reached = solver
            .integrate(
                &mut Decay(rates.to_vec()),
                span(0.0, 15.0, &outputs),
                &mut y,
                &mut |i, state| {
                    seen += 1;
                    let t = outputs[i];
                    for (k, &v) in state.iter().enumerate() {
                        let exact = start[k] * (-rates[k] * t).exp();
                        worst = worst.max((v - exact).abs());
                        assert!(
                            (v - exact).abs() < 1e-8,
                            "t {t} component {k}: {v} vs {exact}"
                        );
                    }
                },
                &mut budget,
            )
            .unwrap();
        assert_eq!(reached, 15.0);
        assert_eq!(seen, 30);
        assert!((y[0] - (-15.0f64).exp()).abs() < 1e-12);
        assert!(worst > 0.0, "dense output is interpolated, not copied");
    }

    #[test]
    fn oscillator_keeps_its_phase_over_many_periods() {
        let mut solver = Dopri::new(2);
        let mut y = vec![1.0, 0.0];
        let mut budget = 100_000;
        let end = 20.0 * std::f64::consts::PI;
        solver
            .integrate(
                &mut Oscillator,
                span(0.0, end, &[]),
                &mut y,
                &mut |_, _| {},
                &mut budget,
            )
            .unwrap();
        assert!((y[0] - 1.0).abs() < 1e-7 && y[1].abs() < 1e-7, "{y:?}");
        // Dense output in the middle of the run.
        let mut y = vec![1.0, 0.0];
        let mut at = [0.0; 2];
        solver
            .integrate(
                &mut Oscillator,
                span(0.0, 10.0, &[3.3]),
                &mut y,
                &mut |_, s| at.copy_from_slice(s),
                &mut budget,
            )
            .unwrap();
        assert!((at[0] - 3.3f64.cos()).abs() < 1e-8, "{at:?}");
        assert!((at[1] + 3.3f64.sin()).abs() < 1e-8, "{at:?}");
    }

    #[test]
    fn stops_at_rest_and_holds_the_state_for_the_remaining_outputs() {
        let mut solver = Dopri::new(1);
        let mut y = vec![1.0];
        let mut budget = 10_000;
        let outputs = [1.0, 50.0, 100.0];
        let mut seen = Vec::new();
        let reached = solver
            .integrate(
                &mut Decay(vec![1.0]),
                Span {
                    from: 0.0,
                    to: 100.0,
                    outputs: &outputs,
                    rest: Some(1e-10),
                    tolerance: TIGHT,
                },
                &mut y,
                &mut |i, s| seen.push((i, s[0])),
                &mut budget,
            )
            .unwrap();
        // |dy/dt| = y falls below 1e-10 at t = ln(1e10) = 23.03.
        assert!(reached > 23.0 && reached < 40.0, "{reached}");
        assert!(y[0] <= 1e-10);
        assert_eq!(seen.len(), 3);
        assert!((seen[0].1 - (-1.0f64).exp()).abs() < 1e-9);
        assert_eq!(seen[1].1, y[0]);
        assert_eq!(seen[2].1, y[0]);
        // Already at rest: no step at all.
        let before = budget;
        let mut still = vec![0.0];
        let reached = solver
            .integrate(
                &mut Decay(vec![1.0]),
                Span {
                    from: 0.0,
                    to: 100.0,
                    outputs: &[],
                    rest: Some(1e-10),
                    tolerance: TIGHT,
                },
                &mut still,
                &mut |_, _| {},
                &mut budget,
            )
            .unwrap();
        assert_eq!((reached, budget), (0.0, before));
    }

    #[test]
    fn a_step_budget_stops_a_long_run() {
        let mut solver = Dopri::new(2);
        let mut y = vec![1.0, 0.0];
        let mut budget = 50;
        let result = solver.integrate(
            &mut Oscillator,
            span(0.0, 1e6, &[]),
            &mut y,
            &mut |_, _| {},
            &mut budget,
        );
        assert_eq!(result, Err(Failure::TooManySteps));
    }

    /// dy/dt = y^2 from 1 blows up at t = 1.
    struct BlowUp;

    impl System for BlowUp {
        fn derivative(&mut self, _t: f64, y: &[f64], dy: &mut [f64]) {
            dy[0] = y[0] * y[0];
        }
    }

    #[test]
    fn a_blow_up_is_an_error_not_a_hang() {
        let mut solver = Dopri::new(1);
        let mut y = vec![1.0];
        let mut budget = 100_000;
        let result = solver.integrate(
            &mut BlowUp,
            span(0.0, 2.0, &[]),
            &mut y,
            &mut |_, _| {},
            &mut budget,
        );
        assert!(result.is_err(), "{result:?} {y:?}");
        assert!(budget > 0, "stopped before the budget: {result:?}");
    }
}
