//! The checks of a sign-off file a commit adds.

use std::collections::BTreeSet;

use git2::{Delta, Tree};

use super::commit::Change;
use super::objects::Objects;
use super::parsed::Parsed;
use super::FindingKind;
use crate::consortium::Consortium;
use crate::error::Result;
use crate::signoff::{Decision, SignoffFile, SignoffPath};
use crate::trailers::{self, Trailers};

/// Checks a sign-off file `c` brings in (`file`, when it parses): the commit's trailers say
/// what the file says, the file reviews the model as its own commit leaves it (`tree`), the
/// commit changes the model's folder only by adding new evidence files the sign-off cites
/// (`changed`: all the commit's changes), and its signer is a member holding the gate's role
/// in the parent commit.
#[allow(clippy::too_many_arguments)]
pub(super) fn check_added_signoff<'r>(
    objects: &mut Objects<'r>,
    parsed: &mut Parsed<'r>,
    consortium: &Consortium,
    parent_tree: Option<&Tree<'r>>,
    tree: &Tree<'r>,
    changed: &[Change],
    t: &Trailers,
    c: &Change,
    file: Option<&SignoffFile>,
    find: &mut impl FnMut(FindingKind, Option<&str>, String),
) -> Result<()> {
    let path = c.path.as_str();
    if t.action() != Some("signoff") {
        find(
            FindingKind::TrailerMismatch,
            Some(path),
            format!("a sign-off file added by a commit whose action is {}", t.action().unwrap_or("none")),
        );
    }
    let Some(name) = SignoffPath::parse(path) else {
        return Ok(());
    };
    let layout = consortium.layout();
    if name.layout != layout {
        // Gate states read only the record's own layout: a sign-off elsewhere would not count.
        find(
            FindingKind::MalformedFile,
            Some(path),
            format!(
                "a format {} record keeps this sign-off at {}",
                consortium.format,
                SignoffPath { layout, ..name.clone() }.to_path()
            ),
        );
    }
    let Some(file) = file else {
        return Ok(()); // reported as malformed-file
    };
    if t.action() == Some("signoff") {
        let expected = [
            (trailers::MEMBER, file.member.as_str()),
            (trailers::MODEL, file.model.as_str()),
            (trailers::GATE, file.gate.as_str()),
            (trailers::DECISION, file.decision.as_str()),
            (trailers::SUBJECT, file.subject.as_str()),
        ];
        for (key, value) in expected {
            if t.get(key) != Some(value) {
                find(
                    FindingKind::TrailerMismatch,
                    Some(path),
                    format!("{key} is {:?} but the file says {value:?}", t.get(key).unwrap_or("")),
                );
            }
        }
    }
    // Without attachments the model's tree is the parent's, so older records keep their meaning.
    let subject = parsed.model_tree(objects, tree, &name.model)?;
    if subject.map(|s| s.to_string()).as_deref() != Some(file.subject.as_str()) {
        find(
            FindingKind::TrailerMismatch,
            Some(path),
            format!("subject {} is not the tree of models/{} in its own commit", file.subject, name.model),
        );
    }
    let folder = format!("models/{}/", name.model);
    let cited: BTreeSet<String> =
        file.items.values().flat_map(|i| i.evidence.iter().map(|e| format!("{folder}{e}"))).collect();
    for m in changed.iter().filter(|m| m.path.starts_with("models/")) {
        let how = match m.status {
            Delta::Added if !m.path.starts_with(&format!("{folder}evidence/")) => {
                "adds a file outside the evidence folder of its model"
            }
            Delta::Added if !cited.contains(&m.path) => "adds evidence the sign-off does not cite",
            Delta::Added => continue,
            Delta::Deleted => "removes a file",
            _ => "changes a file",
        };
        find(
            FindingKind::UngovernedChange,
            Some(&m.path),
            format!(
                "a sign-off may only add new evidence files of its model that it cites; this one {how} ({})",
                m.path
            ),
        );
    }
    if let Some(withdraws) = &file.withdraws {
        super::withdrawal::check_withdrawal(objects, parent_tree, path, &name, withdraws, find)?;
    }
    match consortium.member(&file.member) {
        None => find(FindingKind::UnknownMember, Some(path), format!("{:?} signed but is not a member", file.member)),
        Some(member) => {
            let gate = match parent_tree {
                Some(pt) => parsed.gate(objects, pt, &file.gate)?,
                None => None,
            };
            match gate {
                None => find(
                    FindingKind::MalformedFile,
                    Some(path),
                    format!("gate {:?} does not exist in the parent commit", file.gate),
                ),
                // Taking back one's own word needs no role: a member who lost it may still.
                Some(g) if file.decision != Decision::Withdraw && !member.has_role(&g.signers.role) => find(
                    FindingKind::MissingRole,
                    Some(path),
                    format!("{} signed {} without the role {}", member.id, g.id, g.signers.role),
                ),
                Some(_) => {}
            }
        }
    }
    Ok(())
}
