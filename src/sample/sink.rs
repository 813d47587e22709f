//! Where raw samples go as they are produced (`--samples-out`), for writers that want every
//! accepted draw rather than its summary.

/// Receives raw samples as they are produced, in draw order.
pub trait SampleSink {
    /// Called once with the column names (`intervention::node`).
    fn columns(&mut self, method: &str, names: &[String]);
    /// Called with consecutive rows, `names.len()` values each.
    fn rows(&mut self, values: &[f64]);
}
