//! The older checklist versions that a gate's counted approvals were made against
//! (`checklist_versions::ChecklistVersion`), as `gate_states.versions` keeps them: in
//! postcard's compact binary form, NULL when there are none. `status` of every model reads one
//! per gate, and parsing them as JSON from a table of their own was most of its time.

use crate::checklist_versions::ChecklistVersion;
use crate::error::Result;

/// The column's value for `versions`: NULL when there are none.
pub(super) fn encode(versions: &[ChecklistVersion]) -> Result<Option<Vec<u8>>> {
    if versions.is_empty() {
        return Ok(None);
    }
    Ok(Some(postcard::to_allocvec(versions).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?))
}

/// The versions a `gate_states.versions` value at `column` holds.
pub(super) fn decode(value: rusqlite::types::ValueRef, column: usize) -> rusqlite::Result<Vec<ChecklistVersion>> {
    match value.as_blob_or_null()? {
        None => Ok(Vec::new()),
        // The index wrote it; a value it cannot read back is a damaged cache.
        Some(bytes) => postcard::from_bytes(bytes)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Blob, Box::new(e))),
    }
}
