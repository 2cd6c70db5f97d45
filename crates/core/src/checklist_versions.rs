//! Approvals that count toward a gate although they were made against another version of the
//! gate's checklist (docs/format.md, "Checklist versions"): which ones, and what changed in the
//! checklist's items since. The version an approval saw is read from git by the blob id the
//! sign-off records; a version that is not in the repository, or cannot be read as a checklist,
//! is said to be so, never an error.

use std::collections::{BTreeMap, HashMap};

use git2::{ObjectType, Oid, Repository};
use serde::{Deserialize, Serialize};

use crate::checklist::{self, ChangedItem, Gate, ItemChanges, RewordedItem};
use crate::record::{Framework, Signoff};
use crate::rules::GateStatus;

/// One older version of a gate's checklist, the counted approvals made against it, and what
/// changed in the checklist's items between it and the checklist as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChecklistVersion {
    /// The version's blob id, as the sign-offs record it in `checklist`.
    pub checklist: String,
    /// The approvals made against it that count toward the gate, oldest first (by `at`, then
    /// path).
    pub approvals: Vec<OlderApproval>,
    /// Why the version cannot be compared with the checklist as it is now (it is not in this
    /// repository, or is not a readable checklist); `None` when the three lists say what changed.
    pub problem: Option<String>,
    /// Items the checklist has now that the version had not: the approvals say nothing of them.
    pub added: Vec<ChangedItem>,
    /// Items the version had that the checklist no longer has.
    pub removed: Vec<ChangedItem>,
    /// Items with the same id whose text changed.
    pub reworded: Vec<RewordedItem>,
}

/// An approval that counts toward its gate, made against an older version of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OlderApproval {
    pub member: String,
    /// The member's name in `consortium.toml` (empty if they are no longer listed).
    pub member_name: String,
    /// The sign-off file.
    pub path: String,
    pub at: String,
}

/// The shortest form of a version's id used in messages (as `show` prints commits).
pub fn short(id: &str) -> &str {
    id.get(..10).unwrap_or(id)
}

/// The checklist of `gate` as the blob `id` holds it; `Err` says, in words, why it cannot be
/// had: not a git object id, not in this repository, not a file, or not a readable checklist.
/// Reads at most `limits::MAX_MARKDOWN_BYTES`, checked before the blob is loaded.
pub fn read_version(repo: &Repository, gate: &str, id: &str) -> Result<Gate, String> {
    let name = format!("checklist version {}", short(id));
    let oid = match Oid::from_str(id) {
        Ok(oid) if id.len() == 40 => oid,
        _ => return Err(format!("checklist version {id:?} is not a git object id")),
    };
    let unreadable = |e: git2::Error| match e.code() {
        git2::ErrorCode::NotFound => format!("{name} is not in this repository"),
        _ => format!("{name} cannot be read: {}", e.message()),
    };
    let (size, kind) = repo.odb().and_then(|odb| odb.read_header(oid)).map_err(unreadable)?;
    if kind != ObjectType::Blob {
        return Err(format!("{name} is a {kind}, not a checklist file"));
    }
    let path = checklist::path(gate);
    let what = format!("{name} cannot be read as a checklist");
    crate::limits::check_size(&path, "the checklist", size, crate::limits::MAX_MARKDOWN_BYTES)
        .map_err(|m| format!("{what}: {}", m.message))?;
    let blob = repo.find_blob(oid).map_err(unreadable)?;
    crate::repo::blob_text(&path, blob.content())
        .and_then(|text| Gate::parse(&path, &text))
        .map_err(|m| format!("{what}: {m}"))
}

/// Reads older checklist versions and compares them with the current checklists of one
/// framework, each (gate, version) once.
pub struct Versions<'r> {
    repo: &'r Repository,
    changes: HashMap<(String, String), Result<ItemChanges, String>>,
}

