//! An audit bundle: a folder with the report in every format, every evidence file the report
//! cites (as the report's commit holds it), and `SHA256SUMS`, a manifest `sha256sum -c` reads.

use std::path::Path;

use super::{Format, Report};
use crate::error::Result;
use crate::repo::Governance;

/// The manifest's file name.
pub const MANIFEST: &str = "SHA256SUMS";

/// Writes the bundle of `report` into `dir` (which must not exist or be empty): `rendered` holds
/// the report's bytes in each format.
pub fn write(gov: &Governance, report: &Report, rendered: &[(Format, Vec<u8>)], dir: &Path) -> Result<()> {
    let _ = (gov, report, rendered, dir);
    todo!("report::bundle::write")
}
