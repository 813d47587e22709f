//! `outcomes.csv`: one row per (method, intervention, node) with the node outcome fields. The
//! ode and fcm methods add each node's final level (empty for press) and rows for their
//! baseline run, whose intervention is [`BASELINE`] and whose change fields are empty. The last
//! two columns are the loop-analysis prediction from the signs alone (`loop_direction`: `up`,
//! `down` or `unchanged`, words because a cell starting with `+` or `-` reads as a formula;
//! `loop_weighted`: its weighted prediction, sign-determinate at 0.5 or more), empty where none
//! was computed, so the analytic and the Monte Carlo answers sit side by side.

use crate::analysis::RunReport;
use crate::analysis::loop_analysis::LoopPrediction;

/// The intervention column of baseline rows (parenthesised so it cannot read as a name).
pub const BASELINE: &str = "(baseline)";

/// Columns of a change: its three probabilities, their intervals, mean and quantiles.
const CHANGE_COLUMNS: usize = 13;

const HEADER: [&str; 22] = [
    "method",
    "intervention",
    "node",
    "p_up",
    "p_down",
    "p_zero",
    "p_up_lo",
    "p_up_hi",
    "p_down_lo",
    "p_down_hi",
    "p_zero_lo",
    "p_zero_hi",
    "mean",
    "median",
    "q05",
    "q95",
    "level_mean",
    "level_median",
    "level_q05",
    "level_q95",
    "loop_direction",
    "loop_weighted",
];

/// The outcomes of every report as CSV text.
pub fn outcomes_csv(reports: &[RunReport]) -> String {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(HEADER);
    for report in reports {
        for intervention in &report.interventions {
            for n in &intervention.nodes {
                let numbers: [f64; CHANGE_COLUMNS] = [
                    n.p_up,
                    n.p_down,
                    n.p_zero,
                    n.p_up_ci[0],
                    n.p_up_ci[1],
                    n.p_down_ci[0],
                    n.p_down_ci[1],
                    n.p_zero_ci[0],
                    n.p_zero_ci[1],
                    n.mean,
                    n.median,
                    n.q05,
                    n.q95,
                ];
                let levels = [n.level_mean, n.level_median, n.level_q05, n.level_q95];
                let mut record = vec![
                    report.method.clone(),
                    intervention.name.clone(),
                    n.node.clone(),
                ];
                record.extend(numbers.iter().map(|v| format_number(*v)));
                record.extend(
                    levels
                        .iter()
                        .map(|v| v.map_or(String::new(), format_number)),
                );
                record.extend(loop_cells(n.loop_prediction.as_ref()));
                let _ = write_safe(&mut writer, &record);
            }
        }
        for n in report.baseline.iter().flat_map(|b| &b.nodes) {
            let mut record = vec![report.method.clone(), BASELINE.to_string(), n.node.clone()];
            record.extend(std::iter::repeat_n(String::new(), CHANGE_COLUMNS));
            let levels = [n.level_mean, n.level_median, n.level_q05, n.level_q95];
            record.extend(levels.iter().map(|v| format_number(*v)));
            record.extend(loop_cells(None));
            let _ = write_safe(&mut writer, &record);
        }
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The loop-analysis cells of a row: empty when no prediction was computed.
fn loop_cells(prediction: Option<&LoopPrediction>) -> [String; 2] {
    match prediction.filter(|p| p.not_computed.is_none()) {
        Some(p) => [
            match p.sign.as_str() {
                "+" => "up",
                "-" => "down",
                "0" => "unchanged",
                other => other,
            }
            .to_string(),
            p.weighted.map_or(String::new(), format_number),
        ],
        None => [String::new(), String::new()],
    }
}

/// A text cell as spreadsheet programs may show it safely: one that starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return would be read as a formula (`=HYPERLINK(...)` in a node
/// name), so it gets a leading `'`, as OWASP advises. Numbers such as `-0.5` are left alone.
pub fn safe_cell(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && text.trim().parse::<f64>().is_err() {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// Writes one record with every cell made safe by [`safe_cell`].
pub fn write_safe<W: std::io::Write, I, S>(
    writer: &mut ::csv::Writer<W>,
    record: I,
) -> Result<(), ::csv::Error>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let cells: Vec<String> = record
        .into_iter()
        .map(|cell| safe_cell(cell.as_ref()).into_owned())
        .collect();
    writer.write_record(&cells)
}

/// Shortest text that reads back as the same number; empty for NaN.
fn format_number(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        v.to_string()
    }
}

/// Writes raw samples as CSV (`--samples-out`): a `sample` number, then one column per
/// intervention and node. The first write error is kept and reported by [`SamplesCsv::finish`].
pub struct SamplesCsv<W: std::io::Write> {
    writer: ::csv::Writer<W>,
    width: usize,
    written: u64,
    error: Option<::csv::Error>,
    /// One field's text, reused so that a row allocates nothing.
    field: String,
}

impl<W: std::io::Write> SamplesCsv<W> {
    pub fn new(inner: W) -> Self {
        SamplesCsv {
            writer: ::csv::Writer::from_writer(inner),
            width: 0,
            written: 0,
            error: None,
            field: String::new(),
        }
    }

    /// Flushes and returns the writer, or the first error met.
    pub fn finish(mut self) -> Result<W, ::csv::Error> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.writer.flush()?;
        self.writer
            .into_inner()
            .map_err(|e| ::csv::Error::from(e.into_error()))
    }

    /// One row: the sample number, then the values as [`format_number`] writes them, each
    /// formatted into the reused field buffer.
    fn write_row(&mut self, row: &[f64]) -> Result<(), ::csv::Error> {
        use std::fmt::Write;
        self.field.clear();
        // Writing into a String cannot fail.
        let _ = write!(self.field, "{}", self.written);
        self.writer.write_field(&self.field)?;
        for &v in row {
            self.field.clear();
            if !v.is_nan() {
                let _ = write!(self.field, "{v}");
            }
            self.writer.write_field(&self.field)?;
        }
        // An empty record ends the row the fields above started.
        self.writer.write_record(None::<&[u8]>)
    }

    fn keep_error(&mut self, result: Result<(), ::csv::Error>) {
        if let (Err(e), None) = (result, &self.error) {
            self.error = Some(e);
        }
    }
}

impl<W: std::io::Write> crate::sample::SampleSink for SamplesCsv<W> {
    fn columns(&mut self, _method: &str, names: &[String]) {
        self.width = names.len();
        let header = std::iter::once("sample").chain(names.iter().map(String::as_str));
        let result = write_safe(&mut self.writer, header);
        self.keep_error(result);
    }

    fn rows(&mut self, values: &[f64]) {
        for row in values.chunks(self.width.max(1)) {
            self.written += 1;
            let result = self.write_row(row);
            self.keep_error(result);
        }
    }
}
