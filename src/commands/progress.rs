//! What a long `claimsim run` shows on a terminal while it samples: after a short first
//! measurement, an estimate of each pass's time (the draws it needs times the measured cost of
//! one draw), then a bar of accepted samples, both on standard error. Nothing at all when
//! standard error is not a terminal, so piped output and written files do not change.

use claimsim::sample::progress::{self, Estimate, Progress};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long a pass runs before it is estimated: enough draws for a fair cost per draw.
const MEASURE: Duration = Duration::from_millis(500);
/// A pass estimated to take less than this gets neither the estimate nor the bar.
const LONG: Duration = Duration::from_secs(5);

/// The watcher `run` passes to the pipeline when standard error is a terminal.
pub struct TerminalProgress {
    pass: Mutex<PassState>,
}

/// Where the current sampling pass stands.
struct PassState {
    what: String,
    samples: u64,
    started: Instant,
    draws: u64,
    accepted: u64,
    /// Set once the pass is judged long (bar shown) or short (nothing shown).
    decided: bool,
    bar: Option<ProgressBar>,
}

impl PassState {
    fn new(what: &str, samples: u64) -> PassState {
        PassState {
            what: what.to_string(),
            samples,
            started: Instant::now(),
            draws: 0,
            accepted: 0,
            decided: false,
            bar: None,
        }
    }

    /// After [`MEASURE`]: says what the pass will cost and shows the bar when it is long.
    fn decide(&mut self) {
        let elapsed = self.started.elapsed();
        if elapsed < MEASURE {
            return;
        }
        let estimate = progress::estimate(self.samples, self.draws, self.accepted, elapsed);
        let line = match estimate {
            Some(e) if e.total_seconds < LONG.as_secs_f64() => None,
            Some(e) => Some(self.estimate_line(&e)),
            // Nothing accepted yet: wait, and only say so once the wait is itself long.
            None if elapsed < LONG => return,
            None => Some(format!(
                "{}: no draw accepted in the first {} draws ({}); the run stops when the acceptance shows it cannot finish, or at max_draws",
                self.what,
                self.draws,
                duration_text(elapsed.as_secs_f64())
            )),
        };
        self.decided = true;
        if let Some(line) = line {
            eprintln!("{line}");
            self.bar = Some(bar(&self.what, self.samples));
        }
    }

    fn estimate_line(&self, e: &Estimate) -> String {
        format!(
            "{}: {} samples need about {} draws at {} each: about {} (measured on the first {} draws)",
            self.what,
            self.samples,
            e.draws_needed,
            duration_text(e.per_draw_seconds),
            duration_text(e.total_seconds),
            self.draws
        )
    }
}

impl TerminalProgress {
    /// A watcher when standard error is a terminal; `None` otherwise.
    pub fn on_terminal() -> Option<TerminalProgress> {
        std::io::stderr().is_terminal().then(|| TerminalProgress {
            pass: Mutex::new(PassState::new("", 0)),
        })
    }

    fn pass(&self) -> MutexGuard<'_, PassState> {
        // A worker that panicked holding the lock leaves a state still fit for a display.
        self.pass.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Progress for TerminalProgress {
    fn begin(&self, what: &str, samples: u64) {
        let mut pass = self.pass();
        if let Some(bar) = pass.bar.take() {
            bar.finish_and_clear();
        }
        *pass = PassState::new(what, samples);
    }

    fn advance(&self, draws: u64, accepted: u64) {
        let mut pass = self.pass();
        pass.draws += draws;
        pass.accepted += accepted;
        match &pass.bar {
            Some(bar) => bar.set_position(pass.accepted.min(pass.samples)),
            None if !pass.decided => pass.decide(),
            None => {}
        }
    }
}

impl Drop for TerminalProgress {
    /// The bar goes before the results are printed.
    fn drop(&mut self) {
        if let Some(bar) = self.pass().bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// A bar of accepted samples on standard error.
fn bar(what: &str, samples: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(samples), ProgressDrawTarget::stderr());
    let template = "{msg} {bar:40} {pos}/{len} samples {elapsed}, about {eta} left";
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar.set_message(what.to_string());
    bar
}

/// Seconds as a person reads them: "1.5 µs", "850 µs", "3.2 ms", "45 s", "2 min 10 s", "1 h 5 min".
fn duration_text(seconds: f64) -> String {
    match seconds {
        s if s < 1e-5 => format!("{:.1} µs", s * 1e6),
        s if s < 1e-3 => format!("{:.0} µs", s * 1e6),
        s if s < 1.0 => format!("{:.1} ms", s * 1e3),
        s if s < 60.0 => format!("{s:.0} s"),
        s if s < 3600.0 => format!("{} min {} s", (s / 60.0) as u64, (s % 60.0) as u64),
        s => format!(
            "{} h {} min",
            (s / 3600.0) as u64,
            ((s % 3600.0) / 60.0) as u64
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::duration_text;

    #[test]
    fn durations_read_in_the_unit_that_fits() {
        assert_eq!(duration_text(0.000_001_49), "1.5 µs");
        assert_eq!(duration_text(0.000_85), "850 µs");
        assert_eq!(duration_text(0.0032), "3.2 ms");
        assert_eq!(duration_text(45.2), "45 s");
        assert_eq!(duration_text(130.0), "2 min 10 s");
        assert_eq!(duration_text(3900.0), "1 h 5 min");
    }
}
