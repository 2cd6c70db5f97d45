//! Recently opened repositories, newest first, in `recent.json` in the app's data folder.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

const MAX: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct RecentRepo {
    pub path: String,
    /// The consortium's name when last opened.
    pub name: String,
    /// The member last chosen in it, if any.
    pub member: Option<String>,
}

pub struct Recent {
    file: PathBuf,
}

impl Recent {
    pub fn new(data_dir: &Path) -> Recent {
        Recent { file: data_dir.join("recent.json") }
    }

    /// The list; a missing or unreadable file is an empty list (it is only a convenience).
    pub fn list(&self) -> Vec<RecentRepo> {
        std::fs::read(&self.file).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    /// Puts `entry` first, replacing an older entry for the same path.
    pub fn remember(&self, entry: RecentRepo) -> Vec<RecentRepo> {
        let mut list = self.list();
        list.retain(|r| r.path != entry.path);
        list.insert(0, entry);
        list.truncate(MAX);
        self.save(&list);
        list
    }

    fn save(&self, list: &[RecentRepo]) {
        if let Some(dir) = self.file.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        // Written aside and renamed, so a crash never leaves half a file.
        let tmp = self.file.with_extension("json.tmp");
        if std::fs::write(&tmp, serde_json::to_vec_pretty(list).unwrap_or_default()).is_ok() {
            let _ = std::fs::rename(&tmp, &self.file);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> RecentRepo {
        RecentRepo { path: path.into(), name: "c".into(), member: None }
    }

    #[test]
    fn newest_first_without_duplicates_and_bounded() {
        let dir = std::env::temp_dir().join(format!("gatehouse-recent-{}", std::process::id()));
        let recent = Recent::new(&dir);
        for i in 0..20 {
            recent.remember(entry(&format!("/r{i}")));
        }
        recent.remember(entry("/r5"));
        let list = recent.list();
        assert_eq!(list.len(), MAX, "the list is bounded");
        assert_eq!(list[0].path, "/r5", "reopening moves a repository to the top");
        assert_eq!(list.iter().filter(|r| r.path == "/r5").count(), 1, "no duplicates");
        let _ = std::fs::remove_dir_all(dir);
    }
}
