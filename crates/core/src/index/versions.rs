//! The `checklist_versions` table: per model and gate, the older checklist versions that
//! counted approvals were made against (`checklist_versions::ChecklistVersion`, as JSON), in
//! the order the views list them. Written beside each model's gate states, read by `status`.

use std::collections::HashMap;

use rusqlite::{params, Transaction};

use super::queries::ModelStatus;
use super::rows::json;
use super::Index;
use crate::checklist_versions::ChecklistVersion;
use crate::error::Result;

/// Replaces `model`'s rows with `versions`: (gate, its versions) for each gate that has any.
pub(super) fn write(tx: &Transaction, model: &str, versions: &[(String, Vec<ChecklistVersion>)]) -> Result<()> {
    tx.prepare_cached("DELETE FROM checklist_versions WHERE model = ?1")?.execute([model])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO checklist_versions(model, gate, n, checklist, approvals, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (gate, list) in versions {
        for (n, v) in list.iter().enumerate() {
            stmt.execute(params![model, gate, n as i64, v.checklist, v.approvals.len() as i64, json(v)])?;
        }
    }
    Ok(())
}

impl Index {
    /// Fills in each gate's `older_checklist` and `checklist_versions` (`only`: one model).
    pub(super) fn add_checklist_versions(&self, models: &mut [ModelStatus], only: Option<&str>) -> Result<()> {
        // One statement per case, as `Index::status` does, so that one model's rows are found
        // by the key rather than by scanning every model's.
        let mut stmt = self.conn.prepare_cached(match only {
            Some(_) => "SELECT model, gate, version FROM checklist_versions WHERE model = ?1 ORDER BY model, gate, n",
            None => "SELECT model, gate, version FROM checklist_versions ORDER BY model, gate, n",
        })?;
        let mut rows = stmt.query(rusqlite::params_from_iter(only))?;
        let mut found: HashMap<(String, String), Vec<ChecklistVersion>> = HashMap::new();
        while let Some(r) = rows.next()? {
            let text: String = r.get(2)?;
            // The index wrote it; a row it cannot read back is a damaged cache.
            let version: ChecklistVersion = serde_json::from_str(&text)
                .map_err(|e| rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e)))?;
            found.entry((r.get(0)?, r.get(1)?)).or_default().push(version);
        }
        if found.is_empty() {
            return Ok(());
        }
        for m in models.iter_mut() {
            for g in m.gates.iter_mut() {
                if let Some(versions) = found.remove(&(m.id.clone(), g.gate.clone())) {
                    g.older_checklist = versions.iter().map(|v| v.approvals.len() as u32).sum();
                    g.checklist_versions = versions;
                }
            }
        }
        Ok(())
    }
}
