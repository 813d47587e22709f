//! JSON output: a single run as the object of the output contract, several methods as an
//! object with a `runs` list and the methods' `agreement`. Field order follows the structs, so
//! diffs stay readable.

use crate::analysis::RunReport;
use crate::analysis::agreement::{Agreement, agreement};
use serde::Serialize;

#[derive(Serialize)]
struct Runs<'a> {
    runs: &'a [RunReport],
    #[serde(skip_serializing_if = "Option::is_none")]
    agreement: Option<Agreement>,
}

/// One report as pretty JSON; several (method all) as `{"runs": [...], "agreement": {...}}`.
pub fn to_json(reports: &[RunReport]) -> String {
    let result = match reports {
        [one] => serde_json::to_string_pretty(one),
        many => serde_json::to_string_pretty(&Runs {
            runs: many,
            agreement: agreement(many),
        }),
    };
    // Serialising plain structs of numbers and strings cannot fail.
    let mut text = result.unwrap_or_default();
    text.push('\n');
    text
}
