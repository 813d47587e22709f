//! A run watched from another thread: how far it has got, and a flag that stops it.
//!
//! The server's page shows an ode run's progress and lets a student cancel it. The engine
//! reports accepted draws as its workers make them ([`Progress`]) and checks the flag before every draw,
//! so a cancelled run stops within one draw per worker thread. Watching never changes what a
//! run computes: a run that is not cancelled gives the same numbers, watched or not.

use super::Progress;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Progress and cancellation shared between a run and its watcher.
#[derive(Debug, Default)]
pub struct Watch {
    cancelled: AtomicBool,
    /// Sampling passes planned (a method's run, its held-out variants, its run without the
    /// evidence rules; see `pipeline`), and how many have started.
    passes: AtomicU64,
    pass: AtomicU64,
    /// Accepted draws and the target of the pass under way.
    accepted: AtomicU64,
    samples: AtomicU64,
}

/// A snapshot of a watched run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Snapshot {
    /// The pass under way, from 1 (0 before the first starts).
    pub pass: u64,
    /// Passes planned; a pass that stops early (held-out variants that never settle) leaves
    /// the count as it was, so the last pass may come sooner.
    pub passes: u64,
    /// Draws accepted so far in this pass, and the samples it needs.
    pub accepted: u64,
    pub samples: u64,
}

impl Snapshot {
    /// The share of the whole run done, from 0 to 1.
    pub fn fraction(&self) -> f64 {
        if self.passes == 0 || self.samples == 0 {
            return 0.0;
        }
        let within = self.accepted.min(self.samples) as f64 / self.samples as f64;
        ((self.pass.saturating_sub(1) as f64 + within) / self.passes as f64).min(1.0)
    }
}

impl Watch {
    /// Asks the run to stop; it ends with an error saying it was cancelled.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            pass: self.pass.load(Ordering::Relaxed),
            passes: self.passes.load(Ordering::Relaxed),
            accepted: self.accepted.load(Ordering::Relaxed),
            samples: self.samples.load(Ordering::Relaxed),
        }
    }
}

impl Progress for Watch {
    fn plan_passes(&self, passes: u64) {
        self.passes.fetch_add(passes, Ordering::Relaxed);
    }

    /// A new pass wanting `samples` accepted draws begins.
    fn begin(&self, _what: &str, samples: u64) {
        self.accepted.store(0, Ordering::Relaxed);
        self.samples.store(samples, Ordering::Relaxed);
        let pass = self.pass.fetch_add(1, Ordering::Relaxed) + 1;
        // A caller that planned nothing (a plain engine run) still sees a sensible total.
        self.passes.fetch_max(pass, Ordering::Relaxed);
    }

    fn advance(&self, _draws: u64, accepted: u64) {
        self.accepted.fetch_add(accepted, Ordering::Relaxed);
    }

    fn cancelled(&self) -> bool {
        self.is_cancelled()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_counts_passes_and_samples() {
        let watch = Watch::default();
        watch.plan_passes(2);
        assert_eq!(watch.snapshot().fraction(), 0.0);
        watch.begin("press", 100);
        watch.advance(80, 50);
        assert_eq!(watch.snapshot().fraction(), 0.25);
        watch.begin("press, without evidence rules", 100);
        watch.advance(100, 100);
        assert_eq!(watch.snapshot().fraction(), 1.0);
        // An unplanned third pass raises the total rather than running past 1.
        watch.begin("fcm", 10);
        assert_eq!(watch.snapshot().passes, 3);
        assert!(watch.snapshot().fraction() <= 1.0);
    }
}
