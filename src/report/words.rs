//! Claims in words, shared by the text, the HTML index and the claims chart: "apoptosis up,
//! anti-miR-9 + TMZ vs TMZ alone [A152, A153]".

use crate::analysis::ExpectationReport;

/// "apoptosis up, anti-miR-9 + TMZ vs TMZ alone [A152, A153]", marked when a what-if.
pub fn claim_text(node: &str, e: &ExpectationReport) -> String {
    let cite = if e.claims.is_empty() {
        String::new()
    } else {
        format!(" [{}]", e.claims.join(", "))
    };
    // A what-if is the author's question, not a seed's statement: say so on its row.
    let what_if = if e.what_if { " (what-if)" } else { "" };
    format!("{}{cite}{what_if}", claim_words(node, e))
}

/// The asserted change in words, without citations: "apoptosis up, anti-miR-9 + TMZ vs TMZ
/// alone".
pub fn claim_words(node: &str, e: &ExpectationReport) -> String {
    let change = change_word(&e.change);
    let against = e.versus.as_deref().unwrap_or("no intervention");
    format!("{node} {change}, {} vs {against}", e.intervention)
}

/// A claimed change as prose says it: "up", "down", or "unchanged" for `none`.
pub fn change_word(change: &str) -> &str {
    if change == "none" {
        "unchanged"
    } else {
        change
    }
}
