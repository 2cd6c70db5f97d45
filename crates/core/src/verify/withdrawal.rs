//! The check of a withdrawal a commit adds: it takes back a sign-off that stood in the parent
//! commit, and the one that spoke last for its member on that gate.

use git2::{ObjectType, Tree};

use super::objects::Objects;
use super::FindingKind;
use crate::signoff::{Decision, SignoffFile, SignoffPath};

/// `name` and `file` are the withdrawal's path and content; `withdraws` the path it names
/// (already checked to be the same member's, model's and gate's, and earlier, when parsed).
pub(super) fn check_withdrawal<'r>(
    objects: &mut Objects<'r>,
    parent_tree: Option<&Tree<'r>>,
    path: &str,
    name: &SignoffPath,
    withdraws: &str,
    find: &mut impl FnMut(FindingKind, Option<&str>, String),
) -> crate::error::Result<()> {
    let Some(parent_tree) = parent_tree else {
        find(
            FindingKind::BadWithdrawal,
            Some(path),
            format!("withdraws {withdraws}, but there is no record before it"),
        );
        return Ok(());
    };
    let folder = format!("{}/{}", name.layout.model_dir(&name.model), name.gate);
    // The member's sign-offs on the gate in the parent, by the time in their names (the
    // sign-off's `at`, to the second).
    let mut latest: Option<SignoffPath> = None;
    if let Some(id) = objects.subtree_id(parent_tree, &folder)? {
        for entry in objects.tree(id)?.iter() {
            if entry.kind() != Some(ObjectType::Blob) {
                continue;
            }
            let Some(p) = SignoffPath::parse(&format!("{folder}/{}", entry.name().unwrap_or_default())) else {
                continue;
            };
            if p.member == name.member && latest.as_ref().is_none_or(|l| p.stamp > l.stamp) {
                latest = Some(p);
            }
        }
    }
    let Some(latest) = latest.map(|l| l.to_path()) else {
        find(
            FindingKind::BadWithdrawal,
            Some(path),
            format!("withdraws {withdraws}, which is not on the record before it"),
        );
        return Ok(());
    };
    if latest != withdraws {
        find(
            FindingKind::BadWithdrawal,
            Some(path),
            format!("withdraws {withdraws}, but {} had signed since: {latest} spoke for them", name.member),
        );
        return Ok(());
    }
    let Some(id) = objects.file_id(parent_tree, &latest)? else { return Ok(()) };
    if let Ok(Ok(before)) = objects.text(id, &latest).map(|t| t.and_then(|t| SignoffFile::parse(&latest, &t))) {
        if before.decision == Decision::Withdraw {
            find(
                FindingKind::BadWithdrawal,
                Some(path),
                format!("withdraws {withdraws}, which is itself a withdrawal"),
            );
        }
    }
    Ok(())
}
