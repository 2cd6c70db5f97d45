//! The size on disk of the release binary, stripped, and of the .deb if one was built.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::Result;

use super::webkit::webkit_packages;

/// Sizes on disk.
pub struct Sizes {
    pub binary: u64,
    pub stripped: Option<u64>,
    /// (file name, bytes, built before the binary measured here)
    pub deb: Option<(String, u64, bool)>,
    /// (package list with versions, installed size in bytes): the system's WebKitGTK, which
    /// the app uses and does not ship.
    pub webkit: Option<(String, u64)>,
}

pub fn sizes(app: &Path, scratch: &Path) -> Result<Sizes> {
    let meta = std::fs::metadata(app)?;
    let stripped_path = scratch.join("gatehouse-app.stripped");
    let stripped = Command::new("strip")
        .arg("-o")
        .arg(&stripped_path)
        .arg(app)
        .stderr(Stdio::null())
        .status()
        .ok()
        .filter(|s| s.success())
        .and_then(|_| std::fs::metadata(&stripped_path).ok())
        .map(|m| m.len());
    let mut deb: Option<(String, u64, bool)> = None;
    let mut newest = None;
    if let Some(dir) = app.parent().map(|d| d.join("bundle/deb")) {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "deb") {
                    let m = e.metadata()?;
                    let modified = m.modified()?;
                    if newest.is_none_or(|t| modified > t) {
                        newest = Some(modified);
                        let older = modified < meta.modified()?;
                        deb = Some((e.file_name().to_string_lossy().into_owned(), m.len(), older));
                    }
                }
            }
        }
    }
    Ok(Sizes { binary: meta.len(), stripped, deb, webkit: webkit_packages() })
}
