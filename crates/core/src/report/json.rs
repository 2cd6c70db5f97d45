//! The JSON report: the [`Report`] as `docs/report.schema.json` describes it.

use super::Report;

/// Pretty-printed, keys in the order of the types, ending with a newline.
pub fn render(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(report).expect("a report serializes");
    out.push('\n');
    out
}
