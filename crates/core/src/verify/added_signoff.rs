//! The checks of a sign-off file a commit adds.

use git2::Tree;

use super::commit::Change;
use super::objects::Objects;
use super::parsed::Parsed;
use super::FindingKind;
use crate::consortium::Consortium;
use crate::error::Result;
use crate::signoff::{Decision, SignoffFile, SignoffPath};
use crate::trailers::{self, Trailers};

/// Checks a sign-off file `c` brings in (`file`, when it parses): the commit's trailers say
/// what the file says, the file reviews the model as it stood in the parent commit, and its
/// signer is a member holding the gate's role there.
#[allow(clippy::too_many_arguments)]
pub(super) fn check_added_signoff<'r>(
    objects: &mut Objects<'r>,
    parsed: &mut Parsed<'r>,
    consortium: &Consortium,
    parent_tree: Option<&Tree<'r>>,
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
    let current_subject = match parent_tree {
        Some(pt) => parsed.model_tree(objects, pt, &name.model)?,
        None => None,
    };
    if current_subject.map(|s| s.to_string()).as_deref() != Some(file.subject.as_str()) {
        find(
            FindingKind::TrailerMismatch,
            Some(path),
            format!("subject {} is not the tree of models/{} in the parent commit", file.subject, name.model),
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
