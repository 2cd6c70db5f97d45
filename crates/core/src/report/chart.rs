//! Charts as inline SVG, for the HTML and PDF reports.

use super::GateCount;

/// A horizontal bar chart of how many models wait at each gate (and past every gate): one
/// `<svg>` element with its own size, fonts and colours, no script and no outside reference.
pub fn models_by_gate(counts: &[GateCount]) -> String {
    let _ = counts;
    todo!("report::chart::models_by_gate")
}
