//! JSON output: a single run as the object of the output contract, several methods as an
//! object with a `runs` list. Field order follows the structs, so diffs stay readable.

use crate::analysis::RunReport;
use serde::Serialize;

#[derive(Serialize)]
struct Runs<'a> {
    runs: &'a [RunReport],
}

/// One report as pretty JSON; several (method all) as `{"runs": [...]}`.
pub fn to_json(reports: &[RunReport]) -> String {
    let result = match reports {
        [one] => serde_json::to_string_pretty(one),
        many => serde_json::to_string_pretty(&Runs { runs: many }),
    };
    // Serialising plain structs of numbers and strings cannot fail.
    let mut text = result.unwrap_or_default();
    text.push('\n');
    text
}
