//! The Markdown report.

use super::Report;

pub fn render(report: &Report) -> String {
    let _ = report;
    todo!("report::markdown")
}
