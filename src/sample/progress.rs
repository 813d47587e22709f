//! How a run tells a watcher how far it has got, without printing anything itself: the command
//! layer turns these calls into an estimate and a progress bar (`claimsim run` on a terminal).

/// Receives a run's progress, and may stop it. [`Progress::advance`] is called from worker
/// threads every [`PROGRESS_DRAWS`] draws and [`Progress::cancelled`] before every draw, so
/// implementations must be cheap and thread-safe. Every method does nothing by default.
/// Two watchers use it: `claimsim run`'s progress bar and the server's [`super::Watch`].
pub trait Progress: Sync {
    /// The run plans `passes` more sampling passes (a method's run, its held-out variants, its
    /// run without the evidence rules), so a watcher can tell the share of the whole run done.
    fn plan_passes(&self, passes: u64) {
        let _ = passes;
    }
    /// A sampling pass begins: `what` names it (the method, and which pass of the run), aiming
    /// at `samples` accepted draws.
    fn begin(&self, what: &str, samples: u64) {
        let _ = (what, samples);
    }
    /// `draws` more draws were evaluated, `accepted` of them accepted. Draws that the engine
    /// replays to stop exactly at the sample target are not reported again.
    fn advance(&self, draws: u64, accepted: u64) {
        let _ = (draws, accepted);
    }
    /// True once the watcher wants the run stopped: the run then ends with an error saying it
    /// was cancelled.
    fn cancelled(&self) -> bool {
        false
    }
}

/// No watcher: what every run without a terminal gets.
pub struct Quiet;

impl Progress for Quiet {}

/// Draws between two reports from a worker: rare enough to cost nothing next to a draw,
/// frequent enough for a smooth bar even at seconds per hundred draws.
pub const PROGRESS_DRAWS: u64 = 16;

/// The wall time a pass will take in all: the draws it needs (`samples` over the acceptance
/// measured so far) times the measured cost of one draw (`elapsed` over `draws`, all workers
/// together). `None` until a draw has been accepted.
pub fn estimate(
    samples: u64,
    draws: u64,
    accepted: u64,
    elapsed: std::time::Duration,
) -> Option<Estimate> {
    if accepted == 0 || draws == 0 {
        return None;
    }
    let acceptance = accepted as f64 / draws as f64;
    let draws_needed = (samples as f64 / acceptance).ceil();
    let per_draw = elapsed.as_secs_f64() / draws as f64;
    Some(Estimate {
        draws_needed: draws_needed as u64,
        per_draw_seconds: per_draw,
        total_seconds: draws_needed * per_draw,
    })
}

/// What [`estimate`] gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub draws_needed: u64,
    pub per_draw_seconds: f64,
    pub total_seconds: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;

    #[test]
    fn the_estimate_is_the_draws_needed_times_the_cost_of_one() {
        // 1,000 draws in 2 s with 250 accepted: 400 samples need 1,600 draws at 2 ms.
        let e = estimate(400, 1000, 250, Duration::from_secs(2)).unwrap();
        assert_eq!(e.draws_needed, 1600);
        assert!((e.per_draw_seconds - 0.002).abs() < 1e-12);
        assert!((e.total_seconds - 3.2).abs() < 1e-9);
    }

    /// A method that accepts every draw and sums one random number per draw.
    struct AcceptAll;

    impl crate::sample::Sampler for AcceptAll {
        type Workspace = ();
        type Summary = u64;
        fn workspace(&self) {}
        fn empty_summary(&self) -> u64 {
            0
        }
        fn draw(
            &self,
            rng: &mut rand::rngs::ChaCha8Rng,
            _: &mut (),
            sum: &mut u64,
        ) -> Result<(), crate::sample::Rejection> {
            *sum = sum.wrapping_add(rand::RngExt::random::<u64>(rng) >> 8);
            Ok(())
        }
        fn merge(&self, into: &mut u64, other: u64) {
            *into = into.wrapping_add(other);
        }
    }

    /// Counts what it hears.
    #[derive(Default)]
    struct Tally {
        calls: AtomicU64,
        draws: AtomicU64,
        accepted: AtomicU64,
    }

    impl Progress for Tally {
        fn advance(&self, draws: u64, accepted: u64) {
            self.calls.fetch_add(1, Ordering::Relaxed);
            self.draws.fetch_add(draws, Ordering::Relaxed);
            self.accepted.fetch_add(accepted, Ordering::Relaxed);
        }
    }

    #[test]
    fn the_engine_reports_every_draw_as_it_goes_and_the_results_do_not_change() {
        // Three whole blocks, all accepted: no block is replayed, so every draw is heard once.
        let draws = 3 * crate::sample::BLOCK_DRAWS;
        let tally = Tally::default();
        let watched =
            crate::sample::run_observed(&AcceptAll, draws, 7, draws, &mut |_| {}, &tally).unwrap();
        let plain = crate::sample::run(&AcceptAll, draws, 7, draws).unwrap();
        assert_eq!(watched.0, plain.0);
        assert_eq!(watched.1, plain.1);
        assert_eq!(tally.draws.load(Ordering::Relaxed), draws);
        assert_eq!(tally.accepted.load(Ordering::Relaxed), draws);
        // In small steps, not once per block.
        assert!(tally.calls.load(Ordering::Relaxed) >= draws / PROGRESS_DRAWS);
    }

    #[test]
    fn no_estimate_before_a_draw_is_accepted() {
        assert_eq!(estimate(10, 500, 0, Duration::from_secs(1)), None);
        assert_eq!(estimate(10, 0, 0, Duration::ZERO), None);
    }
}