impl<'r> Versions<'r> {
    /// A reader for the checklists of one framework: use a new one when the framework changes.
    pub fn new(repo: &'r Repository) -> Versions<'r> {
        Versions { repo, changes: HashMap::new() }
    }

    /// What changed in `gate`'s items since the version `id`.
    fn changes(&mut self, gate: &Gate, id: &str) -> &Result<ItemChanges, String> {
        let repo = self.repo;
        self.changes
            .entry((gate.id.clone(), id.to_string()))
            .or_insert_with(|| read_version(repo, &gate.id, id).map(|old| checklist::diff(&old, gate)))
    }

    /// The versions the gate's counted approvals on another version of its checklist were made
    /// against (`status.older_checklist`, from `rules::evaluate`), in the order of their first
    /// approval; `signoffs` are the model's sign-offs, which give each approval's path.
    pub fn of_gate(
        &mut self,
        fw: &Framework,
        gate: &Gate,
        status: &GateStatus,
        signoffs: &[Signoff],
    ) -> Vec<ChecklistVersion> {
        let mut by_version: BTreeMap<&str, Vec<OlderApproval>> = BTreeMap::new();
        for a in &status.older_checklist {
            // Among sign-offs alike in all of these, the rules took the one whose name sorts first.
            let path = signoffs
                .iter()
                .filter(|s| s.file.gate == gate.id && s.file.member == a.member)
                .filter(|s| s.file.at == a.at && s.file.checklist == a.checklist)
                .map(|s| s.path.as_str())
                .min()
                .unwrap_or_default();
            by_version.entry(a.checklist.as_str()).or_default().push(OlderApproval {
                member: a.member.clone(),
                member_name: fw.consortium.member(&a.member).map(|m| m.name.clone()).unwrap_or_default(),
                path: path.to_string(),
                at: a.at.clone(),
            });
        }
        let mut versions: Vec<ChecklistVersion> = by_version
            .into_iter()
            .map(|(id, mut approvals)| {
                approvals.sort_by(|a, b| (&a.at, &a.path).cmp(&(&b.at, &b.path)));
                let (problem, changes) = match self.changes(gate, id) {
                    Ok(changes) => (None, changes.clone()),
                    Err(why) => (Some(why.clone()), ItemChanges::default()),
                };
                ChecklistVersion {
                    checklist: id.to_string(),
                    approvals,
                    problem,
                    added: changes.added,
                    removed: changes.removed,
                    reworded: changes.reworded,
                }
            })
            .collect();
        versions.sort_by(|a, b| {
            let first = |v: &ChecklistVersion| v.approvals.first().map(|x| (x.at.clone(), x.path.clone()));
            first(a).cmp(&first(b)).then(a.checklist.cmp(&b.checklist))
        });
        versions
    }

    /// `of_gate` for every gate of a model that has such approvals: (gate, versions), in the
    /// order of `statuses` (as `rules::evaluate` returns them for `fw.gates`).
    pub fn of_model(
        &mut self,
        fw: &Framework,
        statuses: &[GateStatus],
        signoffs: &[Signoff],
    ) -> Vec<(String, Vec<ChecklistVersion>)> {
        statuses
            .iter()
            .filter(|s| !s.older_checklist.is_empty())
            .filter_map(|s| {
                let gate = fw.gate(&s.gate)?;
                Some((s.gate.clone(), self.of_gate(fw, gate, s, signoffs)))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "---\ngate: safety\ntitle: Safety\norder: 1\nsigners:\n  role: reviewer\n---\n- [ ] `a` First.\n- [ ] `b` Second.\n";

    fn repo() -> (tempfile::TempDir, Repository) {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        (dir, repo)
    }

    #[test]
    fn reads_a_version_by_its_blob_id() {
        let (_dir, repo) = repo();
        let id = repo.blob(OLD.as_bytes()).unwrap().to_string();
        let gate = read_version(&repo, "safety", &id).unwrap();
        assert_eq!(gate.items.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn says_why_a_version_cannot_be_had() {
        let (_dir, repo) = repo();
        let missing = "514a4c4c4473aaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        assert_eq!(
            read_version(&repo, "safety", missing).unwrap_err(),
            "checklist version 514a4c4c44 is not in this repository"
        );
        assert_eq!(
            read_version(&repo, "safety", "blob").unwrap_err(),
            "checklist version \"blob\" is not a git object id"
        );
        let other_gate = repo.blob(OLD.replace("gate: safety", "gate: other").as_bytes()).unwrap().to_string();
        let e = read_version(&repo, "safety", &other_gate).unwrap_err();
        assert!(
            e.starts_with(&format!("checklist version {} cannot be read as a checklist: ", short(&other_gate))),
            "{e}"
        );
        assert!(e.contains("does not match the file name"), "{e}");
        let tree = repo.treebuilder(None).unwrap().write().unwrap().to_string();
        assert_eq!(
            read_version(&repo, "safety", &tree).unwrap_err(),
            format!("checklist version {} is a tree, not a checklist file", short(&tree))
        );
    }
}
