//! OSCAL 1.1 assessment results: one finding per checklist item, one observation per
//! sign-off, UUIDs derived from git object ids.

use super::Report;

pub fn render(report: &Report) -> String {
    let _ = report;
    todo!("report::oscal")
}
